"""A run's build file starts as a clone of the warehouse where the file system shares blocks (XFS here,
made on a loop device), and as a full copy where it cannot; either way it holds the warehouse whole."""

import errno
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from export_loader import publish
from export_loader.publish import build_file_for, copy_file, start_build
from tests.fixtures.debian_packages import install_debian_packages

LEADS = 1_000_000


def _warehouse(folder: Path) -> Path:
    path = folder / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        # Hashes do not compress: the file is tens of MB, as a warehouse with its history is large.
        connection.execute(
            f"create table leads as select range as lead_id, md5(range::varchar) as name from range({LEADS})"
        )
    return path


def _lead_count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select count(*) from leads").fetchall()[0][0]


def test_a_file_system_that_cannot_clone_gets_a_full_copy(tmp_path, monkeypatch):
    def cannot(*_):
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr("fcntl.ioctl", cannot)
    warehouse = _warehouse(tmp_path)
    build = build_file_for(warehouse, "run-1")
    assert start_build(warehouse, build, "run-1") == "copied"
    assert build.read_bytes()[:4096] == warehouse.read_bytes()[:4096]
    assert _lead_count(build) == LEADS


def test_other_errors_of_the_clone_are_not_hidden(tmp_path, monkeypatch):
    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("fcntl.ioctl", full)
    with pytest.raises(OSError, match="No space left"):
        copy_file(_warehouse(tmp_path), tmp_path / "copy.duckdb")


def test_a_first_build_starts_a_new_file(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    assert start_build(warehouse, build_file_for(warehouse, "run-1"), "run-1") == "new"


@pytest.fixture
def xfs_folder(tmp_path):
    """A folder on XFS with reflinks (a loop-mounted image), as root; skipped where mounting is refused."""
    if os.geteuid() != 0:
        pytest.skip("mounting a loop device needs root (CI is root)")
    if not shutil.which("mkfs.xfs"):
        install_debian_packages("xfsprogs")
    image, folder = tmp_path / "xfs.img", tmp_path / "xfs"
    folder.mkdir()
    with open(image, "wb") as file:
        file.truncate(512 * 2**20)
    subprocess.run(["mkfs.xfs", "-q", "-m", "reflink=1", str(image)], check=True)
    mounted = subprocess.run(["mount", "-o", "loop", str(image), str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not let a test mount a loop device: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _used_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def test_on_a_file_system_with_reflinks_the_build_file_shares_the_warehouse_blocks(xfs_folder):
    warehouse = _warehouse(xfs_folder)
    size = warehouse.stat().st_size
    used_before = _used_bytes(xfs_folder)
    build = build_file_for(warehouse, "run-1")
    assert start_build(warehouse, build, "run-1") == "cloned"
    # The clone takes no room of its own: the build file's few changed blocks (its run row) only.
    assert size > 10 * 2**20
    assert _used_bytes(xfs_folder) - used_before < size / 10
    assert _lead_count(build) == LEADS
    publish.publish(build, warehouse, "run-1")
    assert _lead_count(warehouse) == LEADS
