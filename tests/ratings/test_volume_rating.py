"""The volume rating: bands, the dormant state and its wording, on its own and in real reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profilelens.ratings import volume
from profilelens.records import Account, Post

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def posts_at(*times: datetime) -> list[Post]:
    return [Post(id=str(i), created_at=t) for i, t in enumerate(times)]


def section(posts: list[Post], account: Account | None = None) -> dict:
    return volume.section(account or Account(), posts, now=NOW, tz_name="UTC", tz=UTC)


@pytest.mark.parametrize(
    ("per_day", "expected"),
    [
        (0, "quiet"),
        (0.99, "quiet"),
        (1, "steady"),
        (9.9, "steady"),
        (10, "high"),
        (49, "high"),
        (50, "very high"),
        (299, "very high"),
        (300, "firehose"),
        (5000, "firehose"),
    ],
)
def test_bands_follow_the_thresholds(per_day: float, expected: str) -> None:
    assert volume.band(per_day) == expected


def test_an_account_silent_for_eleven_years_is_dormant_and_says_when_it_last_posted() -> None:
    start = NOW - timedelta(days=4008)
    s = section(posts_at(*(start + timedelta(hours=i) for i in range(24))))
    assert s["band"] == "dormant" and s["dormant"] is True and s["tone"] == "warn"
    assert s["summary"] == "last post 10 years ago"
    assert s["last_post_age"] == "10 years ago"


def test_an_active_account_reads_its_rate_up_to_now() -> None:
    s = section(posts_at(*(NOW - timedelta(hours=6 * i) for i in range(1, 13))))  # 12 posts, 3 days
    assert s["band"] == "steady" and s["tone"] == "good" and not s["dormant"]
    assert s["summary"].startswith("4.0 posts a day (recent posts), last post today")
    assert s["work_hours_definition"] == "Mon–Fri 09:00–18:00 UTC"


def test_silence_just_short_of_the_threshold_is_not_dormant() -> None:
    days = volume.DORMANT_AFTER_DAYS - 1
    s = section(posts_at(*(NOW - timedelta(days=days, hours=i) for i in range(10))))
    assert s["band"] != "dormant"


@given(st.floats(min_value=0, max_value=20_000), st.integers(min_value=2, max_value=50))
def test_every_section_carries_a_tone_and_a_summary(days_ago: float, n: int) -> None:
    last = NOW - timedelta(days=days_ago)
    s = section(posts_at(*(last - timedelta(hours=i) for i in range(n))))
    assert s["tone"] in ("good", "warn", "bad", "none")
    assert s["summary"]
    assert (s["band"] == "dormant") == (s["days_since_last_post"] >= volume.DORMANT_AFTER_DAYS)


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0.2, "today"),
        (1, "1 day ago"),
        (12, "12 days ago"),
        (90, "2 months ago"),
        (400, "13 months ago"),
        (4008, "10 years ago"),
    ],
)
def test_ages_in_words(days: float, words: str) -> None:
    assert volume.age_in_words(days) == words


def test_without_dates_or_counts_it_says_why() -> None:
    s = section([Post(id="1")])
    assert s["available"] is False and s["tone"] == "none" and "no dated posts" in s["reason"]
