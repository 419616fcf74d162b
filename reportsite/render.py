"""Render every page of the site through the Jinja templates, in memory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

from .content import Part
from .crossrefs import Page, Site, href
from .errors import BuildError, Problem, display_path
from .figures import draw_chart, figures_by_paragraph
from .markdown import markdown_parser, parse_markdown, render_markdown
from .search import paragraph_urls
from .plugins.abbreviations import (MarkedChunks, abbreviation_anchor, explain_abbreviations, mark_abbreviations_in_html,
                                   mark_abbreviations_in_text)

TEMPLATE_FOR_KIND = {
    "home": "pages/home.html",
    "part": "pages/part.html",
    "about": "pages/about.html",
    "glossary": "pages/glossary.html",
    "accessibility": "pages/accessibility.html",
    "not_found": "pages/not_found.html",
    "large_print": "pages/large_print.html",
    "key_figures": "pages/key_figures.html",
    "search": "pages/search.html",
}


@dataclass(frozen=True)
class RenderedPart:
    """A part of the report as HTML, with the heading it has on its page."""

    part: Part
    heading_level: int
    html: str


@lru_cache(maxsize=8)
def template_environment(templates_dir: str) -> jinja2.Environment:
    """One Jinja environment per templates folder per process; templates are compiled once."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Compiled templates kept between builds (in the system's temporary folder, keyed by each
        # template's text): compiling them is two thirds of rendering the report's pages.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    environment.filters["markdown_inline"] = jinja2.pass_context(
        lambda context, text: markupsafe.Markup(render_inline(text, context.get("expansions"))))
    environment.filters["abbreviations"] = jinja2.pass_context(mark_abbreviations_filter)
    environment.filters["abbreviation_anchor"] = abbreviation_anchor
    return environment


def mark_abbreviations_filter(context, value) -> markupsafe.Markup:
    """`{% filter abbreviations %}`: each abbreviation in the text a candidate for explaining."""
    expansions = context.get("expansions") or {}
    if isinstance(value, markupsafe.Markup) or hasattr(value, "__html__"):
        memo = context.get("render_memo")
        return markupsafe.Markup(mark_abbreviations_in_html(str(value), expansions, memo.marked_chunks if memo else None))
    return markupsafe.Markup(mark_abbreviations_in_text(str(value), expansions))


def site_name(site: Site) -> str:
    meta = site.report.meta
    return f"{meta['authority']} children's services: Ofsted inspection {meta['published']['date'].year}"


def render_part(site: Site, page: Page, part: Part, heading_shift: int, chart_links: bool = False) -> str:
    """A part's Markdown as HTML, its citations and backlinks linked from `page`;
    with `chart_links` (the site's own pages), each paragraph drawn as a key figure links to its chart."""
    memo = site.render_memo
    if memo is not None and (html := memo.get(site, page, part, heading_shift, chart_links)) is not None:
        return html
    env = dict(part.env)
    env["paragraph_href"] = lambda number: site.paragraph_href(number, page)
    env["backlinks"] = _BacklinksFor(site, page)
    if chart_links:
        env["figure_links"] = charts_of_paragraphs(site)
    env["heading_shift"] = heading_shift
    if page.kind == "large_print":  # every part on one page: keep heading and footnote ids apart
        env["heading_id_prefix"] = f"{part.slug}-"
        env["footnotes_id"], env["footnotes_of"] = f"footnotes-{part.slug}", part.heading
    html = render_markdown(part.tokens, env)
    if memo is not None:
        memo.put(site, page, part, heading_shift, html, chart_links)
    return html


def charts_of_paragraphs(site: Site) -> dict[int, tuple[tuple[str, str], ...]]:
    """(title, href) of each chart on the key figures page, by the paragraph it is drawn from.

    Every page of the site is in one folder, so the link is the same from any page; the large
    print page too links to the key figures page, which is not part of it."""
    if not site.report.key_figures:
        return {}
    url = site.page("key-figures").url
    return {number: tuple((figure.title, f"{url}#{figure.anchor}") for figure in figures)
            for number, figures in figures_by_paragraph(site.report.key_figures).items()}


