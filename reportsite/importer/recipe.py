"""An editor's recipe (`import.yaml` in the content folder): what the editors decided about the report
as imported, kept apart from it so that importing the source again keeps their work.

The import reads the recipe and never writes it. `apply_recipe` is a pure stage between finding the
structure and writing the content: it names the report, sets parts aside, splits and joins parts,
adds front matter, and puts building blocks and Markdown beside or in place of passages, never
changing a word of the report (a passage replaced must have all its words, in order, in what
replaces it). Every entry must match something; one that does not is an error naming its line.
See docs/importing.md.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content import SLUG
from ..errors import ProblemFound
from ..yamlfile import Mapping, Sequence, parse_yaml
from .layout import SUPERSCRIPTS, superscript
from .model import Change, ImportedReport, LeftOut, Paragraph, Part, SourceError, Where
from .structure import _key, _slug
from .verify import ESCAPE, FOOTNOTE, words

RECIPE = "import.yaml"
PART_FIELDS = {"heading", "starts_at", "title", "front", "set_aside", "join", "changes"}
CHANGE_FIELDS = {"text", "paragraph", "to", "level", "replace", "before", "after", "set_aside"}
ACTIONS = ("level", "replace", "before", "after", "set_aside")


@dataclass
class PassageChange:
    """One change to a passage of a part: the passage named by the start of its first paragraph's
    text as printed (`text`) or by its number (`paragraph`), up to the paragraph `to` starts."""

    line: int
    text: str = ""
    paragraph: str = ""
    to: str = ""
    level: int = 0
    replace: str = ""
    before: str = ""
    after: str = ""
    set_aside: str = ""


@dataclass
class PartRecipe:
    """What to do with one part: the part headed `heading` as printed, or a new part that `starts_at`
    a paragraph of the part before it."""

    line: int
    heading: str = ""
    starts_at: str = ""
    title: str = ""
    front: dict = field(default_factory=dict)
    set_aside: str = ""
    join: bool = False
    changes: list[PassageChange] = field(default_factory=list)


@dataclass
class Recipe:
    file: str
    title: str = ""
    parts: list[PartRecipe] = field(default_factory=list)


def read_recipe(path: Path) -> Recipe:
    """The recipe in `path`; SourceError naming the line of anything the import cannot follow."""
    name = path.name
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"), name)
    except ProblemFound as found:
        raise SourceError(str(found.problem)) from None
    except UnicodeDecodeError:
        raise SourceError(f"{name}: this file is not UTF-8 text. Save it as UTF-8 and import again.") from None
    if data is None:
        return Recipe(name)
    if not isinstance(data, Mapping):
        raise SourceError(f"{name}:1: the recipe is not a set of fields. Write 'title:' and 'parts:' "
                          "as docs/importing.md shows.")
    _only(data, {"source", "title", "parts"}, name)
    recipe = Recipe(name, title=_text(data, "title", name))
    parts = data.get("parts") or Sequence()
    if not isinstance(parts, Sequence):
        raise SourceError(f"{name}:{_line(data, 'parts')}: 'parts:' is not a list. Write one '- heading: …' per part.")
    for index, entry in enumerate(parts):
        recipe.parts.append(_part_recipe(entry, parts.item_lines[index], name))
    return recipe


def _part_recipe(entry, line: int, name: str) -> PartRecipe:
    if not isinstance(entry, Mapping):
        raise SourceError(f"{name}:{line}: a part is written as fields. Write '- heading: ' and the part's heading as printed.")
    _only(entry, PART_FIELDS, name)
    part = PartRecipe(entry.line, heading=_text(entry, "heading", name), starts_at=_text(entry, "starts_at", name),
                      title=_text(entry, "title", name), set_aside=_text(entry, "set_aside", name),
                      join=entry.get("join") is True)
    if entry.get("join") not in (None, True, False):
        raise SourceError(f"{name}:{_line(entry, 'join')}: 'join:' is true or false. Write 'join: true' to join the part "
                          "to the one before it.")
    if bool(part.heading) == bool(part.starts_at):
        raise SourceError(f"{name}:{entry.line}: a part needs either 'heading:' (a part of the source, by its heading as "
                          "printed) or 'starts_at:' (a new part, from a paragraph of the part before). Write one of them.")
    if part.starts_at and not part.title:
        raise SourceError(f"{name}:{entry.line}: a part that starts at a paragraph has no heading of its own. "
                          "Give it a 'title:'.")
    front = entry.get("front") or Mapping()
    if not isinstance(front, dict):
        raise SourceError(f"{name}:{_line(entry, 'front')}: 'front:' is not a set of fields. Write the front matter "
                          "fields the part file should have, one per line.")
    slug = front.get("slug")
    if slug is not None and not (isinstance(slug, str) and SLUG.match(slug)):
        raise SourceError(f"{name}:{front.key_lines.get('slug', front.line)}: the slug {slug!r} cannot be a web address. "
                          "Write lower-case letters, digits and hyphens, e.g. 'care-leavers'.")
    part.front = dict(front)
    changes = entry.get("changes") or Sequence()
    if not isinstance(changes, Sequence):
        raise SourceError(f"{name}:{_line(entry, 'changes')}: 'changes:' is not a list. Write one '- text: …' per change.")
    for index, change in enumerate(changes):
        part.changes.append(_passage_change(change, changes.item_lines[index], name))
    return part


def _passage_change(entry, line: int, name: str) -> PassageChange:
    if not isinstance(entry, Mapping):
        raise SourceError(f"{name}:{line}: a change is written as fields. Write '- text: ' and the start of the "
                          "paragraph as printed, then what to do.")
    _only(entry, CHANGE_FIELDS, name)
    change = PassageChange(entry.line, text=_text(entry, "text", name), to=_text(entry, "to", name),
                           paragraph=str(entry.get("paragraph") or ""), replace=_text(entry, "replace", name).strip("\n"),
                           before=_text(entry, "before", name).strip("\n"), after=_text(entry, "after", name).strip("\n"),
                           set_aside=_text(entry, "set_aside", name))
    level = entry.get("level")
    if level is not None:
        if not isinstance(level, int) or isinstance(level, bool) or not 2 <= level <= 6:
            raise SourceError(f"{name}:{_line(entry, 'level')}: 'level:' is a heading level. Write 2 (a section) to 6.")
        change.level = level
    if bool(change.text) == bool(change.paragraph):
        raise SourceError(f"{name}:{entry.line}: a change names its passage by 'text:' (the start of its first "
                          "paragraph as printed) or by 'paragraph:' (its number). Write one of them.")
    if sum(bool(getattr(change, action)) for action in ACTIONS) != 1:
        raise SourceError(f"{name}:{entry.line}: a change does one thing. Write one of {', '.join(ACTIONS)}.")
    if change.to and (change.level or change.before or change.after):
        raise SourceError(f"{name}:{_line(entry, 'to')}: 'to:' goes with 'replace:' or 'set_aside:' only. "
                          "Name the one paragraph to change.")
    return change


def _only(mapping: Mapping, allowed: set[str], name: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise SourceError(f"{name}:{mapping.key_lines.get(key, mapping.line)}: '{key}' is not a field the import knows. "
                              f"Write one of: {', '.join(sorted(allowed))}.")


def _text(mapping: Mapping, key: str, name: str) -> str:
    value = mapping.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SourceError(f"{name}:{_line(mapping, key)}: '{key}:' is text. Write it in quotes if it is a number.")
    return value


def _line(mapping: Mapping, key: str) -> int:
    return mapping.key_lines.get(key, mapping.line)


# -- applying it -------------------------------------------------------------------------------

def apply_recipe(report: ImportedReport, recipe: Recipe) -> ImportedReport:
    """The report with the recipe's decisions applied; the import report says each one."""
    file = report.source.file
    left_out, changes = list(report.left_out), list(report.changes)
    title = report.title
    if recipe.title and recipe.title != report.title:
        left_out.append(LeftOut(report.title_where or Where(file), report.title,
                                f"the title the import found; {recipe.file} names the report's title"))
        title = recipe.title
    imported = copy.deepcopy(report.parts)
    parts: list[Part] = []
    position = 0
    for entry in recipe.parts:
        if entry.heading:
            found = next((i for i in range(position, len(imported)) if _key(imported[i].title) == _key(entry.heading)), None)
            if found is None:
                later = "" if position == 0 else " after the part headed " + repr(imported[position - 1].title)
                raise SourceError(f"{recipe.file}:{entry.line}: no part of the source{later} is headed {entry.heading!r}. "
                                  "Write the heading as printed, parts in the source's order (import-report.yaml "
                                  "and parts/ show the headings found).")
            parts += imported[position:found]
            part, position = imported[found], found + 1
        else:
            if not parts:
                raise SourceError(f"{recipe.file}:{entry.line}: a part that starts at a paragraph splits the part "
                                  "before it, and there is none. Name the part first, by its heading.")
            part = _split(parts[-1], entry, recipe.file)
        _change_passages(part, entry, recipe.file, file, left_out, changes)
        if entry.set_aside:
            left_out += _set_aside_part(part, entry.set_aside, file)
            changes.append(Change(part.where or Where(file), f"{recipe.file} line {entry.line}: the part "
                                                             f"{part.title!r} set aside: {entry.set_aside}"))
            continue
        if entry.join:
            if not parts:
                raise SourceError(f"{recipe.file}:{entry.line}: 'join:' joins a part to the one before it, and there is none. "
                                  "Remove 'join:'.")
            before = parts[-1]
            before.paragraphs += [Paragraph("heading", part.title, level=2, where=part.where)] + part.paragraphs
            before.notes.update(part.notes)
            changes.append(Change(part.where or Where(file), f"{recipe.file} line {entry.line}: the part {part.title!r} "
                                                             f"joined to {before.title!r}, its heading a section heading"))
            continue
        if entry.title and not entry.starts_at:
            part.title = entry.title
        part.front = dict(entry.front)
        part.slug = str(entry.front.get("slug") or (_slug(entry.title, Counter()) if entry.title else part.slug))
        parts.append(part)
    parts += imported[position:]
    return replace(report, title=title, parts=parts, left_out=left_out, changes=changes)


