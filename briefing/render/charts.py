"""Render stage: the briefing's few charts, drawn with matplotlib (Agg), deterministic.

SVG for the HTML and the PDF (text stays text: `svg.fonttype = none`; ids salted
with a fixed `svg.hashsalt`; no date in the metadata), PNG for email. Charts never
use pyplot, so no global figure state is shared between renders.
"""

from __future__ import annotations

import io
import re
import textwrap
from datetime import datetime, timedelta
from typing import Any, cast

import matplotlib
from babel.dates import format_skeleton
from cycler import cycler
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from briefing.config import Palette
from briefing.errors import BriefingError
from briefing.model import Briefing
from briefing.render import filters
from briefing.render.context import burn_service, risks_largest_first
from briefing.render.palette import Colours
from briefing.translate.words import period_words

KINDS = ("burn", "risk_minutes", "loss_exceedance", "trend")
CHART_RISKS = 10  # bars of the risk chart: the largest shares of their allowance

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
# The palette's colours, by their place in the colour cycle `palette_rc()` sets for one
# render (matplotlib's "CN" colours): `report.palette` recolours every chart.
BLUE = "C0"  # accent
RED = "C1"  # bad
AMBER = "C2"  # warn: at risk, the action line
SLATE = "C3"  # neutral
BAD_WASH = "C4"
ACCENT_WASH = "C5"
HATCH = "////"  # bars that need action are hatched too: never colour alone

RC = {
    "svg.hashsalt": "briefing",
    "svg.fonttype": "none",
    # matplotlib ships DejaVu Sans: measured the same everywhere, never looked up (and
    # logged as missing) on a machine without another font
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 9,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": True,
    "hatch.color": "white",
    "hatch.linewidth": 1.2,
}


def palette_rc(palette: Palette) -> dict[str, Any]:
    """The rc settings that give the "CN" colours above the palette's values."""
    c = Colours.of(palette)
    cycle = [c.accent, c.bad, c.warn, c.neutral, c.bad_wash, c.accent_wash]
    return {**RC, "axes.prop_cycle": cycler(color=cycle)}


def available(kind: str, briefing: Briefing) -> bool:
    """Whether the briefing has the data `kind` needs."""
    if kind == "burn":
        return burn_service(briefing) is not None
    if kind == "risk_minutes":
        return bool(briefing.risks.items)
    if kind == "loss_exceedance":
        return len(briefing.risks.loss_exceedance) >= 2
    if kind == "trend":
        return sum(1 for p in briefing.history if p.headline_value is not None) >= 2
    return False


def render_chart(
    kind: str, briefing: Briefing, *, fmt: str = "svg", palette: Palette | None = None
) -> bytes:
    """One chart of the briefing as SVG or PNG bytes; same briefing, same bytes."""
    if kind not in KINDS:
        raise BriefingError(f"unknown chart {kind!r}", hint=f"use one of {', '.join(KINDS)}")
    if fmt not in ("svg", "png"):
        raise BriefingError(f"unknown chart format {fmt!r}", hint="use svg or png")
    if not available(kind, briefing):
        raise BriefingError(f"the briefing has no data for the {kind} chart")
    with matplotlib.rc_context(cast(Any, palette_rc(palette or Palette()))):
        fig = _DRAW[kind](briefing)
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        else:
            fig.savefig(out, format="png", dpi=144, metadata={"Software": None})
    return out.getvalue()


def _axes_style(ax: Axes) -> None:
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)


def _x(moment: datetime) -> float:
    """A time as matplotlib's x coordinate (aware times convert exactly, whatever the machine's zone)."""
    return float(date2num(moment))  # type: ignore[no-untyped-call]  # matplotlib.dates has no types


