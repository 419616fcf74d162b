"""YAML that remembers where each value was written, and checks it against a schema."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problem, ProblemFound
from .textfile import UNPUBLISHABLE, describe_character

try:
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - the C loader is absent on some builds
    _Base = yaml.SafeLoader


class Mapping(dict):
    """A YAML mapping with the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict


class Sequence(list):
    """A YAML sequence with the line of the sequence and of each item."""

    line: int = 0
    item_lines: list


MAX_DEPTH = 32  # lists and fields within one another; the report's files need five
CORE = "tag:yaml.org,2002:"
# Tags that only say what the value already is; any other tag (!!python/object, !!binary, !custom) is refused.
ALLOWED_TAGS = {"!"} | {CORE + name for name in ("str", "int", "float", "bool", "null", "seq", "map")}


class _LineLoader(_Base):
    """Builds Mapping and Sequence, with lines counted from `first_line`; a value that cannot be
    made (a date that does not exist, a number too long to read, a field written twice) is a Problem."""

    file = ""
    first_line = 1

    def line_of(self, node) -> int:
        return self.first_line + node.start_mark.line

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            raise ProblemFound(_value_problem(self.file, self.line_of(node), node, error)) from None


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = loader.line_of(node)
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.line_of(key_node)
        if key in mapping:
            raise ProblemFound(Problem(loader.file, line, f"the field '{key}' is written twice: on line {mapping.key_lines[key]} and on line {line}.",
                                       "Keep the one you mean and delete the other."))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader, node):
    sequence = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = loader.line_of(node)
    sequence.item_lines = [loader.line_of(child) for child in node.value]
    return sequence


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _value_problem(file: str, line: int, node, error: Exception) -> Problem:
    value = str(getattr(node, "value", ""))
    if node.tag == CORE + "timestamp":
        return Problem(file, line, f"'{value}' is not a date: {error}.", "Write a date that exists, as YYYY-MM-DD, e.g. 2020-03-02.")
    if node.tag == CORE + "int":
        return Problem(file, line, f"the number '{value[:12]}…' has {len(value)} digits, too many to read.",
                       "Write a shorter number, or put it in quotes if it is text.")
    if isinstance(error, TypeError) and "unhashable" in str(error):
        return Problem(file, line, "a list or a set of fields is written where the name of a field should be.",
                       "Write a name, then ':' and the value.")
    return Problem(file, line, f"this value cannot be read: {error}.", "Check what is written on this line.")


