"""The search index: one record per numbered paragraph, linked to its anchor, and the same on every build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from reportsite.build import Sources, build
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.errors import BuildError
from reportsite.incremental import BuildSession
from reportsite.search import INDEX_FOLDER, SearchUnavailable, search_files, search_records
from tests.conftest import ROOT
from tests.seedtext import numbered_paragraphs
from tests.sitetext import parse_html


@pytest.fixture(scope="module")
def site():
    return resolve(load_report(Sources().content))


@pytest.fixture(scope="module")
def records(site):
    return search_records(site)


@pytest.fixture(scope="module")
def searchable_site(tmp_path_factory) -> Path:
    """The real report's pages and search index, built once."""
    out = tmp_path_factory.mktemp("search") / "site"
    build(Sources(), out, formats=("html", "search"))
    return out


def test_each_numbered_paragraph_is_one_record_linked_to_its_anchor(site, records):
    paragraphs = [record for record in records if record.paragraph is not None]
    assert [record.paragraph for record in paragraphs] == [paragraph.label for paragraph in site.paragraphs.values()]
    assert [record.paragraph for record in paragraphs] == [str(number) for number in range(1, 130)]
    for record in paragraphs:
        home = site.paragraphs[f"paragraph-{record.paragraph}"]
        assert record.url == f"{home.page.url}#paragraph-{record.paragraph}"
        assert record.meta == {"title": f"Paragraph {record.paragraph}", "part": home.part.heading,
                               "paragraph": record.paragraph}
    assert next(record for record in paragraphs if record.paragraph == "100").url == "leadership.html#paragraph-100"


def test_each_paragraph_record_holds_the_paragraph_as_printed(records):
    printed = numbered_paragraphs()
    indexed = {int(record.paragraph): re.sub(r"\s+", " ", record.text).strip() for record in records if record.paragraph}
    assert indexed == printed


def test_text_outside_numbered_paragraphs_is_indexed_under_its_heading(records):
    sections = {record.url: record for record in records if record.paragraph is None}
    summary = sections["leadership.html#summary"]
    assert summary.title == "Summary" and summary.part == "Leadership, management and governance"
    assert summary.text.startswith("The local authority, with strong leadership provided by the director")
    assert "paragraph" not in summary.meta
    assert sections["summary-for-children-and-young-people.html"].text.count("\n") == 9  # its ten points
    assert not any("88. " in record.text or "The director of children's services and her senior team" in record.text
                   for record in sections.values()), "a numbered paragraph was indexed twice"


def test_every_record_links_to_an_anchor_on_a_built_page(records, searchable_site):
    ids = {}
    for record in records:
        parts = urlsplit(record.url)
        if parts.path not in ids:
            doc = parse_html((searchable_site / parts.path).read_text(encoding="utf-8"))
            ids[parts.path] = {element.attrs["id"] for element in doc.iter() if "id" in element.attrs}
        assert not parts.fragment or parts.fragment in ids[parts.path], record.url


