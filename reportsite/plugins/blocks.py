"""Building blocks: what a report prints besides its running text, written as a fenced block whose info
string names the block and whose body is YAML.

    ```facts
    - label: "Published:"
      text: 2 March 2020
    ```

The blocks are general (a list of facts, a notice, a graded table, a table, a list of people, the
site's other formats), so that any report can use them in any part. A core rule after `block` reads
and checks each block's YAML, recording what is wrong, with its line, in `env["block_problems"]`.
Every text in a block is inline Markdown (emphasis, footnote references, citations), except a `part:`
field, which names a part of the report by its slug: each text becomes an `inline` token, so that the
other rules treat it like any text, and a core rule at the end folds them into one `report_block`
token (meta: the block's name, its data, its line) whose children are those inline tokens. The
renderer asks `env["render_block"]` for the block's HTML, given the data with each text as HTML (Markup);
each kind's `plain` gives the same data as lines of plain text, for the formats that are not HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..yamlfile import Optional, ProblemFound, check_schema, parse_yaml
from .abbreviations import mark_site_html


@dataclass(frozen=True)
class BlockKind:
    """A building block: its name (the fence's info string), the schema of its YAML, `list_of` (for a block
    whose YAML is a list, the name its component is given the list by), and `plain`, the block as lines
    of plain text. It is rendered by the component templates/components/NAME.html, whose macro has the
    block's name (hyphens written as underscores)."""

    name: str
    schema: Any
    plain: Callable[[dict], list[tuple[str, str]]]
    list_of: str | None = None
    check: Callable[[Any, int], list[tuple[int, str, str]]] = lambda data, line: []  # what its schema cannot say

    @property
    def component(self) -> str:
        return f"components/{self.macro}.html"

    @property
    def macro(self) -> str:
        return self.name.replace("-", "_")


# A block as plain lines: (kind, text) pairs, "paragraph" for a line that stands alone, "line" for one of
# a run of short lines; the texts of its data already plain.
def _facts_lines(data: dict) -> list[tuple[str, str]]:
    return [("line", f"{item['label']} {item['text']}") for item in data["items"]]


def _notice_lines(data: dict) -> list[tuple[str, str]]:
    return [("paragraph", " ".join(text for text in (data.get("label"), data["text"]) if text))]


def _graded_table_lines(data: dict) -> list[tuple[str, str]]:
    return [("paragraph", data["caption"])] + [("line", f"{row['area']}: {row['grade']}") for row in data["rows"]]


def _table_lines(data: dict) -> list[tuple[str, str]]:
    return ([("paragraph", data["caption"]), ("line", " | ".join(data["columns"]))]
            + [("line", " | ".join(row)) for row in data["rows"]])


def _people_lines(data: dict) -> list[tuple[str, str]]:
    return [("line", f"{item['role']}: {', '.join(item['names'])}") for item in data["items"]]


def _two_columns(data: dict, line: int) -> list[tuple[int, str, str]]:
    """A graded table has a column of areas and a column of grades."""
    if data.get("columns") is None or len(data["columns"]) == 2:
        return []
    return [(getattr(data, "key_lines", {}).get("columns", line), f"a graded table has two columns, not {len(data['columns'])}.",
             "Give two column headings, for the areas and for their grades, e.g. 'columns: [Area, Grade]'.")]


def _a_cell_for_each_column(data: dict, line: int) -> list[tuple[int, str, str]]:
    lines = getattr(data["rows"], "item_lines", [line] * len(data["rows"]))
    return [(at, f"this row has {len(row)} cells, but the table has {len(data['columns'])} columns.",
             "Give every row one cell for each column, in order (write '' for an empty cell).")
            for row, at in zip(data["rows"], lines) if len(row) != len(data["columns"])]


