"""The real timelines beside the project (../shared/data/timelines), each source read into one shape.

Every source keeps its own format (timelines/README.md says which); this module turns each into
`Timeline` rows of the project's own `Account` and `Post` records, so that labelling, training and
judging read the posts exactly as a report would. Only what a source carries is filled: a source
without dates leaves `created_at` None, one without reply fields marks replies by a leading "@" only.
"""

from __future__ import annotations

import ast
import csv
import glob
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from profilelens.records import Account, Post, PostKind
from profilelens.training.data import DATA_ROOT

TIMELINES_DIR = "timelines"


@dataclass(slots=True)
class Timeline:
    source: str  # the folder under timelines/, the unit of leave-one-source-out
    key: str  # the account within its source: its handle, or PAN's author hash
    account: Account
    posts: list[Post]  # newest first where the source has dates, else in the source's order

    @property
    def uid(self) -> str:
        return f"{self.source}/{self.key}"


_MENTION = re.compile(r"@(\w{1,15})")


def _date(text: str | None) -> datetime | None:
    """Every date format the sources use, as aware UTC; None for an empty or unknown one."""
    if not text:
        return None
    text = text.strip()
    for fmt in (
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%a %b %d %H:%M:%S %z %Y",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S.%f%z",
    ):
        try:
            return datetime.strptime(text.replace("Z", "+0000"), fmt).astimezone(UTC)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            pass
    return None


def post_from_text(
    post_id: str,
    text: str,
    created_at: datetime | None = None,
    kind: PostKind | None = None,
    reply_to: str | None = None,
    author: str | None = None,
) -> Post:
    """A Post from a text and whatever structure the source adds; a text's "RT @x:" or leading "@x"
    marks a retweet or reply where the source has no field of its own."""
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    retweeted = None
    if kind is None:
        if text.startswith("RT @"):
            kind = "retweet"
        elif text.startswith("@"):
            kind = "reply"
        else:
            kind = "original"
    if kind == "retweet":
        match = _MENTION.match(text, 3)
        retweeted = match.group(1) if match else None
    if kind == "reply" and reply_to is None:
        match = _MENTION.match(text)
        reply_to = match.group(1) if match else None
    return Post(
        id=post_id,
        created_at=created_at,
        author_handle=author,
        text=text,
        kind=kind,
        retweeted_handle=retweeted,
        reply_to_handle=reply_to,
        urls=tuple(re.findall(r"https?://\S+", text)),
        hashtags=tuple(tag.lower() for tag in re.findall(r"#(\w+)", text)),
        mentions=tuple(m.lower() for m in _MENTION.findall(text)),
    )


def _csv(path: str | Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _csv_rows(path: str | Path) -> list[list[str]]:
    """A CSV file without a header, as lists of cells."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _stem(path: str, suffix: str) -> str:
    return Path(path).name.removesuffix(suffix).lstrip("@")


def _timeline(source: str, key: str, posts: list[Post], **account: Any) -> Timeline:
    if any(p.created_at for p in posts):
        posts = sorted(posts, key=lambda p: p.created_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    return Timeline(source, key, Account(handle=account.pop("handle", None), **account), posts)


def _pan(root: Path) -> Iterator[Timeline]:
    base = root / "bot_gender_profiling/data/en"
    for path in sorted(glob.glob(str(base / "*.xml"))):
        texts = re.findall(r"<!\[CDATA\[(.*?)\]\]>", Path(path).read_text(encoding="utf-8"), re.S)
        key = Path(path).stem
        yield _timeline(
            "bot_gender_profiling", key, [post_from_text(f"{key}:{i}", t) for i, t in enumerate(texts)]
        )


def pan_truth(root: Path = DATA_ROOT / TIMELINES_DIR) -> dict[str, str]:
    """PAN's own label per author hash: "human" or "bot" (a matter of record, not a LABELLING.md label)."""
    path = root / "bot_gender_profiling/data/en/truth.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split(":::")[0]: line.strip().split(":::")[1] for line in lines if line.strip()}


def _tweet_compression(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "tweetCompression/Data/*_tweets.csv"))):
        rows = _csv_rows(path)
        handle = _stem(path, "_tweets.csv")
        posts = [
            post_from_text(r[1], ast.literal_eval(r[3]).decode("utf-8", "replace"), _date(r[2])) for r in rows
        ]
        yield _timeline("tweetCompression", handle, posts, handle=handle)


