"""Every model, in order: identity and verdict from the labelled corpus (and Humanizr), then
follow-back; then the files, a reload through the serving loader, real-capture readings, metrics.json
and the model cards."""

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

from profilelens import analysis, sources
from profilelens.ratings import follow_back, identity, models, verdict
from profilelens.training import cards
from profilelens.training.corpus import UNDATED_NOW, load_corpus
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
from profilelens.training.labelling import LABELS_FILE
from profilelens.training.timelines import TIMELINES_DIR
from profilelens.training.verdict import train_verdict

# Real captures beside the project, read as a report would read them: no labels, readings only.
REAL_CAPTURES = (
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


MODEL_CODE = ("features/identity.py", "features/engagement.py", "features/text.py", "ratings/inputs.py")


def model_code_files() -> list[Path]:
    """The code a model depends on: its features, its inputs, its training."""
    package = Path(__file__).resolve().parents[1]
    return sorted([*package.glob("training/*.py"), *(package / name for name in MODEL_CODE)])


def code_hash() -> str:
    """sha256 of the code that computes features and trains: same code + same data = same models."""
    digest = hashlib.sha256()
    for path in model_code_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def real_readings(out: Path) -> list[dict[str, Any]]:
    readings = []
    for group_files in REAL_CAPTURES:
        captures = []
        for relative in group_files:
            path = DATA_ROOT / relative
            if path.exists():
                captures.extend(sources.parse(orjson.loads(path.read_bytes())))
        for group in analysis.group_by_account(captures):
            posts = analysis.merge_posts(group)
            if len(posts) < MIN_POSTS_FOR_READING:
                continue
            account = analysis.merge_accounts(group)
            times = [p.created_at for p in posts if p.created_at is not None]
            now = max(times) + timedelta(days=1) if times else UNDATED_NOW
            visible = verdict.replies_visible(group, posts)
            reading = verdict.section(account, posts, now, out, replies_visible=visible)
            who = identity.section(account, posts, now, out)
            readings.append(
                {
                    "handle": account.handle,
                    "identity": who.get("label"),
                    "organisation_probability": who.get("organisation_probability"),
                    "verdict": reading.get("label"),
                    "obligation_probability": reading.get("obligation_probability"),
                    "reasons": reading.get("reasons"),
                    "posts_seen": len(posts),
                    "follow_back_probability": follow_back.section(account, out).get("probability"),
                }
            )
    return sorted(readings, key=lambda r: str(r["handle"]).lower())


def _step(name: str, started: list[float]) -> None:
    now = time.perf_counter()
    print(f"  {name}: {now - started[0]:.0f} s", flush=True)
    started[0] = now


def train_all(out: Path) -> str:
    clock = [time.perf_counter()]
    humanizr = load_humanizr()
    crowdflower = load_crowdflower()
    graphs = load_graphs()
    corpus = load_corpus()
    hashes = {
        "humanizr": files_hash(humanizr_paths()),
        "crowdflower": files_hash([data_path(CROWDFLOWER_FILE)]),
        "follow_graphs": files_hash(graph_paths()),
        "labels": files_hash([LABELS_FILE]),
        "timelines": files_hash(sorted((DATA_ROOT / TIMELINES_DIR).rglob("*.*"))),
    }

    _step("data loaded", clock)
    identity_result = train_identity(humanizr, corpus, crowdflower)
    _step("identity model (held-out sources, Humanizr folds, final fit)", clock)
    follow_back_result = train_follow_back(graphs)
    _step("follow-back model (3 rotations + final fit)", clock)
    verdict_result = train_verdict(corpus)
    _step("verdict model (held-out sources, both views, final fit)", clock)

    out.mkdir(parents=True, exist_ok=True)
    for name, model in (
        (models.IDENTITY_FILE, identity_result.model),
        (models.FOLLOW_BACK_FILE, follow_back_result.model),
        (models.VERDICT_FILE, verdict_result.model),
    ):
        write_model(model, out / name)
    models.forget_loaded()
    for name in models.MODEL_FILES:
        models.load_model(out / name)  # what serving will do; refuses a file with unexpected types

    _step("saved and reloaded", clock)
    verdict_result.metrics["real_captures"] = real_readings(out)
    _step("readings of real captures", clock)
    models.forget_loaded()

    context = {"versions": versions(), "code_sha256": code_hash(), "data_sha256": hashes}
    metrics = {
        "identity": identity_result.metrics,
        "follow_back": follow_back_result.metrics,
        "verdict": verdict_result.metrics,
        **context,
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    (out / "identity.md").write_text(cards.identity_card(identity_result.metrics, context))
    (out / "follow_back.md").write_text(cards.follow_back_card(follow_back_result.metrics, context))
    (out / "verdict.md").write_text(cards.verdict_card(verdict_result.metrics, context))
    return cards.summary(metrics)
