"""What the report page and the batch table show, as plain values computed from a report dict.

Pure functions: a report (API.md, `profilelens.report/2`) in, formatted strings and numbers out. A
section that is absent or `available: false` is shown as such with its reason, never filled in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

Report = Mapping[str, Any]

PLURAL = {"original": "originals", "retweet": "retweets", "reply": "replies", "quote": "quotes"}


@dataclass(frozen=True, slots=True)
class Card:
    """One of the four ratings in the page header."""

    title: str
    value: str  # the headline figure or label
    detail: str  # one line under it
    tone: str  # good | warn | bad | none: colour only, the text says it all
    available: bool


def section(report: Report, name: str) -> Mapping[str, Any]:
    """The named rating section; a missing one reads as unavailable, saying so."""
    value = report.get(name)
    if isinstance(value, Mapping):
        return value
    return {"available": False, "reason": "not in this report"}


def mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def listing(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def real(value: object) -> float | None:
    """A finite number, else None (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def shares(value: object) -> dict[str, float]:
    """The entries of a mapping of shares (kinds, traits) that are numbers, kept within 0..1."""
    out: dict[str, float] = {}
    for key, item in mapping(value).items():
        number = real(item)
        if number is not None:
            out[str(key)] = min(max(number, 0.0), 1.0)
    return out


def is_available(sec: Mapping[str, Any]) -> bool:
    return sec.get("available") is True


def unavailable_reason(sec: Mapping[str, Any]) -> str:
    reason = sec.get("reason")
    return str(reason) if reason else "not measured"


def number(value: object) -> str:
    """1234567 -> "1,234,567"; None -> "—"."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def compact(value: object) -> str:
    """695695 -> "696K", 1_200_000 -> "1.2M": how the profile page itself shows counts."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    for threshold, size, suffix in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "K")):
        if abs(value) >= threshold:
            scaled = value / size
            digits = 0 if abs(scaled) >= 100 else 1
            return f"{scaled:.{digits}f}".removesuffix(".0") + suffix
    return number(value)


def percent(value: object) -> str:
    share = real(value)
    if share is None:
        return "—"
    # A no-break space: "31 %" never splits across lines.
    if 0 < share < 0.005:
        return "< 1\u00a0%"  # not "0 %": it is not never
    return f"{share * 100:.0f}\u00a0%"


def rate(value: object) -> str:
    """Posts per day, with the precision that means something at that size."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    if value >= 10:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def gap(hours: object) -> str:
    if isinstance(hours, bool) or not isinstance(hours, int | float):
        return "—"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def when(value: object) -> str:
    """An ISO timestamp as "22 Nov 2026 10:00 UTC"; anything else as it is."""
    if not isinstance(value, str) or not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    zone = "UTC" if moment.utcoffset() is not None and not moment.utcoffset() else moment.strftime("%z")
    return f"{moment:%d %b %Y %H:%M} {zone}".strip()


def day(value: object) -> str:
    """An ISO timestamp or date as "14 Mar 2012"."""
    if not isinstance(value, str) or not value:
        return "—"
    try:
        return f"{datetime.fromisoformat(value.replace('Z', '+00:00')):%d %b %Y}"
    except ValueError:
        return value


def daily_counts(volume: Mapping[str, Any]) -> list[tuple[date, int]]:
    """The volume section's per-day counts ({"2026-11-20": 3, ...}), sorted; [] when absent."""
    raw = volume.get("daily_counts")
    pairs = raw.items() if isinstance(raw, Mapping) else raw if isinstance(raw, list) else []
    days: list[tuple[date, int]] = []
    for pair in pairs:
        try:
            key, count = pair
            day = date.fromisoformat(str(key)[:10])
        except (TypeError, ValueError):
            continue
        if isinstance(count, int) and not isinstance(count, bool) and 0 <= count < 1_000_000:
            days.append((day, count))
    return sorted(days)


def hour_weekday(volume: Mapping[str, Any]) -> list[list[int]] | None:
    """The 7 x 24 grid (Monday first) when the report holds a well-formed one."""
    grid = volume.get("hour_weekday")
    if not isinstance(grid, list) or len(grid) != 7:
        return None
    if not all(isinstance(row, list) and len(row) == 24 for row in grid):
        return None
    cells = [c for row in grid for c in row]
    if not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c < 1_000_000 for c in cells):
        return None
    return [list(row) for row in grid]


# The ratings in the page header, in the order DESIGN.md names them (identity beside the verdict).
CARDS = (
    ("follow_back", "Follow-back"),
    ("volume", "Posting volume"),
    ("content_mix", "Content mix"),
    ("identity", "Identity"),
    ("verdict", "Verdict"),
)
TONES = frozenset({"good", "warn", "bad", "none"})


# Shown only when the report has one: an audience needs the followers pages, most inputs have none.
OPTIONAL_CARDS = (("audience", "Audience"),)