BLOCK_KINDS = {kind.name: kind for kind in (
    # labels and texts, side by side: "Published: 2 March 2020"
    BlockKind("facts", [{"label": str, "text": str}], _facts_lines, list_of="items"),
    # a short statement set apart from the text; its label (a link, if it names a part) before it
    BlockKind("notice", {"label": Optional(str), "text": str, "part": Optional(str)}, _notice_lines),
    # areas and the grade given to each, each area a link to the part about it if it names one
    BlockKind("graded-table", {"caption": str, "columns": Optional([str]),
                               "rows": [{"area": str, "grade": str, "part": Optional(str)}]}, _graded_table_lines,
              check=_two_columns),
    # a table: its caption, its column headings, and rows whose first cell heads the row
    BlockKind("table", {"caption": str, "columns": [str], "rows": [[str]]}, _table_lines, check=_a_cell_for_each_column),
    # people by role: "Chair: Ada Lovelace"
    BlockKind("people", [{"role": str, "names": [str]}], _people_lines, list_of="items"),
    # the site's own downloads, offered where the report says how to ask for another format (nothing in a download)
    BlockKind("other-formats", {}, lambda data: []),
)}


def blocks_plugin(md: MarkdownIt) -> None:
    """Use it after the other plugins: its last rule folds the texts once every other rule has seen them."""
    md.core.ruler.after("block", "report_blocks", read_blocks)
    md.core.ruler.push("report_blocks_fold", fold_blocks)
    md.add_render_rule("report_block", render_block)


class Text(int):
    """A text of a block's data, standing for the block's inline token of that index."""


def read_blocks(state: StateCore) -> None:
    """Replace each fence naming a block with `report_block_open`, an inline token per text, and `report_block_close`."""
    offset = state.env.get("line_offset", 0)
    problems = state.env.setdefault("block_problems", [])
    tokens: list[Token] = []
    for token in state.tokens:
        name = token.info.strip() if token.type == "fence" else ""
        kind = BLOCK_KINDS.get(name)
        if kind is None:
            close = _close_block_names(name) if name else []
            if close:
                problems.append((offset + token.map[0] + 1, f"'{name}' is not a building block.",
                                 f"Did you mean '{close[0]}'? The blocks are: {', '.join(BLOCK_KINDS)}."))
            tokens.append(token)
            continue
        first_line = offset + token.map[0] + 2  # the line after the fence
        try:
            data = parse_yaml(token.content, "", first_line=first_line)
        except ProblemFound as found:
            problems.append((found.problem.line, f"in this {name} block, {found.problem.message}", found.problem.fix))
            continue
        if data is None:
            data = [] if kind.list_of else {}
        found = [(problem.line, problem.message, problem.fix) for problem in check_schema(data, kind.schema, "", first_line, "")]
        if not found and kind.list_of and not data:
            found = [(first_line, "there is nothing to show.", "Write at least one item, or remove the block.")]
        found = found or _unknown(data, kind.schema, name, first_line) or kind.check(data, first_line)
        if found:
            problems += [(line, f"in this {name} block, {message}", fix) for line, message, fix in found]
            continue
        data = _with_every_field(data, kind.schema)
        if kind.list_of:
            data = {kind.list_of: data}
        texts: list[tuple[str, int]] = []
        parts: list[tuple[str, int]] = []
        data = _number_texts(data, texts, parts, first_line)
        opened = Token("report_block_open", "", 1)
        opened.meta = {"name": name, "data": data, "line": first_line - 1, "parts": parts}
        opened.map, opened.level, opened.block = token.map, token.level, True
        tokens.append(opened)
        for text, line in texts:
            inline = Token("inline", "", 0)
            inline.content, inline.map, inline.level, inline.children = text, [line - 1 - offset, line - offset], token.level + 1, []
            tokens.append(inline)
        closed = Token("report_block_close", "", -1)
        closed.level, closed.block = token.level, True
        tokens.append(closed)
    state.tokens = tokens


def _close_block_names(name: str) -> list[str]:
    import difflib  # only for a fence that names no block

    return difflib.get_close_matches(name, BLOCK_KINDS, n=1, cutoff=0.75)


