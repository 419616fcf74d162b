"""The EPUB 3 e-book: a title page, one XHTML document per page of the site's parts, and the glossary.

The documents are rendered from a copy of the site whose pages are named `<slug>.xhtml`, so every
citation, backlink and abbreviation link is computed by crossrefs as on the site, and leads to the
right document and paragraph. The package carries the accessibility metadata of EPUB Accessibility
1.1; the zip is written with fixed dates and permissions, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import json
import posixpath
import re
import urllib.parse
import uuid
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..crossrefs import Page, Site, href, with_page_urls
from ..errors import BuildError, Problem
from ..render import blocks_on, expansions_of, finish_page, front_page, rendered_parts, template_environment
from . import FormatContext
from .blocks import source_sentence

PACKAGE_FOLDER = "EPUB"        # everything but the mimetype and META-INF lives here
TEXT_FOLDER = "text"           # the content documents, beside one another so the site's relative links work
STYLESHEET = "style.css"
XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = {f"{XHTML}h{level}": level for level in range(1, 5)}  # the contents lists headings to h4
VOID_ELEMENT = re.compile(r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)(\s[^<>]*?)?\s*(?<!/)>")

ACCESSIBILITY_FEATURES = ("ARIA", "displayTransformability", "readingOrder", "structuralNavigation", "tableOfContents")
def accessibility_summary(glossary: bool) -> str:
    """The e-book's accessibility summary; `glossary`: whether it has a glossary of abbreviations."""
    return (
        "This publication conforms to EPUB Accessibility 1.1 and WCAG 2.2 Level AA. It is text only, with no images, "
        "sound or video. Its contents list every part of the report and every heading within it, in the report's reading "
        "order. Headings, lists and tables are marked up for navigation, and no fonts, text sizes or colours are fixed, so "
        "the reader's own settings apply. The numbered paragraphs keep their numbers; each citation links to the paragraph "
        "it cites, and each cited paragraph links back to what cites it. The report's text is as published"
        + ("; the first use of an abbreviation in a section, unless the text spells it out, links to the glossary, which "
           "explains every abbreviation the report uses." if glossary else "."))


@dataclass(frozen=True)
class Document:
    """A content document of the e-book: its manifest id, file name (in TEXT_FOLDER), title and XHTML."""

    id: str
    file: str
    title: str
    xhtml: str


@dataclass
class ContentsEntry:
    """A line of the navigation document's contents: a heading, where it is, and the headings under it."""

    text: str
    href: str
    level: int
    children: list[ContentsEntry] = field(default_factory=list)


def missing_tool() -> str | None:
    """Nothing to install: the EPUB is made in Python."""
    return None


def tool_version() -> str:
    return f"zlib {zlib.ZLIB_VERSION}"


