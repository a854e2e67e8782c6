"""Arrows point one way: the Dagster code location sits on top, the base package at the bottom, and no
package imports one above it (read from the source, so a new import that breaks this fails here)."""

import ast

import pytest

from warehouse_core.settings import REPOSITORY_ROOT

OURS = {
    "warehouse_core",
    "scoring_udfs",
    "export_loader",
    "lead_evaluation",
    "alerting",
    "crm_writeback",
    "reporting",
    "dashboard",
    "orchestration",
    "sample_exports",
    "bench",
    "spark_engine",
}
# What each package may import of ours (besides itself).
ALLOWED = {
    "warehouse_core": set(),
    "scoring_udfs": {"warehouse_core"},
    "export_loader": {"warehouse_core", "scoring_udfs"},
    "lead_evaluation": {"warehouse_core", "scoring_udfs"},
    "alerting": {"warehouse_core"},
    "crm_writeback": {"warehouse_core"},
    "spark_engine": {"warehouse_core", "scoring_udfs"},
    "reporting": {"warehouse_core", "export_loader", "lead_evaluation", "alerting"},
    "dashboard": {"warehouse_core", "reporting"},
    "orchestration": OURS - {"orchestration", "dashboard", "bench", "spark_engine"},
}


def _imported_packages(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((REPOSITORY_ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in OURS and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(REPOSITORY_ROOT)))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_packages_below_it(package):
    assert list((REPOSITORY_ROOT / package).glob("*.py")), f"no package {package} at {REPOSITORY_ROOT}"
    imported = _imported_packages(package)
    upward = {name: files for name, files in imported.items() if name not in ALLOWED[package]}
    assert not upward, f"{package} imports packages above it: {upward}"


def test_the_loader_knows_nothing_of_dagster_or_dbt_runs():
    for path in (REPOSITORY_ROOT / "export_loader").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not modules & {"dagster", "dagster_dbt"}, path
