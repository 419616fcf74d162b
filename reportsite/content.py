"""Load and validate the report: its YAML facts and one Markdown file per part.

The contract (docs/content-format.md): `report.yaml` holding at least `title:`, and `parts/NN-slug.md`
files, each with front matter holding at least `title:`. Everything else is optional: the report's
other facts, `front-page.md` (what is printed with the title), `about.md` (the publisher's own words on
the about page), `abbreviations.yaml` and `key-figures.yaml`.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import stat
import urllib.parse
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .errors import BuildError, Problem, display_path
from .figures import KEY_FIGURES_SCHEMA, KeyFigures, key_figures_from
from .logo import check_logo
from .markdown import inline_tokens, parse_markdown
from .markdowncheck import check_markdown, check_yaml_markdown
from .plugins.abbreviations import abbreviation_anchor
from .plugins.numbered_paragraphs import (CHAPTER, PARAGRAPH, RECOMMENDATION, SEQUENCE, chapter_number, opening_texts,
                                         opening_words)
from .textfile import read_bytes, read_text
from .yamlfile import OneOf, Optional, ProblemFound, check_schema, parse_yaml, what_to_write

REPORT_SCHEMA = {
    "title": str,
    "caption": Optional(str),
    "full_title": Optional(str),
    "short_title": Optional(str),
    "site_name": Optional(str),
    "file_name": Optional(str),
    "title_footnote": Optional({"label": str, "text": str}),
    "summary": Optional(str),
    "publisher": Optional(str),
    "published": Optional(OneOf(datetime.date, str)),
    "printed_in": Optional(str),
    "licence": Optional(str),
    "language": Optional(str),
    "web_address": Optional(str),
    "organisation": Optional({"name": str, "logo": Optional(str), "logo_alt": Optional(str),
                              "brand_colour": Optional(str), "brand_colour_dark": Optional(str)}),
    "contact": Optional({"name": str, "email": Optional(str), "telephone": Optional(str)}),
    "accessibility_reviewed": Optional(datetime.date),
    "numbering": Optional(str),
}

ABBREVIATIONS_SCHEMA = [{"abbreviation": str, "expansion": str, "note": Optional(str)}]

PART_SCHEMA = {
    "title": str,
    "order": Optional(int),
    "slug": Optional(str),
    "page": Optional(str),
    "heading": Optional(str),
    "recommendations": Optional(OneOf(bool, str)),
    "number": Optional(OneOf(str, int, float)),
}
FRONT_PAGE_SCHEMA: dict = {}  # front-page.md takes no fields: the title is report.yaml's
ABOUT_SCHEMA = {"title": Optional(str), "slug": Optional(str)}
NUMBERING = (SEQUENCE, CHAPTER)
SEPARATE = "separate"  # `recommendations: separate`: the part's recommendations are numbered on their own
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PART_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,4})*$")  # a part's number as the report prints it: 2, 2.1
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
          "december")
# How a date of publication may be printed, to find its date: '2 March 2020', 'March 2020', '2020-03-02'. Read as
# strptime reads "%d %B %Y", "%B %Y" and "%Y-%m-%d" in the C locale (the month's name in any case), without the tenth
# of a small report's load that strptime's first use costs.
_DAY = r"(?P<day>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])"
PRINTED_DATES = (re.compile(rf"{_DAY}\s+(?P<month_name>[^\W\d_]+)\s+(?P<year>\d\d\d\d)"),
                 re.compile(r"(?P<month_name>[^\W\d_]+)\s+(?P<year>\d\d\d\d)"),
                 re.compile(rf"(?P<year>\d\d\d\d)-(?P<month>1[0-2]|0[1-9]|[1-9])-{_DAY}"))


@dataclass(frozen=True)
class Published:
    """The date of publication as printed ('2 March 2020'), and the date it is, if it can be read."""

    text: str
    date: datetime.date | None


@dataclass(frozen=True)
class Contact:
    """Who to ask for the report in another format, or about the website."""

    name: str
    email: str | None = None
    telephone: str | None = None


@dataclass(frozen=True)
class OrganisationLook:
    """How the organisation that publishes the website shows itself on every page: its logo beside its
    name in the header, and its colour on links and the band under the header, in each colour scheme."""

    name: str
    logo: str | None = None          # the SVG file, by its name in the content folder
    logo_alt: str | None = None      # what the logo says or shows, for those who cannot see it
    logo_line: int = 1               # where report.yaml names the logo
    brand_colour: str | None = None  # '#5a2d82', lower case; at least 7:1 on every light background
    brand_colour_dark: str | None = None  # as given, or made from brand_colour; at least 7:1 on every dark background


@dataclass(frozen=True)
class TitleFootnote:
    """The footnote on the report's title (report.yaml's `title_footnote`)."""

    label: str  # as printed: '1'
    text: str


@dataclass(frozen=True)
class ReportMeta:
    """The report's facts from report.yaml, with each default filled in."""

    title: str
    full_title: str        # as the report is cited, when that is longer (default: the title)
    short_title: str       # default: the title
    site_name: str         # in every page's header and title (default: the short title, so the title)
    file_name: str         # the start of each download's file name
    language: str          # of the report's text, as a BCP 47 tag (default: en-GB)
    caption: str | None = None  # a line printed above the title: the place or body the report is about
    title_footnote: TitleFootnote | None = None
    summary: str | None = None  # what the report is, in the publisher's words, for the home page
    publisher: str | None = None
    published: Published | None = None
    printed_in: str | None = None  # where this copy of the text was printed, if not in the report itself
    licence: str | None = None
    web_address: str | None = None
    organisation: str | None = None  # who publishes this website (default: the publisher)
    look: OrganisationLook | None = None  # the organisation's logo and colour, if report.yaml gives either
    contact: Contact | None = None
    accessibility_reviewed: datetime.date | None = None
    numbering: str | None = None  # as report.yaml says it, if it does: "sequence" or "chapter"


