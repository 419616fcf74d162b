"""`build.py new DIR`: a new content folder holding a small report that builds and passes every check.

The report is the folder `starter/` beside this module, copied as it is: each of its files says, in
comments the build never publishes, what to change.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter"


class FolderNotEmpty(Exception):
    """The folder `new` was asked to write into already holds something."""


def starter_files() -> list[Path]:
    """The starter report's files, relative to its folder, in a stable order."""
    return sorted(path.relative_to(STARTER) for path in STARTER.rglob("*") if path.is_file())


def new_report(content_dir: Path) -> list[Path]:
    """Write the starter report into `content_dir`, a new or empty folder: whole, or not at all."""
    content_dir = Path(content_dir)
    if content_dir.exists() and (not content_dir.is_dir() or any(content_dir.iterdir())):
        raise FolderNotEmpty(f"{content_dir}: the folder is not empty. Name a new folder, e.g. "
                             f"'python build.py new my-report', so that nothing is overwritten; nothing was written.")
    content_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{content_dir.name}-new-", dir=content_dir.parent))
    try:
        for name in starter_files():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(STARTER / name, staging / name)
        os.chmod(staging, 0o755)
        if content_dir.exists():
            content_dir.rmdir()  # empty: checked above
        staging.rename(content_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [content_dir / name for name in starter_files()]


def run_new(content_dir: Path) -> int:
    """Write a new report and say what to do next; 0 on success, 1 (one line, nothing written) otherwise."""
    try:
        files = new_report(content_dir)
    except FolderNotEmpty as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{error.filename or content_dir}: {error.strerror or error}. Check that the folder can be written; "
              "nothing was written.", file=sys.stderr)
        return 1
    folder = shlex.quote(str(content_dir))
    print(f"Wrote a new report into {content_dir}: {', '.join(str(path.relative_to(content_dir)) for path in files)}.\n"
          f"Each file says what to change. Next:\n"
          f"  python build.py --content {folder} check    check it\n"
          f"  python build.py --content {folder} serve    preview it on http://127.0.0.1:8000/, rebuilt on every save\n"
          f"  python build.py --content {folder}          build the site into site/")
    return 0
