"""A local HTTP server that answers like the X API v2 does, for the handles it is given.

Real shapes: the user lookup and user-tweets bodies come from recorded or fixture answers, the next
pages of a timeline are answered for X's `pagination_token`; an unknown username gets X's
200-with-errors answer; a rate limit is X's 429 with its x-rate-limit-* headers and problem body; an
outage is X's 5xx problem body, or an answer that comes too late. tweepy is pointed at it through
XApi(base=...), so tweepy sends every request itself.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conftest import FIXTURES

X_TOKEN = "x-api-bearer-token-of-the-user"
USER_PATH = re.compile(r"^/2/users/by/username/([A-Za-z0-9_]+)$")
TWEETS_PATH = re.compile(r"^/2/users/([0-9]+)/tweets$")


@dataclass
class Account:
    user: dict[str, Any]  # the user object X returns under "data"
    tweets: dict[str, Any]  # the whole GET /2/users/:id/tweets body: its first page
    # The pages after it: X's answer for each pagination_token (a page's meta.next_token).
    next_pages: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class XLike:
    accounts: dict[str, Account] = field(default_factory=dict)  # by lower-case username
    # Username -> how many lookups to answer 429 before answering normally, and for how long the
    # limit holds (X's x-rate-limit-reset is this many seconds from the 429).
    rate_limited: dict[str, int] = field(default_factory=dict)
    reset_after: int = 2
    # What the next requests meet, one each, whatever they ask: an HTTP status (X failing, 5xx), or
    # seconds to wait before answering as usual (longer than the client's timeout: a timeout).
    outages: list[int | float] = field(default_factory=list)
    requests: list[tuple[float, str, int]] = field(default_factory=list)  # (arrival, path, status)
    page_tokens: list[str | None] = field(default_factory=list)  # pagination_token of each timeline ask
    base: str = ""

    def answer(
        self, path: str, query: dict[str, str], authorization: str | None
    ) -> tuple[int, dict[str, str], Any]:
        outage = self.outages.pop(0) if self.outages else None
        if isinstance(outage, float):
            time.sleep(outage)
        elif isinstance(outage, int):
            title = HTTPStatus(outage).phrase
            return outage, {}, problem(outage, title, title)
        if authorization != f"Bearer {X_TOKEN}":
            return 401, {}, problem(401, "Unauthorized", "Unauthorized")
        if match := USER_PATH.match(path):
            name = match.group(1).lower()
            if self.rate_limited.get(name, 0) > 0:
                self.rate_limited[name] -= 1
                reset = int(time.time()) + self.reset_after
                headers = {
                    "x-rate-limit-limit": "300",
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": str(reset),
                }
                return 429, headers, problem(429, "Too Many Requests", "Too Many Requests")
            account = self.accounts.get(name)
            if account is None:
                return (
                    200,
                    {},
                    {
                        "errors": [
                            {
                                "value": match.group(1),
                                "detail": f"Could not find user with username: [{match.group(1)}].",
                                "title": "Not Found Error",
                                "resource_type": "user",
                                "parameter": "username",
                                "resource_id": match.group(1),
                                "type": "https://api.twitter.com/2/problems/resource-not-found",
                            }
                        ]
                    },
                )
            return 200, {}, {"data": account.user}
        if match := TWEETS_PATH.match(path):
            token = query.get("pagination_token")
            self.page_tokens.append(token)
            for account in self.accounts.values():
                if account.user["id"] == match.group(1):
                    if token is None:
                        return 200, {}, account.tweets
                    if token in account.next_pages:
                        return 200, {}, account.next_pages[token]
                    return 400, {}, problem(400, "Invalid Request", f"invalid pagination_token {token}")
        return 404, {}, problem(404, "Not Found", "Not Found")


def problem(status: int, title: str, detail: str) -> dict[str, Any]:
    """X's error body (RFC 7807 problem details)."""
    return {"title": title, "detail": detail, "type": "about:blank", "status": status}


def v2_timeline_fixture() -> Path:
    """The project's X API v2 user-tweets fixture (found by its shape, whatever its file name)."""
    for path in sorted((FIXTURES / "sources").glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        if (
            isinstance(body, dict)
            and isinstance(body.get("data"), list)
            and "users" in body.get("includes", {})
        ):
            return path
    raise FileNotFoundError("no X API v2 timeline among tests/fixtures/sources/")


def fixture_account() -> Account:
    """@XDevelopers from the project's X API v2 fixture (a real answer's shape, with dates and media)."""
    tweets = json.loads(v2_timeline_fixture().read_text(encoding="utf-8"))
    user = next(u for u in tweets["includes"]["users"] if u["username"] == "XDevelopers")
    return Account(user=user, tweets=tweets)


@contextmanager
def serving(x: XLike) -> Iterator[XLike]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {name: values[-1] for name, values in parse_qs(url.query).items()}
            arrived = time.monotonic()
            status, headers, body = x.answer(url.path, query, self.headers.get("Authorization"))
            x.requests.append((arrived, url.path, status))
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # a client that timed out has gone
                pass

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    x.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield x
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