def _day_ticks(start: datetime, end: datetime) -> tuple[list[datetime], str]:
    """Ticks for the burn-down's time axis: daily for a week, weekly for a month,
    fortnightly for a quarter, on the first of each month for a year."""
    days = (end - start).days  # same zone: calendar days
    if days > 120:
        firsts = [start.replace(month=m) for m in range(1, 13)] + [end]
        return [t for t in firsts if start <= t <= end], "MMM"
    step = 1 if days <= 7 else 7 if days <= 35 else 14
    return [start + timedelta(days=d) for d in range(0, days + 1, step)], "MMMd"


def _burn(briefing: Briefing) -> Figure:
    service = burn_service(briefing)
    assert service is not None
    start = datetime.fromisoformat(briefing.period.start)
    end = datetime.fromisoformat(briefing.period.end)
    xs = [_x(start)] + [_x(datetime.fromisoformat(p.at)) for p in service.burn]
    ys = [100.0] + [p.budget_remaining * 100 for p in service.burn]
    fig = Figure(figsize=(7.0, 2.8))
    ax = fig.add_axes((0.085, 0.11, 0.89, 0.79))
    _axes_style(ax)
    ax.plot(
        [_x(start), _x(end)],
        [100, 0],
        color=SLATE,
        linewidth=1,
        linestyle=(0, (4, 3)),
        label=f"spent evenly over the {period_words(briefing.period.label).noun}",
    )
    ax.axhline(0, color=INK, linewidth=0.9)
    low = min(min(ys), 0.0)
    if low < 0:
        ax.axhspan(low - 10, 0, color=BAD_WASH, zorder=0)
    ax.plot(
        xs,
        ys,
        color=RED if ys[-1] < 0 else BLUE,
        linewidth=2.2,
        solid_capstyle="round",
        label=f"{service.name}, this {period_words(briefing.period.label).noun}",
    )
    ax.set_xlim(_x(start), _x(end))
    ax.set_ylim(low - 10 if low < 0 else -10, 110)
    loc = briefing.locale
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: filters.percent(v / 100, loc, digits=0))
    )
    ticks, skeleton = _day_ticks(start, end)
    ax.set_xticks(
        [_x(t) for t in ticks], [format_skeleton(skeleton, t.date(), locale=loc) for t in ticks]
    )
    last = ys[-1] / 100
    ax.annotate(
        f"{filters.percent(-last, loc, digits=0)} over"
        if last < 0
        else f"{filters.percent(last, loc, digits=0)} left",
        (xs[-1], ys[-1]),
        xytext=(-4, 7),
        textcoords="offset points",
        ha="right",
        color=ax.lines[-1].get_color(),
        fontweight="bold",
    )
    _mark_incidents(ax, briefing, service.id, xs, ys)
    legend = ax.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=2,
        frameon=False,
        fontsize=8,
        handlelength=2.4,
        borderaxespad=0.2,
    )
    for text in legend.get_texts():
        text.set_color(INK)
    ax.text(_x(start + timedelta(hours=6)), 3, "allowance used up", color=INK, fontsize=8)
    ax.set_ylabel("Allowance left")
    return fig


def _mark_incidents(
    ax: Axes, briefing: Briefing, service: str, xs: list[float], ys: list[float]
) -> None:
    """Name the disruptions behind the largest drops (at most three, each over a tenth)."""
    largest = sorted(
        (
            i
            for i in briefing.incidents.items
            if i.service == service and (i.budget_share or 0) >= 0.1
        ),
        key=lambda i: (-(i.budget_share or 0), i.id),
    )[:3]
    for incident in largest:
        at = _x(datetime.fromisoformat(incident.started_at))
        level = next((y for x, y in zip(xs, ys, strict=True) if x >= at), ys[-1])
        late = at > xs[0] + 0.7 * (xs[-1] - xs[0])  # near the right edge: label to the left
        ax.annotate(
            _short(incident.title, 38),
            (at, level),
            xytext=(-6, 16) if late else (6, 16),
            textcoords="offset points",
            ha="right" if late else "left",
            fontsize=8,
            color=INK,
            arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.7},
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )


