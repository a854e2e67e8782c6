"""One refresh at a time: overlapping, waiting and killed runs, with real refresh processes.

The first run is paused (SIGSTOP to its process group) while it is inside its dbt build, so the
overlap is the same on every machine: a second run cannot start, a third waits, and the published
warehouse is whole. Runs killed with SIGKILL while loading, in dbt (leaving dbt orphaned), in the
evaluation and just before publishing leave the warehouse readable, and the next run succeeds.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from export_loader import run_lock
from orchestration.dbt_command import dbt_target_dir
from tests.fixtures.refresh_runs import IN_DBT, finish, refresh_environment, start_refresh, wait_for_text

_HOLDER = """
import sys, time
from pathlib import Path
from export_loader import run_lock
from orchestration.project import dbt_project
run_lock.acquire(Path(sys.argv[1]), "holder-run")
print("locked", flush=True)
time.sleep(600)
"""


def test_a_held_lock_names_its_run_and_a_killed_holder_frees_it(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(run_lock.RunLockedError, match="holder-run") as refused:
            run_lock.acquire(warehouse, "second-run", wait=0)
        assert f"process {holder.pid}" in str(refused.value)
        assert run_lock.held_by(warehouse) is None
    finally:
        holder.kill()
        holder.wait()
    # The OS dropped the dead process's lock: nobody has to delete a file.
    run_lock.acquire(warehouse, "third-run", wait=0)
    assert run_lock.held_by(warehouse) == "third-run"
    assert run_lock.holder(warehouse)["pid"] == os.getpid()
    run_lock.release(warehouse)
    assert run_lock.held_by(warehouse) is None and run_lock.holder(warehouse) is None


def _whole(warehouse: Path) -> dict[str, int]:
    """Lead counts at each layer of the published warehouse: equal when every load reached the marts."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            layer: connection.sql(f"select count(distinct lead_id) from {table}").fetchall()[0][0]
            for layer, table in (
                ("raw", "raw.crm_leads"),
                ("staging", "staging.stg_crm__leads"),
                ("marts", "marts.dim_leads"),
                ("scores", "marts.fct_lead_scores"),
            )
        }


def _new_leads_file(landing: Path) -> int:
    """A delta of two new leads, in the same export as crm_leads.csv."""
    header, first = (landing / "crm_leads.csv").read_text(encoding="utf-8").splitlines()[:2]
    rows = [first.replace('"L0', f'"LX{n}', 1) for n in (1, 2)]
    (landing / "crm_leads_delta.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return len(rows)


def test_overlapping_refreshes_publish_a_whole_warehouse(tmp_path, sample_landing):
    landing = tmp_path / "landing"
    shutil.copytree(sample_landing, landing)
    environment = refresh_environment(tmp_path, landing)
    warehouse = Path(environment["LEAD_WAREHOUSE_DUCKDB_PATH"])

    first_log = tmp_path / "first.log"
    first = start_refresh(environment, first_log)
    wait_for_text(first_log, IN_DBT, first)
    os.killpg(first.pid, signal.SIGSTOP)
    added = _new_leads_file(landing)
    try:
        second_log = tmp_path / "second.log"
        code, output = finish(start_refresh(environment, second_log), second_log)
        assert code != 0
        assert "one refresh runs at a time" in output and "did not publish" in output
        holder = run_lock.holder(warehouse)
        assert holder["pid"] == first.pid and holder["run_id"] in output
        third_log = tmp_path / "third.log"
        third = start_refresh(environment, third_log, wait_seconds=600)
        wait_for_text(third_log, "Waiting for run", third)
    except BaseException:
        _kill_group(first.pid)
        raise
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    code, output = finish(first, first_log)
    assert code == 0, output
    counts = _whole(warehouse)
    assert len(set(counts.values())) == 1, counts  # the paused run's own loads, all the way through

    code, output = finish(third, third_log)
    assert code == 0, output
    after = _whole(warehouse)
    assert set(after.values()) == {counts["raw"] + added}, after
    assert not list(tmp_path.glob("warehouse.building.*"))


# A moment in each phase of a run, as its log shows it: loading, dbt, and after dbt the report (the step
# before publishing; like the evaluation steps before it, Python writing the build file).
KILL_MOMENTS = (" - raw__crm_accounts - ", IN_DBT, " - reports__weekly_html_report - ")


def test_a_refresh_killed_in_any_phase_leaves_the_warehouse_and_the_next_run_succeeds(
    tmp_path, sample_landing
):
    landing = tmp_path / "landing"
    shutil.copytree(sample_landing, landing)
    environment = refresh_environment(tmp_path, landing)
    warehouse = Path(environment["LEAD_WAREHOUSE_DUCKDB_PATH"])
    log = tmp_path / "first.log"
    code, output = finish(start_refresh(environment, log), log)
    assert code == 0, output
    published = _whole(warehouse)
    added = _new_leads_file(landing)

    target = dbt_target_dir()
    folders_before = set(target.iterdir())
    killed_runs = []
    try:
        for number, moment in enumerate(KILL_MOMENTS):
            killed_log = tmp_path / f"killed_{number}.log"
            killed_runs.append(start_refresh(environment, killed_log))
            wait_for_text(killed_log, moment, killed_runs[-1])
            killed_runs[-1].send_signal(signal.SIGKILL)  # the parent only: dbt may live on, orphaned
            killed_runs[-1].wait()
            # Readable and whole: the last good warehouse (or, killed after its swap, the new one).
            counts = _whole(warehouse)
            assert counts in (published, dict.fromkeys(published, published["raw"] + added)), moment

        next_log = tmp_path / "next.log"
        code, output = finish(start_refresh(environment, next_log), next_log)
        assert code == 0, output
        assert set(_whole(warehouse).values()) == {published["raw"] + added}
    finally:
        for run in killed_runs:
            _kill_group(run.pid)
        # A killed run cannot clean its dbt target folder (dagster-dbt makes one per run).
        for folder in set(target.iterdir()) - folders_before:
            shutil.rmtree(folder, ignore_errors=True)


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
