"""Spark needs a Java runtime: installed with apt when missing (CI is root on a fresh machine)."""

import os
import shutil
import subprocess

import pytest


@pytest.fixture(scope="session")
def java() -> str:
    if shutil.which("java") is None:
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "openjdk-17-jre-headless"],
        ):
            completed = subprocess.run(command, env=environment, capture_output=True, text=True)
            assert completed.returncode == 0, completed.stderr[-2000:]
    return shutil.which("java")
