"""Every mart BI reads is described, and so is each of its columns (the BI contract)."""

import json

import duckdb

from orchestration.project import dbt_project


def test_every_mart_and_mart_column_is_documented(built_warehouse):
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    marts = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"].get("schema") == "marts"
    ]
    assert len(marts) >= 15
    problems = []
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        for node in marts:
            documented = {name for name, column in node["columns"].items() if column.get("description")}
            built = {
                row[0]
                for row in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ?",
                    [node["name"]],
                ).fetchall()
            }
            if not node.get("description"):
                problems.append(f"{node['name']}: no description")
            if built - documented:
                problems.append(f"{node['name']}: undocumented {sorted(built - documented)}")
            if documented - built:
                problems.append(f"{node['name']}: documented but missing {sorted(documented - built)}")
    assert not problems, "\n".join(problems)
