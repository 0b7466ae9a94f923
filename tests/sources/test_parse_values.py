"""Reading single values: counts as the page abbreviates them, join dates, and data sets' loose types."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profilelens.sources._coerce import boolean, ident, integer, timestamp
from profilelens.sources.dom import count, joined


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("1.2M", 1_200_000),
        ("12.3K", 12_300),
        ("1,234", 1234),
        ("12,3 k", 12_300),
        ("1,2 M", 1_200_000),
        ("1.234", 1234),
        ("12 345", 12_345),
        ("12\u00a0345", 12_345),
        ("3 Mio.", 3_000_000),
        ("2.5B", 2_500_000_000),
        ("45K", 45_000),
        ("999", 999),
        ("0", 0),
        ("1,234 Followers", 1234),
        ("1,234 Mitglieder", 1234),
        (762, 762),
        ("1,5", None),
        ("1.2.3", None),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
        (-3, None),
        ("9" * 100, None),
    ],
)
def test_abbreviated_counts(shown: object, expected: int | None) -> None:
    assert count(shown) == expected


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("Joined March 2012", datetime(2012, 3, 1, tzinfo=UTC)),
        ("Joined Mar 2012", datetime(2012, 3, 1, tzinfo=UTC)),
        ("Inscrit en mars 2012", datetime(2012, 3, 1, tzinfo=UTC)),
        ("Seit März 2012 bei X", datetime(2012, 3, 1, tzinfo=UTC)),
        ("Se unió en diciembre de 2009", datetime(2009, 12, 1, tzinfo=UTC)),
        ("2012-03-05T10:00:00Z", datetime(2012, 3, 5, 10, 0, tzinfo=UTC)),
        ("Joined 2012", None),
        ("Joined Smarch 2012", None),
        (None, None),
        ("x" * 1000, None),
    ],
)
def test_join_dates(shown: object, expected: datetime | None) -> None:
    assert joined(shown) == expected


def test_loose_integers_and_flags() -> None:
    assert [integer(v) for v in (12, 12.0, "12", " 1234 ", "1,234", 12.5, "12a", True, None, "x" * 50)] == [
        12, 12, 12, 1234, 1234, None, None, None, None, None,
    ]  # fmt: skip
    # Counts are never negative, and none comes near a quadrillion: those are not counts.
    assert [integer(v) for v in (-1, "-5", -0.0, 10**15, 10**15 + 1, 1e300, "9" * 30)] == [
        None, None, 0, 10**15, None, None, None,
    ]  # fmt: skip
    assert [boolean(v) for v in (True, "True ", "true", 1, "1", False, "false", 0, "", "maybe", 2, None)] == [
        True, True, True, True, True, False, False, False, False, None, None, None,
    ]  # fmt: skip
    assert [ident(v) for v in ("123", " 123 ", 123, "", "   ", -1, True, None)] == [
        "123", "123", "123", None, None, None, None, None,
    ]  # fmt: skip


def test_timestamps_are_utc_aware() -> None:
    assert timestamp("Sat Dec 14 04:35:55 +0000 2013") == datetime(2013, 12, 14, 4, 35, 55, tzinfo=UTC)
    assert timestamp("Sat Dec 14 04:35:55 +0200 2013") == datetime(2013, 12, 14, 2, 35, 55, tzinfo=UTC)
    assert timestamp("2025-11-05T10:00:00.000Z") == datetime(2025, 11, 5, 10, 0, tzinfo=UTC)
    assert timestamp("2025-11-05T12:00:00+02:00") == datetime(2025, 11, 5, 10, 0, tzinfo=UTC)
    assert timestamp("2025-11-05T10:00:00") == datetime(2025, 11, 5, 10, 0, tzinfo=UTC)
    assert timestamp(1_700_000_000) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert timestamp(1_700_000_000_000) == timestamp(1_700_000_000)
    for bad in ("Sat Dec 32 04:35:55 +0000 2013", "yesterday", "", None, 10**30, float("nan"), True):
        assert timestamp(bad) is None


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", ".", " ", "\u00a0", "\u202f"]))
def test_counts_written_in_full_read_back_exactly(number: int, separator: str) -> None:
    assert count(f"{number:,}".replace(",", separator)) == number


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("K", 10**3), ("M", 10**6), ("B", 10**9)]))
def test_abbreviated_counts_read_back_with_either_decimal_mark(tenths: int, unit: tuple[str, int]) -> None:
    suffix, scale = unit
    shown = f"{tenths // 10}.{tenths % 10}{suffix}"
    assert count(shown) == tenths * scale // 10
    assert count(shown.replace(".", ",").replace(suffix, " " + suffix.lower())) == tenths * scale // 10
