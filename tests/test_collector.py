"""The cycle collector pauses while analyses run, in any thread, and comes back when all are done."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import shared_data
from profilelens import analysis, collector
from profilelens.records import Account


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
