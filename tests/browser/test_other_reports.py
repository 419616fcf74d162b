"""Reports of other shapes, built from their content alone, pass the same accessibility rules and HTML
validation as the report in content/: in Chromium (axe-core, at a desktop and a phone's width, and no
sideways scrolling at 320 pixels) and in the Nu Html Checker.

The reports are the small fixtures of tests/fixtures (one with only a title and parts, one whose
recommendations are numbered on their own, one numbered by chapter, one with its organisation's logo and
brand colour), every page of each; and the example reports of examples/ with the report `build.py new`
writes, one page of each kind and every page of recommendations (the large print edition holds all of the
report's text). Each report is built once, and the Nu Html Checker runs once for all of them. (The checks
of every page of the site in content/, listed in its accessibility statement, are test_pages.py's.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportsite.build import Sources, build
from tests.browser import helpers
from tests.browser.pagechecks import AXE_RULES, AXE_TAGS, horizontal_overflow
from tests.test_any_report import EXAMPLES

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EVERY_PAGE = {name: FIXTURES / name for name in ("minimal-report", "separate-recommendations", "chapter-numbered",
                                                "organisation-look")}
REPORTS = {**EVERY_PAGE, **EXAMPLES}


def pages_to_check(name: str, result) -> list[str]:
    """Every page of a fixture; of an example, the first page of each kind and every page of recommendations."""
    if name in EVERY_PAGE:
        return result.pages
    chosen: dict[str, str] = {}
    for page in result.site.pages:
        chosen.setdefault(page.kind, page.url)
        if any(part.recommendations for part in page.parts):
            chosen[f"recommendations {page.url}"] = page.url
    return sorted(set(chosen.values()))


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """Each report's pages, built once, and the pages to check."""
    root = tmp_path_factory.mktemp("other-reports")
    return {name: (root / name, pages_to_check(name, build(Sources(content=content), root / name, formats=("html",))))
            for name, content in REPORTS.items()}


@pytest.fixture(scope="module")
def vnu_errors(sites) -> dict[str, dict[str, str]]:
    """The Nu Html Checker's errors in the pages checked, by report and page, from one java run."""
    files = [site / path for site, paths in sites.values() for path in paths]
    found = helpers.vnu_validate(files)
    return {name: {path: helpers.format_vnu_messages(found[str(site / path)]) for path in paths if found.get(str(site / path))}
            for name, (site, paths) in sites.items()} | {"": found.get("", [])}


@pytest.mark.parametrize("report", REPORTS)
def test_the_pages_of_another_report_pass_axe_at_a_desktop_and_a_phones_width(report, sites, browser):
    site, paths = sites[report]
    failures = []
    with helpers.serve_directory(site) as base_url:
        for path in paths:
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


def test_an_example_is_checked_on_a_page_of_each_kind(sites):
    site, paths = sites["select-committee"]
    assert {"index.html", "summary.html", "conclusions-and-recommendations.html", "about-this-example.html",
            "glossary.html", "accessibility.html", "search.html", "large-print.html", "404.html"} == set(paths)


@pytest.mark.parametrize("report", REPORTS)
def test_the_pages_of_another_report_are_valid_html(report, vnu_errors):
    assert vnu_errors[report] == {}
    assert vnu_errors[""] == []
