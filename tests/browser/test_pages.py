"""Every page of the built site, checked the way a browser shows it.

Each test takes `page_path` and so runs once per built page; a failure names the page, the rule
and the element. The accessibility statement lists these checks and their counts, and
test_statement.py holds it to them: a check added here must be described there.
"""

from __future__ import annotations

import pytest

from tests.browser import helpers
from tests.browser.pagechecks import (
    AXE_RULES,
    AXE_TAGS,
    TEXT_AT_200_PERCENT,
    TEXT_SPACING,
    abbreviation_failures,
    clipped_content,
    footnote_failures,
    help_links,
    horizontal_overflow,
    keyboard_failures,
    low_contrast_text,
    overlay_failures,
    skip_link_failures,
)

pytestmark = pytest.mark.browser


def fail_unless_empty(page_path: str, failures: list[str]) -> None:
    if failures:
        pytest.fail(f"{page_path}:\n" + "\n".join(failures), pytrace=False)


def axe_failures(pg) -> list[str]:
    violations = helpers.run_axe(pg, tags=AXE_TAGS, rules=AXE_RULES)
    return [helpers.format_violations(violations)] if violations else []


def test_axe_at_1280_by_800(page_path, open_page):
    fail_unless_empty(page_path, axe_failures(open_page(page_path, 1280, 800)))


def test_axe_at_320_by_640(page_path, open_page):
    fail_unless_empty(page_path, axe_failures(open_page(page_path, 320, 640)))


def test_reflow_at_320_wide(page_path, open_page):
    fail_unless_empty(page_path, horizontal_overflow(open_page(page_path, 320, 640)))


def test_reflow_with_text_at_200_percent(page_path, open_page):
    pg = open_page(page_path, 1280, 800)
    pg.add_style_tag(content=TEXT_AT_200_PERCENT)
    assert pg.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    fail_unless_empty(page_path, horizontal_overflow(pg))


def test_text_spacing_loses_nothing(page_path, open_page):
    pg = open_page(page_path, 320, 640)
    pg.add_style_tag(content=TEXT_SPACING)
    fail_unless_empty(page_path, horizontal_overflow(pg) + clipped_content(pg))


def test_html_is_valid(page_path, vnu_results):
    messages = vnu_results[page_path]
    if messages:
        pytest.fail(f"{page_path}: the Nu Html Checker found {len(messages)} errors:\n"
                    + helpers.format_vnu_messages(messages), pytrace=False)


def test_skip_link_moves_focus_to_main_content(page_path, open_page):
    fail_unless_empty(page_path, skip_link_failures(open_page(page_path)))


def test_keyboard_reaches_every_link_and_control_with_visible_focus(page_path, open_page):
    reached, failures = keyboard_failures(open_page(page_path))
    assert reached > 0 or failures, f"{page_path}: Tab reached nothing"
    fail_unless_empty(page_path, failures)


def contrast_failures(page_path: str, open_page, scheme: str) -> None:
    checked, failures = low_contrast_text(open_page(page_path, color_scheme=scheme))
    assert checked > 0, f"{page_path}: no text found to check"
    fail_unless_empty(f"{page_path} ({scheme} colour scheme)", failures)


def test_text_contrast_at_least_7_to_1_in_the_light_scheme(page_path, open_page):
    contrast_failures(page_path, open_page, "light")


def test_text_contrast_at_least_7_to_1_in_the_dark_scheme(page_path, open_page):
    contrast_failures(page_path, open_page, "dark")


def test_abbreviations_explained_where_first_used(page_path, open_page, expansions):
    page = open_page(page_path)
    _, failures = abbreviation_failures(page, expansions)
    _, overlaid = overlay_failures(page, expansions)
    fail_unless_empty(page_path, failures + overlaid)


def test_footnotes_and_references_link_to_each_other(page_path, open_page):
    _, failures = footnote_failures(open_page(page_path))
    fail_unless_empty(page_path, failures)


def test_help_links_stand_in_the_same_place(page_path, open_page):
    found = help_links(open_page(page_path))
    expected = [["Large print", "large-print.html"], ["Other formats", "#other-formats"],
                ["Contact", "about-this-paper.html#contact"]]
    failures = []
    if found["links"] != expected:
        failures.append(f"consistent-help: the header's help links are {found['links']}, not {expected}")
    if not found["beforeMain"]:
        failures.append("consistent-help: the help links do not come before the main content")
    if not found["textSize"]:
        failures.append("consistent-help: the text size control is not in the header")
    fail_unless_empty(page_path, failures)


def test_makes_no_third_party_requests(page_path, open_page, site_server):
    pg = open_page(page_path)
    pg.wait_for_load_state("load")
    outside = [url for url in pg.requests if not url.startswith(site_server)]
    fail_unless_empty(page_path, [f"third-party request: {url}" for url in outside])
