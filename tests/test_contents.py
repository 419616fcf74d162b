"""The contents: parts numbered as the report numbers them, sub-parts under their part, and a page's sections."""

from __future__ import annotations

from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.pages import ContentsEntry, nest_by_number
from reportsite.render import CONTENTS_MACRO, CONTENTS_TEMPLATE, SiteContents, page_lists, sections_of, template_environment
from tests.conftest import ROOT


def test_a_part_numbered_2_1_is_listed_under_the_part_numbered_2():
    contents = nest_by_number([("a.html", "A", ""), ("one.html", "One", "1"), ("two.html", "Two", "2"),
                               ("two-one.html", "Two one", "2.1"), ("two-two.html", "Two two", "2.2"), ("three.html", "Three", "3")])
    assert [(entry.href, entry.number) for entry in contents] == [("a.html", ""), ("one.html", "1"), ("two.html", "2"),
                                                                  ("three.html", "3")]
    assert contents[2].items == (ContentsEntry("two-one.html", "Two one", "2.1"),
                                                         ContentsEntry("two-two.html", "Two two", "2.2"))


def test_a_page_lists_its_h2_sections_with_the_h3s_under_them(small_report):
    site = resolve(load_report(small_report))
    page = next(page for page in site.pages if page.slug == "the-local-authority")
    sections = sections_of(page, frozenset())
    assert [(entry.href, entry.text) for entry in sections] == [("#information-about-this-area", "Information about this area")]
    assert [entry.text for entry in sections[0].items] == ["Children living in this area"]


def test_a_page_of_one_section_lists_none(small_report):
    part = small_report / "parts" / "02-the-local-authority.md"
    part.write_text(part.read_text(encoding="utf-8").replace("### Children living in this area", "Children living in this area"),
                    encoding="utf-8")
    site = resolve(load_report(small_report))
    assert sections_of(next(page for page in site.pages if page.slug == "the-local-authority"), frozenset()) == ()


def test_each_page_s_menu_is_the_nested_contents_with_its_own_entry_marked():
    """The contents rendered once for every page (SiteContents) is, on each page, what the macro renders for it,
    with 2.1 and 2.2 under 2 and the page's own entry marked, wherever it stands."""
    environment = template_environment(str((ROOT / "templates").resolve()))
    site = resolve(load_report(ROOT / "content"))
    items = page_lists(site).contents
    assert any(entry.items for entry in items), "the report numbers sub-parts"
    once = SiteContents(environment, items)
    macro = getattr(environment.get_template(CONTENTS_TEMPLATE).module, CONTENTS_MACRO)
    lists_rendered = []
    once.macro = lambda items, **options: lists_rendered.append(len(items)) or macro(items=items, **options)
    for page in site.pages:
        shown = str(once(page))
        assert shown == str(macro(items=items, current_url=page.url, heading=False)), page.url
        assert shown.count('aria-current="page"') == (1 if page.in_contents else 0), page.url
    assert sum(count > 1 for count in lists_rendered) == 1, "the whole contents rendered once, a nested entry's page too"
