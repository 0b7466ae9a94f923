"""ratings/hashing.py puts text in the columns scikit-learn's HashingVectorizer puts it in, with the same
counts: for both vectorizers of the committed models (word pairs, character n-grams within words), on
real posts and on any text."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_data
from modelkit import built_by_skops
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings import hashing, identity, verdict
from profilelens.ratings.modelfile import read
from profilelens.ratings.models import IDENTITY_FILE, VERDICT_FILE


@cache
def vectorizers() -> list[tuple[Any, hashing.Hashing]]:
    """(scikit-learn's vectorizer, ours) for the verdict's words and identity's profile characters."""
    pairs = []
    for file_name, find in (
        (VERDICT_FILE, lambda m: m[verdict.WITH_REPLIES].steps[0][1].transformers_[0][1].steps[0][1]),
        (IDENTITY_FILE, lambda m: m[identity.PROFILE].estimators_[0].steps[0][1].transformers_[0][1]),
    ):
        built = built_by_skops(file_name)
        pairs.append((find(built), hashing.of(find(read(SOURCE_MODELS_DIR / file_name)))))
    assert {ours.chars for _, ours in pairs} == {False, True}
    return pairs


def same_rows(texts: list[str]) -> None:
    for theirs, ours in vectorizers():
        expected = theirs.transform(texts).tocsr()
        expected.sort_indices()
        got = ours.rows(texts)
        assert got.indptr.tolist() == expected.indptr.tolist()
        assert got.indices.tolist() == expected.indices.tolist()
        assert np.array_equal(got.data, expected.data)
        for text in texts[:3]:
            assert ours.terms(text) == theirs.build_analyzer()(text)


def test_real_posts_hash_as_scikit_learn_hashes_them() -> None:
    from profilelens.training.timelines import load_timelines

    shared_data("timelines")
    sources = ("analyse-deputes-fr", "influencers-data", "twitter-customer-care-document-prediction")
    texts = [post.text for timeline in load_timelines(sources=sources)[::4] for post in timeline.posts[:30]]
    assert len(texts) > 500  # English, French, Portuguese and Spanish
    same_rows(texts)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80), max_size=4))
def test_any_text_hashes_as_scikit_learn_hashes_it(texts: list[str]) -> None:
    same_rows([*texts, "  Deux  espaces\tet un\nsaut, déjà vu ", "a", ""])


def test_half_an_emoji_hashes_as_a_question_mark() -> None:
    """X's API can cut a post inside an emoji, and a JSON decoder other than orjson keeps the half."""
    for theirs, ours in vectorizers():
        expected = theirs.transform(["merci ?? vu a?"]).tocsr()
        expected.sort_indices()
        got = ours.rows(["merci \ud83d\ud83d vu a\udc4d"])
        assert got.indices.tolist() == expected.indices.tolist()
        assert np.array_equal(got.data, expected.data)
