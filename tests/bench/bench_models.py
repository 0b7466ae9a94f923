"""Model scoring speed: predictions per second for one account (each learned section, as a report
computes them) and for a batch of 10,000 profiles (identity's profile part and follow-back,
BotometerLite's use case).

Prints figures; asserts nothing about time (shared machines are noisy).
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from profilelens import sources
from profilelens.analysis import merge_accounts, merge_posts
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings import fitted, follow_back, identity, models, verdict
from profilelens.ratings.inputs import follow_back_row, matrix, profile_row
from profilelens.records import Account

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
CAPTURES = [
    DATA / "x-graphql" / name for name in ("raw_user_by_login.json", "raw_user_tweets_and_replies.json")
]
PROFILES = DATA / "x-api-v1.1-python-twitter"
NOW = datetime(2026, 11, 22, tzinfo=UTC)
BATCH = 10_000


def rate(count: int, fn: object) -> float:
    assert callable(fn)
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def skops_built(file_name: str) -> Any:
    import skops.io as sio

    path = SOURCE_MODELS_DIR / file_name
    return sio.load(path, trusted=sio.get_untrusted_types(file=path))


def real_profiles() -> list[Account]:
    """Every v1.1 user object beside the project (about 1,600), parsed as serving parses them."""
    accounts: list[Account] = []
    for path in sorted(PROFILES.glob("*.json")):
        try:
            captures = sources.parse(orjson.loads(path.read_bytes()))
        except ValueError:
            continue  # id lists and friendship objects hold no profile
        accounts += [c.account for c in captures if c.account is not None]
    return accounts


def main() -> int:
    missing = [p for p in (*CAPTURES, PROFILES) if not p.exists()]
    if missing:
        print(f"no real data to measure: {', '.join(map(str, missing))} absent")
        return 0
    for name in models.MODEL_FILES:
        if not (SOURCE_MODELS_DIR / name).exists():
            print(f"models/{name} is missing: run `make train`")
            return 1

    captures = [c for p in CAPTURES for c in sources.parse(orjson.loads(p.read_bytes()))]
    account, posts = merge_accounts(captures), merge_posts(captures)
    started = time.perf_counter()
    identity.section(account, posts, NOW)
    verdict.section(account, posts, NOW)
    follow_back.section(account)
    print(f"first call, loading the three models: {(time.perf_counter() - started) * 1000:.0f} ms")

    calls = 200
    who = rate(calls, lambda: [identity.section(account, posts, NOW) for _ in range(calls)])
    one = rate(calls, lambda: [verdict.section(account, posts, NOW) for _ in range(calls)])
    fb = rate(calls, lambda: [follow_back.section(account) for _ in range(calls)])
    print(f"one account (@{account.handle}, {len(posts)} posts):")
    print(f"  identity section (profile part + post features + posts part): {who:8.0f} accounts/s")
    print(f"  verdict section (post features + words + verdict):            {one:8.0f} accounts/s")
    print(f"  follow-back section:                                          {fb:8.0f} accounts/s")

    profiles = list(itertools.islice(itertools.cycle(real_profiles()), BATCH))
    served = (
        models.loaded(SOURCE_MODELS_DIR, models.IDENTITY_FILE).model,
        models.loaded(SOURCE_MODELS_DIR, models.FOLLOW_BACK_FILE).model,
    )
    started = time.perf_counter()
    built = tuple(skops_built(name) for name in (models.IDENTITY_FILE, models.FOLLOW_BACK_FILE))
    took = (time.perf_counter() - started) * 1000
    print(f"the same two files built by skops into scikit-learn's objects: {took:.0f} ms (imports included)")

    def score_batch(probabilities: Callable[[Any, Any], Any], identity_model: Any, follow_model: Any) -> None:
        probabilities(identity_model[identity.PROFILE], matrix([profile_row(a, NOW) for a in profiles]))
        counted = [a for a in profiles if a.followers is not None and a.following is not None]
        rows = np.array([follow_back_row(a.followers or 0, a.following or 0) for a in counted])
        probabilities(follow_model, rows)

    def one_profile(probabilities: Callable[[Any, Any], Any], identity_model: Any, _: Any) -> None:
        row = matrix([profile_row(account, NOW)])
        for _ in range(calls):
            probabilities(identity_model[identity.PROFILE], row)

    def scikit_learn(model: Any, x: Any) -> Any:
        return model.predict_proba(x)[:, 1]

    for title, count, run in (
        (
            f"batch of {BATCH} real v1.1 profiles (cycled), features + identity + follow-back",
            BATCH,
            score_batch,
        ),
        ("one profile, identity's profile part", calls, one_profile),
    ):
        print(f"{title}, per second:")
        for name, way, pair in (
            ("scikit-learn's predict_proba", scikit_learn, built),
            ("from the fitted numbers (serving)", fitted.probabilities, served),
        ):
            print(f"  {name:36} {rate(count, functools.partial(run, way, *pair)):9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
