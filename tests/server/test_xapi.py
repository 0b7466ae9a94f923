"""The X API source through tweepy: real recorded answers replayed, and X's failures answered for real.

Successes replay tweepy's own recorded cassettes (../shared/data/x-api-v2-v1.1-tweepy), or their bodies
served by a local server (xlike.py) for what the cassettes never recorded: the next pages of a timeline.
Failures come from local servers that answer like X does (status, rate-limit headers, JSON problem
bodies, an answer too late); tweepy's client is pointed at them through PROFILELENS_X_API_BASE, so
tweepy builds and sends every request itself.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import vcr
import yaml
from aiohttp import web
from serverkit import AUTH, make_config, user_tweets_capture

from conftest import shared_data
from profilelens.web import create_app
from profilelens.xapi import USER_FIELDS, XApi, XApiError
from xlike import X_TOKEN, Account, XLike, serving

CASSETTES = "x-api-v2-v1.1-tweepy/cassettes"

# The recordings asked for default fields only; ours ask for more, so match on everything but the query.
tape = vcr.VCR(
    record_mode="none",
    match_on=("method", "scheme", "host", "port", "path"),
    ignore_localhost=True,  # our own test client talks to the app on 127.0.0.1
    filter_headers=["authorization"],
    # The recordings are gzip bodies; vcrpy's response stub does not inflate them as urllib3 would.
    decode_compressed_response=True,
)


def recorded(tmp_path: Path, *names: str) -> str:
    """One cassette holding the recorded interactions of `names`, unchanged and in order.

    vcrpy plays one cassette at a time, and tweepy recorded each endpoint in its own file.
    """
    interactions: list[Any] = []
    for name in names:
        interactions += yaml.safe_load(shared_data(f"{CASSETTES}/{name}").read_text())["interactions"]
    path = tmp_path / "cassette.yaml"
    path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}))
    return str(path)


TWITTER = ("test_client_get_user.yaml", "test_client_get_users_tweets.yaml")


def test_fetch_replays_the_recorded_user_and_tweets(tmp_path: Path) -> None:
    with tape.use_cassette(recorded(tmp_path, *TWITTER)) as cassette:
        fetched = XApi(X_TOKEN, pages=1).fetch("@Twitter")  # the recording holds one page
        assert cassette.all_played
    assert fetched.account_id == "783214"
    assert fetched.handle == "Twitter"
    assert fetched.user["data"]["username"] == "Twitter"
    (page,) = fetched.pages
    assert [tweet["id"] for tweet in page["data"]] == ["1577730467436138524", "1565318587736285184"]


async def test_account_endpoint_fetches_analyses_and_caches(aiohttp_client, tmp_path: Path) -> None:
    config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_pages=1)
    client = await aiohttp_client(create_app(config))
    with tape.use_cassette(recorded(tmp_path, *TWITTER)) as cassette:
        response = await client.get("/v1/accounts/Twitter", headers=AUTH)
        assert response.status == 200, await response.text()
        assert cassette.all_played
        report = (await response.json())["reports"][0]
        assert report["account"]["id"] == "783214"
        assert report["account"]["handle"] == "Twitter"
        assert report["data"]["posts_seen"] == 2
        # Asked again: from the cache, no request to X (the cassette has nothing left to play).
        again = await client.get("/v1/accounts/twitter", headers=AUTH)
        assert again.status == 200
        assert again.headers["X-Cache"] == "hit"
    cleared = await client.delete("/v1/cache/Twitter", headers=AUTH)
    assert (await cleared.json())["cleared"] >= 2  # the fetch and its analysis


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": "about:blank", "status": status, **extra}


class XByHandle:
    """Answers GET /2/users/by/username/{name} like X does for a few situations, named by the handle."""

    def __init__(self) -> None:
        self.seen: list[web.Request] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.app = web.Application()
        self.app.router.add_get("/2/users/by/username/{name}", self.user)

    async def user(self, request: web.Request) -> web.Response:
        self.seen.append(request)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await self.answer(request)
        finally:
            self.in_flight -= 1

    async def answer(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name == "revoked":
            return web.json_response(_problem(401, "Unauthorized", "Unauthorized"), status=401)
        if name == "notenrolled":
            body = _problem(
                403,
                "Client Forbidden",
                "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens "
                "from a Twitter developer App that is attached to a Project.",
                reason="client-not-enrolled",
                registration_url="https://developer.twitter.com/en/docs/projects/overview",
            )
            return web.json_response(body, status=403)
        if name == "busy":
            headers = {
                "x-rate-limit-limit": "900",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(time.time()) + 120),
            }
            return web.json_response(
                _problem(429, "Too Many Requests", "Too Many Requests"), status=429, headers=headers
            )
        if name == "slowpoke":
            await asyncio.sleep(1.5)
            return web.json_response(_problem(401, "Unauthorized", "Unauthorized"), status=401)
        if name.startswith("sleepy"):
            await asyncio.sleep(0.3)
            return web.json_response(_problem(401, "Unauthorized", "Unauthorized"), status=401)
        if name == "broken":
            return web.json_response(_problem(503, "Service Unavailable", "Service Unavailable"), status=503)
        missing = {
            "value": name,
            "detail": f"Could not find user with username: [{name}].",
            "title": "Not Found Error",
            "resource_type": "user",
            "parameter": "username",
            "resource_id": name,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
        return web.json_response({"errors": [missing]})


@pytest.fixture
async def x_like(aiohttp_server) -> tuple[XByHandle, str]:
    x = XByHandle()
    server = await aiohttp_server(x.app)
    return x, str(server.make_url("")).rstrip("/")


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path, x_like: tuple[XByHandle, str]):
    _, base = x_like
    return await aiohttp_client(create_app(make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=base)))


async def test_tweepy_really_talks_to_the_configured_base(client, x_like: tuple[XByHandle, str]) -> None:
    x, _ = x_like
    await client.get("/v1/accounts/nosuchuser", headers=AUTH)
    [request] = x.seen
    assert request.headers["Authorization"] == f"Bearer {X_TOKEN}"
    assert "Tweepy/" in request.headers["User-Agent"]
    assert set(request.query["user.fields"].split(",")) == set(USER_FIELDS)


@pytest.mark.parametrize("handle", ["revoked", "notenrolled"])
async def test_x_refusing_the_token_is_an_auth_error_naming_it(client, handle: str) -> None:
    response = await client.get(f"/v1/accounts/{handle}", headers=AUTH)
    assert response.status == 502
    error = (await response.json())["error"]
    assert error["code"] == "x_api_auth"
    assert "PROFILELENS_X_BEARER_TOKEN" in error["message"]


async def test_x_rate_limit_is_a_503_with_retry_after_from_its_reset_header(client) -> None:
    response = await client.get("/v1/accounts/busy", headers=AUTH)
    assert response.status == 503
    assert 100 <= int(response.headers["Retry-After"]) <= 121
    assert (await response.json())["error"]["code"] == "x_api_rate_limited"


async def test_x_unreachable_is_a_502(aiohttp_client, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    client = await aiohttp_client(create_app(make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=base)))
    response = await client.get("/v1/accounts/anyone", headers=AUTH)
    assert response.status == 502
    assert (await response.json())["error"]["code"] == "x_api_unreachable"


async def test_x_failing_or_not_knowing_the_account(client) -> None:
    broken = await client.get("/v1/accounts/broken", headers=AUTH)
    assert broken.status == 502
    assert (await broken.json())["error"]["code"] == "x_api_error"
    missing = await client.get("/v1/accounts/nosuchuser", headers=AUTH)
    assert missing.status == 404
    assert "nosuchuser" in (await missing.json())["error"]["message"]


def test_a_bad_handle_never_reaches_x() -> None:
    with pytest.raises(XApiError) as caught:
        XApi(X_TOKEN, base="http://127.0.0.1:9").fetch("not a handle")
    assert caught.value.status == 400


async def test_batch_streams_each_line_as_its_item_finishes(client) -> None:
    capture = orjson.loads(user_tweets_capture().read_bytes())
    body = orjson.dumps({"items": ["slowpoke", capture, "busy"]})
    started = time.monotonic()
    response = await client.post("/v1/batch", data=io.BytesIO(body), headers=AUTH)
    assert response.status == 200
    first = orjson.loads(await response.content.readline())
    assert time.monotonic() - started < 1.2, "the first finished item waited for the slow one"
    assert first["index"] in {1, 2}
    rest = [orjson.loads(line) for line in (await response.read()).splitlines()]
    lines = [first, *rest]
    assert time.monotonic() - started >= 1.5
    by_index = {line["index"]: line for line in lines if "index" in line}
    assert by_index[0]["error"]["code"] == "x_api_auth"
    assert by_index[1]["ok"] is True
    assert by_index[2]["status"] == 503
    assert lines[-1] == {"done": True, "items": 3, "errors": 2}


async def test_a_batch_client_leaving_early_is_no_server_error(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    capture = orjson.loads(user_tweets_capture().read_bytes())
    body = orjson.dumps({"items": ["slowpoke", capture]})
    response = await client.post("/v1/batch", data=io.BytesIO(body), headers=AUTH)
    first = orjson.loads(await response.content.readline())
    assert first["index"] == 1
    response.close()  # gone before the slow item's line
    await asyncio.sleep(2.0)  # the slow item finishes; its line has nowhere to go
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert (await client.get("/healthz")).status == 200


async def test_batch_runs_at_most_its_concurrency_at_once(
    aiohttp_client, tmp_path: Path, x_like: tuple[XByHandle, str]
) -> None:
    x, base = x_like
    config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=base, batch_concurrency=2)
    client = await aiohttp_client(create_app(config))
    handles = [f"sleepy{number}" for number in range(6)]
    response = await client.post("/v1/batch", data=orjson.dumps({"items": handles}), headers=AUTH)
    lines = [orjson.loads(line) for line in (await response.read()).splitlines()]
    assert lines[-1] == {"done": True, "items": 6, "errors": 6}
    assert len(x.seen) == 6
    assert x.most_in_flight == 2


# ---------------------------------------------------------------------------------------------------------
# Pages, and X failing for a moment: tweepy's recorded bodies served by a local X (xlike.py)


def recorded_body(name: str) -> dict[str, Any]:
    """The body X answered in one of tweepy's recordings (decoded/ holds them as JSON)."""
    (interaction,) = json.loads(shared_data(f"x-api-v2-v1.1-tweepy/decoded/{name}.json").read_text())
    assert interaction["status"]["code"] == 200
    return dict(interaction["body"])