def source(site: Site, context: FormatContext) -> bytes:
    """Every file of the e-book, rendered, as JSON: the zip is made from exactly this."""
    return json.dumps(epub_files(site, context), ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")


def make(source: bytes, context: FormatContext) -> bytes:
    return zip_epub(json.loads(source), context.date)


def epub_files(site: Site, context: FormatContext) -> dict[str, str]:
    """The e-book's files by their path in the zip, as text."""
    environment = template_environment(str(Path(context.templates_dir).resolve()))
    book = with_page_urls(site, {page.slug: f"{page.slug}.xhtml" for page in site.pages})
    documents = content_documents(book, environment, context)
    meta = site.report.meta
    title = meta.full_title
    stylesheet = (Path(context.templates_dir) / "formats" / "epub" / STYLESHEET).read_text(encoding="utf-8")
    text = f"{TEXT_FOLDER}/"
    items = [{"id": "nav", "href": "nav.xhtml", "media_type": "application/xhtml+xml", "properties": "nav"},
             {"id": "stylesheet", "href": STYLESHEET, "media_type": "text/css", "properties": ""}]
    items += [{"id": document.id, "href": text + document.file, "media_type": "application/xhtml+xml", "properties": ""}
              for document in documents]
    title_page, *body = documents
    glossary = body.pop() if book.page("glossary") else None
    landmarks = [
        {"type": "titlepage", "href": text + title_page.file, "text": "Title page"},
        {"type": "toc", "href": "nav.xhtml#toc", "text": "Contents"},
        {"type": "bodymatter", "href": text + body[0].file, "text": "Start of the report"},
    ] + ([{"type": "glossary", "href": text + glossary.file, "text": glossary.title}] if glossary else [])
    package = render_template(environment, "package.opf", {
        "identifier": publication_identifier(context.web_address or meta.full_title),
        "title": title,
        "report": meta,
        "publisher": meta.organisation,
        "source": source_sentence(meta),
        "modified": modified_date(context.date),
        "web_address": context.web_address,
        "features": ACCESSIBILITY_FEATURES,
        "summary": accessibility_summary(glossary is not None),
        "items": items,
        "spine": [title_page.id, "nav", *(document.id for document in body), *([glossary.id] if glossary else [])],
    })
    nav = render_template(environment, "nav.xhtml", {
        "title": title, "stylesheet": STYLESHEET, "language": meta.language, "contents": contents_entries(documents, text),
        "landmarks": landmarks})
    files = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": render_template(environment, "container.xml", {"package_path": f"{PACKAGE_FOLDER}/package.opf"}),
        f"{PACKAGE_FOLDER}/package.opf": package,
        f"{PACKAGE_FOLDER}/nav.xhtml": nav,
        f"{PACKAGE_FOLDER}/{STYLESHEET}": stylesheet,
    }
    files.update({f"{PACKAGE_FOLDER}/{text}{document.file}": document.xhtml for document in documents})
    return files


def content_documents(book: Site, environment: jinja2.Environment, context: FormatContext) -> list[Document]:
    """The title page, one document per page of parts (in the site's reading order), and the glossary if there is one."""
    title_page, glossary = book.page("home"), book.page("glossary")
    front = front_page(book, title_page, blocks_on(environment, book, title_page, None))
    documents = [render_document(book, environment, title_page, "Title page", "title_page.xhtml", {
        "report": book.report.meta, "front": front, "web_address": context.web_address})]
    for page in book.pages:
        if page.parts:
            parts = rendered_parts(book, page, blocks_on(environment, book, page, None), chart_links=False)
            documents.append(render_document(book, environment, page, page.title, "part.xhtml", {"parts": parts}))
    if glossary:
        documents.append(render_document(book, environment, glossary, glossary.title, "glossary.xhtml",
                                         {"abbreviations": book.report.abbreviations}))
    return documents


def render_document(book: Site, environment: jinja2.Environment, page: Page, title: str, template: str, values: dict) -> Document:
    """One content document, the first use of each abbreviation linked to the glossary document."""
    html = render_template(environment, template, {"title": title, "stylesheet": f"../{STYLESHEET}",
                                                   "language": book.report.meta.language, **values})
    glossary = book.page("glossary")
    html = finish_page(html, expansions_of(book), lambda anchor: href(page, glossary, anchor) if glossary else "", describe=False)
    return Document(f"page-{page.slug}", page.url, title, close_void_elements(html))


def render_template(environment: jinja2.Environment, name: str, values: dict) -> str:
    return environment.get_template(f"formats/epub/{name}").render(values)


def close_void_elements(html: str) -> str:
    """XHTML for the shared components' HTML: `<br>` written as `<br/>` (the rest is already well-formed)."""
    return VOID_ELEMENT.sub(lambda match: f"<{match.group(1)}{match.group(2) or ''}/>", html)


