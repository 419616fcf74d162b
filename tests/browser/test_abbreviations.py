"""Abbreviations: each use is marked without changing a character; the first on a page is explained by
a link to the glossary that carries the expansion as its description and shows it laid over the page,
never as words in the text; a use the text already spells out is left alone; links, headings and
citations are left alone.

The first tests run on the Markdown and HTML alone; those marked `browser` run in Chromium (the check of
the first use on every page at 1280 px is in test_pages.py, through pagechecks.abbreviation_failures).
"""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest

from reportsite.markdown import parse_markdown, render_markdown
from reportsite.plugins.abbreviations import (
    abbreviation_anchor,
    explain_abbreviations,
    mark_abbreviations_in_html,
    mark_abbreviations_in_text,
)
from tests.browser.pagechecks import abbreviation_failures, overlay_failures
from tests.sitetext import parse_html

EXPANSIONS = {"CAF": "Common Assessment Framework", "CAMHS": "Child and Adolescent Mental Health Services",
              "SoS": "Signs of Safety", "MAPPA": "multi-agency public protection arrangements", "Ofsted": "Office for Standards",
              "LSCB": "Local Safeguarding Children Board", "IRO": "independent reviewing officer",
              "DCS": "Director of Children's Services"}
EXPLAINED = re.compile(r'<a class="rs-abbr" href="(?P<href>[^"]+)" aria-describedby="(?P<id>[^"]+)" '
                       r'data-rs-expansion="(?P<expansion>[^"]+)"><abbr>(?P<written>[^<]+)</abbr></a>')


def render_page(text: str, expansions: dict = EXPANSIONS, describe: bool = True) -> str:
    tokens, env = parse_markdown(text, abbreviations=expansions)
    env["paragraph_href"] = lambda anchor: f"part.html#{anchor}"
    html = f"<html><body><main>{render_markdown(tokens, env)}</main></body></html>"
    return explain_abbreviations(html, expansions, lambda anchor: f"glossary.html#{anchor}", describe)


def explained(html: str) -> list[tuple[str, str, str]]:
    """(href, abbreviation as written, expansion) of each explained use, each checked against its description."""
    found = []
    for link in EXPLAINED.finditer(html):
        description = re.search(rf'<dd id="{link["id"]}">([^<]*)</dd>', html)
        assert description and description.group(1) == link["expansion"], link.group()
        found.append((link["href"], link["written"], link["expansion"]))
    return found


def test_the_first_use_is_explained_and_links_to_the_glossary():
    html = render_page("The CAF was late. Another CAF was not.\n")
    assert explained(html) == [("glossary.html#abbreviation-caf", "CAF", "Common Assessment Framework")]
    assert html.count("CAF") == 3  # the two uses, and the description's term


def test_the_expansion_is_a_hidden_description_after_the_page_not_words_in_it():
    html = render_page("The CAF was late.\n")
    main, after = html.split("</main>")
    assert "Common Assessment Framework" not in parse_html(html).text()
    assert parse_html(main).text() == "The CAF was late."
    assert after == ('<dl class="rs-abbreviations-used" hidden>\n<div><dt>CAF</dt>'
                     '<dd id="abbreviation-caf-expansion">Common Assessment Framework</dd></div>\n</dl>\n</body></html>')


@pytest.mark.parametrize("text, word", [("Two CAFs.", "CAFs"), ("The MAPPAs met.", "MAPPAs"), ("SoS is used.", "SoS"),
                                        ("Ofsted's report.", "Ofsted"), ("NHS and CAMHS.", "CAMHS")])
def test_plurals_possessives_and_mixed_case_match(text, word):
    assert [w for _, w, _ in explained(render_page(text + "\n"))] == [word]


@pytest.mark.parametrize("text", ["CAFE and CAFS and XCAF and CAF2.", "Safeguarding CAMHSes? no: sos, caf."])
def test_only_whole_words_match(text):
    assert explained(render_page(text + "\n")) == []


@pytest.mark.parametrize("text", ["Signs of Safety (SoS) is used. The SoS works.",
                                  "The Local Safeguarding Children Board (LSCB) met; the LSCB agreed.",
                                  "Some independent reviewing officers (IROs) are new.",
                                  "The Director of Children’s Services (DCS) left.",
                                  "Signs of *Safety* is a model; Brent uses SoS widely."])
def test_a_use_the_sentence_already_spells_out_is_not_explained(text):
    html = render_page(text + "\n")
    assert explained(html) == []
    assert "rs-abbreviations-used" not in html


@pytest.mark.parametrize("text", ["Signs of Safety is a model.\n\nBrent uses SoS.", "Brent uses SoS, Signs of Safety.",
                                  "Designs of Safety (SoS) are not the model."])