def _unknown(data: Any, schema: Any, name: str, line: int) -> list[tuple[int, str, str]]:
    """Each field that no block of this kind has: a misspelt name, not something to ignore."""
    if isinstance(schema, Optional):
        schema = schema.schema
    if isinstance(schema, list) and isinstance(data, list):
        lines = getattr(data, "item_lines", [line] * len(data))
        return [problem for item, at in zip(data, lines) for problem in _unknown(item, schema[0], name, at)]
    if not (isinstance(schema, dict) and isinstance(data, dict)):
        return []
    key_lines = getattr(data, "key_lines", {})
    fields = ", ".join(schema) or "none: leave it empty"
    found = [(key_lines.get(key, line), f"'{key}' is not a field of a {name} block.",
              f"Check its spelling; the fields are: {fields}.") for key in data if key not in schema]
    return found + [problem for key, value in data.items() if key in schema
                    for problem in _unknown(value, schema[key], name, key_lines.get(key, line))]


def _with_every_field(data: Any, schema: Any) -> Any:
    """The block's data with each optional field it leaves out given as None, so that components need not ask."""
    if isinstance(schema, list) and isinstance(data, list):
        return _keep_lines(data, [_with_every_field(item, schema[0]) for item in data])
    if isinstance(schema, dict) and isinstance(data, dict):
        filled = {name: _with_every_field(data.get(name), field.schema if isinstance(field, Optional) else field)
                  for name, field in schema.items()}
        return _keep_lines(data, filled)
    return data


def _keep_lines(original: Any, new: Any) -> Any:
    """`new` (a dict or list made from `original`) with the lines YAML gave `original`'s fields or items."""
    made = type(original)(new)
    for name in ("line", "key_lines", "item_lines"):
        if hasattr(original, name):
            setattr(made, name, getattr(original, name))
    return made


def _number_texts(data: Any, texts: list[tuple[str, int]], parts: list[tuple[str, int]], line: int, key: str = "") -> Any:
    """`data` with each text replaced by its index in `texts`, where it is kept with its line; each part
    it names (in a `part:` field) is kept in `parts`, with its line."""
    if isinstance(data, dict):
        key_lines = getattr(data, "key_lines", {})
        return {name: _number_texts(value, texts, parts, key_lines.get(name, line), name) for name, value in data.items()}
    if isinstance(data, list):
        item_lines = getattr(data, "item_lines", [line] * len(data))
        return [_number_texts(value, texts, parts, item_lines[index], key) for index, value in enumerate(data)]
    if isinstance(data, str) and key == "part":
        parts.append((data, line))
    elif data is None:
        return None
    elif isinstance(data, str):
        texts.append((data, line))
        return Text(len(texts) - 1)
    return data


def fold_blocks(state: StateCore) -> None:
    """Fold each block's inline tokens into one `report_block` token, once every other rule has seen them."""
    tokens: list[Token] = []
    block: Token | None = None
    for token in state.tokens:
        if token.type == "report_block_open":
            block = token
            block.type, block.nesting, block.children = "report_block", 0, []
            tokens.append(block)
        elif token.type == "report_block_close":
            block = None
        elif block is not None:
            block.children.append(token)
        else:
            tokens.append(token)
    state.tokens = tokens


def fill(data: Any, texts: list) -> Any:
    """The block's data with each text given as in `texts` (HTML, or plain text)."""
    if isinstance(data, dict):
        return {name: fill(value, texts) for name, value in data.items()}
    if isinstance(data, list):
        return [fill(value, texts) for value in data]
    if isinstance(data, Text):
        return texts[data]
    return data


def render_block(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    texts = [Markup(self.renderInline(child.children or [], options, env)) for child in token.children]
    return mark_site_html(env["render_block"](token.meta["name"], fill(token.meta["data"], texts)), env)


BlockRenderer = Callable[[str, dict], str]
