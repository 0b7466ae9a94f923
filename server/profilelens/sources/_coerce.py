"""Tolerant conversions for values as X and data sets hand them over.

Counts arrive as ints, as strings ("1234 ") or not at all; flags as bools or "True "; dates in
Twitter's "Sat Dec 14 04:35:55 +0000 2013" form or ISO 8601. Every function returns None for what it
cannot read, never raises: a missing value must stay missing, not become 0 or False.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

# Read-only stand-ins so that chained lookups on missing parts stay cheap and never raise.
EMPTY: dict[str, Any] = {}
NO_ITEMS: list[Any] = []

_MONTHS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
    "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
_MAX_NUMBER_TEXT = 40
_MAX_ID_TEXT = 64  # an id written with more characters than this is not an id
# No count on X comes near this; a crafted one past it (or below zero) is not a count.
MAX_COUNT = 10**15


def obj(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (never mutate the result)."""
    return value if isinstance(value, dict) else EMPTY


def items(value: object) -> list[Any]:
    """`value` if it is a JSON array, else an empty one (never mutate the result)."""
    return value if isinstance(value, list) else NO_ITEMS


def text(value: object) -> str | None:
    """A string as given; numbers (ids sent as numbers) become their decimal form."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def ident(value: object) -> str | None:
    """An id (of an account or a post) as a string: "123", " 123 " or 123 -> "123"; "" or junk -> None."""
    if isinstance(value, str):
        value = value.strip()
        return value if value and len(value) <= _MAX_ID_TEXT else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return None


def nonempty(value: object) -> str | None:
    """A string with something in it, else None (X sends "" for "not set")."""
    return value if isinstance(value, str) and value.strip() else None


def integer(value: object) -> int | None:
    """A count: 12, 12.0, "12", " 1234 ", "1,234" -> int; a negative or absurd one, or anything else ->
    None."""
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
        digits = value.strip().replace(",", "").replace("_", "")
        number = int(digits) if digits.isascii() and digits.isdigit() else None
    return number if number is not None and 0 <= number <= MAX_COUNT else None


def boolean(value: object) -> bool | None:
    """A flag: True, "True ", "true", 1, "1" -> True; False, "false", 0, "0", "" -> False."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0 if value in (0, 1) else None
    if isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
        word = value.strip().lower()
        if word in ("true", "1", "yes", "t", "y"):
            return True
        if word in ("false", "0", "no", "f", "n", ""):
            return False
    return None


def first(*values: Any) -> Any:
    """The first value that is not None."""
    for value in values:
        if value is not None:
            return value
    return None


def timestamp(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from Twitter's date form, ISO 8601, or epoch seconds/millis."""
    if isinstance(value, str):
        if len(value) > _MAX_NUMBER_TEXT:
            return None
        return _twitter_date(value) or _iso_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _twitter_date(value: str) -> datetime | None:
    # "Sat Dec 14 04:35:55 +0000 2013" -- split by hand: strptime costs ~10x more per post.
    parts = value.split()
    if len(parts) != 6:
        return None
    _, month_name, day, clock, offset, year = parts
    month = _MONTHS.get(month_name)
    hms = clock.split(":")
    if month is None or len(hms) != 3 or len(offset) != 5 or offset[0] not in "+-":
        return None
    try:
        moment = datetime(int(year), month, int(day), int(hms[0]), int(hms[1]), int(hms[2]), tzinfo=UTC)
        if offset != "+0000":
            shift = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
            moment = moment - shift if offset[0] == "+" else moment + shift
    except (ValueError, OverflowError):
        return None
    return moment


def _iso_date(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
