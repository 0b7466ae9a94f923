"""One flat row per vetted account: the columns of the batch CSV and of the batch HTML table.

Values stay raw (numbers as numbers, None when not measured) so that the CSV reads back as it was
written and the HTML table sorts on real values; the page formats them for people.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import orjson

from profilelens.reportpage import view
from profilelens.reportpage.view import is_available, mapping, section

Cell = str | int | float | None
Row = dict[str, Cell]

# (key, header) in display order.
COLUMNS: tuple[tuple[str, str], ...] = (
    # The four ratings first: what a recruiter scans for; the figures behind them follow.
    ("handle", "Account"),
    ("name", "Name"),
    ("verdict", "Verdict"),
    ("obligation_probability", "Obligation"),
    ("identity", "Identity"),
    ("organisation_probability", "Organisation"),
    ("follow_back_probability", "Follow-back"),
    ("volume_band", "Volume"),
    ("last_post", "Last post"),
    ("days_since_last_post", "Days silent"),
    ("recent_per_day", "Recent/day"),
    ("lifetime_per_day", "Lifetime/day"),
    ("work_hours_share", "Work hours"),
    ("original_share", "Original"),
    ("retweet_share", "Retweets"),
    ("reply_share", "Replies"),
    ("retweet_appeal", "RT appeal"),
    ("followers", "Followers"),
    ("following", "Following"),
    ("follow_ratio", "Ratio"),
    ("posts_seen", "Posts seen"),
    ("newest_post", "Newest post"),
    # The audience, when the followers pages were seen: each share over the followers seen.
    ("audience_followers_seen", "Followers seen"),
    ("mass_follower_share", "Mass-followers"),
    ("effective_audience_share", "Effective audience"),
    ("audience_organisation_share", "Org. followers"),
    ("cohort_created_share", "Created with it"),
    ("cohort_pair_density", "Followers tied"),
    ("follow_back_seen_rate", "Follow-backs seen"),
    ("item", "Input"),
    ("error", "Error"),
    # How the report judges three ratings (good, warn, bad): the HTML table colours those cells with it.
    ("volume_tone", "Volume tone"),
    ("verdict_tone", "Verdict tone"),
    ("audience_tone", "Audience tone"),
)
FIELDS: tuple[str, ...] = tuple(key for key, _ in COLUMNS)
# Columns that hold a share (0 to 1): shown as a percentage.
SHARES = frozenset(
    {
        "follow_back_probability",
        "work_hours_share",
        "original_share",
        "retweet_share",
        "reply_share",
        "obligation_probability",
        "organisation_probability",
        "mass_follower_share",
        "effective_audience_share",
        "audience_organisation_share",
        "cohort_created_share",
        "cohort_pair_density",
        "follow_back_seen_rate",
    }
)
# Columns that hold numbers (read back as float from CSV; sorted numerically in the HTML table).
NUMERIC = SHARES | frozenset(
    {
        "followers",
        "following",
        "follow_ratio",
        "recent_per_day",
        "lifetime_per_day",
        "retweet_appeal",
        "days_since_last_post",
        "posts_seen",
        "audience_followers_seen",
    }
)


def _num(value: object) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _when_available(sec: Mapping[str, Any], key: str) -> int | float | None:
    return _num(sec.get(key)) if is_available(sec) else None


def _days(value: int | float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _tone(sec: Mapping[str, Any]) -> str | None:
    tone = sec.get("tone")
    return tone if is_available(sec) and tone in ("good", "warn", "bad") else None


# The cell each tone column colours in the HTML table.
TONE_OF = {
    "volume_band": "volume_tone",
    "verdict": "verdict_tone",
    "audience_followers_seen": "audience_tone",
}


def _figure(sec: Mapping[str, Any], *path: str) -> int | float | None:
    """A number inside an available section ("mass_followers", "share"), None where any part is missing
    or unavailable."""
    value: Any = sec if is_available(sec) else {}
    for key in path:
        value = mapping(value)
        if value.get("available") is False:
            return None
        value = value.get(key)
    return _num(value)


def report_row(report: Mapping[str, Any], item: str | None = None) -> Row:
    """The row of one analysed account; `item` names the input it came from (a handle or a file)."""
    account = mapping(report.get("account"))
    data = mapping(report.get("data"))
    follow = section(report, "follow")
    follow_back = section(report, "follow_back")
    volume = section(report, "volume")
    mix = section(report, "content_mix")
    verdict = section(report, "verdict")
    identity = section(report, "identity")
    audience = section(report, "audience")
    kinds = mapping(mix.get("kinds")) if is_available(mix) else {}
    appeal = mapping(mix.get("retweet_appeal")) if is_available(mix) else {}
    return {
        "handle": _text(account.get("handle")),
        "name": _text(account.get("name")),
        "followers": _num(follow.get("followers", account.get("followers"))),
        "following": _num(follow.get("following", account.get("following"))),
        "follow_ratio": _when_available(follow, "ratio"),
        "follow_back_probability": _when_available(follow_back, "probability"),
        "volume_band": _text(volume.get("band")) if is_available(volume) else None,
        "last_post": _text(volume.get("last_post_age")) if is_available(volume) else None,
        "days_since_last_post": _days(_when_available(volume, "days_since_last_post")),
        "recent_per_day": _when_available(volume, "recent_per_day"),
        "lifetime_per_day": _when_available(volume, "lifetime_per_day"),
        "work_hours_share": _when_available(volume, "work_hours_share"),
        "original_share": _num(kinds.get("original")),
        "retweet_share": _num(kinds.get("retweet")),
        "reply_share": _num(kinds.get("reply")),
        "retweet_appeal": _num(appeal.get("index")),
        "verdict": _text(verdict.get("label")) if is_available(verdict) else None,
        "obligation_probability": _when_available(verdict, "obligation_probability"),
        "identity": _text(identity.get("label")) if is_available(identity) else None,
        "organisation_probability": _when_available(identity, "organisation_probability"),
        "posts_seen": _num(data.get("posts_seen")),
        "newest_post": _text(data.get("newest_post")),
        "audience_followers_seen": _figure(audience, "followers_seen"),
        "mass_follower_share": _figure(audience, "mass_followers", "share"),
        "effective_audience_share": _figure(audience, "effective_audience", "share"),
        "audience_organisation_share": _figure(audience, "organisations", "share"),
        "cohort_created_share": _figure(audience, "cohort", "created_near", "share"),
        "cohort_pair_density": _figure(audience, "cohort", "tied", "pair_density"),
        "follow_back_seen_rate": _figure(audience, "follow_backs", "rate"),
        "item": item,
        "error": None,
        "volume_tone": _tone(volume),
        "verdict_tone": _tone(verdict),
        "audience_tone": _tone(audience),
    }


def failure_row(item: str, reason: str, handle: str | None = None) -> Row:
    """The row of an input that gave no report, with the reason."""
    row: Row = dict.fromkeys(FIELDS)
    row.update(handle=handle, item=item, error=reason)
    return row


# A text cell a spreadsheet could read as a formula (names are attacker-controlled) is written with a
# leading apostrophe, which from_csv removes again.
FORMULA_START = frozenset("=+-@")


def looks_like_formula(text: str) -> bool:
    """Starts with a control character (tab, newline, NUL...), or its first character past leading
    spaces is one that starts a formula, in any width (full-width ＝ is = to a spreadsheet)."""
    if not text:
        return False
    if unicodedata.category(text[0]) == "Cc":
        return True
    head = text.lstrip()[:1]
    return bool(head) and unicodedata.normalize("NFKC", head)[:1] in FORMULA_START


# Decimals a CSV number keeps: a share to a hundredth of a percent, a rate to one post in 10,000 days.
CSV_DECIMALS = 4


def csv_number(value: float) -> str:
    """A float as people write it (1.16, not 1.1600000000000001): at most CSV_DECIMALS decimals, no
    trailing zeros, never an exponent."""
    text = f"{value:.{CSV_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def csv_cells(row: Row) -> dict[str, str]:
    """A row as CSV text: None is the empty cell; floats rounded for people (csv_number)."""
    cells: dict[str, str] = {}
    for key in FIELDS:
        value = row.get(key)
        if value is None:
            cells[key] = ""
        elif isinstance(value, float):
            cells[key] = csv_number(value)
        elif isinstance(value, str) and looks_like_formula(value):
            cells[key] = "'" + value
        else:
            cells[key] = str(value)
    return cells


def json_line(row: Row) -> str:
    """A row as one line of JSON (NDJSON), its columns in the CSV's order and values as they are."""
    return orjson.dumps({key: row.get(key) for key in FIELDS}).decode() + "\n"


def from_csv(cells: Mapping[str, str]) -> Row:
    """A row read back by csv.DictReader: empty -> None, numeric columns -> int or float."""
    row: Row = {}
    for key in FIELDS:
        text = cells.get(key) or ""
        if text == "":
            row[key] = None
        elif key in NUMERIC:
            row[key] = int(text) if text.lstrip("-").isdigit() else float(text)
        elif text.startswith("'") and looks_like_formula(text[1:]):
            row[key] = text[1:]
        else:
            row[key] = text
    return row


def display(key: str, value: Cell) -> str:
    """A cell as people read it in the HTML table."""
    if value is None:
        return "—"
    if key in SHARES:
        return view.percent(value)
    if key in ("recent_per_day", "lifetime_per_day"):
        return view.rate(value)
    if key in ("followers", "following", "posts_seen", "audience_followers_seen"):
        return view.compact(value)
    if key == "follow_ratio" and isinstance(value, int | float):
        return view.compact(value) if value >= 10_000 else f"{value:,.1f}"
    if key == "retweet_appeal" and isinstance(value, int | float):
        return f"{value:.2f}"
    if key == "newest_post":
        return view.day(value)
    return str(value)
