"""A tiny run of the benchmark harness (the real sizes run with `make bench`, never in CI)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.run import main

ROOT = Path(__file__).resolve().parents[1]


def test_bench_harness_runs_checks_the_baseline_and_writes_records(tmp_path, capsys):
    out = tmp_path / "latest.json"
    arguments = ["--sizes", "150", "--repeats", "1", "--cache", str(tmp_path / "cache"), "--out", str(out)]
    assert main(arguments) == 0  # non-zero when the baseline's scores differ from the marts
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["leads"], r["stage"]) for r in records] == [
        (0, "fixed_overhead"),
        (150, "full"),
        (150, "incremental"),
        (150, "baseline"),
    ]
    for record in records:
        assert record["wall_s"] > 0 and record["peak_rss_mb"] > 0
    full, incremental, baseline = records[1:]
    assert full["rows"] > 150 * 20 and 0 < incremental["rows"] < full["rows"] / 10
    assert baseline["differing_leads"] == 0 and full["raw_load_s"] > 0 and full["dbt_build_s"] > 0
    # Publishing is part of a refresh: the copy into the build file and the swap are timed too.
    assert incremental["copy_s"] > 0 and incremental["publish_s"] > 0
    assert {"node_s_staging", "node_s_intermediate", "node_s_marts", "node_s_test"} <= set(full)
    printed = capsys.readouterr().out
    assert "full/baseline" in printed and "incr/full" in printed and "identical" in printed
    assert "intermediate" in printed and "publish_s" in printed


# Run in a fresh process: a pytest worker may already have grown past what the test grows to.
_STAGE_THAT_GROWS = """
import json, os, resource, subprocess, sys
from bench.stage import run_launched, start_launcher
launcher = start_launcher()  # forked while the stage is small
grown = bytearray(400 * 1024 * 1024)
grown[::4096] = b"x" * len(grown[::4096])  # every page touched, so resident (as the loader grows)
command = [sys.executable, "-c", "b = bytearray(150 * 1024 * 1024); b[::4096] = b'y' * len(b[::4096])"]
peak = run_launched(launcher, command, dict(os.environ))
try:
    run_launched(start_launcher(), [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    failed = None
except subprocess.CalledProcessError as error:
    failed = error.returncode
print(json.dumps([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, peak, failed]))
"""


def test_a_command_run_through_the_launcher_reports_its_own_peak_not_the_stage_s():
    out = subprocess.run(
        [sys.executable, "-c", _STAGE_THAT_GROWS], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    stage_peak, command_peak, failed_with = json.loads(out)
    # A command forked after the stage grew would report the stage's 400+ MiB as its own.
    assert stage_peak > 400 and 150 < command_peak < 300
    assert failed_with == 3  # a failing command raises, as subprocess.run(check=True) does


_KEPT: list[bytearray] = []


def generate_and_keep(megabytes: int) -> int:
    """Stands in for the export generator: memory it does not give back, and the process it ran in."""
    kept = bytearray(megabytes * 1024 * 1024)
    kept[::4096] = b"x" * len(kept[::4096])  # every page touched, so resident
    _KEPT.append(kept)
    return os.getpid()


# A fresh process again: what a stage started next reports depends on the bench's own size.
_BENCH_AFTER_GENERATING = """
import json, os, subprocess, sys
from bench.run import in_own_process
from tests.test_bench_smoke import generate_and_keep
def stage_peak():
    probe = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    started = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return float(started.stdout)
before = stage_peak()
generated_by = in_own_process(generate_and_keep, 400)
print(json.dumps([generated_by, os.getpid(), before, stage_peak()]))
"""


def test_exports_are_generated_apart_so_a_stage_started_next_reports_its_own_peak():
    out = subprocess.run(
        [sys.executable, "-c", _BENCH_AFTER_GENERATING], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    generated_by, bench, peak_before, peak_after = json.loads(out)
    assert generated_by != bench
    # Generated in the bench's own process, the 400 MiB it keeps would be the stage's starting peak.
    # A stage started before generating starts at the bench's imports (about 176 MiB here): the
    # generator must add nothing to that.
    assert peak_after < 200
    assert peak_after - peak_before < 100
