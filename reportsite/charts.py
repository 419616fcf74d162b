"""Key figures drawn as bar charts on a labelled scale, each with its figures in a table.

`chart_scales` gives each unit one scale for every chart of a page, so that the same length means
the same amount on all of them. `draw_chart` turns a figure (figures.py) into what the chart
component (templates/components/chart.html) shows: a bar for each figure the report gives for what
it reports on, a labelled line across the bars for each figure it compares them with (an average,
a threshold), the scale's ticks, and the same figures as a table. Every position is in per cent of
the plot's width, so that a chart takes whatever width it is given while its words, which are HTML,
stay at the reader's text size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .figures import Figure

UNIT_HEADINGS = {"weeks": "Weeks", "days": "Days", "per cent": "Per cent"}
# A scale has at most this many intervals, so that its ticks' figures fit side by side on a phone.
MOST_INTERVALS = 4
# The steps between ticks, times a power of ten: 1, 2, 2.5 and 5 give round figures (20, 25, 200...).
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))

# What a chart shows is drawn, never compared nor printed: see docs/architecture.md, Start-up.


@dataclass(frozen=True, eq=False, repr=False)
class Tick:
    """A figure marked on the scale, and where: its distance from zero in per cent of the plot's width."""

    text: str
    at: str


@dataclass(frozen=True, eq=False, repr=False)
class Scale:
    """The scale of every chart of one unit on a page: from zero to `maximum`, with its ticks."""

    unit: str
    maximum: Decimal
    ticks: tuple[Tick, ...]

    @property
    def heading(self) -> str:
        return UNIT_HEADINGS[self.unit]

    def position(self, value: int | float) -> str:
        """Where `value` falls on the scale, in per cent of the plot's width, written the same way on every build."""
        return percentage(Decimal(str(value)) / self.maximum * 100)


@dataclass(frozen=True, eq=False, repr=False)
class ChartBar:
    """A figure drawn as a bar: its label, its value in words, and its length in per cent of the plot's width."""

    label: str
    value_text: str
    at: str


@dataclass(frozen=True, eq=False, repr=False)
class ReferenceLine:
    """A figure drawn as a line across the bars (an average, a threshold), labelled on the side with more room."""

    label: str
    value_text: str
    at: str
    side: str  # 'after': the label starts at the line; 'before': it ends there

    @property
    def key(self) -> str:
        return f"{self.label}: {self.value_text}"


@dataclass(frozen=True, eq=False, repr=False)
class ChartGroup:
    """The bars and lines of one measure (such as a subject), or of the whole chart when it has no groups."""

    name: str | None
    bars: tuple[ChartBar, ...]
    lines: tuple[ReferenceLine, ...]


@dataclass(frozen=True, eq=False, repr=False)
class Table:
    """The chart's figures as a table: a header row, then one row per label (or per group)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, eq=False, repr=False)
class Chart:
    """Everything the chart component shows for one figure."""

    figure: Figure
    source_href: str  # to the paragraph the figures come from
    scale: Scale
    groups: tuple[ChartGroup, ...]
    table: Table


def format_number(value: int | float | Decimal) -> str:
    """A figure as the report writes numbers: 544, 1,250, 12.5."""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"


def format_value(value: int | float, unit: str) -> str:
    """A figure with its unit: '66 weeks', '1 day', '17%'."""
    number = format_number(value)
    if unit == "per cent":
        return f"{number}%"
    return f"{number} {unit[:-1] if value == 1 else unit}"


def percentage(value: Decimal) -> str:
    """A position in per cent, to three decimals and without trailing zeros: '43.939', '100', '0'."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def scale_for(unit: str, largest: int | float) -> Scale:
    """The scale from zero that holds `largest` in at most MOST_INTERVALS round steps (0, 20, 40, 60, 80)."""
    top = Decimal(str(largest)) if largest > 0 else Decimal(1)
    magnitude = Decimal(10) ** math.floor(math.log10(top / MOST_INTERVALS))
    step = next(s * magnitude for s in STEPS if math.ceil(top / (s * magnitude)) <= MOST_INTERVALS)
    intervals = max(1, math.ceil(top / step))
    maximum = step * intervals
    ticks = tuple(Tick(format_number(step * index), percentage(Decimal(100) * index / intervals))
                  for index in range(intervals + 1))
    return Scale(unit, maximum, ticks)


def chart_scales(figures) -> dict[str, Scale]:
    """One scale for each unit, holding every figure of that unit: the charts of one page share them."""
    largest: dict[str, int | float] = {}
    for figure in figures:
        for bar in figure.bars:
            largest[figure.unit] = max(largest.get(figure.unit, 0), bar.value)
    return {unit: scale_for(unit, value) for unit, value in sorted(largest.items())}


def draw_chart(figure: Figure, source_href: str, scale: Scale | None = None) -> Chart:
    """The chart of `figure` on `scale` (by default, a scale of its own): bars, lines and table."""
    scale = scale or chart_scales([figure])[figure.unit]
    groups: dict[str | None, tuple[list[ChartBar], list[ReferenceLine]]] = {}
    for bar in figure.bars:
        bars, lines = groups.setdefault(bar.group, ([], []))
        at, value_text = scale.position(bar.value), format_value(bar.value, figure.unit)
        if bar.comparison:
            lines.append(ReferenceLine(bar.label, value_text, at, "after" if Decimal(at) <= 50 else "before"))
        else:
            bars.append(ChartBar(bar.label, value_text, at))
    drawn = tuple(ChartGroup(name, tuple(bars), tuple(lines)) for name, (bars, lines) in groups.items())
    return Chart(figure, source_href, scale, drawn, chart_table(figure))


def chart_table(figure: Figure) -> Table:
    """One row per figure; for a chart of groups, one row per group and one column per label."""
    if all(bar.group is None for bar in figure.bars):
        return Table((figure.labels, UNIT_HEADINGS[figure.unit]),
                     tuple((bar.label, (format_value(bar.value, figure.unit),)) for bar in figure.bars))
    rows: dict[str, list[str]] = {}
    labels: list[str] = []
    for bar in figure.bars:
        rows.setdefault(bar.group, []).append(format_value(bar.value, figure.unit))
        if bar.group == figure.bars[0].group:
            labels.append(bar.label)
    return Table((figure.labels, *labels), tuple((group, tuple(cells)) for group, cells in rows.items()))
