"""The delivery log: one row per alert and route, in its own DuckDB file beside the warehouse
(``<warehouse>.alert_deliveries.duckdb``). A refresh replaces the warehouse file, so the log lives
apart from it; it is what makes delivery happen once: an alert and route already sent is never sent
again, whether the job runs again, retries or backfills."""

import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
from filelock import FileLock

from warehouse_core.sql_text import quote_literal

TABLE = "alert_deliveries"
# Where each refresh copies the log's status columns, so the SLA mart shows how delivery went.
WAREHOUSE_COPY = "raw.alert_deliveries"
_COPIED_COLUMNS = (
    "alert_id, route_id, channel, lead_id, owner_user_id, scored_as_of, status, attempts, "
    "queued_at, first_attempt_at, last_attempt_at, sent_at, error"
)
# Deliveries wait this long for another delivery of the same warehouse to finish.
LOCK_WAIT_SECONDS = 600

_DEFINITION = f"""
create table if not exists {TABLE} (
    alert_id varchar not null,
    route_id varchar not null,
    channel varchar not null,
    lead_id varchar not null,
    owner_user_id varchar,
    scored_as_of date,
    subject varchar,
    body varchar,
    alert_json varchar,
    status varchar not null,  -- queued, sent, failed (retried next run) or given_up
    attempts integer not null,
    queued_at timestamp not null,
    first_attempt_at timestamp,
    last_attempt_at timestamp,
    sent_at timestamp,
    error varchar,
    primary key (alert_id, route_id)
)
"""


def log_file_for(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.alert_deliveries{warehouse.suffix}")


@contextmanager
def open_log(path: Path):
    """The log, opened by one delivery at a time (an OS file lock beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=LOCK_WAIT_SECONDS), duckdb.connect(str(path)) as connection:
        connection.execute(_DEFINITION)
        yield connection


def queue(
    connection, alert_id: str, route_id: str, alert: dict, message: tuple[str, str], at: datetime
) -> bool:
    """Add the alert for the route unless the log has it already; True when added."""
    subject, body = message
    added = connection.execute(
        f"insert into {TABLE} by name select $alert_id as alert_id, $route_id as route_id, "
        "$channel as channel, $lead_id as lead_id, $owner as owner_user_id, "
        "cast($scored_as_of as date) as scored_as_of, $subject as subject, $body as body, "
        "$alert_json as alert_json, 'queued' as status, 0 as attempts, $at as queued_at "
        "on conflict do nothing returning alert_id",
        {
            "alert_id": alert_id,
            "route_id": route_id,
            "channel": alert["channel"],
            "lead_id": alert["lead_id"],
            "owner": alert.get("owner_user_id"),
            "scored_as_of": alert["scored_as_of"],
            "subject": subject,
            "body": body,
            "alert_json": json.dumps(alert, ensure_ascii=False, default=str),
            "at": at,
        },
    ).fetchall()
    return bool(added)


def pending(connection, max_attempts: int) -> list[dict]:
    """Queued deliveries and failed ones with tries left, oldest first."""
    result = connection.execute(
        f"select alert_id, route_id, channel, subject, body, alert_json, attempts from {TABLE} "
        "where status in ('queued', 'failed') and attempts < $max order by queued_at, alert_id, route_id",
        {"max": max_attempts},
    )
    columns = [column[0] for column in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def record(connection, delivery: dict, status: str, tries: int, error: str | None, at: datetime) -> None:
    """Written right after each delivery, so a crash later in the run cannot send it again."""
    connection.execute(
        f"update {TABLE} set status = $status, attempts = attempts + $tries, "
        "first_attempt_at = coalesce(first_attempt_at, $at), last_attempt_at = $at, "
        "sent_at = case when $status = 'sent' then $at end, error = $error "
        "where alert_id = $alert_id and route_id = $route_id",
        {
            "status": status,
            "tries": tries,
            "at": at,
            "error": error,
            **{k: delivery[k] for k in ("alert_id", "route_id")},
        },
    )


def copy_into(connection: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """Replace the warehouse's copy of the log (status columns only: messages stay in the log) with
    the log as it is now; None, and no copy, when nothing was ever delivered."""
    if not path.exists():
        connection.execute(f"drop table if exists {WAREHOUSE_COPY}")
        return None
    with FileLock(str(path) + ".lock", timeout=LOCK_WAIT_SECONDS):
        connection.execute(f"attach {quote_literal(str(path))} as delivery_log (read_only)")
        try:
            connection.execute("create schema if not exists raw")
            connection.execute(
                f"create or replace table {WAREHOUSE_COPY} as "
                f"select {_COPIED_COLUMNS} from delivery_log.{TABLE}"
            )
        finally:
            connection.execute("detach delivery_log")
    return connection.execute(f"select count(*) from {WAREHOUSE_COPY}").fetchall()[0][0]


def status_counts(path: Path) -> dict[str, int]:
    """Deliveries per status, for the run summary; empty when nothing was ever delivered."""
    if not path.exists():
        return {}
    with duckdb.connect(str(path), read_only=True) as connection:
        return dict(
            connection.execute(f"select status, count(*) from {TABLE} group by 1 order by 1").fetchall()
        )