def _per_file(
    source: str, pattern: str, suffix: str, text: str = "text", date: str = "created_at", id_: str = "id"
) -> Callable[[Path], Iterator[Timeline]]:
    def read(root: Path) -> Iterator[Timeline]:
        for path in sorted(glob.glob(str(root / source / pattern))):
            handle = _stem(path, suffix)
            posts = [
                post_from_text(r.get(id_) or f"{handle}:{i}", r[text], _date(r.get(date)))
                for i, r in enumerate(_csv(path))
            ]
            yield _timeline(source, handle, posts, handle=handle)

    return read


def _grouped(
    source: str, rows: Sequence[tuple[str, Post]], names: dict[str, str] | None = None
) -> Iterator[Timeline]:
    """A source that holds several accounts in one file: its (handle, post) rows, one timeline each."""
    by_handle: dict[str, list[Post]] = defaultdict(list)
    for handle, post in rows:
        by_handle[handle].append(post)
    for handle in sorted(by_handle):
        yield _timeline(source, handle, by_handle[handle], handle=handle, name=(names or {}).get(handle))


def _customer_care(root: Path) -> Iterator[Timeline]:
    rows, seen = [], set()
    for part in ("dev", "test"):
        for conv in json.loads((root / f"twitter-customer-care-document-prediction/{part}.json").read_text()):
            for turn in conv["dialogContent"]:
                if "agent" in turn and turn["tweet_ID"] not in seen:
                    seen.add(turn["tweet_ID"])
                    rows.append(
                        (
                            turn["agent"],
                            post_from_text(
                                turn["tweet_ID"], turn["message"], _date(turn["datetime"]), kind="reply"
                            ),
                        )
                    )
            final = conv.get("agentURL") or {}
            company = conv["dialogHeader"]["company"]
            if final.get("tweet_ID") and final["tweet_ID"] not in seen:
                seen.add(final["tweet_ID"])
                rows.append(
                    (company, post_from_text(final["tweet_ID"], final["url_utterance"], kind="reply"))
                )
    return _grouped("twitter-customer-care-document-prediction", rows)


def _aus_uni(root: Path) -> Iterator[Timeline]:
    rows = [
        (
            r["screen_name"],
            post_from_text(f"{r['screen_name']}:{r['']}", r["text"], _date(r["created_at"])),
        )
        for r in _csv(str(root / "aus-uni-twitter-sentiment/data/raw-data.csv"))
    ]
    return _grouped("aus-uni-twitter-sentiment", rows)


def _topic_labelling(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "Twitter-Topic-Labelling/*_tweets.csv"))):
        handle = _stem(path, "_tweets.csv")
        rows = _csv(path)
        posts = [
            post_from_text(r["id"], r["text"], kind="reply" if r["in_reply_to_status_id"] else None)
            for r in rows
        ]
        # Tweet ids are time-ordered: newest first without dates.
        posts.sort(key=lambda p: int(p.id), reverse=True)
        yield _timeline(
            "Twitter-Topic-Labelling",
            handle,
            posts,
            handle=handle,
            name=rows[0]["posted_by"] if rows else None,
        )


def _health_desks(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "Tweets_clustring/*.txt"))):
        raw = Path(path).read_bytes().decode("utf-8" if "usnews" in path else "cp1252", "replace")
        handle = _stem(path, ".txt")
        fields = [line.split("|", 2) for line in raw.split("\n") if line.strip()]
        posts = [post_from_text(f[0], f[2], _date(f[1])) for f in fields if len(f) == 3]
        yield _timeline("Tweets_clustring", handle, posts, handle=handle)


def _trolls(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "russian-troll-tweets-by-author/*/*.csv"))):
        if Path(path).name == "authors.csv":
            continue
        handle = _stem(path, ".csv")
        posts = [
            post_from_text(
                f"{handle}:{i}",
                r["content"],
                _date(r["publish_date"]),
                kind="retweet" if r["retweet"] == "1" else None,
            )
            for i, r in enumerate(_csv(path))
        ]
        yield _timeline("russian-troll-tweets-by-author", handle, posts, handle=handle)


