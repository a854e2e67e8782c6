"""Deliver the published warehouse's new alerts once to every route that takes them.

Every alert and route enters the delivery log as queued; inside the delivery hours the queued and
failed ones are sent, each tried up to LEAD_WAREHOUSE_ALERT_ATTEMPTS times with a doubling pause;
a failure stays in the log with its error and is tried again on the next run until
LEAD_WAREHOUSE_ALERT_MAX_ATTEMPTS. Nothing here raises for a channel that fails: the summary says so.
"""

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alerting import channels, delivery_log, messages
from alerting.routes import Route, load_routes
from alerting.settings import DeliverySettings, delivery_settings


@dataclass
class DeliverySummary:
    alerts: int = 0
    queued: int = 0
    statuses: Counter = field(default_factory=Counter)
    # Routes that would take alerts but whose environment variable is not set.
    not_configured: list[str] = field(default_factory=list)
    outside_hours: bool = False
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [f"{self.alerts} alert(s), {self.queued} newly queued"]
        parts += [f"{count} {status}" for status, count in sorted(self.statuses.items())]
        if self.outside_hours:
            parts.append("outside the delivery hours: queued until the next run inside them")
        if self.not_configured:
            parts.append(f"routes without a target set: {', '.join(self.not_configured)}")
        return "; ".join(parts)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _send_with_retries(
    delivery: dict, route: Route, settings: DeliverySettings, sleep: Callable[[float], None]
) -> tuple[bool, int, str | None]:
    """(sent, tries, last error)."""
    error = None
    for attempt in range(settings.attempts):
        if attempt:
            sleep(settings.backoff_seconds * 2 ** (attempt - 1))
        try:
            channels.send(
                route.channel,
                route.target(),
                delivery["subject"],
                delivery["body"],
                json.loads(delivery["alert_json"]),
            )
            return True, attempt + 1, None
        except channels.DeliveryError as problem:
            error = str(problem)
    return False, settings.attempts, error


def deliver(
    warehouse: Path,
    log_path: Path | None = None,
    routes: list[Route] | None = None,
    settings: DeliverySettings | None = None,
    now: Callable[[], datetime] = _now,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliverySummary:
    routes = load_routes() if routes is None else routes
    settings = settings or delivery_settings()
    alerts, sla_target = messages.read_alerts(warehouse)
    summary = DeliverySummary(alerts=len(alerts))
    by_id = {route.id: route for route in routes}
    with delivery_log.open_log(log_path or delivery_log.log_file_for(warehouse)) as log:
        for alert in alerts:
            subject, body = messages.render(alert, sla_target)
            for route in routes:
                if not route.matches(alert.get("owner_user_id"), alert.get("team"), alert.get("score_band")):
                    continue
                if route.target() is None:
                    if route.id not in summary.not_configured:
                        summary.not_configured.append(route.id)
                    continue
                summary.queued += delivery_log.queue(
                    log,
                    messages.alert_id(alert),
                    route.id,
                    {**alert, "channel": route.channel},
                    (subject, body),
                    now(),
                )
        if not settings.is_delivery_time(now().replace(tzinfo=UTC)):
            summary.outside_hours = True
            return summary
        for delivery in delivery_log.pending(log, settings.max_attempts):
            route = by_id.get(delivery["route_id"])
            if route is None or route.target() is None:
                continue  # the route was removed or unset since: the alert waits in the log
            sent, tries, error = _send_with_retries(delivery, route, settings, sleep)
            status = (
                "sent"
                if sent
                else ("given_up" if delivery["attempts"] + tries >= settings.max_attempts else "failed")
            )
            delivery_log.record(log, delivery, status, tries, error, now())
            summary.statuses[status] += 1
            if error and not sent:
                summary.errors.append(f"{delivery['alert_id']} via {route.id}: {error}")
    return summary
