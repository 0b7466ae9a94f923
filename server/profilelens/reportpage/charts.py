"""Charts of the report page as inline SVG, drawn by matplotlib's SVG backend.

Server-side SVG keeps the page one self-contained file: it needs no script, opens from disk, and
prints to PDF as vectors. Every function is pure: numbers in, an `<svg>` string out.
"""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import matplotlib
import numpy
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateLocator, DayLocator, date2num
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from profilelens.features import volume
from profilelens.reportpage.view import PLURAL

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The band drawn behind the week is the volume rating's own rule (features/volume.py), read from there.
WORK_DAYS = len(volume.WORK_DAYS)
WORK_START, WORK_END = volume.WORK_HOURS.start, volume.WORK_HOURS.stop

INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#e4e7eb"
ACCENT = "#2f6fdf"
WORK = "#e8590c"
WORK_WASH = "#fde3d3"  # behind work-hour cells without a post
OFF_HOURS = "#f5f7fa"
KIND_COLOURS = {"original": "#2f6fdf", "retweet": "#12b886", "reply": "#f59f00", "quote": "#ae3ec9"}

# Posting intensity: a blue ramp from one post to the busiest hour.
HEAT = LinearSegmentedColormap.from_list("profilelens-heat", ["#c9dcff", "#6ea0f2", "#1c4fb0", "#0b2a66"])

_RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # keep text as text: smaller, selectable, crisp in print
    "text.parse_math": False,  # a "$" in a label (the time zone comes from the report) is just a "$"
    "font.family": "sans-serif",
    "font.size": 9,
    "text.color": INK,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
}
# rc_context changes process-wide settings: one chart at a time.
_LOCK = threading.Lock()
_SIZE_ATTRS = re.compile(r'\s(width|height)="[^"]*"')
# matplotlib names its groups figure_1, axes_1, ... in every chart; nothing refers to them, and on a page
# of several charts they would repeat. (The ids that are referred to, clip paths and markers, are salted.)
_GROUP_IDS = re.compile(r'<g id="[^"]*"')


