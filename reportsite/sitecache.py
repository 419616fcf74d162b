"""The last site built, kept in the cache folder between builds: a build of unchanged sources writes it again
without parsing or rendering anything (and without importing what parsing and rendering need).

What a build writes depends on nothing but its inputs, so it is kept under a key that hashes all of them:
every file of the content, templates and static folders and of the `--static` folder laid over them (name
and bytes; the logo is in the content folder, where the build requires it), the site generator's own code,
the versions of the Python packages installed (Pagefind's among them), Python's version, the formats asked
for, and SOURCE_DATE_EPOCH. Any change to any of them is another key, and the site is built as if for the
first time; the cache never changes what is written (tests/test_site_cache.py). Only the web pages and the
search index are kept this way: the downloads depend on programs outside Python (their own cache,
formats.FormatCache, asks each program its version), so a build with downloads always runs in full.

The kept site is one file in the cache folder, written and listed through FormatCache (so through the
folder's manifest), ending with a digest of all it holds (of its index and of each file's digest, which the
process that wrote the file took as it wrote it): an entry cut short or altered is not used, and the site is
built in full and kept again. A site larger than MAX_KEPT_BYTES is not kept.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

CODE = Path(__file__).resolve().parent  # the package: every module that may change what a build writes
CACHED_FORMATS = frozenset({"html", "search"})
ENTRY = "site"  # the cache's entries are named ENTRY-key
# The largest site kept (the files' bytes together). Reading it back holds it twice in memory (the entry, then
# each file), so a larger site, such as a report of 100,000 paragraphs (about 320 MB), is built in full each time.
MAX_KEPT_BYTES = 256 * 1024 * 1024
MAX_ENTRY_BYTES = MAX_KEPT_BYTES + 16 * 1024 * 1024  # with its index of paths and sizes: a larger entry is not read
DIGEST_SIZE = 32  # bytes of SHA-256 at the end of an entry
READ_CHUNK = 1024 * 1024


# A file whose times are this close to when the key was taken may change again without changing them (a file system
# that keeps times to the second, or two seconds): checking that the sources are unchanged by their times alone is
# then not enough, and the key is taken again from their bytes.
RACY_NS = 3_000_000_000


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class SiteKey:
    """A site's key (`site_key`), with what each file read for it was like when it was read, so that a build can tell
    at the end, by the files' metadata, that its sources have not changed while it ran (`holds`)."""

    key: str
    formats: tuple[str, ...]
    folders: tuple[tuple[str, Path, str], ...]  # (name, folder, suffix of the files read)
    files: tuple[tuple[str, tuple[int, ...]], ...]  # each file's path and (device, inode, size, mtime, ctime)
    packages: tuple[str, ...]
    taken: int  # time.time_ns() before the first file was read

    def holds(self) -> bool:
        """Whether the sources are still those the key was taken from: told by their metadata (`unchanged_since`), or
        where that cannot tell, by taking the key again from their bytes."""
        if unchanged_since(self):
            return True
        again = _key_of(self.formats, self.folders)
        return again is not None and again.key == self.key


def site_key(content: Path, templates: Path, static: Path, formats: tuple[str, ...], code: Path = CODE,
             static_overrides: Path | None = None) -> str | None:
    """The key of what a build of these sources writes; None if it is not kept (downloads asked for, or a file
    that is not an ordinary file or cannot be read, or a folder that is a symbolic link)."""
    found = site_key_of(content, templates, static, formats, code, static_overrides)
    return found and found.key


def site_key_of(content: Path, templates: Path, static: Path, formats: tuple[str, ...], code: Path = CODE,
                static_overrides: Path | None = None) -> SiteKey | None:
    """`site_key`, with what its files were like when read (a SiteKey)."""
    folders = [("content", Path(content), ""), ("templates", Path(templates), ""), ("static", Path(static), ""),
               ("code", Path(code), ".py")]
    if static_overrides is not None:
        folders.append(("static overrides", Path(static_overrides), ""))
    return _key_of(tuple(formats), tuple(folders))


def _key_of(formats: tuple[str, ...], folders: tuple[tuple[str, Path, str], ...]) -> SiteKey | None:
    if not formats or not set(formats) <= CACHED_FORMATS:
        return None
    taken = time.time_ns()
    digest = hashlib.sha256()
    packages = tuple(installed_packages())
    for value in (sys.version, ",".join(formats), os.environ.get("SOURCE_DATE_EPOCH", ""), *packages):
        digest.update(value.encode("utf-8", "surrogateescape") + b"\0")
    files: list[tuple[str, tuple[int, ...]]] = []
    try:
        for name, folder, suffix in folders:
            digest.update(name.encode() + b"\0")
            for relative, path in _files(folder, suffix):
                digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
                files.append((path, _identity(add_file(digest, path))))
            digest.update(b"\1")
    except OSError:
        return None
    return SiteKey(digest.hexdigest()[:32], formats, folders, tuple(files), packages, taken)


