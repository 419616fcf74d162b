"""The one build: content folder in, site folder out. The command line, serve and tests all call it.

The pipeline's stages (content, crossrefs, render, formats' makers) are imported by the functions that run
them, so that a build the cache answers (sitecache.py) does not import what parsing and rendering need.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .compiler import TemplatesCompiler, templates_compiled_ahead
from .folders import Folders, check_folders
from .formats import FORMATS as OTHER_FORMATS
from .formats import Download, FormatCache, FormatsResult, Skipped
from .logo import SITE_PATH as LOGO_PATH
from .overlay import lay_over
from .sitecache import ENTRY, MAX_ENTRY_BYTES, MAX_KEPT_BYTES, SiteKey, pack, site_key_of, unpack
from .write import Sizes, Staging, collect_static, write_site

if TYPE_CHECKING:
    from .content import Report
    from .crossrefs import Site
    from .incremental import BuildSession

ROOT = Path(__file__).resolve().parent.parent
# Everything a build makes, by the names `build.py --formats` takes: the pages, then each download.
FORMATS = ("html", "search") + tuple(fmt.name for fmt in OTHER_FORMATS)
# The size of the parts' Markdown from which a cold build of the web pages runs on every core (about 2,000
# paragraphs): below it, starting the workers costs more than they save (bench/README.md, Figures of this machine).
WORTH_FORKING = 1_200_000


@dataclass(frozen=True)
class Sources:
    """Where a build reads from."""

    content: Path = ROOT / "content"
    templates: Path = ROOT / "templates"
    static: Path = ROOT / "static"
    static_overrides: Path | None = None  # `--static DIR`: files that take the place of static/'s of the same path


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class BuildResult:
    """What a build made: the resolved site and every file, by path in the output folder."""

    site: Site | None  # None when the files are the last build's, from the cache (`build(reuse_unchanged=True)`)
    files: Mapping[str, bytes] | Sizes  # a dict, the files as written (write.Staging), read back when asked for, or
    # only their sizes (a check)
    downloads: tuple[Download, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    processes: int = 1  # how many processes parsed and rendered it (workers.py)

    @property
    def pages(self) -> list[str]:
        return sorted(path for path in self.files if path.endswith(".html"))


def build_files(sources: Sources, formats: tuple[str, ...] = FORMATS, session: BuildSession | None = None,
                cache_dir: Path | None = None, progress: Callable[[str], None] = lambda message: None,
                workers: int | None = None, into: Staging | Sizes | None = None, compiler: TemplatesCompiler | None = None,
                ) -> BuildResult:
    """Load, check, resolve and render everything in memory; raises BuildError on any problem.

    The downloads are made first, so that every page can give each one's size. A download is
    made again only when its input has changed since the one kept in `cache_dir`.

    With a `session` (serve), what the last build of the session made is reused where nothing
    it depends on has changed, and the downloads are the ones the session was last given
    (serve makes them in the background); the files are the same either way.

    A cold build of the web pages alone runs on every core when the report is large (workers.py),
    or in `workers` processes if given; the files are the same either way.

    Each file is put `into` the mapping given (a write.Staging: written at once) as soon as it is made, so that
    the build need not hold them all; by default, a dict.

    A build in one process takes its templates as a second process compiles them: `compiler` if given (compiler.py),
    otherwise one started now.
    """
    files = {} if into is None else into
    processes = processes_for(sources, formats, session, workers)
    if processes > 1:
        from .content import load_report
        from .workers import PartWorkers, WorkerFailed

        try:
            with paused_garbage_collection(), PartWorkers(processes, sources.templates) as pool:
                site = pool.resolve(load_report(sources.content, parse_parts=pool.parse_parts))
                pool.render_html(site, sources.templates, files)
                files.update(static_files(sources, site.report))
                return BuildResult(site, files, processes=pool.processes)
        except WorkerFailed:
            pass  # built again in one process, which says what went wrong
    from .templates import compiled_ahead  # before the report's modules: compiled while they load and read it

    with paused_garbage_collection(), compiled_ahead(sources.templates, compiler) if session is None else nullcontext():
        from .content import load_report
        from .crossrefs import resolve

        site = resolve(load_report(sources.content)) if session is None else session.load(sources.content)
        if session is None:
            made = build_downloads_and_index(site, formats, sources.templates, cache_dir, progress)
            files.update(made.files)
            downloads, skipped = tuple(made.downloads), tuple(made.skipped)
        else:
            files.update(session.download_files)
            downloads, skipped = session.downloads, ()
        if "html" in formats:
            static = static_files(sources, site.report)
            if session is None:
                render_html(site, sources.templates, downloads, files)
            else:
                files.update(session.render_html(site, sources.templates, static, downloads))
            files.update(static)
    return BuildResult(site, files, downloads, skipped)


def processes_for(sources: Sources, formats: tuple[str, ...], session: BuildSession | None, workers: int | None) -> int:
    """How many processes parse and render: `workers` if given, for a cold build of the web pages alone; for such a
    build of a report of at least WORTH_FORKING bytes, one on each core; otherwise one. (The downloads and the search
    index need every part's tokens in one process, and serve's session keeps them between builds.)"""
    if session is not None or set(formats) != {"html"}:
        return 1
    if workers is not None:
        return workers
    if threading.active_count() > 1:  # a fork copies only this thread, and perhaps a lock another thread holds
        return 1
    try:
        size = sum(path.stat().st_size for path in Path(sources.content, "parts").glob("*.md"))
        cores = len(os.sched_getaffinity(0))
    except (OSError, AttributeError):  # unreadable: the build says what is wrong; not Linux: no fork
        return 1
    return cores if size >= WORTH_FORKING else 1


def static_files(sources: Sources, report: Report) -> dict[str, bytes]:
    """What the pages use besides themselves: static/ (with `--static DIR` laid over it) and the organisation's logo."""
    static = collect_static(sources.static)
    if sources.static_overrides is not None:
        static = lay_over(static, sources.static, sources.static_overrides)
    if report.logo is not None:
        static[LOGO_PATH] = report.logo
    return static


