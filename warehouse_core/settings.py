"""Where things live, from environment variables with repository-relative defaults.

| variable                          | default                  | meaning                                  |
|-----------------------------------|--------------------------|------------------------------------------|
| LEAD_WAREHOUSE_DUCKDB_PATH        | data/warehouse.duckdb    | the embedded DuckDB warehouse file       |
| LEAD_WAREHOUSE_LANDING_DIR        | data/landing             | folder the CRM/MA exports are dropped in |
| LEAD_WAREHOUSE_REPORTS_DIR        | reports                  | where the weekly HTML report is written  |
| LEAD_WAREHOUSE_MODELS_DIR         | data/models              | trained predictive models (joblib files) |
| LEAD_WAREHOUSE_PROFILES_DIR       | export_profiles          | export profiles (one YAML per CRM / MA)  |
| LEAD_WAREHOUSE_PII_SALT           | (data/pii_salt)          | secret salt of the person keys in marts  |
| LEAD_WAREHOUSE_DBT_VARS           | (none)                   | dbt vars of a refresh, as a JSON object  |
| DAGSTER_HOME                      | .dagster_home            | Dagster's run history and instance       |
| LEAD_WAREHOUSE_ENGINE             | duckdb                   | where dbt builds: duckdb or spark        |
| LEAD_WAREHOUSE_SPARK_WAREHOUSE_DIR| data/spark-warehouse     | Spark's tables (Parquet) and catalog     |

Both are resolved to absolute paths and exported, so that dbt (which profiles.yml points at the same
variable) and the raw loader always open the same file, and so that dbt's partial parsing sees the
same environment on every run.
"""

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
WAREHOUSE_PATH_VARIABLE = "LEAD_WAREHOUSE_DUCKDB_PATH"
LANDING_DIR_VARIABLE = "LEAD_WAREHOUSE_LANDING_DIR"
REPORTS_DIR_VARIABLE = "LEAD_WAREHOUSE_REPORTS_DIR"
MODELS_DIR_VARIABLE = "LEAD_WAREHOUSE_MODELS_DIR"
PROFILES_DIR_VARIABLE = "LEAD_WAREHOUSE_PROFILES_DIR"
PII_SALT_VARIABLE = "LEAD_WAREHOUSE_PII_SALT"
DBT_VARS_VARIABLE = "LEAD_WAREHOUSE_DBT_VARS"
DAGSTER_HOME_VARIABLE = "DAGSTER_HOME"
ENGINE_VARIABLE = "LEAD_WAREHOUSE_ENGINE"
ENGINES = ("duckdb", "spark")
SPARK_WAREHOUSE_DIR_VARIABLE = "LEAD_WAREHOUSE_SPARK_WAREHOUSE_DIR"
# profiles.yml prefers this over LEAD_WAREHOUSE_DUCKDB_PATH: a run points dbt at its build file.
DBT_DATABASE_VARIABLE = "LEAD_WAREHOUSE_DBT_DUCKDB_PATH"
SUGGESTED_RULES_FOLDER = "suggested_rules"
# The fitted scorecard's seed CSVs; the folder's name is its name in the backtest.
SCORECARD_RULES_FOLDER = "fitted_scorecard"


def _resolved(variable: str, default: Path) -> Path:
    path = Path(os.environ.get(variable) or default).expanduser()
    path = path if path.is_absolute() else REPOSITORY_ROOT / path
    os.environ[variable] = str(path)
    return path


def published_warehouse_file() -> Path:
    """The warehouse file readers open read-only (BI tools, the dashboard); creates nothing."""
    return _resolved(WAREHOUSE_PATH_VARIABLE, REPOSITORY_ROOT / "data" / "warehouse.duckdb")


def warehouse_path() -> Path:
    """The DuckDB file; its folder is created if missing. Also makes sure a PII salt is set."""
    path = published_warehouse_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_pii_salt(path.parent)
    return path


