"""Following the evidence, as a reader does in Chromium: from a recommendation to the paragraphs it cites, each
named by its number and part and readable in place; from a cited paragraph back to the recommendations, named
in their own words; and a paragraph's own link, said on hover and focus, and copied with a button."""

from __future__ import annotations

import pytest

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from tests.browser.pagechecks import DevTools
from tests.seedtext import numbered_paragraphs, recommendation_citations

pytestmark = pytest.mark.browser

SITE = resolve(load_report(Sources().content))
PARAGRAPHS = numbered_paragraphs()
CITED = recommendation_citations()  # recommendation -> the paragraphs it cites, as the source prints them
PART_OF = {int(paragraph.label): paragraph.part.heading for paragraph in SITE.paragraphs.values()}
ON_PAGE = {}  # page -> the paragraphs on it that recommendations cite
for _numbers in CITED.values():
    for _number in _numbers:
        ON_PAGE.setdefault(SITE.paragraphs[f"paragraph-{_number}"].page.url, set()).add(_number)

BOXES = "els => els.map(el => { const box = el.getBoundingClientRect(); return [el.textContent.trim(), box.width, box.height]; })"


def small_boxes(boxes: list) -> list:
    return [box for box in boxes if box[1] < 24 or box[2] < 24]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("width, height", [(1280, 800), (375, 740)])
def test_each_recommendation_names_its_evidence_by_paragraph_and_part_in_large_targets(open_page, width, height):
    pg = open_page("recommendations.html", width, height)
    for recommendation, numbers in CITED.items():
        evidence = f"#paragraph-{recommendation} .rs-paragraph__evidence > ul > li"
        links = pg.eval_on_selector_all(f"{evidence} > a", BOXES)
        assert [text for text, _, _ in links] == [f"Paragraph {number} – {PART_OF[number]}" for number in numbers]
        summaries = pg.eval_on_selector_all(f"{evidence} summary", BOXES)
        assert [text for text, _, _ in summaries] == [f"Read paragraph {number} here" for number in numbers]
        assert small_boxes(links + summaries) == [], f"recommendation {recommendation}: targets under 24 by 24 px"
    for number in sorted({number for numbers in CITED.values() for number in numbers}):
        link = pg.locator(f".rs-paragraph__evidence a[href$='#paragraph-{number}']").first
        assert pg.evaluate("href => document.querySelector(`a[href='${href}']`) !== null", link.get_attribute("href"))


def test_a_cited_paragraphs_text_opens_in_place_without_javascript(open_page):
    pg = open_page("recommendations.html", java_script_enabled=False)
    item = pg.locator("#paragraph-2 .rs-paragraph__evidence li").first
    quote = item.locator("blockquote")
    assert not quote.is_visible(), "closed until the reader asks"
    item.locator("summary").focus()
    pg.keyboard.press("Enter")
    assert quote.is_visible()
    assert words(quote.inner_text()) == PARAGRAPHS[93]
    assert pg.url.endswith("recommendations.html"), "read in place: the page has not changed"
    item.locator("summary").click()
    assert not quote.is_visible()


def test_every_quoted_paragraph_reads_as_the_source_has_it_and_repeats_no_id(open_page):
    pg = open_page("recommendations.html")
    pg.eval_on_selector_all("details", "all => all.forEach(d => d.open = true)")
    quoted = pg.eval_on_selector_all(
        ".rs-paragraph__evidence > ul > li",
        "items => items.map(li => [li.querySelector('a').textContent, li.querySelector('blockquote').innerText])")
    assert len(quoted) == sum(len(numbers) for numbers in CITED.values())
    assert {name: words(text) for name, text in quoted if words(text) != PARAGRAPHS[int(name.split()[1])]} == {}
    ids = pg.eval_on_selector_all("[id]", "all => all.map(el => el.id)")
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", sorted(ON_PAGE))
def test_a_link_back_says_the_recommendations_words_and_is_a_large_target(open_page, path):
    pg = open_page(path)
    devtools = DevTools(pg)
    checked = 0
    for number in sorted(ON_PAGE[path]):
        citing = [recommendation for recommendation, numbers in CITED.items() if number in numbers]
        selector = f"#paragraph-{number} .rs-paragraph__backlinks a"
        boxes = pg.eval_on_selector_all(selector, BOXES)
        assert small_boxes(boxes) == [], f"paragraph {number}"
        for index, recommendation in enumerate(citing):
            name = devtools.accessible(f"document.querySelectorAll('{selector}')[{index}]")["name"]
            said, _, opening = name.partition(": ")
            assert said == f"Recommendation {recommendation}", name
            assert len(opening) > 20 and opening.endswith("…") and PARAGRAPHS[recommendation].startswith(opening[:-1]), name
            assert not PARAGRAPHS[recommendation][len(opening) - 1].isalnum(), f"{name}: cut inside a word"
            checked += 1
    assert checked == sum(1 for numbers in CITED.values() for number in numbers if number in ON_PAGE[path])


