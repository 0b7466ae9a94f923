from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from profilelens.features import volume
from profilelens.records import Account, Post

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def posts_at(*times: datetime) -> list[Post]:
    return [Post(id=str(i), created_at=t) for i, t in enumerate(times)]


def test_lifetime_rate_is_statuses_over_account_age() -> None:
    account = Account(created_at=NOW - timedelta(days=100), posts_count=250)
    assert volume.volume_features(account, [], NOW)["lifetime_per_day"] == pytest.approx(2.5)


def test_lifetime_rate_is_absent_without_creation_date() -> None:
    f = volume.volume_features(Account(posts_count=250), [], NOW)
    assert "lifetime_per_day" not in f and "recent_per_day" not in f


def test_recent_rate_runs_up_to_now_and_median_gap_from_timestamps() -> None:
    start = NOW - timedelta(days=2)
    posts = posts_at(*(start + timedelta(hours=6 * i) for i in range(9)))  # 9 posts over the last 2 days
    f = volume.volume_features(Account(), posts, NOW)
    assert f["recent_per_day"] == pytest.approx(9 / 2)
    assert f["median_gap_hours"] == pytest.approx(6)


def test_an_account_that_stopped_long_ago_reads_as_nearly_silent() -> None:
    start = NOW - timedelta(days=4008)
    posts = posts_at(*(start + timedelta(hours=i) for i in range(24)))  # a day of posts, 11 years ago
    f = volume.volume_features(Account(), posts, NOW)
    assert f["recent_per_day"] == pytest.approx(24 / 4008)
    assert f["days_since_last_post"] == pytest.approx(4008 - 23 / 24)


def test_a_burst_within_an_hour_is_not_hundreds_a_day() -> None:
    posts = posts_at(*(NOW - timedelta(minutes=i) for i in range(10)))
    assert volume.volume_features(Account(), posts, NOW)["recent_per_day"] == pytest.approx(10)


def test_work_hours_share_uses_the_chosen_time_zone() -> None:
    # Monday 08:30 UTC is 09:30 in Paris (work hours) but not in UTC; Saturday never counts.
    posts = posts_at(
        datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
        datetime(2026, 11, 2, 16, 59, tzinfo=UTC),
        datetime(2026, 11, 7, 11, 0, tzinfo=UTC),
        datetime(2026, 11, 3, 17, 0, tzinfo=UTC),  # 18:00 in Paris: the end, not work hours
    )
    assert volume.volume_features(Account(), posts, NOW, UTC)["work_hours_share"] == pytest.approx(2 / 4)
    paris = volume.volume_features(Account(), posts, NOW, ZoneInfo("Europe/Paris"))
    assert paris["work_hours_share"] == pytest.approx(2 / 4)
    assert volume.hour_weekday_counts(posts, ZoneInfo("Europe/Paris"))[0][9] == 1


def test_hour_weekday_grid_is_monday_first_and_counts_every_post() -> None:
    posts = posts_at(datetime(2026, 11, 2, 10, tzinfo=UTC), datetime(2026, 11, 8, 23, tzinfo=UTC))
    grid = volume.hour_weekday_counts(posts, UTC)
    assert len(grid) == 7 and all(len(row) == 24 for row in grid)
    assert grid[0][10] == 1 and grid[6][23] == 1 and sum(map(sum, grid)) == 2


def test_daily_counts_list_the_days_with_posts_only() -> None:
    posts = posts_at(
        datetime(2026, 11, 2, 10, tzinfo=UTC),
        datetime(2026, 11, 2, 11, tzinfo=UTC),
        datetime(2026, 11, 4, 9, tzinfo=UTC),
        datetime(2006, 3, 21, 20, tzinfo=UTC),
    )
    # Twenty years between two posts cost two entries, not seven thousand.
    assert volume.daily_counts(posts, UTC) == [("2006-03-21", 1), ("2026-11-02", 2), ("2026-11-04", 1)]
