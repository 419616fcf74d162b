"""Every module of the package imports on its own, in a fresh interpreter: no import cycle hides behind import order."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import reportsite
from tests.conftest import ROOT

MODULES = sorted(module.name for module in pkgutil.walk_packages(reportsite.__path__, "reportsite."))


def test_the_package_has_its_modules():
    assert {"reportsite.render", "reportsite.search", "reportsite.formats.blocks", "reportsite.serve"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
