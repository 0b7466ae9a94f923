"""The X API v2 source: one account and its recent posts through tweepy, as the raw JSON X answered.

tweepy is synchronous (requests); call `XApi.fetch` from a worker thread. Failures come out as `XApiError`
with the HTTP status our server should answer and a message that says what to do.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import tweepy
from requests.adapters import HTTPAdapter

from profilelens.config import DEFAULT_X_API_BASE
from profilelens.errors import ApiError

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
MAX_POSTS = 100  # one page: X's maximum for get_users_tweets


class XApiError(ApiError):
    """A fetch that failed; `status`, `code` and `headers` are what our server answers."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What X answered, untouched: the user lookup and the user's tweets (X API v2 JSON)."""

    user: dict[str, Any]
    tweets: dict[str, Any] | None
    account_id: str
    handle: str

    def bundle(self) -> dict[str, Any]:
        """The answers as one bundle the analysis reads (`{"captures": [...]}`); tweets only when X
        sent some (an account without posts answers without "data")."""
        answers = [self.user] + ([self.tweets] if self.tweets and "data" in self.tweets else [])
        return {"captures": answers}


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
    def __init__(self, bearer_token: str, *, base: str = X_API_HOST, timeout: float = 15.0) -> None:
        self.client = tweepy.Client(bearer_token=bearer_token, return_type=dict)
        self.client.session.mount(X_API_HOST + "/", _XApiAdapter(base, timeout))

    def close(self) -> None:
        self.client.session.close()

    def fetch(self, handle: str) -> Fetched:
        """The user @handle and their latest posts (up to 100), as X's JSON."""
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
        tweets: dict[str, Any] | None = None
        if not data.get("protected"):  # a protected account's posts are not readable through the API
            tweets = self._call(
                lambda: self.client.get_users_tweets(
                    data["id"],
                    max_results=MAX_POSTS,
                    tweet_fields=TWEET_FIELDS,
                    expansions=TWEET_EXPANSIONS,
                    media_fields=MEDIA_FIELDS,
                    user_fields=USER_FIELDS,
                )
            )
        return Fetched(user=user, tweets=tweets, account_id=data["id"], handle=data.get("username", handle))

    @staticmethod
    def _call(request: Callable[[], object]) -> dict[str, Any]:
        try:
            answer = request()
        except tweepy.TooManyRequests as exc:
            wait = max(1, exc.reset_time - int(time.time())) if exc.reset_time else 60
            raise XApiError(
                503,
                "x_api_rate_limited",
                f"the X API rate limit is reached; try again in {wait} s",
                headers={"Retry-After": str(wait)},
            ) from exc
        except (tweepy.Unauthorized, tweepy.Forbidden) as exc:
            status = exc.response.status_code if isinstance(exc.response, requests.Response) else "?"
            raise XApiError(
                502,
                "x_api_auth",
                f"the X API refused the bearer token in {TOKEN_VARIABLE} ({status}: {_said(exc)}); "
                "check the token and its access level in the X developer portal",
            ) from exc
        except tweepy.NotFound as exc:
            raise XApiError(404, "x_account_not_found", f"X says: {_said(exc)}") from exc
        except tweepy.HTTPException as exc:  # 400, 5xx and the rest
            raise XApiError(502, "x_api_error", f"the X API failed: {_said(exc)}") from exc
        except ValueError as exc:  # not JSON; before RequestException: requests' JSONDecodeError is both
            raise XApiError(
                502, "x_api_error", f"the X API answered something that is not JSON: {exc}"
            ) from exc
        except requests.RequestException as exc:
            raise XApiError(
                502, "x_api_unreachable", f"cannot reach the X API ({type(exc).__name__}): {exc}"
            ) from exc
        if not isinstance(answer, dict):
            raise XApiError(502, "x_api_error", "the X API answered JSON that is not an object")
        return answer


def _said(exc: tweepy.HTTPException) -> str:
    return "; ".join(str(message) for message in exc.api_messages) or str(exc)
