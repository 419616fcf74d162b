"""`build.py import SOURCE --content DIR [--verify]`: what the editor sees."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from . import SourceError, import_report, verify_import
from .write_content import IMPORT_REPORT


def run_import(source: Path | None, content_dir: Path, verify: bool, debug: bool = False, update: bool = False) -> int:
    """Import (or with `verify`, only check) and print what happened; 0 on success, 1 otherwise."""
    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if source is None:
        print("build.py import: name the report to import, e.g. build.py import report.pdf --content my-report",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        if verify:
            missing = verify_import(source, content_dir, progress)
        else:
            result = import_report(source, content_dir, progress, update=update)
            missing = result.missing
            report = result.report
            numbered = sum(p.kind == "numbered" for part in report.parts for p in part.paragraphs)
            print(f"Imported {Path(source).name} into {content_dir}: {len(report.parts)} parts, {numbered} numbered "
                  f"paragraphs; {len(report.left_out)} pieces left out and {len(report.changes)} changes of layout, "
                  f"each listed in {Path(content_dir) / IMPORT_REPORT} ({time.perf_counter() - started:.1f} s).")
            if result.update is not None:
                for path in result.update.kept:
                    print(f"{path}: left as the editors wrote it.")
                for path in result.update.removed:
                    print(f"{path}: removed: the import no longer makes it, and nobody had changed it.")
    except SourceError as error:
        if debug:
            raise
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        if debug:
            raise
        print(f"{error.filename or source}: {error.strerror or error}. Check the file and the folder; nothing was written.",
              file=sys.stderr)
        return 1
    for line in missing:
        print(line, file=sys.stderr)
    if missing:
        print(f"{len(missing)} lines of the source have words that are not in the content. Put them back, or list "
              f"them in {IMPORT_REPORT} with why they were left out.", file=sys.stderr)
        return 1
    if verify:
        print(f"Every word of {Path(source).name} is in {content_dir} or in its {IMPORT_REPORT}.")
    return 0
