"""The report's words, unaltered on every page that shows them, as a reader gets them from the browser.

Each numbered paragraph, on its part's page and in the large print edition, is read four ways: its
text in the document (textContent), the text the browser renders (innerText), what copying it gives
(a selection copied to the clipboard), and what a screen reader reading the page finds (the text of its
nodes in Chromium's accessibility tree). Each must be the paragraph as the source prints it, with the
first abbreviation in it focused, so that its explanation is showing. What the site adds beside the
paragraph (its number, the recommendations that cite it, its charts: tests.sitetext.PARAGRAPH_ADDITIONS)
is left out; it is an element of its own, never inside a sentence. The other formats are checked in
tests/test_report_words.py.
"""

from __future__ import annotations

import pytest

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from tests.browser.pagechecks import DevTools
from tests.seedtext import numbered_paragraphs
from tests.sitetext import PARAGRAPH_ADDITIONS

pytestmark = pytest.mark.browser

PARAGRAPHS = numbered_paragraphs()
SITE = resolve(load_report(Sources().content))
ON_PAGE = {"large-print.html": [int(paragraph.label) for paragraph in SITE.paragraphs.values()]}  # page -> its numbered paragraphs
for _paragraph in SITE.paragraphs.values():
    ON_PAGE.setdefault(_paragraph.page.url, []).append(int(_paragraph.label))

# A numbered paragraph's own children: all but the site's additions.
OWN_CHILDREN = "[...document.getElementById('paragraph-%d').children].filter(child => !%r.some(name => child.classList.contains(name)))"
# The paragraph's own children selected, and their text.
READ_JS = r"""
([id, additions]) => {
  const own = [...document.getElementById(id).children].filter(child => !additions.some(name => child.classList.contains(name)));
  const range = document.createRange();
  range.setStartBefore(own[0]);
  range.setEndAfter(own[own.length - 1]);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return {textContent: own.map(child => child.textContent).join(' '), innerText: own.map(child => child.innerText).join(' '),
          selection: selection.toString(), own: own.length};
}
"""


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def reader(browser, site_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", sorted(ON_PAGE))
def test_every_paragraph_reads_as_the_source_has_it(path, reader, site_server):
    reader.goto(site_server + path)
    devtools = DevTools(reader)
    numbers = [int(id.removeprefix("paragraph-")) for id in reader.eval_on_selector_all(".rs-paragraph", "all => all.map(p => p.id)")]
    assert numbers == ON_PAGE[path]
    differing, focused = {}, 0
    additions = list(PARAGRAPH_ADDITIONS)
    for number in numbers:
        paragraph = reader.locator(f"#paragraph-{number}")
        explained = paragraph.locator("a.rs-abbr")
        if explained.count():
            explained.first.focus()
            focused += 1
        read = reader.evaluate(READ_JS, [f"paragraph-{number}", additions])
        reader.keyboard.press("Control+C")
        read["copied"] = reader.evaluate("navigator.clipboard.readText()")
        read["screen reader"] = " ".join(devtools.accessible(f"{OWN_CHILDREN % (number, additions)}[{index}]")["text"]
                                         for index in range(read["own"]))
        for way in ("textContent", "innerText", "selection", "copied", "screen reader"):
            if words(read[way]) != PARAGRAPHS[number]:
                differing[f"paragraph {number}, {way}"] = words(read[way])
    assert differing == {}
    if path == "large-print.html":  # every abbreviation the page explains was showing while its paragraph was read
        assert focused >= 3
