"""The Jinja environment the pages and downloads are rendered with, and its templates compiled ahead.

Compiling the templates (Jinja's parser and code generator, then Python's compiler) is about as long as
rendering the report's pages. A build in one process has them compiled by a second process, forked once the
environment is made, while it reads and resolves the report itself (`compiled_ahead`); nothing is kept
between builds outside the build's own folders.
"""

from __future__ import annotations

import os
import signal
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe
from jinja2.bccache import Bucket

from .plugins.abbreviations import abbreviation_anchor

# Where the text whose abbreviations are explained starts and ends: comments, which no content can write
# (its raw HTML is shown as text) and which `render.finish_page` takes out.
EXPLAIN_FROM, EXPLAIN_TO = "<!--rs:abbreviations-->", "<!--/rs:abbreviations-->"
# What the downloads alone use: not compiled ahead for the web pages.
DOWNLOADS_TEMPLATES = "formats/"
PIPE_SIZE = 1 << 20  # the most Linux allows by default (/proc/sys/fs/pipe-max-size); the report's: 0.2 MB
_HEADER = struct.Struct("!HI")  # each compiled template sent: the length of its key, then of its bytecode


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
        # A template is read once: not looked at again on disk each time a page uses it (serve clears this cache
        # when a template changes, incremental.py).
        auto_reload=False,
    )
    environment.filters["abbreviations"] = mark_explained_text
    # the filter's marks, for a template to write around text too large to copy as a filter does (a one-page edition)
    environment.globals.update(explain_from=markupsafe.Markup(EXPLAIN_FROM), explain_to=markupsafe.Markup(EXPLAIN_TO))
    environment.filters["abbreviation_anchor"] = abbreviation_anchor
    environment.filters["long_date"] = lambda date: f"{date.day} {date:%B %Y}"  # 26 November 2026
    return environment


def mark_explained_text(value) -> markupsafe.Markup:
    """`{% filter abbreviations %}`: the text whose abbreviations `render.finish_page` explains."""
    # one copy of what may be a whole report (a one-page edition), where adding Markups made four
    return markupsafe.Markup(f"{EXPLAIN_FROM}{markupsafe.escape(value)}{EXPLAIN_TO}")


def compile_web_pages(environment: jinja2.Environment) -> Iterator[tuple[str, bytes]]:
    """Each of the web pages' templates compiled in turn: Jinja's key for it and its bytecode, for a `CompiledCode`
    (nothing for one that fails to compile: it is compiled again where it is used, which says what is wrong)."""
    keys = jinja2.BytecodeCache()  # the keys and checksums a template loaded through a bytecode cache is looked for by
    for name in environment.list_templates(filter_func=lambda name: not name.startswith(DOWNLOADS_TEMPLATES)):
        try:
            source, filename, _ = environment.loader.get_source(environment, name)
            bucket = Bucket(environment, keys.get_cache_key(name, filename), keys.get_source_checksum(source))
            bucket.code = environment.compile(source, name, filename)
        except Exception:  # noqa: BLE001 - said where the template is used
            continue
        yield bucket.key, bucket.bytecode_to_string()


class CompiledCode(jinja2.BytecodeCache):
    """Templates' code by Jinja's key, compiled by another process (`compile_web_pages`), taken when a template is first
    used (Jinja checks that each was compiled from the text it reads); one not there is compiled as usual."""

    def __init__(self, code: dict[str, bytes]) -> None:
        self.code = code

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        pass  # kept in this process's environment only


@contextmanager
def compiled_ahead(templates_dir: Path) -> Iterator[None]:
    """While in this context, the web pages' templates are compiled by a second process, forked now, and sent here as
    Jinja's bytecode. A template asked for is taken as sent if it has been by then, and compiled here otherwise
    (never waited for; a template that fails to compile is compiled here, and the error is this process's). Where
    forking is not safe (another thread runs) or not possible, or templates are loaded already, nothing is forked.
    The compiled code is the same either way: the same environment, inherited, compiles the same text."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    if len(environment.cache or ()) or environment.bytecode_cache is not None or threading.active_count() > 1 or not hasattr(os, "fork"):
        yield
        return
    import fcntl  # Linux's, as fork is

    reader, writer = os.pipe()
    with suppress(OSError, AttributeError):  # room for every template, so that the second process never waits
        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # until each process is ready for a Ctrl+C
    pid = os.fork()
    if pid == 0:  # never returns
        _compile_and_send(environment, reader, writer, mask)
    os.close(writer)
    received = CompiledElsewhere(reader)
    environment.bytecode_cache = received
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        yield
    finally:
        environment.bytecode_cache = None
        received.close()
        os.kill(pid, signal.SIGKILL)  # done, or compiling templates that were not needed
        os.waitpid(pid, 0)


def _compile_and_send(environment: jinja2.Environment, reader: int, writer: int, mask: set) -> None:
    """The second process of `compiled_ahead`: each template compiled and sent as it is; then it ends, without Python's
    teardown. Ctrl+C ends it at once."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(reader)
        with os.fdopen(writer, "wb") as sending:
            for key, bytecode in compile_web_pages(environment):
                key = key.encode("ascii")
                sending.write(_HEADER.pack(len(key), len(bytecode)) + key + bytecode)
                sending.flush()
    finally:
        os._exit(0)


class CompiledElsewhere(CompiledCode):
    """The templates `compiled_ahead` by the second process, taken from its pipe when asked for if it has sent them by
    then; one not sent yet is compiled here instead of waiting for it."""

    def __init__(self, reader: int) -> None:
        super().__init__({})
        os.set_blocking(reader, False)
        self.reader = reader
        self.unread = bytearray()

    def load_bytecode(self, bucket: Bucket) -> None:
        self._receive()
        super().load_bytecode(bucket)

    def _receive(self) -> None:
        """Every template sent whole so far."""
        while self.reader >= 0:
            try:
                chunk = os.read(self.reader, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:  # the second process has ended
                self.close()
            self.unread += chunk
        while len(self.unread) >= _HEADER.size:
            key_length, length = _HEADER.unpack_from(self.unread)
            end = _HEADER.size + key_length + length
            if len(self.unread) < end:
                break
            key = self.unread[_HEADER.size:_HEADER.size + key_length].decode("ascii")
            self.code[key] = bytes(self.unread[_HEADER.size + key_length:end])
            del self.unread[:end]

    def close(self) -> None:
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1
