"""Search in Chromium: finding paragraphs by their words, going to one by its number, and the search
page with its results passing the checks every page passes (tests/browser/test_pages.py)."""

from __future__ import annotations

import re

import pytest

from tests.browser import helpers
from tests.browser.pagechecks import (
    AXE_RULES,
    AXE_TAGS,
    TEXT_AT_200_PERCENT,
    horizontal_overflow,
    keyboard_failures,
    low_contrast_text,
)

pytestmark = pytest.mark.browser

# Words of paragraph 100 (Leadership, management and governance), in the order it prints them.
PHRASE_FROM_PARAGRAPH_100 = "intelligence from return home interviews for children and young people who have been missing"
STATUS = "document.getElementById('search-status').textContent"


def wait_for_results(pg) -> str:
    """The live region's words once the search has finished."""
    pg.wait_for_function(f"/ results? for |^No results for |no paragraph|could not be loaded/.test({STATUS})")
    return pg.evaluate(STATUS)


def search(open_page, query: str, width: int = 1280, height: int = 800):
    """The search page after typing `query` into its field and pressing Enter."""
    pg = open_page("search.html", width, height)
    pg.fill("#search-query", query)
    pg.press("#search-query", "Enter")
    wait_for_results(pg)
    return pg


def results(pg) -> list[dict]:
    return pg.evaluate("""() => [...document.querySelectorAll('#search-results > li')].map(li => ({
        title: li.querySelector('h2 a').textContent, href: li.querySelector('h2 a').getAttribute('href'),
        part: (li.querySelector('.rs-search-result__part') || {}).textContent,
        excerpt: li.querySelector('.rs-search-result__excerpt').innerHTML}))""")


def test_a_phrase_from_paragraph_100_finds_paragraph_100_first(open_page, site_server):
    pg = search(open_page, PHRASE_FROM_PARAGRAPH_100)
    first = results(pg)[0]
    assert first["title"] == "Paragraph 100"
    assert first["href"] == "leadership.html#paragraph-100"
    assert first["part"] == "In Leadership, management and governance"
    assert "<mark>return</mark>" in first["excerpt"]
    assert [url for url in pg.requests if not url.startswith(site_server)] == []
    pg.click("#search-results > li:first-child h2 a")
    pg.wait_for_url("**/leadership.html#paragraph-100")


def test_results_are_announced_in_a_polite_live_region_and_focus_stays_in_the_field(open_page):
    pg = search(open_page, "return home interviews")
    status = pg.locator("#search-status")
    assert status.get_attribute("role") == "status"  # a polite live region
    count = len(results(pg))
    assert status.text_content() == f"{count} results for “return home interviews”."
    assert pg.evaluate("document.activeElement.id") == "search-query"
    pg.fill("#search-query", "zebracrossingwords")
    pg.press("#search-query", "Enter")
    pg.wait_for_function(f"{STATUS}.startsWith('No results')")
    assert status.text_content() == "No results for “zebracrossingwords”. Try other words, or fewer of them."
    assert results(pg) == [] and pg.locator("#search-results").is_hidden()


@pytest.mark.parametrize("typed", ["45", "paragraph 45", "para 45", "¶45"])
def test_a_paragraph_number_typed_in_the_header_of_another_page_goes_straight_to_it(open_page, typed):
    pg = open_page("leadership.html")
    pg.locator("header summary", has_text="Search").click()
    pg.fill("#header-search", typed)
    pg.press("#header-search", "Enter")
    pg.wait_for_url("**/children-looked-after.html#paragraph-45")
    assert pg.evaluate("document.getElementById('paragraph-45').getBoundingClientRect().top") < 100
    pg.go_back()
    pg.wait_for_url("**/leadership.html")  # the search page stepped aside: Back returns to where the reader was


def test_a_paragraph_number_the_report_does_not_have_is_explained(open_page):
    pg = search(open_page, "paragraph 500")
    assert pg.evaluate(STATUS) == "There is no paragraph 500: the report’s paragraphs are numbered 1 to 129."
    assert pg.url.endswith("search.html?q=paragraph+500")


