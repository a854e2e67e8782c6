"""The hand-written DuckDB baseline: bench/baseline.sql over the export files, in one process.

``python -m bench.baseline <as-of> <landing> [<landing> ...] [--check <warehouse>]`` scores every
lead from the CSV exports of the landing folders (read in order, so a later folder holds the newer
versions) and, with ``--check``, compares the scores with the warehouse's marts.fct_lead_scores.
It prints one JSON line: leads scored and, when checked, leads whose scores differ.
"""

import argparse
import json
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb
import yaml

from export_loader.export_mapping import column_name
from export_loader.raw_load import dbt_vars
from scoring_udfs.dbt_plugin import apply_resource_limits, register_udfs
from warehouse_core.settings import DBT_PROJECT_DIR
from warehouse_core.sql_text import quote_identifier, quote_literal

BASELINE_SQL = Path(__file__).with_name("baseline.sql")
EXPORTS = (
    "crm_leads",
    "crm_accounts",
    "crm_lead_status_history",
    "crm_bant_assessments",
    "ma_activities",
    "ma_email_events",
)
# Seeds the baseline reads; their column types come from the seeds' YAML, as dbt's do.
SEEDS = (
    "demographic_rules",
    "disqualifier_rules",
    "behavior_rules",
    "behavior_category_caps",
    "bant_rules",
    "integrated_weights",
    "job_title_seniority",
    "industry_groups",
    "prefecture_regions",
    "email_domains",
    "lead_source_channels",
)
LABEL_MAP_VARS = (
    "ma_activity_types",
    "email_event_types",
    "lead_statuses",
    "bant_levels",
    "bant_authority_roles",
    "bant_timelines",
)


def _list_literal(values) -> str:
    return "[" + ", ".join(quote_literal(value) for value in values) + "]"


def _create_export_views(connection, landings: list[Path], custom_attributes: list[str]) -> None:
    for export in EXPORTS:
        files = [path for landing in landings for path in sorted(landing.glob(f"{export}*.csv"))]
        if not files:
            raise FileNotFoundError(f"No {export}*.csv in {', '.join(map(str, landings))}")
        source = (
            f"read_csv({_list_literal(map(str, files))}, all_varchar = true, header = true, "
            "union_by_name = true, filename = 'export_file')"
        )
        headers = [row[0] for row in connection.execute(f"describe select * from {source}").fetchall()]
        columns = ", ".join(
            f"{quote_identifier(header)} as {quote_identifier(column_name(header))}"
            for header in headers
            if header != "export_file"
        )
        connection.execute(
            f"create or replace view export_{export} as select {columns}, export_file from {source}"
        )
    present = {row[0] for row in connection.execute("describe export_crm_leads").fetchall()}
    # Every version of every lead's custom columns: baseline.sql keeps the newest version's values.
    unpivoted = [
        f"select trim(lead_id), {quote_literal(name)}, normalize_text({quote_identifier(name)}), "
        "last_modified_date, export_file from export_crm_leads"
        for name in custom_attributes
        if name in present
    ]
    body = " union all ".join(unpivoted) or "select null, null, null, null, null limit 0"
    connection.execute(
        "create or replace table lead_custom_attributes as select * from "
        f"({body}) as custom (lead_id, attribute, value_text, last_modified_date, export_file)"
    )


def _seed_column_types() -> dict[str, dict[str, str]]:
    """column_types of every seed, from the seeds' YAML files (the types dbt loads them with)."""
    types = {}
    for path in (DBT_PROJECT_DIR / "seeds").rglob("_*.yml"):
        for seed in yaml.safe_load(path.read_text(encoding="utf-8")).get("seeds", []):
            types[seed["name"]] = (seed.get("config") or {}).get("column_types") or {}
    return types


