"""Finding the way: the header's menu, search and display disclosures, the contents numbered as the report
numbers its parts, a long page's list of its sections and the links back to the contents, on phones too,
and the large print edition's own contents."""

from __future__ import annotations

import re

import pytest

from tests.browser import helpers
from tests.browser.pagechecks import AXE_RULES, AXE_TAGS, FOCUSABLE_JS, FOCUSED_JS, TEXT_AT_200_PERCENT, describe_js

pytestmark = pytest.mark.browser

PHONE = (375, 740)


def disclosures(pg) -> dict[str, bool]:
    """The header's disclosure buttons as Chromium's accessibility tree gives them: name -> expanded."""
    nodes = pg.context.new_cdp_session(pg).send("Accessibility.getFullAXTree")["nodes"]
    found = {}
    for node in nodes:
        if node.get("role", {}).get("value", "").startswith("DisclosureTriangle") and not node.get("ignored"):
            properties = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            found[node["name"]["value"]] = properties.get("expanded")
    return found


def box(pg, selector: str) -> dict:
    return pg.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect(); "
                                         "return {top: r.top, bottom: r.bottom, height: r.height, width: r.width}; }")


# --------------------------------------------------------------------------- phones (point 6)

def test_the_heading_starts_in_the_top_30_percent_of_a_phone_screen(page_path, open_page):
    pg = open_page(page_path, *PHONE)
    top = box(pg, "h1")["top"]
    assert top <= 0.3 * PHONE[1], f"{page_path}: the h1 starts {top:.0f} px down a {PHONE[1]} px screen"


def test_with_text_at_200_percent_the_heading_still_starts_on_a_phones_first_screen(page_path, open_page):
    pg = open_page(page_path, *PHONE)
    pg.add_style_tag(content=TEXT_AT_200_PERCENT)
    top = box(pg, "h1")["top"]
    assert top < PHONE[1] - 32, f"{page_path}: at 200% text the h1 starts {top:.0f} px down a {PHONE[1]} px screen"


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_menu_search_and_display_are_disclosures_that_open_without_javascript(open_page, javascript):
    pg = open_page("leadership.html", *PHONE, java_script_enabled=javascript)
    assert disclosures(pg) == {"Menu": False, "Search": False, "Display": False}
    panels = {"Menu": "header #contents", "Search": "header .rs-search--header", "Display": "header #text-size"}
    for name, panel in panels.items():
        assert not pg.locator(panel).is_visible()
        pg.locator("header summary", has_text=name).click()
        assert disclosures(pg) == {other: other == name for other in panels}, "one open at a time, and says so"
        assert pg.locator(panel).is_visible()
        assert box(pg, panel)["width"] >= 0.8 * (PHONE[0] - 32), f"the {name} panel spans the header"
    pg.locator("header summary", has_text="Display").press("Enter")
    assert disclosures(pg)["Display"] is False, "a disclosure closes from the keyboard"


def test_the_contents_opens_at_the_top_of_a_phone_screen_not_the_foot_of_the_page(open_page):
    pg = open_page("children-looked-after.html", *PHONE)
    pg.locator("header summary", has_text="Menu").click()
    contents = box(pg, "#contents")
    assert 0 <= contents["top"] < 0.5 * PHONE[1]
    assert pg.evaluate("scrollY") == 0
    assert pg.locator("#contents a[aria-current=page]").get_attribute("href") == "children-looked-after.html"


# --------------------------------------------------------------------------- long pages (point 5)

def test_a_page_of_several_sections_lists_them_under_its_heading(open_page):
    pg = open_page("the-local-authority.html")
    listed = pg.eval_on_selector("#on-this-page", """nav => [...nav.querySelectorAll(':scope > ol > li')].map(li => [
        li.querySelector(':scope > a').getAttribute('href'),
        [...li.querySelectorAll(':scope > ol > li > a')].map(a => a.getAttribute('href'))])""")
    headings = pg.eval_on_selector_all("main .rs-part :is(h2, h3)[id]:not(.rs-contents__title, .rs-footnotes__title)", "hs => hs.map(h => [h.tagName, '#' + h.id])")
    sections: list = []
    for tag, anchor in headings:
        if tag == "H2":
            sections.append([anchor, []])
        else:
            sections[-1][1].append(anchor)
    assert listed == sections
    assert len(listed) == 1 and len(listed[0][1]) == 5, "the h3s are listed under their h2"
    order = pg.evaluate("""() => { const h1 = document.querySelector('h1'), list = document.getElementById('on-this-page');
        const first = document.querySelector('main h2[id]:not(.rs-contents__title)');
        return [h1.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING,
                list.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING]; }""")
    assert all(order), "the list comes after the heading and before the first section"
    for href, _ in listed:
        assert pg.locator(href).count() == 1


