"""Hostile input costs bounded work and never a 500: one test per way it used to break.

Every crafted body starts from the real UserTweets capture, changed the way an attacker would.
Bounds are asserted on sizes (answers, series, cache rows), never on time: timings are `make bench`'s.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hostilekit import with_posts
from serverkit import AUTH, make_config

from profilelens import analysis
from profilelens.records import Account, Capture
from profilelens.web import create_app

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
FAR_FUTURE = "Fri Dec 31 23:59:59 +0000 9999"
BEFORE_X = "Mon Jan 01 00:00:00 +0000 1990"


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path):
    return await aiohttp_client(create_app(make_config(tmp_path)))


def dated(when: str) -> Any:
    def change(legacy: dict[str, Any]) -> None:
        legacy["created_at"] = when

    return change


# -- 1. one date must not take the server down ---------------------------------------------------------


def test_posts_dated_outside_x_life_are_ignored_and_noted() -> None:
    body = with_posts(dated(FAR_FUTURE), count=2)
    (report,) = analysis.analyze_bytes(body, now=NOW)
    (clean,) = analysis.analyze_bytes(with_posts(lambda _: None), now=NOW)
    assert report["data"]["posts_seen"] == clean["data"]["posts_seen"]  # the posts still count
    assert report["data"]["newest_post"] < "2027"
    assert any("2 posts dated outside X's life" in note for note in report["data"]["notes"])
    days = report["volume"]["daily_counts"]
    assert len(days) <= report["data"]["posts_seen"] and all("9999" not in day for day, _ in days)


def test_a_post_dated_before_x_is_ignored_and_noted() -> None:
    (report,) = analysis.analyze_bytes(with_posts(dated(BEFORE_X)), now=NOW)
    assert any("1 post dated outside X's life" in note for note in report["data"]["notes"])
    assert report["data"]["oldest_post"] >= "2006-03-21"


def test_an_account_created_after_now_is_ignored_and_noted() -> None:
    account = Account(id="1", handle="crafted", posts_count=10, created_at=datetime(9999, 12, 31, tzinfo=UTC))
    (report,) = analysis.analyze([Capture(source="x-graphql:UserByScreenName", account=account)], now=NOW)
    assert report["account"]["created_at"] is None
    assert any("creation date 9999-12-31 is outside X's life" in note for note in report["data"]["notes"])


async def test_a_far_future_post_is_a_normal_size_answer_and_page(client) -> None:
    body = with_posts(dated(FAR_FUTURE))
    clean = await client.post("/v1/analyze", data=with_posts(lambda _: None), headers=AUTH)
    crafted = await client.post("/v1/analyze", data=body, headers=AUTH)
    assert crafted.status == 200 and clean.status == 200
    assert len(await crafted.read()) < 1.2 * len(await clean.read())
    page = await client.post("/report/capture", data=body, headers=AUTH)
    assert page.status == 200
    assert "outside X" in await page.text()