def _create_configuration(connection, variables: dict) -> None:
    column_types = _seed_column_types()
    for seed in SEEDS:
        path = next((DBT_PROJECT_DIR / "seeds").rglob(f"{seed}.csv"))
        connection.execute(
            f"create or replace table seed_{seed} as select * from read_csv({quote_literal(str(path))}, "
            f"header = true, all_varchar = true)"
        )
        names = [row[0] for row in connection.execute(f"describe seed_{seed}").fetchall()]
        casts = ", ".join(
            f"cast(nullif({quote_identifier(name)}, '') as {column_types[seed].get(name, 'varchar')}) "
            f"as {quote_identifier(name)}"
            for name in names
        )
        connection.execute(f"create or replace table seed_{seed} as select {casts} from seed_{seed}")
    rows = [(name, label, code) for name in LABEL_MAP_VARS for label, code in variables[name].items()]
    connection.execute("create or replace table label_maps (var_name varchar, label varchar, code varchar)")
    connection.executemany("insert into label_maps values (?, ?, ?)", rows)
    connection.execute("create or replace table true_labels (label varchar)")
    labels = [(label,) for label in variables["true_labels"]]
    connection.executemany("insert into true_labels values (?)", labels)


def _keep_rules_in_force(connection, as_of: date) -> None:
    """Drop the rule rows of the seeds that are not in force on ``as_of`` (valid_from <= as_of < valid_to;
    an empty valid_from: always in force)."""
    for seed in SEEDS:
        columns = {row[0] for row in connection.execute(f"describe seed_{seed}").fetchall()}
        if "valid_from" in columns:
            connection.execute(
                f"delete from seed_{seed} "
                "where not ((valid_from is null or valid_from <= $as_of) "
                "and (valid_to is null or valid_to > $as_of))",
                {"as_of": as_of},
            )


def baseline_sql(as_of: date, variables: dict) -> str:
    end_utc = datetime.combine(as_of + timedelta(days=1), time()) - timedelta(
        hours=variables["export_utc_offset_hours"]
    )
    return BASELINE_SQL.read_text(encoding="utf-8").format(
        as_of_date=f"date {quote_literal(as_of.isoformat())}",
        as_of_end_at=f"timestamp {quote_literal(end_utc.isoformat(sep=' '))}",
        utc_offset_hours=int(variables["export_utc_offset_hours"]),
        half_life_days=float(variables["behavior_half_life_days"]),
        behavior_full_points=float(variables["behavior_full_score_points"]),
        timestamp_formats=_list_literal(variables["export_timestamp_formats"]),
        date_formats=_list_literal(variables["export_date_formats"]),
    )


def score(connection, as_of: date, landings: list[Path]) -> int:
    """Create table baseline_scores on ``connection``; return the number of leads scored."""
    variables = dbt_vars()
    apply_resource_limits(connection)
    register_udfs(connection)
    connection.execute("set enable_progress_bar = false")
    _create_export_views(connection, landings, list(variables["custom_lead_attributes"]))
    _create_configuration(connection, variables)
    _keep_rules_in_force(connection, as_of)
    connection.execute(baseline_sql(as_of, variables))
    return connection.execute("select count(*) from baseline_scores").fetchall()[0][0]


def differences(connection, warehouse: Path) -> int:
    """Leads whose baseline scores differ from the warehouse's (or that only one of them scores)."""
    connection.execute(f"attach {quote_literal(str(warehouse))} as warehouse (read_only)")
    columns = "lead_id, demographic_score, behavior_score, bant_score, total_score, is_disqualified"
    marts = f"select {columns} from warehouse.marts.fct_lead_scores"
    return connection.execute(
        f"select count(*) from ((select {columns} from baseline_scores except all {marts}) "
        f"union all ({marts} except all select {columns} from baseline_scores))"
    ).fetchall()[0][0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__.splitlines()[0])
    parser.add_argument("as_of", type=date.fromisoformat)
    parser.add_argument("landings", type=Path, nargs="+")
    parser.add_argument("--check", type=Path, help="warehouse whose marts.fct_lead_scores must be equal")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as spill, duckdb.connect() as connection:
        # An in-memory database spills to this folder when the memory limit is reached.
        connection.execute(f"set temp_directory = {quote_literal(spill)}")
        result = {"leads": score(connection, args.as_of, args.landings)}
        if args.check:
            result["differing_leads"] = differences(connection, args.check)
    print(json.dumps(result))
    return 1 if result.get("differing_leads") else 0


if __name__ == "__main__":
    sys.exit(main())
