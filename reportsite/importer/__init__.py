"""Import a published report (PDF, Word or plain text) into a content folder.

The stages, each a module, with plain data between them (model.py):
read the source into blocks (read_pdf, read_docx, read_text) -> find its structure (structure)
-> apply the editors' recipe, import.yaml, if the folder has one (recipe) -> write the content folder,
or update it keeping the editors' work (write_content); verify checks that no word was lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model import ImportedReport, Source, SourceError
from .recipe import RECIPE, apply_recipe, read_recipe
from .structure import find_structure
from .verify import missing_words
from .write_content import IMPORT_REPORT, Update, files_written_before, update_content, write_content

__all__ = ["ImportResult", "SourceError", "import_report", "read_source", "verify_import"]

Progress = Callable[[str], None]


@dataclass
class ImportResult:
    report: ImportedReport
    files: list[Path]
    missing: list[str]  # lines of the source with words lost; empty when every word is accounted for
    update: Update | None = None  # with --update: what was written, kept and removed


def read_source(path: Path, progress: Progress | None = None) -> Source:
    """The blocks of a .pdf, .docx or .txt file; SourceError with one line when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: there is no such file. Check the name and the folder.")
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name}: the file is empty. Check that it is the report you meant to import.")
    if suffix == ".pdf":
        from .read_pdf import read_pdf
        return read_pdf(path, progress)
    if suffix == ".docx":
        from .read_docx import read_docx
        return read_docx(path, progress)
    if suffix in (".txt", ".text"):
        from .read_text import read_text
        return read_text(path, progress)
    if suffix in (".doc", ".rtf", ".odt"):
        raise SourceError(f"{path.name}: {suffix} files cannot be imported. Open it in a word processor and "
                          "save it as Word (.docx), then import that.")
    raise SourceError(f"{path.name}: only PDF (.pdf), Word (.docx) and plain text (.txt) files can be imported.")


def check_destination(content_dir: Path) -> None:
    """A new import goes into a new or empty folder, or one holding only the editors' recipe."""
    content_dir = Path(content_dir)
    if content_dir.exists() and (not content_dir.is_dir() or any(p.name != RECIPE for p in content_dir.iterdir())):
        raise SourceError(f"{content_dir}: the folder is not empty. Import into a new folder, so that no work "
                          "is overwritten, or import again into this one with --update; nothing was written.")


def import_report(source_path: Path, content_dir: Path, progress: Progress | None = None,
                  update: bool = False) -> ImportResult:
    """Read the source, find its structure, apply the recipe, write the content folder (or with
    `update`, write again what the import wrote before, keeping the editors' work), and check
    that no word was lost."""
    content_dir = Path(content_dir)
    if update:
        if not content_dir.is_dir():
            raise SourceError(f"{content_dir}: there is no such folder to update. Import into it without --update.")
        before = files_written_before(content_dir)
    else:
        check_destination(content_dir)
    recipe = read_recipe(content_dir / RECIPE) if (content_dir / RECIPE).is_file() else None
    source = read_source(source_path, progress)
    if progress:
        progress("Finding the report's structure")
    report = find_structure(source)
    if recipe is not None:
        report = apply_recipe(report, recipe)
    source_bytes = Path(source_path).read_bytes()
    if update:
        done = update_content(report, content_dir, source_bytes, before)
        return ImportResult(report, done.written, missing_words(source, content_dir), done)
    files = write_content(report, content_dir, source_bytes)
    return ImportResult(report, files, missing_words(source, content_dir))


def verify_import(source_path: Path, content_dir: Path, progress: Progress | None = None) -> list[str]:
    """The lines of the source whose words are in neither the content nor its import report."""
    content_dir = Path(content_dir)
    if not (content_dir / "report.yaml").is_file() or not (content_dir / "parts").is_dir():
        raise SourceError(f"{content_dir}: there is no imported content here (no report.yaml and parts/). "
                          "Name the folder the import wrote.")
    if not (content_dir / IMPORT_REPORT).is_file():
        raise SourceError(f"{content_dir}: there is no {IMPORT_REPORT}, so it cannot say what was left out. "
                          "Import the source into a new folder.")
    return missing_words(read_source(source_path, progress), content_dir)
