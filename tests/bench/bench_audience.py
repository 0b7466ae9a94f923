"""The audience section of an account with 1,000 followers seen, against a bare orjson.loads of them.

The capture: X's real Followers pages of @XDevelopers (../shared/data/x-graphql/, both schemas, and its
verified followers), their users repeated under new rest ids until 1,000 followers fill 15 pages, each
a `{"url", "body"}` item whose URL names the page's owner as X's own requests do. Prints figures;
asserts nothing about time (these machines are noisy: read the ratios, measured in the same run).
Target: the audience section within 2x the bare decode of the capture.
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
from benchkit import per_call_ms

from profilelens import analysis, sources
from profilelens.features.audience import pages_of
from profilelens.ratings import audience

ROOT = Path(__file__).resolve().parents[2]
GRAPHQL = ROOT.parent / "shared" / "data" / "x-graphql"
OWNER = "2244994945"  # @XDevelopers, whose pages these are (twscrape's scripts/update_mocked_data.py)
PAGES = ("raw_followers.json", "raw_verified_followers.json")
FOLLOWERS = 1000
PER_PAGE = 70  # about what one real page holds
NOW = datetime(2026, 8, 20, tzinfo=UTC)


def url(operation: str) -> str:
    variables = quote(json.dumps({"userId": OWNER, "count": 20, "includePromotedContent": False}))
    return f"https://x.com/i/api/graphql/query/{operation}?variables={variables}"


def user_entries(answer: dict[str, Any]) -> list[dict[str, Any]]:
    instructions = answer["data"]["user"]["result"]["timeline"]["timeline"]["instructions"]
    return [e for i in instructions for e in i.get("entries", []) if e["entryId"].startswith("user-")]


def capture() -> bytes:
    """The profile, then 1,000 followers in pages of PER_PAGE, as the bundle an extension would send."""
    users = []
    for folder in (GRAPHQL, GRAPHQL / "legacy-schema-8ce44e4"):
        for name in PAGES:
            users += user_entries(orjson.loads((folder / name).read_bytes()))
    template = orjson.loads((GRAPHQL / "raw_followers.json").read_bytes())
    items: list[dict[str, Any]] = [
        {
            "url": url("UserByScreenName"),
            "body": orjson.loads((GRAPHQL / "raw_user_by_login.json").read_bytes()),
        }
    ]
    for start in range(0, FOLLOWERS, PER_PAGE):
        page = copy.deepcopy(template)
        entries = []
        for n in range(start, min(start + PER_PAGE, FOLLOWERS)):
            entry = copy.deepcopy(users[n % len(users)])
            entry["content"]["itemContent"]["user_results"]["result"]["rest_id"] = str(10**12 + n)
            entries.append(entry)
        instructions = page["data"]["user"]["result"]["timeline"]["timeline"]["instructions"]
        next(i for i in instructions if "entries" in i)["entries"] = entries
        items.append({"url": url("Followers"), "body": page})
    return orjson.dumps({"captures": items})


def main() -> int:
    if not GRAPHQL.exists():
        print(f"no capture to measure: {GRAPHQL} is absent")
        return 0
    body = capture()
    captures = sources.parse(orjson.loads(body))
    (account,) = [c.account for c in captures if c.operation == "UserByScreenName" and c.account]
    pages = pages_of(captures)
    section = audience.section(account, pages, NOW)
    print(f"capture: {len(body) / 1024:.0f} KB, {section['followers_seen']} followers of @{account.handle}")
    print(f"  {section['summary']}")

    bare = per_call_ms(lambda: orjson.loads(body), rounds=9, calls=5)
    parse = per_call_ms(lambda: sources.parse(orjson.loads(body)), rounds=9, calls=5)
    only = per_call_ms(lambda: audience.section(account, pages_of(captures), NOW), rounds=9, calls=5)
    print(f"{'step':52} {'median ms':>10} {'best ms':>9} {'x bare':>7}")
    for name, (median, best) in (
        ("bare orjson.loads (the decode floor)", bare),
        ("orjson.loads + parse into accounts", parse),
        ("audience section (pages, figures, identity reads)", only),
    ):
        print(f"{name:52} {median:10.2f} {best:9.2f} {median / bare[0]:7.2f}")
    print(f"target: audience section <= 2.00x bare orjson.loads; now {only[0] / bare[0]:.2f}x")
    whole = per_call_ms(lambda: analysis.analyze(captures, now=NOW), rounds=1, calls=1)
    reports = f"every report of the input ({len(captures)} accounts, each rated alone)"
    print(f"for scale, {reports}: {whole[0]:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
