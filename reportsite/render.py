"""Render every page of the site through the Jinja templates, in memory.

Every page gets the same context (`page_context`): the report's facts, the pages, links to the site's
own pages by kind, and functions that render, when a template asks, the text the page shows (its
parts, the front page, the about text, the charts). What differs between kinds of page is only the
template, named in the table of page kinds (pages.py).

Abbreviations are explained in the text of a page's main content and footer, which the templates wrap
in `{% filter abbreviations %}`: the filter only marks where that text starts and ends, and
`finish_page` marks the abbreviations there (with a serve session's memo of the chunks it has marked
before) and explains them once the page is whole. A part's HTML comes with its abbreviations marked
already (the parser marks the text, the renderers what they add): `render_part` fences it off, and
`finish_page` marks only the text around it, which is the template's.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe

from .content import Part, parse_part, read_part_source
from .crossrefs import Page, Site, href
from .errors import BuildError, Problem, display_path
from .figures import figures_by_paragraph
from .logo import SITE_PATH as LOGO_PATH
from .markdown import markdown_parser, parse_markdown, render_markdown, shown_heading_id
from .pages import ALL, KINDS, OWN, ContentsEntry, edition_contents, plan_contents, shown_parts
from .plugins.abbreviations import CANDIDATE as ABBREVIATION_CANDIDATE
from .plugins.abbreviations import (MarkedChunks, NotInPieces, explain_abbreviations, explain_in_pieces,
                                    mark_abbreviations_in_html, mark_piece_of_html)
from .plugins.blocks import BLOCK_KINDS, BlockRenderer
from .plugins.numbered_paragraphs import PARAGRAPH
from .templates import EXPLAIN_FROM, EXPLAIN_TO, site_ids, template_environment

# Where a part's HTML, its abbreviations marked already, starts and ends: `finish_page` does not mark it again.
MARKED_FROM, MARKED_TO = "<!--rs:marked-->", "<!--/rs:marked-->"
EXPLAIN_REGION = re.compile("(" + "|".join(map(re.escape, (EXPLAIN_FROM, EXPLAIN_TO, MARKED_FROM, MARKED_TO))) + ")")
PAGE_CHART_LINKS = True  # on the site's pages, each paragraph drawn as a key figure links to its chart
# What a paragraph quoted where it is cited leaves out: the marks of its footnotes (on its own page), and ids.
QUOTE_FOOTNOTE_MARK = re.compile(r'<sup class="rs-footnote-ref">.*?</sup>')
QUOTE_ID = re.compile(r' id="[^"]*"')
# On the site's pages, a link back to the contents ends each section of a part that another follows, and each part.
PAGE_BACK_LINK = markupsafe.Markup('<p class="rs-back-link"><a href="#contents">Back to contents</a></p>\n')


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class RenderedPart:
    """A part of the report as HTML, with the heading it has on its page."""

    part: Part
    heading_level: int
    html: str


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class FrontPage:
    """The report's title with its footnote reference, what is printed with it (front-page.md), and the title's footnote."""

    title_html: markupsafe.Markup
    text_html: markupsafe.Markup
    footnotes_html: markupsafe.Markup


@dataclass(frozen=True)
class Counts:
    """What the pages say the report holds, counted, never written into a template."""

    paragraphs: int            # numbered paragraphs
    recommendations: int       # numbered recommendations, whichever way they are numbered
    citing_recommendations: int  # recommendations that cite paragraphs
    citations: int             # paragraph numbers written in citations
    cited_by_others: bool      # something other than a recommendation cites a paragraph


def finish_page(html: str | list[str], expansions: dict[str, str], glossary_href: Callable[[str], str],
                chunks: MarkedChunks | None = None, describe: bool = True) -> str:
    """The page with the abbreviations in its marked text explained (`describe`: on the site's own pages, with
    their expansions as the links' descriptions), and the marks taken out.
    (A one-page edition is the whole report: each piece is let go as soon as it is used. Given `html` in a
    list, it takes the page out of the list, so that the caller holds no copy of it meanwhile.)"""
    if isinstance(html, list):
        html = html.pop()
    pieces = EXPLAIN_REGION.split(html)
    del html
    finished: list[str] = []
    depth = 0
    region: list[str] = []
    kept: list[str] = []  # the marked parts of `region`, each standing in it as MARKED_FROM
    in_marked = False
    for index, piece in enumerate(pieces):
        pieces[index] = ""
        if piece == EXPLAIN_FROM:
            depth += 1
        elif piece == EXPLAIN_TO:
            depth -= 1
            if depth == 0:
                finished.append(_mark_around(region, kept, expansions, chunks))
                region, kept = [], []
        elif piece == MARKED_FROM:
            in_marked = True
        elif piece == MARKED_TO:
            in_marked = False
        elif depth and in_marked:
            region.append(MARKED_FROM)
            kept.append(piece)
        elif depth:
            region.append(piece)
        else:
            finished.append(piece)
        del piece
    del pieces
    page = "".join(finished)
    del finished
    return explain_abbreviations(page, expansions, glossary_href, describe)


def _mark_around(region: list[str], kept: list[str], expansions: dict[str, str], chunks: MarkedChunks | None) -> str:
    """The region with its abbreviations marked, but for its parts marked already (`kept`), which stand in it as
    MARKED_FROM, a comment: to the marking, like the tag a part starts and ends with (see `render_part`)."""
    marked = mark_abbreviations_in_html("".join(region), expansions, chunks)
    if not kept:
        return marked
    around = marked.split(MARKED_FROM)
    return "".join(piece for pair in zip(around, kept) for piece in pair) + around[-1]


def finish_page_in_pieces(pieces: Iterable[str], expansions: dict[str, str], glossary_href: Callable[[str], str],
                          describe: bool = True) -> Iterator[str]:
    """`finish_page` for a page given in pieces (a one-page edition: the template's text and each part's HTML), a
    piece at a time: the same page, without ever holding it whole. Raises NotInPieces, perhaps after some pieces,
    where it could not be the same (the caller then finishes the page whole)."""
    return explain_in_pieces(_marked_in_pieces(_cut_before_tags(pieces), expansions), expansions, glossary_href, describe)


def _cut_before_tags(pieces: Iterable[str]) -> Iterator[str]:
    """The text of `pieces` in pieces cut only before a tag that starts a line: no tag, mark or abbreviation is
    cut in two, and the text before a cut ends with a line."""
    buffered: list[str] = []
    for piece in pieces:
        cut = piece.rfind("\n<") + 1
        if not cut and piece.startswith("<") and buffered and buffered[-1].endswith("\n"):
            yield "".join(buffered)
            buffered = []
        if cut:
            buffered.append(piece[:cut])
            yield "".join(buffered)
            buffered = [piece[cut:]]
        elif piece:
            buffered.append(piece)
    if buffered:
        yield "".join(buffered)


def _marked_in_pieces(pieces: Iterable[str], expansions: dict[str, str]) -> Iterator[str]:
    """What `finish_page` does before explaining, a piece at a time: the abbreviations in the text to explain
    marked, but for the parts' HTML marked already (which stands in the text as a comment would, see `_mark_around`:
    the text on either side of it is marked apart), and the marks taken out."""
    depth = 0  # EXPLAIN_FROM marks open
    in_marked = False  # between MARKED_FROM and MARKED_TO
    open_elements = 0  # the links, headings, abbrs... open in the text to explain, at the end of what is marked
    for piece in pieces:
        finished: list[str] = []
        region: list[str] = []
        for text in EXPLAIN_REGION.split(piece):
            if text == EXPLAIN_FROM:
                depth += 1
            elif text == EXPLAIN_TO:
                depth -= 1
                if depth == 0:
                    finished.append(mark_piece_of_html("".join(region), expansions, open_elements)[0])
                    region, open_elements = [], 0
            elif text == MARKED_FROM:
                in_marked = True
            elif text == MARKED_TO:
                in_marked = False
            elif depth and in_marked:
                marked, open_elements = mark_piece_of_html("".join(region), expansions, open_elements)
                finished += (marked, text)
                region = []
            elif depth:
                region.append(text)
            else:
                finished.append(text)
        if region:  # text to explain that goes on in the next piece
            marked, open_elements = mark_piece_of_html("".join(region), expansions, open_elements)
            finished.append(marked)
        yield "".join(finished)
    if depth:
        raise NotInPieces


def render_part(site: Site, page: Page, part: Part, heading_shift: int, blocks: Blocks,
                chart_links: bool = False, memo: RenderMemo | None = None, back_link: str = "") -> str:
    """A part's Markdown as HTML, its citations and backlinks linked from `page`, its building blocks rendered by
    `blocks`; with `chart_links` (the site's own pages), each paragraph drawn as a key figure links to its chart;
    with a `back_link` (HTML), the link ends each section of the part that another section follows."""
    if memo is not None and (html := memo.get(site, page, part, heading_shift, chart_links)) is not None:
        return html
    env = dict(part.env)
    env["paragraph_href"] = lambda anchor: site.paragraph_href(anchor, page)
    env["backlinks"] = _BacklinksFor(site, page)
    env["render_block"], env["site_ids"] = blocks, blocks.site_ids
    env["linked"] = site.linked
    if chart_links:
        env["figure_links"] = charts_of_paragraphs(site)
    if chart_links and not page.is_one_page_edition:  # a one-page edition holds the paragraphs cited
        env["evidence"] = _EvidenceFor(site, page)
        read_again: dict = {}
        quoted = getattr(memo, "quoted", None)  # quotes a worker made of the paragraphs it holds (workers.py)
        env["quote"] = lambda anchor: ((quoted.get(page.url, anchor) if quoted is not None else None)
                                       or quote_paragraph(site, page, anchor, blocks, read_again))
    env["heading_shift"] = heading_shift
    if back_link:
        env["section_end"] = str(back_link)
    if part is site.report.front:  # on the page of the title, whose note is 'footnote-1'
        env["footnotes_id"], env["footnotes_of"] = "footnotes-of-front-page", "the front page"
        env["footnote_prefix"] = part.slug
    if page.is_one_page_edition or len(page.parts) > 1:  # several parts on one page: keep their ids apart
        env["heading_id_prefix"] = f"{part.slug}-"
        env["footnotes_id"], env["footnotes_of"] = f"footnotes-of-{part.slug}", part.heading
        env["footnote_prefix"] = part.slug
    html = fence_off_marked(site, part, render_markdown(part.tokens, env))
    if memo is not None:
        memo.put(site, page, part, heading_shift, html, chart_links)
    return html


def fence_off_marked(site: Site, part: Part, html: str) -> str:
    """A part's HTML between MARKED_FROM and MARKED_TO, for `finish_page` not to mark it again: its abbreviations
    are marked as `finish_page` would mark them, when the part was parsed with the site's abbreviations. (It starts
    and ends with a tag or a line break, so no word of it runs into the template's text around it.)"""
    if html[:1] in ("<", "\n") and html[-1:] in (">", "\n") and part.env.get("abbreviations", {}) == expansions_of(site):
        return f"{MARKED_FROM}{html}{MARKED_TO}"
    return html


def quotes_of_parts(site: Site, templates_dir: Path, parts: set[str], pages: set[str], downloads: tuple = ()) -> dict[tuple[str, str], str]:
    """Each paragraph of the parts (by file) in `parts` that a recommendation on one of `pages` (by slug) cites, quoted as
    that page quotes it, by (page URL, anchor): what a worker process makes for the pages the others render."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    quotes: dict[tuple[str, str], str] = {}
    blocks: dict[str, Blocks] = {}
    for anchor, paragraph in site.paragraphs.items():
        page = paragraph.page
        if not paragraph.is_recommendation or page.slug not in pages or page.is_one_page_edition:
            continue
        for cited in site.evidence(anchor, page):
            if site.paragraphs[cited.anchor].part.source in parts and (page.url, cited.anchor) not in quotes:
                if page.url not in blocks:
                    blocks[page.url] = blocks_on(environment, site, page, downloads)
                with template_problems(Path(templates_dir), page.url):
                    quotes[page.url, cited.anchor] = quote_paragraph(site, page, cited.anchor, blocks[page.url], {})
    return quotes


def quote_paragraph(site: Site, page: Page, anchor: str, blocks: Blocks, read_again: dict) -> str:
    """The text of the paragraph with this anchor, to read where a recommendation cites it on `page`: the report's words
    and blocks, its citations as plain numbers, without its number, footnote marks or ids (the paragraph itself holds them).
    A part whose text a build on several cores has let go (workers.py) is read again, once (`read_again`, by file)."""
    part = site.paragraphs[anchor].part
    if part.tokens is None and part.source not in read_again:
        problems: list[Problem] = []
        again = parse_part(read_part_source(Path(part.source), problems), site.report.numbering, expansions_of(site), problems)
        read_again[part.source] = again
    text = read_again.get(part.source, part)
    tokens = text.tokens
    start = next(index for index, token in enumerate(tokens)
                 if token.type == "numbered_paragraph_open" and token.meta["anchor"] == anchor)
    end = next(index for index in range(start, len(tokens)) if tokens[index].type == "numbered_paragraph_close")
    env = dict(text.env, quoting=True, render_block=blocks, paragraph_href=lambda cited: site.paragraph_href(cited, page))
    html = render_markdown(tokens[start + 1:end], env)
    html = QUOTE_FOOTNOTE_MARK.sub("", html)
    html = ABBREVIATION_CANDIDATE.sub(lambda found: f"<abbr>{found['text']}</abbr>", html)  # explained where first used, not here
    return QUOTE_ID.sub("", html)


class Blocks:
    """The report's building blocks as a page renders them, with the components of its templates (`render(name, data)`,
    a BlockRenderer), and the ids those templates give the site's own elements (`site_ids`), which no heading takes."""

    __slots__ = ("render", "site_ids")

    def __init__(self, render: BlockRenderer, site_ids: frozenset[str]) -> None:
        self.render, self.site_ids = render, site_ids

    def __call__(self, name: str, data: dict) -> str:
        return self.render(name, data)


