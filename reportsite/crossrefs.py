"""Resolve cross-references: every page's URL, every paragraph's home, every citation and its backlink.

All URLs and anchors are computed here, once, before any Markdown is rendered;
the plugins and templates only look them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .content import Part, Report
from .errors import BuildError, Problem
from .pages import RESERVED_SLUGS, Page, pages_showing, plan_pages
from .plugins.numbered_paragraphs import CHAPTER, PARAGRAPH, RECOMMENDATION, SEQUENCE, paragraph_anchor


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph (or a recommendation numbered on its own): its label as printed, where it is
    written and the page that holds it. Its anchor is its id on that page, and its key in `Site.paragraphs`."""

    label: str
    series: str
    anchor: str
    part: Part
    page: Page
    line: int
    opening: str = ""  # its opening words, if it cites another paragraph: what a link back to it shows

    @property
    def is_recommendation(self) -> bool:
        return bool(self.part.recommendations)

    @property
    def noun(self) -> str:
        """What the report calls it: 'paragraph', 'recommendation' (numbered with the paragraphs),
        or 'Recommendation' (numbered on its own, and named so)."""
        if self.series == RECOMMENDATION:
            return "Recommendation"
        return "recommendation" if self.is_recommendation else "paragraph"


@dataclass(frozen=True)
class Citation:
    """A citation of the paragraph whose anchor is `target`, written in `part` at `line`, inside the numbered
    paragraph whose anchor is `source` (None in unnumbered text). A range cites the paragraphs inside it
    without writing their numbers: those citations are not `written`."""

    target: str
    source: str | None
    part: Part
    page: Page
    line: int
    written: bool = True


@dataclass(frozen=True)
class Backlink:
    """A link back to what cites a paragraph: a numbered paragraph ('recommendation', 'Recommendation' or 'paragraph',
    its label and its opening words), or text outside them (no kind; the label is its part's heading)."""

    kind: str
    label: str
    href: str
    words: str = ""

    @property
    def text(self) -> str:
        """What the link says: 'Recommendation 2: Improve governance arrangements so that…', or the part's heading."""
        return f"{self.kind[:1].upper()}{self.kind[1:]} {self.label}: {self.words}" if self.kind else self.label


@dataclass(frozen=True)
class Evidence:
    """A paragraph that a recommendation cites: its label, the heading of the part it is in, and its anchor and link."""

    label: str
    part: str
    anchor: str
    href: str

    @property
    def text(self) -> str:
        return f"Paragraph {self.label} – {self.part}"


