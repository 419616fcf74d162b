"""The large print PDF: every numbered paragraph in text of 18 pt or more, tagged, with bookmarks,
working links inside the document, and the same bytes from the same content and date."""

from __future__ import annotations

import builtins
import io
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportsite.build import Sources
from reportsite.content import load_report
from reportsite.crossrefs import resolve
from reportsite.formats import FormatContext, pdf, source_date
from reportsite.render import render_pages
from tests.conftest import SMALL_REPORT
from tests.seedtext import recommendation_citations
from tests.sitetext import parse_html

LARGE_PRINT = 18.0  # points: the smallest text the UK Association for Accessible Formats advises


class Built:
    """A report's PDF made once, with what the checks read from it."""

    def __init__(self, content: Path):
        self.site = resolve(load_report(content))
        self.progress: list[str] = []  # what make() reported
        self.context = FormatContext(Sources().templates, self.site.report.meta.web_address,
                                     source_date(self.site), self.progress.append)
        self.source = pdf.source(self.site, self.context)
        self.data = pdf.make(self.source, self.context)
        self.reader = PdfReader(io.BytesIO(self.data))
        self.page_texts = pdftotext(self.data).split("\f")[:len(self.reader.pages)]

    def normalised(self, text: str) -> str:
        return normalise(text)


@pytest.fixture(scope="module")
def report_pdf() -> Built:
    return Built(Sources().content)


@pytest.fixture(scope="module")
def small_pdf() -> Built:
    return Built(SMALL_REPORT)


def make_pdf(content: Path) -> bytes:
    site = resolve(load_report(content))
    context = FormatContext(Sources().templates, site.report.meta.web_address, source_date(site))
    return pdf.make(pdf.source(site, context), context)


