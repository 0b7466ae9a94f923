"""Every model, in order: identity first (the verdict reads its out-of-fold probabilities), then
follow-back and verdict; then the files, a reload through the serving loader, real-timeline readings,
metrics.json and the model cards."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import scipy
import sklearn
import skops
from sklearn.metrics import roc_auc_score

from profilelens import ratings, sources
from profilelens.analysis import group_by_account, merge_accounts, merge_posts
from profilelens.features.engagement import engagement_features
from profilelens.training import cards
from profilelens.training.data import (
    CROWDFLOWER_FILE,
    DATA_ROOT,
    data_path,
    files_hash,
    graph_paths,
    humanizr_paths,
    load_crowdflower,
    load_graphs,
    load_humanizr,
)
from profilelens.training.files import write_model
from profilelens.training.follow_back import train_follow_back
from profilelens.training.identity import train_identity
from profilelens.training.verdict import SYNTHETIC_NOW, train_verdict

# Real timelines beside the project, read as a report would read them: no labels, sanity readings only.
REAL_TIMELINES = (
    (
        "x-graphql/raw_user_by_login.json",
        "x-graphql/raw_user_tweets.json",
        "x-graphql/raw_user_tweets_and_replies.json",
    ),
    (
        "x-api-v1.1-python-twitter/get_user_timeline.json",
        "x-api-v1.1-python-twitter/get_user_timeline_count.json",
        "x-api-v1.1-python-twitter/get_home_timeline.json",
        "x-api-v1.1-python-twitter/get_user_retweets.json",
        "x-api-v1.1-python-twitter/get_search_raw.json",
    ),
)
MIN_POSTS_FOR_READING = 10


def versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "skops": skops.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


MODEL_CODE = ("features/identity.py", "features/engagement.py", "features/text.py", "ratings.py")


def model_code_files() -> list[Path]:
    """The code a model depends on: its features, its inputs, its training."""
    package = Path(__file__).resolve().parents[1]
    return sorted([*package.glob("training/*.py"), *(package / name for name in MODEL_CODE)])


def code_hash() -> str:
    """sha256 of the code that computes features and trains: same code + same data = same models."""
    files = model_code_files()
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def real_readings(out: Path) -> list[dict[str, Any]]:
    readings = []
    for group_files in REAL_TIMELINES:
        captures = []
        for relative in group_files:
            path = DATA_ROOT / relative
            if path.exists():
                captures.extend(sources.parse(orjson.loads(path.read_bytes())))
        for group in group_by_account(captures):
            posts = merge_posts(group)
            if len(posts) < MIN_POSTS_FOR_READING:
                continue
            account = merge_accounts(group)
            times = [p.created_at for p in posts if p.created_at is not None]
            now = max(times) + timedelta(days=1) if times else SYNTHETIC_NOW
            visible = ratings.replies_visible(group, posts)
            verdict = ratings.verdict_section(account, posts, now, out, replies_visible=visible)
            follow_back = ratings.follow_back_section(account, out)
            readings.append(
                {
                    "handle": account.handle,
                    "followers": account.followers,
                    "following": account.following,
                    "organisation_probability": round(
                        ratings.organisation_probability(account, now, out) or 0, 3
                    ),
                    "verdict": verdict.get("label"),
                    "obligation_probability": verdict.get("obligation_probability"),
                    "reasons": verdict.get("reasons"),
                    "posts_seen": len(posts),
                    "follow_back_probability": follow_back.get("probability"),
                }
            )
    return sorted(readings, key=lambda r: str(r["handle"]).lower())


def crowdflower_verdict_check(out: Path, crowdflower: list[Any]) -> dict[str, Any]:
    """Does the obligation probability rank CrowdFlower's brands above its people, from a profile and
    one post? A proxy only: a brand is not the same thing as an obligation account."""
    identity_model = ratings.load_model(out / ratings.IDENTITY_FILE)
    verdict_model = ratings.load_model(out / ratings.VERDICT_FILE)
    times = [item.post.created_at or SYNTHETIC_NOW for item in crowdflower]
    matrix = ratings.identity_matrix(
        [ratings.identity_row(item.account, now) for item, now in zip(crowdflower, times, strict=True)]
    )
    organisation = identity_model.predict_proba(matrix)[:, 1]
    rows = [
        ratings.verdict_row(engagement_features(item.account, [item.post], now), float(org))
        for item, now, org in zip(crowdflower, times, organisation, strict=True)
    ]
    p = verdict_model.predict_proba(np.array(rows))[:, 1]
    y = np.array([item.brand for item in crowdflower], dtype=int)
    return {
        "accounts": len(y),
        "brands": int(y.sum()),
        "roc_auc_brand_vs_person": round(float(roc_auc_score(y, p)), 4),
        "mean_probability_brands": round(float(p[y == 1].mean()), 4),
        "mean_probability_people": round(float(p[y == 0].mean()), 4),
    }


def _step(name: str, started: list[float]) -> None:
    now = time.perf_counter()
    print(f"  {name}: {now - started[0]:.0f} s", flush=True)
    started[0] = now


def train_all(out: Path) -> str:
    clock = [time.perf_counter()]
    humanizr = load_humanizr()
    crowdflower = load_crowdflower()
    graphs = load_graphs()
    hashes = {
        "humanizr": files_hash(humanizr_paths()),
        "crowdflower": files_hash([data_path(CROWDFLOWER_FILE)]),
        "follow_graphs": files_hash(graph_paths()),
    }

    _step("data loaded", clock)
    identity = train_identity(humanizr, crowdflower)
    _step("identity model (5-fold CV + final fit)", clock)
    follow_back = train_follow_back(graphs)
    _step("follow-back model (3 rotations + final fit)", clock)
    verdict = train_verdict(identity.out_of_fold, crowdflower)
    _step("verdict model (synthetic timelines + fit)", clock)

    out.mkdir(parents=True, exist_ok=True)
    for name, model in (
        (ratings.IDENTITY_FILE, identity.model),
        (ratings.FOLLOW_BACK_FILE, follow_back.model),
        (ratings.VERDICT_FILE, verdict.model),
    ):
        write_model(model, out / name)
    ratings.loaded.cache_clear()
    for name in (ratings.IDENTITY_FILE, ratings.FOLLOW_BACK_FILE, ratings.VERDICT_FILE):
        ratings.load_model(out / name)  # what serving will do; refuses a file with unexpected types

    _step("saved and reloaded", clock)
    verdict.metrics["real_timelines"] = real_readings(out)
    verdict.metrics["crowdflower_brand_check"] = crowdflower_verdict_check(out, crowdflower)
    _step("checks on real data", clock)
    ratings.loaded.cache_clear()

    context = {"versions": versions(), "code_sha256": code_hash(), "data_sha256": hashes}
    metrics = {
        "identity": identity.metrics,
        "follow_back": follow_back.metrics,
        "verdict": verdict.metrics,
        **context,
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    (out / "identity.md").write_text(cards.identity_card(identity.metrics, context))
    (out / "follow_back.md").write_text(cards.follow_back_card(follow_back.metrics, context))
    (out / "verdict.md").write_text(cards.verdict_card(verdict.metrics, context))
    return cards.summary(metrics)
