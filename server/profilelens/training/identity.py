"""Organisation or person: a profile part learned from Humanizr, a posts part learned from the
hand-labelled corpus, combined in log-odds (ratings/identity.py says how).

- Profile part: character n-grams of name and bio (a logistic model) stacked under gradient-boosted
  trees that also read the profile numbers; the trees take missing numbers natively. Humanizr has
  profiles and no posts.
- Posts part: a logistic model over the account's own words and the post numbers. The corpus has posts
  and, for most accounts, no profile. How much an account replies is not among its numbers: support
  desks answer all day and politicians hardly ever, people reply and feeds never, so the rate points
  opposite ways in different kinds of account; read, it turned the sources held out the wrong way
  (PAN's people and feeds most) and lowered the held-out accuracy and ROC-AUC.

Judged two ways: the profile part on Humanizr in 5 folds; the whole reading on the corpus with each
source held out in turn from the posts part (the profile part never sees the corpus).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, StackingClassifier
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from profilelens.ratings import identity as rating
from profilelens.ratings.inputs import (
    POSTS_COLUMNS,
    PROFILE_NUMBERS,
    has_profile,
    matrix,
    posts_row,
    profile_row,
)
from profilelens.training.corpus import LabelledTimeline, leave_one_source_out
from profilelens.training.data import HUMANIZR_COLLECTED_AT, LabelledAccount, OnePostAccount
from profilelens.training.linear import words_and_numbers

SEED = 20151
FOLDS = 5
HASHED_CHARS = 2**18
HASHED_WORDS = 2**17
# Public officials in the corpus (persons by the guide; the kind identity used to read as organisations).
OFFICIALS = frozenset(
    {
        "CS181_project",
        "Presidentielle2022Twitter",
        "analyse-deputes-fr",
        "TweetExtraction",
        "Emotion-and-Topic-Analysis/NancyPelosi",
        "Emotion-and-Topic-Analysis/SpeakerRyan",
        "Twitter-Topic-Labelling/BarackObama",
        "Twitter-Topic-Labelling/narendramodi",
        "influencers-data/lopezobrador_",
        "influencers-data/SF_Moro",
        "influencers-data/GeneralMourao",
        "influencers-data/gen_heleno",
        "influencers-data/LRobertoBarroso",
    }
)


def profile_pipeline() -> StackingClassifier:
    # Hashed n-grams: no vocabulary to store, so the model file stays small.
    chars = HashingVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), n_features=HASHED_CHARS, alternate_sign=False, norm=None
    )
    text = Pipeline(
        [
            ("columns", ColumnTransformer([("chars", chars, 0)])),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            ("logistic", LogisticRegression(C=3.0, max_iter=3000)),
        ]
    )
    # The stack passes [text score, profile text, *numbers] on; the trees take the score and numbers.
    trees = Pipeline(
        [
            (
                "columns",
                ColumnTransformer([("numbers", "passthrough", [0, *range(2, len(PROFILE_NUMBERS) + 2)])]),
            ),
            (
                "trees",
                HistGradientBoostingClassifier(
                    max_iter=100,
                    learning_rate=0.08,
                    max_leaf_nodes=15,
                    l2_regularization=1.0,
                    random_state=SEED,
                ),
            ),
        ]
    )
    return StackingClassifier(
        [("text", text)],
        final_estimator=trees,
        cv=StratifiedKFold(FOLDS, shuffle=True, random_state=SEED + 1),
        stack_method="decision_function",
        passthrough=True,
    )


def posts_pipeline() -> Pipeline:
    return words_and_numbers(len(POSTS_COLUMNS) - 1, hashed_words=HASHED_WORDS, C=1.0)


@dataclass(slots=True)
class IdentityResult:
    model: dict[str, Any]  # rating.PROFILE, rating.POSTS: the two fitted parts
    metrics: dict[str, Any]


def scores(y: np.ndarray[Any, Any], p: np.ndarray[Any, Any]) -> dict[str, Any]:
    labels = [rating.label_of(q) for q in p]
    sure = [(lab == "organisation") == bool(t) for lab, t in zip(labels, y, strict=True) if lab != "unsure"]
    return {
        "accounts": len(y),
        "accuracy": round(float(accuracy_score(y, p >= 0.5)), 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if len(set(y)) == 2 else None,
        "organisation_f1": round(float(f1_score(y, p >= 0.5, zero_division=0)), 4),
        "brier": round(float(brier_score_loss(y, p)), 4),
        "unsure": round(labels.count("unsure") / len(labels), 4),
        "accuracy_when_sure": round(float(np.mean(sure)), 4) if sure else None,
    }


def train_identity(
    humanizr: list[LabelledAccount], corpus: list[LabelledTimeline], crowdflower: list[OnePostAccount]
) -> IdentityResult:
    xp = matrix([profile_row(h.account, HUMANIZR_COLLECTED_AT) for h in humanizr])
    yp = np.array([h.organisation for h in humanizr], dtype=int)
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    profile_oof = cross_val_predict(profile_pipeline(), xp, yp, cv=folds, method="predict_proba")[:, 1]
    profile_model = profile_pipeline().fit(xp, yp)

    xc = matrix([posts_row(t.account, t.posts, t.now) for t in corpus])
    yc = np.array([t.identity == "organisation" for t in corpus], dtype=int)
    sources = [t.source for t in corpus]
    usable = np.array([len(t.posts) >= rating.MIN_POSTS for t in corpus])

    def fit_predict(train: np.ndarray[Any, Any], test: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        train = train[usable[train]]
        probabilities: np.ndarray[Any, Any] = (
            posts_pipeline().fit(xc[train], yc[train]).predict_proba(xc[test])
        )
        return probabilities[:, 1]

    posts_held_out = leave_one_source_out(sources, fit_predict)
    posts_model = posts_pipeline().fit(xc[usable], yc[usable])
    model = {
        rating.PROFILE: profile_model,
        rating.POSTS: posts_model,
        # Fitted with balanced class weights, the posts part reads as if organisations were half of all
        # accounts: that is the prior its probability carries, not the corpus's share.
        rating.POSTS_PRIOR: 0.5,
    }

    # The whole reading of each corpus account: its profile (when the source has one) read by the
    # profile part, its posts by a posts part that never saw its source.
    profile_p = [
        float(profile_model.predict_proba(matrix([profile_row(t.account, t.now)]))[0, 1])
        if has_profile(t.account)
        else None
        for t in corpus
    ]
    p = np.array(
        [
            rating.combine(pp, q if ok else None, model[rating.POSTS_PRIOR])
            for pp, q, ok in zip(profile_p, posts_held_out, usable, strict=True)
        ]
    )
    per_source = [
        {"source": s, **scores(yc[[g == s for g in sources]], p[[g == s for g in sources]])}
        for s in sorted(set(sources))
    ]
    officials = np.array([t.source in OFFICIALS or t.uid in OFFICIALS for t in corpus])

    cf_p = np.array(
        [
            rating.combine(
                float(
                    profile_model.predict_proba(
                        matrix([profile_row(i.account, i.post.created_at or HUMANIZR_COLLECTED_AT)])
                    )[0, 1]
                ),
                None,
                0.5,
            )
            for i in crowdflower
        ]
    )
    cf_y = np.array([i.brand for i in crowdflower], dtype=int)
    metrics = {
        "data": {
            "humanizr": {"accounts": len(humanizr), "organisations": int(yp.sum())},
            "corpus": {
                "accounts": len(corpus),
                "labels": dict(Counter(t.identity for t in corpus)),
                "sources": len(set(sources)),
                "with_a_profile": int(sum(x is not None for x in profile_p)),
                "posts_part_fitted_on": int(usable.sum()),
            },
        },
        "bands": {"organisation_at": rating.ORGANISATION_AT, "person_at": rating.PERSON_AT},
        "humanizr_folds": {"folds": FOLDS, "seed": SEED, **scores(yp, profile_oof)},
        "corpus_leave_one_source_out": {**scores(yc, p), "per_source": per_source},
        "officials_held_out": scores(yc[officials], p[officials]),
        "crowdflower_brand_check": scores(cf_y, cf_p),
    }
    return IdentityResult(model, metrics)