def _macron(root: Path) -> Iterator[Timeline]:
    rows = _csv_rows(root / "TweetExtraction/EmmanuelMacron_tweets.csv")
    posts = [post_from_text(r[0].lstrip("'"), r[4], _date(r[2])) for r in rows if len(r) >= 5]
    yield _timeline(
        "TweetExtraction",
        "EmmanuelMacron",
        posts,
        handle="EmmanuelMacron",
    )


def _cs181(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "CS181_project/politicians/*_tweets.csv"))):
        handle = _stem(path, "_tweets.csv")
        texts = [r[0] for r in _csv_rows(path) if r]
        yield _timeline(
            "CS181_project",
            handle,
            [post_from_text(f"{handle}:{i}", t) for i, t in enumerate(texts)],
            handle=handle,
        )


def _support_desks(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "JSC270-Assignment4/*.csv"))):
        handle = _stem(path, ".csv")
        rows = _csv(path, encoding="utf-8-sig")
        posts = [
            post_from_text(
                r["tweet_id"],
                r["text"],
                _date(r["created_at"]),
                kind="reply" if r["in_response_to_tweet_id"] else None,
            )
            for r in rows
        ]
        yield _timeline("JSC270-Assignment4", handle, posts, handle=handle)


def _celebrity_faceoff(root: Path) -> Iterator[Timeline]:
    rows = [
        (r["name"], post_from_text(r["id"], r["text"], _date(r["created"])))
        for r in _csv(str(root / "celebrity-faceoff/data/raw_tweets.csv"))
    ]
    return _grouped("celebrity-faceoff", rows)


_V2_KINDS: dict[str, PostKind] = {
    "retweet": "retweet",
    "reply": "reply",
    "quoting": "quote",
    "normal": "original",
}


def _presidentielle(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "Presidentielle2022Twitter/data/scrapped_tweets/*.csv"))):
        handle = _stem(path, ".csv")
        posts = []
        for r in _csv(path):
            kind = _V2_KINDS.get(r["type"], "original")
            ref = r.get("referenced_tweet_author_username") or None
            post = post_from_text(
                r["id"], r["text"], _date(r["datetime"]), kind=kind, reply_to=ref if kind == "reply" else None
            )
            if kind == "retweet":
                post.retweeted_handle = ref
            elif kind == "quote":
                post.quoted_handle = ref
            posts.append(post)
        yield _timeline("Presidentielle2022Twitter", handle, posts, handle=handle)


def _deputes(root: Path) -> Iterator[Timeline]:
    rows: list[tuple[str, Post]] = []
    names: dict[str, str] = {}
    for path in sorted(glob.glob(str(root / "analyse-deputes-fr/twitter_data/*/nuances/*.csv"))):
        for r in _csv(path):
            replied = ast.literal_eval(r["reply_to"]) if r["reply_to"].startswith("[") else []
            reply_to = replied[0]["screen_name"] if replied else None
            names[r["username"]] = r["name"]
            rows.append(
                (
                    r["username"],
                    post_from_text(
                        r["conversation_id"] + ":" + r["Unnamed: 0"],
                        r["tweet"],
                        _date(r["date"]),
                        kind="reply" if reply_to else None,
                        reply_to=reply_to,
                    ),
                )
            )
    return _grouped("analyse-deputes-fr", rows, names)


def _sam_et_max(root: Path) -> Iterator[Timeline]:
    rows = _csv(root / "miroir-du-blog/tweets/tweets.csv")
    posts = []
    for r in rows:
        kind: PostKind | None = (
            "retweet" if r["retweeted_status_id"] else ("reply" if r["in_reply_to_status_id"] else None)
        )
        posts.append(post_from_text(r["tweet_id"], r["text"], _date(r["timestamp"]), kind=kind))
    details = (root / "miroir-du-blog/tweets/data/js/user_details.js").read_text(encoding="utf-8")
    profile = json.loads(details[details.index("{") :])
    yield _timeline(
        "miroir-du-blog",
        "sam_et_max",
        posts,
        handle=profile.get("screen_name", "sam_et_max"),
        name=profile.get("full_name") or profile.get("name"),
        bio=profile.get("bio"),
    )


