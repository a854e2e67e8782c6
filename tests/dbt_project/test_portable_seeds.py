"""Seeds stay loadable on Spark as well as DuckDB: dbt-spark's session method puts seed values into
SQL without escaping an apostrophe, and Spark knows no `varchar` without a length."""

import yaml

from warehouse_core.settings import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"


def test_no_seed_value_holds_an_apostrophe():
    found = [
        f"{path.relative_to(SEEDS)}:{number}"
        for path in sorted(SEEDS.rglob("*.csv"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "'" in line
    ]
    assert not found, f"write these without an apostrophe: {found}"


def test_seed_column_types_are_spelled_for_both_engines():
    declared = {
        (seed["name"], column): column_type
        for path in sorted(SEEDS.rglob("*.yml"))
        for seed in yaml.safe_load(path.read_text(encoding="utf-8")).get("seeds", [])
        for column, column_type in seed.get("config", {}).get("column_types", {}).items()
    }
    assert declared
    unportable = {key: value for key, value in declared.items() if value.lower().startswith("varchar")}
    assert not unportable, f"say string instead: {unportable}"
