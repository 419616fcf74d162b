"""The kinds of page the site has, in one table: planning the pages, rendering them and serve all read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .content import Part, Report

OWN, ALL = "own", "all"  # what a page shows of the report's text: its own parts, or every part


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class PageKind:
    """A kind of page. The site's own pages have a fixed `slug` (their URL is the slug and '.html') and
    `title`; a part page takes both from its part."""

    name: str            # how templates and code ask for the page: page_url("glossary")
    template: str
    slug: str = ""
    title: str = ""
    shows: str = ""      # OWN: the parts it is made of; ALL: every part (a one-page edition); "": none
    shows_front: bool = False  # the report's title and what is printed with it (front-page.md)
    shows_counts: bool = False  # how many paragraphs, recommendations and citations the report has
    links_every_paragraph: bool = False  # a link to every numbered paragraph (to go straight to one)
    in_sequence: bool = True   # in the reading order: the contents, and previous and next links
    in_contents: bool = True   # listed in the contents
    needs: Callable[[Report], bool] = lambda report: True  # built only for a report that has what it shows
    text: Callable[[Report], Part | None] = lambda report: None  # the content's own text for it, which may
    # rename it: about.md gives the about page its title and slug


PAGE_KINDS = (
    PageKind("home", "pages/home.html", "index", "Home", shows_front=True, shows_counts=True),
    PageKind("part", "pages/part.html", shows=OWN),  # one page for each part, or for parts that share a `page:`
    PageKind("key_figures", "pages/key_figures.html", "key-figures", "Key figures",
             needs=lambda report: report.key_figures is not None),
    PageKind("about", "pages/about.html", "about", "About this report", text=lambda report: report.about),
    PageKind("glossary", "pages/glossary.html", "glossary", "Glossary of abbreviations",
             needs=lambda report: bool(report.abbreviations)),
    PageKind("accessibility", "pages/accessibility.html", "accessibility", "Accessibility statement", shows_counts=True,
             in_sequence=False),
    PageKind("search", "pages/search.html", "search", "Search the report", links_every_paragraph=True,
             in_sequence=False, in_contents=False),
    PageKind("large_print", "pages/large_print.html", "large-print", "Large print edition", shows=ALL, shows_front=True,
             in_sequence=False, in_contents=False),
    PageKind("not_found", "pages/not_found.html", "404", "Page not found", in_sequence=False, in_contents=False),
)
KINDS = {kind.name: kind for kind in PAGE_KINDS}
# Names a part's page may not take: the site's own pages, and the folders of the site.
RESERVED_SLUGS = frozenset({kind.slug for kind in PAGE_KINDS if kind.slug} | {"static", "downloads", "pagefind"})


@dataclass(frozen=True)
class Page:
    """One HTML page of the site. Part pages show one or more parts of the report."""

    slug: str
    url: str
    title: str
    kind: str
    parts: tuple[Part, ...] = ()

    @property
    def kind_of(self) -> PageKind:
        return KINDS[self.kind]

    @property
    def in_sequence(self) -> bool:
        return self.kind_of.in_sequence

    @property
    def in_contents(self) -> bool:
        return self.kind_of.in_contents

    @property
    def is_one_page_edition(self) -> bool:
        return self.kind_of.shows == ALL

    @property
    def number(self) -> str:
        """The number the report prints for the page's (first) part, or ""."""
        return self.parts[0].number if self.parts else ""


@dataclass(frozen=True)
class ContentsEntry:
    """A line of a contents: where it leads, its text, the number the report prints for it (or ""), and the
    entries numbered under it (2.1 and 2.2 under 2)."""

    href: str
    text: str
    number: str = ""
    items: tuple[ContentsEntry, ...] = ()


def nest_by_number(entries: list[tuple[str, str, str]]) -> tuple[ContentsEntry, ...]:
    """(href, text, number) in reading order, as a contents: an entry numbered 2.1 under the entry numbered 2."""
    children: dict[int, list[int]] = {}
    top: list[int] = []
    by_number: dict[str, int] = {}
    for index, (_, _, number) in enumerate(entries):
        parent = by_number.get(number.rpartition(".")[0]) if "." in number else None
        (children.setdefault(parent, []) if parent is not None else top).append(index)
        if number:
            by_number.setdefault(number, index)

    def entry(index: int) -> ContentsEntry:
        href, text, number = entries[index]
        return ContentsEntry(href, text, number, tuple(entry(child) for child in children.get(index, ())))
    return tuple(entry(index) for index in top)


def plan_contents(pages: list[Page]) -> tuple[ContentsEntry, ...]:
    """A contents of `pages`, in reading order, their parts numbered as the report numbers them."""
    return nest_by_number([(page.url, page.title, page.number) for page in pages])


def edition_contents(report: Report) -> tuple[ContentsEntry, ...]:
    """The contents of a one-page edition: each part, by its heading, at its place on the page."""
    return nest_by_number([(f"#part-{part.slug}", part.heading, part.number) for part in report.parts])


def plan_pages(report: Report) -> list[Page]:
    """The site's pages in reading order; parts that share a `page` share one page."""
    pages = []
    for kind in PAGE_KINDS:
        if kind.shows == OWN:
            part_pages: dict[str, list[Part]] = {}
            for part in report.parts:
                part_pages.setdefault(part.page, []).append(part)
            pages += [Page(slug, f"{slug}.html", parts[0].title, kind.name, tuple(parts)) for slug, parts in part_pages.items()]
        elif kind.needs(report):
            text = kind.text(report)
            slug, title = (text.slug, text.title) if text else (kind.slug, kind.title)
            pages.append(Page(slug, f"{slug}.html", title, kind.name))
    return pages


def shown_parts(report: Report, page: Page) -> tuple[Part, ...]:
    """The parts whose text `page` shows: its own, none, or (a one-page edition) every part."""
    shows = page.kind_of.shows
    return page.parts if shows == OWN else tuple(report.parts) if shows == ALL else ()


def page_documents(report: Report, page: Page) -> tuple[Part, ...]:
    """Every Markdown file whose text `page` shows: its parts, the front page's text, the about text."""
    kind = page.kind_of
    front = (report.front,) if kind.shows_front and report.front else ()
    text = kind.text(report)
    return front + shown_parts(report, page) + ((text,) if text else ())


def pages_showing(report: Report, pages: list[Page]) -> dict[int, Page]:
    """The page of the site that shows each part, the front page's text and the about text (not the one-page
    edition), by the document's id: the first of `pages` that does."""
    shown_on: dict[int, Page] = {}
    for page in pages:
        if not page.is_one_page_edition:
            for document in page_documents(report, page):
                shown_on.setdefault(id(document), page)
    return shown_on