def block_renderer(environment: jinja2.Environment, part_href: Callable[[str], str], downloads: tuple | None,
                   rendering: str = "a page") -> Blocks:
    """Render a building block with its component; a `part:` field becomes a link, to `part_href(slug)`.
    `downloads` are the site's downloads (None where the report is not on the site: in a download)."""
    def render(name: str, data: dict) -> str:
        kind = BLOCK_KINDS[name]
        with template_problems(Path(environment.loader.searchpath[0]), rendering):
            macro = getattr(environment.get_template(kind.component).module, kind.macro)
            arguments = _with_part_hrefs(data, part_href)
            if "downloads" in macro.arguments:
                arguments["downloads"] = downloads
            return str(macro(**arguments))
    return Blocks(render, site_ids(environment))


def blocks_on(environment: jinja2.Environment, site: Site, page: Page, downloads: tuple | None) -> Blocks:
    """The building blocks as rendered on `page`, their links to parts made from there."""
    return block_renderer(environment, lambda slug: site.part_href(slug, page), downloads, page.url)


def _with_part_hrefs(data, part_href: Callable[[str], str]):
    if isinstance(data, dict):
        found = {name: _with_part_hrefs(value, part_href) for name, value in data.items() if name != "part"}
        if "part" in data:
            found["href"] = part_href(data["part"]) if data["part"] else None
        return found
    if isinstance(data, list):
        return [_with_part_hrefs(value, part_href) for value in data]
    return data