def test_the_index_is_in_the_site_with_a_page_for_every_record(records, searchable_site):
    entry = json.loads((searchable_site / INDEX_FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(records)
    assert (searchable_site / INDEX_FOLDER / "pagefind.js").is_file()
    assert not list((searchable_site / INDEX_FOLDER).glob("pagefind-ui*")), "Pagefind's own interface is not used"


def test_two_indexes_of_the_same_report_are_byte_identical(site):
    first, second = search_files(site), search_files(site)
    assert first == second
    assert any(path.startswith(f"{INDEX_FOLDER}/fragment/") for path in first)


def test_without_pagefind_the_index_is_refused_with_what_to_do(site, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    with pytest.raises(SearchUnavailable, match=r"Pagefind's program is not installed\. Run `\.venv/bin/pip install"):
        search_files(site)


def test_a_build_of_the_pages_alone_makes_no_index(tmp_path):
    result = build(Sources(), tmp_path / "site", formats=("html",))
    assert "search.html" in result.files
    assert not any(path.startswith(f"{INDEX_FOLDER}/") for path in result.files)


def test_the_search_page_without_javascript_sends_readers_to_the_one_page_edition(searchable_site):
    doc = parse_html((searchable_site / "search.html").read_text(encoding="utf-8"))
    message = doc.by_id("search-unavailable")
    assert "hidden" not in message.attrs
    assert "Search needs JavaScript" in message.text()
    assert "browser’s own find" in message.text()
    assert [link.attrs["href"] for link in message.find_all("a")] == ["large-print.html"]
    forms = [form for form in doc.find_all("form") if form.attrs.get("role") == "search"]
    assert forms == doc.by_id("search").find_all("form"), "one search form: the page's own, not the header's as well"


def test_the_search_page_can_go_straight_to_any_paragraph_by_number(site, searchable_site):
    doc = parse_html((searchable_site / "search.html").read_text(encoding="utf-8"))
    pairs = json.loads(doc.by_id("search").attrs["data-paragraph-urls"])
    page = site.page("search")
    assert pairs == [[paragraph.label, site.paragraph_href(anchor, page)] for anchor, paragraph in site.paragraphs.items()]
    assert [label for label, _ in pairs] == [str(number) for number in range(1, 130)], "in the report's order"
    assert dict(pairs)["45"] == "children-looked-after.html#paragraph-45"


def test_every_page_has_one_search_field_that_sends_its_words_to_the_search_page(searchable_site):
    for path in sorted(searchable_site.glob("*.html")):
        doc = parse_html(path.read_text(encoding="utf-8"))
        (form,) = [form for form in doc.find_all("form") if form.attrs.get("role") == "search"]
        assert form.attrs["action"] == "search.html", path.name
        field = form.find_all("input")[0]
        assert field.attrs["name"] == "q" and field.attrs["type"] == "search", path.name
        label = form.find_all("label")[0]
        in_header = "rs-search--header" in form.classes
        assert in_header == (path.name != "search.html"), path.name
        assert label.attrs["for"] == field.attrs["id"], path.name
        assert label.text() == ("Search the report" if in_header else "Words to find, or a paragraph number"), path.name


def test_a_part_cannot_take_the_search_page_address(small_report):
    part = next((small_report / "parts").glob("*.md"))
    text = part.read_text(encoding="utf-8")
    part.write_text(re.sub(r"^slug: .*$", "slug: search", text, count=1, flags=re.M) if "\nslug:" in text
                    else text.replace("\ntitle:", "\nslug: search\ntitle:", 1), encoding="utf-8")
    with pytest.raises(BuildError, match="the page name 'search' is used by the site itself"):
        resolve(load_report(small_report))


def test_a_serve_rebuild_gives_the_search_page_a_new_paragraph(tmp_path):
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    sources = Sources(content=tmp_path / "content", templates=tmp_path / "templates", static=tmp_path / "static")
    session = BuildSession()
    build(sources, tmp_path / "site", formats=("html",), session=session)
    last_part = tmp_path / "content" / "parts" / "12-lscb-inspection-findings.md"
    last_part.write_text(last_part.read_text(encoding="utf-8").rstrip("\n") + "\n\n130. A paragraph added at the end.\n",
                         encoding="utf-8")
    build(sources, tmp_path / "site", formats=("html",), session=session)
    assert "search.html" in session.rendered
    build(sources, tmp_path / "cold", formats=("html",))
    assert (tmp_path / "site" / "search.html").read_bytes() == (tmp_path / "cold" / "search.html").read_bytes()
    assert '["130", "lscb-inspection-findings.html#paragraph-130"]' in (tmp_path / "site" / "search.html").read_text(encoding="utf-8")


def test_a_pagefind_that_stops_is_reported_not_hung_on(site, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(SearchUnavailable, match="Pagefind stopped before the index was made"):
        search_files(site)
