"""A tiny run of the benchmark harness (the real sizes run with `make bench`, never in CI)."""

import json

from bench.run import main


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
