"""The one build: content folder in, site folder out. The command line, serve and tests all call it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import load_report
from .crossrefs import Site, resolve
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


def build_files(sources: Sources, formats: tuple[str, ...] = FORMATS) -> BuildResult:
    """Load, check, resolve and render everything in memory; raises BuildError on any problem."""
    report = load_report(sources.content)
    site = resolve(report)
    files: dict[str, bytes] = {}
    if "html" in formats:
        files.update({url: html.encode("utf-8") for url, html in render_pages(site, sources.templates).items()})
        files.update(collect_static(sources.static))
    return BuildResult(site, files)


def check(sources: Sources) -> BuildResult:
    """Everything a build does except writing: every problem is found, nothing is touched."""
    return build_files(sources)


def build(sources: Sources, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> BuildResult:
    """Build the site into `out_dir`, replacing it only once the whole build has succeeded."""
    result = build_files(sources, formats)
    write_site(result.files, Path(out_dir))
    return result
