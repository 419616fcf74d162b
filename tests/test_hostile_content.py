"""Content written carelessly or with hostile intent is refused with one line naming the file and line,
exit status 1 and no traceback, by `check` and `build` alike; the build fetches nothing, ends in
bounded time, and changes nothing: not the previous site, not anything beside it."""

from __future__ import annotations

import http.server
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportsite.textfile import MAX_FILE_BYTES, MAYBE_UNPUBLISHABLE, maybe_unpublishable
from tests.conftest import run_build
from tests.test_content_errors import replace_in

FINDINGS = Path("parts") / "03-findings.md"


@pytest.fixture
def published(small_report, tmp_path) -> Path:
    """The pages of the small report, already built: what a refused build must leave as it was."""
    out = tmp_path / "site"
    result = run_build("--formats", "html", "--content", str(small_report), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def tree_state(root: Path) -> dict[str, tuple]:
    """Every entry under `root` as it is on disk, without following links or opening anything but regular files."""
    state = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                state[str(path.relative_to(root))] = ("file", path.read_bytes(), info.st_mtime_ns)
            elif stat.S_ISLNK(info.st_mode):
                state[str(path.relative_to(root))] = ("link", os.readlink(path))
            else:
                state[str(path.relative_to(root))] = (stat.S_IFMT(info.st_mode),)
    return state


def refused(content: Path, out: Path, *expected: str) -> None:
    """`check` and `build` each print exactly the `expected` lines, then the count; exit 1; nothing changed anywhere."""
    root = content.parent
    before = tree_state(root)
    outputs = []
    for command in ("check", "build"):
        result = run_build(*([command] if command == "check" else []), "--content", str(content), "--out", str(out))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        outputs.append(result.stderr)
        lines = result.stderr.strip().splitlines()
        count = len(expected)
        assert lines == [*expected, f"{count} problem{'s' if count != 1 else ''} found; nothing was written."], result.stderr
        assert tree_state(root) == before, f"{command} changed something"
    assert outputs[0] == outputs[1], "check and build disagree"


def at(content: Path, path: Path | str) -> str:
    """How the build names a file of the content folder (outside the repository, where the tests run it)."""
    return str(content / path)


# -- files that are not files, or too large -------------------------------------------------------------


def test_a_named_pipe_as_a_part_is_refused_without_waiting(small_report, published):
    os.mkfifo(small_report / "parts" / "04-pipe.md")
    refused(small_report, published, f"{at(small_report, 'parts/04-pipe.md')}:1: this is a named pipe, not a file of text, "
                                     "so it cannot be read. Put an ordinary file here, or move this out of the content folder.")


def test_a_device_as_a_part_is_refused_without_reading_it(small_report, published):
    (small_report / "parts" / "04-zero.md").symlink_to("/dev/zero")
    refused(small_report, published, f"{at(small_report, 'parts/04-zero.md')}:1: this is a device, not a file of text, "
                                     "so it cannot be read. Put an ordinary file here, or move this out of the content folder.")


def test_a_symbolic_link_loop_is_refused(small_report, published):
    (small_report / "parts" / "04-loop.md").symlink_to("04-loop.md")
    refused(small_report, published, f"{at(small_report, 'parts/04-loop.md')}:1: this is a symbolic link that leads back to "
                                     "itself, so it cannot be read. Replace the link with the file it should lead to, or delete it.")


def test_a_folder_named_like_a_part_is_refused(small_report, published):
    (small_report / "parts" / "04-notes.md").mkdir()
    refused(small_report, published, f"{at(small_report, 'parts/04-notes.md')}:1: this is a folder, not a file of text, "
                                     "so it cannot be read. Put an ordinary file here, or move this out of the content folder.")


def test_a_yaml_file_that_is_a_device_is_refused(small_report, published):
    (small_report / "abbreviations.yaml").unlink()
    (small_report / "abbreviations.yaml").symlink_to("/dev/zero")
    refused(small_report, published, f"{at(small_report, 'abbreviations.yaml')}:1: this is a device, not a file of text, "
                                     "so it cannot be read. Put an ordinary file here, or move this out of the content folder.")


@pytest.mark.parametrize("name", ["abbreviations.yaml", str(FINDINGS)])
def test_a_file_larger_than_the_limit_is_refused_unread(small_report, published, name):
    path = small_report / name
    with path.open("ab") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: takes no room, reads as zeros
    refused(small_report, published, f"{at(small_report, name)}:1: this file is larger than 1 MB, the most a content file may "
                                     "hold. Split it into smaller files (a part per chapter), or check that it is the file you meant.")


def test_a_file_at_the_limit_is_read(small_report, tmp_path):
    path = small_report / FINDINGS
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n6. " + "word " * ((MAX_FILE_BYTES - len(text.encode()) - 5) // 5) + "\n", encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    result = run_build("check", "--content", str(small_report))
    assert result.returncode == 0, result.stderr


# -- YAML that would take unbounded time or memory, or is not plain data ---------------------------------

BILLION_LAUGHS = "\n".join(['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]" for previous, name in zip("abcdefgh", "bcdefghi")])


def test_a_yaml_alias_bomb_in_front_matter_is_refused(small_report, published):
    replace_in(small_report / FINDINGS, "heading: Inspection findings\n", "heading: Inspection findings\n" + BILLION_LAUGHS + "\n")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:7: '*a' repeats the value marked '&a' on line 6; repeats "
                                     "(YAML aliases) are not allowed in content files. Write the value out in full here.")


def test_a_yaml_alias_bomb_in_a_yaml_file_is_refused(small_report, published):
    with (small_report / "report.yaml").open("a", encoding="utf-8") as file:
        file.write(BILLION_LAUGHS + "\n")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:19: '*a' repeats the value marked '&a' on line 18; repeats "
                                     "(YAML aliases) are not allowed in content files. Write the value out in full here.")


def test_yaml_nested_without_end_is_refused(small_report, published):
    with (small_report / "report.yaml").open("a", encoding="utf-8") as file:
        file.write("notes: " + "[" * 100_000 + "]" * 100_000 + "\n")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:18: the values here are nested more than 32 levels deep. "
                                     "Check the brackets and the indentation: a content file needs only a few levels.")


