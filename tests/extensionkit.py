"""The x.com look-alike fed with the real captures, the real server, and what the badges must say:
shared by the real-browser tests (Chromium with Playwright, Firefox over WebDriver BiDi).

The site answers any request to https://x.com/* or twitter.com: its profile page (tests/fixtures/
extension/), and X's GraphQL answers from ../shared/data/x-graphql/ (the project's own fixtures in the
same shapes without ../shared).
"""

from __future__ import annotations

import json
import math
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import FIXTURES, ROOT, SHARED_DATA, shared_data
from profilelens import sources

EXTENSION = ROOT / "extension"
PAGE_FIXTURES = FIXTURES / "extension"
ARTIFACTS = ROOT / "test-artifacts"
TIME_ZONE = "Europe/Paris"
DOM_PROFILE = PAGE_FIXTURES / "dom_lumiere_cafe.json"
PROTECTED_PROFILE = PAGE_FIXTURES / "dom_quiet_notes_protected.json"
WAIT_MS = 20_000


# ---------------------------------------------------------------------------------------------------------
# What the page serves


@dataclass
class GraphqlProfile:
    """A profile the page loads through GraphQL: the real bodies, as X sent them."""

    user: Path
    timelines: list[tuple[str, Path]]  # (operation, body), the first on load, the others on "scroll"
    about: Path | None = None  # AboutAccountQuery's answer, served at /<handle>/about
    account: Any = field(init=False)

    def __post_init__(self) -> None:
        self.account = sources.parse(json.loads(self.user.read_bytes()))[0].account

    @property
    def handle(self) -> str:
        return str(self.account.handle)

    def bodies(self, pages: int) -> list[bytes]:
        """What the extension sends once `pages` timeline pages came: profile, about (when seen), posts."""
        about = [self.about.read_bytes()] if self.about else []
        return [self.user.read_bytes(), *about] + [path.read_bytes() for _, path in self.timelines[:pages]]


def graphql_profiles() -> tuple[GraphqlProfile, GraphqlProfile]:
    """(newest schema, legacy schema): the real captures, or the project's own fixtures without ../shared."""
    real = SHARED_DATA / "x-graphql"
    if (real / "raw_user_by_login.json").exists():
        legacy = real / "legacy-schema-8ce44e4"
        return (
            GraphqlProfile(
                real / "raw_user_by_login.json",
                [
                    ("UserTweets", real / "raw_user_tweets.json"),
                    ("UserTweetsAndReplies", real / "raw_user_tweets_and_replies.json"),
                ],
            ),
            GraphqlProfile(
                legacy / "raw_user_by_login.json", [("UserTweets", legacy / "raw_user_tweets.json")]
            ),
        )
    own = FIXTURES / "sources"
    return (
        GraphqlProfile(
            own / "graphql_user_2026.json",
            [
                ("UserTweets", own / "graphql_user_tweets_2026.json"),
                ("UserTweetsAndReplies", PAGE_FIXTURES / "graphql_user_tweets_and_replies_acme.json"),
            ],
        ),
        GraphqlProfile(own / "graphql_user_legacy.json", []),
    )


def abbreviated(count: int | None) -> str:
    """A count as X's header writes it: 1,234 / 12.3K / 695.7K / 1.2M."""
    if count is None:
        return "0"
    if count < 10_000:
        return f"{count:,}"
    if count < 1_000_000:
        return f"{count / 1000:.1f}".rstrip("0").rstrip(".") + "K"
    return f"{count / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"


def header_of(profile: GraphqlProfile) -> dict[str, Any]:
    account = profile.account
    return {
        "handle": account.handle,
        "name": account.name,
        "bio": account.bio,
        "location": account.location,
        "url": (account.url or "").removeprefix("https://").rstrip("/") or None,
        "joined": f"Joined {account.created_at:%B %Y}" if account.created_at else None,
        "followers": abbreviated(account.followers),
        "following": abbreviated(account.following),
        "verified": bool(account.verified or account.blue_verified),
        "protected": bool(account.protected),
        "follows_you": bool(account.follows_you),
        "square": account.profile_image_shape == "Square",
    }


