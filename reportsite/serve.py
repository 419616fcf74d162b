"""Serve the site while it is edited: watch the sources, rebuild through the same build, reload the browser.

    python build.py serve [--content DIR] [--out DIR] [--host 127.0.0.1] [--port 8000]

- The sources (content/, templates/, static/) are watched through the operating system's
  file events (watchfiles: inotify on Linux), never by polling. A burst of saves (several
  files, or an editor's write-then-rename) is one rebuild; a save during a rebuild starts
  another as soon as it ends, so no save is missed.
- Each rebuild is `reportsite.build.build` with a BuildSession, which parses and renders
  only what the change affects and writes only the files that changed, into --out.
- Pages are served from the last good build in memory, with the LiveReload script added
  to each page as it is served (never written into the site). After each rebuild that
  changed something, every open page receives the LiveReload `reload` message at once.
- When a save makes the content, or a template, invalid, every page served is the error
  page (each problem: file, line, what is wrong, what to change), announced to screen
  readers; the terminal prints the same. --out keeps the last good site, and the next
  valid save brings the site back by itself. Nothing an editor saves stops the server.

This uses the livereload package's browser script, its handler that serves it and its
script injector, on a tornado server of our own: the package's own Server polls for
changes every 800 ms without inotify and ignores a change made within 3 s of a reload.
"""

from __future__ import annotations

import asyncio
import gc
import ipaddress
import json
import mimetypes
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web
import tornado.websocket
import watchfiles
from livereload.handlers import LiveReloadJSHandler
from livereload.server import LiveScriptInjector

from .background import DownloadMaker
from .build import FORMATS, Sources, build, output_folders
from .content import is_editor_file
from .errors import BuildError, Problem, display_path
from .folders import FolderRefused
from .formats import FormatsResult
from .incremental import BuildAbandoned, BuildSession

LIVERELOAD_PROTOCOL = "http://livereload.com/protocols/official-7"
# The snippet livereload adds to pages: it loads livereload.js from the server the page came from.
RELOAD_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
    b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    b"document.head.appendChild(s);})();</script>"
)
STEP_MS = 10  # a change is built once no other change has come for this long ...
DEBOUNCE_MS = 500  # ... or once changes have kept coming for this long
WATCH_TIMEOUT_MS = 200  # how often the watcher checks that the folders it watches still exist
HUNG_AFTER_S = 10  # a rebuild that has used no processor time for this long is given up: it waits on a file that never ends
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})


def thread_processor_time(thread: threading.Thread) -> float | None:
    """The processor time a running thread has used, in seconds; None where the system cannot tell."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
    except (AttributeError, OSError, TypeError, OverflowError):
        return None


def host_names(host: str) -> frozenset[str]:
    """The names a request may address the server by (its Host header): the loopback names, and the --host given."""
    return LOOPBACK_NAMES | {host.strip("[]").lower()}


@dataclass(frozen=True)
class Rebuild:
    """What the builder is asked to build: the sources after changes, the pages with new downloads, or the first build."""

    changes: frozenset = frozenset()
    downloads: tuple | None = None  # (the downloads, their files), made in the background
    first: bool = False
    for_sources: bool = True  # the sources may have changed, so the downloads are to be made again after it
    unseen: bool = False  # files may have changed that the watcher did not see (before it watched): compare them all

    def merged(self, later: Rebuild) -> Rebuild:
        return Rebuild(self.changes | later.changes, self.downloads if later.downloads is None else later.downloads,
                       self.first or later.first, self.for_sources or later.for_sources, self.unseen or later.unseen)


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good build's files, and the problems of the last build if it failed.

    While a rebuild renders the one-page editions, their paths are `pending`: a request for
    one waits for `settled`, then gets what the rebuild made.
    """

    files: dict[str, bytes]
    problems: tuple[Problem, ...] = ()
    pending: frozenset[str] = frozenset()
    settled: asyncio.Event | None = None