def render_html(site: Site, templates_dir: Path, downloads: tuple[Download, ...] = (),
                into: dict[str, bytes] | Staging | None = None) -> dict[str, bytes] | Staging:
    """Every page as UTF-8, put `into` the mapping given (by default a new dict) as soon as it is rendered (into a
    write.Staging, a one-page edition a piece at a time). The one-page editions come first."""
    from .crossrefs import one_page_editions
    from .render import each_page, put_page

    files = {} if into is None else into
    editions = {page.slug for page in one_page_editions(site)}
    for only in (editions, {page.slug for page in site.pages} - editions):
        for url, page in each_page(site, templates_dir, only=only, downloads=downloads):
            put_page(files, url, page)
    return files


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


def check(sources: Sources, workers: int | None = None) -> BuildResult:
    """Everything a build of the pages does except writing: every problem is found, nothing is touched. Each page is
    measured and let go as it is made (its size kept, in `files`), so that a check holds no more than a build."""
    return build_files(sources, formats=("html",), workers=workers, into=Sizes())


def build_downloads_and_index(site: Site, formats: tuple[str, ...], templates_dir: Path, cache_dir: Path | None,
                              progress: Callable[[str], None] = lambda message: None) -> FormatsResult:
    """The downloads named in `formats`, and the search index if it is named: what the pages link to.

    What cannot be made for want of a tool is skipped, with what to do about it."""
    from .formats import build_formats
    from .render import compile_templates

    if any(fmt.name in formats for fmt in OTHER_FORMATS):  # a template's syntax error stops the build before the slow steps
        compile_templates(templates_dir)
    made = build_formats(site, formats, templates_dir, FormatCache(cache_dir), progress)
    if "search" in formats:
        from .search import SearchUnavailable, search_files  # Pagefind's runner: only for the search index

        try:
            made.files.update(search_files(site))
        except SearchUnavailable as error:
            made.skipped.append(Skipped("the search index", str(error)))
    return made


