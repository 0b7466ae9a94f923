"""POST /v1/batch with an NDJSON body, read as it arrives: the same lines as the JSON form, each bad line
failing alone, the body's own limits, a client that stalls or leaves, and the reading held back while the
pool is busy."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import AsyncIterator, Iterable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web
from serverkit import AUTH, TOKEN, make_config, served

from audiencekit import page_items, profile_item
from conftest import shared_data
from profilelens.web import create_app, requests, service
from profilelens.web.keys import ANALYSIS_POOL
from profilelens.web.requests import LineSplitter
from xlike import X_TOKEN, XLike, fixture_account, serving

NDJSON = {**AUTH, "Content-Type": "application/x-ndjson"}


def ndjson(items: Iterable[object]) -> bytes:
    return b"".join(orjson.dumps(item) + b"\n" for item in items)


def lines(body: bytes) -> tuple[dict[int, dict[str, Any]], dict[str, Any]]:
    """The item lines of a batch answer by index, and its summary (the last line)."""
    *answered, summary = [orjson.loads(line) for line in body.splitlines()]
    by_index = {line["index"]: line for line in answered}
    assert len(by_index) == len(answered), "an item answered twice"
    return by_index, summary


def timeline() -> list[dict[str, Any]]:
    """A real v1.1 timeline: 20 statuses with their user."""
    return orjson.loads(shared_data("x-api-v1.1-python-twitter/get_user_timeline.json").read_bytes())


def graphql(name: str) -> dict[str, Any]:
    return orjson.loads(shared_data(f"x-graphql/{name}").read_bytes())


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path):
    return await aiohttp_client(create_app(make_config(tmp_path)))


class FixedNow(datetime):
    """The service's clock stopped: a report's figures that count from now are the same twice."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> FixedNow:
        return cls(2026, 11, 22, 12, tzinfo=tz)


async def test_ndjson_answers_each_item_as_the_json_form_does(
    aiohttp_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "datetime", FixedNow)
    items: list[object] = [
        "XDevelopers",
        graphql("raw_user_tweets.json"),
        {"tz": "Asia/Tokyo", "captures": [profile_item(), *page_items("Followers")]},
        "nosuchuser",
        {"captures": [timeline()]},
        "not a handle!",
        graphql("legacy-schema-8ce44e4/raw_user_tweets_and_replies.json"),
        {"junk": 1},
    ]
    with serving(XLike(accounts={"xdevelopers": fixture_account()})) as x:
        config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=x.base, x_api_pages=1)
        client = await aiohttp_client(create_app(config))
        body = orjson.dumps({"items": items, "tz": "Europe/Paris"})
        as_json = await client.post("/v1/batch", data=body, headers=AUTH)
        assert as_json.status == 200
        expected, summary = lines(await as_json.read())
        assert (await client.delete("/v1/cache", headers=AUTH)).status == 200  # both forms meet a cold cache
        streamed = await client.post("/v1/batch?tz=Europe/Paris", data=ndjson(items), headers=NDJSON)
        assert streamed.status == 200
        assert streamed.content_type == "application/x-ndjson"
        got, streamed_summary = lines(await streamed.read())
    assert got == expected
    assert streamed_summary == summary == {"done": True, "items": 8, "errors": 3}
    assert [got[i]["ok"] for i in range(8)] == [True, True, True, False, True, False, True, False]
    assert got[0]["item"] == "XDevelopers" and got[0]["reports"][0]["account"]["handle"] == "XDevelopers"
    assert got[1]["reports"][0]["volume"]["timezone"] == "Europe/Paris"  # the caller's ?tz= wins
    assert got[2]["reports"][0]["audience"]["available"] is True  # the {url, body} pages were read
    assert got[3]["status"] == 404 and got[5]["error"]["code"] == "bad_handle"
    assert got[7]["status"] == 400


async def test_the_json_form_takes_the_query_time_zone_when_its_body_names_none(client) -> None:
    body = orjson.dumps({"items": [{"captures": [timeline()]}]})
    response = await client.post("/v1/batch?tz=Asia/Tokyo", data=body, headers=AUTH)
    got, _ = lines(await response.read())
    assert got[0]["reports"][0]["volume"]["timezone"] == "Asia/Tokyo"


async def test_each_capture_is_cached_as_its_own_body_would_be(client) -> None:
    capture = orjson.dumps(graphql("raw_user_tweets.json"))  # one line (the file is indented)
    first = await client.post("/v1/batch", data=capture + b"\n", headers=NDJSON)
    assert lines(await first.read())[0][0]["cached"] is False
    alone = await client.post("/v1/analyze", data=capture, headers=AUTH)
    assert alone.headers["X-Cache"] == "hit"  # the line, as sent, is the body POST /v1/analyze had