def test_a_python_tag_says_tags_are_not_allowed(small_report, published):
    replace_in(small_report / "report.yaml", "caption: Testshire", "caption: !!python/object/apply:os.system [ls]")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:2: the tag '!!python/object/apply:os.system' is not allowed: "
                                     "content files hold only text, numbers, dates, lists and fields. "
                                     "Remove the tag (put the value in quotes if it is text).")


def test_a_number_too_long_to_read_is_refused(small_report, published):
    replace_in(small_report / FINDINGS, "order: 3", "order: " + "9" * 5000)
    refused(small_report, published, f"{at(small_report, FINDINGS)}:3: the number '999999999999…' has 5000 digits, too many to "
                                     "read. Write a shorter number, or put it in quotes if it is text.")


def test_a_date_that_does_not_exist_is_refused(small_report, published):
    replace_in(small_report / "report.yaml", "published: 2 March 2020", "published: 2020-13-45")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:7: '2020-13-45' is not a date: month must be in 1..12. "
                                     "Write a date that exists, as YYYY-MM-DD, e.g. 2020-03-02.")


@pytest.mark.parametrize("entry, expected", [
    ('abbreviation: ""', "this abbreviation is empty. Write the abbreviation, e.g. 'abbreviation: CAF', or delete the entry."),
    ('abbreviation: " "', "this abbreviation is empty. Write the abbreviation, e.g. 'abbreviation: CAF', or delete the entry."),
    ('abbreviation: "–"', "the abbreviation '–' has no letter or digit. Write an abbreviation made of letters or digits, such as 'CAF' or 'C++'."),
    ("abbreviation: CAF", "the abbreviation 'CAF' is listed twice: on line 1 and on line 5. Keep one entry for it and delete the other."),
])
def test_an_abbreviation_that_cannot_be_matched_is_refused(small_report, published, entry, expected):
    with (small_report / "abbreviations.yaml").open("a", encoding="utf-8") as file:
        file.write(f"- {entry}\n  expansion: Something\n")
    refused(small_report, published, f"{at(small_report, 'abbreviations.yaml')}:5: {expected}")


# -- YAML messages that point at the right place ----------------------------------------------------------


def test_an_empty_required_field_is_reported_at_its_own_line(small_report, published):
    replace_in(small_report / "report.yaml", "  name: Sam Clerk, Democratic Services", "  name:")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:13: the required field 'contact.name' is empty. "
                                     "Write text after 'name:'.")


