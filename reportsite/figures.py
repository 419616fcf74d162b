"""Key figures: the figures the report states, checked, and drawn as bar charts in inline SVG.

The figures are kept in content/key-figures.yaml, each with the paragraph it comes from.
Loading checks them (content.load_report), resolving checks that each paragraph exists
(crossrefs.resolve), and `draw_chart` turns one into what the chart component shows: a bar
per figure, its length in per cent of the chart's width so the chart reflows at any width
and text size, and the same figures as a table.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from .errors import Problem
from .yamlfile import Optional

UNITS = ("weeks", "days", "per cent")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KEY_FIGURES_SCHEMA = [{
    "id": str,
    "title": str,
    "paragraph": int,
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
    comparison: bool = False  # a figure Brent is compared with: drawn striped
    group: str | None = None  # the measure it belongs to, in a chart of several (such as subjects)


@dataclass(frozen=True)
class Figure:
    """A chart of figures from one paragraph of the report, as written in key-figures.yaml."""

    id: str
    title: str
    paragraph: int
    unit: str
    description: str
    labels: str
    bars: tuple[Bar, ...]
    source: str  # the file and the line of its 'paragraph:', for errors found when resolving
    paragraph_line: int

    @property
    def anchor(self) -> str:
        return chart_anchor(self.id)


@dataclass(frozen=True)
class KeyFigures:
    source: str
    figures: tuple[Figure, ...]


def chart_anchor(figure_id: str) -> str:
    """The id of a figure's chart on the key figures page."""
    return f"chart-{figure_id}"


# -- loading -----------------------------------------------------------------


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
        figures.append(Figure(
            id=entry["id"], title=entry["title"], paragraph=entry["paragraph"], unit=entry["unit"],
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


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def figures_by_paragraph(key_figures: KeyFigures | None) -> dict[int, tuple[Figure, ...]]:
    """The figures drawn from each paragraph, in the order they are written."""
    found: dict[int, list[Figure]] = {}
    for figure in key_figures.figures if key_figures else ():
        found.setdefault(figure.paragraph, []).append(figure)
    return {number: tuple(figures) for number, figures in found.items()}


# -- drawing -----------------------------------------------------------------

UNIT_HEADINGS = {"weeks": "Weeks", "days": "Days", "per cent": "Per cent"}


@dataclass(frozen=True)
class ChartBar:
    """A bar as the chart shows it: its label, its value in words, and its SVG."""

    label: str
    group: str | None
    value_text: str
    width: str  # the bar's length, in per cent of the chart's width
    comparison: bool
    svg: Markup


@dataclass(frozen=True)
class Table:
    """The chart's figures as a table: a header row, then one row per label (or per group)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Chart:
    """Everything the chart component shows for one figure."""

    figure: Figure
    source_href: str  # to the paragraph the figures come from
    bars: tuple[ChartBar, ...]
    table: Table

    @property
    def groups(self) -> tuple[tuple[str | None, tuple[ChartBar, ...]], ...]:
        """The bars by group, in order (one group named None when the chart has none)."""
        order: dict[str | None, list[ChartBar]] = {}
        for bar in self.bars:
            order.setdefault(bar.group, []).append(bar)
        return tuple((group, tuple(bars)) for group, bars in order.items())


def format_number(value: int | float) -> str:
    """A figure as the report writes numbers: 544, 1,250, 12.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"


def format_value(value: int | float, unit: str) -> str:
    """A figure with its unit: '66 weeks', '1 day', '17%'."""
    number = format_number(value)
    if unit == "per cent":
        return f"{number}%"
    return f"{number} {unit[:-1] if value == 1 else unit}"


def scale_of(figure: Figure) -> float:
    """The value a full-width bar stands for: 100 for per cent, otherwise the chart's largest value."""
    if figure.unit == "per cent":
        return 100.0
    return float(max((bar.value for bar in figure.bars), default=0)) or 1.0


def bar_width(value: int | float, scale: float) -> str:
    """A bar's length in per cent of the chart's width, written the same way on every build."""
    text = f"{value / scale * 100:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def bar_svg(width: str, comparison: bool, pattern_id: str) -> Markup:
    """One bar as inline SVG, `width` per cent long: solid, or striped for a comparison.

    It is drawn in currentColor, the CSS colour of the element around it, so that the stylesheet
    sets it for each colour scheme, and forced colours apply to it."""
    if not comparison:
        return Markup(f'<svg class="rs-chart__svg"><rect class="rs-chart__rect" width="{width}%" height="100%" fill="currentColor"/></svg>')
    pattern_id = escape(pattern_id)
    return Markup(
        f'<svg class="rs-chart__svg"><defs><pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)"><rect width="4" height="8" fill="currentColor"/></pattern></defs>'
        f'<rect class="rs-chart__rect rs-chart__rect--comparison" width="{width}%" height="100%" fill="url(#{pattern_id})"/></svg>')


def draw_chart(figure: Figure, source_href: str) -> Chart:
    """The chart of `figure`: its bars drawn to one scale from zero, and its table."""
    scale = scale_of(figure)
    bars = []
    for index, bar in enumerate(figure.bars, start=1):
        width = bar_width(bar.value, scale)
        bars.append(ChartBar(bar.label, bar.group, format_value(bar.value, figure.unit), width, bar.comparison,
                             bar_svg(width, bar.comparison, f"{figure.anchor}-stripes-{index}")))
    return Chart(figure, source_href, tuple(bars), chart_table(figure, tuple(bars)))


def chart_table(figure: Figure, bars: tuple[ChartBar, ...]) -> Table:
    """One row per bar; for a chart of groups, one row per group and one column per label."""
    if all(bar.group is None for bar in bars):
        return Table((figure.labels, UNIT_HEADINGS[figure.unit]), tuple((bar.label, (bar.value_text,)) for bar in bars))
    rows: dict[str, list[ChartBar]] = {}
    for bar in bars:
        rows.setdefault(bar.group, []).append(bar)
    labels = tuple(bar.label for bar in next(iter(rows.values())))
    return Table((figure.labels, *labels), tuple((group, tuple(bar.value_text for bar in row)) for group, row in rows.items()))