def headline(name: str, rating: Mapping[str, Any]) -> str:
    """The card's big value: a figure or label the report states; the page decides nothing."""
    if name == "audience":
        return percent(mapping(rating.get("effective_audience")).get("share"))
    if name == "follow_back":
        return "follows you" if rating.get("follows_you") is True else percent(rating.get("probability"))
    if name == "volume":
        return str(rating.get("band") or "—")
    if name == "content_mix":
        top = max(shares(rating.get("kinds")).items(), key=lambda kv: kv[1], default=None)
        return PLURAL.get(top[0], top[0]) if top else "—"
    return str(rating.get("label") or "—")


def cards(report: Report) -> list[Card]:
    out: list[Card] = []
    optional = [(n, t) for n, t in OPTIONAL_CARDS if is_available(section(report, n))]
    for name, title in (*CARDS, *optional):
        rating = section(report, name)
        if not is_available(rating):
            out.append(Card(title, "not rated", unavailable_reason(rating), "none", False))
            continue
        summary = rating.get("summary")
        detail = summary if isinstance(summary, str) else ""
        if name == "volume" and real(rating.get("work_hours_share")) is not None:
            detail += f" · {percent(rating.get('work_hours_share'))} in work hours"
        tone = rating.get("tone")
        out.append(
            Card(
                title,
                headline(name, rating),
                detail,
                tone if isinstance(tone, str) and tone in TONES else "none",
                True,
            )
        )
    return out


def follows_you(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown") if isinstance(value, bool) else "unknown"


def profile_url(handle: object) -> str | None:
    return f"https://x.com/{handle}" if isinstance(handle, str) and handle.isascii() and handle else None


def safe_link(url: object) -> str | None:
    """A link the page may make clickable: http(s) only (never javascript: and the like)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if text.lower().startswith(("http://", "https://")):
        return text
    if text and "." in text and ":" not in text.split("/")[0]:
        return "https://" + text
    return None


def summary(report: Report) -> str:
    """The page in one or two sentences, from what was measured only."""
    volume = section(report, "volume")
    mix = section(report, "content_mix")
    verdict = section(report, "verdict")
    parts: list[str] = []
    if is_available(volume) and volume.get("summary"):
        sentence = str(volume.get("summary"))
        sentence = sentence[:1].upper() + sentence[1:]
        share = volume.get("work_hours_share")
        if isinstance(share, int | float) and not volume.get("dormant"):
            sentence += f"; {percent(share)} during work hours ({volume.get('work_hours_definition')})"
        parts.append(sentence + ".")
    kinds = shares(mix.get("kinds")) if is_available(mix) else {}
    if kinds:
        kind, share = max(kinds.items(), key=lambda kv: kv[1])
        parts.append(f"Mostly {PLURAL.get(kind, kind)} ({percent(share)} of the posts seen).")
    identity = section(report, "identity")
    if is_available(identity) and identity.get("summary"):
        parts.append(f"Identity: {identity.get('summary')}.")
    if is_available(verdict) and verdict.get("label"):
        parts.append(f"Verdict: {verdict.get('label')}.")
    return " ".join(parts)


class Bin(NamedTuple):
    """One bar of the audience chart: how many followers seen follow up to `label` accounts."""

    label: str
    followers: int
    past_line: bool  # beyond the mass-following line


def _count_of(figure: Mapping[str, Any]) -> str:
    return f"{number(figure.get('count'))} of {number(figure.get('of'))}"


def audience_figures(audience: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The audience's headline figures as (value, what it is and what it rests on)."""
    out = []
    seen, share = audience.get("followers_seen"), real(audience.get("share_of_all"))
    out.append((number(seen), "followers seen" + (f", {percent(share)} of all" if share is not None else "")))
    for key, what in (
        ("mass_followers", "mass-followers"),
        ("effective_audience", "effective audience"),
        ("organisations", "organisations"),
    ):
        figure = mapping(audience.get(key))
        if figure and figure.get("available") is not False:
            out.append((percent(figure.get("share")), f"{what}, {_count_of(figure)}"))
    near = mapping(mapping(audience.get("cohort")).get("created_near"))
    if near.get("available") is True:
        out.append(
            (percent(near.get("share")), f"{near.get('rule') or 'created with it'}, {_count_of(near)}")
        )
    return out


def following_bins(audience: Mapping[str, Any]) -> list[Bin]:
    """The audience section's following-count bins ({"up_to": 49, "count": 3}, ..., {"up_to": None})
    as chart bars; [] when absent or not well formed."""
    counts = mapping(audience.get("following_counts"))
    line = real(counts.get("line"))
    bins, low = [], 0
    for raw in listing(counts.get("bins")):
        item = mapping(raw)
        count, up_to = item.get("count"), item.get("up_to")
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count < 10**9:
            return []
        if up_to is None:
            bins.append(Bin(f"> {compact(low - 1)}", count, line is not None and low - 1 >= line))
            break
        top = real(up_to)
        if top is None or top < low:
            return []
        bins.append(Bin(f"{compact(low)}–{compact(top)}", count, line is not None and top > line))
        low = int(top) + 1
    return bins if any(b.followers for b in bins) else []
