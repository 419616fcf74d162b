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

After a save of parts only, the way from the save to the reload grows with the edit, not the report:

- serve tells the session which files its watcher saw change (`watched`); with the size, time and
  inode of every file of the content folder (one `stat` each), that says which parts changed,
  without reading the others;
- if only parts' text changed (not their front matter, nor their paragraphs' numbers, nor anything
  else in the content folder), only those parts are read and parsed again, and only what they
  change is resolved again: their paragraphs and citations, and the backlinks of what they cite
  or what cites them (crossrefs.resolve_edited). Anything more is loaded and resolved in full;
- the key of each page is made again only for the pages that show a part whose links may have
  changed (`touched`): the edited parts, the parts they cite or cited, the parts that cite them,
  and the pages that give the report's counts;
- the pages that show an edited part are rendered first, and the browsers reload; every other page
  the change affects (the one-page editions, pages with new backlinks or counts) is rendered after,
  and serve holds requests for them until they are ready.

Without `watched` (a build not started by the watcher, or the first after watching began), every
file is compared as before. Either way, during a rebuild in serve the session hands over every page
but those still to render as soon as the rest are rendered (`early_pages`), so that browsers reload
before the largest page of the site is rendered; serve holds requests for them until they are ready.

Static files are read again on every build (they are few) and written when they change:
`render_pages` never reads static/, so a change there renders no page.
The result is byte for byte what a cold build of the same sources writes.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

from .content import (LoadCache, Part, PartSource, is_editor_file, load_report, numbering_votes, outside_content,
                      parse_part, read_part_source)
from .crossrefs import Page, Site, one_page_editions, resolve, resolve_edited
from .errors import Problem, display_path
from .formats import Download
from .pages import page_documents
from .render import RenderMemo, counts_of, expansions_of, render_pages, template_environment
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


