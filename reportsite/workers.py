"""A cold build of a large report on every core: its parts read, parsed, and their pages rendered, by worker processes.

The main process reads report.yaml and the other small files, then forks a worker for each other core. Each
process reads and checks a share of the parts' files (runs of them, by size) and says what it found; the main
process then gives each the parts it parses (whole pages, never part of one: a page's part that another process
read is read again), and parses the rest itself; pages are taken from a slower process's share as they go (_Claims).
Meanwhile each process compiles its share of the pages' templates (each once, in one process), and the main process
sends every process the code of all of them.
Each process keeps its parts' tokens, and the main process and the workers send each other, both ways at once, what
resolving needs: each part without its text. The main process sends each worker the report as soon as it is loaded
(without text, and the parts the worker has already by name only), and each resolves it at the same time, so all
have the same pages, paragraphs, citations and backlinks.

Then each process renders the pages of its own parts; the main process renders its parts as the one-page editions
show them first, into a file of its own, and every page that is not a part's; the other workers do the same after
their pages. The last worker, once its own pages are done, writes the one-page editions, its own parts rendered in
place and the others' read from their files, while the main process renders its pages.
Each page is written as soon as it is rendered, by the process that rendered it, into the folder the new site is
written into (write.Staging), where the main process has listed it first; with the digest of its bytes when the
site is kept (sitecache.py).

The files are byte for byte those of a build in one process (tests/test_workers.py). A small report is built
in one process, where starting a worker costs more than it saves, and so is a build in a process that runs
other threads (build.processes_for). Anything that goes wrong in a worker makes the build start again in one
process, which reports it as usual. (The site such a build returns holds its parts without their tokens,
which are let go as soon as they are rendered: the downloads and the search index, made from tokens, are
made by a build in one process.)
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import signal
import struct
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .content import Part, PartSource, PartsRead, Report, numbering_of, numbering_votes, parse_part, read_part_file
from .crossrefs import Site, one_page_editions, resolve
from .errors import Problem
from .render import PartsRenderedElsewhere, each_page, each_part_of_page, put_page, quotes_of_parts
from .write import FolderWriter, Sizes, Staging

# Of an equal share: the main process also renders the site's own pages, the last worker the one-page editions.
MAIN_SHARE = 1.0


class WorkerFailed(Exception):
    """A worker could not do its share; the build is made again in one process, which says why."""


class PartWorkers:
    """The worker processes of one build. `parse_parts` is handed to `load_report`; once the site is resolved,
    `render_html` gives every page. Used as a context manager, which ends every worker it started."""

    def __init__(self, count: int, templates_dir: Path | None = None) -> None:
        self.count = count  # processes, this one included
        self.templates_dir = templates_dir  # the pages' templates, each compiled by one of the processes
        self.workers: list[_Worker] = []
        self.parts_files: list[Path] = []  # where each process writes its parts as the one-page editions show them
        self.compiled: dict[str, bytes] = {}  # the templates' code, from every process

    def __enter__(self) -> PartWorkers:
        return self

    def __exit__(self, failed, *exception) -> None:
        for worker in self.workers:
            worker.stop(now=failed is not None)
        self._remove_parts_files()  # what a build that failed wrote: a build in one process may follow

    @property
    def processes(self) -> int:
        return 1 + len(self.workers)

    def parse_parts(self, paths: list[Path], root: Path, numbering: str | None, abbreviations: dict[str, str]) -> PartsRead:
        """The parts' files read, checked and parsed as `load_report` would (content.PartsRead). Each process reads a
        share of the files (runs of them, by size), then parses whole pages: a page's parts that another process
        read (rarely: where the shares meet) are read again by the process that parses them."""
        sizes = [_size(path) for path in paths]
        shares = self._shares(sizes, [[index] for index in range(len(paths))])
        claims = None
        if len(shares) > 1:
            from multiprocessing.connection import Pipe  # only for a build on several cores

            claims = _Claims(len(shares))
            for number, share in enumerate(shares[1:], 1):
                ours, theirs = Pipe()
                pid = os.fork()
                if pid == 0:  # the worker: it never returns from _work
                    for connection in (ours, *(worker.connection for worker in self.workers)):
                        connection.close()
                    _work(theirs, paths, share, root, abbreviations, claims, number)
                theirs.close()
                self.workers.append(_Worker(pid, ours, set()))
        read = {index: read_part_file(paths[index], root) for index in shares[0]}
        # what each file's reading found: (a problem if outside the content folder, its page if usable, problems, votes)
        found = {index: (outside, source and _page_of(source), problems, source and numbering_votes(source))
                 for index, (outside, source, problems) in read.items()}
        for worker in self.workers:
            found.update(worker.receive("read"))
        usable = [index for index in range(len(paths)) if found[index][1] is not None]
        numbering = numbering or numbering_of([found[index][3] for index in usable])
        pages: dict[str, list[int]] = {}
        for index in usable:
            pages.setdefault(found[index][1], []).append(index)
        reader = {index: number for number, share in enumerate(shares) for index in share}
        parses: list[list[list[int]]] = [[] for _ in shares]  # the pages of each process, by which read their first part
        for group in pages.values():
            parses[reader[group[0]]].append(group)
        if claims is None:
            claims = _Claims(1)
        claims.begin(parses)
        templates = str(self.templates_dir) if self.workers and self.templates_dir is not None else None
        for worker in self.workers:
            worker.send(("parse", numbering, parses, templates))
        # this process's share of the pages' templates compiled while the workers compile theirs and parse (each process
        # then parses less, as the claims see)
        self.compiled = _compile_templates(templates, 0, self.processes)
        parsed = {index: _parse(paths[index], root, read.pop(index, None), numbering, abbreviations)
                  for index in claims.each_taken(0)}
        del read
        # what resolving needs of the parts parsed here, sent while this process receives the workers' (both ways at
        # once: neither waits for the other to send before it can resolve)
        ours = [_bare(part) for part, _ in parsed.values() if part is not None]
        for worker in self.workers:
            worker.send_meanwhile(("parsed", ours))
            worker.held = {part.source for part in ours}
        del ours
        for worker in self.workers:
            theirs, compiled = worker.receive("parsed")
            self.compiled.update(compiled)
            worker.parts = {part.source for part, _ in theirs.values() if part is not None}
            worker.held |= worker.parts
            parsed.update(theirs)
        problems = [found[index][0] for index in range(len(paths)) if found[index][0] is not None]
        problems += [problem for index in range(len(paths)) for problem in found[index][2]]
        return PartsRead(numbering, problems, [parsed[index] for index in usable])

    def resolve(self, report: Report) -> Site:
        """The report resolved here, while each worker resolves its own copy (sent without text, and the parts it holds
        already by name) at the same time."""
        for worker in self.workers:
            worker.send(("resolve", _without_text(report, worker.held), self.compiled))
        if self.compiled:
            _compiled(self.templates_dir, self.compiled)
        return resolve(report)

    def render_html(self, site: Site, templates_dir: Path, files: dict[str, bytes] | Staging, downloads: tuple = ()) -> None:
        """Every page as UTF-8, put into `files` as it is rendered, here and by the workers. Into a Staging, each
        process writes its pages into its folder itself, listed in its marker first, and its parts as the one-page
        editions show them into a file of its own there, which the editions are written from, then removed; into
        a dict, the workers send theirs.

        The last worker writes the one-page editions (its own parts rendered in place), once it has rendered its own
        pages, while this process renders the rest: so this process renders its parts as the editions show them
        first, and sends them."""
        if not self.workers:  # a report of one page, parsed here: as in one process
            for url, page in each_page(site, templates_dir, downloads=downloads):
                put_page(files, url, page)
            return
        shares = [{page.slug for page in site.pages if page.parts and all(part.source in worker.parts for part in page.parts)}
                  for worker in self.workers]
        theirs = set().union(*shares)
        editions = one_page_editions(site)
        written_elsewhere = theirs | {page.slug for page in editions}
        folder = None
        if isinstance(files, Staging):
            folder = files.list([page.url for page in site.pages if page.slug in written_elsewhere] +
                                [_parts_file(number) for number in range(self.processes)])
            self.parts_files = [folder / _parts_file(number) for number in range(self.processes)]
        writer = self.workers[-1]
        for number, (worker, share) in enumerate(zip(self.workers, shares), 1):
            worker.send(("render", str(templates_dir), downloads, share, folder and str(folder / _parts_file(number)),
                         getattr(files, "digests", None) is not None, not isinstance(files, Sizes),
                         worker is writer and len(self.workers)))  # the writer: how many processes' parts it is sent
        mine = {part.source for part in site.report.parts if not any(part.source in worker.parts for worker in self.workers)}
        writer.send_meanwhile(("edition parts", _parts_of_editions(site, editions, templates_dir, mine, downloads,
                                                                   folder and folder / _parts_file(0))))
        quoted = _QuotedElsewhere(self.workers)
        for url, page in each_page(site, templates_dir, downloads=downloads, memo=PartsRenderedElsewhere({}, quoted),
                                   only={page.slug for page in site.pages} - written_elsewhere):
            put_page(files, url, page)
        quoted.receive()
        for part in site.report.parts:
            if part.source in mine:
                part.tokens = part.env = None
        others = []
        for worker in self.workers:
            self._written(files, worker.receive("pages"))
            if worker is not writer:
                others.append(worker.receive("edition parts"))
                worker.stop()  # all it had to do: what it held is free
        writer.sent()
        for parts in others:
            writer.send(("edition parts", parts))
        self._written(files, writer.receive("editions"))
        writer.stop()
        self._remove_parts_files()

    @staticmethod
    def _written(files: dict[str, bytes] | Staging, pages) -> None:
        """Pages a worker wrote into the Staging's folder (their sizes and digests), made for a check (their sizes), or
        sent (their bytes)."""
        if isinstance(files, (Staging, Sizes)):
            files.written_elsewhere(*pages)
        else:
            files.update(pages)

    def _remove_parts_files(self) -> None:
        for path in self.parts_files:
            path.unlink(missing_ok=True)

    def _shares(self, sizes: list[int], groups: list[list[int]]) -> list[list[int]]:
        """The indices of `sizes` each process takes, the main process's first: runs of whole `groups`, by size."""
        count = max(1, min(self.count, len(groups)))
        if count == 1:
            return [list(range(len(sizes)))]
        # the main process's share (MAIN_SHARE) is weighed against the pages that only it renders
        weights = [MAIN_SHARE] + [1.0] * (count - 1)
        total, whole = sum(sizes), sum(weights)
        shares: list[list[int]] = [[] for _ in range(count)]
        done, share = 0, 0
        for group in groups:
            if share < count - 1 and done >= total * sum(weights[:share + 1]) / whole:
                share += 1
            shares[share] += group
            done += sum(sizes[index] for index in group)
        shares = [share for share in shares if share]
        return shares if len(shares) > 1 else [list(range(len(sizes)))]


