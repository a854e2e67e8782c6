"""``make bench``: time the pipeline against a hand-written DuckDB baseline at several sizes.

For each size (leads; about 50 web and email events per lead), two days of exports are generated
once, in a process of their own (in_own_process), and cached under bench/.cache (bench/exports.py):
the first day's full export and the next day's delta. Stages, each run ``--repeats`` times in a
fresh process whose peak memory is its own:
  full         raw load + dbt build of the first day's exports into an empty warehouse
  incremental  the next day's delta loaded and built on top of the warehouse the full stage left
Both run as a refresh does: into a copy of the warehouse (copy_s; a clone on a file system with
reflinks, see --work), published by a rename (publish_s).
  baseline     bench/baseline.sql: the same scores straight from the first day's files, in one process
The baseline's scores are checked identical to the marts after the full stage and after the
incremental one (on both days' files). A run on empty exports measures the fixed overhead (process
start, imports, dbt's start and one pass over every model and test). Printed: median wall time,
rows/s (export rows read / wall), peak memory, and the ratios full / baseline and incremental / full;
the same records go to bench/results/latest.json for comparison across commits.
"""

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from bench.exports import two_days_of_exports
from bench.stage import discard
from export_loader.publish import copy_file
from sample_exports.generator import EXPORTS
from warehouse_core import settings

BENCH_DIR = Path(__file__).resolve().parent
FIRST_DAY = date(2026, 10, 31)
NEXT_DAY = FIRST_DAY + timedelta(days=1)
SEED = 7
# DuckDB's memory limit and dbt's threads when the environment does not set them: 3 GB (the 4 GB
# budget per process less Python and dbt) and 4 threads; from 1M leads 3500 MB and 2 threads, because
# under 3 GB the largest scoring models ran out of memory there, and with 3500 MB every process of a
# stage stays within 4 GiB (README, Benchmarks).
LARGE_SIZE = 1_000_000
RESOURCE_DEFAULTS = {
    "LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT": ("3GB", "3500MB"),
    "LEAD_WAREHOUSE_DBT_THREADS": ("4", "2"),
}
# Activity scale that gives about 50 events per lead together with the email events.
ACTIVITY_SCALE = 4.5


def _csv_rows(folder: Path) -> int:
    """Data rows in a folder's CSV exports (lines minus headers; the generator writes no line breaks
    inside values)."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b"")) - 1
    return total


def in_own_process(function, *args, **kwargs):
    """``function(*args, **kwargs)`` in a fresh interpreter that ends with it. Linux starts a child's
    peak RSS at its parent's RSS when it forks it, and what the export generator allocates is not all
    given back: stages a bench started after generating 1M leads' exports itself reported 2,872 MiB
    for a loader that needs a few hundred."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _timed(command: list[str], accepted: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB, of the process and the processes it waited for) and stdout; an exit
    status outside ``accepted`` stops the bench."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in accepted:
        raise subprocess.CalledProcessError(process.returncode, command, output)
    return wall, usage.ru_maxrss / 1024, output


def _stage(landing: Path, database: Path, as_of: date) -> tuple[float, float, dict]:
    wall, peak, output = _timed(
        [sys.executable, "-m", "bench.stage", str(landing), str(database), as_of.isoformat()]
    )
    return wall, peak, json.loads(output.strip().splitlines()[-1])


def _baseline(as_of: date, landings: list[Path], check: Path | None = None) -> tuple[float, float, dict]:
    command = [sys.executable, "-m", "bench.baseline", as_of.isoformat(), *map(str, landings)]
    # Exit 1 is a check that found differing leads: counted, reported, and the bench fails at the end.
    wall, peak, output = _timed(command + (["--check", str(check)] if check else []), accepted=(0, 1))
    return wall, peak, json.loads(output.strip().splitlines()[-1])


def _record(leads: int, stage: str, runs: list[tuple], rows: int, extra: dict | None = None) -> dict:
    wall = statistics.median(run[0] for run in runs)
    record = {
        "leads": leads,
        "stage": stage,
        "wall_s": round(wall, 2),
        "rows": rows,
        "rows_per_s": round(rows / wall),
        "peak_rss_mb": round(max(run[1] for run in runs)),
        "repeats": len(runs),
    }
    # A stage's own figures (node seconds, peaks); never one that would replace the record's size or name.
    for key in sorted({key for run in runs for key in run[2]} - set(record)):
        if all(key in run[2] for run in runs):
            record[key] = round(statistics.median(run[2][key] for run in runs), 2)
    return {**record, **(extra or {})}


def bench_size(leads: int, repeats: int, cache: Path, work: Path) -> list[dict]:
    # The generator reports its progress on stderr (1M leads take minutes).
    first_day, next_day = in_own_process(
        two_days_of_exports, cache, leads, SEED, FIRST_DAY, activity_scale=ACTIVITY_SCALE
    )
    database, after_full = work / f"bench-{leads}.duckdb", work / f"bench-{leads}-first-day.duckdb"
    full_runs, incremental_runs, baseline_runs = [], [], []
    for repeat in range(repeats):
        print(f"{leads:,} leads, run {repeat + 1}/{repeats}: full", file=sys.stderr, flush=True)
        discard(database)
        full_runs.append(_stage(first_day, database, FIRST_DAY))
        copy_file(database, after_full)
        # Checked before the next day's build: on Spark the first day's views read files that build
        # may remove once the warehouse no longer reads them.
        print(f"{leads:,} leads, run {repeat + 1}/{repeats}: baseline", file=sys.stderr, flush=True)
        baseline_runs.append(_baseline(FIRST_DAY, [first_day], check=after_full))
        print(f"{leads:,} leads, run {repeat + 1}/{repeats}: incremental", file=sys.stderr, flush=True)
        incremental_runs.append(_stage(next_day, database, NEXT_DAY))
    checked_next_day = _baseline(NEXT_DAY, [first_day, next_day], check=database)[2]
    differing = max(run[2]["differing_leads"] for run in baseline_runs) + checked_next_day["differing_leads"]
    for path in (database, after_full):
        discard(path)
    full_rows, delta_rows = _csv_rows(first_day), _csv_rows(next_day)
    return [
        _record(leads, "full", full_runs, full_rows),
        _record(leads, "incremental", incremental_runs, delta_rows),
        _record(leads, "baseline", baseline_runs, full_rows, {"differing_leads": differing}),
    ]