async def test_the_lines_that_finish_together_are_written_at_once(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[bytes] = []
    real_write = web.StreamResponse.write

    async def write(response: web.StreamResponse, data: bytes) -> None:
        writes.append(bytes(data))
        await real_write(response, data)

    monkeypatch.setattr(web.StreamResponse, "write", write)
    capture = b'{"captures": [' + orjson.dumps(timeline()) + b"]}\n"
    response = await client.post("/v1/batch", data=capture * 3 + b'"nope\n', headers=NDJSON)
    got, summary = lines(await response.read())
    assert summary == {"done": True, "items": 4, "errors": 1} and got[3]["error"]["code"] == "bad_json"
    # The bad line (answered once its group is read), the three reported together, the summary.
    assert [len(written.splitlines()) for written in writes] == [1, 3, 1]


async def test_a_malformed_line_fails_alone(client, caplog: pytest.LogCaptureFixture) -> None:
    body = b"".join(
        [
            b'{"captures": [' + orjson.dumps(timeline()) + b"]}\n",
            b'{"captures": [nope\n',
            b"\n  \r\n",  # blank lines are no items
            b'"unterminated\n',
            b"42\r\n",
            orjson.dumps(graphql("raw_user_media.json")),  # the last line needs no newline
        ]
    )
    response = await client.post("/v1/batch", data=body, headers=NDJSON)
    assert response.status == 200
    got, summary = lines(await response.read())
    assert summary == {"done": True, "items": 5, "errors": 3}
    assert got[0]["ok"] is True and got[4]["ok"] is True
    assert got[1]["error"]["code"] == "bad_json" and got[1]["status"] == 400
    assert got[2]["error"]["code"] == "bad_json" and got[2]["item"] == "capture"
    assert got[3]["error"]["code"] == "bad_input"  # JSON, but no capture
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_body_of_blank_lines_says_the_batch_is_empty(client) -> None:
    response = await client.post("/v1/batch", data=b"\n  \r\n", headers=NDJSON)
    _, summary = lines(await response.read())
    assert summary["done"] is False and summary["items"] == 0
    assert summary["status"] == 422 and "no items" in summary["error"]["message"]


async def test_a_line_over_the_body_limit_is_that_items_413(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path, max_body=256 * 1024)))
    small = {"captures": [timeline()]}
    body = ndjson([small, graphql("raw_user_tweets.json"), small])  # 890 KB between two 60 KB lines
    response = await client.post("/v1/batch", data=body, headers=NDJSON)
    got, summary = lines(await response.read())
    assert summary == {"done": True, "items": 3, "errors": 1}
    assert got[1]["status"] == 413 and got[1]["error"]["code"] == "too_large"
    assert "262144 bytes" in got[1]["error"]["message"]
    assert got[0]["ok"] is True and got[2]["ok"] is True