@dataclass(frozen=True)
class ParagraphMark:
    """A numbered paragraph as written in a part: its label as printed ('12', '2.14'), its series
    ('paragraph', or 'recommendation' for recommendations numbered on their own), its anchor and line."""

    label: str
    series: str
    anchor: str
    line: int
    opening: str = ""  # its opening words, for a link back to it, if it cites another paragraph


@dataclass(frozen=True)
class CitationMark:
    """A paragraph number written in a citation: the paragraph it names (`target`, a label), the end of the
    range it starts (`through`, or None), the anchor of the numbered paragraph it is written in (or None)."""

    target: str
    through: str | None
    source: str | None
    line: int


EDITOR_FILE_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".orig", ".crdownload", ".part")


def is_editor_file(path: str | Path) -> bool:
    """An editor's temporary, swap, backup or lock file (Emacs's lock file `.#name.md` is a symbolic link
    to nowhere): not part of the report, and saving one is not a change to it.

    (An editor that saves by writing a temporary file and renaming it over the real one still
    changes the report: the rename is a change to the real file.)
    """
    path = Path(path)
    name = path.name
    return (name.startswith((".", "#")) or name.endswith("~") or name == "4913"
            or name.endswith(EDITOR_FILE_SUFFIXES) or "__pycache__" in path.parts)


