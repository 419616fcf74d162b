"""The page checks catch what they claim to, proved on tiny pages written here."""

from __future__ import annotations

import pytest

from tests.browser import helpers
from tests.browser.pagechecks import (
    abbreviation_failures,
    clipped_content,
    footnote_failures,
    horizontal_overflow,
    keyboard_failures,
    low_contrast_text,
    overlay_failures,
    skip_link_failures,
)

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Check</title><style>{style}</style></head>
<body><a class="rs-skip-link" href="#main-content">Skip to main content</a>
<header><a id="first" href="#x">Home</a></header>
<main id="main-content" tabindex="-1"><p>Some text with <a href="#y">a link</a>.</p>{body}</main>
</body></html>
"""
FOCUS = "a:focus { outline: 3px solid #000; }"


@pytest.fixture
def show(tmp_path, page):
    """show(body, style) -> the page showing a tiny document."""
    servers = []

    def _show(body: str = "", style: str = FOCUS):
        (tmp_path / "index.html").write_text(PAGE.format(body=body, style=style), encoding="utf-8")
        server = helpers.serve_directory(tmp_path)
        servers.append(server)
        page.goto(server.__enter__() + "index.html")
        return page

    yield _show
    for server in servers:
        server.__exit__(None, None, None)


def test_a_page_that_fits_passes_reflow(show):
    assert horizontal_overflow(show()) == []


def test_a_wide_element_fails_reflow_and_is_named(show):
    failures = horizontal_overflow(show('<div class="too-wide" style="width: 3000px">wide</div>'))
    assert failures and "div.too-wide" in "\n".join(failures)


def test_dark_text_on_white_passes_contrast(show):
    checked, failures = low_contrast_text(show())
    assert checked >= 3 and failures == []


def test_grey_text_fails_contrast_at_7_to_1_and_is_named(show):
    _, failures = low_contrast_text(show('<p class="grey" style="color: #767676">Grey text, 4.5:1.</p>'))
    assert len(failures) == 1 and "p.grey" in failures[0] and "4.5" in failures[0]


def test_every_link_reached_with_visible_focus_passes(show):
    reached, failures = keyboard_failures(show())
    assert (reached, failures) == (3, [])


def test_a_link_without_a_focus_indicator_fails(show):
    _, failures = keyboard_failures(show(style="a:focus { outline: none; }"))
    assert failures and all("focus-visible" in f for f in failures)


def test_a_link_hidden_under_a_sticky_header_fails(show):
    style = FOCUS + " .cover { position: fixed; top: 0; left: 0; right: 0; height: 400px; background: #fff; }"
    _, failures = keyboard_failures(show('<div class="cover">Sticky</div>', style))
    assert any("focus-not-obscured" in f and "div.cover" in f for f in failures)


def test_the_skip_link_check_follows_the_link(show):
    assert skip_link_failures(show()) == []


def test_a_page_whose_first_tab_is_not_the_skip_link_fails(show):
    page = show()
    page.evaluate("() => document.querySelector('.rs-skip-link').remove()")
    failures = skip_link_failures(page)
    assert failures and "a#first" in failures[0]


def test_an_unexplained_first_abbreviation_fails(show):
    expansions = {"CAF": "Common Assessment Framework"}
    page = show('<p>The CAF was late.</p>')
    count, failures = abbreviation_failures(page, expansions)
    assert count == 0 and failures and "CAF" in failures[0]


CAF = {"CAF": "Common Assessment Framework"}
EXPLAINED_CAF = ('<p>Two <a class="rs-abbr" href="glossary.html#abbreviation-caf" aria-describedby="caf-expansion" '
                 'data-rs-expansion="Common Assessment Framework"><abbr>CAFs</abbr></a>, then the CAF.</p>')
CAF_DESCRIPTION = '<dl class="rs-abbreviations-used" hidden><dt>CAF</dt><dd id="caf-expansion">Common Assessment Framework</dd></dl>'
OVERLAY = FOCUS + """ p { position: relative; line-height: 1.5; }
.rs-abbr:focus::after { content: attr(data-rs-expansion) / ""; position: absolute; left: 0; margin-top: 2lh;
                        color: #000; background: #fff; box-shadow: inset 0 0 0 2px #000; %s }"""


def test_an_explained_first_abbreviation_passes(show):
    count, failures = abbreviation_failures(show(EXPLAINED_CAF + CAF_DESCRIPTION), CAF)
    assert (count, failures) == (1, [])


def test_an_abbreviation_spelled_out_before_its_first_use_passes(show):
    count, failures = abbreviation_failures(show('<p>A Common Assessment Framework (CAF) was late.</p>'), CAF)
    assert (count, failures) == (0, [])


def test_an_expansion_written_into_the_text_fails(show):
    body = ('<p>Two <a class="rs-abbr" href="glossary.html#abbreviation-caf"><abbr>CAFs</abbr>'
            '<span class="rs-abbr__expansion"> (Common Assessment Framework)</span></a>.</p>')
    _, failures = abbreviation_failures(show(body), CAF)
    assert any("adds words to the text" in f for f in failures)
    assert any("not described by its expansion" in f for f in failures)


def test_an_overlay_laid_over_the_page_passes(show):
    count, failures = overlay_failures(show(EXPLAINED_CAF + CAF_DESCRIPTION, OVERLAY % ""), CAF, hover=False, escape=False)
    assert (count, failures) == (1, [])


@pytest.mark.parametrize("style, failure", [("position: static", "moves"), ("left: 3000px", "leaves the"),
                                            ("margin-top: 0", "covers the link"), ("color: #777", "contrast below 7")])
def test_an_overlay_that_moves_text_leaves_the_screen_covers_the_link_or_is_faint_fails(show, style, failure):
    _, failures = overlay_failures(show(EXPLAINED_CAF + CAF_DESCRIPTION, OVERLAY % style), CAF, hover=False, escape=False)
    assert any(failure in f for f in failures), failures


def test_a_footnote_without_a_back_link_fails(show):
    body = ('<p>Text<sup><a href="#fn-1" id="ref-1" role="doc-noteref">Footnote 1</a></sup>.</p>'
            '<div id="fn-1" role="doc-footnote"><p>The note.</p></div>')
    count, failures = footnote_failures(show(body))
    assert count == 1 and any("doc-backlink" in f for f in failures)


def test_content_cut_off_by_a_fixed_height_fails_and_is_named(show):
    failures = clipped_content(show('<div class="boxed" style="height: 1em; overflow: hidden">One<br>Two<br>Three</div>'))
    assert failures and "div.boxed" in failures[0]
    assert clipped_content(show()) == []