def unchanged_since(found: SiteKey) -> bool:
    """Whether every file `found` was taken from is still there, the same file of the same size and times, and no other
    has come: the sources have not changed since, told in a few milliseconds where reading them again takes tens
    (a file's times change whenever it is written: its change time even when its modification time is set back).
    False if any has changed, or could have without its times showing it (RACY_NS): then take the key again."""
    racy = found.taken - RACY_NS
    if any(max(identity[3], identity[4]) >= racy for _, identity in found.files):
        return False
    try:
        files = [(path, _identity(os.stat(path))) for _, folder, suffix in found.folders for _, path in _files(folder, suffix)]
    except OSError:
        return False
    return tuple(files) == found.files and tuple(installed_packages()) == found.packages


def _identity(found: os.stat_result) -> tuple[int, ...]:
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _files(folder: Path, suffix: str) -> Iterator[tuple[str, str]]:
    """Every file under `folder` ending in `suffix`, by its path in the folder and its path, in a fixed order.
    A folder inside that is a symbolic link (which may lead outside, to a folder read twice, or back to itself)
    raises OSError, as does anything but an ordinary file when read (`add_file`): such a site is not kept, and the
    build itself names or refuses what it must. Files are read a piece at a time: memory stays bounded."""
    if not os.path.isdir(folder):
        raise NotADirectoryError(folder)
    for here, folders, files in os.walk(folder, onerror=_raise):
        linked = [name for name in folders if os.path.islink(os.path.join(here, name))]
        if linked:
            raise OSError(f"{os.path.join(here, linked[0])} is a symbolic link to a folder")
        folders.sort()
        for name in sorted(files):
            if name.endswith(suffix):
                path = os.path.join(here, name)
                yield os.path.relpath(path, folder), path


def add_file(digest, path: str) -> os.stat_result:
    """The file's size and bytes; anything but an ordinary file (a named pipe, a device) raises OSError unread.
    Returns what the file was like as it was read."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(f"{path} is not an ordinary file")
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))  # a file object costs more than reading
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            raise OSError(f"{path} is not an ordinary file")
        digest.update(found.st_size.to_bytes(8, "big"))
        while chunk := os.read(handle, READ_CHUNK):
            digest.update(chunk)
    finally:
        os.close(handle)
    return found


def _raise(error: OSError) -> None:
    raise error


def installed_packages() -> list[str]:
    """The name and version of every package installed beside the site generator's libraries (their folders'
    names say both): upgrading Jinja or markdown-it-py, or installing Pagefind, makes another key."""
    found = []
    for folder in sys.path:
        if folder.endswith("-packages") and os.path.isdir(folder):
            found += sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
    return found


def pack(sizes: Mapping[str, int], digests: Mapping[str, bytes], folder: Path) -> Iterator[bytes | Path]:
    """The files written into `folder`, of these sizes and SHA-256 digests (taken as they were written), as one piece in
    chunks: a line per file ('size path'), a blank line, each file's bytes in that order (each given as its path, for
    the cache to copy without reading it here), then the SHA-256 digest of the index and of the files' digests."""
    digest = hashlib.sha256()
    index = "".join(f"{size} {path}\n" for path, size in sizes.items()).encode("utf-8", "surrogateescape") + b"\n"
    digest.update(index)
    yield index
    for path in sizes:
        digest.update(digests[path])
        yield Path(folder) / path
    yield digest.digest()


def unpack(data: bytes) -> dict[str, bytes] | None:
    """The files of `pack`, or None if `data` is not such a piece, whole and unaltered."""
    body = memoryview(data)[:-DIGEST_SIZE]
    if len(data) <= DIGEST_SIZE:
        return None
    end = data.find(b"\n\n", 0, len(body))
    if end < 0:
        return None
    files, offset = {}, end + 2
    digest = hashlib.sha256(body[:offset])
    try:
        for line in data[:end].decode("utf-8", "surrogateescape").split("\n"):
            size, path = line.split(" ", 1)
            if int(size) < 0 or offset + int(size) > len(body):
                return None
            digest.update(hashlib.sha256(body[offset:offset + int(size)]).digest())
            files[path] = data[offset:offset + int(size)]
            offset += int(size)
    except ValueError:
        return None
    return files if offset == len(body) and digest.digest() == data[-DIGEST_SIZE:] else None
