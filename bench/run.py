"""``make bench``: time the pipeline at several sizes and print median figures.

For each size (leads; about 50 web and email events per lead), sample exports are generated once
and cached under bench/.cache. Stages, each run ``--repeats`` times in a fresh process:
  full         raw load + dbt build into an empty warehouse
  incremental  the next day's exports (one more day of events) loaded and built on top of the
               warehouse the full stage left
Printed: wall time (median), rows/s (raw rows / wall time), peak memory of the stage process, and
the incremental / full ratio; the same records go to bench/results/latest.json.
"""

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from sample_exports.generator import generate

BENCH_DIR = Path(__file__).resolve().parent
AS_OF = date(2026, 10, 31)
SEED = 7
# Activity scale that gives about 50 events per lead together with the email events.
ACTIVITY_SCALE = 4.5


def _exports(cache: Path, leads: int, as_of: date) -> Path:
    landing = cache / f"{leads}-{SEED}-{as_of.isoformat()}"
    if not (landing / ".complete").exists():
        shutil.rmtree(landing, ignore_errors=True)
        print(f"generating {leads:,} leads as of {as_of} (cached in {landing})", file=sys.stderr, flush=True)
        generate(landing, leads, SEED, as_of, activity_scale=ACTIVITY_SCALE, progress=lambda _: None)
        (landing / ".complete").touch()
    return landing


def _raw_rows(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return int(
            connection.sql("select sum(rows_read) from raw._file_loads where status = 'loaded'").fetchall()[
                0
            ][0]
        )


def _timed_stage(landing: Path, database: Path, as_of: date) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one stage run in a child process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.stage", str(landing), str(database), as_of.isoformat()],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak_kb / 1024


def bench_size(leads: int, repeats: int, cache: Path, work: Path) -> list[dict]:
    today, tomorrow = _exports(cache, leads, AS_OF), _exports(cache, leads, AS_OF + timedelta(days=1))
    records = []
    full_runs, incremental_runs = [], []
    for _ in range(repeats):
        database = work / f"bench-{leads}.duckdb"
        database.unlink(missing_ok=True)
        full_runs.append(_timed_stage(today, database, AS_OF))
        raw_rows = _raw_rows(database)
        incremental_runs.append(_timed_stage(tomorrow, database, AS_OF + timedelta(days=1)))
        database.unlink(missing_ok=True)
    for stage, runs in (("full", full_runs), ("incremental", incremental_runs)):
        wall = statistics.median(run[0] for run in runs)
        records.append(
            {
                "leads": leads,
                "stage": stage,
                "wall_s": round(wall, 2),
                "raw_rows": raw_rows,
                "rows_per_s": round(raw_rows / wall),
                "peak_rss_mb": round(max(run[1] for run in runs)),
                "repeats": repeats,
            }
        )
    return records


def render(records: list[dict]) -> str:
    lines = [f"{'leads':>10} {'stage':<12} {'wall_s':>8} {'rows/s':>10} {'peak_MB':>8} {'incr/full':>9}"]
    full = {r["leads"]: r["wall_s"] for r in records if r["stage"] == "full"}
    for record in records:
        ratio = f"{record['wall_s'] / full[record['leads']]:.2f}" if record["stage"] == "incremental" else ""
        lines.append(
            f"{record['leads']:>10,} {record['stage']:<12} {record['wall_s']:>8.2f} "
            f"{record['rows_per_s']:>10,} {record['peak_rss_mb']:>8,} {ratio:>9}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated lead counts")
    parser.add_argument("--repeats", type=int, default=3, help="runs per stage (median reported)")
    parser.add_argument(
        "--cache", type=Path, default=BENCH_DIR / ".cache", help="where generated exports are kept"
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "latest.json")
    args = parser.parse_args(argv)
    work = args.cache / "warehouses"
    work.mkdir(parents=True, exist_ok=True)
    records = []
    for leads in (int(size) for size in args.sizes.split(",")):
        records.extend(bench_size(leads, args.repeats, args.cache, work))
        print(render(records), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