def fixed_overhead(repeats: int, work: Path) -> dict:
    """The full stage on exports with a header and no rows: what any run costs whatever its size."""
    empty = work / "empty-exports"
    shutil.rmtree(empty, ignore_errors=True)
    empty.mkdir(parents=True)
    for name, columns in EXPORTS.items():
        (empty / f"{name}.csv").write_text(
            ",".join(f'"{column}"' for column in columns) + "\n", encoding="utf-8"
        )
    runs = []
    for _ in range(repeats):
        database = work / "bench-empty.duckdb"
        discard(database)
        runs.append(_stage(empty, database, FIRST_DAY))
        discard(database)
    return _record(0, "fixed_overhead", runs, 0)


def render_steps(records: list[dict]) -> str:
    """Where each stage's time goes: the refresh's steps and dbt's node-seconds by layer (nodes run in
    parallel, so node-seconds add up to more than the build's wall time)."""
    columns = sorted({key for r in records for key in r if key.endswith("_s") or key.startswith("node_s_")})
    columns = [c for c in ("copy_s", "raw_load_s", "dbt_build_s", "publish_s") if c in columns] + [
        c for c in columns if c.startswith("node_s_")
    ]
    header = f"{'leads':>10} {'stage':<15} " + " ".join(f"{c.removeprefix('node_s_'):>13}" for c in columns)
    lines = [header]
    for r in records:
        if r["stage"] in ("full", "incremental", "fixed_overhead"):
            cells = " ".join(f"{r[c]:>13.2f}" if c in r else f"{'-':>13}" for c in columns)
            lines.append(f"{r['leads']:>10,} {r['stage']:<15} {cells}")
    return "\n".join(lines)


def render(records: list[dict]) -> str:
    walls = {(r["leads"], r["stage"]): r["wall_s"] for r in records}
    header = f"{'leads':>10} {'stage':<15} {'wall_s':>8} {'rows/s':>11} {'peak_MB':>8} {'ratio':>22}"
    lines = [header]
    for r in records:
        ratio = ""
        if r["stage"] == "full" and (r["leads"], "baseline") in walls:
            ratio = f"full/baseline {r['wall_s'] / walls[(r['leads'], 'baseline')]:.2f}"
        elif r["stage"] == "incremental":
            ratio = f"incr/full {r['wall_s'] / walls[(r['leads'], 'full')]:.3f}"
        elif r["stage"] == "baseline":
            ratio = "identical" if r["differing_leads"] == 0 else f"{r['differing_leads']} leads DIFFER"
        lines.append(
            f"{r['leads']:>10,} {r['stage']:<15} {r['wall_s']:>8.2f} {r['rows_per_s']:>11,} "
            f"{r['peak_rss_mb']:>8,} {ratio:>22}"
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
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the records of other sizes already in --out (to run sizes separately)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="where the bench's warehouses are built (default: warehouses under --cache); on XFS or "
        "Btrfs a run's build file is a clone of the warehouse instead of a copy",
    )
    args = parser.parse_args(argv)
    work = args.work or args.cache / "warehouses"
    work.mkdir(parents=True, exist_ok=True)
    chosen = {name for name in RESOURCE_DEFAULTS if os.environ.get(name)}
    records = []
    for leads in [0, *(int(size) for size in args.sizes.split(","))]:
        for name, (default, large) in RESOURCE_DEFAULTS.items():
            if name not in chosen:
                os.environ[name] = large if leads >= LARGE_SIZE else default
        print(
            f"{platform.node()}: {os.cpu_count()} cores; engine {settings.engine()}; {leads:,} leads with "
            "DuckDB threads "
            f"{os.environ.get('LEAD_WAREHOUSE_DUCKDB_THREADS', 'all')}, memory limit "
            f"{os.environ['LEAD_WAREHOUSE_DUCKDB_MEMORY_LIMIT']}, dbt threads "
            f"{os.environ['LEAD_WAREHOUSE_DBT_THREADS']}",
            flush=True,
        )
        if leads == 0:
            records.append(fixed_overhead(args.repeats, work))
            continue
        records.extend(bench_size(leads, args.repeats, args.cache, work))
        print(render(records), flush=True)
        print(render_steps(records), flush=True)
    if args.keep and args.out.exists():
        sizes = {(record["leads"], record["stage"]) for record in records}
        kept = [
            r
            for r in json.loads(args.out.read_text(encoding="utf-8"))
            if (r["leads"], r["stage"]) not in sizes
        ]
        records = sorted(kept + records, key=lambda record: record["leads"])
        print(render(records), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    differing = sum(r.get("differing_leads", 0) for r in records)
    print(f"results written to {args.out}")
    if differing:
        print(f"the baseline and the marts disagree on {differing} leads", file=sys.stderr)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