def charts_of_paragraphs(site: Site) -> dict[str, tuple[tuple[str, str], ...]]:
    """(title, href) of each chart on the key figures page, by the anchor of the paragraph it is drawn from.

    Every page of the site is in one folder, so the link is the same from any page; the large
    print page too links to the key figures page, which is not part of it."""
    if not site.report.key_figures:
        return {}
    url = site.page("key_figures").url
    return {anchor: tuple((figure.title, f"{url}#{figure.anchor}") for figure in figures)
            for anchor, figures in figures_by_paragraph(site.report.key_figures).items()}


class RenderMemo:
    """What earlier builds of a serve session rendered, reused while what it depends on is unchanged.
    The session (incremental.BuildSession) keeps it and hands it to each build.

    - Each part's HTML on each page. It depends on the part's tokens (the Part itself: an
      unchanged file loads to the same Part), the page that shows it, its heading shift, the
      site's downloads (which a building block may offer), and its links to other parts: where
      its citations lead and its paragraphs' backlinks, and (on the site's own pages) the charts
      drawn from its paragraphs and its recommendations' evidence, with the parts whose paragraphs
      it quotes.
    - The chunks of pages whose abbreviations have been marked (see mark_abbreviations_in_html).
    """

    def __init__(self) -> None:
        self.marked_chunks = MarkedChunks()
        self.downloads: tuple = ()
        self._kept: dict[tuple, tuple[tuple, str]] = {}
        self._site: Site | None = None
        self._cited_and_targets: dict[Part, tuple[list[str], list[str], list[str]]] = {}
        self._links: dict[tuple, tuple] = {}

    def links(self, site: Site, page: Page, part: Part) -> tuple:
        """The hrefs in the part's HTML that depend on other parts, as rendered on `page`."""
        if site is not self._site:
            self._index(site)
        key = (part, page.url)
        if key not in self._links:
            cited, targets, citing = self._cited_and_targets.get(part, ((), (), ()))
            charts = charts_of_paragraphs(site)
            evidence = [(anchor, tuple(site.evidence(anchor, page))) for anchor in citing]
            self._links[key] = (
                tuple(site.paragraph_href(target, page) for target in targets),
                tuple((anchor, tuple(site.backlinks(anchor, page))) for anchor in cited),
                tuple((anchor, charts[anchor]) for anchor in sorted(charts) if site.paragraphs[anchor].part is part),
                tuple(evidence),  # and the parts the cited paragraphs' text is quoted from
                tuple(site.paragraphs[cited.anchor].part for _, entries in evidence for cited in entries),
            )
        return self._links[key]

    def get(self, site: Site, page: Page, part: Part, heading_shift: int, chart_links: bool = False) -> str | None:
        kept = self._kept.get((part, page.url, page.kind, heading_shift, chart_links, self.downloads))
        if kept is not None and kept[0] == self.links(site, page, part):
            return kept[1]
        return None

    def put(self, site: Site, page: Page, part: Part, heading_shift: int, html: str, chart_links: bool = False) -> None:
        self._kept[(part, page.url, page.kind, heading_shift, chart_links, self.downloads)] = (self.links(site, page, part), html)

    def next_build(self, site: Site) -> None:
        """After a build of `site`: drop the HTML of parts it no longer has, and chunks it did not use."""
        parts = set(site.report.documents)
        self._kept = {key: kept for key, kept in self._kept.items() if key[0] in parts and key[5] == self.downloads}
        self.marked_chunks.next_build()

    def _index(self, site: Site) -> None:
        self._site, self._links = site, {}
        index: dict[Part, tuple[list[str], list[str], list[str]]] = {part: ([], [], []) for part in site.report.documents}
        for anchor in site.cited_by:  # the paragraphs that have backlinks, by the part they are in
            index[site.paragraphs[anchor].part][0].append(anchor)
        for citation in site.citations:
            if citation.written:
                index[citation.part][1].append(citation.target)
            if citation.source and index[citation.part][2][-1:] != [citation.source]:  # the paragraphs that cite
                index[citation.part][2].append(citation.source)
        self._cited_and_targets = index