def _split(part: Part, entry: PartRecipe, recipe_file: str) -> Part:
    """The paragraphs of `part` from the one that starts as `entry.starts_at` says, as a new part."""
    at = next((i for i, p in enumerate(part.paragraphs) if _starts(p, entry.starts_at)), None)
    if at is None:
        raise SourceError(f"{recipe_file}:{entry.line}: no paragraph of the part {part.title!r} starts "
                          f"{entry.starts_at!r}. Write its first words as printed.")
    new = Part(entry.title, part.slug, part.paragraphs[at:], where=part.paragraphs[at].where)
    part.paragraphs = part.paragraphs[:at]
    markers = {m.translate(str.maketrans(SUPERSCRIPTS, "0123456789")) for p in new.paragraphs
               for m in re.findall(rf"[{SUPERSCRIPTS}]+", p.text)}
    for label in [label for label in part.notes if label.split("-")[0] in markers]:
        new.notes[label] = part.notes.pop(label)
    return new


def _change_passages(part: Part, entry: PartRecipe, recipe_file: str, file: str,
                     left_out: list[LeftOut], changes: list[Change]) -> None:
    for change in entry.changes:
        first = _find(part.paragraphs, change)
        if first is None:
            named = f"paragraph {change.paragraph}" if change.paragraph else f"paragraph that starts {change.text!r}"
            raise SourceError(f"{recipe_file}:{change.line}: the part {part.title!r} has no {named}. "
                              "Write its first words as printed, in the part it is in.")
        last = first
        if change.to:
            last = next((i for i in range(first, len(part.paragraphs)) if _starts(part.paragraphs[i], change.to)), None)
            if last is None:
                raise SourceError(f"{recipe_file}:{change.line}: no paragraph after the first of the passage starts "
                                  f"{change.to!r}. Write the first words of its last paragraph as printed.")
        passage = part.paragraphs[first:last + 1]
        where = passage[0].where or Where(file)
        said = f"{recipe_file} line {change.line}: "
        if change.level:
            heading = passage[0]
            heading.kind, heading.level, heading.number = "heading", change.level, ""
            if heading.lines:
                heading.text, heading.lines = " ".join(heading.lines), []
            changes.append(Change(where, said + f"a heading of level {change.level}"))
        elif change.replace:
            lost = _words_left_out(passage, change.replace)
            if lost:
                raise SourceError(f"{recipe_file}:{change.line}: what replaces the passage leaves out or reorders its "
                                  f"words from {lost!r}. The report's words must all be there, in order.")
            part.paragraphs[first:last + 1] = [Paragraph("markdown", change.replace, where=where)]
            changes.append(Change(where, said + f"{len(passage)} paragraph(s) written as the recipe gives them"))
        elif change.before or change.after:
            added = Paragraph("markdown", change.before or change.after, where=where)
            part.paragraphs.insert(first if change.before else first + 1, added)
            changes.append(Change(where, said + f"the recipe's Markdown added {'before' if change.before else 'after'} it"))
        else:
            left_out += [LeftOut(p.where or Where(file), _plain_text(p), change.set_aside) for p in passage]
            del part.paragraphs[first:last + 1]