@dataclasses.dataclass
class _Worker:
    pid: int
    connection: object
    parts: set[str]  # the files it parses
    held: set[str] = dataclasses.field(default_factory=set)  # the files whose parts it has: its own and this process's
    sending: threading.Thread | None = None
    send_failed: str | None = None

    def send(self, message) -> None:
        self.sent()
        try:
            self.connection.send(message)
        except OSError as error:
            raise WorkerFailed(f"a worker stopped: {error}") from None

    def send_meanwhile(self, message) -> None:
        """Send `message` from another thread, which waits for the worker to read it while this one goes on."""
        def send() -> None:
            try:
                self.connection.send(message)
            except OSError as error:
                self.send_failed = f"a worker stopped: {error}"

        self.sent()
        self.sending = threading.Thread(target=send, daemon=True)
        self.sending.start()

    def sent(self) -> None:
        """Wait until what was sent meanwhile has been read."""
        if self.sending is not None:
            self.sending.join()
            self.sending = None
        if self.send_failed is not None:
            raise WorkerFailed(self.send_failed)

    def receive(self, expected: str):
        try:
            kind, payload = self.connection.recv()
        except (EOFError, OSError):
            raise WorkerFailed("a worker stopped before it finished its share") from None
        if kind != expected:
            raise WorkerFailed(payload)
        return payload

    def stop(self, now: bool = False) -> None:
        """Wait for the worker to end (it ends once it has sent its pages); `now`, or if it has not within
        a few seconds, end it."""
        if self.connection.closed:
            return
        if self.sending is not None:  # first the thread sending meanwhile, which the connection must outlive
            self.sending.join(0 if now else 5)
            if self.sending.is_alive():  # the worker does not read what it is sent: ended, which ends the sending
                os.kill(self.pid, signal.SIGKILL)
                self.sending.join()
        self.connection.close()
        deadline = time.monotonic() + (0 if now else 5)
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() >= deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                return
            time.sleep(0.005)