class RenderMemo:
    """What earlier builds of a serve session rendered, reused while what it depends on is unchanged.

    - Each part's HTML on each page. It depends on the part's tokens (the Part itself: an
      unchanged file loads to the same Part), the page that shows it, its heading shift, and
      its links to other parts: where its citations lead and its paragraphs' backlinks, and
      (on the site's own pages) the charts drawn from its paragraphs.
    - The chunks of pages whose abbreviations have been marked (see mark_abbreviations_in_html).
    """

    def __init__(self) -> None:
        self.marked_chunks = MarkedChunks()
        self._kept: dict[tuple, tuple[tuple, str]] = {}
        self._site: Site | None = None
        self._cited_and_targets: dict[Part, tuple[list[int], list[int]]] = {}
        self._links: dict[tuple, tuple] = {}

    def links(self, site: Site, page: Page, part: Part) -> tuple:
        """The hrefs in the part's HTML that depend on other parts, as rendered on `page`."""
        if site is not self._site:
            self._index(site)
        key = (part, page.url)
        if key not in self._links:
            cited, targets = self._cited_and_targets.get(part, ((), ()))
            charts = charts_of_paragraphs(site)
            self._links[key] = (
                tuple(site.paragraph_href(target, page) for target in targets),
                tuple((number, tuple(site.backlinks(number, page))) for number in cited),
                tuple((number, charts[number]) for number in sorted(charts) if site.paragraphs[number].part is part),
            )
        return self._links[key]

    def get(self, site: Site, page: Page, part: Part, heading_shift: int, chart_links: bool = False) -> str | None:
        kept = self._kept.get((part, page.url, page.kind, heading_shift, chart_links))
        if kept is not None and kept[0] == self.links(site, page, part):
            return kept[1]
        return None

    def put(self, site: Site, page: Page, part: Part, heading_shift: int, html: str, chart_links: bool = False) -> None:
        self._kept[(part, page.url, page.kind, heading_shift, chart_links)] = (self.links(site, page, part), html)

    def next_build(self, site: Site) -> None:
        """After a build of `site`: drop the HTML of parts it no longer has, and chunks it did not use."""
        parts = set(site.report.parts)
        self._kept = {key: kept for key, kept in self._kept.items() if key[0] in parts}
        self.marked_chunks.next_build()

    def _index(self, site: Site) -> None:
        self._site, self._links = site, {}
        index: dict[Part, tuple[list[int], list[int]]] = {part: ([], []) for part in site.report.parts}
        for number in site.cited_by:  # the paragraphs that have backlinks, by the part they are in
            index[site.paragraphs[number].part][0].append(number)
        for citation in site.citations:
            index[citation.part][1].append(citation.target)
        self._cited_and_targets = index


class _BacklinksFor:
    """Looks up a paragraph's backlinks lazily, relative to the page being rendered."""

    def __init__(self, site: Site, page: Page):
        self.site, self.page = site, page

    def get(self, number, default=()):
        return self.site.backlinks(number, self.page) or default


def render_with_footnotes(text: str, footnotes: dict, expansions: dict | None = None, footnotes_id: str = "footnotes-title",
                          heading_shift: int = 0, footnotes_of: str | None = None) -> tuple[str, str]:
    """(inline HTML of `text`, HTML of its footnotes) for text kept in YAML."""
    definitions = "\n\n".join(f"[^{label}]: {note}" for label, note in footnotes.items())
    tokens, env = parse_markdown(f"{text}\n\n{definitions}", abbreviations=expansions)
    env["footnotes_id"], env["heading_shift"], env["footnotes_of"] = footnotes_id, heading_shift, footnotes_of
    md = markdown_parser()
    inline = next(token for token in tokens if token.type == "inline")
    return md.renderer.renderInline(inline.children, md.options, env), render_markdown(tokens[3:], env)


def render_review_title(site: Site, expansions: dict, **options) -> tuple[str, str]:
    """(HTML of the review's title with its footnote reference, HTML of that footnote)."""
    meta = site.report.meta
    label = meta.get("title_footnote")
    if not label:
        return render_with_footnotes(meta["review_title"], {}, expansions, **options)
    notes = {label: (meta.get("footnotes") or {})[label]}
    return render_with_footnotes(f"{meta['review_title']}[^{label}]", notes, expansions, **options)