class ReportServer:
    """The serve loop: a web server in one thread, a watcher in another, and a builder that rebuilds in a third.

    `start()` builds, binds and returns once changes are being watched; `stop()` ends the threads.
    The watcher only asks for rebuilds, so it never waits for one: a rebuild stuck for `hung_after`
    seconds without using the processor (reading a file that never ends, or a drive that does not
    answer) is given up, shown as the error page, and the next save is built by a new builder.
    """

    def __init__(self, sources: Sources, out_dir: Path, host: str = "127.0.0.1", port: int = 8000,
                 formats: tuple[str, ...] = FORMATS, log: Callable[[str], None] | None = None,
                 cache_dir: Path | None = None, hung_after: float = HUNG_AFTER_S):
        self.sources, self.out_dir, self.formats = sources, Path(out_dir), formats
        self.host, self.port, self.hosts = host, port, host_names(host)
        self.cache_dir, self.hung_after = cache_dir, hung_after
        self.snapshot = Snapshot(files={})
        self.builds = 0  # how many builds have run (the first included)
        self.quiet_rounds = 0  # how many times the watcher has found no change for a while
        self.log = log or (lambda line: print(line, flush=True))
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._waiters: set[ReloadSocket] = set()
        self._loop: tornado.ioloop.IOLoop | None = None
        self._threads: list[threading.Thread] = []
        self._settled = asyncio.Event()  # set when the rebuild under way has finished
        self.idle = threading.Event()  # set while no rebuild is running or asked for: the output folder is up to date
        self._requests = threading.Condition()  # guards what follows, to the builder
        self._generation = 0  # the builder's; a hung builder keeps its old one, and its work is thrown away
        self._wanted: Rebuild | None = None  # what the builder is asked to build next
        self._building_since: float | None = None
        self._progress: tuple[float | None, float] = (None, 0.0)  # the builder's processor time, and when it last grew
        self._held = 0
        self._builder: threading.Thread | None = None
        self.session = self._new_session()
        self.download_maker: DownloadMaker | None = None
        self._skipped_said: set[str] = set()
        self._reloaded_after: float | None = None  # when the rebuild under way reloaded the browsers early

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    # ---------------------------------------------------------------- life cycle

    def start(self) -> None:
        """Build the site, listen, and watch the sources; returns once all three are under way.

        Raises FolderRefused, before anything is written, if --out or --cache is a folder the build must not touch."""
        started = time.perf_counter()
        folders = output_folders(self.sources, self.out_dir, self.cache_dir)
        self.out_dir, self.cache_dir = folders.out, folders.cache
        download_formats = tuple(name for name in self.formats if name != "html")
        if download_formats:
            self.download_maker = DownloadMaker(self.sources, download_formats, folders.cache, self._downloads_made, self.log)
        sockets = tornado.netutil.bind_sockets(self.port, address=self.host)
        self.port = sockets[0].getsockname()[1]
        self._start_builder(self._generation)
        self._ask(Rebuild(first=True))
        self._wait_until_idle()
        loop_ready = threading.Event()
        self._threads += [
            threading.Thread(target=self._serve_pages, args=(sockets, loop_ready), name="serve-pages", daemon=True),
            threading.Thread(target=self._watch_sources, name="serve-watch", daemon=True),
        ]
        self._threads[-2].start()
        loop_ready.wait()
        self._threads[-1].start()
        self._watching.wait()
        self._wait_until_idle()  # the build for what was saved before watching began
        if self.download_maker is not None:
            self.download_maker.start()
            self.download_maker.request()
        pages = sum(path.endswith(".html") for path in self.snapshot.files)
        self.log(f"Serving the report on {self.url} ({pages} pages, ready in {time.perf_counter() - started:.2f} s).")
        self.log(f"Edit {', '.join(display_path(p) + '/' for p in self._sources())} and the page reloads itself. "
                 "Press Ctrl+C to stop.")

    def stop(self) -> None:
        """Stop watching, building and serving, and wait for the threads to end (a hung builder is left behind)."""
        self._stop.set()
        with self._requests:
            self._requests.notify_all()
        if self.download_maker is not None:
            self.download_maker.stop()
        if self._loop is not None:
            self._loop.add_callback(self._loop.stop)
        for thread in self._threads:
            thread.join(timeout=10)

    def serve_forever(self) -> None:
        """Run until Ctrl+C."""
        try:
            self.start()
            # In short waits: the kernel may hand Ctrl+C's signal to another thread, and then Python runs the
            # handler only once the main thread's wait ends.
            while not self._stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            self.log("Stopping.")
        finally:
            self.stop()

    # ---------------------------------------------------------------- building

    def _new_session(self) -> BuildSession:
        generation = self._generation
        return BuildSession(early_pages=lambda files, pending: self._publish_early_pages(files, pending, generation))

    def _ask(self, rebuild: Rebuild) -> None:
        """Ask the builder for a rebuild; what is asked while it builds is built together, once it ends."""
        with self._requests:
            self._wanted = rebuild if self._wanted is None else self._wanted.merged(rebuild)
            self.idle.clear()
            self._requests.notify_all()

    @contextmanager
    def rebuilds_held(self) -> Iterator[None]:
        """No rebuild starts while this is held (the one under way ends first); what is saved meanwhile is built
        together after it."""
        with self._requests:
            while self._building_since is not None:
                self._requests.wait()
            self._held += 1
        try:
            yield
        finally:
            with self._requests:
                self._held -= 1
                self._requests.notify_all()

    def pending_changes(self) -> set[str]:
        """The files changed since the last rebuild began, as the watcher reported them."""
        with self._requests:
            return {path for _, path in self._wanted.changes} if self._wanted else set()

    def _wait_until_idle(self) -> None:
        while not self.idle.wait(WATCH_TIMEOUT_MS / 1000):
            self._give_up_if_hung()

    def _start_builder(self, generation: int) -> None:
        thread = threading.Thread(target=self._build_forever, args=(generation,), name=f"serve-build-{generation}", daemon=True)
        self._threads.append(thread)
        self._builder = thread
        thread.start()

    def _build_forever(self, generation: int) -> None:
        """The builder: one rebuild at a time, for as long as serve runs and this builder has not been given up."""
        while True:
            with self._requests:
                while not self._stop.is_set() and generation == self._generation and (self._wanted is None or self._held):
                    self._requests.wait()
                if self._stop.is_set() or generation != self._generation:
                    return
                rebuild, self._wanted = self._wanted, None
                self._building_since = time.monotonic()
                self._progress = (thread_processor_time(threading.current_thread()), self._building_since)
            try:
                self._rebuild(rebuild, generation)
            except Exception as error:  # noqa: BLE001 - a fault of ours: say so, and keep building
                self.log("".join(traceback.format_exception(error)).rstrip())
            with self._requests:
                if generation != self._generation:
                    return
                self._building_since = None
                if self._wanted is None:
                    self.idle.set()
                self._requests.notify_all()
            if self.download_maker is not None and rebuild.for_sources and not rebuild.first and not self.snapshot.problems:
                self.download_maker.request()

    def _give_up_if_hung(self) -> None:
        """If the rebuild under way has been stuck for `hung_after` seconds (its thread has used no processor time:
        it waits on something that does not answer), leave it, and start a new builder with a new session."""
        with self._requests:
            if self._building_since is None:
                return
            now, builder = time.monotonic(), self._builder
            spent = thread_processor_time(builder) if builder is not None and builder.is_alive() else None
            if spent is not None and spent != self._progress[0]:
                self._progress = (spent, now)
                return
            if now - self._progress[1] < self.hung_after and (builder is None or builder.is_alive()):
                return
            self.session.abandoned = True
            self._generation += 1
            self.session = self._new_session()
            self._building_since = None
            if self._wanted is None:
                self.idle.set()
            self._start_builder(self._generation)
        problems = (Problem(display_path(self.sources.content), 0,
                            f"the build has waited {self.hung_after:g} s for something that does not answer, so the "
                            "preview stopped waiting for it.", "A file in the content, templates or static folder may be "
                            "one that never ends (a named pipe or a device) or on a drive that does not answer: replace "
                            "it with an ordinary file, then save again."),)
        self.snapshot = Snapshot(files=self.snapshot.files, problems=problems)
        self.log(f"{clock()} The site could not be built; pages show the problem:")
        self.log(f"  {problems[0]}")
        if self._loop is not None:
            self._loop.add_callback(self._settled.set)
            self._loop.add_callback(self._send_reload, "index.html")

    def _downloads_made(self, result: FormatsResult) -> None:
        """The background job made the downloads: the builder links the pages to them, and writes them, if they changed."""
        for skipped in result.skipped:
            if skipped.what not in self._skipped_said:
                self._skipped_said.add(skipped.what)
                self.log(str(skipped))
        self._ask(Rebuild(downloads=(tuple(result.downloads), result.files), for_sources=False))

    def _rebuild(self, rebuild: Rebuild, generation: int) -> None:
        """Build through the one build; show the result or the problems; tell the browsers if anything changed."""
        session = self.session
        if rebuild.downloads is not None:
            if rebuild.downloads == (session.downloads, session.download_files) and not rebuild.changes and not rebuild.first:
                return
            session.downloads, session.download_files = rebuild.downloads
        started = time.perf_counter()
        before = self.snapshot
        self._settled, self._reloaded_after = asyncio.Event(), None
        # What the watcher saw change: with the files' stamps, the session reads only the parts edited.
        session.watched = None if rebuild.first or rebuild.unseen else {path for _, path in rebuild.changes}
        try:
            build(self.sources, self.out_dir, self.formats, session=session, cache_dir=self.cache_dir)
        except BuildAbandoned:
            return
        except BuildError as error:
            problems = tuple(error.problems)
        except FolderRefused as error:  # e.g. a file put into the site folder while serving
            problems = (Problem(display_path(error.folder), 0, error.message),)
        except Exception as error:  # a fault of ours, or a file that vanished mid-read: keep serving
            problems = (unexpected_problem(error),)
            self.log("".join(traceback.format_exception(error)).rstrip())
        else:
            problems = ()
        if generation != self._generation:  # given up while it ran: a newer builder shows what is current
            return
        self.builds += 1
        shown = self.snapshot  # before the rebuild, or as published early
        self.snapshot = Snapshot(files=session.files or {}, problems=problems)
        took = f"{(time.perf_counter() - started) * 1000:.0f} ms"
        if self._reloaded_after is not None:
            took += f" (browsers reloaded after {(self._reloaded_after - started) * 1000:.0f} ms)"
        changed = ", ".join(changed_files(rebuild.changes)) or ("the downloads" if rebuild.downloads else "the sources")
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            self.log(f"{clock()} The site could not be built ({count}); pages show the problems, "
                     f"and {display_path(self.out_dir)}/ keeps the last good site:")
            for problem in problems:
                self.log(f"  {problem}")
        elif not rebuild.first and (session.written or before.problems):
            again = "The site builds again. " if before.problems else ""
            self.log(f"{clock()} {again}{changed} changed: {len(session.rendered)} pages rendered, "
                     f"{len(session.written)} files written in {took}.")
        if self._loop is None:
            return
        self._loop.add_callback(self._settled.set)  # requests held for a one-page edition get it now
        if not rebuild.first and (problems != shown.problems
                                  or (not problems and session.written and self._reloaded_after is None)):
            self._loop.add_callback(self._send_reload, reload_path(session.written if not problems else []))
        self._loop.add_callback(collect_garbage)

    def _publish_early_pages(self, files: dict[str, bytes], pending: frozenset[str], generation: int) -> None:
        """Mid-rebuild, some pages are ready (every page but the one-page editions, or first the pages of the parts
        saved): serve them and reload the browsers now, once a rebuild. A browser showing a page still `pending`
        asks for it again, and waits until it is ready; each later step serves what it has made ready."""
        if generation != self._generation:
            return
        before = self.snapshot
        shown_early = before.settled is self._settled  # an earlier step of this rebuild is being served
        if shown_early:  # its held requests look again: for what this step made, or to wait for the next
            woken, self._settled = self._settled, asyncio.Event()
        self.snapshot = Snapshot(files=files, pending=pending, settled=self._settled)
        if shown_early and self._loop is not None:
            self._loop.add_callback(woken.set)
        changed = [path for path, data in files.items() if path not in pending and before.files.get(path) != data]
        if self._loop is not None and self._reloaded_after is None and (changed or before.problems):
            self._reloaded_after = time.perf_counter()
            self._loop.add_callback(self._send_reload, reload_path(changed))

    def _sources(self) -> list[Path]:
        folders = (self.sources.content, self.sources.templates, self.sources.static, self.sources.static_overrides)
        return [Path(p) for p in folders if p is not None and Path(p).is_dir()]

    def _watch_sources(self) -> None:
        """Ask for a rebuild after each burst of changes, until stopped. Never ends on an error: it watches again."""
        while not self._stop.is_set():
            roots = self._sources()
            try:
                caught_up = False
                for changes in watchfiles.watch(
                        *roots, watch_filter=lambda change, path: not is_editor_file(path),
                        debounce=DEBOUNCE_MS, step=STEP_MS, rust_timeout=WATCH_TIMEOUT_MS, yield_on_timeout=True,
                        stop_event=self._stop, raise_interrupt=False, ignore_permission_denied=True):
                    if not caught_up:  # watching now: build once more, for any save made before watching began
                        caught_up = True
                        self._ask(Rebuild(changes=frozenset(changes), unseen=True))
                        self._watching.set()
                    elif changes:
                        self._ask(Rebuild(changes=frozenset(changes)))
                    else:
                        self.quiet_rounds += 1
                    self._give_up_if_hung()
                    if self._sources() != roots:  # a watched folder went or came back: watch afresh
                        break
            except Exception as error:  # e.g. a watched folder deleted: wait, then watch what exists
                self.log(f"{clock()} Watching the sources again after: {error}")
                self._stop.wait(0.5)
            self._watching.set()

    # ---------------------------------------------------------------- serving

    def _serve_pages(self, sockets, ready: threading.Event) -> None:
        collect_garbage()  # what the first build left, before the first request
        asyncio.set_event_loop(asyncio.new_event_loop())
        self._loop = tornado.ioloop.IOLoop.current()

        class ReloadScript(LiveScriptInjector):
            script = RELOAD_SCRIPT

        application = tornado.web.Application([
            (r"/livereload", ReloadSocket, {"server": self}),
            (r"/livereload\.js", ReloadScriptFile, {"server": self}),
            (r"/(.*)", PageHandler, {"server": self}),
        ], transforms=[ReloadScript], log_function=lambda handler: None)
        http = tornado.httpserver.HTTPServer(application)
        http.add_sockets(sockets)
        ready.set()
        try:
            self._loop.start()
        finally:
            http.stop()
            for waiter in list(self._waiters):
                waiter.close()
            self._loop.close(all_fds=True)

    def _send_reload(self, path: str) -> None:
        message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
        for waiter in list(self._waiters):
            try:
                waiter.write_message(message)
            except tornado.websocket.WebSocketClosedError:
                self._waiters.discard(waiter)


    def accepts_host(self, name: str) -> bool:
        """Whether a request addressed to `name` (its Host header) is answered. Only the names the server listens
        on are, so that no web page can read the preview through a name of its own (DNS rebinding). Serving on
        every interface, any address is answered too, and this computer's own names: a rebinding needs a name."""
        name = name.strip("[]").lower()
        if name in self.hosts:
            return True
        if self.host.strip("[]") not in ANY_ADDRESS:
            return False
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in {socket.gethostname().lower(), socket.getfqdn().lower()}


