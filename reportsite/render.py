"""Render every page of the site through the Jinja templates, in memory."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

from .content import Part
from .crossrefs import Page, Site
from .errors import BuildError, Problem, display_path
from .markdown import markdown_parser, parse_markdown, render_markdown

TEMPLATE_FOR_KIND = {
    "home": "pages/home.html",
    "part": "pages/part.html",
    "about": "pages/about.html",
    "glossary": "pages/glossary.html",
    "accessibility": "pages/accessibility.html",
    "not_found": "pages/not_found.html",
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
    )
    environment.filters["markdown_inline"] = lambda text: markupsafe.Markup(render_inline(text))
    return environment


def site_name(site: Site) -> str:
    meta = site.report.meta
    return f"{meta['authority']} children's services: Ofsted inspection {meta['published']['date'].year}"


def render_part(site: Site, page: Page, part: Part, heading_shift: int) -> str:
    """A part's Markdown as HTML, its citations and backlinks linked from `page`."""
    env = dict(part.env)
    env["paragraph_href"] = lambda number: site.paragraph_href(number, page)
    env["backlinks"] = _BacklinksFor(site, page)
    env["heading_shift"] = heading_shift
    return render_markdown(part.tokens, env)


class _BacklinksFor:
    """Looks up a paragraph's backlinks lazily, relative to the page being rendered."""

    def __init__(self, site: Site, page: Page):
        self.site, self.page = site, page

    def get(self, number, default=()):
        return self.site.backlinks(number, self.page) or default


def render_with_footnotes(text: str, footnotes: dict) -> tuple[str, str]:
    """(inline HTML of `text`, HTML of its footnotes) for text kept in YAML."""
    definitions = "\n\n".join(f"[^{label}]: {note}" for label, note in footnotes.items())
    tokens, env = parse_markdown(f"{text}\n\n{definitions}")
    md = markdown_parser()
    inline = next(token for token in tokens if token.type == "inline")
    notes = [token for token in tokens[3:]]
    return md.renderer.renderInline(inline.children, md.options, env), render_markdown(notes, env)


def render_inline(text: str) -> str:
    """Inline Markdown from YAML (emphasis, footnote-free) as HTML."""
    md = markdown_parser()
    return md.renderInline(text)


def page_context(site: Site, page: Page) -> dict:
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
    }
    if page.kind == "part":
        context["parts"] = [
            RenderedPart(part, 1 if index == 0 else 2, render_part(site, page, part, 0 if index == 0 else 1))
            for index, part in enumerate(page.parts)
        ]
        context["area"] = site.report.area
        if any(part.shows == "area" for part in page.parts):
            area = site.report.area
            context["area_title_html"], context["area_footnotes_html"] = render_with_footnotes(
                area["title"], area.get("footnotes") or {})
    if page.kind == "home":
        meta = site.report.meta
        label = meta.get("title_footnote")
        notes = {label: (meta.get("footnotes") or {})[label]} if label else {}
        marker = f"[^{label}]" if label else ""
        context["review_title_html"], context["title_footnotes_html"] = render_with_footnotes(
            meta["review_title"] + marker, notes)
        context["part_pages"] = [p for p in site.pages if p.kind == "part"]
    if page.kind == "glossary":
        context["abbreviations"] = site.report.abbreviations
    return context


def render_pages(site: Site, templates_dir: Path, only: set[str] | None = None) -> dict[str, str]:
    """HTML of every page (or of the pages named in `only`), keyed by its URL."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    rendered = {}
    for page in site.pages:
        if only is not None and page.slug not in only:
            continue
        try:
            template = environment.get_template(TEMPLATE_FOR_KIND[page.kind])
            rendered[page.url] = template.render(page_context(site, page))
        except jinja2.TemplateSyntaxError as error:
            raise BuildError([Problem(display_path(Path(error.filename or templates_dir)), error.lineno or 1,
                                      f"template error: {error.message}.",
                                      "Fix the Jinja syntax on this line (every {% block %}, {% if %} and {% for %} needs its end tag).")]) from None
        except jinja2.TemplateNotFound as error:
            raise BuildError([Problem(display_path(Path(templates_dir)), 1, f"the template '{error.name}' is missing.",
                                      "Restore it, or correct the name in the {% extends %} or {% include %} that asks for it.")]) from None
        except Exception as error:  # a template failed while rendering: name the template and line
            file, line = _template_frame(error, Path(templates_dir))
            if file is None:
                raise
            raise BuildError([Problem(file, line, f"template error while rendering {page.url}: {error}.",
                                      "Check the names used on this line of the template.")]) from None
    return rendered


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
