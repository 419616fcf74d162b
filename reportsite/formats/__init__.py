"""The report's other formats: large print PDF, Braille, EPUB and plain text, made from the resolved site.

Each format is a module here with four functions:

- `missing_tool() -> str | None`: None when what the format needs is installed; otherwise what is
  missing and how to get it, in a sentence an editor can act on;
- `tool_version() -> str`: changes whenever the tool's output may change;
- `source(site, context) -> bytes`: the format's input, cheap and deterministic (the large print
  HTML for the PDF, the text to translate for Braille);
- `make(source, context) -> bytes`: the file itself, from that input; the slow step.

A format is made again only when its key changes: the format's code, its tool's version, its
source, the date and the web address. The last file made for each format is kept in a cache folder
beside the site, so a rebuild that changed nothing else costs one `source` per format.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..folders import CACHE_MANIFEST, CACHE_MANIFEST_DRAFT, manifest_text, read_manifest
from ..write import folder_locked

if TYPE_CHECKING:
    from ..crossrefs import Site


@dataclass(frozen=True)
class Format:
    """A format readers can download, as named on every page."""

    name: str            # as given to `build.py --formats`
    label: str           # what the download is called on the site
    file_type: str       # the kind of file, as readers know it
    suffix: str          # the end of its file name
    media_type: str
    for_whom: str        # one line on who it is for and how to open it


FORMATS = (
    Format("pdf", "Large print PDF", "PDF", "-large-print.pdf", "application/pdf",
           "18 point text, with bookmarks for every heading and links between the recommendations and their evidence."),
    Format("epub", "EPUB e-book", "EPUB", ".epub", "application/epub+zip",
           "For e-book readers and reading apps: text size, font and colours are yours to choose."),
    Format("braille", "Braille", "BRF", "-braille.brf", "text/plain",
           "Unified English Braille, grade 2, in 40 cells a line and 25 lines a page, for a Braille display or embosser."),
    Format("text", "Plain text", "TXT", ".txt", "text/plain; charset=utf-8",
           "The whole report as plain text, with its paragraph numbers, for any device."),
)

BY_NAME = {fmt.name: fmt for fmt in FORMATS}


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class FormatContext:
    """What every format is made with, besides the site."""

    templates_dir: Path
    web_address: str | None          # where the site is published, named in every file (None if the content does not say)
    date: datetime.datetime          # every date inside a file: SOURCE_DATE_EPOCH, else the publication date
    progress: Callable[[str], None] = lambda message: None


@dataclass(frozen=True)
class Download:
    """A file of another format, built and ready to link to."""

    format: Format
    path: str            # in the site, e.g. "downloads/annual-report-2024.epub"
    size: int            # in bytes

    @property
    def size_text(self) -> str:
        return file_size_text(self.size)


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class Skipped:
    """Something this build could not make for want of a tool (`what`: 'the Braille (BRF)'), and what to do about it."""

    what: str
    reason: str

    def __str__(self) -> str:
        return f"Skipped {self.what}: {self.reason} The rest of the site was built."


@dataclass(eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class FormatsResult:
    """What `build_formats` made: the files by path in the site, the downloads to link to, and what it skipped."""

    files: dict[str, bytes]
    downloads: list[Download]
    skipped: list[Skipped]


def file_size_text(size: int) -> str:
    """A file's size as readers see it on download links: '640 KB', '1.2 MB'."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1000 / 1000:.1f} MB"


def download_path(site: Site, fmt: Format) -> str:
    """Where a download is in the site: the report's file name (report.yaml's `file_name`) and the format's ending."""
    return f"downloads/{site.report.meta.file_name}{fmt.suffix}"


# The date stamped in the files of a report whose date of publication is not known: zip's earliest.
NO_DATE = datetime.date(1980, 1, 1)


