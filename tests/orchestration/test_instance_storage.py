"""Dagster's SQLite storage commits without waiting for the disk each time, and only where that is safe."""

import sqlite3

from dagster import DagsterInstance
from sqlalchemy import create_engine

import orchestration  # noqa: F401  (importing the package installs the setting)

FULL, NORMAL = 2, 1


def _synchronous(url: str) -> int:
    with create_engine(url).connect() as connection:
        return connection.exec_driver_sql("pragma synchronous").scalar()


def test_the_instance_event_log_commits_with_synchronous_normal(tmp_path):
    instance = DagsterInstance.from_config(str(tmp_path))  # no dagster.yaml: SQLite under history/
    with instance.event_log_storage.index_connection() as connection:
        assert connection.exec_driver_sql("pragma journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("pragma synchronous").scalar() == NORMAL


def test_a_database_not_in_wal_mode_keeps_sqlites_default(tmp_path):
    rollback_journal, wal = tmp_path / "rollback.db", tmp_path / "wal.db"
    sqlite3.connect(rollback_journal).close()
    with sqlite3.connect(wal) as connection:
        connection.execute("pragma journal_mode = wal")
    assert _synchronous(f"sqlite:///{rollback_journal}") == FULL
    assert _synchronous(f"sqlite:///{wal}") == NORMAL