def build_downloads(sources: Sources, formats: tuple[str, ...], cache_dir: Path | None,
                    progress: Callable[[str], None] = lambda message: None) -> FormatsResult:
    """Only the downloads and the index, from the sources as they are now: what serve makes in the background."""
    from .content import load_report
    from .crossrefs import resolve

    with paused_garbage_collection():
        site = resolve(load_report(sources.content))
        return build_downloads_and_index(site, formats, sources.templates, cache_dir, progress)


def format_cache_folder(out_dir: Path) -> Path:
    """Where the last download of each format is kept between builds: beside the site, not in it."""
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}-cache"


def output_folders(sources: Sources, out_dir: Path, cache_dir: Path | None = None) -> Folders:
    """The output and cache folders (the cache by default beside the output), once both are known to be safe
    to write: raises FolderRefused for any folder the build must not replace or write into."""
    read = (("the content folder", sources.content), ("the templates folder", sources.templates),
            ("the static folder", sources.static))
    return check_folders(out_dir, cache_dir or format_cache_folder(out_dir), read)


def build(sources: Sources, out_dir: Path, formats: tuple[str, ...] = FORMATS,
          session: BuildSession | None = None, progress: Callable[[str], None] = lambda message: None,
          cache_dir: Path | None = None, workers: int | None = None, reuse_unchanged: bool = False) -> BuildResult:
    """Build the site into `out_dir`, changing it only once the whole build has succeeded.

    The output folder is checked first (see folders.py): the build replaces only a folder that is
    absent, empty, or a site it wrote. The new site then takes the old one's place in one step;
    a session's later builds write only the files that changed. The downloads are kept in
    `cache_dir` (by default beside `out_dir`) and made again only when changed.
    With `reuse_unchanged` (the command line), the web pages and search index are kept there too, and
    written again as they are while no source, code or option has changed (sitecache.py).
    """
    folders = output_folders(sources, out_dir, cache_dir)
    key = kept_site_key(sources, formats) if reuse_unchanged and session is None else None
    if key is not None:
        kept = FormatCache(folders.cache).get(SITE, key.key, limit=MAX_ENTRY_BYTES)
        files = unpack(kept) if kept is not None else None
        if files is not None:
            write_site(files, folders.out, compare=True)  # what the last build wrote there, unchanged, is linked
            return BuildResult(None, files)
    if session is not None:
        result = build_files(sources, formats, session, cache_dir=folders.cache, progress=progress)
        session.write(result.files, result.site, folders.out)
        return result
    one_process = processes_for(sources, formats, session, workers) == 1
    with (templates_compiled_ahead(sources.templates) if one_process else nullcontext()) as compiler, \
            Staging(folders.out, digests=key is not None) as staging:  # each file written as soon as it is made
        result = build_files(sources, formats, cache_dir=folders.cache, progress=progress, workers=workers, into=staging,
                             compiler=compiler)
        # Kept before it is published, read back from the folder that only this build writes. Not kept: a site without
        # its search index (made again once Pagefind is there), a very large one, or one whose sources changed while
        # it was built (it might be of neither the sources before nor after): told by their metadata, or if that cannot
        # tell, by their bytes.
        if (key is not None and not result.skipped and sum(staging.sizes.values()) <= MAX_KEPT_BYTES
                and key.holds()):
            FormatCache(folders.cache).put(SITE, key.key, pack(staging.sizes, staging.digests, staging.folder))
        staging.publish()
    return result


def kept_site_key(sources: Sources, formats: tuple[str, ...]) -> SiteKey | None:
    """The key of the kept site for these sources and formats (sitecache.py): every folder the build reads."""
    return site_key_of(sources.content, sources.templates, sources.static, formats, static_overrides=sources.static_overrides)


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class _CacheEntry:
    """What the cache folder keeps besides the downloads: the last site built (FormatCache keeps one file by name)."""

    name: str


SITE = _CacheEntry(ENTRY)
