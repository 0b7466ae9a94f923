"""The two learned ratings of the report: follow-back likelihood and the obligation-vs-engaging verdict.

Models are the skops files `make train` writes into models/. They load lazily, once per process, and
only after skops lists the types a file would build and every one of them is on ALLOWED_TYPES: a file
asking for anything else is refused with ModelFileError. A missing model makes its section say
`available: false` with the reason (run `make train`).

The row builders below are the only way a model input is made, at training time and when serving.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from threadpoolctl import ThreadpoolController

from profilelens.config import MODELS_DIR
from profilelens.features import engagement, identity
from profilelens.records import Account, Capture, Post

IDENTITY_FILE = "identity.skops"
FOLLOW_BACK_FILE = "follow_back.skops"
VERDICT_FILE = "verdict.skops"

# Every type our three models are built from that skops does not trust by default. A model file that
# needs a type outside this list is refused: it is not a file `make train` wrote.
ALLOWED_TYPES = frozenset(
    {
        # identity: gradient-boosted trees, the stack's fold splitter, a dict-like holder of fitted parts
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.model_selection._split.StratifiedKFold",
        "sklearn.utils._bunch.Bunch",
        # follow-back: the spline's basis and the array function scipy keeps beside it
        "scipy.interpolate._bsplines.BSpline",
        "scipy._lib.array_api_compat.numpy._aliases.asarray",
    }
)

# Verdict bands on the obligation probability.
OBLIGATION_AT = 0.6
ENGAGING_AT = 0.4
# Below this many posts the posts say too little; only a decisive organisation profile then speaks
# (seed 000's dormant divisional accounts). No profile alone can show that someone converses.
MIN_POSTS = 10
DECISIVE_ORGANISATION = 0.9
TOP_REASONS = 3

IDENTITY_NUMBERS = identity.IDENTITY_FEATURES
FOLLOW_BACK_INPUTS = ("followers_per_following_log",)
VERDICT_INPUTS = (
    "organisation_probability",
    "reply_others_share",
    "distinct_replied_rate",
    "question_share",
    "first_person_share",
    "circle_relay_share",
    "institutional_share",
    "quietness",
)
# Timelines that carry the account's replies when it has any. X's default profile tab (UserTweets)
# and the page's main tab leave replies out: there, "no replies" means "not shown", not "never".
REPLY_SOURCES = frozenset({"x-graphql:UserTweetsAndReplies", "x-api-v1.1", "x-api-v2"})
REPLY_INPUTS = ("reply_others_share", "distinct_replied_rate")
# The inputs that are evidence of each kind (see evidenced_label).
ENGAGEMENT_EVIDENCE = ("reply_others_share", "distinct_replied_rate", "question_share", "first_person_share")
OBLIGATION_EVIDENCE = ("organisation_probability", "circle_relay_share", "institutional_share", "quietness")
# Seed 000: divisional accounts post two or three times a day at most, some not at all. Quietness is 0
# from one post a day up and grows to 1 as posting stops; with no dated posts it counts as 0 (unknown).
QUIET_BELOW_PER_DAY = 1.0


class ModelFileError(RuntimeError):
    """A model file exists but will not be loaded (unexpected types, or not a skops file)."""


# ---- model inputs (shared with training) -------------------------------------------------------


def identity_row(account: Account, now: datetime) -> list[object]:
    """[profile text, *IDENTITY_NUMBERS]: one row of the identity model's object matrix."""
    numbers = identity.identity_features(account, now)
    return [identity.profile_text(account), *(numbers[name] for name in IDENTITY_NUMBERS)]


def identity_matrix(rows: Sequence[Sequence[object]]) -> np.ndarray[Any, Any]:
    matrix = np.empty((len(rows), 1 + len(IDENTITY_NUMBERS)), dtype=object)
    for i, row in enumerate(rows):
        matrix[i, :] = row
    return matrix


def follow_back_row(followers: float, following: float) -> list[float]:
    """Followers per account followed, on a log scale: the one input that does not depend on how big a
    sample of the network the counts come from (see the follow-back model card)."""
    return [math.log1p(max(followers, 0.0)) - math.log1p(max(following, 0.0))]


def verdict_row(features: Mapping[str, float], organisation_probability: float) -> list[float]:
    """The verdict model's inputs from engagement features; what was not seen counts as zero."""

    def share(name: str) -> float:
        value = features.get(name, math.nan)
        return 0.0 if math.isnan(value) else value

    per_day = features.get("posts_per_day", math.nan)
    quietness = 0.0 if math.isnan(per_day) else 1.0 - min(per_day, QUIET_BELOW_PER_DAY) / QUIET_BELOW_PER_DAY
    return [
        organisation_probability,
        share("reply_others_share"),
        share("distinct_replied_rate"),
        share("question_share"),
        share("first_person_share"),
        share("circle_relay_share"),
        share("institutional_share"),
        quietness,
    ]


# ---- loading -----------------------------------------------------------------------------------


