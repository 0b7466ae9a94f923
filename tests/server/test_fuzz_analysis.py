"""The standing guard against hostile input: every real capture shape, mutated the ways an attacker
would (wrong types, dates at X's edges and far past them, huge and negative numbers, long strings,
deep nesting), goes through the whole analysis and the server. Each must end in reports or a clear
InputError (200 or a 4xx on the server), never a traceback, and cost bounded memory and output.

Sizes and memory are asserted here; time is `make bench`'s (tests/bench/bench_hostile.py).
"""

from __future__ import annotations

import asyncio
import logging
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp.test_utils import TestClient
from hostilekit import DEEP, to_bytes, worst_of_each_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serverkit import AUTH, make_config, started_server

from audiencekit import page_items, profile_item
from conftest import FIXTURES, SHARED_DATA
from jsonkit import mangle, paths
from profilelens import analysis
from profilelens.records import InputError

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def _tweepy_body(name: str) -> Callable[[], Any]:
    return lambda: orjson.loads((SHARED_DATA / "x-api-v2-v1.1-tweepy/decoded" / name).read_bytes())[0]["body"]


def _file(path: Path) -> Callable[[], Any]:
    return lambda: orjson.loads(path.read_bytes())


# One real capture of every shape the product reads.
SHAPES: dict[str, Callable[[], Any]] = {
    "graphql profile": _file(SHARED_DATA / "x-graphql/raw_user_by_login.json"),
    "graphql timeline": _file(SHARED_DATA / "x-graphql/raw_user_tweets.json"),
    "graphql legacy timeline": _file(
        SHARED_DATA / "x-graphql/legacy-schema-8ce44e4/raw_user_tweets_and_replies.json"
    ),
    "graphql followers page": _file(SHARED_DATA / "x-graphql/raw_followers.json"),
    "api v2 timeline": _tweepy_body("test_client_get_users_tweets.json"),
    "api v1.1 statuses": _file(SHARED_DATA / "x-api-v1.1-python-twitter/get_user_timeline.json"),
    "api v1.1 user": _file(SHARED_DATA / "x-api-v1.1-python-twitter/get_user.json"),
    "dom capture": _file(FIXTURES / "extension/dom_lumiere_cafe.json"),
    # A profile with its followers and following pages, each with the request URL that says whose.
    "graphql audience bundle": lambda: {
        "captures": [profile_item(), page_items("Followers")[0], page_items("Following")[0]]
    },
}
EDGE_VALUES: list[Any] = [
    # dates at X's edges and far past them, in every form the readers take
    "Fri Dec 31 23:59:59 +0000 9999",
    "Mon Jan 01 00:00:00 +0000 0001",
    "Mon Mar 20 23:59:59 +0000 2006",
    "2150-01-01T00:00:00Z",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    0,
    253402300799999,
    -62135596800,
    # numbers no count can be
    -1,
    -(2**53),
    2**63 - 1,
    10**18,
    1e308,
    -1e308,
    0.5,
    # strings
    "x" * 200_000,
    "\x00",
    "\u202e\u200b",
    "=HYPERLINK(1)",
    "",
    # types that are not the expected ones
    None,
    True,
    [],
    {},
    [None] * 50,
    {"__typename": "TweetTombstone"},
    DEEP,
]


_CACHE: dict[str, tuple[Any, list[tuple[Any, ...]]]] = {}


def shape(name: str) -> tuple[Any, list[tuple[Any, ...]]]:
    if not SHARED_DATA.exists():
        pytest.skip(f"real data not available: {SHARED_DATA} is absent (it sits beside the project in CI)")
    if name not in _CACHE:
        document = SHAPES[name]()
        _CACHE[name] = (document, paths(document))
    document, where = _CACHE[name]
    return orjson.loads(orjson.dumps(document)), where


@dataclass(frozen=True)
class Hostile:
    """A mutated real capture; its repr names the changes, not the megabyte of body they sit in."""

    shape: str
    changes: tuple[tuple[tuple[Any, ...], str], ...]
    body: bytes = field(repr=False)


@st.composite
def hostile_bodies(draw: st.DrawFn) -> Hostile:
    name = draw(st.sampled_from(sorted(SHAPES)))
    document, where = shape(name)
    changes = []
    for _ in range(draw(st.integers(1, 12))):
        path, value = draw(st.sampled_from(where)), draw(st.sampled_from(EDGE_VALUES))
        mangle(document, path, value)
        changes.append((path, repr(value)[:40]))
    return Hostile(name, tuple(changes), to_bytes(document))


def analyse_or_refuse(body: bytes) -> list[dict[str, Any]]:
    try:
        return analysis.analyze_bytes(body, now=NOW)
    except InputError as error:
        assert str(error)
        return []


def check_bounded(body: bytes, reports: list[dict[str, Any]]) -> None:
    """Output grows with the input, never with what its values claim (a date, a count)."""
    answer = orjson.dumps({"reports": reports})  # and it is JSON, whatever went in
    assert len(answer) <= len(body) + 256 * 1024 * max(1, len(reports))
    for report in reports:
        days = report["volume"].get("daily_counts") or []
        assert len(days) <= max(1, report["data"]["posts_seen"])
        assert all("2006-03-21" <= day <= "2026-11-23" for day, _ in days)
        for key in ("oldest_post", "newest_post"):
            moment = report["data"][key]
            assert moment is None or "2006-03-21" <= moment <= "2026-11-24", moment


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(hostile_bodies())
def test_every_real_shape_mutated_gives_bounded_reports_or_a_clear_refusal(hostile: Hostile) -> None:
    check_bounded(hostile.body, analyse_or_refuse(hostile.body))


def peak_bytes(body: bytes) -> int:
    tracemalloc.start()
    try:
        analyse_or_refuse(body)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_worst_input_of_each_class_costs_little_memory_over_a_normal_report() -> None:
    bodies = worst_of_each_class(shape("graphql timeline")[0])
    normal = peak_bytes(bodies.pop("normal"))
    for name, body in bodies.items():
        over = peak_bytes(body) - normal
        assert over < 20 * 1024 * 1024, f"{name}: {over / 2**20:.1f} MB over a normal report"


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(hostile=hostile_bodies())
def test_the_server_answers_mutated_real_captures_with_200_or_4xx_and_no_traceback(
    hostile: Hostile, served_app: Any
) -> None:
    client, loop, caplog = served_app
    caplog.clear()
    response = loop.run_until_complete(client.post("/v1/analyze", data=hostile.body, headers=AUTH))
    status, answer = response.status, loop.run_until_complete(response.read())
    assert status == 200 or 400 <= status < 500, answer[:300]
    assert orjson.loads(answer)  # always JSON, an error included
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "reached the catch-all"


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient[Any, Any], Any, Any]]:
    """One server for all the examples (hypothesis runs them inside one test call, outside any loop)."""
    loop = asyncio.new_event_loop()
    config = make_config(tmp_path_factory.mktemp("fuzz"))

    async def start() -> TestClient[Any, Any]:
        client = TestClient(await started_server(config))
        await client.start_server()
        return client

    client = loop.run_until_complete(start())
    records = _Records()
    logging.getLogger().addHandler(records)
    yield client, loop, records
    logging.getLogger().removeHandler(records)
    loop.run_until_complete(client.close())
    loop.close()


class _Records(logging.Handler):
    """The log records of the server while the examples run (caplog is per test call, not per example)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def clear(self) -> None:
        self.records.clear()