class _QuotedElsewhere:
    """The paragraphs the workers quoted for the main process's pages, received when first asked for."""

    def __init__(self, workers: list[_Worker]) -> None:
        self.workers, self.quotes = workers, None

    def receive(self) -> dict:
        if self.quotes is None:
            self.quotes = {}
            for worker in self.workers:
                self.quotes.update(worker.receive("quoted"))
        return self.quotes

    def get(self, url: str, anchor: str) -> str | None:
        return self.receive().get((url, anchor))


class _Claims:
    """Which process parses which pages, decided as they go, so that all end parsing together however fast each runs
    (and whatever else the machine runs): each takes the pages of its own share from the first, then, once those are
    done, the last page of the share that has most left. Two numbers per share, where the next and the end of what
    is left are, kept in memory that the processes share (made before they fork), and taken under a lock."""

    def __init__(self, count: int) -> None:
        import mmap
        from multiprocessing import Lock

        self.lock = Lock()
        self.left = mmap.mmap(-1, 16 * count)
        self.shares: list[list[list[int]]] = []

    def begin(self, shares: list[list[list[int]]], counted: bool = False) -> None:
        """Each process's pages (each a list of its files' indices), the same in every process; this process's copy
        of them, and (once, in the main process, before any is taken) where each share starts and ends."""
        self.shares = shares
        if not counted:
            for number, share in enumerate(shares):
                struct.pack_into("qq", self.left, 16 * number, 0, len(share))

    def each_taken(self, number: int) -> Iterator[int]:
        """The files of each page process `number` takes, until none is left."""
        while (page := self._take(number)) is not None:
            yield from page

    def _take(self, number: int) -> list[int] | None:
        with self.lock:
            left = [struct.unpack_from("qq", self.left, 16 * share) for share in range(len(self.shares))]
            if left[number][0] >= left[number][1]:  # its own are done: the share with most left gives its last
                number = max(range(len(left)), key=lambda share: left[share][1] - left[share][0])
                start, end = left[number]
                if start >= end:
                    return None
                struct.pack_into("qq", self.left, 16 * number, start, end - 1)
                return self.shares[number][end - 1]
            start, end = left[number]
            struct.pack_into("qq", self.left, 16 * number, start + 1, end)
            return self.shares[number][start]