_SNSCRAPE_RECORD = re.compile(r"(?:^|\s)(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00; )")


def _influencers(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "influencers-data/data*/*/twitter/*-twitter-2020.txt"))):
        handle = Path(path).name.split("-twitter-")[0]
        posts = []
        for record in _SNSCRAPE_RECORD.split(Path(path).read_text(encoding="utf-8")):
            fields = record.strip().split("; ")
            if len(fields) < 9:
                continue
            text, url, quoted = "; ".join(fields[2:-7]), fields[-3], fields[-1]
            post = post_from_text(
                url.rsplit("/", 1)[-1],
                text,
                _date(fields[0]),
                kind="quote" if quoted != "None" and not text.startswith("@") else None,
            )
            if post.kind == "quote":
                post.quoted_handle = quoted.split("/")[3] if quoted.count("/") >= 3 else None
            posts.append(post)
        yield _timeline("influencers-data", handle, posts, handle=handle)


def _fortune100(root: Path) -> Iterator[Timeline]:
    rows = [
        (r["username"], post_from_text(r["tweet_id"].lstrip("t"), r["text"], _date(r["date"])))
        for r in _csv(str(root / "Political-Stance-Tweets/data/upwork_rater_data/df_u_4.csv"))
    ]
    return _grouped("Political-Stance-Tweets", rows)


def _insurers(root: Path) -> Iterator[Timeline]:
    for path in sorted(glob.glob(str(root / "Opinion-mining/src/*.csv"))):
        handle = _stem(path, ".csv")
        rows = _csv(path)
        posts = [post_from_text(r["id"], r["tweets"], _date(r["date"])) for r in rows]
        yield _timeline(
            "Opinion-mining",
            {"axa": "AXA"}.get(handle, handle),
            posts,
            handle={"axa": "AXA"}.get(handle, handle),
        )


READERS: dict[str, Callable[[Path], Iterator[Timeline]]] = {
    "bot_gender_profiling": _pan,
    "tweetCompression": _tweet_compression,
    "canadian-news-tweets": _per_file("canadian-news-tweets", "tweets/*_tweets.csv", "_tweets.csv"),
    "twitter-customer-care-document-prediction": _customer_care,
    "aus-uni-twitter-sentiment": _aus_uni,
    "Twitter-Topic-Labelling": _topic_labelling,
    "Emotion-and-Topic-Analysis": _per_file("Emotion-and-Topic-Analysis", "*_tweets.csv", "_tweets.csv"),
    "Tweets_clustring": _health_desks,
    "russian-troll-tweets-by-author": _trolls,
    "TweetExtraction": _macron,
    "Emotion-analysis-of-Tweets-from-top-3-colleges-of-the-world": _per_file(
        "Emotion-analysis-of-Tweets-from-top-3-colleges-of-the-world", "*_tweets.csv", "_tweets.csv"
    ),
    "CS181_project": _cs181,
    "JSC270-Assignment4": _support_desks,
    "celebrity-faceoff": _celebrity_faceoff,
    "Presidentielle2022Twitter": _presidentielle,
    "analyse-deputes-fr": _deputes,
    "miroir-du-blog": _sam_et_max,
    "influencers-data": _influencers,
    "Political-Stance-Tweets": _fortune100,
    "Opinion-mining": _insurers,
}


def load_timelines(
    root: Path = DATA_ROOT / TIMELINES_DIR, sources: tuple[str, ...] | None = None
) -> list[Timeline]:
    """Every account with at least one post, source by source in a fixed order."""
    if not root.exists():
        from profilelens.training.data import DataMissingError

        raise DataMissingError(f"{root} is absent: the real timelines live in ../shared/data/timelines")
    out: list[Timeline] = []
    for name, read in READERS.items():
        if sources is None or name in sources:
            out.extend(t for t in read(root) if t.posts)
    return out


if __name__ == "__main__":  # a count per source, to check the readers against timelines/README.md
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t in load_timelines():
        counts[t.source][0] += 1
        counts[t.source][1] += len(t.posts)
    for source, (accounts, posts) in counts.items():
        print(f"{source:62} {accounts:5} {posts:7}", file=sys.stdout)