# X's answers for accounts it will not show: UserUnavailable with its reason, and a bare {"data":{}} for a
# handle nobody holds (the shapes other X clients test against).
UNAVAILABLE = {
    "suspended": PAGE_FIXTURES / "graphql_user_suspended.json",
    "missing": PAGE_FIXTURES / "graphql_user_not_found.json",
}


# X's answers for the pages that are not a profile (each served whatever its variables), as captured.
FEEDS = {
    "Followers": "x-graphql/raw_followers.json",
    "BlueVerifiedFollowers": "x-graphql/raw_verified_followers.json",
    "Following": "x-graphql/raw_following.json",
    "SearchTimeline": "x-graphql/raw_search.json",
    "TweetDetail": "x-graphql/raw_tweet_details.json",
}


def users_in(answer: Any) -> dict[str, dict[str, Any]]:
    """The user objects of one of X's answers, by lower-case handle (the extension's accountsIn)."""
    found: dict[str, dict[str, Any]] = {}
    stack = [answer]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            names = [node.get("core"), node.get("legacy")]
            handle = next(
                (part["screen_name"] for part in names if isinstance(part, dict) and part.get("screen_name")),
                None,
            )
            if node.get("__typename") == "User" and isinstance(node.get("rest_id"), str) and handle:
                found[handle.lower()] = node
            else:
                stack.extend(node.values())
    return found


class Site:
    """The fixture x.com: which profiles exist, and the GraphQL answers for them."""

    def __init__(self) -> None:
        self.graphql: dict[str, GraphqlProfile] = {}
        self.dom: dict[str, dict[str, Any]] = {}
        self.unavailable: dict[str, tuple[str, str]] = {}  # lower-case handle -> (handle, kind)
        self.delays: dict[str, int] = {}
        self.feeds: dict[str, bytes] = {}  # operation -> answer, for the pages that are not a profile
        self.app_js = (PAGE_FIXTURES / "app.js").read_bytes()
        self.html = (PAGE_FIXTURES / "profile.html").read_bytes()

    def use(
        self,
        graphql: list[GraphqlProfile],
        dom: list[dict[str, Any]],
        *,
        delays: dict[str, int] | None = None,
        unavailable: dict[str, str] | None = None,
    ) -> None:
        """The profiles the site serves; `delays` holds GraphQL answers back (ms per operation);
        `unavailable` maps handles to "suspended" or "missing"."""
        self.feeds = {}
        self.graphql = {profile.handle.lower(): profile for profile in graphql}
        self.dom = {capture["profile"]["handle"].lower(): capture for capture in dom}
        self.delays = delays or {}
        self.unavailable = {handle.lower(): (handle, kind) for handle, kind in (unavailable or {}).items()}

    def use_feeds(self) -> None:
        """Serves the real captures of X's followers list, search and thread pages."""
        self.feeds = {operation: shared_data(path).read_bytes() for operation, path in FEEDS.items()}

    def hover_card_user(self, handle: str) -> bytes | None:
        """UserByScreenName for an account the feeds show: X's answer, around its user object there."""
        for answer in self.feeds.values():
            user = users_in(json.loads(answer)).get(handle)
            if user:
                return json.dumps({"data": {"user": {"result": user}}}).encode()
        return None

    def models(self) -> dict[str, Any]:
        models: dict[str, Any] = {}
        for key, profile in self.graphql.items():
            models[key] = {
                "profile": header_of(profile),
                "graphql": {
                    "userId": profile.account.id,
                    "userQuery": "G3KGOASz96M-Qu0nwmGXNg",
                    "aboutQuery": "zs_jFPFT78rBpXv9Z3U2YQ",
                    "delays": self.delays,
                    "timelines": [
                        {"operation": operation, "query": "E3opETHurmVJflFsUBVuUQ", "cursor": f"page-{index}"}
                        for index, (operation, _) in enumerate(profile.timelines)
                    ],
                },
            }
        for key, capture in self.dom.items():
            models[key] = {"profile": capture["profile"], "posts": capture["posts"], "names": {}}
        for key, (handle, kind) in self.unavailable.items():
            models[key] = {
                "profile": {"handle": handle, "unavailable": kind},
                "graphql": {"userQuery": "G3KGOASz96M-Qu0nwmGXNg", "delays": self.delays, "timelines": []},
            }
        return models

    def answer(self, operation: str, variables: dict[str, Any]) -> bytes | None:
        if operation in ("UserByScreenName", "AboutAccountQuery"):
            asked = str(variables.get("screen_name", variables.get("screenName", ""))).lower()
            if asked in self.unavailable:
                return UNAVAILABLE[self.unavailable[asked][1]].read_bytes()
            profile = self.graphql.get(asked)
            if operation == "AboutAccountQuery":
                return profile.about.read_bytes() if profile and profile.about else None
            return profile.user.read_bytes() if profile else self.hover_card_user(asked)
        if operation in self.feeds:
            return self.feeds[operation]
        for profile in self.graphql.values():
            if profile.account.id == variables.get("userId"):
                index = int(str(variables.get("cursor", "page-0")).removeprefix("page-"))
                return profile.timelines[index][1].read_bytes() if index < len(profile.timelines) else None
        return None

    def respond(self, url: str) -> tuple[int, bytes, str]:
        """The answer to one request to x.com: (status, body, content type)."""
        parts = urlsplit(url)
        if parts.path == "/__fixture/app.js":
            return 200, self.app_js, "text/javascript"
        if parts.path == "/__fixture/profiles.json":
            return 200, json.dumps(self.models()).encode(), "application/json"
        if match := re.fullmatch(r"/i/api/graphql/[\w-]+/(\w+)", parts.path):
            variables = json.loads(parse_qs(parts.query).get("variables", ["{}"])[0])
            body = self.answer(match.group(1), variables)
            if body is None:
                return 404, b'{"errors":[{"message":"not found"}]}', "application/json"
            return 200, body, "application/json"
        if parts.path.startswith("/favicon"):
            return 404, b"", "text/plain"
        return 200, self.html, "text/html"

    def route(self, route: Any) -> None:
        """Answers a request Playwright intercepted."""
        status, body, content_type = self.respond(route.request.url)
        route.fulfill(status=status, body=body, content_type=content_type)


