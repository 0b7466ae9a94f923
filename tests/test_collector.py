"""The cycle collector pauses while analyses run, in any thread, and comes back when all are done."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from conftest import shared_data
from profilelens import analysis, collector, sources
from profilelens.config import Config
from profilelens.records import Account, Capture
from profilelens.web import requests, service
from profilelens.web.service import Handle, parse_items, report_parsed


def test_the_collector_is_off_during_an_analysis_and_back_after(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real_section = analysis.account_section

    def spy(account: Account) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return real_section(account)

    monkeypatch.setattr(analysis, "account_section", spy)
    body = shared_data("x-graphql/raw_user_tweets.json").read_bytes()
    analysis.analyze_bytes(body, now=datetime(2026, 11, 22, tzinfo=UTC))
    assert seen == [False]
    assert gc.isenabled()


def test_overlapping_analyses_keep_it_off_until_the_last_one_ends() -> None:
    first_in, release = threading.Event(), threading.Event()

    def long_analysis() -> None:
        with collector.paused():
            first_in.set()
            release.wait(5)

    worker = threading.Thread(target=long_analysis)
    worker.start()
    first_in.wait(5)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled(), "the first analysis still runs: the collector stays off"
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_batch_body_decodes_and_its_items_are_read_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Decoding a 500-item batch with the collector on held the interpreter ~700 ms (~190 ms without it):
    # the event loop waited that long though the decoding ran in the pool (bench_batch_server's probe).
    seen: dict[str, list[bool]] = {"decode": [], "read": []}

    def decode(body: bytes) -> Any:
        seen["decode"].append(gc.isenabled())
        return orjson.loads(body)

    def read(item: object) -> list[Capture]:
        seen["read"].append(gc.isenabled())
        return real_parse(item)

    real_parse = sources.parse
    monkeypatch.setattr(
        requests, "orjson", SimpleNamespace(loads=decode, JSONDecodeError=orjson.JSONDecodeError)
    )
    monkeypatch.setattr(sources, "parse", read)
    capture = shared_data("x-graphql/raw_user_tweets.json").read_bytes()
    body = b'{"items":[' + b",".join([b'{"captures":[' + capture + b"]}"] * 3) + b"]}"
    items, tz = requests.batch_items(body)
    config = Config(token="t" * 32, config_dir=tmp_path, cache_path=tmp_path / "cache.sqlite3")
    parsed = parse_items(list(items), tz)
    outcomes = report_parsed(parsed, datetime(2026, 11, 22, tzinfo=UTC), config)
    assert all(isinstance(outcome, tuple) for outcome in outcomes) and len(outcomes) == 3
    assert seen == {"decode": [False], "read": [False] * 3}
    assert gc.isenabled()


def test_the_lines_of_a_streamed_batch_decode_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def decode(line: bytes) -> Any:
        seen.append(gc.isenabled())
        return orjson.loads(line)

    monkeypatch.setattr(
        service,
        "orjson",
        SimpleNamespace(loads=decode, dumps=orjson.dumps, JSONDecodeError=orjson.JSONDecodeError),
    )
    line = orjson.dumps(orjson.loads(shared_data("x-graphql/raw_user_tweets.json").read_bytes()))
    kinds = service.sort_items([b'"XDevelopers"', line], None)
    assert kinds[0] == Handle("XDevelopers") and isinstance(kinds[1], str)  # a capture: its cache key
    (parsed,) = parse_items([line], None)
    assert not isinstance(parsed, Exception)
    assert seen == [False, False]  # the handle's line and the capture's, each decoded once
    assert gc.isenabled()