@pytest.mark.parametrize("text", ["", "# nothing yet\n"])
def test_an_empty_yaml_file_says_what_to_write(small_report, published, text):
    (small_report / "abbreviations.yaml").write_text(text, encoding="utf-8")
    refused(small_report, published, f"{at(small_report, 'abbreviations.yaml')}:1: this file is empty. "
                                     "Write its entries in it as a list, each starting with '- abbreviation:'.")


def test_a_yaml_file_of_the_wrong_kind_says_what_it_should_hold(small_report, published):
    (small_report / "abbreviations.yaml").write_text("abbreviation: CAF\nexpansion: Common Assessment Framework\n", encoding="utf-8")
    refused(small_report, published, f"{at(small_report, 'abbreviations.yaml')}:1: this file should hold a list, but it is a set "
                                     "of fields. Write a list here.")


def test_a_field_written_twice_names_both_lines(small_report, published):
    with (small_report / "report.yaml").open("a", encoding="utf-8") as file:
        file.write("title: Another title\n")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:18: the field 'title' is written twice: on line 1 and on "
                                     "line 18. Keep the one you mean and delete the other.")


def test_a_front_matter_field_written_twice_names_both_lines(small_report, published):
    replace_in(small_report / FINDINGS, "heading: Inspection findings\n", "heading: Inspection findings\ntitle: Findings again\n")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:6: the field 'title' is written twice: on line 2 and on "
                                     "line 6. Keep the one you mean and delete the other.")


# -- characters that cannot go into HTML or XML ------------------------------------------------------------


@pytest.mark.parametrize("character, fix", [
    ("\x07", "Delete it (most editors do not show it: place the cursor at that column and press Delete)."),
    ("\x00", "Delete it (most editors do not show it: place the cursor at that column and press Delete)."),
    ("\x1b", "It starts a terminal colour code pasted from a command window: delete it and the code after it (such as '[31m')."),
    ("\x0c", "It is a page break from another program: delete it (leave a blank line to start a new paragraph)."),
    ("\x96", "It is probably '–' pasted from another program: delete it and type '–'."),
    ("\x7f", "Delete it (most editors do not show it: place the cursor at that column and press Delete)."),
    ("\ufffe", "Delete it (most editors do not show it: place the cursor at that column and press Delete)."),
    ("\U0010ffff", "Delete it (most editors do not show it: place the cursor at that column and press Delete)."),
])
def test_a_control_character_in_markdown_is_named_by_line_and_column(small_report, published, character, fix):
    assert_named_by_line_and_column(small_report, published, character, fix, str(FINDINGS), "Plans are clear.")


@pytest.mark.parametrize("character", ["\x07", "\x85", "\uffff"])
def test_a_control_character_in_yaml_is_named_by_line_and_column(small_report, published, character):
    fix = "Delete it (most editors do not show it: place the cursor at that column and press Delete)."
    if character == "\x85":
        fix = "It is probably '…' pasted from another program: delete it and type '…'."
    assert_named_by_line_and_column(small_report, published, character, fix, "abbreviations.yaml", "Common Assessment Framework")


def assert_named_by_line_and_column(small_report: Path, published: Path, character: str, fix: str, name: str, old: str) -> None:
    replace_in(small_report / name, old, old.replace(" ", " " + character, 1))
    text = (small_report / name).read_text(encoding="utf-8")
    line = text[: text.index(character)].count("\n") + 1
    column = text.index(character) - text.rfind("\n", 0, text.index(character))
    code = f"U+{ord(character):04X}"
    refused(small_report, published, f"{at(small_report, name)}:{line}: the invisible character {code} "
                                     f"({_character_name(character)}) at column {column} cannot be published in a web page or e-book. {fix}")


def _character_name(character: str) -> str:
    return {"\x07": "BELL", "\x00": "NULL", "\x1b": "ESCAPE", "\x0c": "FORM FEED", "\x7f": "DELETE"}.get(
        character, "a control character" if ord(character) < 0xA0 else "a noncharacter")