def _risk_minutes(briefing: Briefing) -> Figure:
    """Each risk's share of its service's yearly allowance: bar and label in that one unit."""
    risks = risks_largest_first(briefing)[:CHART_RISKS]
    names = {s.id: s.name for s in briefing.services}
    height = 0.7 + 0.4 * len(risks)
    fig = Figure(figsize=(7.0, height))
    ax = fig.add_axes((0.38, 0.5 / height, 0.58, 1 - 0.75 / height))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)
    values = [r.budget_fraction * 100 for r in risks]
    colors = [RED if r.needs_action else SLATE for r in risks]
    rows = list(range(len(risks)))[::-1]
    bars = ax.barh(rows, values, color=colors, height=0.55)
    for bar, risk in zip(bars, risks, strict=True):
        bar.set_hatch(HATCH if risk.needs_action else None)
    labels = [f"{_wrap(r.title, 44)}\n{_short(names.get(r.service, r.service), 44)}" for r in risks]
    ax.set_yticks(rows, labels, color=INK, fontsize=8)
    threshold = briefing.risks.threshold_fraction * 100
    top = max([*values, threshold]) * 1.3
    loc = briefing.locale
    ax.axvline(threshold, color=AMBER, linewidth=1.1, linestyle=(0, (4, 2)))
    ax.text(
        threshold,
        len(risks) - 0.45,
        f" action needed above {filters.percent(threshold / 100, loc, digits=0)}",
        color=INK,
        fontsize=8,
        va="bottom",
    )
    if top > 100:
        ax.axvline(100, color=INK, linewidth=1.1)
        ax.text(
            100,
            len(risks) - 0.45,
            "whole yearly allowance ",
            color=INK,
            fontsize=8,
            va="bottom",
            ha="right",
        )
    for row, value in zip(rows, values, strict=True):
        ax.text(
            value + top * 0.01,
            row,
            filters.percent(value / 100, loc, digits=0),
            va="center",
            fontsize=8,
            color=INK,
            fontweight="bold",
        )
    ax.set_xlim(0, top)
    ax.set_ylim(-0.6, len(risks) - 0.1)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _: filters.percent(v / 100, loc, digits=0))
    )
    ax.set_xlabel("Share of the service's yearly allowance the risk would use")
    return fig


def _crossing(xs: list[float], ys: list[float], level: float) -> float | None:
    """The loss where the falling curve crosses `level` (straight lines between points)."""
    for (x0, y0), (x1, y1) in zip(
        zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True), strict=False
    ):
        if y0 >= level >= y1 and y0 != y1:
            return x0 + (x1 - x0) * (y0 - level) / (y0 - y1)
    return None


def _two_figures(value: float) -> float:
    """A value read off the curve, to two significant figures (553,800 -> 550,000)."""
    if value <= 0:
        return 0.0
    return float(round(value, 2 - len(str(int(value)))))


def _exceedance(briefing: Briefing) -> Figure:
    points = sorted(briefing.risks.loss_exceedance, key=lambda p: p.loss)
    fig = Figure(figsize=(7.0, 2.5))
    ax = fig.add_axes((0.1, 0.19, 0.87, 0.77))
    _axes_style(ax)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    xs = [p.loss for p in points]
    ys = [p.probability * 100 for p in points]
    ax.fill_between(xs, ys, color=ACCENT_WASH, linewidth=0)
    ax.plot(xs, ys, color=BLUE, linewidth=2)
    loc, cur = briefing.locale, briefing.currency
    marks = (
        (50.0, "half of all years lose more than {}"),
        (10.0, "1 year in 10 loses more than {}"),
    )
    for level, words in marks:
        loss = _crossing(xs, ys, level)
        if loss is None:
            continue
        ax.plot([xs[0], loss], [level, level], color=AMBER, linewidth=1, linestyle=(0, (4, 2)))
        ax.plot([loss, loss], [0, level], color=AMBER, linewidth=1, linestyle=(0, (4, 2)))
        ax.plot([loss], [level], marker="o", color=INK, markersize=4)
        right = loss > xs[0] + 0.55 * (xs[-1] - xs[0])
        ax.annotate(
            words.format(filters.money_compact(_two_figures(loss), cur, loc)),
            (loss, level),
            xytext=(-8, -12) if right else (8, 6),
            textcoords="offset points",
            ha="right" if right else "left",
            fontsize=8.5,
            color=INK,
            fontweight="bold",
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(0, 102)
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: filters.percent(v / 100, loc, digits=0))
    )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: filters.money_compact(v, cur, loc)))
    ax.set_xlabel("Loss in a year from the risks in the register")
    ax.set_ylabel("Chance a year loses more")
    return fig