def load_model(path: Path) -> Any:
    """A skops file, after checking that it builds only allowed types."""
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises zipfile/json/key errors for a file that is not its format
        raise ModelFileError(f"{path} is not a readable skops model file: {exc}") from exc
    unexpected = sorted(set(untrusted) - ALLOWED_TYPES)
    if unexpected:
        raise ModelFileError(
            f"{path} asks to build types that ProfileLens never saves, refused: {', '.join(unexpected)}"
        )
    return sio.load(path, trusted=list(untrusted))


@dataclass(frozen=True, slots=True)
class Loaded:
    model: Any | None
    reason: str | None  # why model is None


@functools.cache
def loaded(directory: Path, file_name: str) -> Loaded:
    """One model, loaded at first use and kept for the life of the process. A refused file leaves the
    rating unavailable with the refusal as its reason, rather than failing the whole report."""
    path = directory / file_name
    if not path.exists():
        return Loaded(None, f"model file models/{file_name} is missing: run `make train` to build it")
    try:
        return Loaded(load_model(path), None)
    except ModelFileError as exc:
        return Loaded(None, f"{exc}; run `make train` to rebuild it")


def preload(directory: Path = MODELS_DIR) -> None:
    """Load every model now (a server calls this at start, so the first profile does not wait)."""
    for file_name in (IDENTITY_FILE, FOLLOW_BACK_FILE, VERDICT_FILE):
        loaded(directory, file_name)


@functools.cache
def _threads() -> ThreadpoolController:
    return ThreadpoolController()


@contextlib.contextmanager
def single_thread() -> Iterator[None]:
    """Score one account on one OpenMP thread: the trees' per-call thread start-up cost 10x more than
    the prediction itself (90 ms instead of 10 ms per verdict on a busy 2-core machine)."""
    with _threads().limit(limits=1, user_api="openmp"):
        yield


# ---- report sections ---------------------------------------------------------------------------


def organisation_probability(account: Account, now: datetime, directory: Path = MODELS_DIR) -> float | None:
    """The identity model's probability that an organisation runs the account; None without the model."""
    model = loaded(directory, IDENTITY_FILE).model
    if model is None:
        return None
    return _organisation(model, account, now)


def _organisation(model: Any, account: Account, now: datetime) -> float:
    with single_thread():
        return float(model.predict_proba(identity_matrix([identity_row(account, now)]))[0, 1])


def follow_back_section(account: Account, directory: Path = MODELS_DIR) -> dict[str, Any]:
    if account.follows_you:
        return {
            "available": True,
            "reason": None,
            "probability": 1.0,
            "follows_you": True,
            "basis": "the page says this account follows you",
        }
    if account.followers is None or account.following is None:
        return _unavailable("the input has no follower or following counts", follows_you=account.follows_you)
    state = loaded(directory, FOLLOW_BACK_FILE)
    if state.model is None:
        return _unavailable(str(state.reason), follows_you=account.follows_you)
    row = np.array([follow_back_row(account.followers, account.following)])
    return {
        "available": True,
        "reason": None,
        "probability": round(float(state.model.predict_proba(row)[0, 1]), 3),
        "follows_you": account.follows_you,
        "basis": "followers per account followed, fitted on real follow graphs (models/follow_back.md)",
    }


def replies_visible(captures: Sequence[Capture], posts: Sequence[Post]) -> bool:
    """Whether the input could show the account's replies to others (see REPLY_SOURCES). Replies in its
    own threads do not tell: X shows those on the default tab too."""
    if any(c.source in REPLY_SOURCES for c in captures):
        return True
    return any(
        p.kind == "reply" and (p.reply_to_handle or "").lower() != (p.author_handle or "").lower()
        for p in posts
    )


def verdict_section(
    account: Account,
    posts: Sequence[Post],
    now: datetime,
    directory: Path = MODELS_DIR,
    *,
    replies_visible: bool = True,
) -> dict[str, Any]:
    """The verdict. With `replies_visible` False the reply inputs are set to their training mean, so
    they push neither way, and stay out of the reasons."""
    n = len(posts)
    identity_model, model = loaded(directory, IDENTITY_FILE), loaded(directory, VERDICT_FILE)
    if identity_model.model is None or model.model is None:
        return _unavailable(str(identity_model.reason or model.reason), posts_seen=n)
    org = _organisation(identity_model.model, account, now)
    features = engagement.engagement_features(account, posts, now)
    if n < MIN_POSTS and org < DECISIVE_ORGANISATION:
        return {
            "available": True,
            "reason": None,
            "label": "not enough data",
            "obligation_probability": None,
            "reasons": [
                f"only {n} posts seen: at least {MIN_POSTS} are needed unless the profile is decisive"
            ],
            "posts_seen": n,
        }
    row = np.array([verdict_row(features, org)])
    if not replies_visible:
        for name in REPLY_INPUTS:
            i = VERDICT_INPUTS.index(name)
            row[0, i] = model.model.named_steps["scale"].mean_[i]
    probability = float(model.model.predict_proba(row)[0, 1])
    contributions = feature_contributions(model.model, row[0])
    label = evidenced_label(verdict_label(probability), contributions)
    if n < MIN_POSTS and label != "obligation":
        label, probability = "not enough data", math.nan
    if n == 0:  # nothing was seen: only the profile may be given as a reason
        contributions = {k: v for k, v in contributions.items() if k == "organisation_probability"}
    if not replies_visible:
        contributions = {k: v for k, v in contributions.items() if k not in REPLY_INPUTS}
    reasons = explain(contributions, features, org, label)
    if n < MIN_POSTS:
        reasons.append(f"only {n} posts seen" if n else "no posts seen")
    if not replies_visible and n:
        reasons.append("replies not shown in this capture (the Replies tab shows them): left out")
    return {
        "available": True,
        "reason": None,
        "label": label,
        "obligation_probability": None if math.isnan(probability) else round(probability, 3),
        "reasons": reasons,
        "posts_seen": n,
    }


