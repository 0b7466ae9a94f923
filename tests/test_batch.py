"""Batches score many accounts as one matrix per model; each report must be the one its account alone gets."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from conftest import shared_data
from profilelens import analysis, batch, sources
from profilelens.commands.common import capture_files
from profilelens.records import InputError

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def test_batch_scored_reports_equal_one_by_one_reports_on_real_captures() -> None:
    groups = []
    for path in capture_files(shared_data("x-graphql")):
        try:
            groups += analysis.group_by_account(sources.parse(json.loads(path.read_bytes())))
        except InputError:
            continue
    assert len(groups) > 100  # followers lists: many accounts, some with timelines
    together = batch.analyze_each([(group, "Europe/Paris") for group in groups], now=NOW)
    alone = [analysis.analyze(group, now=NOW, tz="Europe/Paris") for group in groups]
    assert together == alone
    reports = [r for outcome in together if isinstance(outcome, list) for r in outcome]
    assert any(r["verdict"].get("obligation_probability") is not None for r in reports)
    assert any(r["identity"].get("posts_probability") is not None for r in reports)


def test_an_input_fails_alone_in_a_chunk() -> None:
    path = shared_data("x-graphql") / "raw_user_tweets.json"
    captures = sources.parse(json.loads(path.read_bytes()))
    good, empty, bad_zone = (captures, "UTC"), ([], "UTC"), (captures, "Mars/Olympus")
    outcomes = batch.analyze_each([good, empty, bad_zone, good], now=NOW)
    assert outcomes[0] == outcomes[3] == analysis.analyze(captures, now=NOW, tz="UTC")
    assert isinstance(outcomes[1], InputError) and str(outcomes[1]) == analysis.NO_ACCOUNT
    assert isinstance(outcomes[2], InputError) and "Mars/Olympus" in str(outcomes[2])