@pytest.mark.parametrize("path, expected", [
    ("children-looked-after.html", ["Summary", "Inspection findings"]),
    ("leadership.html", ["Summary", "Inspection findings"]),
    ("adoption.html", None),  # one section: the page is its own list
    ("executive-summary.html", None),
])
def test_only_a_page_of_two_sections_or_more_lists_them(open_page, path, expected):
    pg = open_page(path)
    found = pg.eval_on_selector_all("#on-this-page > ol > li > a", "links => links.map(a => a.textContent)")
    assert found == (expected or [])


def test_the_contents_numbers_parts_as_the_report_numbers_its_judgements(open_page):
    pg = open_page("index.html")
    judgements = pg.eval_on_selector_all("main table a", "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")
    assert len(judgements) == 5
    for menu, lists in (("header #contents", "header #contents ol"), ("main .rs-list--parts", "main ol.rs-list--parts, main .rs-list--parts ol")):
        entries = pg.eval_on_selector_all(f"{menu} a", """links => links.map(a => [a.getAttribute('href'), a.textContent.trim(),
            a.closest('ol').parentElement.closest('li')?.querySelector(':scope > a').getAttribute('href') || null])""")
        by_href = {href: (text, parent) for href, text, parent in entries}
        for href, judgement in judgements:
            number = judgement.split()[0].rstrip(".")
            text, parent = by_href[href]
            assert text.split()[0] == number, f"{menu}: {text!r} is not numbered as the judgements table's {judgement!r}"
            if "." in number:
                assert by_href[parent][0].split()[0] == number.rpartition(".")[0], f"{menu}: {text!r} is not under its part"
            else:
                assert parent is None
        unnumbered = [text for href, (text, _) in by_href.items() if href not in dict(judgements)]
        assert unnumbered and not any(text[0].isdigit() for text in unnumbered), "parts the report does not number"
        styles = pg.eval_on_selector_all(lists, "lists => lists.map(l => getComputedStyle(l).listStyleType)")
        assert set(styles) <= {"none"}, f"{menu}: the browser numbers the list besides the report: {styles}"


def test_each_section_ends_with_a_link_back_to_the_contents_at_the_top(open_page):
    pg = open_page("leadership.html", *PHONE)
    back = pg.locator("main .rs-back-link a")
    assert back.count() == 2, "one before the second section, one at the end of the part"
    before_second = pg.evaluate("""() => { const link = document.querySelector('main .rs-back-link');
        return link.nextElementSibling.id; }""")
    assert before_second == "inspection-findings"
    back.last.scroll_into_view_if_needed()
    assert pg.evaluate("scrollY") > 10000
    back.last.click()
    assert disclosures(pg)["Menu"] is True, "following the link opens the menu that holds the contents"
    contents = box(pg, "#contents")
    assert 0 <= contents["top"] < PHONE[1] / 2
    assert pg.evaluate("scrollY") < PHONE[1]
    assert back.last.bounding_box()["height"] >= 24


def test_nothing_is_sticky_or_fixed_so_nothing_covers_what_has_focus(open_page):
    for path in ("leadership.html", "large-print.html"):
        pg = open_page(path, *PHONE)
        pinned = pg.evaluate("""() => [...document.querySelectorAll('*')].filter(e => ['sticky', 'fixed']
            .includes(getComputedStyle(e).position)).map(e => e.tagName + '.' + e.className)""")
        assert pinned == [], path


# --------------------------------------------------------------------------- the large print edition (point 7)

