"""Load and validate the report: its YAML facts and one Markdown file per part."""

from __future__ import annotations

import dataclasses
import datetime
import re
import urllib.parse
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .errors import BuildError, Problem, display_path
from .figures import KEY_FIGURES_SCHEMA, KeyFigures, key_figures_from
from .markdown import parse_markdown
from .markdowncheck import check_markdown, check_yaml_markdown
from .textfile import read_bytes, read_text
from .yamlfile import Mapping, OneOf, Optional, ProblemFound, check_schema, describe, parse_yaml, what_to_write

JUDGEMENT = {"number": str, "area": str, "grade": str, "part": str}

REPORT_SCHEMA = {
    "authority": str,
    "title": str,
    "review_title": str,
    "title_footnote": Optional(str),
    "footnotes": Optional(dict),
    "inspection_dates": {"start": datetime.date, "end": datetime.date, "as_printed": str},
    "published": {"date": datetime.date, "as_printed": str},
    "overall_judgement": str,
    "judgements": [JUDGEMENT],
    "lscb_judgement": {"area": str, "grade": str, "statement": str, "part": str},
    "inspection_team": [{"role": str, "names": [str]}],
    "complaints": str,
    "about_ofsted": str,
    "alternative_formats": str,
    "copyright": str,
    "email_alerts": str,
    "ofsted_address": {"lines": [str], "telephone": str, "textphone": str, "email": str, "web": str,
                       "labels": {"telephone": str, "textphone": str, "email": str, "web": str}},
    "inspection_team_heading": Optional(str),
    "crown_copyright": Optional(str),
    "source": {"publisher": str, "document": str, "date_of_publication": str, "printed_in": str},
    "web_address": str,
}

COMMITTEE_SCHEMA = {
    "title": str,
    "meeting": {"date": datetime.date, "as_printed": str, "time": str},
    "venue": [str],
    "members": {"heading": str, "names": [str]},
    "substitutes": {"heading": str, "names_as_printed": str, "names": [str]},
    "contact": {"text": str, "name": str, "team": str, "telephone": str, "email": str},
    "electronic_copies": {"text": str, "web": str},
    "public_welcome": str,
    "agenda": {"title": str, "items": [{"item": str, "title": str, "pages": str}]},
    "purpose": str,
    "wards_affected": str,
    "contact_officer": {"name": str, "role": str, "as_printed": str},
    "next_meeting": {"date": datetime.date, "as_printed": str},
    "notes": [str],
}

AREA_SCHEMA = {
    "part_title": str,
    "title": str,
    "footnotes": Optional(dict),
    "groups": [{"heading": str, "facts": [OneOf(str, {"text": str, "details": [str]})]}],
}

ABBREVIATIONS_SCHEMA = [{"abbreviation": str, "expansion": str}]

PART_SCHEMA = {
    "title": str,
    "order": int,
    "slug": Optional(str),
    "page": Optional(str),
    "heading": Optional(str),
    "judgement": Optional(str),
    "judgement_statement": Optional(str),
    "recommendations": Optional(bool),
    "shows": Optional(str),
}

SHOWS = ("area", "inspection_team")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(eq=False)
class Part:
    """One part of the report: a Markdown file with front matter, parsed to tokens.

    Parts compare by identity: a part loaded again from the same bytes is the same object.
    """

    source: str
    title: str
    order: int
    slug: str
    page: str
    heading: str
    judgement: str | None
    judgement_statement: str | None
    recommendations: bool
    shows: str | None
    tokens: list[Token] = field(repr=False)
    env: dict = field(repr=False)


@dataclass(frozen=True)
class Abbreviation:
    abbreviation: str
    expansion: str


@dataclass
class Report:
    """Everything the content folder holds, checked and parsed, before any links are made."""

    content_dir: Path
    meta: dict
    committee: dict
    area: dict
    abbreviations: list[Abbreviation]
    parts: list[Part]
    key_figures: KeyFigures | None = None  # from key-figures.yaml; a report without it has no key figures page


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
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ProblemFound(Problem(file, 1, "this Markdown file does not start with front matter.",
                                   "Begin the file with a line '---', then 'title:' and 'order:', then '---'."))
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            meta = parse_yaml("\n".join(lines[1:index]), file, first_line=2)
            if not isinstance(meta, dict):
                raise ProblemFound(Problem(file, 2, "the front matter is not a set of fields.",
                                           "Write one 'name: value' per line between the '---' lines."))
            return meta, "\n".join(lines[index + 1:]), index + 1
    raise ProblemFound(Problem(file, 1, "the front matter is not closed.",
                               "Add a line '---' after the last front matter field."))