def ensure_pii_salt(folder: Path) -> None:
    """Export LEAD_WAREHOUSE_PII_SALT: the environment's, or one generated once into ``folder``/pii_salt
    (readable by the owner only; never in the repository)."""
    if os.environ.get(PII_SALT_VARIABLE):
        return
    salt_file = folder / "pii_salt"
    if not salt_file.exists():
        salt_file.touch(mode=0o600)
        salt_file.write_text(secrets.token_hex(32), encoding="utf-8")
    os.environ[PII_SALT_VARIABLE] = salt_file.read_text(encoding="utf-8").strip()


def landing_dir() -> Path:
    return _resolved(LANDING_DIR_VARIABLE, REPOSITORY_ROOT / "data" / "landing")


def reports_dir() -> Path:
    return _resolved(REPORTS_DIR_VARIABLE, REPOSITORY_ROOT / "reports")


def models_dir() -> Path:
    return _resolved(MODELS_DIR_VARIABLE, REPOSITORY_ROOT / "data" / "models")


def suggested_rules_dir() -> Path:
    """Where the fitted rule points are written as seed CSVs (and read back by the backtest)."""
    return reports_dir() / SUGGESTED_RULES_FOLDER


def scorecard_rules_dir() -> Path:
    """Where the fitted scorecard is written as seed CSVs (and read back by the backtest)."""
    return reports_dir() / SCORECARD_RULES_FOLDER


def fitted_rule_dirs() -> list[Path]:
    """The rule sets fitted from outcomes that exist, each backtested beside the current rules."""
    return [folder for folder in (suggested_rules_dir(), scorecard_rules_dir()) if folder.exists()]


def profiles_dir() -> Path:
    return _resolved(PROFILES_DIR_VARIABLE, REPOSITORY_ROOT / "export_profiles")


@contextmanager
def dbt_database(path: Path) -> Iterator[None]:
    """dbt processes started inside write to ``path``."""
    previous = os.environ.get(DBT_DATABASE_VARIABLE)
    os.environ[DBT_DATABASE_VARIABLE] = str(path)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DBT_DATABASE_VARIABLE, None)
        else:
            os.environ[DBT_DATABASE_VARIABLE] = previous


def engine() -> str:
    """Where dbt builds: ``duckdb`` (the embedded file) or ``spark`` (spark_engine/)."""
    chosen = (os.environ.get(ENGINE_VARIABLE) or "duckdb").strip().lower()
    if chosen not in ENGINES:
        choices = ", ".join(ENGINES)
        raise ValueError(f"{ENGINE_VARIABLE}={chosen!r} is not an engine: set it to one of {choices}")
    return chosen


def spark_warehouse_dir() -> Path:
    return _resolved(SPARK_WAREHOUSE_DIR_VARIABLE, REPOSITORY_ROOT / "data" / "spark-warehouse")


def dbt_vars_override() -> dict:
    """The dbt vars a refresh sets on top of dbt_project.yml (LEAD_WAREHOUSE_DBT_VARS, a JSON object,
    e.g. {"scoring_as_of": "2026-06-30"}); the loader and dbt read the same ones."""
    text = os.environ.get(DBT_VARS_VARIABLE) or "{}"
    try:
        override = json.loads(text)
    except ValueError as error:
        raise ValueError(f"{DBT_VARS_VARIABLE} is not JSON ({error}): {text!r}") from error
    if not isinstance(override, dict):
        raise ValueError(
            f'{DBT_VARS_VARIABLE} must be a JSON object such as {{"scoring_as_of": "2026-06-30"}}'
        )
    return override


def dagster_home() -> Path:
    """DAGSTER_HOME (default .dagster_home), with the instance settings the project ships
    (orchestration/dagster_instance.yaml) when it has none yet."""
    home = _resolved(DAGSTER_HOME_VARIABLE, REPOSITORY_ROOT / ".dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    instance = home / "dagster.yaml"
    if not instance.exists():
        instance.write_text(
            (REPOSITORY_ROOT / "orchestration" / "dagster_instance.yaml").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
    return home
