"""Write the built files: into a temporary folder first, then swapped in whole."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

# The stylesheets bundled into one file, in cascade order; print.css stays apart.
STYLESHEETS = ("base.css", "layout.css", "components.css")
# The scripts every page runs, bundled into one file, run before the page is shown (the reader's text size
# applies from the start): several small files compress less well than one, which keeps each page within one
# round trip. Each waits for the page where it needs it.
SCRIPTS = ("reading-preferences.js", "abbreviations.js", "copy-link.js")
# A comment in a stylesheet, or a quoted string (kept whole, so that '/*' in a string is not taken for a comment).
CSS_COMMENT_OR_STRING = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|/\*.*?\*/""", re.S)


def collect_static(static_dir: Path) -> dict[str, bytes]:
    """Every static file by its path in the site, with the screen stylesheets bundled as site.css and the
    scripts every page runs as site.js.

    Stylesheets and scripts are served without their comments and indentation, which are for the people
    who edit them: that is a quarter of what a browser would download, and keeps each page within one
    round trip."""
    static_dir = Path(static_dir)
    files: dict[str, bytes] = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            relative = path.relative_to(static_dir).as_posix()
            if (relative.startswith("css/") and path.name in STYLESHEETS) or (relative.startswith("js/") and path.name in SCRIPTS):
                continue
            data = path.read_bytes()
            served = {".css": without_comments, ".js": without_script_comments}.get(path.suffix)
            files[f"static/{relative}"] = served(data) if served else data
    bundle = [(static_dir / "css" / name) for name in STYLESHEETS]
    files["static/css/site.css"] = b"".join(without_comments(path.read_bytes()) for path in bundle if path.exists())
    scripts = [(static_dir / "js" / name) for name in SCRIPTS]
    files["static/js/site.js"] = b"".join(without_script_comments(path.read_bytes()) for path in scripts if path.exists())
    return files


def without_comments(stylesheet: bytes) -> bytes:
    """A stylesheet without its comments, its indentation and the blank lines they leave."""
    text = CSS_COMMENT_OR_STRING.sub(lambda match: match.group(1) or "", stylesheet.decode("utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def without_script_comments(script: bytes) -> bytes:
    """A script without the comments that fill whole lines, its indentation and blank lines. A line of a
    string can start with '/*' only in a template literal: a script that has one is served as it is."""
    text = script.decode("utf-8")
    if "`" in text:
        return script
    kept, in_comment = [], False
    for line in (line.strip() for line in text.splitlines()):
        if in_comment or line.startswith("/*"):
            in_comment = "*/" not in line
            line = "" if in_comment else line.split("*/", 1)[1].strip()  # any code after the comment is kept
        if line and not line.startswith("//"):
            kept.append(line)
    return ("\n".join(kept) + "\n").encode("utf-8")


def write_site(files: dict[str, bytes], out_dir: Path) -> None:
    """Write `files` to a fresh folder beside `out_dir`, then put it in `out_dir`'s place.

    If anything fails before the swap, the previous site is left exactly as it was.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-build-", dir=out_dir.parent))
    try:
        for path, data in sorted(files.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        swap_in(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def write_changes(files: dict[str, bytes], previous: dict[str, bytes], out_dir: Path) -> list[str]:
    """Bring `out_dir` from `previous` to `files`: write only the files whose bytes differ, and delete
    those no longer built. Each file is written beside its place and renamed over it, so a page is
    never seen half-written. Returns the paths written or deleted."""
    out_dir = Path(out_dir)
    changed = sorted(path for path, data in files.items() if previous.get(path) != data)
    for path in changed:
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(files[path])
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    removed = sorted(set(previous) - set(files))
    for path in removed:
        (out_dir / path).unlink(missing_ok=True)
        for folder in (out_dir / path).parents:  # folders left empty, as a cold build would not make them
            if folder == out_dir or not folder.is_relative_to(out_dir) or any(folder.iterdir()):
                break
            folder.rmdir()
    return changed + removed


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace `out_dir` with `new_dir` by renames, so no half-written site is ever in place."""
    if not out_dir.exists():
        new_dir.rename(out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    new_dir.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