@dataclass(eq=False)
class Part:
    """One part of the report: a Markdown file with front matter, parsed to tokens. The front page and the
    about page's text are held as parts too, outside the report's parts.

    Parts compare by identity: a part loaded again from the same bytes is the same object.
    """

    source: str
    title: str
    order: int
    slug: str
    page: str
    heading: str
    recommendations: bool | str  # False; True (its numbered paragraphs are recommendations); or "separate"
    tokens: list[Token] = field(repr=False)
    env: dict = field(repr=False)
    paragraphs: tuple[ParagraphMark, ...] = ()  # in the order written
    citations: tuple[CitationMark, ...] = ()
    part_links: tuple[tuple[str, int], ...] = ()  # the parts its building blocks name, by slug, with the line
    slug_line: int = 1  # where the slug (or the page name) is written: the file's first line when it comes from the file name
    order_line: int = 1
    number: str = ""  # its number as the report prints it ('2.1'), or "" for a part the report does not number
    number_line: int = 1

    @property
    def parent_number(self) -> str:
        """The number of the part this one is numbered under: '2' for '2.1'; "" for '2' or no number."""
        return self.number.rpartition(".")[0]

    @property
    def series(self) -> str:
        """What the part's numbers count: its recommendations when they are numbered on their own, else paragraphs."""
        return RECOMMENDATION if self.recommendations == SEPARATE else PARAGRAPH


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation the report uses (abbreviations.yaml) and what it stands for."""

    abbreviation: str
    expansion: str


@dataclass(eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class Report:
    """Everything the content folder holds, checked and parsed, before any links are made."""

    content_dir: Path
    meta: ReportMeta
    abbreviations: list[Abbreviation]
    parts: list[Part]
    front: Part | None = None  # front-page.md: what is printed with the title
    about: Part | None = None  # about.md: the publisher's own words at the top of the about page
    key_figures: KeyFigures | None = None  # from key-figures.yaml; a report without it has no key figures page
    logo: bytes | None = None  # the organisation's logo, checked: published as logo.SITE_PATH
    numbering: str = SEQUENCE  # how the report numbers its paragraphs: "sequence" or "chapter"

    @property
    def documents(self) -> list[Part]:
        """Every Markdown file of the report that may cite its paragraphs: the parts, the front page, the about text."""
        return [*self.parts, *(part for part in (self.front, self.about) if part is not None)]


class LoadCache:
    """What each file loaded to, kept with the inputs it was made from (the file's bytes, and so on).

    A serve session passes the same cache to every `load_report`, so that a file which
    has not changed is not parsed again and its Part stays the same object.
    """

    def __init__(self) -> None:
        self._slots: dict[Hashable, tuple[Any, Any]] = {}
        self._used: set[Hashable] = set()

    def remember(self, slot: Hashable, inputs: Any, make: Callable[[], Any]) -> Any:
        """`make()`, or what it made last time for `slot` if `inputs` are equal to those it was made from."""
        self._used.add(slot)
        kept = self._slots.get(slot)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        made = make()
        self._slots[slot] = (inputs, made)
        return made

    def forget_unused(self) -> None:
        """Drop what the last load did not ask for (files that were deleted or renamed)."""
        self._slots = {slot: kept for slot, kept in self._slots.items() if slot in self._used}
        self._used = set()


def outside_content(path: Path, root: Path) -> Problem | None:
    """A file the build would read that leads out of the content folder (`root`, resolved) through a symbolic
    link: it is not read, whatever it is (the content folder is all that is published)."""
    try:
        target = path.resolve()
        ordinary = stat.S_ISREG(os.stat(target).st_mode)
    except (OSError, RuntimeError):  # a loop of links, or one to nothing: reading it says so
        return None
    if target.is_relative_to(root) or not ordinary:  # a device or a pipe: reading it says what it is
        return None
    return Problem(display_path(path), 1, f"this is a symbolic link to '{target}', outside the content folder, so it is not read.",
                   "Copy the file into the content folder in place of the link.")


def _load_file(cache: LoadCache | None, slot: str, path: Path, inputs: Any,
               load: Callable[[list[Problem]], Any], problems: list[Problem]) -> Any:
    """`load(problems)`, reused from `cache` while the file's bytes and the other `inputs` are unchanged."""
    def make() -> tuple[Any, list[Problem]]:
        found: list[Problem] = []
        return load(found), found

    if cache is None:
        result, found = make()
    else:
        try:
            data = read_bytes(path)
        except ProblemFound:
            data = None  # missing or unreadable: `load` says what is wrong
        result, found = cache.remember((slot, str(path)), (data, inputs), make)
    problems += found
    return result


def load_yaml_file(path: Path, schema: Any, problems: list[Problem],
                   check: Callable[[Any, str], list[Problem]] | None = None) -> Any:
    """Load one YAML file and check it against its schema, and with `check` if given, adding what is wrong to `problems`."""
    file = display_path(path)
    if not path.exists() and not path.is_symlink():
        problems.append(Problem(file, 1, "this file is missing.", "Restore it from the last published version."))
        return None
    try:
        data = parse_yaml(read_text(path), file)
    except ProblemFound as found:
        problems += found.problems
        return None
    if data is None:
        problems.append(Problem(file, 1, "this file is empty.", what_to_write(schema)))
        return None
    found = check_schema(data, schema, file, 1, "") + check_yaml_markdown(data, file)
    if check is not None and not found:
        found = check(data, file)
    problems += found
    return None if found else data


def split_front_matter(text: str, file: str) -> tuple[Any, str, int]:
    """(front matter, body, line on which the body starts) of a Markdown part."""
    lines = _lines(text)  # (start, end) of each line, read only as far as the front matter goes
    start, end = next(lines)
    if text[start:end].strip() != "---":
        raise ProblemFound(Problem(file, 1, "this Markdown file does not start with front matter.",
                                   "Begin the file with a line '---', then a line 'title: ' and the part's title, then '---'."))
    fields_start = end + 1
    for index, (start, end) in enumerate(lines, start=1):
        if text[start:end].strip() == "---":
            meta = parse_yaml(text[fields_start:start - 1], file, first_line=2)
            if meta is None:
                meta = {}  # nothing but comments
            if not isinstance(meta, dict):
                raise ProblemFound(Problem(file, 2, "the front matter is not a set of fields.",
                                           "Write one 'name: value' per line between the '---' lines."))
            return meta, text[end + 1:], index + 1
    raise ProblemFound(Problem(file, 1, "the front matter is not closed.",
                               "Add a line '---' after the last front matter field."))


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Where each line of `text` starts and ends (before its '\\n'), as `text.split("\\n")` would cut it."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield start, end
        start = end + 1
    yield start, len(text)


@dataclass(frozen=True)
class PartSource:
    """A Markdown file read and its front matter checked, before its Markdown is parsed."""

    file: str
    meta: Any = field(repr=False)
    body: str = field(repr=False)
    body_line: int
    slug: str
    slug_line: int
    order: int
    order_line: int
    recommendations: bool | str


FILE_ORDER = re.compile(r"^(\d+)")


def read_part_source(path: Path, problems: list[Problem]) -> PartSource | None:
    """The part's front matter, checked, and its Markdown body; None (with what is wrong in `problems`) if unusable."""
    file = display_path(path)
    try:
        meta, body, body_line = split_front_matter(read_text(path), file)
    except ProblemFound as found:
        problems += found.problems
        return None
    found = check_schema(meta, PART_SCHEMA, file, 2, "") + check_yaml_markdown(meta, file)
    found += unknown_fields(meta, PART_SCHEMA, file, "a part's front matter")
    key_lines = getattr(meta, "key_lines", {})
    slug = meta.get("slug") or re.sub(r"^\d+[-_ ]*", "", path.stem)
    slug_line = key_lines.get("slug", 1) if meta.get("slug") else 1
    if isinstance(slug, str) and not SLUG.match(slug):
        found.append(Problem(file, slug_line, f"the slug '{slug}' cannot be used in a web address.",
                             "Use lower-case letters, digits and hyphens only, e.g. 'slug: help-and-protection'"
                             + ("." if meta.get("slug") else ", or rename the file, e.g. '03-help-and-protection.md'.")))
    order = meta.get("order")
    if order is None:
        from_name = FILE_ORDER.match(path.stem)
        if from_name is None:
            found.append(Problem(file, 1, "this part has no place in the report's order.",
                                 f"Start the file's name with its number, e.g. '03-{slug}.md', or add 'order: 3' to its front matter."))
        else:
            order = int(from_name.group(1))
    number = meta.get("number")
    if number is not None and not PART_NUMBER.match(str(number)):
        found.append(Problem(file, key_lines.get("number", 2), f"'number: {number}' is not a part's number.",
                             "Write the number the report prints for this part, digits with dots between them, "
                             "e.g. 'number: 2' or 'number: 2.1'; or leave the field out."))
    recommendations = meta.get("recommendations", False)
    if isinstance(recommendations, str) and recommendations != SEPARATE:
        found.append(Problem(file, key_lines.get("recommendations", 2),
                             f"'recommendations: {recommendations}' is not a way to number recommendations.",
                             "Write 'recommendations: true' if they are numbered with the paragraphs, or "
                             "'recommendations: separate' if they are numbered 1, 2, 3 on their own."))
    page = meta.get("page")
    if isinstance(page, str) and not SLUG.match(page):
        found.append(Problem(file, key_lines.get("page", 2),
                             f"the page '{page}' cannot be used in a web address.",
                             "Give the slug of the part whose page shows this one: lower-case letters, digits and "
                             "hyphens only, e.g. 'page: recommendations'."))
    if found:
        problems += found
        return None
    return PartSource(file, meta, body, body_line, slug, slug_line, order, key_lines.get("order", 1), recommendations)


def unknown_fields(data: Any, schema: dict, file: str, where: str) -> list[Problem]:
    """A field the schema does not know is a mistyped name, not something to ignore."""
    if not isinstance(data, dict):
        return []
    known = ", ".join(schema) or "none"
    return [Problem(file, getattr(data, "key_lines", {}).get(name, 1), f"'{name}' is not a field of {where}.",
                    f"Check its spelling; the fields are: {known}.")
            for name in data if name not in schema]


SEQUENCE_START = re.compile(r"\d{1,9}[.)][ \t]+\S")


def detect_numbering(sources: list[PartSource]) -> str:
    """How the report numbers its paragraphs, read from the start of its blocks: "chapter" when more
    of them start `2.14 ` than `12. ` (and at least two do), otherwise "sequence". The parts whose
    recommendations are numbered on their own do not count."""
    return numbering_of([numbering_votes(source) for source in sources])


def numbering_of(votes: list[tuple[int, int]]) -> str:
    """`detect_numbering` from each part's `numbering_votes`."""
    chapter, sequence = sum(vote[0] for vote in votes), sum(vote[1] for vote in votes)
    return CHAPTER if chapter >= 2 and chapter > sequence else SEQUENCE


def numbering_votes(source: PartSource) -> tuple[int, int]:
    """How many blocks of one part start `2.14 ` and how many `12. `: what it adds to `detect_numbering`."""
    chapter = sequence = 0
    if source.recommendations == SEPARATE:
        return 0, 0
    fenced, after_blank = False, True
    for line in source.body.split("\n"):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and after_blank:
            if chapter_number(line):
                chapter += 1
            elif SEQUENCE_START.match(line):
                sequence += 1
        after_blank = not line.strip()
    return chapter, sequence


def parse_part(source: PartSource, numbering: str, abbreviations: dict[str, str] | None,
               problems: list[Problem], *, series: str | None = "", title: str = "", slug: str = "") -> Part:
    """The Markdown parsed, with its numbered paragraphs, citations and building blocks, and what is wrong in them.

    A part's `series` is its own; the front page and the about text number nothing (None)."""
    meta = source.meta
    if series == "":
        series = RECOMMENDATION if source.recommendations == SEPARATE else PARAGRAPH
    tokens, env = parse_markdown(source.body, line_offset=source.body_line, abbreviations=abbreviations,
                                 numbering=numbering, series=series)
    problems += _check_footnotes(tokens, source.file, source.body_line)
    problems += [Problem(source.file, line, f"this looks like a citation, but cannot be read as one: '{text}'.",
                         "Write it as the report cites paragraphs, on one line: '(paragraph 12)', '(paragraphs 3, 4 and 7)' "
                         "or '(paragraphs 3 to 5)'. If it is not a citation of this report, put a backslash before "
                         "the bracket: '\\(paragraph'.")
                 for line, text in env.get("citation_problems", ())]
    problems += [Problem(source.file, line, message, fix) for line, message, fix in env.get("block_problems", ())]
    problems += check_markdown(tokens, env, source.file, source.body_line)
    title = title or meta.get("title", "")
    slug = slug or source.slug
    return Part(
        source=source.file,
        title=title,
        order=source.order,
        slug=slug,
        page=meta.get("page") or slug,
        heading=meta.get("heading") or title,
        recommendations=source.recommendations,
        tokens=tokens,
        env=env,
        paragraphs=paragraph_marks(tokens, env, citations := citation_marks(tokens)),
        citations=citations,
        part_links=tuple(link for token in tokens if token.type == "report_block" for link in token.meta["parts"]),
        slug_line=getattr(meta, "key_lines", {}).get("page", source.slug_line) if meta.get("page") else source.slug_line,
        order_line=source.order_line,
        number=str(meta["number"]) if meta.get("number") is not None else "",
        number_line=getattr(meta, "key_lines", {}).get("number", 2),
    )


def paragraph_marks(tokens: list[Token], env: dict, citations: tuple[CitationMark, ...] = ()) -> tuple[ParagraphMark, ...]:
    """Each numbered paragraph, with the opening words of those that cite (kept with the part once its text is let go)."""
    offset = env.get("line_offset", 0)
    openings = opening_texts(tokens, {citation.source for citation in citations if citation.source})
    return tuple(ParagraphMark(token.meta["label"], token.meta["series"], token.meta["anchor"], offset + token.map[0] + 1,
                               opening_words(openings.get(token.meta["anchor"], "")))
                 for token in tokens if token.type == "numbered_paragraph_open")


def citation_marks(tokens: list[Token]) -> tuple[CitationMark, ...]:
    return tuple(CitationMark(child.meta["target"], child.meta["through"], child.meta["source"], child.meta["line"])
                 for inline in inline_tokens(tokens) if "(" in inline.content
                 for child in inline.children or () if child.type == "citation")


def read_page_source(path: Path, schema: dict, slug: str, problems: list[Problem]) -> PartSource | None:
    """A Markdown file of the site's own (front-page.md, about.md): front matter optional, checked against `schema`."""
    file = display_path(path)
    try:
        text = read_text(path)
        meta, body, body_line = split_front_matter(text, file) if text.startswith("---") else ({}, text, 0)
    except ProblemFound as found:
        problems += found.problems
        return None
    found = check_schema(meta, schema, file, 2, "") + check_yaml_markdown(meta, file)
    found += unknown_fields(meta, schema, file, f"the front matter of {path.name}")
    slug = meta.get("slug") or slug
    slug_line = getattr(meta, "key_lines", {}).get("slug", 1)
    if isinstance(slug, str) and not SLUG.match(slug):
        found.append(Problem(file, slug_line, f"the slug '{slug}' cannot be used in a web address.",
                             "Use lower-case letters, digits and hyphens only, e.g. 'slug: about-this-report'."))
    if found:
        problems += found
        return None
    return PartSource(file, meta, body, body_line, slug, slug_line, 0, 1, False)


UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def _check_footnotes(tokens: list[Token], file: str, line_offset: int) -> list[Problem]:
    """A footnote reference left as text means its note is missing."""
    problems = []
    for token in inline_tokens(tokens):
        if "[^" in token.content:
            for child in token.children or ():
                for match in UNDEFINED_FOOTNOTE.finditer(child.content if child.type == "text" else ""):
                    label = match.group(1)
                    problems.append(Problem(file, line_offset + token.map[0] + 1, f"the footnote [^{label}] has no note.",
                                            f"Add a line '[^{label}]: the text of the note' at the end of the file."))
    return problems


def load_report_meta(path: Path, problems: list[Problem]) -> ReportMeta | None:
    """The facts of report.yaml with their defaults; what is wrong in them goes to `problems`."""
    file = display_path(path)
    data = load_yaml_file(path, {"title": str}, problems)
    if data is None:
        return None
    found = check_schema(data, REPORT_SCHEMA, file, 1, "")
    if not found and isinstance(data, dict):
        found += unknown_fields(data, REPORT_SCHEMA, file, "report.yaml")
        found += check_web_address(data, file) + check_report_footnotes(data, file)
        found += [problem for name in ("organisation", "contact", "title_footnote") if isinstance(data.get(name), dict)
                  for problem in unknown_fields(data[name], REPORT_SCHEMA[name].schema, file, f"'{name}'")]
    if found:
        problems += found
        return None
    line = getattr(data, "key_lines", {}).get
    title = data["title"]
    short_title = data.get("short_title") or title
    site_name = data.get("site_name") or short_title
    file_name = data.get("file_name") or "-".join(re.findall(r"[a-z0-9]+", short_title.lower())[:8]) or "report"
    if not SLUG.match(file_name):
        found.append(Problem(file, line("file_name", 1), f"the file name '{file_name}' cannot be used for a download.",
                             "Use lower-case letters, digits and hyphens only, e.g. 'file_name: annual-report-2024'."))
    language = data.get("language") or "en-GB"
    if not LANGUAGE.match(language):
        found.append(Problem(file, line("language", 1), f"'{language}' is not a language tag.",
                             "Write the language of the report's text as a tag such as 'en-GB', 'en' or 'cy'."))
    numbering = data.get("numbering")
    if numbering is not None and numbering not in NUMBERING:
        found.append(Problem(file, line("numbering", 1), f"'numbering: {numbering}' is not a way to number paragraphs.",
                             "Write 'numbering: sequence' (12. Text) or 'numbering: chapter' (2.14 Text), or remove "
                             "the line to let the build tell from the paragraphs."))
    web_address = data.get("web_address")
    look = organisation_look(data.get("organisation"), file, found)
    problems += found
    footnote = data.get("title_footnote")
    contact = data.get("contact")
    return None if found else ReportMeta(
        title=title, full_title=data.get("full_title") or title, short_title=short_title, site_name=site_name,
        file_name=file_name, language=language, caption=data.get("caption"),
        title_footnote=TitleFootnote(str(footnote["label"]), footnote["text"]) if footnote else None,
        summary=data.get("summary"), publisher=data.get("publisher"), published=publication(data.get("published")),
        printed_in=data.get("printed_in"), licence=data.get("licence"), web_address=web_address,
        organisation=(data.get("organisation") or {}).get("name") or data.get("publisher"),
        contact=Contact(contact["name"], contact.get("email"), contact.get("telephone")) if contact else None,
        accessibility_reviewed=data.get("accessibility_reviewed"), numbering=numbering, look=look)


def organisation_look(organisation: Mapping | None, file: str, problems: list[Problem]) -> OrganisationLook | None:
    """The organisation's logo and brand colours, checked: a logo has its text alternative, and each colour
    is #rrggbb with a contrast of 7:1 on every background a link can have in its scheme. The dark scheme's
    colour, if not given, is the brand colour made lighter until it reaches that."""
    if not organisation or not any(organisation.get(name) is not None for name in ("logo", "brand_colour", "brand_colour_dark")):
        return None
    from .colours import DARK, HEX_COLOUR, LIGHT, TEXT_CONTRAST, readable_variant, shortfall  # only for a report with a look

    line = organisation.key_lines.get
    found: list[Problem] = []
    logo, logo_alt = organisation.get("logo"), organisation.get("logo_alt")
    if logo is not None and not (logo_alt or "").strip():
        found.append(Problem(file, line("logo_alt", line("logo", 1)), "the logo has no text alternative.",
                             "Add 'logo_alt:' under 'logo:', saying what the logo says or shows, e.g. "
                             f"'logo_alt: {organisation['name']}'."))
    if logo is None and logo_alt is not None:
        found.append(Problem(file, line("logo_alt", 1), "'logo_alt:' describes a logo, but there is no 'logo:'.",
                             "Add 'logo:' with the name of the logo's SVG file, or remove 'logo_alt:'."))
    colours = {}
    for name in ("brand_colour", "brand_colour_dark"):
        colour = organisation.get(name)
        if colour is not None and not HEX_COLOUR.match(colour):
            found.append(Problem(file, line(name, 1), f"'{colour}' is not a colour written as #rrggbb.",
                                 f"Write the colour as # and six hexadecimal digits, in quotes: '{name}: \"#5a2d82\"'."))
        elif colour is not None:
            colours[name] = colour.lower()
    if "brand_colour_dark" in colours and organisation.get("brand_colour") is None:
        found.append(Problem(file, line("brand_colour_dark", 1), "'brand_colour_dark:' is given without 'brand_colour:'.",
                             "Add 'brand_colour:', the colour for the light scheme, or remove 'brand_colour_dark:'."))
    if "brand_colour" in colours and "brand_colour_dark" not in colours and organisation.get("brand_colour_dark") is None:
        colours["brand_colour_dark"] = readable_variant(colours["brand_colour"], DARK)
    for name, scheme, change in (("brand_colour", LIGHT, "darker"), ("brand_colour_dark", DARK, "lighter")):
        short = shortfall(colours[name], scheme) if name in colours else None
        if short is not None:
            found.append(Problem(
                file, line(name, 1),
                f"the brand colour {colours[name]} has a contrast of {math.floor(short.contrast * 100) / 100:.2f}:1 with "
                f"{short.background_name} ({short.background}) in the {scheme} scheme, and text needs at least "
                f"{TEXT_CONTRAST:g}:1.",
                f"Choose a {change} colour, such as {readable_variant(colours[name], scheme)}, for '{name}:'."))
    problems += found
    if found:
        return None
    return OrganisationLook(organisation["name"], logo, logo_alt, line("logo", 1),
                            colours.get("brand_colour"), colours.get("brand_colour_dark"))


def publication(value: datetime.date | str | None) -> Published | None:
    """The date of publication as printed, and the date it is if it is written in a way that can be read."""
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return Published(f"{value.day} {value:%B %Y}", value)
    for form in PRINTED_DATES:
        found = form.fullmatch(value.strip())
        if found is None:
            continue
        parts = found.groupdict()
        try:
            month = int(parts["month"]) if "month" in parts else MONTHS.index(parts["month_name"].lower()) + 1
            return Published(value, datetime.date(int(parts["year"]), month, int(parts.get("day", 1))))
        except ValueError:  # no such month, or no such day (30 February)
            continue
    return Published(value, None)


@dataclass
class PartsRead:
    """The parts' files read, checked and parsed as `load_report` would (by a cold build on several cores, workers.py):
    the report's numbering, the problems found reading the files, in the order `load_report` finds them (the files
    that lead out of the content folder first), and each part that could be read, parsed, with its problems."""

    numbering: str
    problems: list[Problem]
    parsed: list[tuple[Part | None, list[Problem]]]


# Reads, checks and parses the parts' files (workers.py), given their paths in order, the content folder (resolved),
# the numbering report.yaml gives (or None) and the abbreviations.
PartParser = Callable[[list[Path], Path, str | None, dict[str, str]], PartsRead]


def read_part_file(path: Path, root: Path) -> tuple[Problem | None, PartSource | None, list[Problem]]:
    """A part's file as `load_report` reads it: a problem if it leads out of the content folder (`root`, resolved), and
    then it is not read; else the part's source (None if it cannot be used) and what is wrong in it."""
    outside = outside_content(path, root)
    found: list[Problem] = []
    return outside, None if outside else read_part_source(path, found), found


def load_report(content_dir: Path, cache: LoadCache | None = None, parse_parts: PartParser | None = None) -> Report:
    """Read and check the whole content folder; raise BuildError listing every problem.

    With a `cache` (serve), files whose bytes have not changed since the last load are not parsed again.
    With `parse_parts`, the parts' files are read and parsed by it (in worker processes) rather than here.
    """
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if not content_dir.is_dir():
        raise BuildError([Problem(display_path(content_dir), 1, "the content folder does not exist.",
                                  "Pass the folder that holds report.yaml with --content.")])

    root = content_dir.resolve()

    def inside(path: Path) -> bool:
        """Whether `path`, its links followed, is in the content folder; if not, that is a problem."""
        problem = outside_content(path, root)
        if problem is not None:
            problems.append(problem)
        return problem is None

    def load_yaml(name: str, schema: Any, optional: bool = False, check: Callable[[Any, str], list[Problem]] | None = None) -> Any:
        path = content_dir / name
        if optional and not path.exists() and not path.is_symlink() or not inside(path):
            return None
        return _load_file(cache, "yaml", path, None, lambda found: load_yaml_file(path, schema, found, check), problems)

    report_yaml = content_dir / "report.yaml"
    if not report_yaml.exists():
        problems.append(Problem(display_path(report_yaml), 1, "this file is missing.",
                                "Restore it, or create it with a line 'title: ' and the report's title."))
    meta = _load_file(cache, "yaml", report_yaml, None, lambda found: load_report_meta(report_yaml, found),
                      problems) if report_yaml.exists() and inside(report_yaml) else None
    abbreviations = load_yaml("abbreviations.yaml", ABBREVIATIONS_SCHEMA, optional=True, check=check_abbreviations)
    key_figures = load_key_figures(content_dir / "key-figures.yaml", cache, problems) if inside(content_dir / "key-figures.yaml") else None
    expansions = {entry["abbreviation"]: entry["expansion"] for entry in abbreviations or []}
    files = sorted(path for path in (content_dir / "parts").glob("*.md") if not is_editor_file(path))
    parts = []
    if parse_parts is not None:
        read = parse_parts(files, root, meta.numbering if meta else None, expansions)
        numbering, problems = read.numbering, problems + read.problems
        for part, found in read.parsed:
            if part is not None:
                parts.append(part)
            problems += found
        paths, sources = [], []
    else:
        paths = [path for path in files if inside(path)]
        sources = [_load_file(cache, "part-source", path, None, lambda found, path=path: read_part_source(path, found), problems)
                   for path in paths]
        numbering = (meta.numbering if meta else None) or detect_numbering([source for source in sources if source is not None])
    for index, (path, source) in enumerate(zip(paths, sources)):
        if source is None:
            continue
        sources[index] = None  # parsed here: its text need not be held while the rest are parsed
        parts.append(_load_file(cache, "part", path, (expansions, numbering),
                                lambda found, source=source: parse_part(source, numbering, expansions, found), problems))
        del source
    logo = load_logo(content_dir, meta.look if meta else None, problems)
    title = meta.title if meta else ""
    front = load_page(content_dir / "front-page.md", FRONT_PAGE_SCHEMA, "front-page", title, (expansions, numbering, title),
                      cache, problems) if inside(content_dir / "front-page.md") else None
    about = load_page(content_dir / "about.md", ABOUT_SCHEMA, "about", "About this report", (expansions, numbering),
                      cache, problems) if inside(content_dir / "about.md") else None
    if cache is not None:
        cache.forget_unused()
    if not parts and not problems:
        problems.append(Problem(display_path(content_dir / "parts"), 1, "there are no parts of the report.",
                                "Add Markdown files such as 'parts/01-introduction.md', each starting with front matter "
                                "that gives its title."))
    problems += _check_parts(parts)
    if problems:
        raise BuildError(problems)
    return Report(
        content_dir=content_dir,
        meta=meta,
        abbreviations=[Abbreviation(a["abbreviation"], a["expansion"]) for a in abbreviations or []],
        parts=sorted(parts, key=lambda part: (part.order, part.source)),
        front=front,
        about=about,
        key_figures=key_figures,
        numbering=numbering,
        logo=logo,
    )


def load_logo(content_dir: Path, look: OrganisationLook | None, problems: list[Problem]) -> bytes | None:
    """The organisation's logo, checked, if report.yaml names one. Read on every load, as it is small and
    report.yaml's cache does not see it change."""
    if look is None or look.logo is None:
        return None
    data, found = check_logo(content_dir, look.logo, display_path(content_dir / "report.yaml"), look.logo_line)
    problems += found
    return data


def load_page(path: Path, schema: dict, slug: str, title: str, inputs: tuple, cache: LoadCache | None,
              problems: list[Problem]) -> Part | None:
    """front-page.md or about.md, parsed like a part that numbers nothing; None if the report has no such file."""
    if not path.exists():
        return None

    def load(found: list[Problem]) -> Part | None:
        source = read_page_source(path, schema, slug, found)
        if source is None:
            return None
        return parse_part(source, inputs[1], inputs[0], found, series=None,
                          title=source.meta.get("title") or title, slug=source.slug)

    return _load_file(cache, "page", path, inputs, load, problems)


def load_key_figures(path: Path, cache: LoadCache | None, problems: list[Problem]) -> KeyFigures | None:
    """The figures of key-figures.yaml, checked; None for a report without the file."""
    if not path.exists():
        return None

    def load(found: list[Problem]) -> KeyFigures | None:
        data = load_yaml_file(path, KEY_FIGURES_SCHEMA, found)
        return None if data is None else key_figures_from(data, display_path(path), found)

    return _load_file(cache, "yaml", path, None, load, problems)


def check_web_address(meta: Mapping, file: str) -> list[Problem]:
    """The address the site is published at is a web address: every download names it and links to it, and
    the large print PDF resolves its relative links against it (so a file:// address would reach into this machine)."""
    address = meta.get("web_address")
    if address is None:
        return []
    try:
        parts = urllib.parse.urlsplit(address) if address.isprintable() and " " not in address else None
    except ValueError:  # such as an unclosed IPv6 address, 'https://[::1'
        parts = None
    if parts and parts.scheme in ("https", "http") and parts.netloc:
        return []
    return [Problem(file, meta.key_lines.get("web_address", 1), f"'{address}' is not a web address the site can be published at.",
                    "Write the address the site will have, starting https://, e.g. 'https://www.example.gov.uk/annual-report/'.")]


def yaml_texts(data: Any, line: int) -> Iterator[tuple[int, str]]:
    """(line, text) of every piece of text in YAML data but its footnotes."""
    if isinstance(data, str):
        yield line, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key != "footnotes":
                yield from yaml_texts(value, getattr(data, "key_lines", {}).get(key, line))
    elif isinstance(data, list):
        for value, item_line in zip(data, getattr(data, "item_lines", None) or [line] * len(data)):
            yield from yaml_texts(value, item_line)


def check_abbreviations(entries: list, file: str) -> list[Problem]:
    """Each abbreviation is a word or two that the text can contain, listed once, with what it stands for.
    (An empty one would be found between every two letters of the report, for ever.)"""
    problems = []
    first_line: dict[str, int] = {}
    first_spelling: dict[str, str] = {}  # each glossary address, and the abbreviation first listed with it
    for entry in entries:
        abbreviation, expansion = entry["abbreviation"], entry["expansion"]
        line = entry.key_lines.get("abbreviation", entry.line)
        if not abbreviation.strip():
            problems.append(Problem(file, line, "this abbreviation is empty.", "Write the abbreviation, e.g. 'abbreviation: CAF', or delete the entry."))
        elif abbreviation != abbreviation.strip() or "\n" in abbreviation or "\t" in abbreviation:
            problems.append(Problem(file, line, f"the abbreviation '{abbreviation.strip()}' has spaces or line breaks around it.",
                                    "Write it as it appears in the text, with no spaces before or after it."))
        elif not any(character.isalnum() for character in abbreviation):
            problems.append(Problem(file, line, f"the abbreviation '{abbreviation}' has no letter or digit.",
                                    "Write an abbreviation made of letters or digits, such as 'CAF' or 'C++'."))
        elif abbreviation in first_line:
            problems.append(Problem(file, line, f"the abbreviation '{abbreviation}' is listed twice: on line {first_line[abbreviation]} and on line {line}.",
                                    "Keep one entry for it and delete the other."))
        elif abbreviation_anchor(abbreviation) in first_spelling:  # 'SOS' and 'SoS': one glossary address for both
            other = first_spelling[abbreviation_anchor(abbreviation)]
            problems.append(Problem(file, line, f"the abbreviation '{abbreviation}' differs from '{other}' (line {first_line[other]}) "
                                    "only in capitals, so the glossary cannot tell them apart.",
                                    "Keep one entry, spelled as the text spells it, and delete the other."))
        first_line.setdefault(abbreviation, line)
        first_spelling.setdefault(abbreviation_anchor(abbreviation), abbreviation)
        if not expansion.strip():
            problems.append(Problem(file, entry.key_lines.get("expansion", line), f"the expansion of '{abbreviation.strip()}' is empty.",
                                    "Write what the abbreviation stands for after 'expansion:'."))
    return problems


def check_report_footnotes(data: Any, file: str) -> list[Problem]:
    """report.yaml holds no notes: a footnote reference in its text would be shown as written."""
    return [Problem(file, line, f"the footnote [^{label}] cannot have its note in report.yaml.",
                    "Give the title's note as 'title_footnote:' (its label and text); write other notes in a Markdown file.")
            for line, text in yaml_texts(data, 1) for label in UNDEFINED_FOOTNOTE.findall(text)]


def _check_parts(parts: list[Part]) -> list[Problem]:
    problems = []
    seen_order: dict[int, Part] = {}
    seen_slug: dict[str, Part] = {}
    for part in parts:
        if part.order in seen_order:
            problems.append(Problem(part.source, part.order_line, f"the order {part.order} is also used by {seen_order[part.order].source}.",
                                    "Give each part its own number, at the start of its file name or in 'order:'."))
        seen_order.setdefault(part.order, part)
        if part.slug in seen_slug:
            problems.append(Problem(part.source, part.slug_line, f"the slug '{part.slug}' is also used by {seen_slug[part.slug].source}.",
                                    "Give each part its own 'slug:', or rename its file."))
        seen_slug.setdefault(part.slug, part)
    return problems + _check_part_numbers(sorted(parts, key=lambda part: (part.order, part.source)))


def _check_part_numbers(parts: list[Part]) -> list[Problem]:
    """Each part's number is its own, and a part numbered 2.1 comes after the part numbered 2, under which it is listed."""
    problems = []
    numbered: dict[str, Part] = {}
    for part in parts:
        if not part.number:
            continue
        if part.number in numbered:
            problems.append(Problem(part.source, part.number_line, f"the number {part.number} is also given to "
                                    f"{numbered[part.number].source}.", "Give each part the number the report prints for it."))
        elif part.parent_number and part.parent_number not in numbered:
            problems.append(Problem(part.source, part.number_line, f"this part is numbered {part.number}, but no part "
                                    f"before it is numbered {part.parent_number}.",
                                    f"Number the part it belongs to 'number: {part.parent_number}' (it must come "
                                    "first in the report's order), or correct this number."))
        numbered.setdefault(part.number, part)
    return problems