def verdict_label(probability: float) -> str:
    if probability >= OBLIGATION_AT:
        return "obligation"
    if probability <= ENGAGING_AT:
        return "engaging"
    return "mixed"


def feature_contributions(model: Any, row: np.ndarray[Any, Any]) -> dict[str, float]:
    """Each input's push on the log-odds of obligation, from the training mean (scaler + logistic)."""
    scaler, logistic = model.named_steps["scale"], model.named_steps["logistic"]
    scaled = (row - scaler.mean_) / scaler.scale_
    return {name: float(c * x) for name, c, x in zip(VERDICT_INPUTS, logistic.coef_[0], scaled, strict=True)}


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def describe(name: str, features: Mapping[str, float], org: float) -> str:
    """One input in plain words, with its number."""
    value = features.get(name, math.nan)
    if name == "organisation_probability":
        if org >= 0.5:
            return f"profile reads as an organisation ({_percent(org)})"
        return f"profile reads as a person ({_percent(1 - org)})"
    if name == "quietness":
        per_day = features.get("posts_per_day", math.nan)
        return (
            "posting rate unknown (no dated posts)" if math.isnan(per_day) else f"posts {per_day:.1f} a day"
        )
    if math.isnan(value) or value == 0:
        return {
            "reply_others_share": "never replies to others"
            if not features.get("reply_share")
            else "replies only in its own threads",
            "distinct_replied_rate": "replies to no other account",
            "question_share": "never asks a question in its own posts",
            "first_person_share": "no personal voice: never writes in the first person",
            "circle_relay_share": "relays no one",
            "institutional_share": "no announcement-style posts",
        }[name]
    return {
        "reply_others_share": f"replies to others in {_percent(value)} of posts",
        "distinct_replied_rate": f"replies to {int(features.get('distinct_replied', 0))} different accounts",
        "question_share": f"asks questions in {_percent(value)} of its own posts",
        "first_person_share": f"speaks in the first person in {_percent(value)} of its own posts",
        "circle_relay_share": (
            f"{_percent(value)} of posts are retweets or quotes of "
            f"{int(features.get('circle_size', 0))} accounts"
        ),
        "institutional_share": f"{_percent(value)} of posts read as announcements, events or calls to act",
    }[name]


def evidenced_label(label: str, contributions: Mapping[str, float]) -> str:
    """A verdict needs evidence of its own kind, not only the absence of the other kind: "engaging"
    needs conversation or voice above the training average (a news feed that merely relays no one is not
    engaging), "obligation" needs profile, circle, announcements or quietness pushing that way (an
    account that is merely silent is not institutional). Without it the verdict is "mixed"."""
    if label == "engaging" and sum(contributions.get(k, 0.0) for k in ENGAGEMENT_EVIDENCE) >= 0:
        return "mixed"
    if label == "obligation" and sum(contributions.get(k, 0.0) for k in OBLIGATION_EVIDENCE) <= 0:
        return "mixed"
    return label


def explain(
    contributions: Mapping[str, float], features: Mapping[str, float], org: float, label: str
) -> list[str]:
    """The inputs that pushed hardest toward the label, in plain words (both ways for 'mixed'). An
    engaging verdict is explained by conversation, voice or a person's profile only: "relays no one"
    is no sign of engagement."""
    if label == "obligation":
        ranked = sorted((c, n) for n, c in contributions.items() if c > 0)[::-1]
    elif label == "engaging":
        allowed = (*ENGAGEMENT_EVIDENCE, "organisation_probability")
        ranked = sorted((-c, n) for n, c in contributions.items() if c < 0 and n in allowed)[::-1]
    else:
        ranked = sorted((abs(c), n) for n, c in contributions.items())[::-1]
    return [describe(name, features, org) for _, name in ranked[:TOP_REASONS]]


def _unavailable(reason: str, **extra: Any) -> dict[str, Any]:
    return {"available": False, "reason": reason, **extra}
