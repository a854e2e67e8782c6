"""Spark needs a Java runtime: installed with apt when missing (CI is root on a fresh machine)."""

import shutil

import pytest

from tests.fixtures.debian_packages import install_debian_packages


@pytest.fixture(scope="session")
def java() -> str:
    if shutil.which("java") is None:
        install_debian_packages("openjdk-17-jre-headless")
    return shutil.which("java")
