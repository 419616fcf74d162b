"""The one build: content folder in, site folder out. The command line, serve and tests all call it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .content import load_report
from .crossrefs import Site, resolve
from .incremental import BuildSession, one_page_editions
from .render import render_pages
from .write import collect_static, write_site

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("html",)


@dataclass(frozen=True)
class Sources:
    """Where a build reads from."""

    content: Path = ROOT / "content"
    templates: Path = ROOT / "templates"
    static: Path = ROOT / "static"


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the resolved site and every file, by path in the output folder."""

    site: Site
    files: dict[str, bytes]

    @property
    def pages(self) -> list[str]:
        return sorted(path for path in self.files if path.endswith(".html"))


def build_files(sources: Sources, formats: tuple[str, ...] = FORMATS, session: BuildSession | None = None) -> BuildResult:
    """Load, check, resolve and render everything in memory; raises BuildError on any problem.

    With a `session` (serve), what the last build of the session made is reused where nothing
    it depends on has changed; the files are the same either way.
    """
    with paused_garbage_collection():
        report = load_report(sources.content, cache=session.loads if session else None)
        site = resolve(report)
        files: dict[str, bytes] = {}
        if "html" in formats:
            static = collect_static(sources.static)
            files.update(render_html(site, sources.templates) if session is None
                         else session.render_html(site, sources.templates, static))
            files.update(static)
    return BuildResult(site, files)


def render_html(site: Site, templates_dir: Path) -> dict[str, bytes]:
    """Every page as UTF-8. The one-page editions come first, while the least else is held in memory,
    and each page is encoded as soon as it is rendered."""
    editions = {page.slug for page in one_page_editions(site)}
    files: dict[str, bytes] = {}
    for only in (editions, {page.slug for page in site.pages} - editions):
        rendered = render_pages(site, templates_dir, only=only)
        while rendered:
            url, html = rendered.popitem()
            files[url] = html.encode("utf-8")
    return {page.url: files[page.url] for page in site.pages}


@contextmanager
def paused_garbage_collection() -> Iterator[None]:
    """No cyclic garbage collection during a build. A build makes millions of objects that live until
    it ends (a token for every piece of every paragraph); the collector would go through all of them
    again and again, for a third of the build's time, and find next to nothing: they are freed by
    reference counting as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(sources: Sources) -> BuildResult:
    """Everything a build does except writing: every problem is found, nothing is touched."""
    return build_files(sources)


def build(sources: Sources, out_dir: Path, formats: tuple[str, ...] = FORMATS,
          session: BuildSession | None = None) -> BuildResult:
    """Build the site into `out_dir`, changing it only once the whole build has succeeded.

    A cold build replaces `out_dir` whole; a session's later builds write only the files that changed.
    """
    result = build_files(sources, formats, session)
    if session is None:
        write_site(result.files, Path(out_dir))
    else:
        session.write(result.files, result.site, Path(out_dir))
    return result