# ---------------------------------------------------------------------------------------------------------
# The real server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        command = [sys.executable, "-m", "profilelens.cli", "serve", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"profilelens serve exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"profilelens serve did not answer /healthz in 60 s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def token(self) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "profilelens.cli", "token"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1].strip()

    def reports(self, body: bytes, token: str) -> list[dict[str, Any]]:
        """The server's reports for the accounts of a capture, asked the way any client would."""
        request = urllib.request.Request(
            f"{self.url}/v1/analyze",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        reports = answer["reports"] if isinstance(answer, dict) and "reports" in answer else answer
        return [dict(report) for report in (reports if isinstance(reports, list) else [reports])]

    def analyze(self, body: bytes, token: str) -> dict[str, Any]:
        """The server's report for one account."""
        (report,) = self.reports(body, token)
        return report


# ---------------------------------------------------------------------------------------------------------
# What the badges must say: the wording rules of extension/src/content/badge-text.js, in Python


def js_round(value: float) -> int:
    return math.floor(value + 0.5)


def percent(share: float) -> str:
    return f"{js_round(share * 100)}\u00a0%"


def per_day(value: float) -> str:
    if value >= 10:
        return str(js_round(value))
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


KIND_LABELS = {"original": "original", "retweet": "retweets", "reply": "replies", "quote": "quotes"}


def expected_badges(report: dict[str, Any]) -> dict[str, dict[str, str]]:
    expected: dict[str, dict[str, str]] = {}
    follow_back = report.get("follow_back") or {"available": False}
    if follow_back.get("follows_you") is True or report["account"].get("follows_you") is True:
        expected["followBack"] = {"value": "follows you"}
    elif follow_back.get("available"):
        expected["followBack"] = {"value": percent(follow_back["probability"])}
    else:
        expected["followBack"] = {"value": "–"}
    volume = report.get("volume") or {"available": False}
    if volume.get("available"):
        expected["volume"] = {"value": volume["band"], "detail": volume["summary"], "tone": volume["tone"]}
    else:
        expected["volume"] = {"value": "–"}
    mix = report.get("content_mix") or {"available": False}
    if mix.get("available"):
        parts = [(kind, label, mix["kinds"].get(kind, 0)) for kind, label in KIND_LABELS.items()]
        parts = [part for part in parts if part[2] > 0]
        top = parts[0]
        for part in parts:
            if part[2] > top[2]:
                top = part
        expected["mix"] = {
            "value": f"{percent(top[2])} {top[1]}",
            "aria": "Content mix: " + ", ".join(f"{percent(share)} {label}" for _, label, share in parts),
        }
    else:
        expected["mix"] = {"value": "–"}
    verdict = report.get("verdict") or {"available": False}
    expected["verdict"] = {"value": verdict["label"] if verdict.get("available") else "–"}
    if verdict.get("available"):
        expected["verdict"]["tone"] = verdict["tone"]
    return expected


READ_ROWS = """() => [...document.querySelectorAll('.profilelens-row')].map(row => ({
    handle: row.dataset.handle,
    state: row.dataset.state,
    text: row.innerText,
    badges: Object.fromEntries([...row.querySelectorAll('.profilelens-badge[data-badge]')].map(badge => [
        badge.dataset.badge, {
            value: badge.querySelector('.profilelens-value')?.textContent ?? '',
            detail: badge.querySelector('.profilelens-detail')?.textContent ?? '',
            aria: badge.getAttribute('aria-label'),
            tone: ['good', 'warn', 'bad', 'neutral', 'muted']
                .find(t => badge.classList.contains(`profilelens-${t}`)),
            tips: [...badge.querySelectorAll('.profilelens-tip-line')].map(line => line.textContent),
            focusable: badge.tabIndex === 0,
            inHeader: Boolean(badge.closest('[data-testid="primaryColumn"]')),
        }])),
}))"""


def expected_audience(report: dict[str, Any]) -> dict[str, Any]:
    """The Audience badge of a report whose audience is available (extension/src/background/audience.js)."""
    audience = report["audience"]
    effective, mass = audience["effective_audience"], audience["mass_followers"]

    def figure(part: dict[str, Any]) -> str:
        return f"{percent(part['share'])} ({part['count']:,} of {part['of']:,})"

    tips = [
        f"{audience['followers_seen']:,} followers seen of {audience['followers_total']:,}",
        f"Mass-followers: {figure(mass)}, {mass['rule']}",
        f"Effective audience: {figure(effective)}"
        + (
            f"; about {effective['estimate_of_all']:,} of all followers (an estimate)"
            if isinstance(effective.get("estimate_of_all"), int)
            else ""
        ),
    ]
    near = audience["cohort"]["created_near"]
    cohort = f"Cohort: {figure(near)} {near['rule']}" if near["available"] else None
    return {
        "value": f"{percent(effective['share'])} effective",
        "detail": audience["summary"],
        "tone": {"none": "neutral"}.get(audience["tone"], audience["tone"]),
        "tips": tips,
        "cohort": cohort,
    }


def assert_badges_match(row: dict[str, Any], report: dict[str, Any]) -> None:
    posts_seen = report["data"]["posts_seen"]
    for key, expected in expected_badges(report).items():
        badge = row["badges"][key]
        assert badge["value"] == expected["value"], (key, badge, report.get(key))
        if "detail" in expected:
            assert badge["detail"] == expected["detail"], (key, badge)
        if "tone" in expected:  # the report's tone, painted as is ("none" is the neutral colour)
            assert badge["tone"] == {"none": "neutral"}.get(expected["tone"], expected["tone"]), (key, badge)
        if "aria" in expected:
            assert badge["aria"] == expected["aria"], (key, badge)
        assert badge["tips"][-1] == f"Based on {posts_seen} post{'' if posts_seen == 1 else 's'} seen"
        assert badge["focusable"] and badge["inHeader"], badge


def bundle(bodies: list[bytes]) -> bytes:
    # Re-encoded (not the extension's bytes), so the server's cache cannot answer the extension for us.
    return json.dumps({"captures": [json.loads(body) for body in bodies], "tz": TIME_ZONE}, indent=1).encode()


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two opaque CSS colours ("rgb(r, g, b)")."""

    def luminance(css: str) -> float:
        channels = [float(part) / 255 for part in re.findall(r"[\d.]+", css)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def profilelens(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The command line, as a recruiter runs it on the saved files."""
    return subprocess.run(
        [sys.executable, "-m", "profilelens.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
