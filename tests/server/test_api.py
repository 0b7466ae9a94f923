"""The API on the real capture: reports, bad input answered 4xx JSON, the loop free during analysis."""

from __future__ import annotations

import asyncio
import codecs
import gc
import gzip
import io
import logging
import shutil
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest
from serverkit import AUTH, make_config, user_tweets_capture

from inputkit import gzip_of_spaces
from profilelens.config import SOURCE_MODELS_DIR
from profilelens.ratings.models import MODEL_FILES
from profilelens.web import create_app, handlers
from profilelens.web.keys import ANALYSIS_POOL, CONFIG
from profilelens.web.service import ItemResult


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path):
    return await aiohttp_client(create_app(make_config(tmp_path)))


@pytest.fixture
def capture() -> bytes:
    return user_tweets_capture().read_bytes()


def assert_never_reached_the_catch_all(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "bad input reached the catch-all"


async def test_analyze_the_real_capture_then_serve_it_from_the_cache(client, capture: bytes) -> None:
    first = await client.post("/v1/analyze", data=capture, headers=AUTH)
    assert first.status == 200
    assert first.headers["X-Cache"] == "miss"
    reports = (await first.json())["reports"]
    assert len(reports) == 1
    assert reports[0]["schema"] == "profilelens.report/2"
    assert reports[0]["account"]["id"].isdigit()
    assert reports[0]["account"]["handle"]
    assert reports[0]["data"]["posts_seen"] > 0

    second = await client.post("/v1/analyze", data=capture, headers=AUTH)
    assert second.headers["X-Cache"] == "hit"
    assert (await second.json())["reports"] == reports


async def test_the_time_zone_is_the_callers(client, capture: bytes) -> None:
    response = await client.post("/v1/analyze?tz=Europe/Paris", data=capture, headers=AUTH)
    assert response.status == 200
    report = (await response.json())["reports"][0]
    assert report["volume"]["timezone"] == "Europe/Paris"
    # A different time zone is a different analysis, not a cache hit of the UTC one.
    utc = await client.post("/v1/analyze", data=capture, headers=AUTH)
    assert utc.headers["X-Cache"] == "miss"


async def test_an_unknown_time_zone_is_a_400(client, capture: bytes) -> None:
    response = await client.post("/v1/analyze?tz=Mars/Olympus_Mons", data=capture, headers=AUTH)
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "bad_timezone"


async def test_a_query_parameter_the_operation_does_not_take_is_a_400(client, capture: bytes) -> None:
    # a misspelt ?tz= must not quietly give hours in UTC
    response = await client.post("/v1/analyze?timezone=Europe/Paris", data=capture, headers=AUTH)
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "unknown_parameter"
    assert "'timezone'" in error["message"] and "tz" in error["message"]
    model = await client.get("/v1/model?verbose=1", headers=AUTH)
    assert model.status == 400 and "takes: none" in (await model.json())["error"]["message"]
    # and a caller without the token learns nothing of the API
    assert (await client.post("/v1/analyze?timezone=UTC", data=capture)).status == 401


async def test_a_body_over_the_limit_is_a_413(aiohttp_client, tmp_path: Path, capture: bytes) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path, max_body=64 * 1024)))
    response = await client.post("/v1/analyze", data=capture, headers=AUTH)
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "too_large"


async def test_a_chunked_body_over_the_limit_is_a_413(aiohttp_client, tmp_path: Path, capture: bytes) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path, max_body=64 * 1024)))

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit must hold while reading
        for start in range(0, len(capture), 16 * 1024):
            yield capture[start : start + 16 * 1024]

    response = await client.post("/v1/analyze", data=chunks(), headers=AUTH)
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "too_large"


