"""The demo reproduces: `make demo`'s exports and scores are as of a fixed date, so its backtest prints
the same figures on any day, and those are the figures the README shows."""

import re
import subprocess
import sys

import duckdb

from tests.fixtures.refresh_runs import finish, refresh_environment, start_refresh
from warehouse_core.settings import REPOSITORY_ROOT

README_SCORES = {
    "current rules": "current",
    "predictive (gradient boosting)": "predictive",
    "blended (0.7 rules + 0.3 predictive)": "blended",
    "rule points fitted from outcomes": "suggested_rules",
    "fitted scorecard (39 rules)": "fitted_scorecard",
}


def _make_setting(name: str) -> str:
    match = re.search(rf"^{name} \?= (\S+)$", (REPOSITORY_ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"no {name} in the Makefile"
    return match.group(1)


def _readme_demo_figures() -> tuple[tuple[int, ...], dict[str, tuple[str, ...]]]:
    readme = (REPOSITORY_ROOT / "README.md").read_text(encoding="utf-8")
    counts = re.search(
        r"On the demo data \(([\d,]+) leads, ([\d,]+) mature, ([\d,]+) won; test = the ([\d,]+) most", readme
    )
    assert counts, "the README's demo sentence moved"
    rows = {}
    for label, score in README_SCORES.items():
        row = re.search(
            rf"^\| {re.escape(label)} \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", readme, re.M
        )
        assert row, f"no README row for {label}"
        rows[score] = tuple(cell.strip() for cell in row.groups())
    return tuple(int(value.replace(",", "")) for value in counts.groups()), rows


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def test_the_demo_prints_the_figures_the_readme_shows(tmp_path):
    landing, as_of = tmp_path / "landing", _make_setting("DEMO_AS_OF")
    subprocess.run(
        [sys.executable, "-m", "sample_exports", "generate", "--leads", _make_setting("LEADS")]
        + ["--seed", _make_setting("SEED"), "--as-of", as_of, "--out", str(landing)],
        cwd=REPOSITORY_ROOT,
        check=True,
        capture_output=True,
    )
    environment = refresh_environment(tmp_path, landing)
    log = tmp_path / "demo.log"
    code, output = finish(start_refresh(environment, log, arguments=("--as-of", as_of, "--retrain")), log)
    assert code == 0, output[-3000:]
    with duckdb.connect(environment["LEAD_WAREHOUSE_DUCKDB_PATH"], read_only=True) as connection:
        summary = {
            row[0]: row[1:]
            for row in connection.sql(
                "select score_name, leads, won, test_leads, test_auc, test_calibration_error, "
                "precision_at_mql, recall_at_mql from marts.mart_backtest_summary"
            ).fetchall()
        }
        leads = connection.sql("select count(*) from marts.dim_leads").fetchall()[0][0]
    counts, rows = _readme_demo_figures()
    mature, won, test_leads = summary["current"][:3]
    printed = {
        score: tuple(_figure(value) for value in summary[score][3:]) for score in README_SCORES.values()
    }
    assert (leads, mature, won, test_leads) == counts
    assert printed == rows
