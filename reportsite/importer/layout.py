"""What printed lines look like: the patterns the readers share to tell blocks apart."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .model import Where

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

# Line breaks inside a block's text that the structure stage resolves once it knows the
# whole report's words: a hyphen-minus at the end of a line, and a typesetter's hyphen
# (soft hyphen or U+2010) that only breaks a word.
HARD_HYPHEN_BREAK = "\x02"
SOFT_HYPHEN_BREAK = "\x03"

NUMBERED = re.compile(r"^(\d{1,4})\.[ \t\u00a0]+(?=\S)|^(\d{1,3}\.\d{1,3})\.?[ \t\u00a0]+(?=\S)")
BULLET = re.compile(r"^([ \t]*)[-•▪◦‣·*●○■][ \t\u00a0]+(?=\S)")
NOTE = re.compile(rf"^([{SUPERSCRIPTS}]+)[ \t\u00a0]*(?=\S)")
PAGE_NUMBER = re.compile(r"^(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$",
                         re.IGNORECASE)
CONTENTS_HEADING = re.compile(r"^(?:table of )?contents$", re.IGNORECASE)
CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.*?)(?:\s*\t\s*|\s*(?:\.\s*){3,}|\s{2,}|\s+)(?P<page>\d{1,4})$")
WHOLE_LINE_HTML = re.compile(r"^<(?P<tag>[A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?>(?P<text>.*)</(?P=tag)>$")
UNDERLINE = re.compile(r"^(?:-{2,}|={2,})$")
LETTER = re.compile(r"[^\W\d_]")


def superscript(digits: str) -> str:
    return digits.translate(SUPERSCRIPT_DIGITS)


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def looks_like_heading(text: str) -> bool:
    """A line printed on its own that reads as a heading: short, no sentence end, no 'label: value'."""
    text = text.strip()
    if not text or len(text) > 150 or "\t" in text or not LETTER.search(text):
        return False
    if NUMBERED.match(text) or BULLET.match(text) or NOTE.match(text):
        return False
    label, colon, value = text.partition(": ")
    if colon and not (value[:1].isupper() and len(text) <= 80):
        return False  # "Date of publication: 2 March 2020" is a label and its value
    first = text.lstrip("(\"'‘“")[:1]
    return (first.isupper() or first.isdigit()) and text.rstrip(SUPERSCRIPTS)[-1:] not in ".,;:"


def ends_sentence(text: str) -> bool:
    """Whether a line ends as a sentence or a paragraph may (so the next line may start a numbered one)."""
    return text.rstrip().rstrip(SUPERSCRIPTS)[-1:] in tuple(".!?:;)]”\"'’")


def may_continue(text: str) -> bool:
    """Text that starts in lower case, with words enough to be the rest of a paragraph cut by a page break."""
    return text[:1].islower() and len(text.split()) >= 4


def contents_entry(text: str) -> tuple[str, str] | None:
    """(title, page) of a line of a contents list, or None."""
    match = CONTENTS_ENTRY.match(text.strip())
    if not match or not LETTER.search(match["title"]):
        return None
    return match["title"].rstrip(" .").strip(), match["page"]


def furniture_key(text: str) -> str:
    """A running header or footer with its page number blanked, so that its repeats compare equal."""
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def find_running_lines(pages: Sequence[Sequence[tuple[Where, str]]]) -> dict[Where, str]:
    """The lines at the top and foot of pages that are page furniture, with why.

    `pages` holds, for each page, its first and last lines (candidates only). A line is a
    running header or footer when the same text (page numbers aside) stands there on at
    least half the pages and on three or more; a page number is one on its own.
    """
    found: dict[Where, str] = {}
    counts = Counter(key for page in pages for key in {furniture_key(text) for _, text in page})
    needed = max(3, (len(pages) + 1) // 2)
    for page in pages:
        for where, text in page:
            if is_page_number(text):
                found[where] = "page number"
            elif len(pages) >= 3 and counts[furniture_key(text)] >= needed:
                found[where] = f"running header or footer (on {counts[furniture_key(text)]} of {len(pages)} pages)"
    return found