@dataclass(eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class Site:
    """The resolved report: pages in reading order and the links between paragraphs."""

    report: Report
    pages: list[Page]
    paragraphs: dict[str, Paragraph]  # by anchor, in the report's order
    citations: list[Citation]
    cited_by: dict[str, list[Citation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._site_pages = {page.kind: page for page in self.pages if not page.parts}
        self._part_pages = {part.slug: page for page in self.pages for part in page.parts}
        self._cites: dict[str, list[str]] = {}  # what each numbered paragraph cites, in the order cited, once each
        for citation in self.citations:
            cited = self._cites.setdefault(citation.source, []) if citation.source else []
            if citation.target not in cited:
                cited.append(citation.target)
        # the paragraphs a page may add something to: links back to what cites them, a recommendation's evidence
        self.linked = frozenset(self.cited_by) | frozenset(self._cites)

    def page(self, kind: str) -> Page | None:
        """The site's own page of this kind ('glossary', 'large_print'...), or None if this report has none."""
        return self._site_pages.get(kind)

    def page_of_part(self, slug: str) -> Page:
        return self._part_pages[slug]

    def part_href(self, slug: str, from_page: Page) -> str:
        """A relative link from `from_page` to the part with this slug: its page, or its place on a page it shares."""
        to_page = self.page_of_part(slug)
        return href(from_page, to_page, "" if to_page.parts[0].slug == slug else f"part-{slug}")

    def paragraph_urls(self, from_page: Page) -> list[tuple[str, str]]:
        """Each numbered paragraph's label and its link from `from_page`, in the report's order: what a number goes to."""
        return [(paragraph.label, self.paragraph_href(anchor, from_page)) for anchor, paragraph in self.paragraphs.items()
                if paragraph.series == PARAGRAPH]

    def paragraph_href(self, anchor: str, from_page: Page) -> str:
        """A relative link from `from_page` to the paragraph with this anchor."""
        return href(from_page, self.paragraphs[anchor].page, anchor)

    def backlinks(self, anchor: str, from_page: Page) -> list[Backlink]:
        """Where the paragraph with this anchor is cited, as links from the page that holds it."""
        links = []
        seen = set()
        for citation in self.cited_by.get(anchor, ()):
            source = citation.source
            key = (citation.page.slug, source)
            if key in seen:
                continue
            seen.add(key)
            if source is None:
                links.append(Backlink("", citation.part.heading, href(from_page, citation.page, "")))
            else:
                citing = self.paragraphs[source]
                links.append(Backlink(citing.noun, citing.label, href(from_page, citation.page, source), citing.opening))
        return links

    def evidence(self, anchor: str, from_page: Page) -> list[Evidence]:
        """The paragraphs a recommendation cites, in the order it cites them, as links from `from_page`;
        nothing for a paragraph that is not a recommendation."""
        if anchor not in self._cites or not self.paragraphs[anchor].is_recommendation:
            return []
        return [Evidence(self.paragraphs[target].label, self.paragraphs[target].part.heading, target,
                         self.paragraph_href(target, from_page)) for target in self._cites[anchor]]


def href(from_page: Page, to_page: Page, anchor: str) -> str:
    """Relative link between two pages of the flat site, so it works under any sub-path and from disk."""
    fragment = f"#{anchor}" if anchor else ""
    if from_page.is_one_page_edition:  # the whole report is on this one page: link within it
        return fragment or f"#part-{to_page.parts[0].slug if to_page.parts else to_page.slug}"
    if from_page.url == to_page.url and fragment:
        return fragment
    return to_page.url + fragment


def one_page_editions(site: Site) -> list[Page]:
    """The pages that show every part of the report: the large-print edition, and any like it."""
    return [page for page in site.pages if page.is_one_page_edition]


def with_page_urls(site: Site, urls: dict[str, str]) -> Site:
    """A copy of the site whose pages have other URLs (page slug -> URL), for a format with its own file names."""
    pages = {page.slug: replace(page, url=urls.get(page.slug, page.url)) for page in site.pages}
    paragraphs = {anchor: replace(paragraph, page=pages[paragraph.page.slug]) for anchor, paragraph in site.paragraphs.items()}
    moved = {id(citation): replace(citation, page=pages[citation.page.slug]) for citation in site.citations}
    cited_by = {anchor: [moved[id(citation)] for citation in citations] for anchor, citations in site.cited_by.items()}
    return Site(site.report, list(pages.values()), paragraphs, list(moved.values()), cited_by)


def resolve(report: Report, check_numbers: bool = True) -> Site:
    """Find every paragraph and citation, check them, and reverse citations into backlinks. (A worker process resolving
    its copy of a report, which the main process resolves and checks, leaves out checking the paragraphs' numbers.)"""
    pages = plan_pages(report)
    problems = _check_page_slugs(pages)
    page_of = {part.slug: page for page in pages for part in page.parts}
    shown_on = pages_showing(report, pages)
    paragraphs: dict[str, Paragraph] = {}
    series: dict[str, list[Paragraph]] = {}
    for part in report.parts:
        for mark in part.paragraphs:
            paragraph = Paragraph(mark.label, mark.series, mark.anchor, part, page_of[part.slug], mark.line, mark.opening)
            series.setdefault(mark.series, []).append(paragraph)
            paragraphs.setdefault(mark.anchor, paragraph)
    for name, numbered in series.items() if check_numbers else ():
        problems += check_numbering(numbered, report.numbering if name == PARAGRAPH else SEQUENCE)
    numbered = series.get(PARAGRAPH, [])
    citations, found = cite(report.documents, report.numbering, shown_on, paragraphs, numbered)
    problems += found
    cited_by: dict[str, list[Citation]] = {}
    for citation in citations:
        cited_by.setdefault(citation.target, []).append(citation)
    slugs = sorted(part.slug for part in report.parts)
    for document in report.documents:
        for slug, line in document.part_links:
            if slug not in page_of:
                problems.append(Problem(document.source, line, f"'part: {slug}' names no part of the report.",
                                        _suggest_slug(slug, slugs)))
    for figure in report.key_figures.figures if report.key_figures else ():
        if paragraph_anchor(figure.paragraph) not in paragraphs:
            problems.append(Problem(figure.source, figure.paragraph_line,
                                    f"the figure '{figure.id}' comes from paragraph {figure.paragraph}, which does not exist.",
                                    f"Give the number of a paragraph between {numbered[0].label} and {numbered[-1].label}: "
                                    "the one that states these figures." if numbered
                                    else "Add numbered paragraphs to the report, or remove the figure."))
    if problems:
        raise BuildError(problems)
    return Site(report, pages, paragraphs, citations, cited_by)


def resolve_edited(site: Site, report: Report, edited: dict[Part, Part]) -> Site | None:
    """What `resolve(report)` gives, where `report` is the site's report with each part in `edited` (the old Part
    to the new) loaded again, found in time that grows with the edit rather than the report: a serve session's
    resolve after a save. None if the edit changes more than the edited parts' own text and citations (a part's
    front matter, its numbered paragraphs' numbers, a citation or a part named that cannot be resolved):
    `resolve` then does it all and says what is wrong."""
    if any(_outline(old) != _outline(new) for old, new in edited.items()):
        return None
    page_of = {part.slug: page for page in site.pages for part in page.parts}
    if any(slug not in page_of for new in edited.values() for slug, _ in new.part_links):
        return None
    moved: dict[int, Page] = {}  # the pages that show an edited part, made again, by the old page's id
    pages = []
    for page in site.pages:
        if any(part in edited for part in page.parts):
            page = moved.setdefault(id(page), replace(page, parts=tuple(edited.get(part, part) for part in page.parts)))
        pages.append(page)
    paragraphs = dict(site.paragraphs)
    for page in moved.values():
        for part in page.parts:
            old = next((was for was, new in edited.items() if new is part), part)
            for mark in part.paragraphs:
                if paragraphs[mark.anchor].part is not old:  # numbered twice, and the other comes first
                    return None
                paragraphs[mark.anchor] = Paragraph(mark.label, mark.series, mark.anchor, part, page, mark.line, mark.opening)
    shown_on = pages_showing(report, pages)
    numbered = [paragraph for paragraph in paragraphs.values() if paragraph.series == PARAGRAPH]
    fresh, problems = cite(list(edited.values()), report.numbering, shown_on, paragraphs, numbered)
    if problems:
        return None
    by_part: dict[int, list[Citation]] = {}
    for citation in fresh:
        by_part.setdefault(id(citation.part), []).append(citation)
    for citation in site.citations:
        if citation.part not in edited:
            page = moved.get(id(citation.page))
            by_part.setdefault(id(citation.part), []).append(citation if page is None else replace(citation, page=page))
    citations = [citation for document in report.documents for citation in by_part.get(id(document), ())]
    cited_by: dict[str, list[Citation]] = {}
    for citation in citations:
        cited_by.setdefault(citation.target, []).append(citation)
    return Site(report, pages, paragraphs, citations, cited_by)


def _outline(part: Part) -> tuple:
    """What resolving reads of a part besides its citations: where it goes and what it is called, and the numbers
    of its paragraphs."""
    return (part.title, part.order, part.slug, part.page, part.heading, part.recommendations,
            [(mark.label, mark.series, mark.anchor) for mark in part.paragraphs])


def cite(documents: list[Part], numbering: str, shown_on: dict[int, Page], paragraphs: dict[str, Paragraph],
         numbered: list[Paragraph]) -> tuple[list[Citation], list[Problem]]:
    """Every citation in the documents, a range standing for each paragraph in it; and each that cannot be resolved."""
    position = {paragraph.anchor: index for index, paragraph in enumerate(numbered)}
    citations: list[Citation] = []
    problems: list[Problem] = []
    for part in documents:
        page = shown_on[id(part)]
        for mark in part.citations:
            who = f"{paragraphs[mark.source].noun} {paragraphs[mark.source].label}" if mark.source in paragraphs else "this text"
            target = paragraph_anchor(mark.target)
            if target not in position:
                problems.append(Problem(part.source, mark.line, f"{who} cites paragraph {mark.target}, which does not exist.",
                                        _cite_which(mark.target, numbered, numbering)))
                continue
            citations.append(Citation(target, mark.source, part, page, mark.line))
            if mark.through is None or paragraph_anchor(mark.through) not in position:
                continue  # the end of the range is a citation of its own, checked in its turn
            first, last = position[target], position[paragraph_anchor(mark.through)]
            if last < first:
                problems.append(Problem(part.source, mark.line,
                                        f"{who} cites paragraphs {mark.target} to {mark.through}, a range that runs backwards.",
                                        f"Write the range from the lower number to the higher: '{mark.through} to {mark.target}'."))
            citations += [Citation(inside.anchor, mark.source, part, page, mark.line, written=False)
                          for inside in numbered[first + 1:last]]
    return citations, problems


def _cite_which(label: str, numbered: list[Paragraph], numbering: str) -> str:
    """What to cite instead of a paragraph that does not exist; adding it is suggested only if it could exist."""
    if not numbered:
        return "Add numbered paragraphs to the report, or remove the citation."
    could_exist = all(number.strip("0") for number in label.split(".")) and label.count(".") == (numbering == CHAPTER)
    add = f", or add paragraph {label}" if could_exist else ""
    return f"Cite a paragraph between {numbered[0].label} and {numbered[-1].label}{add}."


def check_numbering(paragraphs: list[Paragraph], numbering: str) -> list[Problem]:
    """Each gap and each repeat in the numbers of one series, named at the paragraph where it is found.

    In a sequence the numbers go up by one from 1 across the report; by chapter, 2.1, 2.2, ... within
    each chapter, and the chapters in order. One wrong number is one problem: the paragraph after it may
    follow either the number written or the one that was due."""
    problems = []
    bases: list[tuple[int, ...] | None] = [None]  # what the next paragraph may follow (None: the start)
    seen: dict[str, Paragraph] = {}
    misnumbered: set[str] = set()
    for paragraph in paragraphs:
        key = tuple(map(int, paragraph.label.split(".")))
        if paragraph.label not in seen and _follows(bases[-1], key, numbering):  # in order: most paragraphs, quickly
            seen[paragraph.label] = paragraph
            bases = [key]
            continue
        due = _due(bases[0], key, numbering)
        noun = paragraph.noun.lower()
        in_order = any(_follows(base, key, numbering) for base in bases)
        if paragraph.label in seen and in_order and paragraph.label in misnumbered:
            bases = [key]  # the first one was reported as misnumbered: this is the one in its right place
            continue
        if paragraph.label in seen:
            first = seen[paragraph.label]
            problems.append(Problem(paragraph.part.source, paragraph.line,
                                    f"{noun} {paragraph.label} is numbered twice; it is already at {first.part.source}:{first.line}.",
                                    "Correct the number of the other one, or remove one of the two." if in_order
                                    else f"Number this {noun} {_label(due)} and renumber the ones after it, or remove one of the two."))
            bases = [key] if in_order else [key, due]
            continue
        seen[paragraph.label] = paragraph
        if in_order:
            bases = [key]
            continue
        problems.append(_out_of_order(paragraph, noun, bases[0], key, due, numbering))
        misnumbered.add(paragraph.label)
        bases = [key, due]
    return problems


def _follows(previous: tuple[int, ...] | None, key: tuple[int, ...], numbering: str) -> bool:
    if numbering == SEQUENCE:
        return key == ((previous[0] if previous else 0) + 1,)
    if previous is None or key[0] != previous[0]:
        return key[1] == 1 and (previous is None or key[0] > previous[0])
    return key[1] == previous[1] + 1


def _due(previous: tuple[int, ...] | None, key: tuple[int, ...], numbering: str) -> tuple[int, ...]:
    """The number that should have come after `previous` where `key` is written: the next in the sequence,
    or in the chapter; at the start of a chapter, its first."""
    if numbering == SEQUENCE:
        return ((previous[0] if previous else 0) + 1,)
    if previous is None or key[0] > previous[0]:
        return (key[0], 1)
    return (previous[0], previous[1] + 1)


def _label(key: tuple[int, ...]) -> str:
    return ".".join(str(number) for number in key)


def _out_of_order(paragraph: Paragraph, noun: str, previous, key, due, numbering: str) -> Problem:
    label = paragraph.label
    if numbering == SEQUENCE:
        if previous is None:
            message = f"the first {noun} is numbered {label}: {noun} 1 is missing."
        elif key > due:
            message = f"{noun} {label} follows {noun} {_label(previous)}: {noun} {_label(due)} is missing."
        else:
            message = f"{noun} {label} follows {noun} {_label(previous)}: {noun}s must go up by one."
        fix = f"Number this {noun} {_label(due)}, or add the missing {noun}s before it."
    elif previous is None or key[0] > previous[0]:
        message = f"{noun} {label} is the first of chapter {key[0]}: {noun} {key[0]}.1 is missing."
        fix = f"Number this {noun} {key[0]}.1, or add the missing {noun}s before it."
    elif key[0] < previous[0]:
        message = f"{noun} {label} follows {noun} {_label(previous)}: chapter {key[0]} comes before chapter {previous[0]}."
        fix = (f"Number this {noun} {_label(due)} (or {previous[0] + 1}.1 if it starts the next chapter), "
               f"or move it into chapter {key[0]}.")
    elif key[1] > previous[1]:
        message = f"{noun} {label} follows {noun} {_label(previous)}: {noun} {_label(due)} is missing."
        fix = f"Number this {noun} {_label(due)}, or add the missing {noun}s before it."
    else:
        message = f"{noun} {label} follows {noun} {_label(previous)}: the {noun}s of a chapter must go up by one."
        fix = f"Number this {noun} {_label(due)}."
    return Problem(paragraph.part.source, paragraph.line, message, fix)


def _suggest_slug(wrong: str, slugs: list[str]) -> str:
    import difflib  # only when a name is wrong

    close = difflib.get_close_matches(wrong, slugs, n=1)
    if close:
        return f"Did you mean '{close[0]}'? Use the slug of a part."
    if len(slugs) <= 12:
        return "Use the slug of a part: " + ", ".join(slugs) + "."
    return "Use the slug of a part, as written in its front matter or file name."


def _check_page_slugs(pages: list[Page]) -> list[Problem]:
    """A part's page may not take the name of one of the site's own, nor (about.md) a site page a part's."""
    taken = RESERVED_SLUGS | {page.slug for page in pages if not page.parts}
    return [Problem(page.parts[0].source, page.parts[0].slug_line, f"the page name '{page.slug}' is used by the site itself.",
                    "Choose another 'slug:' (or 'page:') for this part.")
            for page in pages if page.parts and page.slug in taken]