def test_the_large_print_edition_has_its_own_contents_and_links_back_to_it(open_page):
    pg = open_page("large-print.html", *PHONE)
    assert pg.locator("header #contents").count() == 0, "the menu holds no contents of the standard pages"
    entries = pg.eval_on_selector_all("main #contents a", "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")
    parts = pg.eval_on_selector_all("main .rs-part[id^=part-]:not(#part-report)", "parts => parts.map(p => '#' + p.id)")
    assert [href for href, _ in entries] == parts
    numbered = dict((href, text) for href, text in entries)
    assert numbered["#part-adoption"].startswith("2.1 ")
    assert pg.locator("main #contents li li a[href='#part-adoption']").count() == 1, "2.1 under 2"
    backs = pg.eval_on_selector_all("main .rs-back-link a", "links => links.map(a => a.getAttribute('href'))")
    assert len(backs) >= len(parts) and set(backs) == {"#contents"}
    in_text = pg.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    pages = [href for href in in_text if re.match(r"[\w-]+\.html", href) and not href.startswith("key-figures.html#")]
    assert pages == [], "no link in the edition but its key figures' charts leads to the standard pages"
    pg.locator("main .rs-back-link a").last.click()
    assert 0 <= box(pg, "main #contents")["top"] < PHONE[1] / 2


def test_the_large_print_text_size_control_starts_at_large_print(open_page):
    pg = open_page("large-print.html")
    labels = pg.eval_on_selector_all("#text-size label", "labels => labels.map(l => l.textContent.trim())")
    assert labels == ["Large print", "Larger", "Largest"]
    pg.locator("header summary", has_text="Display").click()
    assert pg.get_by_label("Large print", exact=True).is_checked()
    size = lambda: float(pg.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"))
    large_print = size()
    pg.get_by_label("Larger", exact=True).check()
    assert size() == pytest.approx(large_print * 1.25)


# --------------------------------------------------------------------------- the header's disclosures: WCAG 2.2 AA

HEADER_PANELS = ("Menu", "Search", "Display")


@pytest.mark.parametrize("size", [PHONE, (1280, 800)], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["leadership.html", "large-print.html"])
def test_each_header_disclosure_passes_axe_when_open(open_page, path, size):
    pg = open_page(path, *size)
    for name in HEADER_PANELS:
        pg.locator("header summary", has_text=name).click()
        assert disclosures(pg)[name] is True
        violations = helpers.run_axe(pg, tags=AXE_TAGS, rules=AXE_RULES, context="header")
        assert violations == [], f"{path}, {name} open:\n{helpers.format_violations(violations)}"


# What each panel holds that Tab reaches: its links, or its field and button, or its radio buttons (one stop).
PANEL_STOPS_JS = """() => new Set([...document.querySelectorAll('header details[open] [data-rs-stop]:not(summary)')]
    .map(e => e.dataset.rsStop)).size"""


@pytest.mark.parametrize("name", HEADER_PANELS)
def test_the_keyboard_opens_each_disclosure_and_tabs_through_it_with_focus_seen_and_never_covered(open_page, name):
    pg = open_page("leadership.html", *PHONE)
    summary = pg.locator("header summary", has_text=name)
    summary.focus()
    pg.keyboard.press("Enter")
    assert disclosures(pg)[name] is True
    describe_js(pg)
    pg.evaluate(FOCUSABLE_JS)  # marks every link and control now shown, with its look before focus
    expected = pg.evaluate(PANEL_STOPS_JS)
    assert expected >= 1
    reached, failures = [], []
    for _ in range(expected + 1):
        pg.keyboard.press("Tab")
        if not pg.evaluate("!!document.activeElement.closest('header details[open]')"):
            break
        info = pg.evaluate(FOCUSED_JS)
        reached.append(info["stop"])
        if not info["indicator"]:
            failures.append(f"no visible focus indicator on {info['name']}")
        if not info["inView"] or info["covered"]:
            failures.append(f"{info['name']} is out of view or covered by {info['coveredBy']}")
    assert failures == []
    assert len(set(reached)) == expected, f"Tab reached {len(set(reached))} of the {expected} stops in {name}"
    pg.keyboard.press("Shift+Tab")
    assert summary.evaluate("s => s.closest('details').open"), "the panel stays open while focus is in it"


def test_the_search_page_has_no_search_disclosure_only_its_own_field(open_page):
    pg = open_page("search.html", *PHONE)
    assert list(disclosures(pg)) == ["Menu", "Display"]
    assert pg.locator('input[type="search"]').count() == 1
    assert pg.locator("header form, header [role=search]").count() == 0
