"""A source the importer cannot read is one clear line and exit status 1, never a traceback; nothing is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from build import main
from tests.importsources import SHAPES, write_docx
from tests.seedtext import SEED


def encrypted_pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    writer.write(path)


def scanned_pdf(path: Path) -> None:
    Image.new("RGB", (200, 280), "white").save(path, "PDF")


def damaged_docx(path: Path) -> None:
    whole = io.BytesIO()
    write_docx(SHAPES["one-sequence"], whole)
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])


def docx_without_a_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")


BAD_SOURCES = {
    "encrypted.pdf": (encrypted_pdf, "encrypted.pdf: the PDF is protected by a password. Save a copy without the "
                                     "password (or ask its publisher for one) and import that."),
    "scanned.pdf": (scanned_pdf, "scanned.pdf: the PDF has no text, only scanned images of its pages. Run OCR on it "
                                 "first (for example: ocrmypdf report.pdf report-ocr.pdf), then import that."),
    "letter.pdf": (lambda p: p.write_text("Dear editor, this is not a PDF."),
                   "letter.pdf: this is not a PDF file (it does not start with '%PDF-')."),
    "truncated.pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<<"), "truncated.pdf: the PDF is damaged and cannot be read"),
    "damaged.docx": (damaged_docx, "damaged.docx: this Word document is damaged or is not a .docx file. "
                                   "Open it in Word and save it again as .docx, then import that."),
    "hollow.docx": (docx_without_a_document, "hollow.docx: this Word document is damaged or is not a .docx file"),
    "empty.txt": (lambda p: p.write_bytes(b""), "empty.txt: the file is empty."),
    "blank.txt": (lambda p: p.write_text("\n  \n\n"), "blank.txt: the file has no text."),
    "latin1.txt": (lambda p: p.write_bytes("Caf\xe9 report\n".encode("latin-1")), "latin1.txt:1: this file is not UTF-8 text."),
    "report.doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"), "report.doc: .doc files cannot be imported. Open it in "
                                                                  "a word processor and save it as Word (.docx)"),
    "report.odp": (lambda p: p.write_bytes(b"PK"), "report.odp: only PDF (.pdf), Word (.docx) and plain text (.txt) "
                                                   "files can be imported."),
}


@pytest.mark.parametrize("name", BAD_SOURCES)
def test_a_bad_source_is_one_line_and_exit_1_with_nothing_written(name, tmp_path, capsys):
    make, message = BAD_SOURCES[name]
    source = tmp_path / name
    make(source)
    content = tmp_path / "content"
    assert main(["import", str(source), "--content", str(content)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(message), captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert not content.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no half-written folder beside it


def test_a_missing_source_is_one_line(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nowhere.pdf"), "--content", str(tmp_path / "content")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'nowhere.pdf'}: there is no such file. Check the name and the folder.\n"


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path, capsys):
    content = tmp_path / "content"
    content.mkdir()
    (content / "notes.md").write_text("an editor's work")
    assert main(["import", str(SEED), "--content", str(content)]) == 1
    assert capsys.readouterr().err == (f"{content}: the folder is not empty. Import into a new folder, so that no work "
                                       "is overwritten, or import again into this one with --update; nothing was written.\n")
    assert [p.name for p in content.iterdir()] == ["notes.md"]
    assert (content / "notes.md").read_text() == "an editor's work"


def test_an_empty_folder_is_filled(tmp_path, capsys):
    content = tmp_path / "content"
    content.mkdir()
    assert main(["import", str(SEED), "--content", str(content)]) == 0
    assert "Imported ofsted-brent-2015.txt into" in capsys.readouterr().out
    assert (content / "report.yaml").is_file() and len(list((content / "parts").glob("*.md"))) == 13


def test_verify_without_an_import_says_so(tmp_path, capsys):
    assert main(["import", str(SEED), "--content", str(tmp_path), "--verify"]) == 1
    assert capsys.readouterr().err == (f"{tmp_path}: there is no imported content here (no report.yaml and parts/). "
                                       "Name the folder the import wrote.\n")
