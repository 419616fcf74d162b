"""Write the built files: into a folder beside the output folder, each as soon as it is made (`Staging`), then
exchanged with it in one step.

At every instant the output folder is the whole previous site or the whole new one. On Linux the
exchange is one `renameat2(RENAME_EXCHANGE)` call. Where that call does not exist (other systems,
or a file system that does not support it), the old site is renamed aside and the new one renamed
into its place: two renames, between which the output folder is briefly absent, never half-written.

What a killed build leaves beside the output folder (`.NAME-reportsite-*`, each holding the
marker) is removed by the next build. Every path written is checked to stay inside the site.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .errors import BuildError, Problem, display_path
from .folders import SITE_MARKER, check_output_folder, manifest_text

# The stylesheets bundled into one file, in cascade order; print.css stays apart.
STYLESHEETS = ("base.css", "layout.css", "components.css")
# The scripts every page runs, bundled into one file, run before the page is shown (the reader's text size
# applies from the start): several small files compress less well than one, which keeps each page within one
# round trip. Each waits for the page where it needs it.
SCRIPTS = ("reading-preferences.js", "abbreviations.js", "copy-link.js")
# A comment in a stylesheet, or a quoted string (kept whole, so that '/*' in a string is not taken for a comment).
CSS_COMMENT_OR_STRING = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|/\*.*?\*/""", re.S)
LEFTOVER = "-reportsite-"  # in the name of the folders beside the output folder: `.site-reportsite-x1y2`
RESTORE_STATIC = "Restore it from the site generator's repository (git checkout static)."


