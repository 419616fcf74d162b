"""Key figures: the figures the report states, loaded from key-figures.yaml and checked.

Each figure names the paragraph it comes from. Loading checks the figures themselves
(content.load_report), resolving checks that each paragraph exists (crossrefs.resolve), and
charts.py draws each as a bar chart: a figure marked `comparison` (an average, a threshold) as a
labelled line across the bars of the figures it is compared with.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import Problem
from .plugins.numbered_paragraphs import paragraph_anchor
from .yamlfile import OneOf, Optional

UNITS = ("weeks", "days", "per cent")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KEY_FIGURES_SCHEMA = [{
    "id": str,
    "title": str,
    "paragraph": OneOf(int, str),
    "unit": str,
    "description": str,
    "labels": str,
    "bars": [{"label": str, "value": object, "comparison": Optional(bool), "group": Optional(str)}],
}]


@dataclass(frozen=True)
class Bar:
    """One figure of a chart: a label as the report writes it, and its value."""

    label: str
    value: int | float
    comparison: bool = False  # a figure the report compares its subject's with: drawn as a line, not a bar
    group: str | None = None  # the measure it belongs to, in a chart of several (such as subjects)


@dataclass(frozen=True)
class Figure:
    """A chart of figures from one paragraph of the report, as written in key-figures.yaml."""

    id: str
    title: str
    paragraph: str  # the label of the paragraph, as printed: '12', '2.14'
    unit: str
    description: str
    labels: str
    bars: tuple[Bar, ...]
    source: str  # the file and the line of its 'paragraph:', for errors found when resolving
    paragraph_line: int

    @property
    def anchor(self) -> str:
        return chart_anchor(self.id)

    @property
    def anchor_of_paragraph(self) -> str:
        return paragraph_anchor(self.paragraph)


@dataclass(frozen=True)
class KeyFigures:
    """The report's key figures (key-figures.yaml), in the order written, and the file they were read from."""

    source: str
    figures: tuple[Figure, ...]


def chart_anchor(figure_id: str) -> str:
    """The id of a figure's chart on the key figures page."""
    return f"chart-{figure_id}"


def key_figures_from(data: list, file: str, problems: list[Problem]) -> KeyFigures | None:
    """The figures of key-figures.yaml, already checked against its schema; what else is wrong goes to `problems`."""
    found: list[Problem] = []
    figures = []
    seen: dict[str, int] = {}
    for entry in data:
        line = getattr(entry, "line", 1)
        key_line = getattr(entry, "key_lines", {}).get
        if not ID.match(entry["id"]):
            found.append(Problem(file, key_line("id", line), f"the id '{entry['id']}' cannot be used in a web address.",
                                 "Use lower-case letters, digits and hyphens only, e.g. 'id: care-proceedings'."))
        elif entry["id"] in seen:
            found.append(Problem(file, key_line("id", line), f"the id '{entry['id']}' is also used on line {seen[entry['id']]}.",
                                 "Give each figure its own id."))
        seen.setdefault(entry["id"], key_line("id", line))
        if entry["unit"] not in UNITS:
            found.append(Problem(file, key_line("unit", line), f"'unit: {entry['unit']}' is not a unit a chart can show.",
                                 "Use one of: " + ", ".join(UNITS) + "."))
        if not entry["bars"]:
            found.append(Problem(file, key_line("bars", line), f"the figure '{entry['id']}' has no bars.",
                                 "Add at least one bar, with 'label:' and 'value:'."))
        found += _check_values(entry, file)
        found += _check_groups(entry, file)
        found += _check_comparisons(entry, file)
        figures.append(Figure(
            id=entry["id"], title=entry["title"], paragraph=str(entry["paragraph"]), unit=entry["unit"],
            description=entry["description"], labels=entry["labels"],
            bars=tuple(Bar(bar["label"], bar["value"], bool(bar.get("comparison", False)), bar.get("group"))
                       for bar in entry["bars"]),
            source=file, paragraph_line=key_line("paragraph", line)))
    problems += found
    return None if found else KeyFigures(file, tuple(figures))