def contents_entries(documents: list[Document], prefix: str) -> list[ContentsEntry]:
    """Every heading to h4 of every document, in reading order, nested by level."""
    top: list[ContentsEntry] = []
    open_entries: list[ContentsEntry] = []
    package = {f"{PACKAGE_FOLDER}/{STYLESHEET}"} | {f"{PACKAGE_FOLDER}/{TEXT_FOLDER}/{document.file}" for document in documents}
    for document in documents:
        root = read_document(document, package)
        for position, element in enumerate(element for element in root.iter() if element.tag in HEADINGS):
            anchor = element.get("id")
            link = f"{prefix}{document.file}" + (f"#{anchor}" if anchor and position else "")
            entry = ContentsEntry(heading_text(element), link, HEADINGS[element.tag])
            while open_entries and open_entries[-1].level >= entry.level:
                open_entries.pop()
            (open_entries[-1].children if open_entries else top).append(entry)
            open_entries.append(entry)
    return top


# Attributes through which a reading system would fetch something for the page (`href` only on these elements;
# elsewhere it is a link the reader may follow).
RESOURCE_ATTRIBUTES = ("src", "srcset", "data", "poster", "{http://www.w3.org/1999/xlink}href")
RESOURCE_HREF = {f"{XHTML}link", "{http://www.w3.org/2000/svg}image", "{http://www.w3.org/2000/svg}use"}


def read_document(document: Document, package: set[str]) -> ElementTree.Element:
    """The document as a tree. A document that is not well-formed XML, or that asks for a resource
    which is not a file of the e-book (another server, a file on this machine), stops the build."""
    path = f"{PACKAGE_FOLDER}/{TEXT_FOLDER}/{document.file}"
    try:
        root = ElementTree.fromstring(document.xhtml.encode("utf-8"))
    except ElementTree.ParseError as error:
        raise BuildError([Problem(path, error.position[0], f"the e-book's document is not well-formed XML: {error}.",
                                  "Check the templates in templates/formats/epub/ that make it.")]) from None
    for element in root.iter():
        names = RESOURCE_ATTRIBUTES + (("href",) if element.tag in RESOURCE_HREF else ())
        for value in (element.get(name) for name in names):
            if value is None:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), value.split("#", 1)[0]))
            if urllib.parse.urlsplit(value).scheme or value.startswith("/") or target not in package:
                raise BuildError([Problem(path, 1, f"the e-book's document asks for '{value}', which is not a file of the e-book "
                                                   "(a reading app would fetch it from elsewhere).",
                                          "Put the file in the e-book, or remove what asks for it, in the templates in templates/formats/epub/.")])
    return root


def heading_text(element: ElementTree.Element) -> str:
    """A heading's words as a reader hears them, without its footnote references."""
    def words(node: ElementTree.Element) -> str:
        if "rs-footnote-ref" in (node.get("class") or "").split():
            return node.tail or ""
        inner = (node.text or "") + "".join(words(child) for child in node)
        return inner + (node.tail or "") if node is not element else inner
    return " ".join(words(element).split())


def publication_identifier(name: str) -> str:
    """A stable identifier for the e-book, made from where it is published, or else its title: the same name, the same id."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def modified_date(date: datetime.datetime) -> str:
    """dcterms:modified as EPUB asks: CCYY-MM-DDThh:mm:ssZ, in UTC."""
    return date.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def zip_epub(files: dict[str, str], date: datetime.datetime) -> bytes:
    """The OCF zip: the mimetype first, stored, then the other files in sorted order, deflated, all with one date."""
    stamp = zip_date_time(date)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ["mimetype", *sorted(name for name in files if name != "mimetype")]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3                   # Unix, wherever it is built
            info.external_attr = 0o100644 << 16      # a regular file, rw-r--r--
            archive.writestr(info, files[name].encode("utf-8"), compresslevel=9)
    return buffer.getvalue()


def zip_date_time(date: datetime.datetime) -> tuple[int, int, int, int, int, int]:
    """`date` in UTC as a zip entry's date; zip cannot hold dates before 1980."""
    utc = date.astimezone(datetime.timezone.utc)
    if utc.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