def _compile_templates(templates_dir: str | None, number: int, processes: int) -> dict[str, bytes]:
    """The share of the web pages' templates that process `number` compiles, for every process (each template once,
    in one of them: compiling them all is most of the time it takes to render a small site): their code."""
    if templates_dir is None:
        return {}
    from .templates import compile_web_pages

    order = itertools.count()  # every process lists the templates in the same order
    return dict(compile_web_pages(_environment(templates_dir), skip=lambda key: next(order) % processes != number))


def _compiled(templates_dir: Path, code: dict[str, bytes]) -> None:
    """The templates in `templates_dir` taken from `code` compiled elsewhere (`_compile_templates`) when first used."""
    from .templates import CompiledCode

    _environment(templates_dir).bytecode_cache = CompiledCode(code)


def _environment(templates_dir: Path):
    from .templates import template_environment

    return template_environment(str(Path(templates_dir).resolve()))


def _parts_file(number: int) -> str:
    """The file process `number` (0: the main process) writes its parts as the one-page editions show them into."""
    return f".reportsite-edition-parts-{number}"


def _parts_of_editions(site: Site, editions: list, templates_dir: Path, parts: set[str], downloads: tuple,
                       into: Path | None) -> dict:
    """The HTML of `parts` (by file) as the one-page editions show them, for PartsRenderedElsewhere. Written `into`
    the file given, if any, a part after the other: then what is returned are functions that read each again."""
    rendered = (item for page in editions for item in each_part_of_page(site, page, templates_dir, parts, downloads))
    if into is None:
        return dict(rendered)
    found, offset = {}, 0
    with open(into, "wb") as file:
        for key, html in rendered:
            data = html.encode("utf-8")
            file.write(data)
            found[key] = functools.partial(_read_part, into, offset, len(data))
            offset += len(data)
    return found


def _read_part(path: Path, offset: int, size: int) -> str:
    with open(path, "rb") as file:
        file.seek(offset)
        return file.read(size).decode("utf-8")


def _without_text(report: Report, held: set[str]) -> Report:
    """The report as a worker needs it: the parts without their tokens, and those of the files in `held` (which that
    worker has already) only by their file's name; the front page and the about text whole (small, and in the one-page
    editions, which a worker writes)."""
    return dataclasses.replace(report, parts=[part.source if part.source in held else _bare(part) for part in report.parts])


def _bare(part: Part) -> Part:
    """The part as another process needs it to resolve the report and link to it: without its text."""
    return dataclasses.replace(part, tokens=None, env=None)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reading it says what is wrong
        return 0


def _page_of(source: PartSource) -> str:
    """The page a part is shown on, by slug: its parts are parsed by one process."""
    return source.meta.get("page") or source.slug


