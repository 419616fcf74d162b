"""YAML that remembers where each value was written, and checks it against a schema."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problem

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


class _LineLoader(_Base):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node):
    sequence = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def parse_yaml(text: str, file: str, first_line: int = 1) -> Any:
    """Parse YAML text; a syntax error becomes a Problem naming the file and line."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        what = (error.problem or error.context or "cannot be read").strip()
        if error.context and error.context_mark and error.problem_mark and error.context_mark.line != error.problem_mark.line:
            what += f" ({error.context} that starts on line {first_line + error.context_mark.line})"
        raise ProblemFound(
            Problem(file, line, f"this YAML does not parse: {what}.",
                    "Check the indentation and quoting on this line and the one above "
                    '(text containing ": " or starting with a quote must be quoted).')
        ) from None
    except yaml.YAMLError as error:
        raise ProblemFound(Problem(file, first_line, f"this YAML does not parse: {error}.")) from None
    _shift_lines(data, first_line - 1)
    return data


def _shift_lines(data: Any, by: int) -> None:
    if not by:
        return
    if isinstance(data, Mapping):
        data.line += by
        data.key_lines = {k: v + by for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, by)
    elif isinstance(data, Sequence):
        data.line += by
        data.item_lines = [line + by for line in data.item_lines]
        for value in data:
            _shift_lines(value, by)


class ProblemFound(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# -- schemas -----------------------------------------------------------------
# A schema is a Python type (str, int, bool, datetime.date), a dict of field
# name to schema (Optional(...) for fields that may be left out), a one-item
# list [schema] for a list of such items, or OneOf(schema, ...).


@dataclass(frozen=True)
class Optional:
    schema: Any


@dataclass(frozen=True)
class OneOf:
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
            if name not in data or data[name] is None:
                if required:
                    problems.append(Problem(file, getattr(data, "line", line),
                                            f"the required field '{label}' is missing.",
                                            f"Add '{name}:' with {describe(field_schema)}."))
                continue
            key_line = getattr(data, "key_lines", {}).get(name, line)
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
    found = describe(type(data)) if type(data) in _TYPE_WORDS else (
        "a list" if isinstance(data, list) else "a set of fields" if isinstance(data, dict) else repr(data))
    fix = f"Write {describe(schema)} here"
    if schema is str and not isinstance(data, str):
        fix += ' (put the value in quotes, e.g. "1" or "0300 123 4234")'
    return Problem(file, line, f"'{where}' should be {describe(schema)}, but it is {found}.", fix + ".")
