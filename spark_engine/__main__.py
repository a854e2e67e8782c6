"""``python -m spark_engine [--duckdb FILE] [--as-of DATE] [dbt command ...]``: run the dbt project on
Spark. The raw tables of the DuckDB warehouse (the loader's checked rows) are copied into Spark's
`raw` database first; then dbt runs the command (default: seed and run) with target `spark` in this
process, where the session has the UDFs. Exits with dbt's result."""

import argparse
import json
import sys
from datetime import date

from spark_engine.raw_copy import copy_raw_tables
from spark_engine.session import start_session
from warehouse_core.settings import DBT_PROJECT_DIR, warehouse_path


def run_dbt(arguments: list[str], as_of: date | None) -> bool:
    from dbt.cli.main import dbtRunner

    command = [*arguments, "--target", "spark", "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR)]
    if as_of:
        command += ["--vars", json.dumps({"scoring_as_of": as_of.isoformat()})]
    return dbtRunner().invoke(command).success


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", help="DuckDB warehouse whose raw tables to copy (default: the warehouse)")
    parser.add_argument("--as-of", type=date.fromisoformat, help="score as of the end of this Japan date")
    parser.add_argument("--target-path", help="dbt's target folder (default: dbt_project/target-spark)")
    args, dbt_arguments = parser.parse_known_args(argv)
    spark = start_session()
    copied = copy_raw_tables(spark, args.duckdb or warehouse_path())
    print(f"Spark: copied {len(copied)} raw tables ({sum(copied.values()):,} rows)", flush=True)
    target = ["--target-path", args.target_path or str(DBT_PROJECT_DIR / "target-spark")]
    steps = [dbt_arguments] if dbt_arguments else [["seed"], ["run"]]
    for step in steps:
        if not run_dbt([*step, *target], args.as_of):
            print(f"Spark: dbt {' '.join(step)} failed; the log above says why.", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
