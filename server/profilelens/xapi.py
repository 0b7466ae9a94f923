"""The X API v2 source: one account and its recent posts through tweepy, as the raw JSON X answered.

Two endpoints, read with an app-only bearer token (PROFILELENS_X_BEARER_TOKEN) of an app in a Project
whose access level includes both: GET /2/users/by/username/:username (the account) and
GET /2/users/:id/tweets (its latest posts, 100 a page, following X's next_token for up to
PROFILELENS_X_API_PAGES pages).

tweepy is synchronous (requests); call `XApi.fetch` from a worker thread. An answer of 5xx or a timeout
is tried again a few times, waiting longer each time; a rate limit is not (the caller waits for X's
reset). Failures come out as `XApiError` with the HTTP status our server should answer and a message
that says what to do.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
import requests
import tweepy
from requests.adapters import HTTPAdapter

from profilelens.config import DEFAULT_X_API_BASE, DEFAULT_X_API_PAGES
from profilelens.errors import ApiError

log = logging.getLogger(__name__)

X_API_HOST = DEFAULT_X_API_BASE  # where tweepy sends every request
TOKEN_VARIABLE = "PROFILELENS_X_BEARER_TOKEN"
HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,15})$")

USER_FIELDS = [
    "created_at", "description", "entities", "location", "pinned_tweet_id", "profile_image_url",
    "protected", "public_metrics", "url", "verified", "verified_type", "username", "name",
]  # fmt: skip
TWEET_FIELDS = [
    "created_at", "author_id", "conversation_id", "in_reply_to_user_id", "referenced_tweets",
    "attachments", "entities", "public_metrics", "lang", "note_tweet",
]  # fmt: skip
TWEET_EXPANSIONS = [
    "author_id", "attachments.media_keys", "referenced_tweets.id", "referenced_tweets.id.author_id",
    "in_reply_to_user_id", "entities.mentions.username",
]  # fmt: skip
MEDIA_FIELDS = ["type", "url", "preview_image_url", "duration_ms"]
MAX_POSTS = 100  # a page: X's maximum for get_users_tweets
RETRIES = 2  # a 5xx answer or a timeout is tried again this many times...
RETRY_WAIT = 0.5  # ...after this many seconds, doubled each time
# Failures that a moment later may be gone: X overloaded or restarting, a slow network.
TRANSIENT = (tweepy.TwitterServerError, requests.Timeout)


class XApiError(ApiError):
    """A fetch that failed; `status`, `code` and `headers` are what our server answers."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What X answered, untouched: the user lookup and the pages of the user's tweets (X API v2 JSON)."""

    user: dict[str, Any]
    pages: list[dict[str, Any]]  # newest first; none for a protected account
    account_id: str
    handle: str

    def bundle(self) -> dict[str, Any]:
        """The answers as one bundle the analysis reads (`{"captures": [...]}`); pages only when they
        hold tweets (an account without posts answers without "data")."""
        return {"captures": [self.user, *(page for page in self.pages if "data" in page)]}


def parse_handle(text: str) -> str:
    match = HANDLE.match(text.strip())
    if not match:
        raise XApiError(400, "bad_handle", f"{text!r} is not an X handle (1-15 letters, digits or _)")
    return match.group(1)


class _XApiAdapter(HTTPAdapter):
    """Gives every request a timeout (tweepy sets none) and sends it to `base` instead of X's host.

    `base` is X's host in production; a proxy, or a local server in tests, otherwise.
    """

    def __init__(self, base: str, timeout: float) -> None:
        super().__init__(max_retries=0)
        self.base = base.rstrip("/")
        self.timeout = timeout

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        if self.base != X_API_HOST and url.startswith(X_API_HOST + "/"):
            request.url = self.base + url[len(X_API_HOST) :]
        return super().send(
            request, stream=stream, timeout=timeout or self.timeout, verify=verify, cert=cert, proxies=proxies
        )