def _changed_schema(capture: bytes) -> bytes:
    """The real capture as if X renamed the user result's type and its timeline field."""
    data = orjson.loads(capture)
    result = data["data"]["user"]["result"]
    result["__typename"] = "UserV3"
    result["timeline_v3"] = result.pop("timeline")
    return orjson.dumps(data)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"42",
        b'"a string"',
        b"[1, 2, 3]",
        b"null",
        b'{"data": {"user": {"result": 5}}}',
        b'{"captures": "not a list"}',
        b'{"captures": [], "tz": 5}',
        b'{"profilelens_dom": 1, "profile": {"followers": ["1.2M"]}, "posts": "none"}',
        b"   ",
    ],
)
async def test_bad_input_is_a_clear_4xx_never_a_500(
    client, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    response = await client.post("/v1/analyze", data=body, headers=AUTH)
    assert 400 <= response.status < 500, await response.text()
    assert (await response.json())["error"]["message"]
    assert_never_reached_the_catch_all(caplog)


async def test_saved_files_are_taken_as_the_command_line_takes_them(client, capture: bytes) -> None:
    """A HAR of the profile visit, a gzip file and a file with a byte-order mark: the same report."""
    url = "https://x.com/i/api/graphql/eoJ5zbv51Z_KVl81v9PmLQ/UserTweets?variables=%7B%7D"
    har = {
        "log": {
            "entries": [
                {
                    "request": {"method": "GET", "url": url},
                    "response": {"content": {"text": capture.decode()}},
                }
            ]
        }
    }
    plain = await client.post("/v1/analyze", data=capture, headers=AUTH)
    expected = (await plain.json())["reports"]
    for body in (orjson.dumps(har), gzip.compress(capture), codecs.BOM_UTF8 + capture):
        response = await client.post("/v1/analyze", data=body, headers=AUTH)
        assert response.status == 200, await response.text()
        (report,) = (await response.json())["reports"]
        assert report["account"] == expected[0]["account"]
        assert report["data"]["posts_seen"] == expected[0]["data"]["posts_seen"]


async def test_a_gzip_file_inflating_past_the_body_limit_is_a_400(client) -> None:
    # Not Content-Encoding (refused unread) but a .json.gz sent as it is: inflated in the pool, bounded.
    bomb = gzip_of_spaces(client.server.app[CONFIG].max_body + 1)
    response = await client.post("/v1/analyze", data=bomb, headers=AUTH)
    assert response.status == 400
    assert "inflates to more than" in (await response.json())["error"]["message"]


async def test_a_capture_from_a_changed_x_schema_is_a_4xx(
    client, caplog: pytest.LogCaptureFixture, capture: bytes
) -> None:
    response = await client.post("/v1/analyze", data=_changed_schema(capture), headers=AUTH)
    assert response.status in {400, 422}
    assert (await response.json())["error"]["message"]
    assert_never_reached_the_catch_all(caplog)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [("GET", "/v1/nothing", 404, "not_found"), ("GET", "/v1/analyze", 405, "method_not_allowed")],
)
async def test_routing_errors_are_json(client, method: str, path: str, status: int, code: str) -> None:
    response = await client.request(method, path, headers=AUTH)
    assert response.status == status
    assert (await response.json())["error"]["code"] == code


@pytest.mark.parametrize("path", ["/v1/analyze", "/v1/batch"])
async def test_health_answers_while_analyses_wait_for_the_pool(
    aiohttp_client, tmp_path: Path, capture: bytes, path: str
) -> None:
    # A batch's body is decoded in the pool too: its items are captures as large as this one.
    body = capture if path == "/v1/analyze" else b'{"items": [' + capture + b"]}"
    config = make_config(tmp_path, analysis_workers=2)
    client = await aiohttp_client(create_app(config))
    # Keep every analysis worker busy, as long analyses would: the loop itself must stay free.
    pool = client.server.app[ANALYSIS_POOL]
    release = threading.Event()
    busy = [pool.submit(release.wait, 30) for _ in range(config.analysis_workers)]
    try:
        analysis = asyncio.create_task(client.post(path, data=io.BytesIO(body), headers=AUTH))
        await asyncio.sleep(0.3)  # long enough for an analysis on the loop to have finished
        started = time.perf_counter()
        health = await client.get("/healthz")
        assert health.status == 200
        assert time.perf_counter() - started < 1.0
        assert not analysis.done(), "the analysis did not wait for the pool: it ran on the event loop"
    finally:
        release.set()
    assert all(job.result(timeout=5) for job in busy)
    response = await analysis
    assert response.status == 200
    assert b'"reports"' in await response.read()


async def test_model_says_each_model_is_loaded_with_its_metrics(client) -> None:
    body = await (await client.get("/v1/model", headers=AUTH)).json()
    assert body["trained"] is True and body["message"] is None
    assert [m["file"] for m in body["models"]] == list(MODEL_FILES)
    assert all(m["loaded"] and m["problem"] is None and len(m["sha256"]) == 64 for m in body["models"])
    assert body["metrics"]["verdict"]["leave_one_source_out"]
    assert body["code_sha256"] == body["metrics"]["code_sha256"]
    assert {card["file"] for card in body["cards"]} >= {"verdict.md", "identity.md", "follow_back.md"}
    assert body["x_api"] is False