def _trend(briefing: Briefing) -> Figure:
    """A small chart under the headline number: the headline measure in each period of the
    trend, a bar each, this period's last and solid, gaps left empty; allowance used is
    drawn against the whole allowance (the dashed 100% line)."""
    points = briefing.history
    spent = briefing.headline.kind == "budget_exhausted" and briefing.headline.unit == "fraction"
    values = [
        None
        if p.headline_value is None
        else (1.0 - p.headline_value)
        if spent
        else p.headline_value
        for p in points
    ]
    fig = Figure(figsize=(2.1, 0.78))
    fig.patch.set_visible(False)  # sits on the headline card's own background
    ax = fig.add_axes((0.02, 0.04, 0.96, 0.92))
    ax.axis("off")
    known = [v for v in values if v is not None]
    top = max([*known, 1.0 if spent else 0.0]) * 1.08 or 1.0
    for row, value in enumerate(values):
        if value is None:
            ax.plot([row - 0.3, row + 0.3], [0, 0], color=GRID, linewidth=1.2)
            continue
        over = spent and value > 1.0
        current = row == len(values) - 1
        ax.bar(
            row,
            value,
            width=0.7,
            color=RED if over else BLUE,
            alpha=1.0 if current else 0.4,  # this period solid, the others pale
            hatch=HATCH if over and not current else None,  # over the line: not colour alone
            linewidth=0,
        )
    ax.plot([-0.5, len(values) - 0.5], [0, 0], color=MUTED, linewidth=0.6)
    if spent:  # the whole allowance: the dashed line (its words are in the caption)
        ax.plot(
            [-0.5, len(values) - 0.5], [1.0, 1.0], color=INK, linewidth=0.7, linestyle=(0, (3, 2))
        )
    # no text inside this small chart: scaled into its column it would print under 7 pt;
    # the caption under it names the periods and the values, written from the same data
    ax.set_xlim(-0.5, len(values) - 0.5)
    ax.set_ylim(0, top)
    return fig


_DRAW = {
    "burn": _burn,
    "risk_minutes": _risk_minutes,
    "loss_exceedance": _exceedance,
    "trend": _trend,
}


def _wrap(text: str, width: int = 34) -> str:
    """At most two lines of about `width` characters (the rest elided)."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return "\n".join(lines)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


_DROP = re.compile(rb"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", re.DOTALL)


def inline_svg(svg: bytes, prefix: str, label: str, description: str = "") -> Markup:
    """An SVG made fit to sit inside HTML: no prolog, no metadata, unique ids, scalable.

    `label` and `description` become its <title> (title and description together: the
    PDF's alternate text is the <title>), its <desc> and its aria-label.
    """
    text = _DROP.sub(b"", svg).decode("utf-8").strip()
    text = re.sub(r'\s(?:xmlns(?::\w+)?)="[^"]*"', "", text)
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    text = re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', "<svg", text, count=1)
    name = f"{label}. {description}" if description else label
    head = Markup('<svg class="chart-svg" role="img" aria-label="{}"').format(name)
    text = text.replace("<svg", str(head), 1)
    inside = Markup("<title>{}</title>").format(name)
    if description:
        inside += Markup("<desc>{}</desc>").format(description)
    opening = text.index(">", text.index("<svg")) + 1
    return Markup(text[:opening] + str(inside) + text[opening:])
