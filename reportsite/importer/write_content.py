"""Write the imported report as a content folder: report.yaml, parts/NN-slug.md, import-report.yaml."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .layout import PLAIN_DIGITS, SUPERSCRIPTS
from ..errors import display_path as display
from ..plugins.citations import CITATION, CITATION_SHAPE
from .model import ImportedReport, Paragraph, Part, SourceError

IMPORT_REPORT = "import-report.yaml"
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
BLOCK_START = re.compile(r"^(#{1,6}(?=[ \t]|$)|[-+*=](?=[ \t]|$|[-=*]{2})|\d{1,9}(?=[.)]))")
MARKER = re.compile(rf"[{SUPERSCRIPTS}]+")


def escape_inline(text: str) -> str:
    """The text with every character Markdown would act on escaped, so that it renders as printed; and
    a bracket that reads like a citation the site cannot link ("(paragraphs 21–23 of our last report)",
    another report's) escaped too, so that the site shows it as printed rather than refuse it."""
    text = ENTITY.sub(r"\\&", INLINE_SPECIAL.sub(r"\\\1", text))
    if "(" in text:
        text = CITATION_SHAPE.sub(lambda m: m.group() if CITATION.match(text, m.start()) else "\\" + m.group(), text)
    return text


def escape_line(text: str) -> str:
    """An escaped line that cannot start a heading, list, quote or rule."""
    text = escape_inline(" ".join(text.split()))
    match = BLOCK_START.match(text)
    if match:
        start = match.group(1)
        text = (start + "\\" + text[len(start):]) if start[0].isdigit() else "\\" + text
    return text


def markdown_part(part: Part) -> str:
    """One part file: front matter, then its paragraphs as Markdown, then its footnotes."""
    front = {"title": part.title, **part.front}
    if part.recommendations and "recommendations" not in front:
        front["recommendations"] = True if part.recommendations == "true" else "separate"
    lines = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10000).rstrip("\n"), "---"]
    body: list[str] = []
    previous: Paragraph | None = None
    references = Counter()  # how often each printed marker has been met, for notes numbered again on each page
    for paragraph in part.paragraphs:
        text = _markdown_paragraph(paragraph, part, references)
        if body and not (paragraph.kind == "item" and previous is not None and previous.kind == "item"):
            body.append("")
        body.append(text)
        previous = paragraph
    for label, note in part.notes.items():
        body += ["", f"[^{label}]: {escape_line(note)}"]
    return "\n".join(lines + body) + "\n"


def _markdown_paragraph(paragraph: Paragraph, part: Part, references: Counter) -> str:
    def notes(text: str) -> str:
        return _with_notes(text, part, references)

    if paragraph.kind == "markdown":
        return paragraph.text
    if paragraph.kind == "numbered":
        separator = ". " if "." not in paragraph.number else " "
        return f"{paragraph.number}{separator}{notes(escape_line(paragraph.text))}"
    if paragraph.kind == "heading":
        return "#" * paragraph.level + " " + notes(escape_inline(paragraph.text)).rstrip("#")
    if paragraph.kind == "item":
        return "  " * paragraph.depth + "- " + notes(escape_line(paragraph.text))
    if paragraph.kind == "table":
        return _markdown_table(paragraph.rows, notes)
    if paragraph.lines:
        return "\\\n".join(notes(escape_line(line)) for line in paragraph.lines)
    return notes(escape_line(paragraph.text))


def _markdown_table(rows: list[list[str]], notes) -> str:
    """A GFM table; the first row printed is its header row."""
    width = max(len(row) for row in rows)

    def cells(row: list[str]) -> str:
        row = row + [""] * (width - len(row))
        return "| " + " | ".join(notes(escape_inline(" ".join(c.split()))) for c in row) + " |"

    return "\n".join([cells(rows[0]), "|" + "---|" * width] + [cells(row) for row in rows[1:]])


def _with_notes(text: str, part: Part, references: Counter) -> str:
    """Footnote markers (¹ ²) as Markdown footnotes where the part holds the note, as printed otherwise.
    The second marker ¹ of a part (notes numbered again on each page) refers to its second note, [^1-2]."""
    def reference(match: re.Match) -> str:
        label = match.group().translate(PLAIN_DIGITS)
        if label not in part.notes:
            return match.group()
        references[label] += 1
        key = label if references[label] == 1 else f"{label}-{references[label]}"
        return f"[^{key if key in part.notes else label}]"

    return MARKER.sub(reference, text) if part.notes else text


def report_yaml(report: ImportedReport) -> str:
    data = {"title": report.title}
    if report.numbering == "chapter":
        data["numbering"] = "chapter"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000)