async def test_model_says_which_model_is_missing_or_refused_and_why(
    aiohttp_client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    shutil.copy(SOURCE_MODELS_DIR / "follow_back.skops", folder)
    (folder / "verdict.skops").write_bytes(b"PK\x03\x04 not a skops file at all")
    client = await aiohttp_client(create_app(make_config(tmp_path, models_dir=folder)))
    body = await (await client.get("/v1/model", headers=AUTH)).json()
    assert body["trained"] is False
    state = {m["file"]: m for m in body["models"]}
    assert state["follow_back.skops"]["loaded"] is True
    assert state["identity.skops"]["loaded"] is False and "missing" in state["identity.skops"]["problem"]
    assert state["verdict.skops"]["loaded"] is False and "not a readable" in state["verdict.skops"]["problem"]
    assert str(tmp_path) not in orjson.dumps(body).decode()  # names files, never where they sit
    # The analysis reads the same folder: its ratings say why they are off.
    report = (
        await (await client.post("/v1/analyze", data=user_tweets_capture().read_bytes(), headers=AUTH)).json()
    )["reports"][0]
    assert report["follow_back"]["available"] is True
    assert report["verdict"]["available"] is False and "verdict.skops" in report["verdict"]["reason"]
    assert str(tmp_path) not in report["verdict"]["reason"]
    for _ in range(50):  # said at start-up (from the pool, in its own time), not only when asked
        if "a rating is off until this is fixed" in caplog.text:
            break
        await asyncio.sleep(0.1)
    assert "a rating is off until this is fixed: the model file identity.skops is missing" in caplog.text


def _lines(text: str) -> list[dict]:
    return [orjson.loads(line) for line in text.splitlines()]


async def test_batch_one_bad_item_never_aborts_the_rest(client, capture: bytes) -> None:
    items = [orjson.loads(capture), "not a handle!", {"junk": 1}, "XDevelopers"]
    response = await client.post("/v1/batch", data=orjson.dumps({"items": items, "tz": "UTC"}), headers=AUTH)
    assert response.status == 200
    assert response.content_type == "application/x-ndjson"
    lines = _lines(await response.text())
    assert lines[-1] == {"done": True, "items": 4, "errors": 3}
    by_index = {line["index"]: line for line in lines[:-1]}
    assert sorted(by_index) == [0, 1, 2, 3]
    assert by_index[0]["ok"] is True
    assert by_index[0]["reports"][0]["schema"] == "profilelens.report/2"
    assert by_index[1]["error"]["code"] == "bad_handle"
    assert by_index[2]["status"] == 400
    assert by_index[3]["error"]["code"] == "x_api_not_configured"  # no X API token configured here


async def test_the_collector_stays_off_for_a_whole_batch(
    client, capture: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not only while each step runs in the pool: the items of a JSON body, decoded at once, would be walked
    # by the collector's first run between two steps (reading, parsing, reporting, answering).
    seen: list[bool] = []
    real_line = handlers.batch_line

    def line(item: ItemResult) -> bytes:
        seen.append(gc.isenabled())
        return real_line(item)

    monkeypatch.setattr(handlers, "batch_line", line)
    timeline = orjson.loads(capture)
    items = [timeline, "not a handle!", {"tz": "Asia/Tokyo", "captures": [timeline]}]
    response = await client.post("/v1/batch", data=orjson.dumps({"items": items}), headers=AUTH)
    assert _lines(await response.text())[-1] == {"done": True, "items": 3, "errors": 1}
    assert seen == [False] * 3
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[nope", 400),
        (b'["XDevelopers"]', 422),
        (b'{"items": []}', 422),
        (b'{"items": "XDevelopers"}', 422),
        (b'{"items": [5]}', 422),
        (b'{"items": ["a"], "tz": 5}', 422),
        (b'{"items": ["a"], "tz": "Nowhere/Land"}', 400),
    ],
)
async def test_a_malformed_batch_is_refused_as_a_whole(
    client, caplog: pytest.LogCaptureFixture, body: bytes, status: int
) -> None:
    response = await client.post("/v1/batch", data=body, headers=AUTH)
    assert response.status == status
    assert (await response.json())["error"]["message"]
    assert_never_reached_the_catch_all(caplog)


async def test_clearing_the_cache_of_one_account_then_all(client, capture: bytes) -> None:
    first = await client.post("/v1/analyze", data=capture, headers=AUTH)
    handle = (await first.json())["reports"][0]["account"]["handle"]
    await client.post("/v1/analyze?tz=Asia/Tokyo", data=capture, headers=AUTH)
    other = await client.delete("/v1/cache/someone_else", headers=AUTH)
    assert (await other.json())["cleared"] == 0
    cleared = await client.delete(f"/v1/cache/{handle.upper()}", headers=AUTH)
    assert (await cleared.json()) == {"cleared": 2, "handle": handle.upper()}
    again = await client.post("/v1/analyze", data=capture, headers=AUTH)
    assert again.headers["X-Cache"] == "miss"
    assert (await (await client.delete("/v1/cache", headers=AUTH)).json())["cleared"] == 1
    bad = await client.delete("/v1/cache/not a handle", headers=AUTH)
    assert bad.status == 400
