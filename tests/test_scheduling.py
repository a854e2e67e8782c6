"""The test scheduler's list of long units names units that exist (a renamed module would silently
lose its place at the front)."""

from tests.conftest import LONGEST_UNITS, SHARED_FIXTURE_FOLDERS, ModuleScheduling
from warehouse_core.settings import REPOSITORY_ROOT


def test_every_long_unit_is_a_test_module_or_a_shared_fixture_folder():
    for unit in LONGEST_UNITS:
        path = REPOSITORY_ROOT / unit
        assert path.is_file() or (path.is_dir() and path.name in SHARED_FIXTURE_FOLDERS), unit


def test_a_unit_is_a_module_or_a_shared_fixture_folder():
    split = ModuleScheduling._split_scope
    assert split("tests/spark/test_spark_udfs.py::test_x[a]") == "tests/spark"
    assert split("tests/dbt_project/test_scoring.py::test_y") == "tests/dbt_project/test_scoring.py"