def _set_aside_part(part: Part, why: str, file: str) -> list[LeftOut]:
    pieces = [LeftOut(part.where, part.title, why)] if part.where else []
    pieces += [LeftOut(p.where or Where(file), _plain_text(p), why) for p in part.paragraphs]
    pieces += [LeftOut(Where(file), f"{superscript(label.split('-')[0])} {note}", why) for label, note in part.notes.items()]
    return pieces


def _plain_text(paragraph: Paragraph) -> str:
    text = " ".join(" ".join(row) for row in paragraph.rows) if paragraph.rows else paragraph.text
    return f"{paragraph.number}. {text}" if paragraph.number and paragraph.kind == "numbered" else text


def _normal(text: str) -> str:
    return " ".join(text.translate(str.maketrans("", "", SUPERSCRIPTS)).split())


def _text_of(paragraph: Paragraph) -> str:
    """The text a recipe names a paragraph by: as printed, its number aside."""
    return paragraph.text if paragraph.kind == "numbered" else _plain_text(paragraph)


def _starts(paragraph: Paragraph, text: str) -> bool:
    return bool(text) and _normal(_text_of(paragraph)).startswith(_normal(text))


def _find(paragraphs: list[Paragraph], change: PassageChange) -> int | None:
    """The paragraph a change names: by number; else the first whose whole text it is, else the first it starts."""
    if change.paragraph:
        return next((i for i, p in enumerate(paragraphs) if p.kind == "numbered" and p.number == change.paragraph), None)
    whole = next((i for i, p in enumerate(paragraphs) if _normal(_text_of(p)) == _normal(change.text)), None)
    return whole if whole is not None else next((i for i, p in enumerate(paragraphs) if _starts(p, change.text)), None)


def _words_left_out(passage: list[Paragraph], markdown: str) -> str:
    """The words of the passage from the first that `markdown` does not hold in order; '' when it holds them all."""
    given = iter(words(ESCAPE.sub(r"\1", FOOTNOTE.sub(lambda m: f" {m.group(1)} ", markdown))))
    wanted = [w for p in passage for w in words(_plain_text(p))]
    for index, word in enumerate(wanted):
        if not any(word == other for other in given):
            return " ".join(wanted[index:index + 8])
    return ""