def test_a_spelling_out_elsewhere_or_inside_other_words_does_not_count(text):
    assert [w for _, w, _ in explained(render_page(text + "\n"))] == ["SoS"]


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
    assert parse_html(render_page(text)).text() == text.strip()
    assert len(explained(render_page(text))) == 5


def test_for_a_download_the_first_use_only_links_to_the_glossary():
    html = render_page("The CAF was late. Another CAF.\n", describe=False)
    assert '<a class="rs-abbr" href="glossary.html#abbreviation-caf"><abbr>CAF</abbr></a> was late' in html
    assert "Common Assessment Framework" not in html


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


def test_every_abbreviation_the_report_uses_is_in_every_glossary(built_site, expansions):
    """The pages, the large print PDF, the e-book, the plain text and the Braille each end with the glossary."""
    pages = {p.name: p.read_text(encoding="utf-8") for p in built_site.glob("*.html")}
    text = " ".join(parse_html(html).text() for name, html in pages.items() if name != "glossary.html")
    used = {a for a in expansions if re.search(rf"(?<![A-Za-z0-9]){re.escape(a)}s?(?![A-Za-z0-9])", text)}
    assert used == set(expansions)
    downloads = built_site / "downloads"
    plain = next(downloads.glob("*.txt")).read_text(encoding="utf-8")
    glossary = plain[plain.index("\nGlossary of abbreviations\n"):]
    assert {a for a in used if f"\n{a}: {expansions[a]}\n" in glossary + "\n"} == used
    pdf = subprocess.run(["pdftotext", str(next(downloads.glob("*.pdf"))), "-"], capture_output=True, text=True).stdout
    pdf_glossary = " ".join(pdf[pdf.rindex("Glossary of abbreviations"):].split())
    assert {a for a in used if f"{a} {' '.join(expansions[a].split())}" in pdf_glossary} == used
    large_print = parse_html(pages["large-print.html"]).by_id("part-glossary").text()
    assert {a for a in used if f"{a} {expansions[a]}" in large_print} == used


# --------------------------------------------------------------------------- in the browser


@pytest.mark.browser
def test_the_explanation_overlays_and_moves_nothing_at_320_wide(page_path, open_page, expansions):
    page = open_page(page_path, 320, 640)
    _, failures = abbreviation_failures(page, expansions)
    _, overlaid = overlay_failures(page, expansions, hover=False)  # the pointer's path: at 1280 px (test_pages.py)
    assert failures + overlaid == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_explanation_is_readable_in_both_colour_schemes(scheme, open_page, expansions):
    page = open_page("large-print.html", 1280, 800, color_scheme=scheme)
    count, failures = overlay_failures(page, expansions, hover=False)
    assert count >= 3 and failures == []


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1280, 800), (320, 640)])
def test_the_explanation_shows_on_focus_and_hover_without_javascript(width, height, open_page, expansions):
    page = open_page("help-and-protection.html", width, height, java_script_enabled=False)
    count, failures = overlay_failures(page, expansions, escape=False)
    assert count >= 2 and failures == []


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1280, 800), (320, 640)])
def test_without_anchor_positioning_the_explanation_still_moves_nothing(width, height, browser, site_server, expansions):
    """Browsers that cannot anchor the overlay to its link lay it under the link's line instead."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()

    def unanchored(route):
        stylesheet = route.fetch().text()
        anchored = re.search(r"@supports \(position-area: bottom\) \{.*?\n\}\n", stylesheet, re.S)
        assert anchored, "site.css no longer anchors the overlay: update this test"
        route.fulfill(body=stylesheet.replace(anchored.group(), ""), content_type="text/css")

    page.route("**/static/css/site.css", unanchored)
    try:
        page.goto(site_server + "help-and-protection.html")
        count, failures = overlay_failures(page, expansions)
        assert count >= 2 and failures == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_printed_page_has_the_reports_words_and_lists_its_abbreviations_after_them(open_page, expansions):
    page = open_page("help-and-protection.html")
    page.locator("a.rs-abbr").first.focus()  # an overlay showing when the reader prints
    written = page.locator("a.rs-abbr").first.text_content()
    paragraph = " ".join(page.locator("a.rs-abbr").first.locator("xpath=ancestor::p[1]").text_content().split())
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(page.pdf())
        file.flush()
        printed = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
    printed = " ".join(printed.split())
    assert paragraph in printed
    assert expansions[written] not in printed.split("Abbreviations on this page")[0]
    listed = printed.split("Abbreviations on this page")[1]
    assert f"{written}: {expansions[written]}" in listed
