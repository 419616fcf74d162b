"""Fixtures shared by the tests of the build: the real report built once, and small reports to break."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reportsite.build import Sources, build

ROOT = Path(__file__).resolve().parent.parent
SMALL_REPORT = Path(__file__).parent / "fixtures" / "small-report"
# One cache of downloads for every build of the real report in a test session (build.py --cache):
# the large print PDF is laid out once, not once per build.
DOWNLOADS_CACHE = Path(tempfile.mkdtemp(prefix="reportsite-downloads-"))
atexit.register(shutil.rmtree, DOWNLOADS_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def report_site(tmp_path_factory) -> Path:
    """The real report, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("report") / "site"
    build(Sources(), out, cache_dir=DOWNLOADS_CACHE)
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
