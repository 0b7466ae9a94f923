"""Identity: the two parts and how they combine, on real captures and real labelled timelines."""

from __future__ import annotations

import dataclasses
import math

import orjson
import pytest
from timelinekit import UNSEEN, now_of, timeline

from conftest import shared_data
from modelkit import (
    NOW,
    built_by_skops,
    chatty_timeline,
    division_account,
    person_account,
    press_release_timeline,
)
from profilelens import analysis, sources
from profilelens.ratings import identity
from profilelens.records import Account


def test_combining_adds_log_odds_and_counts_the_posts_base_rate_once() -> None:
    assert identity.combine(None, None, 0.3) == 0.5
    assert identity.combine(0.8, None, 0.3) == pytest.approx(0.8)
    assert identity.combine(None, 0.8, 0.3) == pytest.approx(0.8)
    # posts at their base rate add nothing to the profile's reading
    assert identity.combine(0.8, 0.3, 0.3) == pytest.approx(0.8)
    both = identity.combine(0.8, 0.9, 0.5)
    assert both == pytest.approx(1 / (1 + math.exp(-(math.log(4) + math.log(9)))))


def test_bands() -> None:
    assert identity.label_of(0.95) == "organisation"
    assert identity.label_of(0.5) == "unsure"
    assert identity.label_of(0.05) == "person"


def test_an_official_developer_account_reads_as_an_organisation() -> None:
    captures = []
    for name in ("raw_user_by_login.json", "raw_user_tweets.json"):
        captures += sources.parse(orjson.loads(shared_data(f"x-graphql/{name}").read_bytes()))
    (report,) = analysis.analyze(captures, now=NOW)
    section = report["identity"]
    assert section["label"] == "organisation" and section["tone"] == "none"
    assert section["reasons"][0].startswith("its name and bio read as an organisation's")


def test_a_division_and_a_person_read_as_what_they_are() -> None:
    assert identity.section(division_account(), press_release_timeline(30), NOW)["label"] == "organisation"
    assert identity.section(person_account(), chatty_timeline(30), NOW)["label"] == "person"


def test_nothing_to_read_is_unsure_not_a_guess() -> None:
    section = identity.section(Account(handle="x9"), [], NOW)
    assert section["label"] == "unsure" and section["organisation_probability"] == 0.5
    assert "nothing to tell by" in section["reasons"][0]


def test_the_handle_and_fame_never_change_who_runs_an_account() -> None:
    account, posts = person_account(), chatty_timeline(30)
    other = dataclasses.replace(account, handle="totally_new_name", followers=10_000_000)
    assert identity.section(other, posts, NOW) == identity.section(account, posts, NOW)


@pytest.mark.parametrize(
    "uid",
    [
        "Emotion-and-Topic-Analysis/NancyPelosi",
        "CS181_project/SenWarren",
        "Presidentielle2022Twitter/MLP_officiel",
    ],
)
def test_politicians_never_read_as_organisations_from_their_posts(uid: str) -> None:
    t = timeline(uid)
    posts = t.posts[UNSEEN]
    section = identity.section(t.account, posts, now_of(posts))
    assert section["label"] != "organisation" and section["organisation_probability"] < 0.5


@pytest.mark.parametrize(
    "uid", ["tweetCompression/UN", "canadian-news-tweets/CBCNews", "tweetCompression/Wendys"]
)
def test_public_bodies_media_and_brands_never_read_as_persons_from_their_posts(uid: str) -> None:
    t = timeline(uid)
    posts = t.posts[UNSEEN]
    section = identity.section(t.account, posts, now_of(posts))
    assert section["label"] != "person" and section["organisation_probability"] > 0.5


def test_the_posts_part_reading_is_the_models_own_probability() -> None:
    from profilelens.config import SOURCE_MODELS_DIR
    from profilelens.ratings.inputs import matrix, posts_row
    from profilelens.ratings.linear import Reading
    from profilelens.ratings.models import IDENTITY_FILE, loaded

    model = loaded(SOURCE_MODELS_DIR, IDENTITY_FILE).model[identity.POSTS]
    for account, posts in (
        (division_account(), press_release_timeline(30)),
        (person_account(), chatty_timeline(30)),
    ):
        x = matrix([posts_row(account, posts, NOW)])
        built = built_by_skops(IDENTITY_FILE)[identity.POSTS]
        assert Reading.of(model, x).probability == pytest.approx(
            float(built.predict_proba(x)[0, 1]), abs=1e-12
        )
