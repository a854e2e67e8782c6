"""A tiny run of the benchmark harness (the real sizes run with `make bench`, never in CI)."""

import json

from bench.run import main


def test_bench_harness_runs_and_writes_records(tmp_path, capsys):
    out = tmp_path / "latest.json"
    assert (
        main(["--sizes", "150", "--repeats", "1", "--cache", str(tmp_path / "cache"), "--out", str(out)]) == 0
    )
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["leads"], r["stage"]) for r in records] == [(150, "full"), (150, "incremental")]
    for record in records:
        assert record["wall_s"] > 0 and record["peak_rss_mb"] > 0 and record["raw_rows"] > 150
    assert "incr/full" in capsys.readouterr().out
