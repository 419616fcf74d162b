"""Colour contrast, as WCAG 2.2 measures it, for the organisation's brand colour.

The brand colour is given to links (and so to the text size control's radio buttons) and to the
band under the header. Links sit on the page's background and on the panel of the header and
footer, in the light scheme and the dark one: the colour must reach 7:1 against each (WCAG's
enhanced contrast, which the site keeps for all its text). The backgrounds are base.css's; a test
holds the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT_CONTRAST = 7.0
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LIGHT, DARK = "light", "dark"
# What a brand-coloured link can sit on, in each scheme: base.css's --rs-colour-background and --rs-colour-panel.
BACKGROUNDS = {
    LIGHT: (("the page's background", "#ffffff"), ("the header's and footer's background", "#f3f2f1")),
    DARK: (("the page's background", "#121212"), ("the header's and footer's background", "#1e1e1e")),
}


@dataclass(frozen=True)
class Shortfall:
    """Where a colour falls short: the background it was measured against, and the contrast it got."""

    background_name: str
    background: str
    contrast: float


def rgb(colour: str) -> tuple[int, int, int]:
    """'#1a4480' as (26, 68, 128)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def hex_colour(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(value):02x}" for value in (red, green, blue))


def relative_luminance(colour: str) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour, from 0 (black) to 1 (white)."""
    def linear(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(value) for value in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shortfall(colour: str, scheme: str, minimum: float = TEXT_CONTRAST) -> Shortfall | None:
    """The background of `scheme` against which `colour` has least contrast, if that is below `minimum`."""
    worst = min(((name, background, contrast_ratio(colour, background)) for name, background in BACKGROUNDS[scheme]),
                key=lambda found: found[2])
    return Shortfall(*worst) if worst[2] < minimum else None


def mixed(colour: str, towards: str, amount: float) -> str:
    """`colour` moved `amount` (0 to 1) of the way to `towards`, channel by channel."""
    return hex_colour(*(start + (end - start) * amount for start, end in zip(rgb(colour), rgb(towards))))


def readable_variant(colour: str, scheme: str, minimum: float = TEXT_CONTRAST) -> str:
    """The least change to `colour` that reaches `minimum` in `scheme`: mixed with black for the light
    scheme, with white for the dark one, in steps of 1%. `colour` itself if it is readable already."""
    towards = "#000000" if scheme == LIGHT else "#ffffff"
    for step in range(101):
        candidate = mixed(colour, towards, step / 100)
        if shortfall(candidate, scheme, minimum) is None:
            return candidate
    return towards
