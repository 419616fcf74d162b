"""The last site built, kept in the cache folder between builds: a build of unchanged sources writes it again
without parsing or rendering anything (and without importing what parsing and rendering need).

What a build writes depends on nothing but its inputs, so it is kept under a key that hashes all of them:
every file of the content, templates and static folders (name and bytes), the site generator's own code,
the versions of the Python packages installed, Python's version, the formats asked for, and
SOURCE_DATE_EPOCH. Any change to any of them is another key, and the site is built as if for the first
time; the cache never changes what is written (tests/test_site_cache.py). Only the web pages and the
search index are kept this way: the downloads depend on programs outside Python (their own cache,
formats.FormatCache, asks each program its version), so a build with downloads always runs in full.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

CODE = Path(__file__).resolve().parent  # the package: every module that may change what a build writes
CACHED_FORMATS = frozenset({"html", "search"})
ENTRY = "site"  # the cache's entries are named ENTRY-key


def site_key(content: Path, templates: Path, static: Path, formats: tuple[str, ...], code: Path = CODE) -> str | None:
    """The key of what a build of these sources writes; None if it is not kept (downloads asked for, or a
    file that cannot be read, which the build itself will name)."""
    if not formats or not set(formats) <= CACHED_FORMATS:
        return None
    digest = hashlib.sha256()
    for value in (sys.version, ",".join(formats), os.environ.get("SOURCE_DATE_EPOCH", ""), *installed_packages()):
        digest.update(value.encode("utf-8", "surrogateescape") + b"\0")
    try:
        for name, folder in (("content", content), ("templates", templates), ("static", static), ("code", code)):
            digest.update(name.encode() + b"\0")
            add_folder(digest, Path(folder), suffix=".py" if name == "code" else "")
    except OSError:
        return None
    return digest.hexdigest()[:32]


def add_folder(digest, folder: Path, suffix: str = "") -> None:
    """Every file under `folder` (ending in `suffix`), by its path in the folder and its bytes, in a fixed order.
    Folders that are symbolic links are followed, as the build follows them; one that leads back to a folder
    already seen raises OSError (such a site is not kept)."""
    seen: set[tuple[int, int]] = set()
    for root, folders, files in os.walk(folder, onerror=_raise, followlinks=True):
        found = os.stat(root)
        if (found.st_dev, found.st_ino) in seen:
            raise OSError(f"{root} leads back to a folder already read")
        seen.add((found.st_dev, found.st_ino))
        folders.sort()
        for name in sorted(files):
            if name.endswith(suffix):
                path = os.path.join(root, name)
                data = Path(path).read_bytes()
                digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
                digest.update(len(data).to_bytes(8, "big") + data)
    digest.update(b"\1")


def _raise(error: OSError) -> None:
    raise error


def installed_packages() -> list[str]:
    """The name and version of every package installed beside the site generator's libraries (their folders'
    names say both): upgrading Jinja or markdown-it-py makes another key."""
    found = []
    for folder in sys.path:
        if folder.endswith("-packages") and os.path.isdir(folder):
            found += sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
    return found


def pack(files: dict[str, bytes]) -> bytes:
    """The files as one piece: a line per file ('size path'), a blank line, then their bytes in that order."""
    index = "".join(f"{len(data)} {path}\n" for path, data in files.items())
    return index.encode("utf-8", "surrogateescape") + b"\n" + b"".join(files.values())


def unpack(data: bytes) -> dict[str, bytes] | None:
    """The files of `pack`, or None if `data` is not such a piece whole."""
    end = data.find(b"\n\n")
    if end < 0:
        return None
    files, offset = {}, end + 2
    try:
        for line in data[:end].decode("utf-8", "surrogateescape").split("\n"):
            size, path = line.split(" ", 1)
            files[path] = data[offset:offset + int(size)]
            offset += int(size)
    except ValueError:
        return None
    return files if offset == len(data) else None
