"""The abbreviations plugin: each use is marked without changing a character; the first on a page
is explained, with a link to the glossary; links, headings and citations are left alone.

(Not browser tests: they run on the Markdown and HTML alone. The browser checks of every page are
in test_pages.py.)
"""

from __future__ import annotations

import re

import pytest

from reportsite.markdown import parse_markdown, render_markdown
from reportsite.plugins.abbreviations import (
    abbreviation_anchor,
    explain_abbreviations,
    mark_abbreviations_in_html,
    mark_abbreviations_in_text,
)
from tests.sitetext import parse_html

EXPANSIONS = {"CAF": "Common Assessment Framework", "CAMHS": "Child and Adolescent Mental Health Services",
              "SoS": "Signs of Safety", "MAPPA": "multi-agency public protection arrangements", "Ofsted": "Office for Standards"}


def render_page(text: str, expansions: dict = EXPANSIONS) -> str:
    tokens, env = parse_markdown(text, abbreviations=expansions)
    env["paragraph_href"] = lambda number: f"part.html#paragraph-{number}"
    html = render_markdown(tokens, env)
    return explain_abbreviations(html, expansions, lambda anchor: f"glossary.html#{anchor}")


def explained(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<a class="rs-abbr" href="([^"]+)"><abbr>([^<]+)</abbr><span class="rs-abbr__expansion"> \(([^)]+)\)</span></a>', html)


def test_the_first_use_is_explained_and_links_to_the_glossary():
    html = render_page("The CAF was late. Another CAF was not.\n")
    assert explained(html) == [("glossary.html#abbreviation-caf", "CAF", "Common Assessment Framework")]
    assert html.count("CAF") == 2


@pytest.mark.parametrize("text, word", [("Two CAFs.", "CAFs"), ("The MAPPAs met.", "MAPPA"), ("SoS is used.", "SoS"),
                                        ("Ofsted's report.", "Ofsted"), ("NHS and CAMHS.", "CAMHS")])
def test_plurals_possessives_and_mixed_case_match(text, word):
    assert [w for _, w, _ in explained(render_page(text + "\n"))][0].startswith(word)


@pytest.mark.parametrize("text", ["CAFE and CAFS and XCAF and CAF2.", "Safeguarding CAMHSes? no: sos, caf."])
def test_only_whole_words_match(text):
    assert explained(render_page(text + "\n")) == []


def test_links_and_headings_are_left_alone():
    html = render_page("## The CAF\n\nSee [the CAF](other.html). Then the CAF.\n")
    assert '<h2 id="the-caf">The CAF</h2>' in html
    assert '<a href="other.html">the CAF</a>' in html
    assert len(explained(html)) == 1 and html.index('class="rs-abbr"') > html.index("other.html")


def test_citations_are_left_alone_in_a_numbered_paragraph():
    html = render_page("4. The CAF (paragraphs 18, 62).\n")
    assert len(explained(html)) == 1
    assert html.count('class="rs-citation"') == 2


def test_the_wording_is_unchanged():
    text = "The CAF, CAFs and SoS; MAPPAs and CAMHS. Ofsted's CAF.\n"
    visible = parse_html(render_page(text)).text()
    assert visible == text.strip()


def test_without_a_list_of_abbreviations_nothing_changes():
    tokens, env = parse_markdown("The CAF.\n")
    assert render_markdown(tokens, env) == "<p>The CAF.</p>\n"


def test_later_uses_on_the_page_are_plain_text_whatever_their_source():
    tokens, env = parse_markdown("The CAF.\n", abbreviations=EXPANSIONS)
    page = render_markdown(tokens, env) + mark_abbreviations_in_text("Footer: CAF & SoS", EXPANSIONS)
    page = explain_abbreviations(page, EXPANSIONS, lambda anchor: f"#{anchor}")
    assert [w for _, w, _ in explained(page)] == ["CAF", "SoS"]
    assert "Footer: CAF &amp; " in page


def test_template_html_is_marked_outside_links_and_headings_only():
    html = '<h2>CAF</h2><p>A CAF, <a href="x">CAF</a>, <abbr>CAF</abbr> <span title="CAF">SoS</span></p>'
    marked = mark_abbreviations_in_html(html, EXPANSIONS)
    assert marked.count("data-rs-abbreviation") == 2
    assert '<h2>CAF</h2>' in marked and '<a href="x">CAF</a>' in marked and 'title="CAF"' in marked


def test_anchors_match_the_glossary():
    assert abbreviation_anchor("SoS") == "abbreviation-sos"
    assert abbreviation_anchor("Cafcass") == "abbreviation-cafcass"


def test_the_glossary_lists_every_abbreviation(built_site, expansions):
    glossary = parse_html((built_site / "glossary.html").read_text(encoding="utf-8"))
    entries = {e.attrs["id"]: e.find_all("dd")[0].text() for e in glossary.find_all("div", "rs-glossary__entry")}
    assert entries == {abbreviation_anchor(a): x for a, x in expansions.items()}


def test_every_abbreviation_the_report_uses_is_explained_somewhere(built_site, expansions):
    pages = {p.name: p.read_text(encoding="utf-8") for p in built_site.glob("*.html")}
    text = " ".join(parse_html(html).text() for name, html in pages.items() if name != "glossary.html")
    used = {a for a in expansions if re.search(rf"(?<![A-Za-z0-9]){re.escape(a)}s?(?![A-Za-z0-9])", text)}
    explained_somewhere = {w for html in pages.values() for _, w, _ in explained(html)}
    explained_keys = {a for a in expansions if any(w in (a, a + "s") for w in explained_somewhere)}
    assert used - explained_keys == set()
    assert len(used) >= 25
