"""The contents: parts numbered as the report numbers them, sub-parts under their part, and a page's sections."""

from __future__ import annotations

from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.pages import ContentsEntry, nest_by_number
from reportsite.render import sections_of


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
    sections = sections_of(page)
    assert [(entry.href, entry.text) for entry in sections] == [("#information-about-this-area", "Information about this area")]
    assert [entry.text for entry in sections[0].items] == ["Children living in this area"]


def test_a_page_of_one_section_lists_none(small_report):
    part = small_report / "parts" / "02-the-local-authority.md"
    part.write_text(part.read_text(encoding="utf-8").replace("### Children living in this area", "Children living in this area"),
                    encoding="utf-8")
    site = resolve(load_report(small_report))
    assert sections_of(next(page for page in site.pages if page.slug == "the-local-authority")) == ()