def test_the_quick_look_in_the_bytes_misses_no_character_that_cannot_be_published():
    """It is the first look at every file: each character the search in the text finds, it finds in the bytes, alone
    or among innocent text; and the letters, dashes, quotation marks and signs a report is written with pass it."""
    candidates = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
    candidates += [chr(code) for plane in range(0x10000, 0x110000, 0x10000) for code in (plane, plane + 0xFFFD, plane + 0xFFFE, plane + 0xFFFF)]
    # (a CR is a line ending, written '\n' before the text is searched)
    found = [character for character in candidates if MAYBE_UNPUBLISHABLE.search(character) and character != "\r"]
    assert len(found) > 100 and {"\x07", "\x85", "\ufdd0", "\uffff", "\U0010ffff"} <= set(found)
    assert [character for character in found if not maybe_unpublishable(f"Plans are \u00a3{character}clear \u2013 “é”.\n".encode())] == []
    assert not maybe_unpublishable("Plans cost \u00a35m \u2013 “clear”, ‘né’ \u00a9 2015; 10\u00b2\ufb01\r\n\t.".encode())


def test_every_line_with_such_a_character_is_named(small_report, published):
    replace_in(small_report / FINDINGS, "Early help is timely.", "Early\x07 help is timely.\x07")
    replace_in(small_report / FINDINGS, "Plans are clear.", "Plans\x1b are clear.")
    refused(small_report, published,
            f"{at(small_report, FINDINGS)}:13: the invisible character U+0007 (BELL) at column 9 cannot be published in a web page "
            "or e-book. Delete it (most editors do not show it: place the cursor at that column and press Delete).",
            f"{at(small_report, FINDINGS)}:17: the invisible character U+001B (ESCAPE) at column 9 cannot be published in a web page "
            "or e-book. It starts a terminal colour code pasted from a command window: delete it and the code after it (such as '[31m').")


@pytest.mark.parametrize("reference", ["&#7;", "&#x1B;", "&#12;", "&#0;", "&#xFFFF;", "&#55296;"])
def test_a_character_reference_to_a_control_character_is_refused(small_report, published, reference):
    replace_in(small_report / FINDINGS, "Plans are clear.", f"Plans are {reference}clear.")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:17: the character reference '{reference}' at column 14 does "
                                     "not stand for a character that can be published in a web page or e-book. "
                                     "Delete the reference, or write the character itself.")


@pytest.mark.parametrize("escape, code", [("\\a", "U+0007 (BELL)"), ("\\x1b", "U+001B (ESCAPE)"), ("\\uFFFE", "U+FFFE (a noncharacter)")])
def test_a_yaml_escape_that_makes_a_control_character_is_refused(small_report, published, escape, code):
    replace_in(small_report / "report.yaml", "licence: You may copy this document.", f'licence: "You may {escape}copy."')
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:9: an escape in this quoted text makes the invisible "
                                     f"character {code}, which cannot be published in a web page or e-book. "
                                     "Delete the escape (a backslash and what follows it, such as '\\a' or '\\x07').")


def test_half_a_character_is_refused(small_report, published):
    replace_in(small_report / "report.yaml", "licence: You may copy this document.", 'licence: "You may \\uD800copy."')
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:9: this YAML does not parse: found invalid Unicode "
                                     "character escape code. In double quotes a backslash starts an escape: write '\\\\' for a "
                                     "backslash, or use single quotes.")


