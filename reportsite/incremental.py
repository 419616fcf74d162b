"""Build again in the same process, redoing only what a change affects: the build that serve runs.

A BuildSession is handed to `reportsite.build.build`; it keeps, from one build to the next:

- each file's load (content.LoadCache): a part whose bytes have not changed is not parsed again;
- each part's HTML on each page, reused while its links are the same, and the chunks of
  pages whose abbreviations are marked (render.RenderMemo);
- a key for each page: everything its HTML depends on. A page is rendered again only when
  its key changes, and a file is written only when its bytes change (the new site, like any
  other, is put in place of the old one in one step: unchanged files are hard-linked into it).

What a page depends on is data, computed from the resolved site after every change:

- every page: the templates, the YAML files and the contents (each page's title and
  address, each part's front matter), since they make every page's header, navigation
  and footer; key-figures.yaml also makes the links from paragraphs to their charts;
- a part page: the parts it shows, and where their citations lead and their backlinks
  (so citing a paragraph re-renders the page that holds it, which gains a backlink);
- a one-page edition: every part, and the front page's text, with the same links;
- the home page: the front page's text (front-page.md), and how many paragraphs,
  recommendations and citations the report has; the accessibility statement, the counts;
- the about page: the about text (about.md);
- the search page: every paragraph's number and link, for going straight to one;
- the glossary and the other pages of the site itself: nothing more.

During a rebuild in serve, the session hands over every page but the one-page editions as
soon as they are rendered (`early_pages`), so that browsers reload before the largest page
of the site is rendered; serve holds requests for it until it is ready.

Static files are read again on every build (they are few) and written when they change:
`render_pages` never reads static/, so a change there renders no page.
The result is byte for byte what a cold build of the same sources writes.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from pathlib import Path

from .content import LoadCache, Part
from .crossrefs import Page, Site, one_page_editions
from .formats import Download
from .pages import page_documents
from .render import RenderMemo, counts_of, render_pages, template_environment
from .write import remove_quietly, write_site


TEXT_FIELDS = ("tokens", "env", "paragraphs", "citations", "part_links")  # what a part's text makes, not its front matter


def front_matter(part: Part) -> tuple:
    """Everything about a part except its text."""
    return tuple(getattr(part, f.name) for f in dataclasses.fields(part) if f.name not in TEXT_FIELDS)


def read_templates(templates_dir: Path) -> dict[str, bytes]:
    templates_dir = Path(templates_dir)
    if not templates_dir.is_dir():
        return {}
    found = {}
    for path in sorted(templates_dir.rglob("*")):
        try:
            if path.is_file():
                found[path.relative_to(templates_dir).as_posix()] = path.read_bytes()
        except OSError:  # deleted while being read: the next change event builds again
            continue
    return found


class BuildAbandoned(Exception):
    """A build of a session that serve has given up on, and replaced with a new session, ended late: it writes nothing."""


class BuildSession:
    """What one serve session keeps between builds, so that each rebuild does only what a change needs.

    `early_pages`, if given, is called during each rebuild with every file of the site as
    it will be, and the paths still pending: once every page but the one-page editions is
    rendered, and before those are. (A one-page edition is the whole report, so the
    largest page by far; serve lets the browsers reload while it is rendered, and holds
    requests for it until it is ready.)
    """

    def __init__(self, early_pages: Callable[[dict[str, bytes], frozenset[str]], None] | None = None) -> None:
        self.early_pages = early_pages
        self.loads = LoadCache()
        self.memo = RenderMemo()
        self.files: dict[str, bytes] | None = None  # as last written to `out_dir`
        # The downloads made for this session (in the background, by serve), and their files.
        self.downloads: tuple[Download, ...] = ()
        self.download_files: dict[str, bytes] = {}
        self.out_dir: Path | None = None
        self.rendered: list[str] = []  # pages the last build rendered
        self.written: list[str] = []  # files the last build wrote or deleted
        self._whole_site_key: tuple | None = None
        self._page_keys: dict[str, tuple] = {}
        self._uncommitted: tuple | None = None  # this build's keys, remembered once it is written
        self.abandoned = False  # set by serve when a build of this session has hung: it writes nothing more
        # Each site a rebuild replaces is removed in the background, so as not to hold up the next rebuild.
        self._remover = ThreadPoolExecutor(max_workers=1, thread_name_prefix="serve-remove-old-site")

    def render_html(self, site: Site, templates_dir: Path, static: dict[str, bytes],
                    downloads: tuple[Download, ...] = ()) -> dict[str, bytes]:
        """Every page's HTML, rendering again only the pages whose key has changed."""
        templates = read_templates(templates_dir)
        whole_site_key = (templates, self._yaml_key(site), self._contents_key(site))
        if whole_site_key != self._whole_site_key:
            if self._whole_site_key is None or templates != self._whole_site_key[0]:
                template_environment.cache_clear()  # compile the changed templates afresh
            self.memo = RenderMemo()
            self._page_keys = {}
        page_keys = {page.url: (downloads, self._page_key(site, page)) for page in site.pages}
        only = {page.slug for page in site.pages if self._page_keys.get(page.url) != page_keys[page.url]}
        editions = {page.slug for page in one_page_editions(site)}
        later = only & editions if self.early_pages is not None and self.files is not None else set()
        previous = self.files or {}
        encoded = {url: html.encode("utf-8") for url, html in render_pages(site, templates_dir, only=only - later, downloads=downloads, memo=self.memo).items()}
        if later:
            pending = frozenset(page.url for page in site.pages if page.slug in later)
            early = {page.url: encoded.get(page.url, previous.get(page.url)) for page in site.pages}
            self.early_pages({**self.download_files, **{url: data for url, data in early.items() if data is not None}, **static}, pending)
            encoded.update((url, html.encode("utf-8")) for url, html in render_pages(site, templates_dir, only=later, downloads=downloads, memo=self.memo).items())
        pages = {page.url: encoded[page.url] if page.url in encoded else previous[page.url] for page in site.pages}
        self._uncommitted = (whole_site_key, page_keys, sorted(encoded))
        return pages

    def write(self, files: dict[str, bytes], site: Site, out_dir: Path) -> None:
        """Put the site in place, writing only the files that changed since the last build, then remember this build."""
        out_dir = Path(out_dir)
        if self.abandoned:
            raise BuildAbandoned()
        self.written = write_site(files, out_dir, previous=self.files if self.out_dir == out_dir else None,
                                  discard=lambda old_site: self._remover.submit(remove_quietly, old_site))
        self.files, self.out_dir = files, out_dir
        if self._uncommitted is not None:
            self._whole_site_key, self._page_keys, self.rendered = self._uncommitted
            self._uncommitted = None
        self.memo.next_build(site)

    def _page_key(self, site: Site, page: Page) -> tuple:
        if page.kind_of.links_every_paragraph:  # each paragraph's label and page
            return [(anchor, paragraph.page.url) for anchor, paragraph in site.paragraphs.items()]
        counts = counts_of(site) if page.kind_of.shows_counts else None
        return counts, tuple((part, self.memo.links(site, page, part)) for part in page_documents(site.report, page))

    @staticmethod
    def _yaml_key(site: Site) -> tuple:
        report = site.report
        return (report.meta, report.abbreviations, report.key_figures)

    @staticmethod
    def _contents_key(site: Site) -> tuple:
        pages = tuple((page.slug, page.url, page.title, page.kind, tuple(front_matter(part) for part in page.parts))
                      for page in site.pages)
        return pages, tuple(front_matter(part) for part in site.report.parts)
