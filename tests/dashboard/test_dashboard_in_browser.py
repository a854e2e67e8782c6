"""The dashboard in a real browser: Debian's chromium, driven by Playwright (never a downloaded
browser), opens every page of the Streamlit app served on a built warehouse and reads the figures a
reader acts on; each must equal the marts. Screenshots are kept in test-output/dashboard/."""

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, sync_playwright

from dashboard.__main__ import serve_command
from lead_evaluation import ab_testing, backtest
from lead_evaluation.settings import load_settings
from tests.fixtures.debian_packages import install_debian_packages
from warehouse_core.settings import REPOSITORY_ROOT, WAREHOUSE_PATH_VARIABLE

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPOSITORY_ROOT / "test-output" / "dashboard"
# Streamlit renders after the page loads: wait for text, never a fixed delay.
RENDER_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's chromium and Japanese fonts, installed when missing (CI is root on a fresh machine)."""
    if not CHROMIUM.exists():
        install_debian_packages("chromium", "fonts-noto-cjk")
    return CHROMIUM


@pytest.fixture(scope="module")
def dashboard_warehouse(built_warehouse, tmp_path_factory) -> Path:
    """The built warehouse with the evaluation job's A/B test and backtest marts, as a refresh leaves it."""
    database = tmp_path_factory.mktemp("dashboard") / "warehouse.duckdb"
    shutil.copy(built_warehouse, database)
    with duckdb.connect(str(database)) as connection:
        backtest.publish_backtest(
            connection, backtest.run_backtest(connection, load_settings(connection), [])
        )
        ab_testing.publish_ab_tests(connection, ab_testing.run_ab_tests(connection))
        # No alert was delivered in the test build: give the reps undelivered alerts to show.
        connection.execute(
            "update marts.mart_sla_compliance_monthly set handoffs_alert_undelivered = sla_missed "
            "where breakdown = 'by_owner'"
        )
    return database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(dashboard_warehouse) -> str:
    port = _free_port()
    log = dashboard_warehouse.with_name("streamlit.log")
    server = subprocess.Popen(
        serve_command("127.0.0.1", port),
        cwd=REPOSITORY_ROOT,
        env={**os.environ, WAREHOUSE_PATH_VARIABLE: str(dashboard_warehouse)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def page(chromium, dashboard_url):
    """A browser page that may reach the dashboard's server only: any other request (a font, a script
    or a chart library from the internet) is refused and makes the test fail."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    outside = []

    def only_the_dashboard(route):
        if route.request.url.startswith(dashboard_url) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.route("**/*", only_the_dashboard)
        yield page
        browser.close()
    assert outside == [], f"the dashboard fetched from outside: {outside}"


def _open(page: Page, url: str, ready_text: str, screenshot: str) -> None:
    page.goto(url)
    page.get_by_text(ready_text, exact=False).first.wait_for(timeout=RENDER_TIMEOUT_MS)
    # Charts draw after the text: wait until Streamlit reports no script running.
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=RENDER_TIMEOUT_MS)
    page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)
    errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.all_inner_texts()


def _metric(page: Page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    metric.wait_for(timeout=RENDER_TIMEOUT_MS)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _table_row(page: Page, first_cell: str) -> list[str]:
    """The cells of the st.table row whose index cell is ``first_cell``."""
    index_cell = page.locator("th", has_text=re.compile(f"^\\s*{re.escape(first_cell)}\\s*$"))
    row = page.locator('[data-testid="stTable"] tr').filter(has=index_cell).first
    row.wait_for(timeout=RENDER_TIMEOUT_MS)
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def _marts(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_executive_page_shows_the_latest_months_kpis(page, dashboard_url, dashboard_warehouse):
    _open(page, dashboard_url, "KPI推移 KPI trend", "executive")
    [(leads, mqls, sqls, won)] = _marts(
        dashboard_warehouse,
        "select new_leads, mqls, sqls, won_deals from marts.mart_kpi_monthly where channel_code = 'all' "
        "and kpi_month + interval 1 month <= (select max(scored_as_of) from marts.fct_lead_scores) + 1 "
        "order by kpi_month desc limit 1",
    )
    assert mqls > 0
    assert _metric(page, "新規リード Leads") == f"{leads:,}"
    assert _metric(page, "MQL（引き渡し） Handoffs") == f"{mqls:,}"
    assert _metric(page, "SQL SQLs") == f"{sqls:,}"
    assert _metric(page, "受注 Won") == f"{won:,}"


def test_marketing_page_shows_band_conversion_ab_tests_and_backtests(
    page, dashboard_url, dashboard_warehouse
):
    _open(page, f"{dashboard_url}/marketing", "スコア帯別の受注率 Conversion by score band", "marketing")
    bands = _marts(
        dashboard_warehouse,
        "select score_band_label_ja, leads, won from marts.mart_score_band_conversion order by sort_order",
    )
    assert sum(leads for _, leads, _ in bands) > 0
    for band_label, leads, won in bands:
        assert _table_row(page, band_label)[:2] == [f"{leads:,}", f"{won:,}"], band_label
    [(test_id, verdict)] = _marts(
        dashboard_warehouse,
        "select test_id, verdict_ja from marts.mart_ab_test_results order by test_id limit 1",
    )
    assert _table_row(page, test_id)[-1] == verdict
    [(score_name, backtest_leads)] = _marts(
        dashboard_warehouse,
        "select score_name, leads from marts.mart_backtest_summary order by score_name limit 1",
    )
    assert _table_row(page, score_name)[0] == f"{backtest_leads:,}"


def test_sales_page_lists_hot_leads_overdue_handoffs_and_the_sla_by_rep(
    page, dashboard_url, dashboard_warehouse
):
    _open(page, f"{dashboard_url}/sales", "担当者別SLA SLA by rep", "sales")
    [(hot,)] = _marts(
        dashboard_warehouse,
        "select count(*) from marts.fct_lead_scores where is_score_qualified and not is_disqualified",
    )
    [(overdue,)] = _marts(
        dashboard_warehouse, "select count(*) from marts.fct_sla_lead_response where is_overdue"
    )
    assert hot > 0
    assert _metric(page, "ホットリード Hot leads") == f"{hot:,}"
    page.get_by_text(f"対応期限切れの引き渡し Overdue handoffs: {overdue:,}").wait_for()
    # The default period is the last six handoff months; reps appear by name, not by id.
    [(rep, handoffs, met, undelivered)] = _marts(
        dashboard_warehouse,
        "with period as (select max(handoff_month) - interval 5 month as first_month "
        "from marts.mart_sla_compliance_monthly) "
        "select reps.user_name, sum(sla.handoffs), sum(sla.sla_met), sum(sla.handoffs_alert_undelivered) "
        "from marts.mart_sla_compliance_monthly as sla join marts.dim_sales_reps as reps "
        "on sla.owner_user_id = reps.user_id, period "
        "where sla.breakdown = 'by_owner' and sla.handoff_month >= period.first_month "
        "group by 1 order by 2 desc, 1 limit 1",
    )
    cells = _table_row(page, rep)
    assert cells[:2] == [f"{handoffs:,}", f"{met:,}"] and undelivered > 0
    assert cells[-1] == f"{undelivered:,}"


def test_lead_page_shows_the_score_its_lines_and_history(page, dashboard_url, dashboard_warehouse):
    [(lead_id, total_score, owner)] = _marts(
        dashboard_warehouse,
        "select lead_id, total_score, owner_name from marts.fct_lead_scores "
        "where owner_name is not null order by total_score desc, lead_id limit 1",
    )
    _open(page, f"{dashboard_url}/lead?lead_id={lead_id}", "スコア履歴 Score history", "lead")
    assert _metric(page, "合計スコア Total score") == f"{total_score:.2f}"
    assert _metric(page, "担当者 Owner") == owner


def test_an_open_dashboard_shows_a_newly_published_warehouse(page, dashboard_url, dashboard_warehouse):
    """A refresh publishes by replacing the file (export_loader/publish.py): the open page is not in
    its way, and the next load shows the new figures, not cached ones."""
    _open(page, f"{dashboard_url}/sales", "担当者別SLA SLA by rep", "sales_before_publish")
    [(hot,)] = _marts(
        dashboard_warehouse,
        "select count(*) from marts.fct_lead_scores where is_score_qualified and not is_disqualified",
    )
    assert _metric(page, "ホットリード Hot leads") == f"{hot:,}"
    published = dashboard_warehouse.with_name("published.duckdb")
    shutil.copy(dashboard_warehouse, published)
    with duckdb.connect(str(published)) as connection:
        connection.execute(
            "delete from marts.fct_lead_scores where lead_id = (select min(lead_id) "
            "from marts.fct_lead_scores where is_score_qualified and not is_disqualified)"
        )
    os.replace(published, dashboard_warehouse)
    _open(page, f"{dashboard_url}/sales", "担当者別SLA SLA by rep", "sales_after_publish")
    assert _metric(page, "ホットリード Hot leads") == f"{hot - 1:,}"