def collect_static(static_dir: Path) -> dict[str, bytes]:
    """Every static file by its path in the site, with the screen stylesheets bundled as site.css and the
    scripts every page runs as site.js.

    Stylesheets and scripts are served without their comments and indentation, which are for the people
    who edit them: that is a quarter of what a browser would download, and keeps each page within one
    round trip. A missing static folder or stylesheet is a problem, never a site without its styles."""
    static_dir = Path(static_dir)
    if not static_dir.is_dir():
        raise BuildError([Problem(display_path(static_dir), 0, "the static folder (the site's stylesheets and scripts) "
                                  "does not exist.", RESTORE_STATIC)])
    bundle = [static_dir / "css" / name for name in STYLESHEETS]
    problems = [Problem(display_path(path), 1, "this stylesheet is missing, so the site would have no styles.", RESTORE_STATIC)
                for path in bundle if not path.is_file()]
    files: dict[str, bytes] = {}
    for path in sorted(static_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            relative = path.relative_to(static_dir).as_posix()
            if not path.resolve().is_relative_to(static_dir.resolve()):
                problems.append(Problem(display_path(path), 1, "this links to a file outside the static folder, "
                                        "which the site must not publish.", "Copy the file into the static folder instead."))
            elif not ((relative.startswith("css/") and path.name in STYLESHEETS) or (relative.startswith("js/") and path.name in SCRIPTS)):
                data = path.read_bytes()
                served = {".css": without_comments, ".js": without_script_comments}.get(path.suffix)
                files[f"static/{relative}"] = served(data) if served else data
    if problems:
        raise BuildError(problems)
    files["static/css/site.css"] = b"".join(without_comments(path.read_bytes()) for path in bundle)
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


def write_site(files: dict[str, bytes], out_dir: Path, previous: dict[str, bytes] | None = None,
               discard: Callable[[Path], None] | None = None, *, compare: bool = False) -> list[str]:
    """Put a site of `files` in place of `out_dir` in one step; return the paths that differ from `previous`.

    `previous` is what the last build of a serve session wrote there: files whose bytes have
    not changed are hard-linked from it rather than written again. If anything fails before the
    exchange, `out_dir` is left exactly as it was. The old site is then removed, or handed to
    `discard` to remove (serve removes it in the background).
    """
    check_site_paths(files, out_dir)
    with Staging(out_dir, clean_up=previous is None, discard=discard) as staging:
        staging.list(files)  # from here, `out_dir` is a site a build wrote, and no other build writes beside it
        for path, data in sorted(files.items()):
            there = Path(out_dir) / path
            if previous is not None:
                same = previous.get(path) == data
            else:
                same = compare and regular_file_bytes(there, len(data)) == data
            if not same or not staging.link(there, path, len(data)):
                staging[path] = data
        staging.publish()
    previous = previous or {}
    return sorted(path for path, data in files.items() if previous.get(path) != data) + sorted(set(previous) - set(files))


class Staging(Mapping):
    """A new site written file by file into a folder beside `out_dir`, then put in its place in one step (`publish`),
    so that a build need not hold every page until the end: what it renders is written at once.

    Nothing is touched before the first file. Then, holding the lock beside `out_dir` until it is published, the
    folder is made, and each file is listed in its marker before it is written (here or by another process, see
    `list`), so that what a killed build leaves is the next build's to remove (`remove_leftovers`). Used as a
    context manager: a build that fails leaves `out_dir` as it was, and the folder is removed.
    As a mapping, the files written, read back from the folder (from `out_dir` once published).
    """

    def __init__(self, out_dir: Path, clean_up: bool = True, discard: Callable[[Path], None] | None = None,
                 digests: bool = False) -> None:
        self.out_dir, self.clean_up, self.discard = Path(out_dir), clean_up, discard
        self.folder: Path | None = None
        self.published = False
        self._written = FolderWriter(Path(), digests)  # into self.folder, once it is made
        self._listed: set[str] = set()
        self._marker: int | None = None
        self._held = ExitStack()

    @property
    def sizes(self) -> dict[str, int]:
        """By path: the size of each file written."""
        return self._written.sizes

    @property
    def digests(self) -> dict[str, bytes] | None:
        """With `digests`, by path: the SHA-256 digest of each file written, taken as it was written (sitecache.pack)."""
        return self._written.digests

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exception) -> None:
        try:
            if self._marker is not None:
                os.close(self._marker)
                self._marker = None
            if self.folder is not None and not self.published:
                remove_quietly(self.folder)
        finally:
            self._held.close()

    def list(self, paths) -> Path:
        """List `paths` in the marker before any of them is written, and return the folder they are written into."""
        paths = sorted(set(paths) - self._listed)
        check_site_paths(paths, self.out_dir)
        if self.folder is None:
            self._begin()
        os.write(self._marker, "".join(f"{path}\n" for path in paths).encode("utf-8"))
        self._listed.update(paths)
        return self.folder

    def __setitem__(self, path: str, data: bytes) -> None:
        if path not in self._listed:
            self.list([path])
        self._written[path] = data

    def write_pieces(self, path: str, pieces: Iterable[bytes]) -> None:
        """Write the file `path` a piece at a time, as each piece comes."""
        if path not in self._listed:
            self.list([path])
        self._written.write_pieces(path, pieces)

    def link(self, source: Path, path: str, size: int) -> bool:
        """Hard-link `source` (a regular file of `size` bytes) as the file `path`; False if it cannot be (or if the
        files' digests are taken: it is not read)."""
        if path not in self._listed:
            self.list([path])
        return self._written.link(source, path, size)

    def update(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            self[path] = data

    def written_elsewhere(self, sizes: dict[str, int], digests: dict[str, bytes] | None = None) -> None:
        """Files listed with `list` and written into the folder by another process (a worker, a FolderWriter): their
        sizes, and their digests if it took them."""
        self._written.sizes.update(sizes)
        if self._written.digests is not None:
            if digests is None or not set(sizes) <= set(digests):
                raise ValueError("the files written elsewhere come without their digests")
            self._written.digests.update(digests)

    def publish(self) -> None:
        """Put the folder in place of `out_dir` in one step, its marker listing exactly the files written."""
        if self.folder is None:
            self.list([])
        marker = manifest_text(SITE_MARKER, self.sizes)
        os.pwrite(self._marker, marker, 0)  # the same paths, in order: as long as what it replaces
        os.ftruncate(self._marker, len(marker))
        os.close(self._marker)
        self._marker = None
        os.chmod(self.folder, 0o755)
        with ctrl_c_held():
            old = exchange(self.folder, self.out_dir)
            self.published = True
            if self.discard is None:
                remove_quietly(old)
        self._held.close()  # the lock: what follows needs it no more
        if self.discard is not None and old is not None:
            self.discard(old)

    def _begin(self) -> None:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._held.enter_context(folder_locked(self.out_dir.parent))
        check_output_folder(self.out_dir)
        if self.clean_up:  # a session's later builds leave this to its first: what they replace is being removed
            remove_leftovers(self.out_dir)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}{LEFTOVER}", dir=self.out_dir.parent))
        self._written.folder = self.folder
        self._marker = os.open(self.folder / SITE_MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(self._marker, manifest_text(SITE_MARKER, ()))

    def __getitem__(self, path: str) -> bytes:
        if path not in self.sizes:
            raise KeyError(path)
        return ((self.out_dir if self.published else self.folder) / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.sizes)

    def __len__(self) -> int:
        return len(self.sizes)


class Sizes:
    """The files a check makes (build.check), as the size of each by path: each let go as soon as it is made, so that a
    check holds no more of the site at once than a build that writes it. Filled as a Staging is: a file put, written a
    piece at a time, or made by a worker process (`written_elsewhere`)."""

    digests = None

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}

    def __setitem__(self, path: str, data: bytes) -> None:
        self.sizes[path] = len(data)

    def write_pieces(self, path: str, pieces: Iterable[bytes]) -> None:
        self.sizes[path] = sum(len(piece) for piece in pieces)

    def update(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            self[path] = data

    def written_elsewhere(self, sizes: dict[str, int], digests: dict[str, bytes] | None = None) -> None:
        self.sizes.update(sizes)

    def __contains__(self, path: object) -> bool:
        return path in self.sizes

    def __iter__(self) -> Iterator[str]:
        return iter(self.sizes)

    def __len__(self) -> int:
        return len(self.sizes)


class FolderWriter:
    """Files written into a folder, as `put_page` writes them (a Staging's, or a worker's share of a Staging's folder,
    which the Staging lists in its marker): by path, their sizes, and with `digests`, their SHA-256 digests, taken as
    they are written, by the process that writes them (for the kept site, sitecache.pack)."""

    def __init__(self, folder: Path, digests: bool = False) -> None:
        self.folder = Path(folder)
        self.sizes: dict[str, int] = {}
        self.digests: dict[str, bytes] | None = {} if digests else None
        self._folders = {"."}

    def __setitem__(self, path: str, data: bytes) -> None:
        self._folders = write_into(self.folder, path, data, self._folders)
        self.sizes[path] = len(data)
        if self.digests is not None:
            self.digests[path] = hashlib.sha256(data).digest()

    def write_pieces(self, path: str, pieces: Iterable[bytes]) -> None:
        """Write the file `path` a piece at a time, as each piece comes."""
        self._folders = make_folders(self.folder, path, self._folders)
        digest = hashlib.sha256() if self.digests is not None else None
        size = 0
        with open(self.folder / path, "wb") as file:
            for piece in pieces:
                file.write(piece)
                size += len(piece)
                if digest is not None:
                    digest.update(piece)
        self.sizes[path] = size
        if digest is not None:
            self.digests[path] = digest.digest()

    def link(self, source: Path, path: str, size: int) -> bool:
        """Hard-link `source` (a regular file of `size` bytes) as the file `path`; False if it cannot be, or if digests
        are taken (the file is not read)."""
        self._folders = make_folders(self.folder, path, self._folders)
        if self.digests is not None or not linked(source, self.folder / path, size):
            return False
        self.sizes[path] = size
        return True


def write_into(folder: Path, path: str, data: bytes, made: set[str] | None = None) -> set[str]:
    """Write the file `path` (checked by `check_site_paths`) into `folder`, making its folders unless in `made`;
    returns the folders made so far."""
    made = make_folders(folder, path, made)
    (folder / path).write_bytes(data)
    return made


def make_folders(folder: Path, path: str, made: set[str] | None = None) -> set[str]:
    """Make the folders of the file `path` inside `folder`, unless in `made`; returns the folders made so far."""
    made = made if made is not None else {"."}
    parent = path.rpartition("/")[0] or "."
    if parent not in made:
        (folder / parent).mkdir(parents=True, exist_ok=True)
        made.update(ancestor.as_posix() for ancestor in Path(path).parents)
    return made


def check_site_paths(files: dict[str, bytes], out_dir: Path) -> None:
    """Every path must name a place inside the site: relative, with no '..', and not the marker."""
    for path in sorted(files):
        parts = path.split("/")
        if (path.startswith("/") or "\\" in path or "\0" in path or parts[0] == SITE_MARKER
                or any(part in ("", ".", "..") for part in parts)):
            raise BuildError([Problem(display_path(out_dir), 0, f"the build would write '{path}', which is not a place "
                                      "inside the output folder.", "Check the parts' 'slug:' and 'page:' fields: lower-case "
                                      "letters, digits and hyphens only.")])


def regular_file_bytes(path: Path, size: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link to one, nor a pipe or a device, which are not read) of
    `size` bytes; otherwise None."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size != size:
            return None
        chunks, left = [], size + 1  # one byte more: a file grown since is told apart
        while left and (chunk := os.read(handle, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)


def linked(source: Path, target: Path, size: int) -> bool:
    """Hard-link `source` (a regular file of `size` bytes) as `target`; False if it cannot be."""
    try:
        found = os.lstat(source)
        if not stat.S_ISREG(found.st_mode) or found.st_size != size:
            return False
        os.link(source, target, follow_symlinks=False)
        return True
    except OSError:  # gone, or a file system without hard links: the caller writes the file
        return False


@contextmanager
def folder_locked(folder: Path) -> Iterator[None]:
    """One build at a time writes beside the folders in `folder` (where flock exists; elsewhere, no lock)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without locks
            pass
        yield
    finally:
        os.close(handle)


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Ctrl+C while the new site is put in place is ignored: the build has finished by then, and ends as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def remove_leftovers(out_dir: Path) -> None:
    """Remove what builds of `out_dir` that were killed left beside it: only folders that hold its marker, or nothing."""
    prefix = f".{out_dir.name}{LEFTOVER}"
    for entry in os.scandir(out_dir.parent):
        if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False) and is_built_folder(Path(entry.path)):
            remove_quietly(Path(entry.path))


def is_built_folder(folder: Path) -> bool:
    try:
        check_output_folder(folder)
    except Exception:  # noqa: BLE001 - anything unexpected in it: not ours to remove
        return False
    return True


def remove_quietly(folder: Path | None) -> None:
    """Remove a folder this build wrote, its marker last, so that a removal cut short is finished by the next
    build. A failure is left for the next build too: the site itself is in place by then.

    The folder is opened once, never through a symbolic link, and emptied through that handle: a folder
    swapped for a link meanwhile is not followed."""
    if folder is None:
        return
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return
    try:
        for entry in list(os.scandir(handle)):
            if entry.name == SITE_MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.name, dir_fd=handle)
            else:
                os.unlink(entry.name, dir_fd=handle)
        try:
            os.unlink(SITE_MARKER, dir_fd=handle)
        except FileNotFoundError:  # an empty folder replaced by the first build
            pass
    except OSError:
        return
    finally:
        os.close(handle)
    try:
        os.rmdir(folder)
    except OSError:
        pass


def exchange(new: Path, out: Path) -> Path | None:
    """Put the folder `new` at `out` in one step; return where the folder that was at `out` is now, if there was one."""
    if not os.path.lexists(out):
        os.rename(new, out)
        return None
    exchange_names = renameat2()
    if exchange_names is not None:
        failure = exchange_names(new, out)
        if failure == 0:
            return new
        if failure not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise OSError(failure, os.strerror(failure), str(out))
    # No atomic exchange here: two renames, between which `out` is absent for an instant.
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}{LEFTOVER}", dir=out.parent))
    aside.rmdir()
    os.rename(out, aside)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(aside, out)
        raise
    return aside


AT_FDCWD, RENAME_EXCHANGE = -100, 2


@functools.cache
def renameat2():
    """renameat2(2) from the C library, or None where there is none (looked up when first needed)."""
    import ctypes
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int

    def exchange_names(new: Path, out: Path) -> int:
        """0, or the error number."""
        return 0 if function(AT_FDCWD, os.fsencode(new), AT_FDCWD, os.fsencode(out), RENAME_EXCHANGE) == 0 else ctypes.get_errno()

    return exchange_names