def load_part(path: Path, problems: list[Problem], abbreviations: dict[str, str] | None = None) -> Part | None:
    file = display_path(path)
    try:
        meta, body, body_line = split_front_matter(read_text(path), file)
    except ProblemFound as found:
        problems += found.problems
        return None
    found = check_schema(meta, PART_SCHEMA, file, 2, "") + check_yaml_markdown(meta, file)
    slug = meta.get("slug") or re.sub(r"^\d+[-_ ]*", "", path.stem)
    if isinstance(slug, str) and not SLUG.match(slug):
        found.append(Problem(file, meta.key_lines.get("slug", 2) if isinstance(meta, Mapping) else 2,
                             f"the slug '{slug}' cannot be used in a web address.",
                             "Use lower-case letters, digits and hyphens only, e.g. 'slug: help-and-protection'."))
    shows = meta.get("shows")
    if shows is not None and shows not in SHOWS:
        found.append(Problem(file, meta.key_lines.get("shows", 2), f"'shows: {shows}' is not something a part can show.",
                             "Use one of: " + ", ".join(SHOWS) + ", or remove the line."))
    if found:
        problems += found
        return None
    tokens, env = parse_markdown(body, line_offset=body_line, abbreviations=abbreviations)
    problems += _check_footnotes(tokens, file, body_line)
    problems += check_markdown(tokens, env, file, body_line)
    return Part(
        source=file,
        title=meta["title"],
        order=meta["order"],
        slug=slug,
        page=meta.get("page") or slug,
        heading=meta.get("heading") or meta["title"],
        judgement=meta.get("judgement"),
        judgement_statement=meta.get("judgement_statement"),
        recommendations=bool(meta.get("recommendations", False)),
        shows=shows,
        tokens=tokens,
        env=env,
    )


UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


def _check_footnotes(tokens: list[Token], file: str, line_offset: int) -> list[Problem]:
    """A footnote reference left as text means its note is missing."""
    problems = []
    for token in tokens:
        if token.type == "inline" and "[^" in token.content:
            for child in token.children or ():
                for match in UNDEFINED_FOOTNOTE.finditer(child.content if child.type == "text" else ""):
                    label = match.group(1)
                    problems.append(Problem(file, line_offset + token.map[0] + 1, f"the footnote [^{label}] has no note.",
                                            f"Add a line '[^{label}]: the text of the note' at the end of the file."))
    return problems


def load_report(content_dir: Path, cache: LoadCache | None = None) -> Report:
    """Read and check the whole content folder; raise BuildError listing every problem.

    With a `cache` (serve), files whose bytes have not changed since the last load are not parsed again.
    """
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if not content_dir.is_dir():
        raise BuildError([Problem(display_path(content_dir), 1, "the content folder does not exist.",
                                  "Pass the folder that holds report.yaml with --content.")])
    def load_yaml(name: str, schema: Any, check: Callable[[Any, str], list[Problem]] | None = None) -> Any:
        path = content_dir / name
        return _load_file(cache, "yaml", path, None, lambda found: load_yaml_file(path, schema, found, check), problems)

    meta = load_yaml("report.yaml", REPORT_SCHEMA, lambda data, file: check_web_address(data, file) + check_footnotes_in_yaml(data, file))
    committee = load_yaml("committee.yaml", COMMITTEE_SCHEMA)
    area = load_yaml("area.yaml", AREA_SCHEMA, check_footnotes_in_yaml)
    abbreviations = load_yaml("abbreviations.yaml", ABBREVIATIONS_SCHEMA, check_abbreviations)
    key_figures = load_key_figures(content_dir / "key-figures.yaml", cache, problems)
    expansions = {entry["abbreviation"]: entry["expansion"] for entry in abbreviations or []}
    parts = [_load_file(cache, "part", path, expansions, lambda found, path=path: load_part(path, found, expansions), problems)
             for path in sorted((content_dir / "parts").glob("*.md"))]
    parts = [part for part in parts if part is not None]
    problems += [_unshown_text(part) for part in parts if part.shows == "area" and part.tokens]
    if area is not None:
        parts = [_with_area(part, area, expansions, cache) if part.shows == "area" else part for part in parts]
    if cache is not None:
        cache.forget_unused()
    if not parts and not problems:
        problems.append(Problem(display_path(content_dir / "parts"), 1, "there are no parts of the report.",
                                "Add Markdown files such as 'parts/01-executive-summary.md'."))
    problems += _check_parts(parts)
    if problems:
        raise BuildError(problems)
    return Report(
        content_dir=content_dir,
        meta=meta,
        committee=committee,
        area=area,
        abbreviations=[Abbreviation(a["abbreviation"], a["expansion"]) for a in abbreviations],
        parts=sorted(parts, key=lambda part: (part.order, part.source)),
        key_figures=key_figures,
    )


def load_key_figures(path: Path, cache: LoadCache | None, problems: list[Problem]) -> KeyFigures | None:
    """The figures of key-figures.yaml, checked; None for a report without the file."""
    if not path.exists():
        return None

    def load(found: list[Problem]) -> KeyFigures | None:
        data = load_yaml_file(path, KEY_FIGURES_SCHEMA, found)
        return None if data is None else key_figures_from(data, display_path(path), found)

    return _load_file(cache, "yaml", path, None, load, problems)