def render_inline(text: str, expansions: dict | None = None) -> str:
    """Inline Markdown from YAML (emphasis, footnote-free) as HTML."""
    md = markdown_parser()
    return md.renderInline(text, {"abbreviations": dict(expansions or {})})


def expansions_of(site: Site) -> dict[str, str]:
    """Each abbreviation the report uses, and what it stands for."""
    return {entry.abbreviation: entry.expansion for entry in site.report.abbreviations}


def page_context(site: Site, page: Page, downloads: tuple = ()) -> dict:
    sequence = [p for p in site.pages if p.in_sequence]
    previous_page = next_page = None
    if page in sequence:
        index = sequence.index(page)
        previous_page = sequence[index - 1] if index > 0 else None
        next_page = sequence[index + 1] if index + 1 < len(sequence) else None
    context = {
        "site_name": site_name(site),
        "report": site.report.meta,
        "committee": site.report.committee,
        "page": page,
        "pages": site.pages,
        "contents": [p for p in site.pages if p.in_sequence or p.kind == "accessibility"],
        "previous_page": previous_page,
        "next_page": next_page,
        "page_url": lambda slug: site.page(slug).url,
        "part_url": lambda slug: site.page_of_part(slug).url,
        "expansions": expansions_of(site),
        "large_print_url": site.page("large-print").url,
        "downloads": downloads,
    }
    if page.kind == "part":
        context["parts"] = [
            RenderedPart(part, 1 if index == 0 else 2, render_part(site, page, part, 0 if index == 0 else 1, chart_links=True))
            for index, part in enumerate(page.parts)
        ]
    if page.kind == "home":
        context["review_title_html"], context["title_footnotes_html"] = render_review_title(site, context["expansions"])
        context["part_pages"] = [p for p in site.pages if p.kind == "part"]
    if page.kind == "glossary":
        context["abbreviations"] = site.report.abbreviations
    if page.kind == "large_print":
        context.update(large_print_context(site, page, context["expansions"], chart_links=True))
    if page.kind == "key_figures":
        context["chart_sections"] = chart_sections(site, page)
    if page.kind == "search":
        context["paragraph_urls"] = paragraph_urls(site, page)
    return context


def chart_sections(site: Site, page: Page) -> list[tuple[str, list]]:
    """The key figures' charts in the order of their paragraphs, under the heading of the part each comes from."""
    sections: list[tuple[str, list]] = []
    for figure in sorted(site.report.key_figures.figures, key=lambda figure: figure.paragraph):
        heading = site.paragraphs[figure.paragraph].part.heading
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        sections[-1][1].append(draw_chart(figure, site.paragraph_href(figure.paragraph, page)))
    return sections


def large_print_context(site: Site, page: Page, expansions: dict, chart_links: bool = False) -> dict:
    """The whole report on one page, its headings one level down, every link within the page
    but those to the key figures' charts (`chart_links`, for the site's own large print page)."""
    review_title_html, title_footnotes_html = render_review_title(
        site, expansions, footnotes_id="footnotes-report", heading_shift=1, footnotes_of="the title")
    return {
        "review_title_html": review_title_html,
        "title_footnotes_html": title_footnotes_html,
        "parts": [RenderedPart(part, 2, render_part(site, page, part, 1, chart_links)) for part in site.report.parts],
        "part_url": lambda slug: f"#part-{slug}",
        "abbreviations": site.report.abbreviations,
    }


def render_pages(site: Site, templates_dir: Path, only: set[str] | None = None, downloads: tuple = ()) -> dict[str, str]:
    """HTML of every page (or of the pages named in `only`), keyed by its URL; each page links to the `downloads`."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    rendered = {}
    for page in site.pages:
        if only is not None and page.slug not in only:
            continue
        with template_problems(templates_dir, page.url):
            template = environment.get_template(TEMPLATE_FOR_KIND[page.kind])
            context = page_context(site, page, downloads)
            context["render_memo"] = site.render_memo
            glossary = site.page("glossary")
            rendered[page.url] = explain_abbreviations(template.render(context), context["expansions"],
                                                       lambda anchor: href(page, glossary, anchor))
    return rendered


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
