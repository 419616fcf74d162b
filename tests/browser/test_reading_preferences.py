"""Reading preferences: text size, the large print edition, the dark scheme, reduced motion, print.

Each works without JavaScript; the script only remembers the text size from page to page.
"""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest

pytestmark = pytest.mark.browser

BODY_TEXT = "main p"


def open_display(pg) -> None:
    """Open the header's display panel, which holds the text size control."""
    pg.locator("header summary", has_text="Display").click()


def font_size(pg, selector: str = BODY_TEXT) -> float:
    return float(pg.evaluate("s => getComputedStyle(document.querySelector(s)).fontSize", selector).removesuffix("px"))


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_the_text_size_control_enlarges_the_text(open_page, javascript):
    pg = open_page("executive-summary.html", java_script_enabled=javascript)
    standard = font_size(pg)
    open_display(pg)
    for label, scale in [("Large", 1.25), ("Very large", 1.5), ("Standard", 1.0)]:
        pg.get_by_label(label, exact=True).check()
        assert font_size(pg) == pytest.approx(standard * scale), label


def test_the_text_size_control_works_by_keyboard(open_page):
    pg = open_page("index.html")
    standard = font_size(pg)
    pg.locator("header summary", has_text="Display").focus()
    pg.keyboard.press("Enter")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.id") == "text-size-standard"
    pg.keyboard.press("ArrowRight")
    assert pg.get_by_label("Large", exact=True).is_checked()
    assert font_size(pg) == pytest.approx(standard * 1.25)


def test_the_chosen_text_size_is_remembered_from_page_to_page(open_page, site_server):
    pg = open_page("index.html")
    standard = font_size(pg)
    open_display(pg)
    pg.get_by_label("Very large", exact=True).check()
    pg.goto(site_server + "leadership.html")
    assert pg.get_by_label("Very large", exact=True).is_checked()
    open_display(pg)
    assert font_size(pg) == pytest.approx(standard * 1.5)
    pg.get_by_label("Standard", exact=True).check()
    pg.goto(site_server + "index.html")
    assert font_size(pg) == pytest.approx(standard)


def test_text_follows_the_browsers_font_size_setting(open_page):
    pg = open_page("help-and-protection.html")
    standard = font_size(pg)
    session = pg.context.new_cdp_session(pg)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # the reader's setting, doubled
    pg.reload()
    assert font_size(pg) == pytest.approx(standard * 2)
    assert font_size(pg, "h1") > font_size(pg)


def test_no_stylesheet_sets_a_font_size_in_pixels(built_site):
    for css in sorted((built_site / "static" / "css").glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"font-size:\s*[\d.]+px", text), css.name


LARGE_PRINT_JS = r"""
() => {
  const visible = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const s = getComputedStyle(node);
      if (s.display === 'none' || s.visibility === 'hidden' || s.clipPath === 'inset(50%)') return false;
    }
    return true;
  };
  const texts = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) if (t.textContent.trim()) texts.add(t.parentElement);
  const rows = [];
  for (const el of texts) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    rows.push({tag: el.tagName.toLowerCase(), cls: el.className, text: el.textContent.trim().slice(0, 40),
               size: parseFloat(s.fontSize), style: s.fontStyle, transform: s.textTransform, align: s.textAlign,
               decoration: s.textDecorationLine, family: s.fontFamily, link: !!el.closest('a')});
  }
  const [first, second] = document.querySelectorAll('main .rs-paragraph');
  const ps = getComputedStyle(first.querySelector('p'));
  const gap = second.getBoundingClientRect().top - first.getBoundingClientRect().bottom;
  return {rows, paragraph: {size: parseFloat(ps.fontSize), gap, lineHeight: parseFloat(ps.lineHeight)}};
}
"""
PT = 96 / 72  # CSS pixels per point


def test_the_large_print_edition_follows_the_large_print_guidance(open_page):
    pg = open_page("large-print.html")
    found = pg.evaluate(LARGE_PRINT_JS)
    paragraph = found["paragraph"]
    assert paragraph["size"] >= 18 * PT - 0.01, "body text is 18 point"
    assert paragraph["gap"] >= paragraph["lineHeight"] - 0.5, "a blank line between paragraphs"
    rows = found["rows"]
    assert len(rows) > 500
    small = [r for r in rows if r["size"] < 16 * PT - 0.01]
    assert small == [], "no text under 16 point"
    assert [r for r in rows if r["style"] != "normal"] == [], "no italics"
    assert [r for r in rows if r["transform"] not in ("none",)] == [], "no capitals made by the stylesheet"
    assert [r for r in rows if r["align"] not in ("left", "start")] == [], "left-aligned"
    assert [r for r in rows if "underline" in r["decoration"] and not r["link"]] == [], "no underlining except links"
    assert "serif" not in rows[0]["family"].replace("sans-serif", ""), "a sans-serif face"