def _parse(path: Path, root: Path, read: tuple | None, numbering: str, abbreviations: dict[str, str]) -> tuple[Part | None, list[Problem]]:
    """The part of the file at `path`, parsed, with its problems; from what this process `read` of it, or read now (its
    problems were found by the process that read it first, unless it can no longer be used)."""
    if read is None:
        outside, source, problems = read_part_file(path, root)
        if source is None:
            return None, [problem for problem in (outside, *problems) if problem is not None]
    else:
        source = read[1]
    found: list[Problem] = []
    return parse_part(source, numbering, abbreviations, found), found


def _work(connection, paths: list[Path], share: list[int], root: Path, abbreviations: dict[str, str], claims: _Claims,
          number: int) -> None:
    """A worker: read and check its share of the files, say what resolving needs; parse the parts it is given, send them
    without their text; then render what it is asked to, from its own parts."""
    try:
        with _reporting(connection):
            read = {index: read_part_file(paths[index], root) for index in share}
            connection.send(("read", {index: (outside, source and _page_of(source), problems, source and numbering_votes(source))
                                      for index, (outside, source, problems) in read.items()}))
            kind, numbering, parses, templates = connection.recv()
            claims.begin(parses, counted=True)
            compiled = _compile_templates(templates, number, len(parses))  # its share, before it parses: see the claims
            parsed: dict[str, Part] = {}
            results = {}
            for index in claims.each_taken(number):
                part, found = _parse(paths[index], root, read.pop(index, None), numbering, abbreviations)
                if part is not None:
                    parsed[part.source] = part
                    part = _bare(part)
                results[index] = (part, found)
            del read
            connection.send(("parsed", (results, compiled)))
            del results
            kind, held = connection.recv()  # the main process's parts
            held = {part.source: part for part in held} | parsed
            kind, report, compiled = connection.recv()  # and every template's code
            report.parts = [held[part] if isinstance(part, str) else part for part in report.parts]
            del held
            site = resolve(report, check_numbers=False)  # the main process checks them, and says what is wrong
            del report
            kind, templates_dir, downloads, mine, parts_file, digests, kept, writes_editions = connection.recv()
            templates_dir = Path(templates_dir)
            _compiled(templates_dir, compiled)
            # first, the paragraphs of its parts that the other processes' pages quote: else they read them again
            connection.send(("quoted", quotes_of_parts(site, templates_dir, set(parsed),
                                                       {page.slug for page in site.pages} - mine, downloads)))
            files = _pages_made(parts_file, digests, kept)
            for url, page in each_page(site, templates_dir, only=mine, downloads=downloads):
                put_page(files, url, page)
                del page
            connection.send(("pages", _sent(files)))
            editions = one_page_editions(site)
            if not writes_editions:
                connection.send(("edition parts", _parts_of_editions(site, editions, templates_dir, set(parsed), downloads,
                                                                     parts_file and Path(parts_file))))
                return
            # the writer renders its own parts where the editions show them, the others' read from where they were written
            elsewhere = {}
            for _ in range(writes_editions):
                kind, theirs = connection.recv()
                elsewhere.update(theirs)
            files = _pages_made(parts_file, digests, kept)
            for url, page in each_page(site, templates_dir, only={page.slug for page in editions}, downloads=downloads,
                                       memo=PartsRenderedElsewhere(elsewhere)):
                put_page(files, url, page)
            connection.send(("editions", _sent(files)))
    except (EOFError, OSError):  # the build stopped (a problem in the content): nothing more to do
        pass
    finally:
        connection.close()
        os._exit(0)  # nothing to tear down: the process ends here


def _pages_made(parts_file: str | None, digests: bool, kept: bool) -> dict[str, bytes] | FolderWriter | Sizes:
    """Where a worker puts the pages it makes: written into the Staging's folder (beside `parts_file`, with their
    `digests` if asked), held to send (`kept`), or only measured, for a check."""
    if parts_file is not None:
        return FolderWriter(Path(parts_file).parent, digests)
    return {} if kept else Sizes()


def _sent(files: dict[str, bytes] | FolderWriter | Sizes) -> dict | tuple:
    """What a worker sends of the pages it made: their bytes, or the sizes (and digests) of those it wrote or measured."""
    return (files.sizes, files.digests) if isinstance(files, (FolderWriter, Sizes)) else files


@contextmanager
def _reporting(connection) -> Iterator[None]:
    """Any failure is sent to the main process, which builds again in one process."""
    try:
        yield
    except (EOFError, OSError):
        raise
    except BaseException:
        connection.send(("failed", traceback.format_exc()))
