"""Report assembly: merging captures of one account, one report per account, honest gaps."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from conftest import FIXTURES
from profilelens import analysis
from profilelens.records import Account, Capture, InputError, Post

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def profile(**fields: object) -> Capture:
    return Capture(source="x-graphql:UserByScreenName", account=Account(**fields))  # type: ignore[arg-type]


def timeline(account: Account, count: int, start: datetime, **post: object) -> Capture:
    posts = [
        Post(id=f"{account.handle}-{i}", created_at=start + timedelta(hours=i), **post) for i in range(count)
    ]  # type: ignore[arg-type]
    return Capture(source="x-graphql:UserTweets", account=account, posts=posts)


def test_profile_and_timeline_of_one_account_merge_into_one_report() -> None:
    start = NOW - timedelta(days=3)
    captures = [
        profile(
            id="42",
            handle="Acme",
            followers=1000,
            following=10,
            posts_count=5000,
            created_at=NOW - timedelta(days=1000),
        ),
        timeline(Account(id="42", handle="acme", followers=999), 12, start),
    ]
    (report,) = analysis.analyze(captures, now=NOW)
    assert report["schema"] == analysis.SCHEMA
    assert report["account"]["followers"] == 1000  # the profile capture wins over a timeline's author copy
    assert report["data"]["sources"] == ["x-graphql:UserByScreenName", "x-graphql:UserTweets"]
    assert report["data"]["posts_seen"] == 12
    assert report["volume"]["lifetime_per_day"] == pytest.approx(5.0)
    assert report["volume"]["recent_per_day"] == pytest.approx(12 / 3)  # from the oldest post up to now
    assert report["volume"]["band"] == "steady" and report["volume"]["band_basis"] == "recent posts"
    assert report["follow"]["ratio"] == pytest.approx(100)


def test_the_newer_profile_capture_wins_whatever_the_input_order() -> None:
    older = profile(id="42", handle="acme", followers=900, posts_count=4307)
    newer = profile(id="42", handle="acme", followers=1000, posts_count=4319)
    for captures in ([older, newer], [newer, older]):
        (report,) = analysis.analyze(captures, now=NOW)
        assert report["account"]["followers"] == 1000


def test_accounts_are_matched_by_handle_when_an_input_has_no_id() -> None:
    captures = [
        profile(id="42", handle="Acme", followers=1),
        Capture(source="dom", account=Account(handle="ACME")),
    ]
    assert len(analysis.analyze(captures, now=NOW)) == 1


def test_different_accounts_give_one_report_each() -> None:
    captures = [profile(id="1", handle="a", followers=1), profile(id="2", handle="b", followers=2)]
    assert [r["account"]["handle"] for r in analysis.analyze(captures, now=NOW)] == ["a", "b"]


def test_duplicate_posts_are_counted_once() -> None:
    acc = Account(id="7", handle="x")
    start = NOW - timedelta(days=1)
    (report,) = analysis.analyze([timeline(acc, 5, start), timeline(acc, 5, start)], now=NOW)
    assert report["data"]["posts_seen"] == 5


def test_an_old_pinned_post_does_not_stretch_the_recent_rate() -> None:
    acc = Account(id="7", handle="x")
    capture = timeline(acc, 6, NOW - timedelta(days=1))
    capture.posts.append(Post(id="old", created_at=NOW - timedelta(days=700), pinned=True))
    (report,) = analysis.analyze([capture], now=NOW)
    assert report["volume"]["recent_per_day"] == pytest.approx(6.0)
    assert report["content_mix"]["posts"] == 7


def test_a_profile_alone_says_what_it_cannot_measure() -> None:
    (report,) = analysis.analyze([profile(id="1", handle="a", followers=3, following=4)], now=NOW)
    assert report["content_mix"] == {"available": False, "reason": "no posts in the input", "tone": "none"}
    assert report["volume"]["available"] is False
    assert "lifetime post count" in report["volume"]["reason"]
    assert report["follow"]["available"] is True


def test_no_counts_no_follow_metrics() -> None:
    (report,) = analysis.analyze([profile(id="1", handle="a")], now=NOW)
    assert report["follow"]["available"] is False and "follower" in report["follow"]["reason"]


@pytest.mark.parametrize("name", ["Mars/Olympus", "Europe", "America", "x" * 300])
def test_unknown_time_zone_is_a_clear_input_error(name: str) -> None:
    with pytest.raises(InputError, match="unknown time zone"):
        analysis.analyze([profile(id="1", handle="a")], now=NOW, tz=name)


def test_bytes_that_are_not_json_are_a_clear_input_error() -> None:
    with pytest.raises(InputError, match="not JSON"):
        analysis.analyze_bytes(b"{oops", now=NOW)


def test_an_input_without_any_account_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no account"):
        analysis.analyze([], now=NOW)


def test_the_time_zone_is_the_callers_else_the_bundles_else_utc() -> None:
    timeline = json.loads(
        (FIXTURES / "sources" / "graphql_user_tweets_2026.json").read_text(encoding="utf-8")
    )
    bundle = json.dumps({"tz": "Europe/Paris", "captures": [timeline]}).encode()
    plain = json.dumps({"captures": [timeline]}).encode()
    zones = [
        report["volume"]["timezone"]
        for body, tz in ((bundle, None), (bundle, "Asia/Tokyo"), (plain, None))
        for report in analysis.analyze_bytes(body, now=NOW, tz=tz)
    ]
    assert zones == ["Europe/Paris", "Asia/Tokyo", "UTC"]


def test_the_report_reads_identity_and_verdict_as_each_section_alone_would() -> None:
    from profilelens.ratings import identity, verdict

    captures = [
        Capture(
            source="x-graphql:UserTweetsAndReplies",
            account=Account(id="1", handle="a", name="A", bio="I write about things"),
            posts=[
                Post(
                    id=str(i),
                    created_at=NOW - timedelta(hours=i),
                    text=f"@b{i} what do you think?",
                    kind="reply",
                    reply_to_handle=f"b{i}",
                )
                if i % 2
                else Post(id=str(i), created_at=NOW - timedelta(hours=i), text="Join us at our event")
                for i in range(20)
            ],
        )
    ]
    (report,) = analysis.analyze(captures, now=NOW)
    account, posts = analysis.merge_accounts(captures), analysis.merge_posts(captures)
    assert report["identity"] == identity.section(account, posts, NOW)
    assert report["verdict"] == verdict.section(account, posts, NOW)