def recorded_twitter() -> Account:
    """@Twitter as recorded, its timeline in four pages. tweepy recorded one page of this user's posts;
    the next ones are its recordings of three other timelines of posts (same shape: data, meta with
    next_token), chained by their next_token; the last (GET /2/tweets) has no next_token: the end."""
    first = recorded_body("test_client_get_users_tweets")
    chain = [
        recorded_body(name) for name in ("test_client_get_home_timeline", "test_client_get_users_mentions")
    ]
    last = recorded_body("test_client_get_tweets")
    tokens = [page["meta"]["next_token"] for page in (first, *chain)]
    return Account(
        user=recorded_body("test_client_get_user")["data"],
        tweets=first,
        next_pages=dict(zip(tokens, [*chain, last], strict=True)),
    )


def post_ids(pages: list[dict[str, Any]]) -> list[list[str]]:
    return [[tweet["id"] for tweet in page["data"]] for page in pages]


def test_pages_follow_next_token_up_to_the_depth_asked() -> None:
    twitter = recorded_twitter()
    pages = [twitter.tweets, *twitter.next_pages.values()]
    with serving(XLike(accounts={"twitter": twitter})) as x:
        fetched = XApi(X_TOKEN, base=x.base, pages=2).fetch("Twitter")
    assert x.page_tokens == [None, twitter.tweets["meta"]["next_token"]]
    assert post_ids(fetched.pages) == post_ids(pages[:2])
    assert fetched.bundle()["captures"] == [{"data": twitter.user}, *pages[:2]]