def _check_values(entry: dict, file: str) -> list[Problem]:
    """Every value is a number a bar can be drawn for."""
    problems = []
    lines = getattr(entry["bars"], "item_lines", [])
    for index, bar in enumerate(entry["bars"]):
        line = getattr(bar, "key_lines", {}).get("value", lines[index] if index < len(lines) else 1)
        value = bar["value"]
        if not is_number(value):
            problems.append(Problem(file, line, f"the value of '{bar['label']}' is {value!r}, which is not a number.",
                                    "Write the number alone, as the paragraph gives it, without its unit: e.g. 'value: 29'."))
        elif value < 0 or (entry["unit"] == "per cent" and value > 100):
            limit = "between 0 and 100" if entry["unit"] == "per cent" else "0 or more"
            problems.append(Problem(file, line, f"the value of '{bar['label']}' is {value}, which a bar cannot show in {entry['unit']}.",
                                    f"Write a number {limit}, as the paragraph gives it."))
    return problems


def _check_groups(entry: dict, file: str) -> list[Problem]:
    """Either no bar has a group or every bar does, each group with the same labels, and no label twice."""
    bars = entry["bars"]
    lines = getattr(bars, "item_lines", [1] * len(bars))
    grouped = [bar.get("group") is not None for bar in bars]
    if any(grouped) and not all(grouped):
        index = grouped.index(False)
        return [Problem(file, lines[index], f"the bar '{bars[index]['label']}' has no group, but other bars of '{entry['id']}' do.",
                        "Give every bar of this figure a 'group:', or none of them.")]
    labels: dict[str | None, list[str]] = {}
    for index, bar in enumerate(bars):
        in_group = labels.setdefault(bar.get("group"), [])
        if bar["label"] in in_group:
            where = f" in the group '{bar['group']}'" if bar.get("group") else ""
            return [Problem(file, lines[index], f"the label '{bar['label']}' is used twice{where}.",
                            "Give each bar its own label.")]
        in_group.append(bar["label"])
    first = next(iter(labels.values()), [])
    for group, names in labels.items():
        if names != first:
            index = next(i for i, bar in enumerate(bars) if bar.get("group") == group)
            return [Problem(file, lines[index], f"the group '{group}' has the labels {', '.join(names)}, not {', '.join(first)}.",
                            "Give every group the same labels, in the same order, so the table has one column for each.")]
    return []


def _check_comparisons(entry: dict, file: str) -> list[Problem]:
    """Every chart (every group of one) has a bar that is not a comparison: something to compare with."""
    bars = entry["bars"]
    lines = getattr(bars, "item_lines", [1] * len(bars))
    compared: dict[str | None, list[bool]] = {}
    for bar in bars:
        compared.setdefault(bar.get("group"), []).append(bool(bar.get("comparison", False)))
    for group, comparisons in compared.items():
        if comparisons and all(comparisons):
            index = next(i for i, bar in enumerate(bars) if bar.get("group") == group)
            where = f"the group '{group}' of '{entry['id']}'" if group is not None else f"the figure '{entry['id']}'"
            return [Problem(file, lines[index], f"every bar of {where} is a comparison, so there is nothing to compare them with.",
                            "Leave out 'comparison: true' for the figures of what the report is about, "
                            "and keep it for averages, targets and thresholds.")]
    return []


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def figures_by_paragraph(key_figures: KeyFigures | None) -> dict[str, tuple[Figure, ...]]:
    """The figures drawn from each paragraph, by the paragraph's anchor, in the order they are written."""
    found: dict[str, list[Figure]] = {}
    for figure in key_figures.figures if key_figures else ():
        found.setdefault(figure.anchor_of_paragraph, []).append(figure)
    return {anchor: tuple(figures) for anchor, figures in found.items()}
