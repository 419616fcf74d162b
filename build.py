#!/usr/bin/env python3
"""Build the report website.

  python build.py              build the site into site/
  python build.py check        check the content without writing anything
  python build.py serve        build, serve on 127.0.0.1 and rebuild on every change
  python build.py new DIR      write a small report to start from into the new folder DIR
  python build.py import SOURCE --content DIR
                               make a content folder from a report in .pdf, .docx or .txt
  python build.py import SOURCE --content DIR --update
                               import again, keeping the editors' work (docs/importing.md)
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys
import threading
import time
from pathlib import Path

STOPPED = "build.py: stopped by Ctrl+C before the build finished; the site was not changed."

# Importing makes some hundred thousand objects (modules, functions, classes) that live as long as the
# process: the cyclic garbage collector would go through them several times while they are made (a tenth
# of the imports' time), and again at every collection after. So none while importing, and then none of
# them looked at again.
gc.disable()
try:
    from reportsite.build import FORMATS, Sources, build, check
    from reportsite.errors import BuildError
    from reportsite.folders import FolderRefused
    from reportsite.formats import print_progress
except KeyboardInterrupt:  # Ctrl+C while starting: nothing was begun
    print(STOPPED, file=sys.stderr)
    sys.exit(130)
gc.freeze()
gc.enable()

ROOT = Path(__file__).resolve().parent


class CommandLine(argparse.ArgumentParser):
    def error(self, message: str):
        """A mistake on the command line: one line saying what, and where to find the options; exit status 1."""
        self.exit(1, f"{self.prog}: {message}. See 'python build.py --help'.\n")


def port_number(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"--port {text} is not a port number: give a number from 1 to 65535 "
                                         "(or 0 for any free port)")
    return int(text)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = CommandLine(prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=("build", "check", "serve", "new", "import"),
                        help="what to do (default: build)")
    parser.add_argument("source", nargs="?", type=Path, help="new: the folder to write (or --content DIR); import: the report to import (.pdf, .docx or .txt)")
    parser.add_argument("--update", action="store_true",
                        help="import: import again into --content, keeping the editors' work (see docs/importing.md)")
    parser.add_argument("--verify", action="store_true",
                        help="import: only check that every word of SOURCE is in --content or its import report")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the report's content folder (default: content/)")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates", help="the Jinja templates folder (default: templates/)")
    parser.add_argument("--static", type=Path, default=None,
                        help="a folder of static files that take the place of static/'s files of the same path "
                             "(css/base.css, js/search.js...); other files are added")
    parser.add_argument("--out", type=Path, default=ROOT / "site",
                        help="where to write the site (default: site/); replaced whole by each build, so it must be "
                             "absent, empty, or a site built here")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated formats to build (default: all: %(default)s)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="where to keep the downloads, and the last site built, between builds: each is made "
                             "again only when what it is made from changes; delete the folder to start afresh "
                             "(default: .NAME-cache beside the --out folder NAME)")
    parser.add_argument("--workers", type=int, default=None,
                        help="how many processes parse and render the web pages (default: one per core for a large report)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=port_number, default=8000, help="serve: port (default: 8000)")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    except SystemExit as done:
        return done.code or 0
    if arguments.command == "new":
        from reportsite.scaffold import run_new
        return run_new(arguments.source or arguments.content)
    if arguments.command == "import":
        from reportsite.importer.command import run_import
        return run_import(arguments.source, arguments.content, arguments.verify, arguments.debug, arguments.update)
    sources = Sources(content=arguments.content, templates=arguments.templates, static=ROOT / "static",
                      static_overrides=arguments.static)
    formats = tuple(f.strip() for f in arguments.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if not formats:
        print(f"build.py: --formats names no format; name one or more of {', '.join(FORMATS)}.", file=sys.stderr)
        return 1
    if unknown:
        print(f"build.py: unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}.", file=sys.stderr)
        return 1
    try:
        if arguments.command == "check":
            result = check(sources, workers=arguments.workers)
            print(f"The content is valid: {len(result.site.paragraphs)} paragraphs, {len(result.site.citations)} citations, {len(result.pages)} pages.")
        elif arguments.command == "serve":
            from reportsite.serve import serve
            return serve(sources, arguments.out, host=arguments.host, port=arguments.port, formats=formats,
                         cache_dir=arguments.cache)
        else:
            started = time.perf_counter()
            result = build(sources, arguments.out, formats, progress=print_progress, cache_dir=arguments.cache,
                           workers=arguments.workers, reuse_unchanged=True)
            for skipped in result.skipped:
                print(skipped, file=sys.stderr)
            made = "".join(f", {download.format.label} ({download.size_text})" for download in result.downloads)
            print(f"Built {len(result.pages)} pages{made} into {arguments.out} in {time.perf_counter() - started:.2f} s.")
    except KeyboardInterrupt:
        if arguments.debug:
            raise
        print(STOPPED, file=sys.stderr)
        return 130
    except FolderRefused as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        if arguments.debug:
            raise
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except OSError as error:
        if arguments.debug:
            raise
        print(f"build.py: {error.filename or arguments.out}: {error.strerror or error}. Check that the folder exists "
              "and can be written; nothing was changed.", file=sys.stderr)
        return 1
    return 0


def exit_at_once(status: int) -> None:
    """End the process without Python's teardown, which would free every object the build made one at a time (a
    thirtieth of a small report's build, more for a large one) where the system frees the process's memory at once.
    What is registered to run at exit still runs; only when nothing else runs in the process (no other thread, no
    child process) and nothing watches it (a profiler or a coverage tracer writes its figures after the script)."""
    multiprocessing = sys.modules.get("multiprocessing")
    if (threading.active_count() > 1 or (multiprocessing is not None and multiprocessing.active_children())
            or sys.getprofile() is not None or sys.gettrace() is not None):
        sys.exit(status)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or file: Python's teardown says so
        sys.exit(status)
    os._exit(status)


if __name__ == "__main__":
    exit_at_once(main())