def _to_svg(fig: Figure, name: str, label: str) -> str:
    """The figure as an inline <svg> that scales to its container; ids salted by `name` so that
    several charts on one page never share a clip-path id, and the output is reproducible.
    Called with _LOCK held."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"profilelens-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, facecolor="none")
    text = buf.getvalue()
    svg = _GROUP_IDS.sub("<g", text[text.index("<svg") :])
    head_end = svg.index(">")
    head = _SIZE_ATTRS.sub("", svg[:head_end])
    return f'{head} class="chart chart-{name}" role="img" aria-label="{label}"{svg[head_end:]}'


def heatmap_svg(hour_weekday: Sequence[Sequence[int]], timezone: str) -> str:
    """Posts per hour (columns) and weekday (rows, Monday first); work hours outlined."""
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.4, 2.9), layout="constrained")
        ax = fig.subplots()
        grid = [[int(c) for c in row] for row in hour_weekday]
        top = max((max(row) for row in grid if row), default=0)
        # Hours without a post stay see-through, so the work-hours band behind them shows.
        masked = numpy.ma.masked_equal(numpy.array(grid, dtype=float), 0)
        ax.set_facecolor(OFF_HOURS)
        ax.add_patch(
            Rectangle(
                (WORK_START - 0.5, -0.5), WORK_END - WORK_START, WORK_DAYS, facecolor=WORK_WASH, zorder=0
            )
        )
        image = ax.imshow(masked, cmap=HEAT, vmin=0, vmax=max(top, 1), aspect="auto", zorder=1)
        ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
        ax.set_yticks(range(7), WEEKDAYS)
        ax.set_xticks([x - 0.5 for x in range(1, 24)], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, 7)], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        ax.add_patch(
            Rectangle(
                (WORK_START - 0.5, -0.5),
                WORK_END - WORK_START,
                WORK_DAYS,
                fill=False,
                edgecolor=WORK,
                linewidth=2.0,
                zorder=3,
            )
        )
        ax.set_xlabel(f"hour of day ({timezone})")
        bar = fig.colorbar(image, ax=ax, fraction=0.025, pad=0.01)
        bar.outline.set_visible(False)
        bar.ax.tick_params(length=0, labelsize=8)
        bar.set_label("posts", color=MUTED)
        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        return _to_svg(fig, "heatmap", f"Posts by hour of day and weekday, {html.escape(timezone)}")


MAX_BARS = 400  # past this many days, the chart counts per week, then per month, then per year
# (bin name, its length in days for the bar width, the start of the bin a day falls in)
BINS: tuple[tuple[str, int, Callable[[date], date]], ...] = (
    ("day", 1, lambda d: d),
    ("week", 7, lambda d: d - timedelta(days=d.weekday())),
    ("month", 30, lambda d: d.replace(day=1)),
    ("year", 365, lambda d: d.replace(month=1, day=1)),
)


def _next_bin(start: date, name: str) -> date:
    if name == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    if name == "year":
        return date(start.year + 1, 1, 1)
    return start + timedelta(days=1 if name == "day" else 7)


def binned(days: Sequence[tuple[date, int]]) -> tuple[str, int, list[date], list[int]]:
    """Posts per day, week, month or year — the finest bin that draws the span in at most MAX_BARS
    bars — with empty bins as zero: (bin name, its length in days, bin starts, counts)."""
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    for name, length, start_of in BINS:
        if (last - first).days // length < MAX_BARS or name == "year":
            counts: dict[date, int] = {}
            for day, count in days:
                counts[start_of(day)] = counts.get(start_of(day), 0) + count
            starts = [start_of(first)]
            while starts[-1] < start_of(last) and starts[-1].year < date.max.year:
                starts.append(_next_bin(starts[-1], name))
            return name, length, starts, [counts.get(start, 0) for start in starts]
    raise AssertionError("the year bin always fits")


def daily_svg(days: Sequence[tuple[date, int]]) -> str:
    """Posts per calendar day (per week, month or year over long spans), empty days drawn as zero."""
    name, length, span, values = binned(days)
    first, last = span[0], span[-1]
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.4, 2.3), layout="constrained")
        ax = fig.subplots()
        ax.bar(
            numpy.array(span, dtype="datetime64[D]"),
            values,
            width=length * (0.8 if len(span) < 120 else 1.0),
            align="edge" if length > 1 else "center",
            color=ACCENT,
            linewidth=0,
        )
        locator: DateLocator
        if len(span) <= 3:  # a bin of room each side, so that one bar is not the whole width
            room = timedelta(days=length)
            ax.set_xlim(float(date2num(first - room)), float(date2num(last + 2 * room)))  # type: ignore[no-untyped-call]
        if name == "day" and len(span) <= 60:  # AutoDateLocator cannot always pick for short ranges
            locator = DayLocator(interval=max(1, -(-len(span) // 7)))  # type: ignore[no-untyped-call]
        else:
            locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(f"posts per {name}")
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.margins(x=0.01)
        return _to_svg(fig, "daily", f"Posts per {name}")


def kinds_svg(kinds: dict[str, float]) -> str:
    """One stacked bar: the shares of originals, retweets, replies and quotes."""
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.4, 0.5), layout="constrained")
        ax = fig.subplots()
        left = 0.0
        for kind, colour in KIND_COLOURS.items():
            share = float(kinds.get(kind) or 0.0)
            if share <= 0:
                continue
            ax.barh([0], [share], left=left, color=colour, height=0.9, linewidth=0)
            if share >= 0.07:
                ax.text(
                    left + share / 2,
                    0,
                    f"{PLURAL[kind]} {share:.0%}",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=9,
                    fontweight="bold",
                )
            left += share
        ax.set_xlim(0, max(left, 1.0))
        ax.set_ylim(-0.5, 0.5)
        ax.set_axis_off()
        return _to_svg(fig, "kinds", "Shares of originals, retweets, replies and quotes")


def traits_svg(traits: dict[str, float]) -> str:
    """Share of posts carrying each trait (photo, link, question, ...), largest first."""
    items = sorted(((k, float(v or 0.0)) for k, v in traits.items()), key=lambda kv: -kv[1])
    names = [k for k, _ in items]
    values = [v for _, v in items]
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.4, 0.26 * len(items) + 0.5), layout="constrained")
        ax = fig.subplots()
        rows = range(len(items))
        ax.barh(rows, [1.0] * len(items), color=GRID, height=0.7, linewidth=0)
        ax.barh(rows, values, color=ACCENT, height=0.7, linewidth=0)
        ax.set_yticks(list(rows), names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xticks([])
        for row, value in zip(rows, values, strict=True):
            ax.text(1.01, row, f"{value:.0%}", va="center", ha="left", color=INK, fontsize=9)
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        return _to_svg(fig, "traits", "Share of posts with each trait")


MASS = "#e03131"  # the followers past the mass-following line


def following_svg(bins: Sequence[tuple[str, int, bool]], line: str) -> str:
    """How many accounts each follower seen follows, in bins; the bars past the mass-following line in
    red, the line itself dashed between the last bin under it and the first over it."""
    labels = [label for label, _, _ in bins]
    counts = [count for _, count, _ in bins]
    past = [beyond for _, _, beyond in bins]
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8.4, 2.3), layout="constrained")
        ax = fig.subplots()
        ax.bar(range(len(bins)), counts, color=[MASS if p else ACCENT for p in past], width=0.8, linewidth=0)
        if any(past):
            at = past.index(True) - 0.5
            ax.axvline(at, color=INK, linestyle=(0, (4, 3)), linewidth=1.2)
            ax.text(at, max(counts) * 1.02, f" {line}", ha="left", va="bottom", color=INK, fontsize=9)
        ax.set_xticks(range(len(bins)), labels)
        ax.set_ylim(0, max(max(counts), 1) * 1.18)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("accounts followed, by each follower seen")
        ax.set_ylabel("followers")
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(length=0)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        return _to_svg(
            fig, "following", f"How many accounts the followers seen follow; the line at {html.escape(line)}"
        )