def source_date(site: Site) -> datetime.datetime:
    """The date stamped inside the files: SOURCE_DATE_EPOCH when set (reproducible builds), otherwise
    the report's publication date (or NO_DATE), so that two builds of the same content are identical either way."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    published = site.report.meta.published
    date = published.date if published and published.date else NO_DATE
    return datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.timezone.utc)


def implementation(fmt: Format):
    return importlib.import_module(f"{__name__}.{fmt.name}")


class FormatCache:
    """The last file made for each format, by key, in a folder of its own (beside the site by default).

    The folder's manifest (folders.CACHE_MANIFEST) lists every file the cache wrote there; it
    reads and deletes only those, so a file of someone else's in the folder is never touched.
    """

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None

    def get(self, fmt: Format, key: str, limit: int | None = None) -> bytes | None:
        """The file kept for `key`, if the manifest lists it, it is an ordinary file, and it is at most `limit` bytes."""
        if self.folder is None or f"{fmt.name}-{key}" not in self._kept():
            return None
        path = self.folder / f"{fmt.name}-{key}"
        try:
            found = os.lstat(path)
            if not stat.S_ISREG(found.st_mode) or (limit is not None and found.st_size > limit):
                return None
            return path.read_bytes()
        except OSError:
            return None

    def put(self, fmt: Format, key: str, data: bytes | Iterable[bytes | Path]) -> None:
        """Keep `data` (bytes, or in pieces: bytes, or a file whose bytes are copied) as the format's file for `key`, in
        place of the one kept before."""
        if self.folder is None:
            return
        entry, temporary = f"{fmt.name}-{key}", f".{fmt.name}-{key}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with folder_locked(self.folder):
                kept = self._kept()
                self._write_manifest(kept | {entry, temporary})  # listed before written: a killed build leaves nothing unlisted
                with open(self.folder / temporary, "wb") as file:
                    for piece in (data,) if isinstance(data, bytes) else data:
                        if isinstance(piece, Path):
                            copy_file_into(piece, file)
                        else:
                            file.write(piece)
                os.replace(self.folder / temporary, self.folder / entry)
                older = {name for name in kept if name.startswith((f"{fmt.name}-", f".{fmt.name}-")) and name != entry}
                for name in older:
                    (self.folder / name).unlink(missing_ok=True)
                self._write_manifest(kept - older | {entry})
        except OSError:  # the cache only saves time: a build never fails for it
            pass

    def _kept(self) -> set[str]:
        """The names the manifest lists; only plain names in the folder, whatever else it says."""
        return {name for name in read_manifest(self.folder / CACHE_MANIFEST) or () if "/" not in name and name not in (".", "..")}

    def _write_manifest(self, names: set[str]) -> None:
        temporary = self.folder / CACHE_MANIFEST_DRAFT
        temporary.write_bytes(manifest_text(CACHE_MANIFEST, names))
        os.replace(temporary, self.folder / CACHE_MANIFEST)


def copy_file_into(path: Path, file) -> None:
    """Append the bytes of the file at `path` to the open `file`, copied by the kernel where it can."""
    file.flush()
    with open(path, "rb") as source:
        size, copied = os.fstat(source.fileno()).st_size, 0
        try:
            while copied < size and (count := os.copy_file_range(source.fileno(), file.fileno(), size - copied)):
                copied += count
        except (OSError, AttributeError):  # not between these file systems, or not here: copied as usual
            if copied:
                raise
        if copied < size:
            import shutil

            source.seek(copied)
            shutil.copyfileobj(source, file)


def cache_key(fmt: Format, module, source: bytes, context: FormatContext) -> str:
    digest = hashlib.sha256()
    for part in (fmt.name, module.tool_version(), Path(module.__file__).read_bytes(), source,
                 context.date.isoformat(), context.web_address or ""):
        digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def build_formats(site: Site, names: tuple[str, ...], templates_dir: Path, cache: FormatCache,
                  progress: Callable[[str], None] = lambda message: None) -> FormatsResult:
    """Make each format named in `names` that its tools allow; skip the others, saying why."""
    from ..render import template_problems

    context = FormatContext(Path(templates_dir), site.report.meta.web_address, source_date(site), progress)
    result = FormatsResult({}, [], [])
    for fmt in FORMATS:
        if fmt.name not in names:
            continue
        module = implementation(fmt)
        missing = module.missing_tool()
        if missing:
            result.skipped.append(Skipped(f"the {fmt.label} ({fmt.file_type})", missing))
            continue
        with template_problems(context.templates_dir, download_path(site, fmt)):
            source = module.source(site, context)
        key = cache_key(fmt, module, source, context)
        data = cache.get(fmt, key)
        if data is None:
            progress(f"Making the {fmt.label}…")
            data = module.make(source, context)
            cache.put(fmt, key, data)
        path = download_path(site, fmt)
        result.files[path] = data
        result.downloads.append(Download(fmt, path, len(data)))
    return result


def print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
