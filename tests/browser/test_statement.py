"""The accessibility statement says only what is true of the site as built.

The checks it lists, and how many times each runs, are the tests that exist here, counted by
pytest's own collection; the pages it lists are the pages built.
"""

from __future__ import annotations

import collections
import datetime
import os
import re
import subprocess
import sys

import pytest

from tests.browser import helpers
from tests.sitetext import parse_html

BROWSER_TESTS = helpers.REPO_ROOT / "tests" / "browser"


@pytest.fixture(scope="module")
def collected(built_site) -> collections.Counter:
    """How many tests pytest collects for each test function of the page and reading-preference suites."""
    environment = dict(os.environ, REPORTSITE_SITE_DIR=str(built_site))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         str(BROWSER_TESTS / "test_pages.py"), str(BROWSER_TESTS / "test_reading_preferences.py")],
        cwd=helpers.REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    names = [re.sub(r"\[.*$", "", line.split("::")[1]) for line in result.stdout.splitlines() if "::" in line]
    return collections.Counter(names)


@pytest.fixture(scope="module")
def statement(built_site):
    return parse_html((built_site / "accessibility.html").read_text(encoding="utf-8"))


def rows(statement, table_id: str) -> dict[str, int]:
    table = statement.by_id(table_id)
    assert table is not None, f"the statement has no table #{table_id}"
    return {row.attrs["data-check"]: int(row.find_all("td")[0].attrs["data-count"]) for row in table.find_all("tr") if "data-check" in row.attrs}


def test_the_statement_lists_every_check_of_every_page_with_its_count(statement, collected, built_site):
    pages = helpers.html_pages(built_site)
    listed = rows(statement, "checks-of-every-page")
    assert set(listed) == set(_page_tests()), "every check of test_pages.py is listed, and no other"
    assert listed == {name: len(pages) for name in listed}, "each is counted once per page built"
    assert {name: collected[name] for name in listed} == listed, "each runs once per page built"


def test_the_statement_lists_every_reading_preference_check_with_its_count(statement, collected):
    listed = rows(statement, "checks-of-reading-preferences")
    preference_tests = {name for name in collected if name not in _page_tests()}
    assert set(listed) == preference_tests
    assert listed == {name: collected[name] for name in listed}


def test_the_statement_totals_are_the_sum_of_its_checks(statement, built_site):
    pages = helpers.html_pages(built_site)
    text = statement.text()
    checks = len(rows(statement, "checks-of-every-page"))
    assert f"each of its {len(pages)} pages" in text
    assert f"these {checks} checks of every page, {checks * len(pages)} checks in all" in text
    assert f"These {sum(rows(statement, 'checks-of-reading-preferences').values())} checks test the reading preferences" in text
    listed_pages = re.findall(r"\(([\w.-]+\.html)\)", text)
    assert sorted(listed_pages) == pages


def test_the_statement_has_what_the_regulations_ask_for(statement):
    text = statement.text()
    for words in ["This accessibility statement applies to", "How accessible this website is",
                  "Feedback and contact information", "Reporting accessibility problems with this website",
                  "Enforcement procedure", "Equality and Human Rights Commission (EHRC)",
                  "Equality Advisory and Support Service (EASS)", "Compliance status",
                  "This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.",
                  "Preparation of this accessibility statement", "It was last reviewed on"]:
        assert words in text
    dates = [e.attrs["datetime"] for e in statement.find_all("time")]
    assert len(dates) == 3 and len(set(dates)) == 1 and datetime.date.fromisoformat(dates[0]), "prepared, reviewed and tested: one real date"


def _page_tests() -> list[str]:
    source = (BROWSER_TESTS / "test_pages.py").read_text(encoding="utf-8")
    return re.findall(r"^def (test_\w+)\(page_path", source, flags=re.M)