def pdftotext(data: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it, pages separated by form feeds."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        return subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(data: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        output = subprocess.run(["pdfinfo", "-isodates", file.name], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def info(data: bytes, key: str) -> str:
    return pdfinfo(data)[key].strip()


def normalise(text: str) -> str:
    """Text to compare across line breaks: no page footers, spaces, hyphens or list bullets."""
    text = re.sub(r"Page \d+ of \d+", "", text)
    return re.sub(r"[\s\-\u00ad\u2010•]+", "", text)


def words(text: str) -> str:
    """Only the letters and digits of a text, to compare a bookmark with the page it leads to."""
    return re.sub(r"[^0-9A-Za-z]+", "", re.sub(r"Page \d+ of \d+", "", text))


def xmp_metadata(data: bytes) -> str:
    return PdfReader(io.BytesIO(data)).trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def text_sizes(data: bytes) -> Counter:
    """How many characters the PDF sets at each font size, in points, as drawn on the page."""
    sizes: Counter = Counter()

    def visit(text, cm, tm, font, font_size):
        if not text.strip():
            return
        # the text matrix times the graphics state's, whose determinant is the square of the scale
        a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        sizes[round(font_size * abs(a * d - b * c) ** 0.5, 2)] += len(text.strip())

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def expected_paragraphs(site) -> dict[int, str]:
    """Each numbered paragraph's text on the site's large print page: its number, then its words."""
    page = parse_html(render_pages(site, Sources().templates, only={"large-print"})["large-print.html"])
    skip = ("rs-visually-hidden", "rs-paragraph__backlinks")
    return {int(paragraph.label): page.by_id(anchor).text(skip_classes=skip) for anchor, paragraph in site.paragraphs.items()}


def destinations(reader: PdfReader) -> dict[str, tuple[int, float]]:
    """Each named destination: (page index, top)."""
    return {name: (reader.get_destination_page_number(dest), float(dest.top))
            for name, dest in reader.named_destinations.items()}


def link_target(annotation) -> str | None:
    """The named destination an internal link goes to (None for a link out of the document)."""
    if annotation.get("/Subtype") != "/Link":
        return None
    if "/Dest" in annotation:
        return str(annotation["/Dest"])
    action = annotation.get("/A")
    if action is not None and action.get("/S") == "/GoTo":
        return str(action["/D"])
    return None


def links_by_paragraph(reader: PdfReader) -> dict[int, set[str]]:
    """The internal links inside each numbered paragraph: those after its start and before the next's."""
    marks = []  # (page, distance from the top, 0 for a paragraph's start or 1 for a link, what)
    for name, (page, top) in destinations(reader).items():
        if match := re.fullmatch(r"paragraph-(\d+)", name):
            marks.append((page, -top, 0, int(match.group(1))))
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            target = link_target(annotation)
            if target is not None:
                marks.append((index, -max(float(annotation["/Rect"][1]), float(annotation["/Rect"][3])), 1, target))
    links: dict[int, set[str]] = {}
    paragraph = None
    for _, _, kind, what in sorted(marks, key=lambda mark: mark[:3]):
        if kind == 0:
            paragraph = what
            links.setdefault(paragraph, set())
        elif paragraph is not None:
            links[paragraph].add(what)
    return links


def outline_titles(reader: PdfReader, outline=None, depth: int = 0) -> list[tuple[int, str, int]]:
    """Every bookmark: (depth, title, page index), in order."""
    found = []
    for item in reader.outline if outline is None else outline:
        if isinstance(item, list):
            found += outline_titles(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


@pytest.mark.parametrize("built", ["report_pdf", "small_pdf"])
def test_pdf_text_holds_every_numbered_paragraph_in_order(built, request):
    built = request.getfixturevalue(built)
    text = built.normalised("".join(built.page_texts))
    position = 0
    for number, paragraph in sorted(expected_paragraphs(built.site).items()):
        start = built.normalised(paragraph)[:80]
        assert start.startswith(f"{number}."), paragraph
        found = text.find(start, position)
        assert found >= 0, f"paragraph {number} is not in the PDF's text after paragraph {number - 1}: {paragraph[:80]}"
        position = found + len(start)


def test_every_piece_of_text_is_set_at_18_point_or_larger(report_pdf):
    sizes = text_sizes(report_pdf.data)
    assert sum(sizes.values()) > 100_000  # the whole report was measured, not an empty reading
    assert min(sizes) >= LARGE_PRINT, sizes
    assert max(sizes, key=sizes.get) == LARGE_PRINT  # the body text is 18 pt, the headings larger


def test_text_size_check_rejects_a_pdf_with_12_point_text():
    from weasyprint import HTML
    small = HTML(string='<p style="font: 12pt \'DejaVu Sans\'">Too small to read for many people</p>').write_pdf()
    assert min(text_sizes(small)) == 12.0


def test_pdf_fonts_are_embedded_sans_serif_without_italics(report_pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(report_pdf.data)
        file.flush()
        rows = subprocess.run(["pdffonts", file.name], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1]: row.split()[-5] for row in rows}
    assert set(fonts) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}
    assert set(fonts.values()) == {"yes"}  # embedded


def test_pdf_has_its_title_language_and_dates(report_pdf):
    catalog = report_pdf.reader.trailer["/Root"]
    assert info(report_pdf.data, "Title") == f"{report_pdf.site.report.meta.site_name}: large print edition"
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # viewers show the title, not the file name
    assert info(report_pdf.data, "Author") == report_pdf.site.report.meta.publisher
    assert info(report_pdf.data, "CreationDate").startswith("2015-11-30T00:00:00")  # the publication date


def test_pdf_is_tagged_pdf_ua_1(report_pdf):
    catalog = report_pdf.reader.trailer["/Root"]
    assert info(report_pdf.data, "Tagged") == "yes"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp_metadata(report_pdf.data))


