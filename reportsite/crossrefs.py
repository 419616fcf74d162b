"""Resolve cross-references: every page's URL, every paragraph's home, every citation and its backlink.

All URLs and anchors are computed here, once, before any Markdown is rendered;
the plugins and templates only look them up.
"""

from __future__ import annotations

import difflib
import weakref
from dataclasses import dataclass, field, replace

from markdown_it.token import Token

from .content import Part, Report
from .errors import BuildError, Problem, display_path
from .plugins.numbered_paragraphs import paragraph_anchor


@dataclass(frozen=True)
class Page:
    """One HTML page of the site. Part pages show one or more parts of the report."""

    slug: str
    url: str
    title: str
    kind: str
    parts: tuple[Part, ...] = ()
    in_sequence: bool = True


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph, where it is written and the page that holds it."""

    number: int
    part: Part
    page: Page
    line: int

    @property
    def is_recommendation(self) -> bool:
        return self.part.recommendations


@dataclass(frozen=True)
class Citation:
    """A citation of paragraph `target`, written in `part` at `line` (inside paragraph `source_paragraph`)."""

    target: int
    source_paragraph: int | None
    part: Part
    page: Page
    line: int


@dataclass(frozen=True)
class Backlink:
    kind: str
    label: str
    href: str


@dataclass
class Site:
    """The resolved report: pages in reading order and the links between paragraphs."""

    report: Report
    pages: list[Page]
    paragraphs: dict[int, Paragraph]
    citations: list[Citation]
    cited_by: dict[int, list[Citation]] = field(default_factory=dict)
    # A serve session's render.RenderMemo: what earlier builds rendered, reused while unchanged.
    render_memo: object | None = field(default=None, repr=False, compare=False)

    def page(self, slug: str) -> Page:
        return next(page for page in self.pages if page.slug == slug)

    def page_of_part(self, slug: str) -> Page:
        return next(page for page in self.pages if any(part.slug == slug for part in page.parts))

    def paragraph_href(self, number: int, from_page: Page) -> str:
        """A relative link from `from_page` to paragraph `number`."""
        return href(from_page, self.paragraphs[number].page, paragraph_anchor(number))

    def backlinks(self, number: int, from_page: Page) -> list[Backlink]:
        """Where paragraph `number` is cited, as links from the page that holds it."""
        links = []
        seen = set()
        for citation in self.cited_by.get(number, ()):
            source = citation.source_paragraph
            key = (citation.page.slug, source)
            if key in seen:
                continue
            seen.add(key)
            if source is None:
                links.append(Backlink("", citation.part.heading, href(from_page, citation.page, "")))
            else:
                kind = "recommendation" if self.paragraphs[source].is_recommendation else "paragraph"
                links.append(Backlink(kind, str(source), href(from_page, citation.page, paragraph_anchor(source))))
        return links


def href(from_page: Page, to_page: Page, anchor: str) -> str:
    """Relative link between two pages of the flat site, so it works under any sub-path and from disk."""
    fragment = f"#{anchor}" if anchor else ""
    if from_page.kind == "large_print":  # the whole report is on this one page: link within it
        return fragment or f"#part-{to_page.parts[0].slug if to_page.parts else to_page.slug}"
    if from_page.url == to_page.url and fragment:
        return fragment
    return to_page.url + fragment


def with_page_urls(site: Site, urls: dict[str, str]) -> Site:
    """A copy of the site whose pages have other URLs (page slug -> URL), for a format with its own file names."""
    pages = {page.slug: replace(page, url=urls.get(page.slug, page.url)) for page in site.pages}
    paragraphs = {number: replace(paragraph, page=pages[paragraph.page.slug]) for number, paragraph in site.paragraphs.items()}
    moved = {id(citation): replace(citation, page=pages[citation.page.slug]) for citation in site.citations}
    cited_by = {number: [moved[id(citation)] for citation in citations] for number, citations in site.cited_by.items()}
    return Site(site.report, list(pages.values()), paragraphs, list(moved.values()), cited_by)


def plan_pages(report: Report) -> list[Page]:
    """The site's pages in reading order; parts that share a `page` share one page."""
    part_pages: dict[str, list[Part]] = {}
    for part in report.parts:
        part_pages.setdefault(part.page, []).append(part)
    pages = [Page("index", "index.html", "Home", "home")]
    for slug, parts in part_pages.items():
        pages.append(Page(slug, f"{slug}.html", parts[0].title, "part", tuple(parts)))
    if report.key_figures:  # after the report's own parts
        pages.append(Page("key-figures", "key-figures.html", "Key figures", "key_figures"))
    pages += [
        Page("about-this-paper", "about-this-paper.html", "About this paper", "about"),
        Page("glossary", "glossary.html", "Glossary of abbreviations", "glossary"),
        Page("accessibility", "accessibility.html", "Accessibility statement", "accessibility", in_sequence=False),
        Page("search", "search.html", "Search the report", "search", in_sequence=False),
        Page("large-print", "large-print.html", "Large print edition", "large_print", in_sequence=False),
        Page("404", "404.html", "Page not found", "not_found", in_sequence=False),
    ]
    return pages