class ForThisComputerOnly:
    """A handler that answers only requests addressed to a name the server listens on (see `accepts_host`)."""

    def initialize(self, server: ReportServer) -> None:
        self.server = server

    def prepare(self) -> None:
        if not self.server.accepts_host(self.request.host_name):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"This preview answers only requests addressed to it by its own name: open {self.server.url}\n")


class ReloadScriptFile(ForThisComputerOnly, LiveReloadJSHandler):
    """livereload.js, from the livereload package."""


class ReloadSocket(ForThisComputerOnly, tornado.websocket.WebSocketHandler):
    """The LiveReload protocol: answer `hello`, then send `reload` whenever the site changes."""

    def on_message(self, message) -> None:
        try:
            command = json.loads(message).get("command")
        except (ValueError, AttributeError):
            return
        if command == "hello":
            self.write_message({"command": "hello", "protocols": [LIVERELOAD_PROTOCOL], "serverName": "reportsite"})
            self.server._waiters.add(self)

    def on_close(self) -> None:
        self.server._waiters.discard(self)


class PageHandler(ForThisComputerOnly, tornado.web.RequestHandler):
    """The last good build, from memory; the error page instead of every page while the build fails."""

    def compute_etag(self):
        return None  # always the current build, never a cached one

    async def get(self, path: str) -> None:
        await self._respond(path, with_body=True)

    async def head(self, path: str) -> None:
        await self._respond(path, with_body=False)

    async def _respond(self, path: str, with_body: bool) -> None:
        snapshot = self.server.snapshot
        path = path.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        while path in snapshot.pending and snapshot.settled is not None:  # being rendered: wait for it
            await snapshot.settled.wait()
            snapshot = self.server.snapshot
        self.set_header("Cache-Control", "no-store")
        if snapshot.problems and is_page(path):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            body = error_page(snapshot.problems)
        elif path in snapshot.files:
            self.set_header("Content-Type", content_type(path))
            body = snapshot.files[path]
        elif f"{path}/index.html" in snapshot.files:
            self.redirect(f"/{path}/")
            return
        else:
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            body = snapshot.files.get("404.html", b"<!DOCTYPE html><title>Page not found</title><h1>Page not found</h1>")
        if with_body:
            self.write(body)
        else:
            self.set_header("Content-Length", len(body))


