"""Where a build may write, checked before it reads the content: its output folder and its cache folder.

The build replaces its output folder whole, so it may replace only a folder that is absent, empty,
or a site it wrote itself: every site it writes holds SITE_MARKER, which lists the files it wrote,
and a folder holding anything else is refused. It keeps its downloads in the cache folder, which it
may use only if absent, empty or one it has kept (CACHE_MANIFEST lists what it wrote there, and it
deletes nothing else). Neither folder may be, hold, or lie inside the content, templates or static
folder, nor be or hold the site generator's own folder, a home folder or `/`; and neither may be,
hold or lie inside the other. A refusal is one line naming the option, the folder and what to do.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import display_path

SITE_MARKER = ".reportsite-site"
CACHE_MANIFEST = ".reportsite-cache"
CACHE_MANIFEST_DRAFT = f"{CACHE_MANIFEST}.tmp"  # the manifest while it is written: what a build killed then leaves
# What a desktop leaves in any folder it shows: replaced with the site, never counted as someone's work.
DESKTOP_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
MANIFEST_LIMIT = 64 * 1024 * 1024  # bytes: a marker larger than this is not one the build wrote
GENERATOR_ROOT = Path(__file__).resolve().parent.parent


class FolderRefused(Exception):
    """The output or cache folder given is one the build must not write to; says which, why, and what to do."""

    def __init__(self, option: str, folder: Path, message: str):
        super().__init__(f"{option} {display_path(folder)}: {message}")
        self.option, self.folder, self.message = option, folder, message


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class Folders:
    """The output and cache folders of a build, resolved and checked."""

    out: Path
    cache: Path | None


def check_folders(out: Path, cache: Path | None, sources: tuple[tuple[str, Path], ...]) -> Folders:
    """The folders, resolved, once each is known to be safe to write; raises FolderRefused otherwise.

    `sources` names each folder the build reads: (('the content folder', path), ...)."""
    out = resolved_output(out)
    protected = [(name, Path(path).resolve()) for name, path in sources]
    check_place("--out", out, protected)
    if cache is not None:
        cache = Path(cache).resolve()
        check_place("--cache", cache, protected)
        if cache == out or cache.is_relative_to(out) or out.is_relative_to(cache):
            relation = "is" if cache == out else "is inside" if cache.is_relative_to(out) else "holds"
            raise FolderRefused("--cache", cache, f"this folder {relation} the output folder ({display_path(out)}), "
                                "which every build replaces whole. Keep the cache apart, or leave out --cache.")
        check_cache_folder(cache)
    check_output_folder(out)
    return Folders(out, cache)


def resolved_output(out: Path) -> Path:
    """The output folder as an absolute path; a symbolic link is refused, as replacing it would replace what it names."""
    out = Path(out)
    if out.is_symlink():
        raise FolderRefused("--out", out, f"this is a symbolic link (to {os.readlink(out)}), and the build replaces "
                            "its output folder whole. Name a folder itself with --out.")
    return out.resolve()


def check_place(option: str, folder: Path, sources: list[tuple[str, Path]]) -> None:
    """Refuse a folder that is or holds one the build reads, the generator's own, a home folder or `/`,
    or that lies inside one the build reads."""
    places = [*sources, ("the site generator's own folder", GENERATOR_ROOT), ("a home folder", home_folder())]
    places = [(name, place) for name, place in places if place is not None]
    for name, place in places:
        if folder == place:
            raise FolderRefused(option, folder, f"this is {name}. {where_instead(option)}")
    for name, place in places:
        if place.is_relative_to(folder):
            raise FolderRefused(option, folder, f"this folder holds {name} ({display_path(place)}). {where_instead(option)}")
    for name, source in sources:
        if folder.is_relative_to(source):
            raise FolderRefused(option, folder, f"this folder is inside {name} ({display_path(source)}). {where_instead(option)}")


def where_instead(option: str) -> str:
    if option == "--out":
        return "The build replaces its output folder whole: choose a folder of its own, such as --out site."
    return "Choose a folder of its own for the cache, or leave out --cache."


def home_folder() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no home folder known
        return None


def check_output_folder(out: Path) -> None:
    """Refuse an output folder that is a file, or a folder holding anything this build did not write."""
    kind = file_kind(out)
    if kind is None:
        return
    if kind != "folder":
        raise FolderRefused("--out", out, f"this is {kind}, not a folder. Choose a folder for the site, such as --out site.")
    entries = set(os.listdir(out)) - DESKTOP_FILES
    if not entries:
        return
    built = read_manifest(out / SITE_MARKER)
    if built is None:
        raise FolderRefused("--out", out, f"this folder holds files that the build did not write ({sample(sorted(entries))}), "
                            "and the build replaces its output folder whole. Move them elsewhere, or choose an empty "
                            "or new folder with --out.")
    unknown = sorted(not_built(out, built))
    if unknown:
        raise FolderRefused("--out", out, f"this site holds files that the build did not write ({sample(unknown)}), "
                            "and the next build would delete them. Move them out of the folder, then build again.")


def not_built(out: Path, built: set[str]) -> Iterator[str]:
    """Everything under `out` that is neither a file the build wrote nor a folder holding one."""
    folders = {parent.as_posix() for path in built for parent in Path(path).parents}
    for root, dirs, files in os.walk(out):
        relative = Path(root).relative_to(out)
        for name in dirs:
            path = (relative / name).as_posix()
            if Path(root, name).is_symlink():
                files.append(name)
            elif path not in folders:
                yield path + "/"
        dirs[:] = [name for name in dirs if (relative / name).as_posix() in folders and not Path(root, name).is_symlink()]
        for name in files:
            path = (relative / name).as_posix()
            if path not in built and path != SITE_MARKER and name not in DESKTOP_FILES:
                yield path


def check_cache_folder(cache: Path) -> None:
    """Refuse a cache folder that is a file, or a folder of files this build did not keep there."""
    kind = file_kind(cache)
    if kind is None:
        return
    if kind != "folder":
        raise FolderRefused("--cache", cache, f"this is {kind}, not a folder. {where_instead('--cache')}")
    entries = set(os.listdir(cache)) - DESKTOP_FILES - {CACHE_MANIFEST_DRAFT}
    if entries and read_manifest(cache / CACHE_MANIFEST) is None:
        raise FolderRefused("--cache", cache, f"this folder holds files that the build did not keep there "
                            f"({sample(sorted(entries))}). {where_instead('--cache')}")


def file_kind(path: Path) -> str | None:
    """'folder', or what else is at `path` ('a file', 'a symbolic link'...), or None if nothing is."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a file" if stat.S_ISREG(mode) else "a special file (a device, pipe or socket)"


def read_manifest(path: Path) -> set[str] | None:
    """The paths a marker or manifest lists, or None if `path` is not one the build wrote."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or os.lstat(path).st_size > MANIFEST_LIMIT:
            return None
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or lines[0] != MANIFEST_HEADINGS.get(path.name):
        return None
    return {line for line in lines[1:] if line}


MANIFEST_HEADINGS = {
    SITE_MARKER: "# Written by the report site generator, which replaces this folder whole at each build. Its files:",
    CACHE_MANIFEST: "# The report site generator's cache of downloads. The files it wrote here:",
}


def manifest_text(name: str, paths) -> bytes:
    """The marker or manifest `name`, listing `paths`: the same bytes for the same paths."""
    return "\n".join([MANIFEST_HEADINGS[name], *sorted(paths), ""]).encode("utf-8")


def sample(paths: list[str]) -> str:
    """A few of `paths`, for a message: 'a.txt, b.txt and 3 more'."""
    shown = ", ".join(paths[:2])
    return shown + (f" and {len(paths) - 2} more" if len(paths) > 2 else "")
