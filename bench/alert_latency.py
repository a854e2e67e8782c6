"""Speed to lead: ``python -m bench.alert_latency --sizes 10000,100000`` measures how long a delta export
takes from landing in the folder to its alert arriving, with the landing sensor running as ``make dev``
runs it (the Dagster daemon).

Per size, in a folder of its own: the daemon's sensor picks up the first day's full export and runs the
first refresh; once that run has finished, the next day's delta export is moved into the landing folder
(time zero). Both refreshes score as of the delta's day, so the delta's new evidence makes new leads
cross the threshold that day: their alerts go to a webhook on 127.0.0.1, and the first one to arrive
ends the measurement. Printed per size: the wait for the sensor, then the run's steps (raw loads, dbt,
evaluation and report, publish) and the delivery, from Dagster's step records.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from bench.exports import two_days_of_exports
from bench.run import ACTIVITY_SCALE, BENCH_DIR, FIRST_DAY, NEXT_DAY, SEED
from warehouse_core.settings import REPOSITORY_ROOT

RUN_TIMEOUT_SECONDS = 1800
# Step key prefix -> phase; every other step is evaluation or the report.
_PHASES = [
    ("warehouse__build_started", "copy"),
    ("raw__", "load"),
    ("lead_warehouse_dbt_models", "dbt"),
    ("warehouse__published", "publish"),
    ("alerts__", "delivery"),
    ("crm_writeback__", "writeback"),
]


class _Webhook:
    """Records when each alert arrives."""

    def __init__(self):
        self.arrivals: list[tuple[float, str]] = []
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                webhook.arrivals.append((time.time(), body["alert"]["lead_id"]))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerts"


def _finished_runs(instance: DagsterInstance) -> list:
    return instance.get_runs(
        filters=RunsFilter(statuses=[DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE])
    )


def _wait_for_runs(instance: DagsterInstance, count: int) -> list:
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while len(runs := _finished_runs(instance)) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the sensor's run {count} did not finish in {RUN_TIMEOUT_SECONDS} s")
        time.sleep(1)
    failed = [run.run_id for run in runs if run.status == DagsterRunStatus.FAILURE]
    if failed:
        raise RuntimeError(f"refresh run(s) {failed} failed: see the Dagster home's logs")
    return runs


def _step_seconds(instance: DagsterInstance, run_id: str) -> dict[str, float]:
    """Seconds per phase of the run, from its step records."""
    phases: dict[str, float] = {}
    for step in instance.get_run_step_stats(run_id):
        key = step.step_key
        phase = next((name for prefix, name in _PHASES if key.startswith(prefix)), "evaluation+report")
        phases[phase] = phases.get(phase, 0.0) + (step.end_time or 0) - (step.start_time or 0)
    return phases


def measure(leads: int, cache: Path) -> dict:
    full, delta = two_days_of_exports(
        cache, leads, SEED, FIRST_DAY, activity_scale=ACTIVITY_SCALE, progress=lambda _: None
    )
    work = Path(tempfile.mkdtemp(prefix=f"alert-latency-{leads}-"))
    landing, home = work / "landing", work / "dagster_home"
    shutil.copytree(full, landing, ignore=shutil.ignore_patterns(".complete"))
    home.mkdir()
    shutil.copy(REPOSITORY_ROOT / "orchestration" / "dagster_instance.yaml", home / "dagster.yaml")
    webhook = _Webhook()
    routes = work / "routes.yml"
    routes.write_text(
        "routes:\n  - {id: bench, channel: webhook, target_variable: BENCH_ALERT_URL}\n", encoding="utf-8"
    )
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "LEAD_WAREHOUSE_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "LEAD_WAREHOUSE_LANDING_DIR": str(landing),
        "LEAD_WAREHOUSE_REPORTS_DIR": str(work / "reports"),
        "LEAD_WAREHOUSE_MODELS_DIR": str(work / "models"),
        "LEAD_WAREHOUSE_DBT_VARS": json.dumps({"scoring_as_of": NEXT_DAY.isoformat()}),
        "LEAD_WAREHOUSE_ALERT_ROUTES": str(routes),
        "BENCH_ALERT_URL": webhook.url,
    }
    daemon = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-m", "orchestration.definitions"],
        cwd=REPOSITORY_ROOT,
        env=environment,
        stdout=(work / "daemon.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        instance = DagsterInstance.get()
        print(f"{leads:,} leads: waiting for the sensor's first refresh (full export) ...", flush=True)
        _wait_for_runs(instance, 1)
        first_alerts = len(webhook.arrivals)
        # Moved in under names no profile matches, then renamed: the sensor never sees half a file.
        for path in sorted(delta.glob("*.csv")):
            shutil.copyfile(path, landing / f".{path.name}.part")
        started = time.time()
        for path in sorted(delta.glob("*.csv")):
            os.replace(landing / f".{path.name}.part", landing / path.name)
        print(f"{leads:,} leads: delta landed; waiting for its alert ...", flush=True)
        runs = _wait_for_runs(instance, 2)
        if len(webhook.arrivals) == first_alerts:
            raise RuntimeError("the delta's refresh sent no new alert: nothing to time")
        first_arrival = min(at for at, _ in webhook.arrivals[first_alerts:])
        record = max(
            (instance.get_run_record_by_id(run.run_id) for run in runs),
            key=lambda record: record.create_timestamp,
        )
        run = record.dagster_run
        return {
            "leads": leads,
            "landing_to_alert_s": round(first_arrival - started, 1),
            "sensor_wait_s": round(record.start_time - started, 1),
            **{
                f"{phase}_s": round(seconds, 1)
                for phase, seconds in _step_seconds(instance, run.run_id).items()
            },
            "new_alerts": len(webhook.arrivals) - first_alerts,
        }
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
        webhook.server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.alert_latency", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated lead counts")
    parser.add_argument("--cache", type=Path, default=BENCH_DIR / ".cache")
    args = parser.parse_args(argv)
    results = [measure(int(size), args.cache) for size in args.sizes.split(",")]
    for result in results:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