def test_show_more_results_moves_focus_to_the_first_new_result(open_page):
    pg = search(open_page, "children")
    shown = len(results(pg))
    assert shown == 20 and "The 20 closest matches are shown first." in pg.evaluate(STATUS)
    pg.focus("#search-more")
    pg.keyboard.press("Enter")
    pg.wait_for_function("document.querySelectorAll('#search-results > li').length > 20")
    focused = pg.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#search-results > li')[20]")
    assert focused


def axe_failures(pg) -> list[str]:
    violations = helpers.run_axe(pg, tags=AXE_TAGS, rules=AXE_RULES)
    return [helpers.format_violations(violations)] if violations else []


@pytest.mark.parametrize("width,height", [(1280, 800), (320, 640)])
def test_the_search_page_with_results_passes_axe(open_page, width, height):
    assert axe_failures(search(open_page, "return home interviews", width, height)) == []


def test_the_search_page_with_results_reflows_at_320_wide(open_page):
    assert horizontal_overflow(search(open_page, "return home interviews", 320, 640)) == []


def test_the_search_page_with_results_reflows_with_text_at_200_percent(open_page):
    pg = search(open_page, "return home interviews")
    pg.add_style_tag(content=TEXT_AT_200_PERCENT)
    assert horizontal_overflow(pg) == []


def test_the_search_page_with_results_is_usable_by_keyboard_with_visible_focus(open_page):
    pg = open_page("search.html?q=children")  # arriving with a query, as from another page's search field
    wait_for_results(pg)
    reached, failures = keyboard_failures(pg)
    assert failures == []
    assert reached > 20  # the page's own links and controls, then every result shown and the button for more


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_and_their_marked_words_keep_7_to_1_contrast(open_page, scheme):
    pg = open_page("search.html?q=return+home+interviews", color_scheme=scheme)
    wait_for_results(pg)
    checked, failures = low_contrast_text(pg)
    assert checked > 0 and failures == []


@pytest.mark.parametrize("java_script", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_search_page_has_exactly_one_search_field(open_page, java_script):
    pg = open_page("search.html?q=return+home+interviews", java_script_enabled=java_script)
    fields = pg.locator('input[type="search"], input[name="q"]')
    assert fields.count() == 1
    assert fields.first.get_attribute("id") == "search-query" and fields.first.is_visible()
    assert pg.locator('[role="search"], search').count() == 1


def test_every_other_page_has_the_search_field_in_its_header(open_page):
    pg = open_page("index.html", java_script_enabled=False)
    pg.locator("header summary", has_text="Search").click()  # the header's search disclosure
    assert pg.locator('input[type="search"]').count() == 1 and pg.locator("#header-search").is_visible()


def test_without_javascript_the_search_page_links_to_the_one_page_edition(open_page):
    pg = open_page("search.html?q=return+home+interviews", java_script_enabled=False)
    message = pg.locator("#search-unavailable")
    assert message.is_visible()
    assert "Search needs JavaScript" in message.text_content()
    assert message.locator("a").get_attribute("href") == "large-print.html"
    pg.click("#search-unavailable a")
    pg.wait_for_url("**/large-print.html")


def test_without_the_index_the_number_jump_still_works_and_the_page_says_so(open_page):
    """Opened where the index cannot be loaded (it is not built, or the site is opened from disk)."""
    pg = open_page("search.html")
    pg.route("**/pagefind/**", lambda route: route.abort())
    pg.fill("#search-query", "return home interviews")
    pg.press("#search-query", "Enter")
    assert wait_for_results(pg) == "Search could not be loaded."
    assert pg.locator("#search-unavailable").is_visible()
    assert pg.locator("#search-unavailable a").get_attribute("href") == "large-print.html"
    pg.fill("#search-query", "45")
    pg.press("#search-query", "Enter")
    pg.wait_for_url("**/children-looked-after.html#paragraph-45")


def test_a_number_that_is_no_paragraph_is_also_looked_for_in_the_text(open_page):
    pg = search(open_page, "2015")
    status = pg.evaluate(STATUS)
    assert status.startswith("There is no paragraph 2015: the report’s paragraphs are numbered 1 to 129. ")
    assert re.search(r"\d+ results? for “2015”\.", status) and results(pg)