async def test_too_many_items_answers_the_first_ones_then_says_so(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(requests, "MAX_BATCH_ITEMS", 5)
    response = await client.post("/v1/batch", data=ndjson(["not a handle!"] * 7), headers=NDJSON)
    assert response.status == 200
    got, summary = lines(await response.read())
    assert sorted(got) == [0, 1, 2, 3, 4]
    assert summary["done"] is False and summary["status"] == 422
    assert summary["error"]["code"] == "too_many_items" and "at most 5 items" in summary["error"]["message"]
    assert summary["items"] == 5 and summary["errors"] == 5


async def test_a_body_over_the_batch_limit_is_cut_at_the_limit(aiohttp_client, tmp_path: Path) -> None:
    config = make_config(tmp_path, max_batch_body=1024 * 1024)
    client = await aiohttp_client(create_app(config))
    body = ndjson([{"captures": [timeline()]}] * 40)  # 2.4 MB

    async def unannounced() -> AsyncIterator[bytes]:  # no Content-Length: the limit holds while reading
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    response = await client.post("/v1/batch", data=unannounced(), headers=NDJSON)
    got, summary = lines(await response.read())
    assert summary["done"] is False and summary["status"] == 413 and summary["error"]["code"] == "too_large"
    assert 10 <= len(got) <= 17 and all(line["ok"] for line in got.values())
    announced = await client.post("/v1/batch", data=io.BytesIO(body), headers=NDJSON)
    assert announced.status == 413  # refused unread
    assert (await announced.json())["error"]["code"] == "too_large"


async def test_the_token_and_the_headers_are_checked_before_the_body_is_read(client) -> None:
    body = ndjson(["XDevelopers"])
    anonymous = await client.post("/v1/batch", data=body, headers={"Content-Type": "application/x-ndjson"})
    assert anonymous.status == 401
    zone = await client.post("/v1/batch?tz=Mars/Olympus", data=body, headers=NDJSON)
    assert zone.status == 400 and (await zone.json())["error"]["code"] == "bad_timezone"
    packed = await client.post("/v1/batch", data=body, headers={**NDJSON, "Content-Encoding": "gzip"})
    assert packed.status == 415


async def open_batch(client) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw connection that has sent the head of a chunked NDJSON batch."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    head = [
        "POST /v1/batch HTTP/1.1",
        f"Host: 127.0.0.1:{client.server.port}",
        f"Authorization: Bearer {TOKEN}",
        "Content-Type: application/x-ndjson",
        "Transfer-Encoding: chunked",
        "Connection: close",
    ]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    return reader, writer


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def test_a_client_stalling_mid_line_gets_its_answers_then_a_408(
    aiohttp_client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = await served(aiohttp_client, make_config(tmp_path, body_timeout=0.5))
    reader, writer = await open_batch(client)
    line = orjson.dumps({"captures": [timeline()]})
    writer.write(chunk(line + b"\n" + line[:1000]))  # one item, then half of the next, then nothing
    await writer.drain()
    answer = await asyncio.wait_for(reader.readuntil(b"\r\n0\r\n\r\n"), timeout=10)  # the last chunk
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200")
    body = b"".join(answer.partition(b"\r\n\r\n")[2].split(b"\r\n")[1::2])  # the chunks' data
    got, summary = lines(body)
    assert got[0]["ok"] is True
    assert summary == {
        "done": False,
        "status": 408,
        "error": {"code": "body_timeout", "message": "the request body did not arrive within 0.5 s"},
        "items": 1,
        "errors": 0,
    }
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_client_leaving_mid_line_is_no_server_error(
    aiohttp_client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = await served(aiohttp_client, make_config(tmp_path))
    _, writer = await open_batch(client)
    writer.write(chunk(orjson.dumps(graphql("raw_user_tweets.json"))[:5000]))
    await writer.drain()
    await asyncio.sleep(0.2)
    writer.close()
    await writer.wait_closed()
    await asyncio.sleep(0.3)
    assert (await client.get("/healthz")).status == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_body_waits_in_the_socket_while_the_pool_is_busy(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    line = orjson.dumps(graphql("raw_user_tweets.json"))  # 890 KB
    assert (await client.post("/v1/analyze", data=line, headers=AUTH)).status == 200  # then each is a hit
    count = 150  # 134 MB: far more than the sockets' buffers hold (Linux lets them grow to 36 MB)
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(count):
            yield line + b"\n"
            sent += 1

    pool = client.server.app[ANALYSIS_POOL]
    release = threading.Event()
    busy = [pool.submit(release.wait, 30) for _ in range(2)]
    try:
        response = await client.post("/v1/batch", data=body(), headers=NDJSON)
        await asyncio.sleep(1.0)
        assert (await client.get("/healthz")).status == 200
        assert sent < count / 2, f"{sent} of {count} lines were taken while nothing could analyse them"
    finally:
        release.set()
    assert all(job.result(timeout=5) for job in busy)
    got, summary = lines(await response.read())
    assert summary == {"done": True, "items": count, "errors": 0}
    assert all(line["cached"] for line in got.values())


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        ([b"a\nbc\n"], [b"a", b"bc"]),
        ([b"a", b"b", b"c\nd"], [b"abc"]),  # "d" waits for its newline or the end
        ([b"\n\n"], [b"", b""]),
        ([b"12345\n", b"123456\n", b"1"], [b"12345", None]),  # over 5 bytes: None, not its bytes
        ([b"123", b"456", b"789\nok\n"], [None, b"ok"]),
        ([b"x\r\n"], [b"x\r"]),  # JSON takes the \r as blank space
    ],
)
def test_lines_split_as_they_arrive(pieces: list[bytes], expected: list[bytes | None]) -> None:
    splitter = LineSplitter(5)
    assert [line for piece in pieces for line in splitter.feed(piece)] == expected


def test_the_last_line_needs_no_newline() -> None:
    splitter = LineSplitter(5)
    assert splitter.feed(b"ab\ncd") == [b"ab"]
    assert splitter.end() == [b"cd"]
    assert splitter.end() == []
    splitter.feed(b"1234567")
    assert splitter.end() == [None]