def parse_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse YAML text; anything wrong becomes a Problem naming the file and line.

    Before anything is built from it, the YAML is read through once as a stream of events, so
    that what would take unbounded time or memory to build, or what is not plain data, is
    refused first: repeats (aliases, which can multiply a few lines into billions of values),
    values nested deeper than MAX_DEPTH, tags other than the plain ones, and quoted text whose
    escapes make characters that cannot be published.
    """
    try:
        _check_events(text, file, first_line)
        loader = _LineLoader(text)
        loader.file, loader.first_line = file, first_line
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        raise ProblemFound(_syntax_problem(error, file, first_line)) from None
    except yaml.YAMLError as error:
        position = getattr(error, "position", None)
        line = first_line + (text.count("\n", 0, position) if isinstance(position, int) else 0)
        raise ProblemFound(Problem(file, line, "this YAML does not parse.", "Check what is written on this line.")) from None


def _check_events(text: str, file: str, first_line: int) -> None:
    """Raise ProblemFound at the first alias, tag, nesting or escaped character that a content file may not hold."""
    events = _Base(text)
    anchors: dict[str, int] = {}
    depth = 0
    try:
        while (event := events.get_event()) is not None:
            line = first_line + event.start_mark.line
            if isinstance(event, yaml.AliasEvent):
                marked = f" on line {anchors[event.anchor]}" if event.anchor in anchors else ""
                raise ProblemFound(Problem(file, line, f"'*{event.anchor}' repeats the value marked '&{event.anchor}'{marked}; "
                                                       "repeats (YAML aliases) are not allowed in content files.",
                                           "Write the value out in full here."))
            if getattr(event, "anchor", None):
                anchors[event.anchor] = line
            tag = getattr(event, "tag", None)
            if tag and tag not in ALLOWED_TAGS:
                shown = tag.replace(CORE, "!!", 1)
                raise ProblemFound(Problem(file, line, f"the tag '{shown}' is not allowed: content files hold only text, "
                                                       "numbers, dates, lists and fields.",
                                           "Remove the tag (put the value in quotes if it is text)."))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ProblemFound(Problem(file, line, f"the values here are nested more than {MAX_DEPTH} levels deep.",
                                               "Check the brackets and the indentation: a content file needs only a few levels."))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and (bad := UNPUBLISHABLE.search(event.value)):
                raise ProblemFound(Problem(file, line, f"an escape in this quoted text makes the invisible character "
                                                       f"{describe_character(bad.group())}, which cannot be published in a web page or e-book.",
                                           "Delete the escape (a backslash and what follows it, such as '\\a' or '\\x07')."))
    finally:
        events.dispose()


_SYNTAX_FIXES = (
    ("escape", "In double quotes a backslash starts an escape: write '\\\\' for a backslash, or use single quotes."),
    ("'\\t'", "Indent with spaces, not tabs."),
    ("single document", "A content file holds one document: remove the second '---' line and what follows it, "
                        "or move it to its own file."),
)


def _syntax_problem(error: yaml.MarkedYAMLError, file: str, first_line: int) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = first_line + (mark.line if mark else 0)
    what = (error.problem or error.context or "cannot be read").strip()
    if error.context and error.context_mark and error.problem_mark and error.context_mark.line != error.problem_mark.line:
        what += f" ({error.context} that starts on line {first_line + error.context_mark.line})"
    fix = next((fix for clue, fix in _SYNTAX_FIXES if clue in what), None)
    return Problem(file, line, f"this YAML does not parse: {what}.",
                   fix or "Check the indentation and quoting on this line and the one above "
                          '(text containing ": " or starting with a quote must be quoted).')


# -- schemas -----------------------------------------------------------------
# A schema is a Python type (str, int, bool, datetime.date), a dict of field
# name to schema (Optional(...) for fields that may be left out), a one-item
# list [schema] for a list of such items, or OneOf(schema, ...).


@dataclass(frozen=True, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class Optional:
    """In a schema: a field that may be left out (or be null), and what it holds when written."""

    schema: Any


@dataclass(frozen=True, init=False, eq=False, repr=False)  # never compared nor printed: see docs/architecture.md, Start-up
class OneOf:
    """In a schema: a value that may be any one of `schemas`."""

    schemas: tuple

    def __init__(self, *schemas):
        object.__setattr__(self, "schemas", schemas)


_TYPE_WORDS = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    datetime.date: "a date written YYYY-MM-DD",
}


def describe(schema: Any) -> str:
    if isinstance(schema, dict):
        return "a set of fields (" + ", ".join(schema) + ")"
    if isinstance(schema, list):
        return "a list"
    if isinstance(schema, OneOf):
        return " or ".join(describe(s) for s in schema.schemas)
    return _TYPE_WORDS.get(schema, getattr(schema, "__name__", str(schema)))


def check_schema(data: Any, schema: Any, file: str, line: int, where: str) -> list[Problem]:
    """Every way `data` differs from `schema`, each located and with what to change."""
    if isinstance(schema, OneOf):
        for option in schema.schemas:
            if not check_schema(data, option, file, line, where):
                return []
        return [_wrong_type(data, schema, file, line, where)]
    if isinstance(schema, dict):
        if not isinstance(data, dict):
            return [_wrong_type(data, schema, file, line, where)]
        problems = []
        for name, field_schema in schema.items():
            required = not isinstance(field_schema, Optional)
            field_schema = field_schema.schema if isinstance(field_schema, Optional) else field_schema
            label = f"{where}.{name}" if where else name
            if name not in data:
                if required:
                    problems.append(Problem(file, getattr(data, "line", line),
                                            f"the required field '{label}' is missing.",
                                            f"Add '{name}:' with {describe(field_schema)}."))
                continue
            key_line = getattr(data, "key_lines", {}).get(name, line)
            if data[name] is None:
                if required:
                    problems.append(Problem(file, key_line, f"the required field '{label}' is empty.",
                                            f"Write {describe(field_schema)} after '{name}:'."))
                continue
            problems += check_schema(data[name], field_schema, file, key_line, label)
        return problems
    if isinstance(schema, list):
        if not isinstance(data, list):
            return [_wrong_type(data, schema, file, line, where)]
        problems = []
        lines = getattr(data, "item_lines", [line] * len(data))
        for index, item in enumerate(data):
            problems += check_schema(item, schema[0], file, lines[index], f"{where}[{index + 1}]")
        return problems
    valid = isinstance(data, schema) and not (schema is int and isinstance(data, bool))
    if schema is datetime.date and isinstance(data, datetime.datetime):
        valid = False
    return [] if valid else [_wrong_type(data, schema, file, line, where)]


def _wrong_type(data: Any, schema: Any, file: str, line: int, where: str) -> Problem:
    found = describe(type(data)) if type(data) in _TYPE_WORDS else "empty" if data is None else (
        "a list" if isinstance(data, list) else "a set of fields" if isinstance(data, dict) else repr(data))
    fix = f"Write {describe(schema)} here"
    if schema is str and not isinstance(data, str):
        fix += ' (put the value in quotes, e.g. "1" or "0300 123 4234")'
    what = f"'{where}' should be" if where else "this file should hold"
    return Problem(file, line, f"{what} {describe(schema)}, but it is {found}.", fix + ".")


def what_to_write(schema: Any) -> str:
    """What to write in an empty file that should hold `schema`, for an editor."""
    if isinstance(schema, dict):
        return f"Write its fields in it, one 'name: value' to a line, starting with '{next(iter(schema))}:'."
    if isinstance(schema, list) and isinstance(schema[0], dict):
        return f"Write its entries in it as a list, each starting with '- {next(iter(schema[0]))}:'."
    return f"Write {describe(schema)} in it."