def _with_area(part: Part, area: dict, expansions: dict[str, str], cache: LoadCache | None) -> Part:
    """The part that shows the area's facts, with the facts as its text."""
    markdown = area_markdown(area)

    def make() -> Part:
        tokens, env = parse_markdown(markdown, line_offset=0, abbreviations=expansions)
        return dataclasses.replace(part, tokens=tokens, env=env)

    return make() if cache is None else cache.remember(("area", part.source), (part, markdown, expansions), make)


def area_markdown(area: dict) -> str:
    """The facts about the local authority area as Markdown, so they render like any part."""
    lines = [f"## {area['title']}", ""]
    for group in area["groups"]:
        lines += [f"### {group['heading']}", ""]
        for fact in group["facts"]:
            if isinstance(fact, str):
                lines.append(f"- {fact}")
            else:
                lines.append(f"- {fact['text']}")
                lines += [f"  - {detail}" for detail in fact["details"]]
        lines.append("")
    for label, note in (area.get("footnotes") or {}).items():
        lines += [f"[^{label}]: {note}", ""]
    return "\n".join(lines)


def check_web_address(meta: Mapping, file: str) -> list[Problem]:
    """The address the site is published at is a web address: every download names it and links to it, and
    the large print PDF resolves its relative links against it (so a file:// address would reach into this machine)."""
    address = meta["web_address"]
    try:
        parts = urllib.parse.urlsplit(address) if address.isprintable() and " " not in address else None
    except ValueError:  # such as an unclosed IPv6 address, 'https://[::1'
        parts = None
    if parts and parts.scheme in ("https", "http") and parts.netloc:
        return []
    return [Problem(file, meta.key_lines.get("web_address", 1), f"'{address}' is not a web address the site can be published at.",
                    "Write the address the site will have, starting https://, e.g. 'https://www.example.gov.uk/inspection/'.")]


def check_footnotes_in_yaml(data: Mapping, file: str) -> list[Problem]:
    """The notes under 'footnotes:' are text, and each is referred to: by 'title_footnote:', or as [^label] in the
    file's text; a reference has its note. (A note nothing refers to would not be shown.)"""
    notes = data.get("footnotes") or {}
    lines = getattr(notes, "key_lines", {})
    problems = [Problem(file, lines.get(label, 1), f"the footnote '{label}' should be text, but it is not.",
                        "Write the text of the note after the label, e.g. '\"2\": The figures are from 2015.'")
                for label, note in notes.items() if not isinstance(note, str) or not note.strip()]
    problems += [Problem(file, lines.get(label, 1), f"the footnote label {label} should be text, but it is {describe(type(label))}.",
                         f"Put it in quotes: '\"{label}\": ...'.")
                 for label in notes if not isinstance(label, str)]
    labels = {str(label) for label in notes}
    referred = set()
    for line, text in yaml_texts(data, 1):
        for label in UNDEFINED_FOOTNOTE.findall(text):
            referred.add(label)
            if label not in labels:
                problems.append(Problem(file, line, f"the footnote [^{label}] has no note.",
                                        f"Add its note under 'footnotes:', e.g. '\"{label}\": The text of the note.'"))
    title_footnote = data.get("title_footnote")
    if title_footnote is not None:
        referred.add(title_footnote)
        if title_footnote not in labels:
            problems.append(Problem(file, data.key_lines["title_footnote"], f"the title's footnote '{title_footnote}' has no note.",
                                    f"Add its note under 'footnotes:', e.g. '\"{title_footnote}\": The text of the note.'"))
    problems += [Problem(file, lines.get(label, 1), f"the note of footnote '{label}' is not referred to anywhere, so it would not be shown.",
                         f"Write [^{label}] in the text where the note belongs, or delete the note.")
                 for label in notes if str(label) not in referred]
    return problems


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
        first_line.setdefault(abbreviation, line)
        if not expansion.strip():
            problems.append(Problem(file, entry.key_lines.get("expansion", line), f"the expansion of '{abbreviation.strip()}' is empty.",
                                    "Write what the abbreviation stands for after 'expansion:'."))
    return problems


def _unshown_text(part: Part) -> Problem:
    """A part that shows the area's facts is shown as those facts: text written under its front matter would be lost."""
    return Problem(part.source, part.env["line_offset"] + next((token.map[0] for token in part.tokens if token.map), 0) + 1,
                   "this part shows the area's facts ('shows: area'), so the text written here would not be shown.",
                   "Move the text to another part, or delete it.")


def _check_parts(parts: list[Part]) -> list[Problem]:
    problems = []
    seen_order: dict[int, Part] = {}
    seen_slug: dict[str, Part] = {}
    for part in parts:
        if part.order in seen_order:
            problems.append(Problem(part.source, 2, f"'order: {part.order}' is also used by {seen_order[part.order].source}.",
                                    "Give each part its own order number."))
        seen_order.setdefault(part.order, part)
        if part.slug in seen_slug:
            problems.append(Problem(part.source, 2, f"the slug '{part.slug}' is also used by {seen_slug[part.slug].source}.",
                                    "Give each part its own 'slug:'."))
        seen_slug.setdefault(part.slug, part)
    return problems
