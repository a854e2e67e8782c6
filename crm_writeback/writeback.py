"""Write the import files of the leads whose score fields changed since the last write-back.

The fields written (FIELDS: the score rounded to a whole number, fit grade, band, buying stage, top
reasons, score-qualified; and the e-mail the CRM matches on) are fingerprinted per lead in a state
file beside the warehouse (``<warehouse>.crm_writeback.duckdb``); a lead goes into the next files only
when its fingerprint changed, so a day of decay that moves no whole point writes nothing. The files
carry e-mail addresses (the CRMs match on them): they leave the marts' privacy boundary on purpose,
to the folder LEAD_WAREHOUSE_WRITEBACK_DIR names, never into the warehouse.
"""

import csv
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from filelock import FileLock

from crm_writeback.formats import FIELDS, FORMATS

FOLDER_VARIABLE = "LEAD_WAREHOUSE_WRITEBACK_DIR"
STATE_TABLE = "written_fields"

SCORE_FIELDS = """
select
    scores.lead_id,
    leads.email,
    cast(round(scores.total_score) as integer) as lead_score,
    scores.fit_grade,
    scores.score_band,
    scores.buying_stage,
    scores.top_reasons,
    scores.is_score_qualified,
    cast(scores.scored_as_of as varchar) as scored_as_of
from marts.fct_lead_scores as scores
left join staging.stg_crm__leads as leads on scores.lead_id = leads.lead_id
order by scores.lead_id
"""


@dataclass
class WritebackResult:
    changed_leads: int = 0
    files: dict[str, int] = field(default_factory=dict)  # path -> rows
    skipped: dict[str, int] = field(default_factory=dict)  # format -> rows without its key

    def describe(self) -> str:
        if not self.changed_leads:
            return "no lead's score fields changed since the last write-back: no file written"
        written = ", ".join(f"{Path(path).name} ({rows:,} rows)" for path, rows in self.files.items())
        skipped = "".join(
            f"; {rows:,} left out of {name} (no key)" for name, rows in self.skipped.items() if rows
        )
        return f"{self.changed_leads:,} leads changed: {written}{skipped}"


def state_file_for(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.crm_writeback{warehouse.suffix}")


def default_folder(warehouse: Path) -> Path:
    return Path(os.environ.get(FOLDER_VARIABLE) or warehouse.parent / "writeback")


def _fingerprint(row: dict) -> str:
    return "\x1f".join("" if row.get(name) is None else str(row[name]) for name in ["email", *FIELDS])


def _cell(value):
    """CRM importers read booleans as true / false."""
    return str(value).lower() if isinstance(value, bool) else value


def _write_csv(path: Path, headers: list[str], rows: list[list]) -> None:
    """Written under a temporary name and renamed: an importer never picks up half a file."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    os.replace(partial, path)


def _unused_path(folder: Path, stem: str) -> Path:
    """A new file name: two write-backs within one second must not overwrite a file not yet imported."""
    path, copy = folder / f"{stem}.csv", 1
    while path.exists():
        copy += 1
        path = folder / f"{stem}_{copy}.csv"
    return path


def write_back(warehouse: Path, folder: Path | None = None, state: Path | None = None) -> WritebackResult:
    folder = folder or default_folder(warehouse)
    state = state or state_file_for(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        result = connection.execute(SCORE_FIELDS)
        columns = [column[0] for column in result.description]
        rows = [dict(zip(columns, values, strict=True)) for values in result.fetchall()]
    with FileLock(str(state) + ".lock", timeout=600), duckdb.connect(str(state)) as log:
        log.execute(
            f"create table if not exists {STATE_TABLE} "
            "(lead_id varchar primary key, fingerprint varchar not null, written_at timestamp not null)"
        )
        written = dict(log.execute(f"select lead_id, fingerprint from {STATE_TABLE}").fetchall())
        changed = [row for row in rows if written.get(row["lead_id"]) != _fingerprint(row)]
        outcome = WritebackResult(changed_leads=len(changed))
        if not changed:
            return outcome
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for layout in FORMATS:
            kept = [row for row in changed if row.get(layout.required)]
            outcome.skipped[layout.name] = len(changed) - len(kept)
            if not kept:
                continue
            path = _unused_path(folder, f"{layout.file_prefix}_{changed[0]['scored_as_of']}_{stamp}")
            _write_csv(
                path,
                list(layout.columns.values()),
                [[_cell(row[name]) for name in layout.columns] for row in kept],
            )
            outcome.files[str(path)] = len(kept)
        now = datetime.now(UTC).replace(tzinfo=None)
        log.executemany(
            f"insert or replace into {STATE_TABLE} values (?, ?, ?)",
            [(row["lead_id"], _fingerprint(row), now) for row in changed],
        )
    return outcome