def test_pages_stop_where_x_gives_no_next_token() -> None:
    twitter = recorded_twitter()
    with serving(XLike(accounts={"twitter": twitter})) as x:
        fetched = XApi(X_TOKEN, base=x.base, pages=32).fetch("Twitter")
    assert len(fetched.pages) == len(x.page_tokens) == 4
    assert x.page_tokens[1:] == list(twitter.next_pages)
    assert post_ids(fetched.pages) == post_ids([twitter.tweets, *twitter.next_pages.values()])


async def test_the_server_reads_as_many_pages_as_configured(aiohttp_client, tmp_path: Path) -> None:
    twitter = recorded_twitter()
    with serving(XLike(accounts={"twitter": twitter})) as x:
        config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=x.base, x_api_pages=2)
        client = await aiohttp_client(create_app(config))
        response = await client.get("/v1/accounts/Twitter", headers=AUTH)
        assert response.status == 200, await response.text()
    report = (await response.json())["reports"][0]
    first, second = post_ids([twitter.tweets, twitter.next_pages[twitter.tweets["meta"]["next_token"]]])
    assert report["data"]["posts_seen"] == len({*first, *second}) > len(first)  # one post is on both


def test_x_failing_for_a_moment_is_tried_again_after_a_growing_wait() -> None:
    twitter = recorded_twitter()
    with serving(XLike(accounts={"twitter": twitter}, outages=[503, 500])) as x:
        fetched = XApi(X_TOKEN, base=x.base, pages=1, retries=2, retry_wait=0.2).fetch("Twitter")
    assert fetched.account_id == "783214"
    lookups = [(at, status) for at, path, status in x.requests if path.endswith("/Twitter")]
    assert [status for _, status in lookups] == [503, 500, 200]
    assert lookups[1][0] - lookups[0][0] >= 0.2
    assert lookups[2][0] - lookups[1][0] >= 0.4  # twice the first wait