class _EvidenceFor:
    """Looks up a recommendation's evidence lazily, relative to the page being rendered."""

    def __init__(self, site: Site, page: Page):
        self.site, self.page = site, page

    def get(self, anchor, default=()):
        return self.site.evidence(anchor, self.page) or default


class _BacklinksFor:
    """Looks up a paragraph's backlinks lazily, relative to the page being rendered."""

    def __init__(self, site: Site, page: Page):
        self.site, self.page = site, page

    def get(self, anchor, default=()):
        if anchor not in self.site.cited_by:  # most paragraphs: cited nowhere
            return default
        return self.site.backlinks(anchor, self.page) or default


def render_with_footnotes(text: str, footnotes: dict, expansions: dict | None = None, footnotes_id: str = "footnotes-title",
                          heading_shift: int = 0, footnotes_of: str | None = None) -> tuple[str, str]:
    """(inline HTML of `text`, HTML of its footnotes) for text kept in YAML; it numbers and cites nothing."""
    definitions = "\n\n".join(f"[^{label}]: {note}" for label, note in footnotes.items())
    tokens, env = parse_markdown(f"{text}\n\n{definitions}", abbreviations=expansions, series=None)
    env["footnotes_id"], env["heading_shift"], env["footnotes_of"] = footnotes_id, heading_shift, footnotes_of
    env["paragraph_href"] = lambda anchor: ""
    md = markdown_parser()
    inline = next(token for token in tokens if token.type == "inline")
    return md.renderer.renderInline(inline.children, md.options, env), render_markdown(tokens[3:], env)


