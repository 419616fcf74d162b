"""Reports of other shapes, built from their content alone, pass the same accessibility rules and HTML
validation as the report in content/: every page of each, in Chromium (axe-core, at a desktop and a
phone's width) and in the Nu Html Checker.

The reports are the small fixtures of tests/fixtures: one with only a title and parts, one whose
recommendations are numbered on their own, one numbered by chapter. (The checks of every page of the
site in content/, listed in its accessibility statement, are test_pages.py's.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources, build
from tests.browser import helpers
from tests.browser.pagechecks import AXE_RULES, AXE_TAGS, horizontal_overflow

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPORTS = ("minimal-report", "separate-recommendations", "chapter-numbered")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """Each report's pages, built once."""
    root = tmp_path_factory.mktemp("other-reports")
    for name in REPORTS:
        build(Sources(content=FIXTURES / name), root / name, formats=("html",))
    return {name: root / name for name in REPORTS}


@pytest.mark.parametrize("report", REPORTS)
def test_every_page_of_another_report_passes_axe_at_a_desktop_and_a_phones_width(report, sites, browser):
    site = sites[report]
    failures = []
    with helpers.serve_directory(site) as base_url:
        for path in helpers.html_pages(site):
            for width, height in ((1280, 800), (320, 640)):
                context = browser.new_context(viewport={"width": width, "height": height})
                try:
                    page = context.new_page()
                    page.goto(base_url + path)
                    violations = helpers.run_axe(page, tags=AXE_TAGS, rules=AXE_RULES)
                    if violations:
                        failures.append(f"{path} at {width}px:\n{helpers.format_violations(violations)}")
                    if width == 320:
                        failures += [f"{path}: {failure}" for failure in horizontal_overflow(page)]
                finally:
                    context.close()
    assert failures == []


@pytest.mark.parametrize("report", REPORTS)
def test_every_page_of_another_report_is_valid_html(report, sites):
    site = sites[report]
    pages = [site / path for path in helpers.html_pages(site)]
    found = helpers.vnu_validate(pages)
    errors = {str(path.relative_to(site)): helpers.format_vnu_messages(found[str(path)]) for path in pages if found.get(str(path))}
    assert errors == {}
