"""The second process of a build in one process: it compiles the web pages' templates while the build imports the
parser and reads and resolves the report, and sends them as Jinja's bytecode (templates.compiled_ahead takes them).

Compiling the templates (Jinja's parser and code generator, then Python's compiler) is about as long as everything
else the build does before it renders the pages, and nothing compiled is kept between builds outside the build's own
folders. The process is forked once the build knows it has pages to render (not for one that writes the site kept
from the last build), with Jinja imported and before the parser is: both processes need the one, only this one the
other.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

PIPE_SIZE = 1 << 20  # the most Linux allows by default (/proc/sys/fs/pipe-max-size); the report's templates: 0.2 MB


@dataclass(eq=False)
class TemplatesCompiler:
    """The second process, and the ends of its two pipes that this process holds."""

    pid: int
    compiled: int  # read: each template's key and bytecode, as the second process compiles them
    taken: int  # write: the keys of templates this process compiled itself, one a line, for the other to pass by


@contextmanager
def templates_compiled_ahead(templates_dir: Path) -> Iterator[TemplatesCompiler | None]:
    """While in this context, a second process, forked now, compiles the web pages' templates in `templates_dir` and
    sends them; the context gives it (or None where forking is not safe, another thread running, or not possible),
    and ends it: done, or compiling templates that were not needed."""
    if threading.active_count() > 1 or not hasattr(os, "fork"):
        yield None
        return
    import fcntl  # Linux's, as fork is

    from . import templates  # noqa: F401 - Jinja, imported once for both processes
    compiled_reader, compiled_writer = os.pipe()
    taken_reader, taken_writer = os.pipe()
    with suppress(OSError):  # room for every template, so that the second process never waits
        fcntl.fcntl(compiled_writer, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # until each process is ready for a Ctrl+C
    pid = os.fork()
    if pid == 0:  # never returns
        _compile(Path(templates_dir), compiled_writer, taken_reader, mask, (compiled_reader, taken_writer))
    os.close(compiled_writer)
    os.close(taken_reader)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        yield TemplatesCompiler(pid, compiled_reader, taken_writer)
    finally:
        os.close(compiled_reader)
        os.close(taken_writer)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _compile(templates_dir: Path, compiled: int, taken: int, mask: set, others: tuple[int, ...]) -> None:
    """The second process: it compiles and sends, then ends without Python's teardown. Ctrl+C ends it at once."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for end in others:
            os.close(end)
        from .templates import compile_and_send

        compile_and_send(templates_dir, compiled, taken)
    finally:
        os._exit(0)