def collect_garbage() -> None:
    """Collect what the last build left, then set aside all that survives as permanent.

    A build runs without the cyclic garbage collector (see build.paused_garbage_collection),
    so this is when its objects are first looked at: once, just after the browsers were told
    to reload. Set aside, they are not looked at again by later collections, which would
    otherwise go through every token of the report each time and hold up a page or a rebuild.
    """
    gc.collect()
    gc.freeze()


def is_page(path: str) -> bool:
    """A request for a page (rather than a stylesheet, script or picture)."""
    name = path.rsplit("/", 1)[-1]
    return name.endswith((".html", ".htm")) or "." not in name


def content_type(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/json"):
        kind += "; charset=utf-8"
    return kind


def reload_path(written: list[str]) -> str:
    """What the reload message names: a stylesheet, if only stylesheets changed (the page restyles in place)."""
    if written and all(path.endswith(".css") for path in written):
        return written[0]
    pages = [path for path in written if path.endswith(".html")]
    return pages[0] if pages else "index.html"


def unexpected_problem(error: BaseException) -> Problem:
    """A failure that is not a problem with the content, named where it happened."""
    frames = traceback.extract_tb(error.__traceback__)
    file, line = (display_path(Path(frames[-1].filename)), frames[-1].lineno or 1) if frames else ("build.py", 1)
    if isinstance(error, FileNotFoundError) and error.filename:
        return Problem(display_path(Path(error.filename)), 1, "this file disappeared while the site was being built.",
                       "Nothing to do if you deleted or renamed it; the next save builds the site again.")
    return Problem(file, line, f"the build failed unexpectedly: {type(error).__name__}: {error}.",
                   "This is a fault in the site generator, not in your text. The traceback is in the terminal; "
                   "please pass it on to the site's developers.")


def changed_files(changes: set[tuple[watchfiles.Change, str]]) -> list[str]:
    """The files a burst of changes changed, as an editor names them; temporary files left out."""
    added = {path for change, path in changes if change == watchfiles.Change.added}
    return sorted({display_path(Path(path)) for change, path in changes
                   if Path(path).exists() or (change == watchfiles.Change.deleted and path not in added)})


def clock() -> str:
    return time.strftime("%H:%M:%S")


ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error: the site could not be built</title>
<style>
body {{ margin: 0; padding: 2rem 1rem; font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.5;
       color: #0b0c0c; background: #fff; }}
main {{ max-width: 44em; margin: 0 auto; }}
.rs-build-error {{ padding: 1rem 1.25rem; border: 5px solid #d4351c; }}
.rs-build-error:focus {{ outline: 3px solid #ffdd00; outline-offset: 0; }}
h1 {{ margin-top: 0; font-size: 2rem; line-height: 1.25; }}
.rs-build-error__list {{ padding-left: 1.25em; }}
.rs-build-error__list li {{ margin-bottom: 1rem; }}
.rs-build-error__where {{ font-weight: 700; overflow-wrap: anywhere; }}
.rs-build-error__fix {{ display: block; margin-top: 0.25rem; }}
@media (prefers-color-scheme: dark) {{ body {{ color: #f3f2f1; background: #121212; }} .rs-build-error {{ border-color: #ff7b6b; }} }}
</style>
</head>
<body>
<main id="main-content">
<div class="rs-build-error" id="build-error" role="alert" aria-labelledby="build-error-title" tabindex="-1">
<h1 id="build-error-title">The site could not be built</h1>
<p>{summary} Fix {it} and save: this page reloads by itself, and the site comes back. Until then, the last good site stays in the output folder.</p>
<ol class="rs-build-error__list">
{items}
</ol>
</div>
</main>
<script>document.getElementById("build-error").focus();</script>
</body>
</html>
"""


def error_page(problems: tuple[Problem, ...]) -> str:
    """The page shown in place of every page while the build fails: each problem where it is, and what to change."""
    items = "\n".join(
        f'<li><span class="rs-build-error__where">{escape(problem.file)}{f", line {problem.line}" if problem.line else ""}:</span> '
        f"{escape(problem.message)}"
        + (f'<span class="rs-build-error__fix">What to change: {escape(problem.fix)}</span>' if problem.fix else "")
        + "</li>"
        for problem in problems)
    count = len(problems)
    summary = "There is 1 problem." if count == 1 else f"There are {count} problems."
    return ERROR_PAGE.format(summary=summary, it="it" if count == 1 else "them", items=items)


def serve(sources: Sources, out_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          formats: tuple[str, ...] = FORMATS, cache_dir: Path | None = None) -> int:
    """`python build.py serve`: serve the site and rebuild it on every change until Ctrl+C."""
    server = ReportServer(sources, out_dir, host=host, port=port, formats=formats, cache_dir=cache_dir)
    if host.strip("[]") not in LOOPBACK_NAMES:
        print(f"Warning: serving on {host}, so other computers on the network can see the site.", file=sys.stderr)
    try:
        server.serve_forever()
    except OSError as error:  # the port is taken, or the address is not this computer's
        print(f"build.py serve: cannot listen on {host}:{port}: {error.strerror or error}. "
              "Choose another port with --port.", file=sys.stderr)
        return 1
    return 0
