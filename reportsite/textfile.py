"""Read a content file as text: only an ordinary file, of bounded size, in UTF-8, holding only characters
that a web page, an e-book and a PDF can carry.

What an editor's folder may hold instead (a named pipe, a device such as /dev/zero, a symbolic link
that leads nowhere or to itself, a folder named like a part, a file too large to be a part) is a
Problem naming the file, found without waiting on it: the file is opened without blocking and looked
at before a byte is read, and never more than the limit is read.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .errors import Problem, ProblemFound, display_path

MAX_FILE_BYTES = 1024 * 1024  # 1 MB: a part of about 170,000 words; docs/editors-guide.md says so
MAX_PROBLEMS_PER_FILE = 20        # characters that cannot be published: one problem per line, up to this many

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def read_bytes(path: Path) -> bytes:
    """The bytes of an ordinary file of at most MAX_FILE_BYTES; anything else raises ProblemFound."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise ProblemFound(_unreadable(Path(path), display_path(path), error)) from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not an ordinary file")
            raise ProblemFound(Problem(display_path(path), 1, f"this is {kind}, not a file of text, so it cannot be read.",
                                       "Put an ordinary file here, or move this out of the content folder."))
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # a file that grows while it is read is still read only so far
            chunk = os.read(handle, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise ProblemFound(_unreadable(Path(path), display_path(path), error)) from None
    finally:
        os.close(handle)
    if len(data) > MAX_FILE_BYTES:
        raise ProblemFound(Problem(display_path(path), 1, f"this file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, "
                                            "the most a content file may hold.",
                                   "Split it into smaller files (a part per chapter), or check that it is the file you meant."))
    return data


def _unreadable(path: Path, file: str, error: OSError) -> Problem:
    if error.errno == errno.ELOOP:
        return Problem(file, 1, "this is a symbolic link that leads back to itself, so it cannot be read.",
                       "Replace the link with the file it should lead to, or delete it.")
    if error.errno == errno.ENOENT and path.is_symlink():
        return Problem(file, 1, f"this is a symbolic link to '{os.readlink(path)}', which does not exist.",
                       "Replace the link with the file it should lead to, or delete it.")
    if error.errno == errno.ENOENT:
        return Problem(file, 1, "this file is missing.", "Restore it from the last published version.")
    if error.errno == errno.EACCES:
        return Problem(file, 1, "this file cannot be read: permission denied.",
                       "Allow yourself to read it (for example: chmod u+r FILE).")
    return Problem(file, 1, f"this file cannot be read: {error.strerror or error}.",
                   "Put an ordinary file of text here, or move this out of the content folder.")


def read_text(path: Path) -> str:
    """The file's text, with every line ending written '\\n' and a byte order mark dropped.

    A file that is not UTF-8 is a Problem at the line of the first bad byte; a character that
    cannot be published (see `unpublishable_characters`) is a Problem at its line and column.
    """
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ProblemFound(Problem(display_path(path), line,
                                   f"this file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read).",
                                   "Save the file with the encoding 'UTF-8' in your editor.")) from None
    text = normalise_line_endings(text.removeprefix("\ufeff"))
    if maybe_unpublishable(data) or "&#" in text:  # a quick look first: the file is named only for a problem
        problems = unpublishable_characters(text, display_path(path))
        if problems:
            raise ProblemFound(*problems)
    return text


def normalise_line_endings(text: str) -> str:
    """Windows (CR LF) and old Mac (CR) line endings as '\\n', the only line ending the build writes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Characters that HTML and XML do not allow in text, or that are invisible instructions to a terminal
# or printer rather than text: the C0 controls but tab and line feed, DEL and the C1 controls,
# surrogates (half of a character), and the noncharacters (U+FDD0 to U+FDEF, and the last two of every plane).
# (The last two of the other planes are looked for only among the characters from U+1FFFE on: listed in the
# class itself, the 32 of them made the search test every character of a report against each.)
_ASTRAL_NONCHARACTERS = "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0x10000, 0x110000, 0x10000))
_MAYBE = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
UNPUBLISHABLE = re.compile(f"[{_MAYBE}]|(?=[\U0001fffe-\U0010ffff])[{_ASTRAL_NONCHARACTERS}]")
MAYBE_UNPUBLISHABLE = re.compile(f"[{_MAYBE}\U0001fffe-\U0010ffff]")  # each of them, and some others: a quick first look
# The bytes that start, in UTF-8, a character MAYBE_UNPUBLISHABLE finds (the controls are themselves; the C1 controls start
# with C2, the noncharacters of U+FDD0 to U+FFFF with EF; those of the other planes, and any character from U+1FFFE
# on, with F0 to F4); and what follows C2 or EF in a character that cannot be published.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # CR ends a line: it is read as one
_SUSPECT_BYTES = _CONTROL_BYTES + bytes([0xC2, 0xEF, *range(0xF0, 0xF5)])
_INNOCENT_BYTES = bytes(sorted(set(range(256)) - set(_SUSPECT_BYTES)))
_C1_CONTROL_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_NONCHARACTER_BYTES = re.compile(rb"\xef(?:\xb7[\x90-\xaf]|\xbf[\xbe\xbf])")


def maybe_unpublishable(data: bytes) -> bool:
    """Whether the UTF-8 text `data` may hold a character that MAYBE_UNPUBLISHABLE finds (never False where it does):
    looked for in the bytes, which is many times quicker than the search in the text, as most of a report's bytes are
    innocent (ASCII, and the other letters, dashes and quotation marks)."""
    suspects = data.translate(None, _INNOCENT_BYTES)
    if not suspects:
        return False
    if suspects.translate(None, b"\xc2\xef"):  # a control, or a character from U+10000 on: looked at closely
        return True
    return ((b"\xc2" in suspects and _C1_CONTROL_BYTES.search(data) is not None)
            or (b"\xef" in suspects and _NONCHARACTER_BYTES.search(data) is not None))


# The same characters written as a numeric character reference (`&#7;`, `&#x1B;`), which Markdown turns into them.
CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")

_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}


def is_unpublishable(character: str) -> bool:
    return UNPUBLISHABLE.fullmatch(character) is not None


def describe_character(character: str) -> str:
    """'U+0007 (BELL)', the way an editor can look it up."""
    code = ord(character)
    name = _CONTROL_NAMES.get(code)
    if name is None:
        if 0xD800 <= code <= 0xDFFF:
            name = "half of a character"
        elif code <= 0x9F:
            name = "a control character"
        else:
            name = "a noncharacter"
    return f"U+{code:04X} ({name})"


def character_fix(character: str) -> str:
    """What to do about an unpublishable character: a C1 control is usually a Windows-1252 dash or quote pasted badly."""
    code = ord(character)
    if 0x80 <= code <= 0x9F:
        try:
            meant = bytes([code]).decode("cp1252")
            return f"It is probably '{meant}' pasted from another program: delete it and type '{meant}'."
        except UnicodeDecodeError:
            pass
    if code == 0x0C:
        return "It is a page break from another program: delete it (leave a blank line to start a new paragraph)."
    if code == 0x1B:
        return "It starts a terminal colour code pasted from a command window: delete it and the code after it (such as '[31m')."
    return "Delete it (most editors do not show it: place the cursor at that column and press Delete)."


def unpublishable_characters(text: str, file: str, first_line: int = 1) -> list[Problem]:
    """One Problem per line (up to MAX_PROBLEMS_PER_FILE) holding a character that cannot be published,
    written as itself or as a numeric character reference."""
    problems: list[Problem] = []
    lines_seen: set[int] = set()
    found = [(match.start(), match.group(), None) for match in UNPUBLISHABLE.finditer(text)] if MAYBE_UNPUBLISHABLE.search(text) else []
    if "&#" in text:
        found += [(match.start(), "", match.group()) for match in CHARACTER_REFERENCE.finditer(text)
                  if _unpublishable_reference(match)]
    for position, character, reference in sorted(found):
        line = text.count("\n", 0, position) + first_line
        if line in lines_seen:
            continue
        lines_seen.add(line)
        column = position - text.rfind("\n", 0, position)
        if reference:
            problems.append(Problem(file, line, f"the character reference '{reference}' at column {column} does not stand for "
                                                "a character that can be published in a web page or e-book.",
                                    "Delete the reference, or write the character itself."))
        else:
            problems.append(Problem(file, line, f"the invisible character {describe_character(character)} at column {column} "
                                                "cannot be published in a web page or e-book.", character_fix(character)))
        if len(problems) == MAX_PROBLEMS_PER_FILE:
            break
    return problems


def _unpublishable_reference(match: re.Match) -> bool:
    """Whether a character reference names no character, or one that cannot be published."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return code == 0 or code > 0x10FFFF or is_unpublishable(chr(code))