class XApi:
    def __init__(
        self,
        bearer_token: str,
        *,
        base: str = X_API_HOST,
        timeout: float = 15.0,
        pages: int = DEFAULT_X_API_PAGES,
        retries: int = RETRIES,
        retry_wait: float = RETRY_WAIT,
    ) -> None:
        self.client = tweepy.Client(bearer_token=bearer_token, return_type=dict)
        self.client.session.mount(X_API_HOST + "/", _XApiAdapter(base, timeout))
        self.pages = pages
        self.retries = retries
        self.retry_wait = retry_wait

    def close(self) -> None:
        self.client.session.close()

    def fetch(self, handle: str) -> Fetched:
        """The user @handle and their latest posts (up to 100 a page, `pages` pages), as X's JSON. A
        failure on any page fails the whole fetch: a partial timeline would skew the ratings unseen."""
        handle = parse_handle(handle)
        user = self._call(
            lambda: self.client.get_user(
                username=handle,
                user_fields=USER_FIELDS,
                expansions=["pinned_tweet_id"],
                tweet_fields=TWEET_FIELDS,
            )
        )
        data = user.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            detail = "; ".join(str(error.get("detail", error)) for error in user.get("errors", []))
            raise XApiError(404, "x_account_not_found", f"X has no account @{handle}: {detail or 'no data'}")
        # A protected account's posts are not readable through the API.
        pages = [] if data.get("protected") else self._timeline(data["id"])
        return Fetched(user=user, pages=pages, account_id=data["id"], handle=data.get("username", handle))

    def _timeline(self, account_id: str) -> list[dict[str, Any]]:
        """Up to `self.pages` pages of the account's posts, newest first, following X's next_token."""
        pages: list[dict[str, Any]] = []
        token: str | None = None
        while len(pages) < self.pages:
            page = self._call(
                partial(
                    self.client.get_users_tweets,
                    account_id,
                    max_results=MAX_POSTS,
                    tweet_fields=TWEET_FIELDS,
                    expansions=TWEET_EXPANSIONS,
                    media_fields=MEDIA_FIELDS,
                    user_fields=USER_FIELDS,
                    **({"pagination_token": token} if token else {}),
                )
            )
            pages.append(page)
            meta = page.get("meta")
            token = meta.get("next_token") if isinstance(meta, dict) else None
            if not isinstance(token, str) or not token:
                break
        return pages

    def _call(self, request: Callable[[], object]) -> dict[str, Any]:
        """One request's answer; a transient failure is tried again, `retries` times at most."""
        for attempt in range(self.retries + 1):
            try:
                return _answer(request)
            except TRANSIENT as exc:
                if attempt == self.retries:
                    raise _failure(exc, tries=attempt + 1) from exc
                wait = self.retry_wait * 2**attempt
                log.warning("the X API failed (%s): trying again in %.1f s", _failure(exc).message, wait)
                time.sleep(wait)
        raise AssertionError("the last try returns or raises")


def _answer(request: Callable[[], object]) -> dict[str, Any]:
    """The JSON object X answered; XApiError for a failure, except a transient one (TRANSIENT)."""
    try:
        answer = request()
    except TRANSIENT:
        raise
    except (tweepy.HTTPException, requests.RequestException, ValueError) as exc:
        raise _failure(exc) from exc
    if not isinstance(answer, dict):
        raise XApiError(502, "x_api_error", "the X API answered JSON that is not an object")
    return valid_text(answer)


def valid_text(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with any half of a surrogate pair as "?". X can cut a text inside an emoji; tweepy's
    JSON decoder keeps the half, which nothing downstream can encode (the report, the cache)."""
    try:
        orjson.dumps(answer)
    except orjson.JSONEncodeError:
        return dict(orjson.loads(json.dumps(answer, ensure_ascii=False).encode("utf-8", "replace")))
    return answer


def _failure(exc: Exception, tries: int = 1) -> XApiError:
    """What a failed request means for our callers, and what to do about it."""
    after = f" (tried {tries} times)" if tries > 1 else ""
    if isinstance(exc, tweepy.TooManyRequests):
        wait = max(1, exc.reset_time - int(time.time())) if exc.reset_time else 60
        return XApiError(
            503,
            "x_api_rate_limited",
            f"the X API rate limit is reached; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, tweepy.Unauthorized | tweepy.Forbidden):
        return XApiError(
            502,
            "x_api_auth",
            f"the X API refused the bearer token in {TOKEN_VARIABLE} ({_status(exc)}: {_said(exc)}); "
            "check the token and its access level in the X developer portal",
        )
    if isinstance(exc, tweepy.NotFound):
        return XApiError(404, "x_account_not_found", f"X says: {_said(exc)}")
    if isinstance(exc, tweepy.HTTPException):  # 400, 5xx and the rest
        return XApiError(502, "x_api_error", f"the X API failed ({_status(exc)}: {_said(exc)}){after}")
    if isinstance(exc, ValueError):  # not JSON; before RequestException: requests' JSONDecodeError is both
        return XApiError(502, "x_api_error", f"the X API answered something that is not JSON: {exc}")
    return XApiError(502, "x_api_unreachable", f"cannot reach the X API ({type(exc).__name__}): {exc}{after}")


def _status(exc: tweepy.HTTPException) -> int | str:
    return exc.response.status_code if isinstance(exc.response, requests.Response) else "?"


def _said(exc: tweepy.HTTPException) -> str:
    return "; ".join(str(message) for message in exc.api_messages) or str(exc)
