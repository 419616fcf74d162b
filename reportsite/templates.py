"""The Jinja environment the pages and downloads are rendered with, and its templates compiled ahead.

Compiling the templates (Jinja's parser and code generator, then Python's compiler) is about as long as
rendering the report's pages. A build in one process has them compiled by a second process (compiler.py) while it
reads and resolves the report itself, and takes them from it (`compiled_ahead`); nothing is kept between builds
outside the build's own folders.
"""

from __future__ import annotations

import os
import re
import struct
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe
from jinja2.bccache import Bucket

from .compiler import TemplatesCompiler, templates_compiled_ahead

# Where the text whose abbreviations are explained starts and ends: comments, which no content can write
# (its raw HTML is shown as text) and which `render.finish_page` takes out.
EXPLAIN_FROM, EXPLAIN_TO = "<!--rs:abbreviations-->", "<!--/rs:abbreviations-->"
# What the downloads alone use: not compiled ahead for the web pages.
DOWNLOADS_TEMPLATES = "formats/"
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
    environment.filters["abbreviation_anchor"] = _abbreviation_anchor
    environment.filters["long_date"] = lambda date: f"{date.day} {date:%B %Y}"  # 26 November 2026
    return environment


_SITE_IDS: weakref.WeakKeyDictionary[jinja2.Environment, frozenset[str]] = weakref.WeakKeyDictionary()


def site_ids(environment: jinja2.Environment) -> frozenset[str]:
    """Every id written as it is in the templates of `environment` (the build's templates folder, whichever it is):
    the site's own, which no heading of the report takes (markdown.shown_heading_id). Read once per environment."""
    found = _SITE_IDS.get(environment)
    if found is None:
        folder = Path(environment.loader.searchpath[0])
        found = _SITE_IDS[environment] = frozenset(
            written for template in sorted(folder.rglob("*")) if template.is_file()
            for written in re.findall(r'\bid="([^"{}]+)"', template.read_text(encoding="utf-8", errors="replace")))
    return found


def _abbreviation_anchor(abbreviation: str) -> str:
    from .plugins.abbreviations import abbreviation_anchor  # with markdown-it, which compiling templates does not need

    return abbreviation_anchor(abbreviation)


def mark_explained_text(value) -> markupsafe.Markup:
    """`{% filter abbreviations %}`: the text whose abbreviations `render.finish_page` explains."""
    # one copy of what may be a whole report (a one-page edition), where adding Markups made four
    return markupsafe.Markup(f"{EXPLAIN_FROM}{markupsafe.escape(value)}{EXPLAIN_TO}")


def compile_web_pages(environment: jinja2.Environment, skip: Callable[[str], bool] = lambda key: False,
                      ) -> Iterator[tuple[str, bytes]]:
    """Each of the web pages' templates compiled in turn: Jinja's key for it and its bytecode, for a `CompiledCode`
    (nothing for one that fails to compile: it is compiled again where it is used, which says what is wrong), but
    for those whose key `skip` says another process compiles."""
    keys = jinja2.BytecodeCache()  # the keys and checksums a template loaded through a bytecode cache is looked for by
    for name in environment.list_templates(filter_func=lambda name: not name.startswith(DOWNLOADS_TEMPLATES)):
        try:
            source, filename, _ = environment.loader.get_source(environment, name)
            bucket = Bucket(environment, keys.get_cache_key(name, filename), keys.get_source_checksum(source))
            if skip(bucket.key):
                continue
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
def compiled_ahead(templates_dir: Path, compiler: TemplatesCompiler | None = None) -> Iterator[None]:
    """While in this context, the web pages' templates are taken as `compiler`, a second process (by default one
    started now), has compiled them: a template asked for is taken as sent if it has been by then, and otherwise
    compiled here (never waited for), the second process being told so that it goes on to the others; one that fails
    to compile is compiled here, and the error is this process's. Where templates are loaded already, or no second
    process can be started, they are compiled here as usual. The code is the same either way: an environment made
    alike compiles the same text."""
    environment = template_environment(str(Path(templates_dir).resolve()))
    if len(environment.cache or ()) or environment.bytecode_cache is not None:
        yield
        return
    with nullcontext(compiler) if compiler is not None else templates_compiled_ahead(templates_dir) as compiler:
        if compiler is None:
            yield
            return
        environment.bytecode_cache = CompiledElsewhere(compiler)
        try:
            yield
        finally:
            environment.bytecode_cache = None


def compile_and_send(templates_dir: Path, sending: int, taken: int) -> None:
    """What the second process of `compiler.templates_compiled_ahead` does: each of the web pages' templates compiled
    and written to `sending` as it is, but those whose key the first process has written to `taken`."""
    os.set_blocking(taken, False)
    keys_taken: set[str] = set()
    unread = b""

    def taken_already(key: str) -> bool:
        nonlocal unread
        with suppress(BlockingIOError):
            unread += os.read(taken, 1 << 16)
        *keys, unread = unread.split(b"\n")
        keys_taken.update(key.decode("ascii") for key in keys)
        return key in keys_taken

    environment = template_environment(str(Path(templates_dir).resolve()))
    with os.fdopen(sending, "wb") as sent:
        for key, bytecode in compile_web_pages(environment, skip=taken_already):
            key = key.encode("ascii")
            sent.write(_HEADER.pack(len(key), len(bytecode)) + key + bytecode)
            sent.flush()


class CompiledElsewhere(CompiledCode):
    """The templates `compiled_ahead` by the second process, taken from its pipe when asked for if it has sent them by
    then; one not sent yet is compiled here instead of waiting for it, and its key sent back so that the second process
    does not compile it too."""

    def __init__(self, compiler: TemplatesCompiler) -> None:
        super().__init__({})
        os.set_blocking(compiler.compiled, False)
        os.set_blocking(compiler.taken, False)
        self.compiler = compiler
        self.sending = True  # until the second process has ended
        self.unread = bytearray()

    def load_bytecode(self, bucket: Bucket) -> None:
        self._receive()
        super().load_bytecode(bucket)
        if bucket.code is None and self.sending:
            with suppress(OSError):  # ended, or (never, at some hundred bytes) a full pipe: compiled twice then
                os.write(self.compiler.taken, bucket.key.encode("ascii") + b"\n")

    def _receive(self) -> None:
        """Every template sent whole so far."""
        while self.sending:
            try:
                chunk = os.read(self.compiler.compiled, 1 << 20)
            except BlockingIOError:
                break
            self.sending = bool(chunk)  # nothing: the second process has ended
            self.unread += chunk
        while len(self.unread) >= _HEADER.size:
            key_length, length = _HEADER.unpack_from(self.unread)
            end = _HEADER.size + key_length + length
            if len(self.unread) < end:
                break
            key = self.unread[_HEADER.size:_HEADER.size + key_length].decode("ascii")
            self.code[key] = bytes(self.unread[_HEADER.size + key_length:end])
            del self.unread[:end]
