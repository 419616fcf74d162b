"""Tables never break a word: every cell keeps its words whole, on the widest screen and the narrowest,
and a grade reads as a label."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Each table cell that would let the browser break inside a word, with the properties that allow it.
BREAKABLE_CELLS_JS = r"""
() => [...document.querySelectorAll('table th, table td')].flatMap(cell => {
  const s = getComputedStyle(cell);
  const allows = [];
  if (s.overflowWrap !== 'normal') allows.push('overflow-wrap: ' + s.overflowWrap);
  if (!['normal', 'keep-all'].includes(s.wordBreak)) allows.push('word-break: ' + s.wordBreak);
  if (s.hyphens === 'auto') allows.push('hyphens: auto');
  return allows.length ? [cell.textContent.trim().slice(0, 40) + ': ' + allows.join(', ')] : [];
})
"""

# Each word of a table's cells (letters and digits between spaces, hyphens, dashes and slashes, where a line
# may end) whose letters the browser laid out on more than one line.
SPLIT_WORDS_JS = r"""
() => {
  const split = [];
  for (const cell of document.querySelectorAll('table th, table td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\s\-\u2010-\u2015\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}
"""


def pages_with_tables(built_site) -> list[str]:
    pages = sorted(p.name for p in built_site.glob("*.html") if "<table" in p.read_text(encoding="utf-8"))
    assert pages, "the site has no tables to check"
    return pages


def test_no_table_cell_lets_a_word_break(built_site, open_page):
    failures = {}
    for path in pages_with_tables(built_site):
        found = open_page(path, 320, 640).evaluate(BREAKABLE_CELLS_JS)
        if found:
            failures[path] = found[:5]
    assert failures == {}


@pytest.mark.parametrize("width, styles", [(320, ""), (375, ""), (1280, ""),
                                           (320, "html { font-size: 150% !important; }")],
                         ids=["320", "375", "1280", "320-very-large-text"])
def test_no_word_in_a_table_is_split_across_lines(built_site, open_page, width, styles):
    failures = {}
    for path in pages_with_tables(built_site):
        pg = open_page(path, width, 800)
        if styles:
            pg.add_style_tag(content=styles)
        split = pg.evaluate(SPLIT_WORDS_JS)
        if split:
            failures[path] = split
    assert failures == {}


def test_a_grade_is_a_framed_label(open_page):
    pg = open_page("index.html", 375, 740)
    grades = pg.evaluate("""() => [...document.querySelectorAll('.rs-grade')].map(el => {
        const s = getComputedStyle(el);
        return {text: el.textContent, border: s.borderTopStyle, width: parseFloat(s.borderTopWidth), display: s.display};
    })""")
    assert grades, "the home page shows no grades"
    for grade in grades:
        assert grade["border"] == "solid" and grade["width"] >= 1 and grade["display"] == "inline-block", grade


def test_a_table_whose_rows_stand_on_their_own_is_still_a_table_to_screen_readers(open_page):
    pg = open_page("index.html", 320, 640)
    assert pg.evaluate("getComputedStyle(document.querySelector('main .rs-table tr')).display") == "block", \
        "at 320 pixels the rows of the judgements table stand on their own"
    tree = pg.context.new_cdp_session(pg).send("Accessibility.getFullAXTree")["nodes"]
    roles = {node["role"]["value"] for node in tree if not node.get("ignored")}
    assert {"table", "row", "rowheader", "cell", "columnheader"} <= roles