def test_x_failing_on_every_try_gives_up_saying_how_often_it_tried() -> None:
    twitter = recorded_twitter()
    x = XLike(accounts={"twitter": twitter}, outages=[503, 503, 503, 503])
    with serving(x), pytest.raises(XApiError) as caught:
        XApi(X_TOKEN, base=x.base, retries=2, retry_wait=0.01).fetch("Twitter")
    assert caught.value.code == "x_api_error"
    assert "503: Service Unavailable" in caught.value.message and "tried 3 times" in caught.value.message
    assert [status for _, _, status in x.requests] == [503, 503, 503]  # retries=2: three tries, no more


def test_a_timeout_is_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    twitter = recorded_twitter()
    # The user lookup answers after 1.5 s, beyond the client's 0.5 s; so does the first page's.
    with serving(XLike(accounts={"twitter": twitter}, outages=[1.5, 0.0, 1.5])) as x:
        started = time.monotonic()
        fetched = XApi(X_TOKEN, base=x.base, timeout=0.5, pages=1, retry_wait=0.01).fetch("Twitter")
        took = time.monotonic() - started
    assert fetched.account_id == "783214"
    assert post_ids(fetched.pages) == post_ids([twitter.tweets])
    retried = [record.getMessage() for record in caplog.records if "trying again" in record.getMessage()]
    assert len(retried) == 2 and all("ReadTimeout" in message for message in retried)
    assert took >= 1.0  # two timeouts of 0.5 s were waited out


def test_timing_out_on_every_try_says_x_cannot_be_reached() -> None:
    x = XLike(accounts={"twitter": recorded_twitter()}, outages=[1.0, 1.0])
    with serving(x), pytest.raises(XApiError) as caught:
        XApi(X_TOKEN, base=x.base, timeout=0.3, retries=1, retry_wait=0.01).fetch("Twitter")
    assert caught.value.code == "x_api_unreachable"
    assert "ReadTimeout" in caught.value.message and "tried 2 times" in caught.value.message


def test_a_rate_limit_is_not_tried_again_here_its_wait_is_said() -> None:
    x = XLike(accounts={"twitter": recorded_twitter()}, rate_limited={"twitter": 5}, reset_after=30)
    with serving(x), pytest.raises(XApiError) as caught:
        XApi(X_TOKEN, base=x.base, retry_wait=0.01).fetch("Twitter")
    assert caught.value.code == "x_api_rate_limited"
    assert 25 <= int(caught.value.headers["Retry-After"]) <= 31
    assert [status for _, _, status in x.requests] == [429]


async def test_a_post_cut_inside_an_emoji_is_read_with_a_question_mark(
    aiohttp_client, tmp_path: Path
) -> None:
    """X's API can cut a text inside an emoji: its JSON then holds half of a surrogate pair, which
    tweepy's decoder keeps and no UTF-8 encoder takes. The report reads it as "?"."""
    twitter = recorded_twitter()
    tweet = twitter.tweets["data"][0]
    tweet["text"] = tweet["text"][:30] + "\ud83d"
    with serving(XLike(accounts={"twitter": twitter})) as x:
        fetched = XApi(X_TOKEN, base=x.base, pages=1).fetch("Twitter")
        assert fetched.pages[0]["data"][0]["text"] == tweet["text"][:30] + "?"
        config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=x.base, x_api_pages=1)
        client = await aiohttp_client(create_app(config))
        response = await client.get("/v1/accounts/Twitter", headers=AUTH)
        assert response.status == 200, await response.text()
    assert (await response.json())["reports"][0]["verdict"]["available"]
