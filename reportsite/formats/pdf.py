"""The large print PDF: the large print edition as a tagged PDF (PDF/UA-1), made with WeasyPrint.

Its source is the whole report as one HTML document with its own stylesheet inlined; WeasyPrint
lays it out in 18 pt text on A4 pages, makes bookmarks of the headings and keeps every citation,
backlink and footnote link as a link inside the PDF.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import urllib.parse
import urllib.request
from contextlib import contextmanager
from html import escape, unescape
from pathlib import Path

import markupsafe

from ..crossrefs import Site
from ..errors import BuildError, Problem, display_path
from ..render import expansions_of, finish_page, large_print_context, template_environment
from . import FormatContext

TEMPLATE = "formats/pdf/report.html"
STYLESHEET = "formats/pdf/pdf.css"
PDF_VARIANT = "pdf/ua-1"
FONT = "DejaVu Sans"  # named in pdf.css too
LAID_OUT_EVERY = 50  # pages between two progress messages while laying out


def missing_tool() -> str | None:
    """None when WeasyPrint and the Pango library it draws text with are installed."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return ("WeasyPrint is not installed. Install it with: "
                ".venv/bin/python -m pip install -r requirements.txt")
    except OSError:  # WeasyPrint is there but cannot load Pango
        return ("The Pango library that WeasyPrint needs is not installed. "
                "Install it with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    return None


def tool_version() -> str:
    """WeasyPrint's version, the Pango it lays text out with, and the font it embeds."""
    import pydyf
    import weasyprint
    from weasyprint.text.ffi import pango
    return (f"WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}, Pango {pango.pango_version()}, "
            f"font {font_version()}")


def font_version() -> str:
    """The file and version of the DejaVu Sans that fontconfig gives WeasyPrint (fonts-dejavu-core)."""
    try:
        return subprocess.run(["fc-match", "-f", "%{file} %{fontversion}", FONT], capture_output=True,
                              text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown (fc-match is not installed)"


def source(site: Site, context: FormatContext) -> bytes:
    """The report as one HTML document in large print, its stylesheet inlined, as UTF-8."""
    page = site.page("large_print")
    expansions = expansions_of(site)
    environment = template_environment(str(context.templates_dir.resolve()))
    stylesheet = (context.templates_dir / STYLESHEET).read_text(encoding="utf-8")
    values = large_print_context(site, page, environment)
    site_name = site.report.meta.site_name
    values.update({
        "report": site.report.meta,
        "site_name": site_name,
        "title": f"{site_name}: large print edition",
        "web_address": context.web_address,
        "date": context.date.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "stylesheet": markupsafe.Markup(stylesheet),
    })
    html = environment.get_template(TEMPLATE).render(values)
    html = finish_page(html, expansions, lambda anchor: f"#{anchor}", describe=False)
    return bookmark_labels(html).encode("utf-8")


HEADING = re.compile(r"<h([1-6])((?:(?!data-bookmark)[^>])*)>(.*?)</h\1>", re.S)
FOOTNOTE_REF = re.compile(r'<sup class="rs-footnote-ref">.*?</sup>', re.S)
TAG = re.compile(r"<[^>]+>")


def bookmark_labels(html: str) -> str:
    """Give each heading with a footnote reference a bookmark label without the footnote's number."""
    def label(match: re.Match) -> str:
        level, attributes, inner = match.groups()
        if not FOOTNOTE_REF.search(inner):
            return match.group(0)
        text = TAG.sub("", FOOTNOTE_REF.sub("", inner))
        return f'<h{level}{attributes} data-bookmark="{escape(unescape(text))}">{inner}</h{level}>'
    return HEADING.sub(label, html)


def make(source: bytes, context: FormatContext) -> bytes:
    """The PDF, laid out by WeasyPrint; the same source and date give the same bytes."""
    from weasyprint import HTML
    # Relative links left in the text lead to the published site, never to files on this machine.
    html = HTML(string=source.decode("utf-8"), base_url=context.web_address or "https://example.invalid/",
                url_fetcher=confined_fetcher(context.templates_dir))
    try:  # resources are fetched while laying out, and attachments while writing
        with forwarded_progress(context.progress):
            document = html.render(pdf_variant=PDF_VARIANT)
        context.progress(f"Large print PDF: writing {len(document.pages)} pages")
        output = io.BytesIO()
        # The identifier is a hash of the PDF's own objects, so it changes only when the content does.
        document.write_pdf(output, pdf_variant=PDF_VARIANT, pdf_identifier=True)
    except RefusedResource as refused:
        template = context.templates_dir / TEMPLATE
        raise BuildError([Problem(display_path(template), 1,
                                  f"the large print PDF asks for '{refused.url}', which is not a file of the templates folder; "
                                  "nothing was fetched.",
                                  "Build nothing from other servers or folders into the PDF: put the file in the "
                                  "templates folder, or remove what asks for it.")]) from None
    return output.getvalue()


def confined_fetcher(folder: Path):
    """WeasyPrint's fetcher, confined: it opens `data:` addresses and files inside `folder`, and stops the
    PDF at any other address (another server, a file elsewhere on this machine) without fetching it."""
    from weasyprint.urls import URLFetcher

    root = Path(folder).resolve()

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data" or (scheme == "file" and _inside(url, root)):
                return super().fetch(url, headers)
            raise RefusedResource(url)

    return ConfinedFetcher(fail_on_errors=True, allowed_protocols=("data", "file"))


def _inside(url: str, root: Path) -> bool:
    path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    try:
        return path.resolve().is_relative_to(root) and path.resolve().is_file()
    except (OSError, RuntimeError):
        return False


class RefusedResource(BaseException):
    """Raised to stop WeasyPrint at an address the PDF may not fetch (a BaseException, which WeasyPrint
    does not catch and turn into a warning, as it does with others)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


@contextmanager
def forwarded_progress(progress):
    """Pass a handful of WeasyPrint's progress messages on, not one a page."""
    logger = logging.getLogger("weasyprint.progress")
    handler = _ProgressHandler(progress)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


class _ProgressHandler(logging.Handler):
    """Turns WeasyPrint's steps into one-line messages for the build's progress."""

    STEPS = {
        "Step 3": "Large print PDF: applying the stylesheet",
        "Step 4": "Large print PDF: building the boxes of the text",
    }

    def __init__(self, progress):
        super().__init__(logging.INFO)
        self.progress = progress
        self.last_page = 0  # pages are laid out again when a page number moves; count each once

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message[:6] in self.STEPS:
            self.progress(self.STEPS[message[:6]])
            return
        page = re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", message)
        if page and int(page.group(1)) > self.last_page:
            self.last_page = int(page.group(1))
            if self.last_page == 1:
                self.progress("Large print PDF: laying out pages")
            elif self.last_page % LAID_OUT_EVERY == 0:
                self.progress(f"Large print PDF: laid out {self.last_page} pages")