def test_the_large_print_edition_holds_the_whole_report_with_links_within_it(open_page):
    pg = open_page("large-print.html")
    numbers = pg.eval_on_selector_all(".rs-paragraph", "els => els.map(e => e.id)")
    assert numbers == [f"paragraph-{n}" for n in range(1, 130)]
    hrefs = pg.eval_on_selector_all(".rs-citation, .rs-paragraph__backlinks a, .rs-abbr, main .rs-table a",
                                    "els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) > 50
    outside = [h for h in hrefs if not h.startswith("#")]
    assert outside == []
    missing = pg.evaluate("hrefs => hrefs.filter(h => !document.getElementById(h.slice(1)))", hrefs)
    assert missing == []


def test_the_dark_scheme_follows_the_readers_setting(open_page):
    colours = {}
    for scheme in ("light", "dark"):
        pg = open_page("index.html", color_scheme=scheme)
        colours[scheme] = pg.evaluate("() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
    assert colours["light"][0] == "rgb(255, 255, 255)"
    assert colours["dark"][0] == "rgb(18, 18, 18)"
    assert colours["light"][1] != colours["dark"][1]


MOTION_JS = r"""
() => [...document.querySelectorAll('*')].filter(el => {
  const s = getComputedStyle(el);
  return s.animationName !== 'none' || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
      || s.scrollBehavior === 'smooth';
}).map(el => el.tagName.toLowerCase() + '.' + el.className)
"""


@pytest.mark.parametrize("path", ["index.html", "help-and-protection.html", "large-print.html"])
def test_nothing_moves_when_the_reader_asks_for_reduced_motion(open_page, path):
    pg = open_page(path, reduced_motion="reduce")
    pg.locator("a.rs-abbr").first.hover() if pg.locator("a.rs-abbr").count() else None
    assert pg.evaluate(MOTION_JS) == []


PRINT_JS = r"""
() => {
  const shown = (s) => [...document.querySelectorAll(s)].filter(el => getComputedStyle(el).display !== 'none'
                                                                   && el.getClientRects().length).length;
  const heading = document.querySelector('main h2');
  // What the stylesheet adds before or after anything inside the report's paragraphs.
  const added = [...document.querySelectorAll('.rs-paragraph *')].flatMap(el => ['::before', '::after']
    .map(pseudo => getComputedStyle(el, pseudo).content).filter(c => c !== 'none' && c !== 'normal' && c !== '""'));
  return {
    navigation: shown('nav, .rs-skip-link, .rs-text-size'),
    controls: shown('form, input, button, select, textarea'),
    numbers: shown('.rs-paragraph__number'),
    allNumbers: document.querySelectorAll('.rs-paragraph__number').length,
    added,
    headingBreak: getComputedStyle(heading).breakAfter,
    fontSize: getComputedStyle(document.documentElement).fontSize,
  };
}
"""


def test_the_print_stylesheet_leaves_out_navigation_and_controls_and_adds_nothing_to_the_report(open_page):
    pg = open_page("recommendations.html")
    pg.emulate_media(media="print")
    found = pg.evaluate(PRINT_JS)
    assert found["navigation"] == 0
    assert found["controls"] == 0, "no search field, text size control or button on paper"
    assert found["numbers"] == found["allNumbers"] > 0
    assert found["added"] == [], "nothing is printed inside the report's sentences, such as a citation's address"
    assert found["headingBreak"] == "avoid"
    assert found["fontSize"] == "16px"  # 12 point, whatever text size was chosen on screen


def test_a_printed_page_holds_no_web_address_and_no_control(open_page):
    pg = open_page("recommendations.html")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pg.pdf())
        file.flush()
        printed = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(printed.split())
    assert ".html" not in words and "#paragraph-" not in words
    assert "Search the report" not in words and "Text size" not in words
    first = " ".join(pg.locator(".rs-paragraph p").first.text_content().split())
    assert first in words, "the first recommendation is printed as written"