def test_pdf_has_a_bookmark_for_every_heading(report_pdf):
    bookmarks = outline_titles(report_pdf.reader)
    parts = [part.heading for part in report_pdf.site.report.parts]
    assert [title for depth, title, _ in bookmarks if depth == 1] == ["Contents", *parts, "Glossary of abbreviations"]
    headings = [h for h in parse_html(report_pdf.source.decode("utf-8")).iter()
                if re.fullmatch(r"h[1-6]", h.tag) and "rs-footnotes__title" not in h.classes]
    assert len(bookmarks) == len(headings)
    for (depth, title, page), heading in zip(bookmarks, headings):
        assert depth == int(heading.tag[1]) - 1
        assert words(title) in words(report_pdf.page_texts[page]), f"the bookmark {title!r} is not on its page"
    assert "Footnote" not in " ".join(title for _, title, _ in bookmarks)


def test_each_recommendations_citations_link_to_the_cited_paragraphs_and_back(report_pdf):
    links = links_by_paragraph(report_pdf.reader)
    for recommendation, cited in recommendation_citations().items():
        assert {link for link in links[recommendation] if link.startswith("paragraph-")} - {f"paragraph-{recommendation}"} == \
            {f"paragraph-{number}" for number in cited}, f"recommendation {recommendation}"
        for number in cited:
            assert f"paragraph-{recommendation}" in links[number], f"paragraph {number} does not link back to recommendation {recommendation}"


def test_every_link_lands_on_the_page_holding_its_target(report_pdf):
    names = destinations(report_pdf.reader)
    targets = {link_target(a.get_object()) for page in report_pdf.reader.pages for a in page.get("/Annots", [])}
    targets.discard(None)
    assert set(report_pdf.site.paragraphs) <= targets  # each number links to itself
    assert targets <= set(names), sorted(targets - set(names))
    document = parse_html(report_pdf.source.decode("utf-8"))
    for target in sorted(targets):
        page = names[target][0]
        start = report_pdf.normalised(document.by_id(target).text(skip_classes=("rs-visually-hidden",)))[:40]
        assert start in report_pdf.normalised(report_pdf.page_texts[page]), f"#{target} lands on page {page + 1}, away from its text"


def test_pdf_names_the_web_address_it_was_made_from(report_pdf):
    address = report_pdf.site.report.meta.web_address
    first_pages = re.sub(r"\s+", " ", "".join(report_pdf.page_texts[:4]))
    assert "This copy was made from" in first_pages
    assert re.sub(r"\s+", "", address) in re.sub(r"\s+", "", first_pages)


def test_two_builds_are_byte_identical(report_pdf):
    assert make_pdf(Sources().content) == report_pdf.data


def test_source_date_epoch_sets_the_dates_inside_the_pdf(monkeypatch, report_pdf):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    data = make_pdf(Sources().content)
    assert info(data, "CreationDate").startswith("2023-11-14T22:13:20")
    assert info(data, "ModDate").startswith("2023-11-14T22:13:20")
    assert "<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>" in xmp_metadata(data)
    assert data != report_pdf.data


def test_making_the_pdf_reports_a_handful_of_steps(report_pdf):
    pages = len(report_pdf.reader.pages)
    assert "Large print PDF: laying out pages" in report_pdf.progress
    assert report_pdf.progress[-1] == f"Large print PDF: writing {pages} pages"
    assert len(report_pdf.progress) <= 4 + pages // pdf.LAID_OUT_EVERY


def test_weasyprint_understands_all_of_the_pdf_stylesheet(caplog, small_pdf):
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf.make(small_pdf.source, small_pdf.context)
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []


def test_missing_weasyprint_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    message = pdf.missing_tool()
    assert "WeasyPrint is not installed" in message and "pip install" in message


def test_missing_pango_is_named_with_the_debian_packages(monkeypatch):
    real_import = builtins.__import__

    def import_without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", import_without_pango)
    message = pdf.missing_tool()
    assert "Pango" in message and "libpango-1.0-0 libpangoft2-1.0-0" in message


def test_missing_tool_is_none_when_weasyprint_works():
    assert pdf.missing_tool() is None
