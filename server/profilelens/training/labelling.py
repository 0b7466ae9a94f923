"""The hand-labelled corpus: what labellers are shown, and how their votes become labels.

The protocol is ../shared/LABELLING.md: each account is shown as its profile and up to 40 posts as text,
newest first; two labellers vote independently, a third settles each disagreement; every vote is kept.

    python -m profilelens.training.labelling packets OUT_DIR   # the sheets labellers read
    python -m profilelens.training.labelling merge VOTES_DIR   # votes -> models/labels/accounts.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from profilelens.records import Post
from profilelens.training.timelines import Timeline, load_timelines

LABELS_DIR = Path(__file__).resolve().parents[3] / "models" / "labels"
LABELS_FILE = LABELS_DIR / "accounts.jsonl"
SHOWN_POSTS = 40
POST_CHARS = 280
# PAN's 1,100 text-only accounts would outnumber every other kind; a fixed sample of them is labelled
# beside every account of the other sources.
PAN_SAMPLE = 780
BATCHES = 8
SEED = 2026

IDENTITIES = ("organisation", "person")
VERDICTS = ("obligation", "engaging", "unclear")


def chosen_accounts(timelines: list[Timeline]) -> list[Timeline]:
    pan = [t for t in timelines if t.source == "bot_gender_profiling"]
    rest = [t for t in timelines if t.source != "bot_gender_profiling"]
    return rest + random.Random(SEED).sample(pan, min(PAN_SAMPLE, len(pan)))


def _post_line(post: Post) -> str:
    text = " ".join(post.text.split())[:POST_CHARS]
    if post.kind == "retweet" and not text.startswith("RT @"):
        text = f"RT @{post.retweeted_handle or '?'}: {text}"
    elif post.kind == "reply" and not text.startswith("@"):
        text = f"[reply to @{post.reply_to_handle or '?'}] {text}"
    elif post.kind == "quote":
        text = f"[quoting @{post.quoted_handle or '?'}] {text}"
    return text


def sheet(t: Timeline) -> str:
    """One account as a labeller sees it: the profile the source has, then up to 40 posts."""
    a = t.account
    profile = [f"@{a.handle}" if a.handle else "handle not in the data"]
    if a.name:
        profile.append(f"name: {a.name}")
    if a.bio:
        profile.append(f"bio: {' '.join(a.bio.split())}")
    shown = t.posts[:SHOWN_POSTS]
    dated = [p.created_at for p in shown if p.created_at]
    span = f", {min(dated):%Y-%m-%d} to {max(dated):%Y-%m-%d}" if dated else ""
    lines = [
        f"### {t.uid}",
        f"profile: {'; '.join(profile)}",
        f"posts: {len(shown)} shown of {len(t.posts)}{span}",
    ]
    lines += [f"{i}. {_post_line(p)}" for i, p in enumerate(shown, 1)]
    return "\n".join(lines)


def write_packets(out: Path) -> None:
    accounts = chosen_accounts(load_timelines())
    random.Random(SEED).shuffle(accounts)
    out.mkdir(parents=True, exist_ok=True)
    for b in range(BATCHES):
        part = accounts[b::BATCHES]
        (out / f"batch{b}.txt").write_text("\n\n".join(sheet(t) for t in part) + "\n", encoding="utf-8")
        (out / f"batch{b}.ids").write_text("\n".join(t.uid for t in part) + "\n", encoding="utf-8")
    print(f"{len(accounts)} accounts in {BATCHES} batches under {out}")


def cohen_kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def merge(votes_dir: Path) -> dict[str, Any]:
    """Every vote file (JSON lines with account, labeller, identity, verdict, confidence, why) into one
    record per account; the final label is the first two labellers' agreement, else the third's vote."""
    votes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted(votes_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                vote = json.loads(line)
                votes[vote["account"]].append(vote)
    records: list[dict[str, Any]] = []
    pairs: dict[str, tuple[list[str], list[str]]] = {"identity": ([], []), "verdict": ([], [])}
    for account in sorted(votes):
        first, second, *third = sorted(votes[account], key=lambda v: v["round"])
        record: dict[str, Any] = {"source": account.split("/", 1)[0], "account": account.split("/", 1)[1]}
        for label in ("identity", "verdict"):
            pairs[label][0].append(first[label])
            pairs[label][1].append(second[label])
            agreed = first[label] == second[label]
            record[label] = first[label] if agreed or not third else third[0][label]
        decider = third[0] if third else first
        record["votes"] = [
            {k: v[k] for k in ("labeller", "round", "identity", "verdict", "confidence", "why")}
            for v in votes[account]
        ]
        record["confidence"] = min(v["confidence"] for v in votes[account])
        record["why"] = decider["why"]
        records.append(record)
    agreement = {
        label: {
            "raw": round(sum(x == y for x, y in zip(a, b, strict=True)) / len(a), 3),
            "kappa": round(cohen_kappa(a, b), 3),
            "accounts": len(a),
            # per value: of the accounts either labeller gave it, the share both gave it
            "both_of_either": {
                value: round(
                    sum(x == y == value for x, y in zip(a, b, strict=True))
                    / max(sum(value in (x, y) for x, y in zip(a, b, strict=True)), 1),
                    3,
                )
                for value in (IDENTITIES if label == "identity" else VERDICTS)
            },
        }
        for label, (a, b) in pairs.items()
    }
    LABELS_DIR.mkdir(parents=True, exist_ok=True)
    LABELS_FILE.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    (LABELS_DIR / "agreement.json").write_text(json.dumps(agreement, indent=2) + "\n", encoding="utf-8")
    return agreement


def load_labels(path: Path = LABELS_FILE) -> dict[str, dict[str, Any]]:
    """The labelled corpus by "source/account"."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[f"{record['source']}/{record['account']}"] = record
    return out


if __name__ == "__main__":
    command, target = sys.argv[1], Path(sys.argv[2])
    if command == "packets":
        write_packets(target)
    elif command == "merge":
        print(json.dumps(merge(target), indent=2))
    else:
        sys.exit(f"unknown command {command!r}: packets or merge")
