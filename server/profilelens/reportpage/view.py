"""What the report page and the batch table show, as plain values computed from a report dict.

Pure functions: a report (API.md, `profilelens.report/1`) in, formatted strings and numbers out. A
section that is absent or `available: false` is shown as such with its reason, never filled in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

Report = Mapping[str, Any]

# How a recruiter reads each band (seed 003: hundreds a day during work hours hurt a reputation).
PLURAL = {"original": "originals", "retweet": "retweets", "reply": "replies", "quote": "quotes"}
VOLUME_TONE = {"quiet": "good", "steady": "good", "high": "warn", "very high": "bad", "firehose": "bad"}
VERDICT_TONE = {"engaging": "good", "mixed": "warn", "obligation": "bad", "not enough data": "none"}


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


def cards(report: Report) -> list[Card]:
    """The four ratings, in the order DESIGN.md names them."""
    follow_back = section(report, "follow_back")
    volume = section(report, "volume")
    mix = section(report, "content_mix")
    verdict = section(report, "verdict")
    out: list[Card] = []

    if follow_back.get("follows_you") is True:
        out.append(Card("Follow-back", "follows you", "the profile page says so", "good", True))
    elif is_available(follow_back):
        p = follow_back.get("probability")
        tone = (
            "none"
            if not isinstance(p, int | float)
            else "good"
            if p >= 0.5
            else "warn"
            if p >= 0.2
            else "bad"
        )
        out.append(Card("Follow-back", percent(p), "chance it follows back a new follower", tone, True))
    else:
        out.append(Card("Follow-back", "not rated", unavailable_reason(follow_back), "none", False))

    if is_available(volume):
        band = str(volume.get("band") or "—")
        detail = f"{rate(volume.get('recent_per_day'))} posts/day recently"
        if isinstance(volume.get("work_hours_share"), int | float):
            detail += f" · {percent(volume.get('work_hours_share'))} in work hours"
        out.append(Card("Posting volume", band, detail, VOLUME_TONE.get(band, "none"), True))
    else:
        out.append(Card("Posting volume", "not rated", unavailable_reason(volume), "none", False))

    if is_available(mix):
        top = max(shares(mix.get("kinds")).items(), key=lambda kv: kv[1], default=None)
        value = PLURAL.get(top[0], top[0]) if top else "—"
        appeal = mix.get("retweet_appeal")
        index = appeal.get("index") if isinstance(appeal, Mapping) else None
        detail = f"{percent(top[1])} of recent posts" if top else "no post kinds"
        if isinstance(index, int | float):
            detail += f" · retweet appeal {index:.2f}"
        out.append(Card("Content mix", value, detail, "none", True))
    else:
        out.append(Card("Content mix", "not rated", unavailable_reason(mix), "none", False))

    if is_available(verdict):
        label = str(verdict.get("label") or "—")
        p = verdict.get("obligation_probability")
        detail = f"{percent(p)} likely to post by obligation" if isinstance(p, int | float) else ""
        out.append(Card("Verdict", label, detail, VERDICT_TONE.get(label, "none"), True))
    else:
        out.append(Card("Verdict", "not rated", unavailable_reason(verdict), "none", False))
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
    if is_available(volume):
        recent = volume.get("recent_per_day")
        per_day = recent if isinstance(recent, int | float) else volume.get("lifetime_per_day")
        sentence = f"Posts {rate(per_day)} times a day ({volume.get('band')})"
        share = volume.get("work_hours_share")
        if isinstance(share, int | float):
            sentence += f", {percent(share)} of it during work hours"
        parts.append(sentence + ".")
    kinds = shares(mix.get("kinds")) if is_available(mix) else {}
    if kinds:
        kind, share = max(kinds.items(), key=lambda kv: kv[1])
        parts.append(f"Mostly {PLURAL.get(kind, kind)} ({percent(share)} of the posts seen).")
    if is_available(verdict) and verdict.get("label"):
        parts.append(f"Verdict: {verdict.get('label')}.")
    return " ".join(parts)
