"""Render stage: the colours of the briefing, from `report.palette`, for CSS, charts and email.

The four configured colours (accent, good, bad, neutral) give every other shade by
mixing with white (washes behind text) or with ink (the "at risk" tone), so the page,
the charts and the email always agree. `css_variables()` is the CSS side (custom
properties the stylesheets use), `Colours` the Python side (matplotlib, email).
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.config import Palette

INK = "#1f2937"
MUTED = "#4b5563"
GRID = "#e5e7eb"
WHITE = "#ffffff"


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` of `other` mixed in (0 keeps `colour`, 1 gives `other`), as #rrggbb."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


@dataclass(frozen=True, slots=True)
class Colours:
    """Every colour the briefing uses, derived from one `Palette`."""

    accent: str
    accent_wash: str
    good: str
    good_wash: str
    bad: str
    bad_wash: str
    warn: str
    warn_wash: str
    neutral: str
    neutral_wash: str
    ink: str = INK
    muted: str = MUTED
    grid: str = GRID

    @classmethod
    def of(cls, palette: Palette) -> Colours:
        warn = mix(palette.bad, INK, 0.3)
        return cls(
            accent=palette.accent,
            accent_wash=mix(palette.accent, WHITE, 0.88),
            good=palette.good,
            good_wash=mix(palette.good, WHITE, 0.9),
            bad=palette.bad,
            bad_wash=mix(palette.bad, WHITE, 0.9),
            warn=warn,
            warn_wash=mix(warn, WHITE, 0.9),
            neutral=palette.neutral,
            neutral_wash=mix(palette.neutral, WHITE, 0.9),
        )


def css_variables(palette: Palette) -> str:
    """`:root { --accent: ...; ... }`: the palette as the CSS custom properties the stylesheets use."""
    colours = Colours.of(palette)
    names = [name for name in Colours.__dataclass_fields__ if name not in ("ink", "muted", "grid")]
    body = " ".join(f"--{name.replace('_', '-')}: {getattr(colours, name)};" for name in names)
    return f":root {{ {body} }}"
