"""Alerts delivered to real local servers: an SMTP server (aiosmtpd) and an HTTP server on 127.0.0.1
receive exactly the expected messages, Japanese intact; a failing endpoint is retried and logged; a
second run sends nothing new; outside the delivery hours alerts wait."""

import email
import json
import socket
import threading
from datetime import datetime
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest
from aiosmtpd.controller import Controller

from alerting import delivery_log
from alerting.__main__ import send_test
from alerting.deliver import deliver
from alerting.routes import Route
from alerting.settings import DeliverySettings
from tests.conftest import SAMPLE_AS_OF
from tests.fixtures.refresh_runs import finish, refresh_environment, start_refresh

QUICK = DeliverySettings(hours=None, attempts=3, backoff_seconds=0.5, max_attempts=10)
# 23:00 and 09:00 in Japan (UTC+9).
JAPAN_NIGHT = datetime(2026, 7, 1, 14, 0)
JAPAN_MORNING = datetime(2026, 7, 2, 0, 0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp_server(monkeypatch):
    mailbox = _Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("LEAD_WAREHOUSE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("LEAD_WAREHOUSE_SMTP_PORT", str(port))
    yield mailbox
    controller.stop()


@pytest.fixture
def http_server():
    """Records every POST by path; /fail answers 500 always, /flaky fails twice and then accepts."""
    received: dict[str, list] = {}
    failures_left = {"/flaky": 2}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's hook name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
            failing = self.path == "/fail" or failures_left.get(self.path, 0) > 0
            if self.path in failures_left and failures_left[self.path] > 0:
                failures_left[self.path] -= 1
            if not failing:
                received.setdefault(self.path, []).append(body)
            self.send_response(500 if failing else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


@pytest.fixture(scope="module")
def alerts(built_warehouse) -> list[tuple]:
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select lead_id, owner_user_id, score_band from marts.mart_handoff_alerts order by lead_id"
        ).fetchall()
    assert len(rows) >= 3
    return rows


def test_each_new_alert_reaches_each_channel_once_with_its_japanese_text(
    built_warehouse, alerts, smtp_server, http_server, monkeypatch, tmp_path
):
    url, received = http_server
    monkeypatch.setenv("TEST_ALERT_EMAIL", "sales-team@example.test")
    monkeypatch.setenv("TEST_ALERT_SLACK", f"{url}/slack")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", f"{url}/hook")
    routes = [
        Route(id="mail", channel="email", target_variable="TEST_ALERT_EMAIL"),
        Route(id="slack", channel="slack", target_variable="TEST_ALERT_SLACK"),
        Route(id="hook", channel="webhook", target_variable="TEST_ALERT_WEBHOOK"),
        Route(id="unset", channel="teams", target_variable="TEST_ALERT_NOT_SET"),
    ]
    log = tmp_path / "deliveries.duckdb"
    summary = deliver(built_warehouse, log, routes, QUICK)
    lead_ids = sorted(lead_id for lead_id, _, _ in alerts)

    assert summary.alerts == len(alerts) and summary.queued == 3 * len(alerts)
    assert summary.statuses == {"sent": 3 * len(alerts)} and summary.not_configured == ["unset"]
    assert sorted(recipients[0] for recipients, _ in smtp_server.messages) == [
        "sales-team@example.test"
    ] * len(alerts)
    mailed = {_lead_in(message.get_content(), lead_ids): message for _, message in smtp_server.messages}
    assert sorted(mailed) == lead_ids
    for lead_id, message in mailed.items():
        assert message["Subject"].startswith("【リード通知】")
        body = message.get_content()
        assert f"リード: {lead_id}" in body and "推奨アクション: " in body and "対応目標: " in body
    assert sorted(_lead_in(post["text"], lead_ids) for post in received["/slack"]) == lead_ids
    assert sorted(post["alert"]["lead_id"] for post in received["/hook"]) == lead_ids
    assert all("【リード通知】" in post["text"] for post in received["/slack"])

    again = deliver(built_warehouse, log, routes, QUICK)
    assert again.queued == 0 and not again.statuses
    assert len(smtp_server.messages) == len(alerts) and len(received["/slack"]) == len(alerts)
    assert delivery_log.status_counts(log) == {"sent": 3 * len(alerts)}


def _lead_in(text: str, lead_ids: list[str]) -> str:
    [lead_id] = [lead_id for lead_id in lead_ids if f"リード: {lead_id}" in text]
    return lead_id


def test_a_failing_endpoint_is_retried_with_backoff_logged_and_blocks_nothing(
    built_warehouse, alerts, http_server, monkeypatch, tmp_path
):
    url, received = http_server
    monkeypatch.setenv("TEST_ALERT_FAIL", f"{url}/fail")
    monkeypatch.setenv("TEST_ALERT_OK", f"{url}/ok")
    routes = [
        Route(id="broken", channel="webhook", target_variable="TEST_ALERT_FAIL"),
        Route(id="working", channel="slack", target_variable="TEST_ALERT_OK"),
    ]
    log, pauses = tmp_path / "deliveries.duckdb", []
    summary = deliver(built_warehouse, log, routes, QUICK, sleep=pauses.append)

    assert summary.statuses == {"sent": len(alerts), "failed": len(alerts)}
    assert len(received["/ok"]) == len(alerts) and "/fail" not in received
    assert pauses == [0.5, 1.0] * len(alerts)  # 3 tries each, the pause doubling
    with duckdb.connect(str(log), read_only=True) as connection:
        failed = connection.execute(
            "select distinct status, attempts, error from alert_deliveries where route_id = 'broken'"
        ).fetchall()
    assert failed == [("failed", 3, "HTTP 500 from the webhook")]

    # The next run tries the failed ones again, and gives up when their tries reach the maximum.
    summary = deliver(
        built_warehouse, log, routes, DeliverySettings(None, 3, 0.5, max_attempts=6), sleep=pauses.append
    )
    assert summary.statuses == {"given_up": len(alerts)} and len(received["/ok"]) == len(alerts)
    assert delivery_log.status_counts(log) == {"given_up": len(alerts), "sent": len(alerts)}


def test_a_flaky_endpoint_receives_the_alert_once_after_its_failures(
    built_warehouse, alerts, http_server, tmp_path
):
    url, received = http_server
    first_lead, owner, _ = alerts[0]
    routes = [Route(id="flaky", channel="webhook", target_variable="TEST_ALERT_FLAKY", owners=[owner])]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEST_ALERT_FLAKY", f"{url}/flaky")
        summary = deliver(built_warehouse, tmp_path / "log.duckdb", routes, QUICK, sleep=lambda _: None)
    owned = [lead_id for lead_id, lead_owner, _ in alerts if lead_owner == owner]
    assert summary.statuses["sent"] == len(owned) and first_lead in owned
    assert sorted(post["alert"]["lead_id"] for post in received["/flaky"]) == sorted(owned)


def test_outside_the_delivery_hours_alerts_wait_for_the_next_run_inside_them(
    built_warehouse, alerts, http_server, monkeypatch, tmp_path
):
    url, received = http_server
    monkeypatch.setenv("TEST_ALERT_OK", f"{url}/ok")
    routes = [Route(id="working", channel="slack", target_variable="TEST_ALERT_OK")]
    office_hours = DeliverySettings(hours=(8, 20), attempts=1, backoff_seconds=0, max_attempts=10)
    log = tmp_path / "log.duckdb"

    night = deliver(built_warehouse, log, routes, office_hours, now=lambda: JAPAN_NIGHT)
    assert night.outside_hours and night.queued == len(alerts) and "/ok" not in received
    assert delivery_log.status_counts(log) == {"queued": len(alerts)}

    morning = deliver(built_warehouse, log, routes, office_hours, now=lambda: JAPAN_MORNING)
    assert morning.queued == 0 and morning.statuses == {"sent": len(alerts)}
    assert len(received["/ok"]) == len(alerts)


def test_routes_match_on_owner_team_and_band():
    route = Route(
        id="r", channel="email", target_variable="X", teams=["東日本営業部"], score_bands=["90-100"]
    )
    assert route.matches("U1", "東日本営業部", "90-100")
    assert not route.matches("U1", "西日本営業部", "90-100")
    assert not route.matches("U1", "東日本営業部", "70-89")
    assert Route(id="any", channel="slack", target_variable="X").matches(None, None, None)


def test_alert_test_sends_to_each_configured_route(http_server, monkeypatch, tmp_path, capsys):
    url, received = http_server
    routes_file = tmp_path / "routes.yml"
    routes_file.write_text(
        "routes:\n"
        "  - {id: team-chat, channel: teams, target_variable: TEST_ALERT_TEAMS}\n"
        "  - {id: nowhere, channel: email, target_variable: TEST_ALERT_UNSET}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LEAD_WAREHOUSE_ALERT_ROUTES", str(routes_file))
    monkeypatch.setenv("TEST_ALERT_TEAMS", f"{url}/teams")
    assert send_test(None) == 0
    [post] = received["/teams"]
    assert "テスト通知" in post["text"]
    output = capsys.readouterr().out
    assert "team-chat: sent (teams)" in output and "nowhere: not set (TEST_ALERT_UNSET is empty)" in output
    monkeypatch.setenv("TEST_ALERT_TEAMS", f"{url}/fail")
    assert send_test("team-chat") == 1


def test_a_refresh_delivers_its_alerts_after_publishing_and_the_next_shows_them_in_the_sla_mart(
    sample_landing, http_server, tmp_path
):
    """The refresh job, as `make refresh` runs it: after publishing it sends every alert of the published
    warehouse to the route's local webhook, says so, and writes the CRM import files. A second route
    fails; the run still publishes and says so, and the next refresh shows who was alerted in the SLA
    mart (the worst route counts, so every alerted handoff shows as failed). That refresh finds the
    routes file broken: it publishes, then exits non-zero saying the alert step failed and why."""
    url, received = http_server
    routes_file = tmp_path / "routes.yml"
    routes_file.write_text(
        "routes:\n  - {id: sales-hook, channel: webhook, target_variable: TEST_ALERT_HOOK}\n"
        "  - {id: broken-hook, channel: webhook, target_variable: TEST_ALERT_BROKEN}\n",
        encoding="utf-8",
    )
    environment = {
        **refresh_environment(tmp_path, sample_landing),
        "LEAD_WAREHOUSE_ALERT_ROUTES": str(routes_file),
        "TEST_ALERT_HOOK": f"{url}/hook",
        "TEST_ALERT_BROKEN": f"{url}/fail",
        "LEAD_WAREHOUSE_ALERT_ATTEMPTS": "1",
    }
    log = tmp_path / "refresh.log"
    arguments = ("--as-of", SAMPLE_AS_OF.isoformat())
    code, output = finish(start_refresh(environment, log, arguments=arguments), log)
    assert code == 0, output[-3000:]
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        alerted = {
            row[0] for row in connection.execute("select lead_id from marts.mart_handoff_alerts").fetchall()
        }
        [(not_alerted,)] = connection.execute(
            "select count(*) from marts.fct_sla_lead_response where alert_delivery_status = 'not_alerted'"
        ).fetchall()
    assert alerted and len(received["/hook"]) == len(alerted)
    assert f"{len(alerted)} sent" in output and f"{len(alerted)} failed" in output
    assert "Alert not delivered" in output and "HTTP 500 from the webhook" in output
    log_file = delivery_log.log_file_for(warehouse)
    assert delivery_log.status_counts(log_file) == {"sent": len(alerted), "failed": len(alerted)}
    # The run's other step after publishing: the CRM import files, beside the warehouse by default.
    assert sorted(path.name.split("_20")[0] for path in (tmp_path / "writeback").glob("*.csv")) == [
        "hubspot_contacts",
        "marketo_leads",
        "salesforce_leads",
    ]

    routes_file.write_text("routes:\n  - {id: sales-hook, channel: carrier-pigeon}\n", encoding="utf-8")
    code, output = finish(start_refresh(environment, log, arguments=arguments), log)
    assert code == 1, output[-3000:]
    assert "published the warehouse, but a step after publishing failed" in output
    assert f"Cannot use the alert routes in {routes_file}" in output
    assert len(received["/hook"]) == len(alerted)  # nothing sent twice
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        statuses = dict(
            connection.execute(
                "select alert_delivery_status, count(*) from marts.fct_sla_lead_response group by 1"
            ).fetchall()
        )
        handed_and_alerted = [
            row
            for row in connection.execute(
                "select lead_id, alert_delivery_attempts, alert_delivery_error, first_alert_sent_at "
                "from marts.fct_sla_lead_response where alert_delivery_status <> 'not_alerted'"
            ).fetchall()
            if row[0] in alerted
        ]
        [(undelivered,)] = connection.execute(
            "select sum(handoffs_alert_undelivered) from marts.mart_sla_compliance_monthly "
            "where breakdown = 'total'"
        ).fetchall()
    # The copy the second run read was the log after the first run: one try on each route.
    assert handed_and_alerted and set(statuses) == {"failed", "not_alerted"}
    assert statuses["failed"] == len(handed_and_alerted) == undelivered
    assert statuses["not_alerted"] == not_alerted - len(handed_and_alerted)
    assert {(attempts, error) for _, attempts, error, _ in handed_and_alerted} == {
        (2, "HTTP 500 from the webhook")
    }
    assert all(sent_at is not None for *_, sent_at in handed_and_alerted)
