"""Where a link lands: the paragraph (or glossary entry) it leads to is marked, clear of the top of the
window, whether the reader followed a citation, a search result or an abbreviation; above a paragraph,
the part of the report it is in."""

from __future__ import annotations

import pytest

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve

pytestmark = pytest.mark.browser

SITE = resolve(load_report(Sources().content))

# The landed element's look and place, and the same of the element after it, for comparison.
LANDED_JS = r"""
() => {
  const target = document.querySelector(':target');
  if (!target) return null;
  const look = (el) => {
    const s = getComputedStyle(el);
    return [s.backgroundColor, s.boxShadow, s.outlineStyle].join(' | ');
  };
  let neighbour = target.nextElementSibling;
  while (neighbour && neighbour.className !== target.className) neighbour = neighbour.nextElementSibling;
  neighbour = neighbour || target.previousElementSibling;
  const number = target.querySelector('.rs-paragraph__number');
  return {id: target.id, top: target.getBoundingClientRect().top, look: look(target),
          neighbourLook: neighbour ? look(neighbour) : null, height: innerHeight,
          part: getComputedStyle(target, '::before').content,
          neighbourPart: neighbour ? getComputedStyle(neighbour, '::before').content : null,
          numberTop: number ? number.getBoundingClientRect().top : null};
}
"""


def landed(pg) -> dict:
    pg.wait_for_function("document.querySelector(':target') !== null")
    info = pg.evaluate(LANDED_JS)
    assert info is not None
    return info


def assert_marked_and_clear_of_the_top(info: dict, expected_id: str) -> None:
    assert info["id"] == expected_id
    assert info["look"] != info["neighbourLook"], f"#{expected_id} looks like the element beside it: {info['look']}"
    assert 16 <= info["top"] <= info["height"] / 3, f"#{expected_id} lands {info['top']} px from the top of the window"
    if expected_id in SITE.paragraphs:  # above the paragraph, the heading of its part; its number below that
        assert info["part"] == f'"{SITE.paragraphs[expected_id].part.heading}"'
        assert info["neighbourPart"] == "none"
        assert info["numberTop"] >= info["top"] + 16, "the part's heading stands above the paragraph's number"


def first_link(pg, selector: str) -> str:
    href = pg.get_attribute(selector, "href")
    assert href, f"no {selector} on {pg.url}"
    return href


@pytest.mark.parametrize("width, height", [(1280, 800), (375, 740)])
def test_following_a_citation_marks_the_paragraph_clear_of_the_top(open_page, width, height):
    pg = open_page("recommendations.html", width, height)
    href = first_link(pg, "a.rs-citation")
    pg.click("a.rs-citation >> nth=0")
    pg.wait_for_url("**" + href.split("#")[0] + "#*")
    assert_marked_and_clear_of_the_top(landed(pg), href.split("#")[1])


def test_the_marked_paragraph_keeps_its_text_readable_in_both_colour_schemes(open_page):
    from tests.browser.pagechecks import low_contrast_text

    for scheme in ("light", "dark"):
        pg = open_page("recommendations.html", color_scheme=scheme)
        href = first_link(pg, "a.rs-citation")
        pg = open_page(href, color_scheme=scheme)
        target_id = landed(pg)["id"]
        pg.evaluate(f"() => document.querySelectorAll('body > *').forEach(el => el.contains(document.getElementById('{target_id}')) || el.remove())")
        checked, failures = low_contrast_text(pg)
        assert checked > 0 and failures == [], f"{scheme}: {failures}"


def test_a_search_result_lands_on_its_paragraph_marked(open_page):
    from tests.browser.test_search import search

    pg = search(open_page, "return home interviews")
    href = first_link(pg, "#search-results > li:first-child h2 a")
    pg.click("#search-results > li:first-child h2 a")
    pg.wait_for_url("**/" + href)
    assert_marked_and_clear_of_the_top(landed(pg), href.split("#")[1])


def test_an_abbreviation_lands_on_its_glossary_entry_marked(open_page):
    pg = open_page("recommendations.html")
    href = first_link(pg, "main a.rs-abbr")
    pg.click("main a.rs-abbr >> nth=0")
    pg.wait_for_url("**/" + href)
    assert_marked_and_clear_of_the_top(landed(pg), href.split("#")[1])
