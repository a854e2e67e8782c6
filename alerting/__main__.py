"""``python -m alerting deliver``: send the published warehouse's new alerts (the refresh job does it
after publishing). ``python -m alerting test [--route ID]`` (``make alert-test``): send a test message
to each route whose target is set, to check a channel before real alerts go out."""

import argparse
import sys

from alerting import channels
from alerting.deliver import deliver
from alerting.routes import load_routes
from warehouse_core.settings import published_warehouse_file

TEST_SUBJECT = "【テスト通知】リード通知の送信テスト Test alert"
TEST_BODY = (
    "リードウェアハウスからのテスト送信です。この経路に通知が届きます。\n"
    "A test from the lead warehouse: alerts of this route arrive here.\n"
)


def send_test(route_id: str | None) -> int:
    routes = [route for route in load_routes() if route_id in (None, route.id)]
    if not routes:
        print(f"No route {route_id!r} in the routes file.", file=sys.stderr)
        return 2
    failures = 0
    for route in routes:
        target = route.target()
        if target is None:
            print(f"{route.id}: not set ({route.target_variable} is empty) — skipped")
            continue
        try:
            channels.send(route.channel, target, TEST_SUBJECT, TEST_BODY, {"test": True, "route": route.id})
            print(f"{route.id}: sent ({route.channel})")
        except channels.DeliveryError as problem:
            failures += 1
            print(f"{route.id}: FAILED ({route.channel}): {problem}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alerting", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("deliver", help="send the new alerts of the published warehouse")
    test = commands.add_parser("test", help="send a test message to each configured route")
    test.add_argument("--route", help="only this route id")
    args = parser.parse_args(argv)
    if args.command == "test":
        return send_test(args.route)
    summary = deliver(published_warehouse_file())
    print(f"Alerts: {summary.describe()}")
    for error in summary.errors:
        print(f"  failed: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
