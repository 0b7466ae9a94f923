"""Small loaders: each labelled or real data set beside the project into Account/Post rows.

Paths are relative to ../shared/data (see its README). Nothing here is written back.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from profilelens.records import Account, Post

DATA_ROOT = Path(__file__).resolve().parents[3].parent / "shared" / "data"

HUMANIZR_DIR = "labeled/humanizr-org-vs-individual"
HUMANIZR_FILES = ("humanizr_balanced.csv", "humanizr_unbalanced.csv")
# Humanizr's labels are from 2015; its profile metadata was re-collected in 2022 (Cetinkaya et al.).
# Account ages are measured at that collection time, not today. The exact day is not published; mid-2022
# is off by at most six months on accounts that are ten years old or more.
HUMANIZR_COLLECTED_AT = datetime(2022, 7, 1, tzinfo=UTC)

CROWDFLOWER_FILE = "labeled/crowdflower-gender-brand/gender-classifier-DFE-791531.csv"
GRAPHS_DIR = "follow-graphs-corporate-careers"
GRAPH_FILES = ("bofa_careers.json", "verizoncareers.json", "hersheycareers.json")


class DataMissingError(FileNotFoundError):
    """The real data beside the project is absent; training cannot run without it."""


def data_path(relative: str, root: Path = DATA_ROOT) -> Path:
    path = root / relative
    if not path.exists():
        raise DataMissingError(f"{path} is absent: training reads the real data in ../shared/data")
    return path


def files_hash(paths: Iterable[Path]) -> str:
    """sha256 over the files' names and bytes, in the order given: the model card's data hash."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _int(text: str) -> int | None:
    text = text.strip()
    return None if not text else int(float(text))


def _flag(text: str) -> bool | None:
    value = _int(text)
    return None if value is None else bool(value)


@dataclass(slots=True)
class LabelledAccount:
    account: Account
    organisation: bool


def _humanizr_row(row: dict[str, str]) -> LabelledAccount:
    created = None
    try:
        created = datetime.strptime(row["join_date"].strip(), "%d %b %Y").replace(tzinfo=UTC)
    except ValueError:
        created = None  # one row carries a broken date; the model imputes it
    image = row.get("profile_image_url", "")
    account = Account(
        id=row["id"],
        handle=row["username"],
        name=row["name"],
        bio=row["bio"],
        location=row["location"],
        url=row["url"],
        created_at=created,
        followers=_int(row["followers"]),
        following=_int(row["following"]),
        posts_count=_int(row["tweets"]),
        likes_count=_int(row["likes"]),
        media_count=_int(row["media"]),
        verified=_flag(row["verified"]),
        protected=_flag(row["private"]),
        default_avatar=("default_profile_images" in image) if image else None,
    )
    return LabelledAccount(account, row["label"] == "organization")


def humanizr_paths(root: Path = DATA_ROOT) -> list[Path]:
    return [data_path(f"{HUMANIZR_DIR}/{name}", root) for name in HUMANIZR_FILES]


def load_humanizr(root: Path = DATA_ROOT) -> list[LabelledAccount]:
    """Both csv files, deduplicated by account id (they overlap; the labels never conflict)."""
    by_id: dict[str, LabelledAccount] = {}
    for path in humanizr_paths(root):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                item = _humanizr_row(row)
                previous = by_id.get(row["id"])
                if previous is not None and previous.organisation != item.organisation:
                    raise ValueError(f"humanizr: conflicting labels for account {row['id']}")
                by_id[row["id"]] = item
    return [by_id[key] for key in sorted(by_id)]


@dataclass(slots=True)
class OnePostAccount:
    """A CrowdFlower row: a profile, the one post shown to the annotators, and brand or person."""

    account: Account
    post: Post
    brand: bool


def _crowdflower_date(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y %H:%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def _crowdflower_post(row: dict[str, str]) -> Post:
    text = row["text"]
    kind: str = "original"
    retweeted = reply_to = None
    if text.startswith("RT @"):
        kind, retweeted = "retweet", text[4:].split(":", 1)[0].split()[0].lower()
    elif text.startswith("@"):
        kind, reply_to = "reply", text[1:].split()[0].rstrip(":,.").lower() if len(text) > 1 else None
    mentions = tuple(sorted({word[1:].rstrip(":,.!?").lower() for word in text.split() if word[:1] == "@"}))
    return Post(
        id=row["_unit_id"],
        created_at=_crowdflower_date(row["tweet_created"]),
        author_handle=row["name"],
        text=text,
        kind=kind,  # type: ignore[arg-type]
        retweeted_handle=retweeted,
        reply_to_handle=reply_to,
        mentions=mentions,
        urls=tuple(word for word in text.split() if word.startswith("http")),
        hashtags=tuple(word[1:].lower() for word in text.split() if word.startswith("#") and len(word) > 1),
    )


def load_crowdflower(root: Path = DATA_ROOT) -> list[OnePostAccount]:
    """Confident brand / male / female rows (labels 'unknown' and low-confidence ones are left out)."""
    path = data_path(CROWDFLOWER_FILE, root)
    rows: list[OnePostAccount] = []
    with path.open(newline="", encoding="latin-1") as handle:
        for row in csv.DictReader(handle):
            if not row.get("_unit_id") or row["gender"] not in ("brand", "male", "female"):
                continue
            if float(row["gender:confidence"] or 0) < 0.9:
                continue
            account = Account(
                handle=row["name"],
                bio=row["description"],
                created_at=_crowdflower_date(row["created"]),
                posts_count=_int(row["tweet_count"]),
                likes_count=_int(row["fav_number"]),
            )
            rows.append(OnePostAccount(account, _crowdflower_post(row), row["gender"] == "brand"))
    return rows


@dataclass(slots=True)
class FollowGraph:
    name: str
    nodes: int
    edges: list[tuple[int, int]]  # (follower, followed)


def graph_paths(root: Path = DATA_ROOT) -> list[Path]:
    return [data_path(f"{GRAPHS_DIR}/{name}", root) for name in GRAPH_FILES]


def load_graphs(root: Path = DATA_ROOT) -> list[FollowGraph]:
    graphs = []
    for path in graph_paths(root):
        raw = json.loads(path.read_bytes())
        edges = [(int(src), int(trg)) for src, trg in raw["edges"] if int(src) != int(trg)]
        graphs.append(FollowGraph(path.stem, len(raw["labels"]), edges))
    return graphs