def file_stamps(folder: Path) -> dict[str, tuple] | None:
    """Each file in `folder` and its subfolders (editors' own files aside), by its absolute path: its kind, inode,
    size and times, which change when it is written or replaced. None if a subfolder is a symbolic link (its
    files could change unseen), or the folder cannot be read."""
    stamps: dict[str, tuple] = {}
    folders = [os.path.abspath(folder)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            return None
        for entry in entries:
            if is_editor_file(entry.path):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                found = entry.stat()  # through a link to a file: the file's own
            except OSError:  # a link to nothing: a change to it is a change of the folder's files
                stamps[entry.path] = None
                continue
            if stat.S_ISDIR(found.st_mode):
                return None
            stamps[entry.path] = (found.st_mode, found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    return stamps


class SessionLoads(LoadCache):
    """The session's LoadCache, which also keeps what each part adds to the detection of the report's numbering
    (content.numbering_votes), so that an edited part can be told not to change it without reading every part."""

    def __init__(self) -> None:
        super().__init__()
        self.votes: dict[str, tuple[PartSource, tuple[int, int]]] = {}  # by file: the source they were counted in

    def remember(self, slot: Hashable, inputs: Any, make: Callable[[], Any]) -> Any:
        made = super().remember(slot, inputs, make)
        source = made[0] if isinstance(made, tuple) and made else None
        if isinstance(source, PartSource) and self.votes.get(source.file, (None,))[0] is not source:
            self.votes[source.file] = (source, numbering_votes(source))
        return made


@dataclasses.dataclass(frozen=True)
class Loaded:
    """What a build loaded: the content folder, its files' stamps then, the site resolved, and what each part added
    to the detection of the report's numbering (by file)."""

    content_dir: Path
    stamps: dict[str, tuple] | None
    site: Site
    votes: dict[str, tuple[int, int]]


class BuildAbandoned(Exception):
    """A build of a session that serve has given up on, and replaced with a new session, ended late: it writes nothing."""


class BuildSession:
    """What one serve session keeps between builds, so that each rebuild does only what a change needs.

    `early_pages`, if given, is called during each rebuild with every file of the site as
    it will be, and the paths still pending, after each step of rendering but the last: after
    every page but the one-page editions is rendered, and before those are; after a save of
    parts that the session loaded alone, first once the edited parts' pages are rendered, then
    once the other pages the edit changes are. (A one-page edition is the whole report, so the
    largest page by far; serve lets the browsers reload once the first step is done, and holds
    requests for each page still pending until it is ready.)
    """

    def __init__(self, early_pages: Callable[[dict[str, bytes], frozenset[str]], None] | None = None) -> None:
        self.early_pages = early_pages
        self.loads = SessionLoads()
        # Set by serve before each build: the files its watcher saw change since the last build; None if not known.
        self.watched: Iterable[str] | None = None
        self.edited: dict[Part, Part] | None = None  # the parts the last build loaded again alone (old to new); None: all
        self._loaded: Loaded | None = None  # the last build written
        self._loading: Loaded | None = None  # this build's, remembered once it is written
        self._seen: set[str] | None = None  # what the watcher saw change since the last build written; None: not known
        self._templates: tuple[dict[str, tuple] | None, dict[str, bytes]] | None = None  # as last read, with their stamps
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

    def load(self, content_dir: Path) -> Site:
        """The content folder loaded, checked and resolved, as `resolve(load_report(content_dir))` gives it; only
        the parts edited since the last build are read, if that is all that changed and serve said what did."""
        content_dir = Path(content_dir)
        watched, self.watched = self.watched, None
        if watched is None or self._seen is None:
            self._seen = None
        else:
            self._seen |= {os.path.abspath(path) for path in watched}
        stamps = file_stamps(content_dir)
        site = self._load_edited(content_dir, stamps)
        if site is None:
            self.edited = None
            site = resolve(load_report(content_dir, cache=self.loads))
        votes = {part.source: self.loads.votes[part.source][1] for part in site.report.parts if part.source in self.loads.votes}
        self._loading = Loaded(content_dir, stamps, site, votes)
        return site

    def _load_edited(self, content_dir: Path, stamps: dict[str, tuple] | None) -> Site | None:
        """The site with the parts changed since the last build loaded again, and resolved again as far as they
        change it; None if anything else in the content folder changed, or what did cannot be told."""
        loaded = self._loaded
        if (loaded is None or self._seen is None or stamps is None or loaded.stamps is None
                or loaded.content_dir != content_dir or stamps.keys() != loaded.stamps.keys()):
            return None
        changed = {path for path, stamp in stamps.items() if stamp != loaded.stamps[path]} | (self._seen & stamps.keys())
        report = loaded.site.report
        parts = {part.source: part for part in report.parts}
        parts_folder = os.path.abspath(content_dir / "parts")
        root = content_dir.resolve()
        expansions = expansions_of(loaded.site)
        edited: dict[Part, Part] = {}
        votes: dict[str, tuple[PartSource, tuple[int, int]]] = {}
        for path in sorted(changed):
            old = parts.get(display_path(Path(path)))
            if (old is None or os.path.dirname(path) != parts_folder or stamps[path] is None or not stat.S_ISREG(stamps[path][0])
                    or outside_content(Path(path), root) is not None):
                return None
            problems: list[Problem] = []
            source = read_part_source(Path(path), problems)
            if source is None or problems:
                return None
            votes[source.file] = (source, numbering_votes(source))
            if report.meta.numbering is None and votes[source.file][1] != loaded.votes.get(old.source):
                return None  # it may change how the report is numbered: every part would be parsed again
            new = parse_part(source, report.numbering, expansions, problems)
            if problems or front_matter(new) != front_matter(old):
                return None
            edited[old] = new
        if not edited:
            self.edited = {}
            return loaded.site
        site = resolve_edited(loaded.site, dataclasses.replace(report, parts=[edited.get(part, part) for part in report.parts]), edited)
        if site is not None:
            self.loads.votes.update(votes)
            self.edited = edited
        return site

    def touched(self, site: Site) -> set[Part] | None:
        """The documents whose links may have changed since the last build written: the edited parts, what they cite
        or cited, and what cites them. None if the whole content folder was loaded again."""
        if self.edited is None or self._loaded is None:
            return None
        before, edited = self._loaded.site, self.edited
        new_parts = set(edited.values())
        touched = set(new_parts)
        anchors = {mark.anchor for part in touched for mark in part.paragraphs}
        touched |= {before.paragraphs[citation.target].part for citation in before.citations if citation.part in edited}
        touched |= {site.paragraphs[citation.target].part for citation in site.citations if citation.part in new_parts}
        touched |= {citation.part for anchor in anchors for citation in site.cited_by.get(anchor, ())}
        return {edited.get(part, part) for part in touched}

    def render_html(self, site: Site, templates_dir: Path, static: dict[str, bytes],
                    downloads: tuple[Download, ...] = ()) -> dict[str, bytes]:
        """Every page's HTML, rendering again only the pages whose key has changed."""
        templates = self._read_templates(templates_dir)
        contents = self._whole_site_key[2] if self.edited is not None and self._whole_site_key else self._contents_key(site)
        whole_site_key = (templates, self._yaml_key(site), contents)  # an edit the session loaded alone changes no contents
        before = self._page_keys
        if whole_site_key != self._whole_site_key:
            if self._whole_site_key is None or templates != self._whole_site_key[0]:
                template_environment.cache_clear()  # compile the changed templates afresh
            self.memo = RenderMemo()
            self._page_keys = {}
        touched = self.touched(site)
        counts = counts_of(site)
        page_keys = {page.url: (downloads, self._page_key(site, page, counts, before.get(page.url), touched)) for page in site.pages}
        only = {page.slug for page in site.pages if self._page_keys.get(page.url) != page_keys[page.url]}
        editions = {page.slug for page in one_page_editions(site)}
        if touched is None or not self.edited:  # everything but the one-page editions before the reload
            steps = [only - editions, only & editions]
        else:  # the pages of the edited parts before the reload; then the others they change; then the editions
            edited = set(self.edited.values())
            first = {page.slug for page in site.pages if edited & set(page.parts)} & only
            steps = [first, only - first - editions, only & editions]
        if self.early_pages is None or self.files is None:
            steps = [only]
        steps = [step for step in steps if step]
        previous = self.files or {}
        encoded: dict[str, bytes] = {}
        for index, step in enumerate(steps):
            encoded.update((url, html.encode("utf-8")) for url, html in
                           render_pages(site, templates_dir, only=step, downloads=downloads, memo=self.memo).items())
            still = set().union(*steps[index + 1:])
            if still:  # serve shows what is ready, and holds requests for the rest
                pending = frozenset(page.url for page in site.pages if page.slug in still)
                ready = {page.url: encoded.get(page.url, previous.get(page.url)) for page in site.pages}
                self.early_pages({**self.download_files, **{url: data for url, data in ready.items() if data is not None}, **static},
                                 pending)
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
        if self._loading is not None:
            self._loaded, self._loading, self._seen = self._loading, None, set()
        self.memo.next_build(site)

    def _read_templates(self, templates_dir: Path) -> dict[str, bytes]:
        """The templates, read again only if the watcher saw one change or a template file's stamp has changed."""
        stamps = file_stamps(templates_dir)
        folder = os.path.join(os.path.abspath(templates_dir), "")
        if (self._templates is not None and stamps is not None and self._templates[0] == stamps and self._seen is not None
                and not any(path.startswith(folder) for path in self._seen)):
            return self._templates[1]
        templates = read_templates(templates_dir)
        self._templates = (stamps, templates)
        return templates

    def _page_key(self, site: Site, page: Page, counts, before: tuple | None = None, touched: set[Part] | None = None) -> tuple:
        """What the page's HTML depends on besides the templates and the contents. With the page's key in the last
        build written (`before`, with its downloads) and the documents whose links may have changed since
        (`touched`), only theirs are looked up again."""
        if page.kind_of.links_every_paragraph:  # each paragraph's label and page: not changed by an edit of parts' text
            if before is not None and touched is not None:
                return before[1]
            return [(anchor, paragraph.page.url) for anchor, paragraph in site.paragraphs.items()]
        documents = page_documents(site.report, page)
        if before is not None and touched is not None and not page.kind_of.shows_counts and touched.isdisjoint(documents):
            return before[1]
        kept = {} if before is None or touched is None else {id(part): links for part, links in before[1][1]}
        return (counts if page.kind_of.shows_counts else None,
                tuple((part, kept[id(part)] if id(part) in kept and part not in touched else self.memo.links(site, page, part))
                      for part in documents))

    @staticmethod
    def _yaml_key(site: Site) -> tuple:
        report = site.report
        return (report.meta, report.abbreviations, report.key_figures)

    @staticmethod
    def _contents_key(site: Site) -> tuple:
        pages = tuple((page.slug, page.url, page.title, page.kind, tuple(front_matter(part) for part in page.parts))
                      for page in site.pages)
        return pages, tuple(front_matter(part) for part in site.report.parts)
