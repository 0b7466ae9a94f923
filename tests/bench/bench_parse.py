"""Parse + normalise + all features of the real UserTweets capture, against a bare orjson.loads.

Prints figures; asserts nothing about time (these machines are noisy: read the ratio, measured in the
same run). Target: parse + features within 2x the bare parse. The full report adds the trained
models' predictions, shown on a line of its own.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
from benchkit import per_call_ms

from profilelens import analysis, sources
from profilelens.features import content, engagement, follow, identity, volume

ROOT = Path(__file__).resolve().parents[2]
CAPTURE = ROOT.parent / "shared" / "data" / "x-graphql" / "raw_user_tweets.json"
FALLBACK = ROOT / "tests" / "fixtures" / "sources" / "graphql_user_tweets_2026.json"
NOW = datetime(2026, 11, 22, tzinfo=UTC)
PEERS = ROOT / ".venv-peers" / "bin" / "python"  # the side venv with the parsers we compare against


def parse_and_features(body: bytes) -> None:
    captures = sources.parse(orjson.loads(body))
    account, posts = analysis.merge_accounts(captures), analysis.merge_posts(captures)
    volume.volume_features(account, analysis.timeline_posts(posts), NOW)
    volume.hour_weekday_counts(posts, UTC)
    content.content_features(account, posts, NOW)
    follow.follow_features(account, posts, NOW)
    engagement.engagement_features(account, posts, NOW)
    identity.identity_features(account, NOW)


def main() -> int:
    path = CAPTURE if CAPTURE.exists() else FALLBACK
    if not path.exists():
        print(f"no capture to measure: {CAPTURE} and {FALLBACK} are absent")
        return 0
    body = path.read_bytes()
    (report,) = analysis.analyze_bytes(body, now=NOW)
    posts = report["data"]["posts_seen"]
    print(f"capture: {path.name}, {len(body) / 1024:.0f} KB, {posts} posts of the owner")

    bare = per_call_ms(lambda: orjson.loads(body))
    parse = per_call_ms(lambda: sources.parse(orjson.loads(body)))
    features = per_call_ms(lambda: parse_and_features(body))
    whole = per_call_ms(lambda: analysis.analyze_bytes(body, now=NOW), rounds=5, calls=10)
    print(f"{'step':44} {'median ms':>10} {'best ms':>9} {'x bare':>7}")
    for name, (median, best) in (
        ("bare orjson.loads", bare),
        ("orjson.loads + parse into Account/Posts", parse),
        ("orjson.loads + parse + all features", features),
        ("full report (features + model predictions)", whole),
    ):
        print(f"{name:44} {median:10.2f} {best:9.2f} {median / bare[0]:7.2f}")
    print("target: parse + all features <= 2.00x bare orjson.loads")
    print(peer_line(path, bare[0]))
    return 0


def peer_line(capture: Path, bare_ms: float) -> str:
    """twscrape's parser on the same capture, timed in the side venv `make bench` gives it (its own
    orjson.loads measured there too, so the ratio compares like with like)."""
    if not PEERS.exists():
        return f"peer: twscrape's parser not measured ({PEERS} is absent: `make bench` installs it)"
    ran = subprocess.run(
        [str(PEERS), str(Path(__file__).with_name("peer_twscrape.py")), str(capture)],
        capture_output=True,
        text=True,
        check=False,
    )
    if ran.returncode != 0:
        return f"peer: twscrape's parser failed: {ran.stderr.strip().splitlines()[-1:]}"
    peer = orjson.loads(ran.stdout)
    return (
        f"peer: twscrape's parser alone, {peer['tweets']} tweets: {peer['parse_ms']:.2f} ms, "
        f"{peer['parse_ms'] / peer['loads_ms']:.2f}x its bare orjson.loads ({peer['loads_ms']:.2f} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