def front_page(site: Site, page: Page, blocks: Blocks, chart_links: bool = False, memo: RenderMemo | None = None,
               heading_shift: int = 0) -> FrontPage:
    """The report's title (with its footnote reference), the front page's text, and the title's footnote, as on `page`."""
    meta = site.report.meta
    note = meta.title_footnote
    one_page = page.is_one_page_edition
    title, notes = render_with_footnotes(
        escape_markdown(meta.title) + (f"[^{note.label}]" if note else ""), {note.label: note.text} if note else {},
        expansions_of(site), footnotes_id="footnotes-report" if one_page else "footnotes-title",
        heading_shift=heading_shift, footnotes_of="the title" if one_page else None)
    front = site.report.front
    text = render_part(site, page, front, heading_shift, blocks, chart_links, memo) if front else ""
    return FrontPage(markupsafe.Markup(title), markupsafe.Markup(text), markupsafe.Markup(notes))


def escape_markdown(text: str) -> str:
    """Plain text (a title) written so that Markdown shows it as it is."""
    return re.sub(r"([\\`*_\[\]()<>&#!|~])", r"\\\1", text)


def expansions_of(site: Site) -> dict[str, str]:
    """Each abbreviation the report uses, and what it stands for."""
    return {entry.abbreviation: entry.expansion for entry in site.report.abbreviations}


def counts_of(site: Site) -> Counts:
    recommendations = [paragraph for paragraph in site.paragraphs.values() if paragraph.is_recommendation]
    citing = {citation.source for citation in site.citations if citation.source}
    return Counts(
        paragraphs=sum(1 for paragraph in site.paragraphs.values() if paragraph.series == PARAGRAPH),
        recommendations=len(recommendations),
        citing_recommendations=sum(1 for paragraph in recommendations if paragraph.anchor in citing),
        citations=sum(1 for citation in site.citations if citation.written),
        cited_by_others=any(citation.source is None or not site.paragraphs[citation.source].is_recommendation
                            for citation in site.citations))


def rendered_parts(site: Site, page: Page, blocks: Blocks, chart_links: bool,
                   memo: RenderMemo | PartsRenderedElsewhere | None = None, back_link: str = "") -> list[RenderedPart]:
    """The parts `page` shows, as HTML: on a part's page, the first under the page's h1 and the rest under
    an h2; on a one-page edition, each under an h2."""
    return [RenderedPart(part, shift + 1, render_part(site, page, part, shift, blocks, chart_links, memo, back_link))
            for part, shift in shown_parts_shifted(site, page)]


def shown_parts_shifted(site: Site, page: Page) -> list[tuple[Part, int]]:
    """Each part `page` shows, with how many levels its headings go down (its heading's level, less one)."""
    one_page = page.kind_of.shows == ALL
    return [(part, 1 if one_page or index else 0) for index, part in enumerate(shown_parts(site.report, page))]


class PartsRenderedElsewhere:
    """Parts' HTML on a page, rendered by worker processes (workers.py), looked up where `render_part` would
    render them: the same interface as a RenderMemo, by the part's file rather than the Part itself. Each is
    the HTML, or a function that reads it from where the worker wrote it."""

    marked_chunks = None

    def __init__(self, html: dict[tuple[str, str, int, bool], str | Callable[[], str]], quoted=None) -> None:
        self.html = html
        self.downloads: tuple = ()
        self.quoted = quoted  # with .get(url, anchor): a paragraph quoted on a page, made elsewhere, or None

    def get(self, site: Site, page: Page, part: Part, heading_shift: int, chart_links: bool = False) -> str | None:
        html = self.html.get((part.source, page.url, heading_shift, chart_links))
        return html() if callable(html) else html

    def put(self, site: Site, page: Page, part: Part, heading_shift: int, html: str, chart_links: bool = False) -> None:
        pass


def render_parts_of_page(site: Site, page: Page, templates_dir: Path, parts: set[str], downloads: tuple = ()) -> dict:
    """The HTML of the parts (by file) in `parts` as `page` shows them, for PartsRenderedElsewhere: what a worker
    process renders of a one-page edition from the parts it parsed."""
    return dict(each_part_of_page(site, page, templates_dir, parts, downloads))


