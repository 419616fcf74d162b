"""Fixtures shared by the tests of the build: the real report built once, and small reports to break."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportsite.build import Sources, build

ROOT = Path(__file__).resolve().parent.parent
SMALL_REPORT = Path(__file__).parent / "fixtures" / "small-report"


@pytest.fixture(scope="session")
def report_site(tmp_path_factory) -> Path:
    """The real report, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("report") / "site"
    build(Sources(), out)
    return out


@pytest.fixture
def small_report(tmp_path) -> Path:
    """A copy of the small fixture report, free to be broken by the test."""
    content = tmp_path / "content"
    shutil.copytree(SMALL_REPORT, content)
    return content


def run_build(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run build.py as an editor would, capturing what it prints."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *arguments],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
