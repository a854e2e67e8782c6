"""The dbt command a refresh runs. No Dagster import here, so scripts (the benchmark) start fast."""

import sys
from pathlib import Path

# dbt runs from the same virtual environment as Dagster, whether or not it is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
# Unit tests check the SQL, not the data: CI runs them (make test), and a daily refresh skips their
# fixed cost (about 5 s whatever the data size).
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]