def each_part_of_page(site: Site, page: Page, templates_dir: Path, parts: set[str],
                      downloads: tuple = ()) -> Iterator[tuple[tuple[str, str, int, bool], str]]:
    """`render_parts_of_page`, a part at a time."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    blocks = blocks_on(environment, site, page, downloads)
    with template_problems(templates_dir, page.url):
        for part, shift in shown_parts_shifted(site, page):
            if part.source in parts:
                yield (part.source, page.url, shift, PAGE_CHART_LINKS), render_part(site, page, part, shift, blocks, PAGE_CHART_LINKS,
                                                                                    back_link=PAGE_BACK_LINK)


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class PageLists:
    """The lists of pages every page's context holds: made once for all the pages rendered together (with a
    thousand parts, making them for each page was a tenth of the build)."""

    contents: tuple[ContentsEntry, ...]  # the site's, in the header's menu
    part_contents: tuple[ContentsEntry, ...]  # the parts' pages, on the home page
    neighbours: dict[str, tuple[Page | None, Page | None]]  # by URL: the pages before and after it in reading order


def page_lists(site: Site) -> PageLists:
    sequence = [p for p in site.pages if p.in_sequence]
    neighbours = {p.url: (sequence[index - 1] if index > 0 else None, sequence[index + 1] if index + 1 < len(sequence) else None)
                  for index, p in enumerate(sequence)}
    return PageLists(plan_contents([p for p in site.pages if p.in_contents]), plan_contents([p for p in site.pages if p.kind_of.shows == OWN]),
                     neighbours)


# A part's page lists its sections ("On this page") when it has at least this many: one alone is the page.
FEWEST_SECTIONS = 2


def sections_of(page: Page, own_ids: frozenset[str]) -> tuple[ContentsEntry, ...]:
    """A part's page's sections, as the page heads them: each h2 with the h3s under it (a part after the first is a
    section of its own, under an h2 with its slug as id), their ids kept apart from the site's `own_ids`. None when
    the page has fewer than FEWEST_SECTIONS."""
    found: list[tuple[int, str, str]] = []  # (level on the page, id, text)
    for index, part in enumerate(page.parts):
        shift = 1 if index else 0
        if index:
            found.append((2, part.slug, part.heading))
        tokens = part.tokens
        for at, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            level = int(token.tag[1]) + shift
            if 2 <= level <= 3 and token.attrGet("id"):
                text = "".join(child.content for child in tokens[at + 1].children or () if child.type in ("text", "code_inline"))
                prefix = f"{part.slug}-" if len(page.parts) > 1 else ""  # as render_part gives it
                found.append((level, shown_heading_id(str(token.attrGet("id")), own_ids, prefix), text.strip()))
    if len(found) < FEWEST_SECTIONS:
        return ()
    top: list[tuple[str, str, list]] = []
    for level, anchor, text in found:
        if level == 2 or not top:
            top.append((anchor, text, []))
        else:
            top[-1][2].append(ContentsEntry(f"#{anchor}", text))
    return tuple(ContentsEntry(f"#{anchor}", text, items=tuple(items)) for anchor, text, items in top)


# The macro that renders the site's contents, which every page lists in its header's menu (SiteContents).
CONTENTS_TEMPLATE, CONTENTS_MACRO = "components/contents_nav.html", "contents_nav"


class SiteContents:
    """The site's contents as each page lists it in its header's menu, through the macro CONTENTS_MACRO, rendered
    once for all the pages rendered together rather than once for each: with a thousand parts, the contents on every
    page was most of the templates' time, and grew with the square of the number of parts.

    Every page's contents is the same but for the page's own entry, marked as the one shown. So the whole list is
    rendered once with no entry marked; for each page, its entry alone (with the entries under it) is rendered, as
    every page lists it and as its own page does, and the one put in place of the other. Where that cannot be done
    without doubt (the entry as rendered alone is not found exactly once in the list), the page's contents is
    rendered whole, as before: either way, what the macro would give (tests/test_contents_once.py)."""

    def __init__(self, environment: jinja2.Environment, items: tuple[ContentsEntry, ...]) -> None:
        self.macro = getattr(environment.get_template(CONTENTS_TEMPLATE).module, CONTENTS_MACRO)
        self.items = items
        self.entries: dict[str, ContentsEntry] = {}  # by href, at any depth
        stack = list(items)
        while stack:
            entry = stack.pop()
            self.entries.setdefault(entry.href, entry)
            stack.extend(entry.items)
        self._unmarked: tuple[str, str] | None = None  # the whole list and an empty one, no entry marked

    def render(self, items: tuple[ContentsEntry, ...], current_url: str) -> str:
        """The contents of `items` as the header's menu lists it, the entry whose href is `current_url` marked."""
        return str(self.macro(items=items, current_url=current_url, heading=False))

    def __call__(self, current: Page) -> markupsafe.Markup:
        if self._unmarked is None:
            self._unmarked = (self.render(self.items, ""), self.render((), ""))
        whole, empty = self._unmarked
        own = self.entries.get(current.url)
        if own is None:
            return markupsafe.Markup(whole)
        listed, shown = self.render((own,), ""), self.render((own,), current.url)
        before = len(os.path.commonprefix([empty, listed]))  # what the list puts around its entries
        after = len(os.path.commonprefix([empty[before:][::-1], listed[before:][::-1]]))
        entry, marked = listed[before:len(listed) - after], shown[before:len(shown) - after]
        if (entry and shown[:before] == listed[:before] and shown[len(shown) - after:] == listed[len(listed) - after:]
                and whole.count(entry) == 1):
            return markupsafe.Markup(whole.replace(entry, marked))
        return markupsafe.Markup(self.render(self.items, current.url))