# A paragraph number's ::after, and what is drawn just above the number and at its middle.
NUMBER_JS = r"""
(id) => {
  const link = document.querySelector(`#${id} > .rs-paragraph__number`);
  const box = link.getBoundingClientRect();
  return {said: getComputedStyle(link, '::after').content,
          above: document.elementFromPoint(box.left + 4, box.top - 6) === link,
          itself: document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === link,
          focused: document.activeElement === link};
}
"""


def test_a_paragraph_number_says_link_to_paragraph_on_hover_and_focus_above_itself(open_page):
    pg = open_page("leadership.html")
    quiet = pg.evaluate(NUMBER_JS, "paragraph-94")
    assert quiet["said"] == "none" and not quiet["above"]
    pg.hover("#paragraph-94 > .rs-paragraph__number")
    hovered = pg.evaluate(NUMBER_JS, "paragraph-94")
    assert hovered["said"].startswith('"Link to paragraph 94"') and hovered["above"] and hovered["itself"]
    pg.mouse.move(0, 0)
    pg.focus("#paragraph-93 .rs-paragraph__backlinks a")
    pg.keyboard.press("Tab")  # to the next paragraph's number
    focused = pg.evaluate(NUMBER_JS, "paragraph-94")
    assert focused["focused"] and focused["said"].startswith('"Link to paragraph 94"') and focused["above"]
    assert focused["itself"], "the number and its focus indicator stay in view"
    pg.keyboard.press("Escape")
    dismissed = pg.evaluate(NUMBER_JS, "paragraph-94")
    assert dismissed["focused"] and dismissed["said"] == "none", "Escape hides it and leaves focus where it is"


def test_with_javascript_a_button_copies_a_paragraphs_link_and_says_so_politely(browser, site_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        pg = context.new_page()
        pg.goto(site_server + "leadership.html")
        button = pg.locator("#paragraph-94 .rs-paragraph__copy")
        seen = "el => getComputedStyle(el).opacity"
        assert button.evaluate(seen) == "0", "seen only when wanted"
        pg.focus("#paragraph-94 > .rs-paragraph__number")
        assert button.evaluate(seen) == "1", "seen once the paragraph's number has focus"
        pg.keyboard.press("Tab")
        assert pg.evaluate("() => document.activeElement.matches('#paragraph-94 .rs-paragraph__copy')")
        assert DevTools(pg).accessible("document.activeElement")["name"] == "Copy link to paragraph 94"
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        pg.keyboard.press("Enter")
        status = pg.locator("[role=status]")
        status.filter(has_text="copied").wait_for(state="attached")
        assert status.text_content() == "Link to paragraph 94 copied"
        assert pg.evaluate("navigator.clipboard.readText()") == site_server + "leadership.html#paragraph-94"
        assert button.evaluate("el => el.firstChild.data") == "Copied", "what the button shows says so too"
    finally:
        context.close()


def test_without_javascript_the_number_is_the_link_and_there_is_no_button(open_page):
    pg = open_page("leadership.html", java_script_enabled=False)
    assert pg.locator(".rs-paragraph__copy").count() == 0
    assert pg.get_attribute("#paragraph-94 > .rs-paragraph__number", "href") == "#paragraph-94"


def test_on_paper_the_evidence_names_each_paragraph_and_prints_its_text(open_page):
    pg = open_page("recommendations.html")
    pg.emulate_media(media="print")
    item = pg.locator("#paragraph-1 .rs-paragraph__evidence li").first
    assert item.locator("a").inner_text() == f"Paragraph 102 – {PART_OF[102]}"
    assert item.locator("blockquote").is_visible() and words(item.locator("blockquote").inner_text()) == PARAGRAPHS[102]
    assert not item.locator("summary").is_visible(), "no control on paper"
    shown = pg.eval_on_selector_all(".rs-paragraph__evidence blockquote", "all => all.filter(q => q.checkVisibility()).length")
    assert shown == sum(len(numbers) for numbers in CITED.values())
