"""Key figures drawn as bar charts in inline SVG, each with its figures in a table.

`draw_chart` turns a figure (figures.py) into what the chart component shows: a bar per figure, its
length in per cent of the chart's width so that the chart reflows at any width and text size, and
the same figures as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .figures import Figure

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