def import_report_yaml(report: ImportedReport, source_bytes: bytes, written: dict[Path, str]) -> str:
    """What the import left out of the content and what layout it changed, each with where it was;
    and each file it wrote with its hash, so that a later import can tell an editor's changes from its own."""
    data = {
        "source": report.source.file,
        "sha256": hashlib.sha256(source_bytes).hexdigest(),
        "wrote": {name.as_posix(): hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in written.items()},
        "left_out": [{"where": str(item.where), "text": item.text, "why": item.why} for item in report.left_out],
        "changes": [{"where": str(item.where), "what": item.what} for item in report.changes],
    }
    header = ("# Written by `build.py import`. It lists every piece of the source that is not in the content, where it\n"
              "# was and why, and every change of layout the import made. `build.py import SOURCE --content DIR --verify`\n"
              "# checks that each word of the source is in the content or here. The site does not read this file.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10000)


def part_file_names(parts: list[Part]) -> list[str]:
    return [f"{index:02d}-{part.slug}.md" for index, part in enumerate(parts, start=1)]


def content_files(report: ImportedReport) -> dict[Path, str]:
    """The text of each file the import makes, by its path in the content folder (not the import report)."""
    files = {Path("report.yaml"): report_yaml(report)}
    for name, part in zip(part_file_names(report.parts), report.parts):
        files[Path("parts") / name] = markdown_part(part)
    return files


def write_content(report: ImportedReport, content_dir: Path, source_bytes: bytes) -> list[Path]:
    """Write the content folder whole, or not at all: into a new folder beside it, then renamed into place.
    A folder that holds only the editors' recipe gets the files beside it, each replaced whole."""
    content_dir = Path(content_dir)
    files = content_files(report)
    files[Path(IMPORT_REPORT)] = import_report_yaml(report, source_bytes, dict(files))
    if content_dir.is_dir() and any(content_dir.iterdir()):  # only the recipe: checked before reading the source
        replace_files(content_dir, files, [])
        return [content_dir / name for name in files]
    content_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{content_dir.name}-import-", dir=content_dir.parent))
    try:
        (staging / "parts").mkdir()
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        os.chmod(staging, 0o755)
        if content_dir.exists():
            content_dir.rmdir()  # empty: checked before reading the source
        staging.rename(content_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [content_dir / name for name in files]


def replace_files(content_dir: Path, files: dict[Path, str], remove: list[Path]) -> None:
    """Write every file beside its old self first, then put each in place and remove the old ones:
    a failure while writing leaves the folder as it was."""
    written: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            path = content_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.import")
            temporary.write_text(text, encoding="utf-8", newline="\n")
            written.append((temporary, path))
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in written:
        os.replace(temporary, path)
    for name in remove:
        (content_dir / name).unlink(missing_ok=True)


@dataclass
class Update:
    """What `import --update` did: files it wrote anew, files it left alone as the editors', files it removed."""

    written: list[Path]
    kept: list[Path]
    removed: list[Path]


def update_content(report: ImportedReport, content_dir: Path, source_bytes: bytes, before: dict[str, str]) -> Update:
    """Import again into a folder an earlier import wrote, keeping the editors' work.

    A file the earlier import wrote and nobody has changed since (its hash in import-report.yaml) is
    replaced; a file the import does not write (the recipe, abbreviations, key figures) is not
    touched; report.yaml, once an editor has changed it, is theirs. Any other file changed by hand
    stops the update before anything is written, with one line naming it: its change would be lost.
    `before` is what the earlier import wrote (files_written_before).
    """
    content_dir = Path(content_dir)
    files = content_files(report)
    kept, problems = [], []
    for name, text in list(files.items()):
        path = content_dir / name
        current = path.read_bytes() if path.is_file() else None
        new = text.encode("utf-8")
        if current is None or current == new or _sha(current) == before.get(name.as_posix()):
            continue
        if name == Path("report.yaml"):
            kept.append(name)
            del files[name]
            continue
        problems.append(f"{display(path)}:{_first_difference(current, new)}: "
                        + ("changed since it was imported" if name.as_posix() in before else "not written by the import")
                        + f", and importing again would replace it. Put the change in {content_dir.name}/import.yaml "
                          "(see docs/importing.md), or undo it, and update again.")
    removed = []
    for name, digest in before.items():
        path = content_dir / name
        if Path(name) in files or Path(name) in kept or not path.is_file():
            continue
        if _sha(path.read_bytes()) != digest:
            problems.append(f"{display(path)}:1: changed since it was imported, and the import no longer makes it "
                            "(the source or import.yaml changed). Move what you changed into another part, or delete "
                            "the file, and update again.")
        removed.append(Path(name))
    if problems:
        raise SourceError("\n".join(problems + [f"{len(problems)} file(s) changed by hand would be lost; nothing was written."]))
    files[Path(IMPORT_REPORT)] = import_report_yaml(report, source_bytes, dict(files))
    replace_files(content_dir, files, removed)
    return Update([content_dir / name for name in files], [content_dir / name for name in kept],
                  [content_dir / name for name in removed])


def files_written_before(content_dir: Path) -> dict[str, str]:
    """Each file the earlier import wrote, with its hash then, from its import-report.yaml."""
    path = content_dir / IMPORT_REPORT
    if not path.is_file():
        raise SourceError(f"{display(content_dir)}: there is no {IMPORT_REPORT}, so the import cannot tell its own files "
                          "from the editors'. Import into a new folder instead; nothing was written.")
    try:
        wrote = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("wrote")
    except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
        wrote = None
    if not isinstance(wrote, dict):
        raise SourceError(f"{display(path)}:1: this import report does not list the files the import wrote ('wrote:'). "
                          "Take it back from the last import (or version control); nothing was written.")
    return {str(name): str(digest) for name, digest in wrote.items()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _first_difference(current: bytes, new: bytes) -> int:
    """The first line at which an editor's file differs from what the import would write."""
    mine, theirs = current.decode("utf-8", "replace").split("\n"), new.decode("utf-8", "replace").split("\n")
    return next((i for i, (a, b) in enumerate(zip(mine, theirs), start=1) if a != b), min(len(mine), len(theirs)))
