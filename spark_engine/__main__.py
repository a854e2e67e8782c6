"""``python -m spark_engine [--duckdb FILE] [--as-of DATE] [--target-path P] [dbt command ...]``: run
the dbt project on Spark by hand (a refresh with LEAD_WAREHOUSE_ENGINE=spark does the same through
dagster-dbt). The DuckDB file's raw tables (the loader's checked rows) are copied into Spark first;
then dbt runs the command (default: build) with target `spark` in this process, where the session has
the UDFs; afterwards the file's dbt schemas are views of Spark's tables (spark_engine/dbt_cli.py).
Exits with dbt's result."""

import argparse
import json
import sys
from datetime import date

from spark_engine.dbt_cli import build_on_spark
from warehouse_core import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duckdb", help="DuckDB file whose raw tables to copy (default: the warehouse)")
    parser.add_argument("--as-of", type=date.fromisoformat, help="score as of the end of this Japan date")
    parser.add_argument("--target-path", help="dbt's target folder (default: dbt_project/target-spark)")
    args, dbt_arguments = parser.parse_known_args(argv)
    command = [*(dbt_arguments or ["build"]), "--target", "spark"]
    project = str(settings.DBT_PROJECT_DIR)
    command += ["--project-dir", project, "--profiles-dir", project]
    command += ["--target-path", args.target_path or str(settings.DBT_PROJECT_DIR / "target-spark")]
    if args.as_of:
        command += ["--vars", json.dumps({"scoring_as_of": args.as_of.isoformat()})]
    with settings.dbt_database(args.duckdb or settings.warehouse_path()):
        if build_on_spark(command):
            return 0
    failed = " ".join(dbt_arguments or ["build"])
    print(f"Spark: dbt {failed} failed; the log above says why.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