def page_context(site: Site, page: Page, environment: jinja2.Environment, downloads: tuple = (),
                 memo: RenderMemo | None = None, counts: Counts | None = None, lists: PageLists | None = None,
                 contents: SiteContents | None = None) -> dict:
    """What every template is given. The text a page shows is rendered only when its template asks for it;
    `counts`, `lists` and `contents`, when given, are the site's, made once for every page."""
    lists = lists or page_lists(site)
    contents = contents or SiteContents(environment, lists.contents)
    previous_page, next_page = lists.neighbours.get(page.url, (None, None))
    blocks = blocks_on(environment, site, page, downloads)
    about = site.report.about
    return {
        "site_name": site.report.meta.site_name,
        "report": site.report.meta,
        "page": page,
        "pages": site.pages,
        "contents": lists.contents,
        "site_contents": lambda: contents(page),
        "edition_contents": lambda: edition_contents(site.report) + ((
            ContentsEntry("#part-glossary", KINDS["glossary"].title),) if site.report.abbreviations else ()),
        "sections": lambda: sections_of(page, blocks.site_ids) if page.kind_of.shows == OWN else (),
        "parts_contents": lists.part_contents,
        "previous_page": previous_page,
        "next_page": next_page,
        "site_page": site.page,
        "page_url": lambda kind: site.page(kind).url if site.page(kind) else None,
        "part_url": lambda slug: site.part_href(slug, page),
        "expansions": expansions_of(site),
        "abbreviations": site.report.abbreviations,
        "downloads": downloads,
        "logo_url": LOGO_PATH if site.report.logo else None,
        "counts": counts or counts_of(site),
        # rendered when asked for
        "shown_parts": lambda: rendered_parts(site, page, blocks, PAGE_CHART_LINKS, memo, PAGE_BACK_LINK),
        "back_to_contents": PAGE_BACK_LINK,
        "front_page": lambda: front_page(site, page, blocks, True, memo, heading_shift=1 if page.is_one_page_edition else 0),
        "about_text": lambda: markupsafe.Markup(render_part(site, page, about, 0, blocks, True, memo) if about else ""),
        "chart_sections": lambda: chart_sections(site, page),
        "paragraph_urls": lambda: site.paragraph_urls(page),
    }


def chart_sections(site: Site, page: Page) -> list[tuple[str, list]]:
    """The key figures' charts in the order of their paragraphs, under the heading of the part each comes from."""
    from .charts import chart_scales, draw_chart  # only the key figures page draws charts

    sections: list[tuple[str, list]] = []
    order = {anchor: index for index, anchor in enumerate(site.paragraphs)}
    scales = chart_scales(site.report.key_figures.figures)  # one scale for each unit on the page
    for figure in sorted(site.report.key_figures.figures, key=lambda figure: order[figure.anchor_of_paragraph]):
        heading = site.paragraphs[figure.anchor_of_paragraph].part.heading
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        sections[-1][1].append(draw_chart(figure, site.paragraph_href(figure.anchor_of_paragraph, page), scales[figure.unit]))
    return sections


def large_print_context(site: Site, page: Page, environment: jinja2.Environment, downloads: tuple | None = None,
                        chart_links: bool = False) -> dict:
    """The whole report on one page, for a download (the large print PDF): its headings one level down, every
    link within the page but those to the key figures' charts (`chart_links`)."""
    blocks = blocks_on(environment, site, page, downloads)
    return {
        "front": front_page(site, page, blocks, chart_links, heading_shift=1),
        "parts": rendered_parts(site, page, blocks, chart_links),
        "part_url": lambda slug: site.part_href(slug, page),
        "abbreviations": site.report.abbreviations,
    }


def render_pages(site: Site, templates_dir: Path, only: set[str] | None = None, downloads: tuple = (),
                 memo: RenderMemo | PartsRenderedElsewhere | None = None) -> dict[str, str]:
    """HTML of every page (or of the pages named in `only`), keyed by its URL; each page links to the `downloads`.
    With a serve session's `memo`, what earlier builds rendered is reused where it is unchanged."""
    return {url: page.whole() for url, page in each_page(site, templates_dir, only, downloads, memo)}


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class RenderedPage:
    """A page's HTML, `whole()`, or in `pieces()` to write one after the other: the same text either way."""

    whole: Callable[[], str]
    pieces: Callable[[], Iterable[str]]