def test_line_endings_of_other_systems_and_a_byte_order_mark_build_as_newlines(small_report, tmp_path):
    expected = tmp_path / "expected"
    assert run_build("--formats", "html,text", "--content", str(small_report), "--out", str(expected)).returncode == 0
    for path, ending in ((small_report / FINDINGS, b"\r"), (small_report / "report.yaml", b"\r\n")):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", ending))
    out = tmp_path / "normalised"
    result = run_build("--formats", "html,text", "--content", str(small_report), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert files_of(out) == files_of(expected)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# -- the build fetches nothing ----------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[list[str]]:
    """A web server on 127.0.0.1 that records every request it gets; the tests expect none."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server looks for)
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    requests.append(f"http://127.0.0.1:{server.server_address[1]}")  # the address, first; requests follow
    try:
        yield requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


IMAGES_FIX = "Images are not published (docs/editors-guide.md says why): describe in words what it shows, or remove it."


def test_an_image_on_another_server_is_refused_and_never_fetched(small_report, published, listener):
    address = listener[0]
    replace_in(small_report / FINDINGS, "Plans are clear.", f"Plans are clear.\n   ![A chart]({address}/chart.png)")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:18: the image '{address}/chart.png' cannot be published. {IMAGES_FIX}")
    assert listener[1:] == [], "the build made a request"


def test_an_image_in_yaml_text_is_refused_and_never_fetched(small_report, published, listener):
    address = listener[0]
    replace_in(small_report / "report.yaml", "licence: You may copy this document.",
               f"licence: You may copy ![the usual place]({address}/x.png).")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:9: the image '{address}/x.png' cannot be published. {IMAGES_FIX}")
    assert listener[1:] == [], "the build made a request"


@pytest.mark.parametrize("source", ["/etc/hostname", "../../secret.png", "chart.png", "data:image/png;base64,iVBORw0KGgo="])
def test_an_image_from_this_machine_is_refused(small_report, published, source):
    (small_report / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    replace_in(small_report / FINDINGS, "Early help is timely.", f"Early help is timely. ![Chart]({source})")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:13: the image '{source}' cannot be published. {IMAGES_FIX}")


@pytest.mark.parametrize("address", ["file:///etc/", "javascript:alert(1)", "testshire.example.org", "https://", "https://[::1/"])
def test_a_web_address_that_is_not_one_is_refused(small_report, published, address):
    replace_in(small_report / "report.yaml", "web_address: https://testshire.example.org/inspection/", f"web_address: '{address}'")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:17: '{address}' is not a web address the site can be "
                                     "published at. Write the address the site will have, starting https://, e.g. "
                                     "'https://www.example.gov.uk/annual-report/'.")


def test_the_pdf_fetches_nothing_from_another_server_or_this_machine(listener, tmp_path):
    weasyprint = pytest.importorskip("weasyprint", reason="the large print PDF's own tests need WeasyPrint")
    del weasyprint
    import datetime

    from reportsite.build import ROOT
    from reportsite.errors import BuildError
    from reportsite.formats import FormatContext
    from reportsite.formats.pdf import make

    address = listener[0]
    context = FormatContext(ROOT / "templates", "https://testshire.example.org/inspection/",
                            datetime.datetime(2020, 3, 2, tzinfo=datetime.timezone.utc))
    (tmp_path / "secret.css").write_text("p { color: red }")
    for html, asked in [
        (f'<p>Text <img src="{address}/a.png" alt="a"></p>', f"{address}/a.png"),
        ('<p>Text <img src="chart.png" alt="a"></p>', "https://testshire.example.org/inspection/chart.png"),
        (f'<link rel="stylesheet" href="{(tmp_path / "secret.css").as_uri()}"><p>Text</p>', (tmp_path / "secret.css").as_uri()),
        (f'<style>@import url("{address}/a.css"); p {{ font-family: X }} @font-face {{ font-family: X; src: url({address}/f.woff) }}</style><p>T</p>',
         f"{address}/a.css"),
        (f'<p>Text <a rel="attachment" href="{address}/attachment.pdf">attached</a></p>', f"{address}/attachment.pdf"),
    ]:
        with pytest.raises(BuildError) as error:
            make(html.encode(), context)
        assert str(error.value) == (
            f"templates/formats/pdf/report.html:1: the large print PDF asks for '{asked}', which is not a file of the templates "
            "folder; nothing was fetched. Build nothing from other servers or folders into the PDF: put the file in the "
            "templates folder, or remove what asks for it.")
    assert listener[1:] == [], "the PDF made a request"
    assert make(b'<p>Text <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></p>', context).startswith(b"%PDF")


def test_the_epub_holds_no_reference_to_anything_outside_it():
    from reportsite.errors import BuildError
    from reportsite.formats.epub import Document, read_document

    package = {"EPUB/style.css", "EPUB/text/findings.xhtml"}
    page = '<html xmlns="http://www.w3.org/1999/xhtml"><head>{}</head><body><p>Text</p>{}</body></html>'
    read_document(Document("p", "findings.xhtml", "Findings", page.format(
        '<link rel="stylesheet" href="../style.css"/>', '<a href="https://example.org/">a link is not fetched</a>')), package)
    for head, body, asked in [("", '<img src="https://example.org/a.png" alt=""/>', "https://example.org/a.png"),
                              ('<link rel="stylesheet" href="/etc/style.css"/>', "", "/etc/style.css"),
                              ("", '<object data="../../../secret.pdf"/>', "../../../secret.pdf")]:
        with pytest.raises(BuildError) as error:
            read_document(Document("p", "findings.xhtml", "Findings", page.format(head, body)), package)
        assert str(error.value) == (f"EPUB/text/findings.xhtml:1: the e-book's document asks for '{asked}', which is not a file "
                                    "of the e-book (a reading app would fetch it from elsewhere). Put the file in the e-book, "
                                    "or remove what asks for it, in the templates in templates/formats/epub/.")


def test_an_epub_document_that_is_not_xml_is_an_error_not_a_traceback():
    from reportsite.errors import BuildError
    from reportsite.formats.epub import Document, read_document

    with pytest.raises(BuildError) as error:
        read_document(Document("p", "findings.xhtml", "Findings",
                               '<html xmlns="http://www.w3.org/1999/xhtml">\n<body>\x0c</body></html>'), set())
    assert str(error.value).startswith("EPUB/text/findings.xhtml:2: the e-book's document is not well-formed XML")


# -- nothing dropped with exit 0 --------------------------------------------------------------------------


def test_a_footnote_note_nothing_refers_to_is_refused(small_report, published):
    replace_in(small_report / FINDINGS, "5. Plans are clear.", "5. Plans are clear.\n\n[^7]: A note for no one.")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:19: the note of footnote [^7] is not referred to anywhere, so "
                                     "it would not be shown. Write [^7] in the text where the note belongs, or delete the note.")


def test_a_second_note_under_one_label_is_refused(small_report, published):
    replace_in(small_report / FINDINGS, "5. Plans are clear.", "5. Plans are clear.[^7]\n\n[^7]: The first.\n\n[^7]: The second.")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:21: the footnote [^7] has a second note here; the first is on "
                                     "line 19. Give each note its own label, and refer to it in the text.")


def test_a_list_nested_beyond_the_parsers_limit_is_refused(small_report, published):
    nested = "\n".join("  " * depth + f"- level {depth + 1}" for depth in range(12))
    replace_in(small_report / FINDINGS, "## Findings", f"{nested}\n\n## Findings")
    refused(small_report, published, f"{at(small_report, FINDINGS)}:20: this list or quotation is nested too deeply to be shown: it "
                                     "and everything after it in this file would be lost. Nest lists at most 9 levels deep and "
                                     "quotations at most 19: bring the deepest items up a level.")


def test_a_list_nested_to_the_limit_is_shown_whole(small_report, tmp_path):
    nested = "\n".join("  " * depth + f"- level {depth + 1}" for depth in range(9))
    replace_in(small_report / FINDINGS, "## Findings", f"{nested}\n\n## Findings")
    out = tmp_path / "site"
    assert run_build("--formats", "html", "--content", str(small_report), "--out", str(out)).returncode == 0
    page = (out / "findings.html").read_text(encoding="utf-8")
    assert "level 9" in page and "Plans are clear." in page


def test_a_footnote_in_report_yaml_is_refused(small_report, published):
    replace_in(small_report / "report.yaml", "licence: You may copy this document.", "licence: You may copy this document.[^5]")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:9: the footnote [^5] cannot have its note in report.yaml. "
                                     "Give the title's note as 'title_footnote:' (its label and text); write other notes in a "
                                     "Markdown file.")


def test_a_footnote_label_that_is_a_number_says_to_quote_it(small_report, published):
    replace_in(small_report / "report.yaml", '  label: "1"', "  label: 1")
    refused(small_report, published, f"{at(small_report, 'report.yaml')}:4: 'title_footnote.label' should be text, but it is a "
                                     "whole number. Write text here (put the value in quotes, e.g. \"1\" or \"0300 123 4234\").")


def test_a_yaml_file_that_is_a_link_to_nothing_says_so(small_report, published):
    (small_report / "abbreviations.yaml").unlink()
    (small_report / "abbreviations.yaml").symlink_to("abbreviations-2020.yaml")
    refused(small_report, published, f"{at(small_report, 'abbreviations.yaml')}:1: this is a symbolic link to 'abbreviations-2020.yaml', which does "
                                     "not exist. Replace the link with the file it should lead to, or delete it.")