def resolve(report: Report) -> Site:
    """Find every paragraph and citation, check them, and reverse citations into backlinks."""
    pages = plan_pages(report)
    problems = _check_page_slugs(pages)
    page_of = {part.slug: page for page in pages for part in page.parts}
    paragraphs: dict[int, Paragraph] = {}
    citations: list[Citation] = []
    expected, allowed = 1, {1}
    for part in report.parts:
        page = page_of[part.slug]
        offset = part.env.get("line_offset", 0)
        for token in landmarks(part):
            if token.type == "numbered_paragraph_open":
                number = token.meta["number"]
                line = offset + token.map[0] + 1
                if number in paragraphs:
                    first = paragraphs[number]
                    problems.append(Problem(part.source, line, f"paragraph {number} is numbered twice; it is already at {first.part.source}:{first.line}.",
                                            f"Number this paragraph {expected} and renumber the ones after it, or remove one of the two."))
                    expected, allowed = expected + 1, {number + 1, expected + 1}
                    continue
                if number not in allowed:
                    missing = f"paragraph {expected} is missing" if number > expected else "paragraphs must go up by one"
                    problems.append(Problem(part.source, line, f"paragraph {number} follows paragraph {expected - 1}: {missing}.",
                                            f"Number this paragraph {expected}, or add the missing paragraphs before it."))
                    # one wrong number is one problem: the next may follow either this number or the sequence
                    expected, allowed = expected + 1, {number + 1, expected + 1}
                else:
                    expected, allowed = number + 1, {number + 1}
                paragraphs[number] = Paragraph(number, part, page, line)
            elif token.type == "inline" and token.children:
                for child in token.children:
                    if child.type == "citation":
                        citations.append(Citation(child.meta["target"], child.meta["source_paragraph"], part, page, child.meta["line"]))
    highest = max(paragraphs, default=0)
    cited_by: dict[int, list[Citation]] = {}
    for citation in citations:
        if citation.target not in paragraphs:
            who = f"paragraph {citation.source_paragraph}" if citation.source_paragraph else "this text"
            problems.append(Problem(citation.part.source, citation.line,
                                    f"{who} cites paragraph {citation.target}, which does not exist.",
                                    f"Cite a paragraph between 1 and {highest}, or add paragraph {citation.target}." if highest
                                    else "Add numbered paragraphs to the report, or remove the citation."))
            continue
        cited_by.setdefault(citation.target, []).append(citation)
    for judgement in report.meta["judgements"] + [report.meta["lscb_judgement"]]:
        if judgement["part"] not in page_of:
            problems.append(Problem(display_path(report.content_dir / "report.yaml"), getattr(judgement, "key_lines", {}).get("part", 1),
                                    f"the judgement '{judgement['area']}' names the part '{judgement['part']}', which does not exist.",
                                    _suggest_slug(judgement["part"], sorted(page_of))))
    for figure in report.key_figures.figures if report.key_figures else ():
        if figure.paragraph not in paragraphs:
            problems.append(Problem(figure.source, figure.paragraph_line,
                                    f"the figure '{figure.id}' comes from paragraph {figure.paragraph}, which does not exist.",
                                    f"Give the number of a paragraph between 1 and {highest}: the one that states these figures." if highest
                                    else "Add numbered paragraphs to the report, or remove the figure."))
    if problems:
        raise BuildError(problems)
    return Site(report, pages, paragraphs, citations, cited_by)


_LANDMARKS: weakref.WeakKeyDictionary[Part, list[Token]] = weakref.WeakKeyDictionary()


def landmarks(part: Part) -> list[Token]:
    """The part's tokens that `resolve` reads: its numbered paragraphs, and the text that holds citations.

    Kept with the part, so that a serve session's rebuild goes through those of the parts that changed only.
    """
    found = _LANDMARKS.get(part)
    if found is None:
        found = _LANDMARKS[part] = [
            token for token in part.tokens
            if token.type == "numbered_paragraph_open"
            or (token.type == "inline" and token.children and any(child.type == "citation" for child in token.children))]
    return found


def _suggest_slug(wrong: str, slugs: list[str]) -> str:
    close = difflib.get_close_matches(wrong, slugs, n=1)
    if close:
        return f"Did you mean '{close[0]}'? Use the slug of a part."
    if len(slugs) <= 12:
        return "Use the slug of a part: " + ", ".join(slugs) + "."
    return "Use the slug of a part, as written in its front matter or file name."


def _check_page_slugs(pages: list[Page]) -> list[Problem]:
    reserved = {"index", "about-this-paper", "glossary", "accessibility", "search", "404", "large-print", "static", "key-figures"}
    problems = []
    for page in pages:
        if page.kind == "part" and page.slug in reserved:
            part = page.parts[0]
            problems.append(Problem(part.source, 2, f"the page name '{page.slug}' is used by the site itself.",
                                    "Choose another 'slug:' (or 'page:') for this part."))
    return problems