def each_page(site: Site, templates_dir: Path, only: set[str] | None = None, downloads: tuple = (),
              memo: RenderMemo | PartsRenderedElsewhere | None = None) -> Iterator[tuple[str, RenderedPage]]:
    """(URL, page) of each page that `render_pages` renders, one at a time: a caller that writes each as it comes
    holds one page at a time, never the site. A one-page edition is rendered as it is written, in pieces."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    if memo is not None:
        memo.downloads = downloads
    expansions = expansions_of(site)
    glossary = site.page("glossary")
    counts = counts_of(site)
    lists = page_lists(site)
    with template_problems(templates_dir, "the contents"):
        contents = SiteContents(environment, lists.contents)
    for page in site.pages:
        if only is not None and page.slug not in only:
            continue
        glossary_href = functools.partial(_glossary_href, page, glossary)
        with template_problems(templates_dir, page.url):
            template = environment.get_template(KINDS[page.kind].template)

            def whole(page=page, template=template, glossary_href=glossary_href) -> str:
                with template_problems(templates_dir, page.url):
                    html = [template.render(page_context(site, page, environment, downloads, memo, counts, lists, contents))]
                    return finish_page(html, expansions, glossary_href, memo.marked_chunks if memo else None)

            if page.is_one_page_edition and getattr(memo, "marked_chunks", None) is None:
                def pieces(page=page, template=template, glossary_href=glossary_href) -> Iterator[str]:
                    with template_problems(templates_dir, page.url):
                        context = page_context(site, page, environment, downloads, memo, counts, lists, contents)
                        yield from finish_page_in_pieces(_parts_put_in(site, page, template, context, environment, downloads, memo),
                                                         expansions, glossary_href)
                yield page.url, RenderedPage(whole, pieces)
            else:
                yield page.url, _rendered(whole())


def _rendered(html: str) -> RenderedPage:
    return RenderedPage(lambda: html, lambda: (html,))


# Where the template puts each part's HTML, when a one-page edition is rendered in pieces: a comment, which no content
# can write (its raw HTML is shown as text).
PART_PLACE = "<!--rs:part {}-->"
PART_PLACES = re.compile(r"<!--rs:part (\d+)-->")


def _parts_put_in(site: Site, page: Page, template: jinja2.Template, context: dict, environment: jinja2.Environment,
                  downloads: tuple, memo: RenderMemo | PartsRenderedElsewhere | None) -> Iterator[str]:
    """The page's text in pieces: the template rendered with a place for each part's HTML (so that what it gives is
    small), then each part's HTML put in its place, rendered (or read) only when it is reached."""
    shown = shown_parts_shifted(site, page)
    context["shown_parts"] = lambda: [RenderedPart(part, shift + 1, PART_PLACE.format(index))
                                      for index, (part, shift) in enumerate(shown)]
    pieces = PART_PLACES.split(template.render(context))
    if pieces[1::2] != [str(index) for index in range(len(shown))]:  # not each part once, in order
        raise NotInPieces
    blocks = blocks_on(environment, site, page, downloads)
    for index, piece in enumerate(pieces):
        pieces[index] = ""
        if index % 2:
            part, shift = shown[int(piece)]
            yield render_part(site, page, part, shift, blocks, PAGE_CHART_LINKS, memo, PAGE_BACK_LINK)
        else:
            yield piece


def _glossary_href(page: Page, glossary: Page | None, anchor: str) -> str:
    return href(page, glossary, anchor) if glossary else ""


def put_page(files, url: str, page: RenderedPage) -> None:
    """Put the page into `files` as UTF-8: into a write.Staging, written a piece at a time as it is rendered."""
    write_pieces = getattr(files, "write_pieces", None)
    try:
        if write_pieces is not None:
            write_pieces(url, (piece.encode("utf-8") for piece in page.pieces()))
        else:
            files[url] = "".join(page.pieces()).encode("utf-8")
    except NotInPieces:
        files[url] = page.whole().encode("utf-8")


def compile_templates(templates_dir: Path) -> None:
    """Compile every template at once, so that a syntax error stops the build before any slow step."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    for name in environment.list_templates(extensions=("html", "xhtml", "opf", "xml")):
        with template_problems(templates_dir, name):
            environment.get_template(name)


@contextmanager
def template_problems(templates_dir: Path, rendering: str) -> Iterator[None]:
    """Turn a template's failure while `rendering` (a page, a download) into a BuildError naming the template and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        raise BuildError([Problem(display_path(Path(error.filename or templates_dir)), error.lineno or 1,
                                  f"template error: {error.message.rstrip('.')}.",
                                  "Fix the Jinja syntax on this line (every {% block %}, {% if %} and {% for %} needs its end tag).")]) from None
    except jinja2.TemplateNotFound as error:
        raise BuildError([Problem(display_path(Path(templates_dir)), 1, f"the template '{error.name}' is missing.",
                                  "Restore it, or correct the name in the {% extends %} or {% include %} that asks for it.")]) from None
    except BuildError:
        raise
    except Exception as error:  # a template failed while rendering: name the template and line
        file, line = _template_frame(error, Path(templates_dir))
        if file is None:
            raise
        raise BuildError([Problem(file, line, f"template error while rendering {rendering}: {error}.",
                                  "Check the names used on this line of the template.")]) from None


def _template_frame(error: BaseException, templates_dir: Path) -> tuple[str | None, int]:
    """The innermost template file and line in the traceback of `error`."""
    found: tuple[str | None, int] = (None, 0)
    root = str(templates_dir.resolve())
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.startswith(root):
            found = (display_path(Path(filename)), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
