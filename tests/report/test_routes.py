"""The report pages served by the real app: from the X API (an X-like local server) and from captures."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import FIXTURES
from profilelens.config import Config
from profilelens.web import create_app, report_pages, requests
from profilelens.web.service import ItemResult
from profilelens.xapi import TOKEN_VARIABLE
from xlike import X_TOKEN, XLike, fixture_account, serving

TOKEN = "report-page-test-token-0123456789"


def make_config(tmp_path: Path, **changes: Any) -> Config:
    return Config(
        token=TOKEN,
        config_dir=tmp_path / "config",
        cache_path=tmp_path / "cache" / "cache.sqlite3",
        **changes,
    )


def dom_capture() -> dict[str, Any]:
    for path in sorted((FIXTURES / "sources").glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(body, dict) and body.get("profilelens_dom") == 1:
            return body
    raise FileNotFoundError("no DOM capture among tests/fixtures/sources/")


def assert_html_page(response: Any, text: str) -> None:
    assert response.content_type == "text/html"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert text.startswith("<!doctype html>")


@pytest.fixture
def x():
    with serving(XLike(accounts={"xdevelopers": fixture_account()})) as server:
        yield server


async def test_without_an_x_token_the_page_says_how(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    response = await client.get(f"/report/XDevelopers?token={TOKEN}")
    text = await response.text()
    assert response.status == 501
    assert_html_page(response, text)
    assert TOKEN_VARIABLE in text and "profilelens report capture.json" in text


async def test_a_handle_is_fetched_analysed_rendered_and_cached(aiohttp_client, tmp_path: Path, x) -> None:
    config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=x.base)
    client = await aiohttp_client(create_app(config))
    response = await client.get(f"/report/XDevelopers?token={TOKEN}&tz=Europe/Paris")
    text = await response.text()
    assert response.status == 200, text
    assert_html_page(response, text)
    assert "@XDevelopers" in text and "695,695" in text
    assert text.count('class="chart chart-') >= 3
    assert "Europe/Paris" in text
    assert response.headers["X-Cache"] == "miss"
    asked = len(x.requests)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    again = await client.get("/report/xdevelopers?tz=Europe/Paris", headers=auth)
    assert again.status == 200 and again.headers["X-Cache"] == "hit"
    assert len(x.requests) == asked  # from the cache, X not asked again


async def test_x_failures_are_pages_with_the_apis_status(aiohttp_client, tmp_path: Path) -> None:
    limited = XLike(
        accounts={"xdevelopers": fixture_account()}, rate_limited={"xdevelopers": 1}, reset_after=30
    )
    with serving(limited):
        config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=limited.base)
        client = await aiohttp_client(create_app(config))
        missing = await client.get(f"/report/nobody_here?token={TOKEN}")
        assert missing.status == 404
        assert "X has no account @nobody_here" in await missing.text()
        busy = await client.get(f"/report/XDevelopers?token={TOKEN}")
        assert busy.status == 503
        assert 25 <= int(busy.headers["Retry-After"]) <= 30
        text = await busy.text()
        assert "rate limit" in text
        # The page reloads itself when X's limit resets.
        assert f'<meta http-equiv="refresh" content="{busy.headers["Retry-After"]}">' in text
        bad = await client.get(f"/report/not%20a%20handle?token={TOKEN}")
        assert bad.status == 400
        assert_html_page(bad, await bad.text())


async def test_a_posted_capture_becomes_a_page(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    capture = dom_capture()
    capture["profile"]["bio"] = "<script>alert('bio')</script> & more"
    response = await client.post(f"/report/capture?token={TOKEN}", data=json.dumps(capture))
    text = await response.text()
    assert response.status == 200, text
    assert_html_page(response, text)
    assert f"@{capture['profile']['handle']}" in text
    assert "&lt;script&gt;alert(&#39;bio&#39;)&lt;/script&gt; &amp; more" in text
    assert "<script>alert" not in text


async def test_a_capture_posted_by_a_form(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    capture = dom_capture()
    response = await client.post(
        "/report/capture", data={"capture": json.dumps(capture)}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status == 200
    assert f"@{capture['profile']['handle']}" in await response.text()


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "not JSON"),
        (b"   ", 400, "the request body is empty"),
        (b'{"hello": "world"}', 400, "expected X GraphQL"),
    ],
)
async def test_bad_captures_get_a_page_that_says_why(
    aiohttp_client, tmp_path: Path, body: bytes, status: int, says: str
) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    response = await client.post(f"/report/capture?token={TOKEN}", data=body)
    text = await response.text()
    assert response.status == status
    assert_html_page(response, text)
    assert says in text


async def test_report_pages_need_the_pairing_token(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    assert (await client.get("/report/XDevelopers")).status == 401
    assert (await client.get("/report/XDevelopers?token=wrong")).status == 401
    assert (await client.post("/report/capture", data=json.dumps(dom_capture()))).status == 401


async def test_a_batch_becomes_one_table_in_html_and_csv(aiohttp_client, tmp_path: Path, x) -> None:
    config = make_config(tmp_path, x_bearer_token=X_TOKEN, x_api_base=x.base)
    client = await aiohttp_client(create_app(config))
    capture = dom_capture()
    body = json.dumps({"items": ["XDevelopers", "nobody_here", capture, {"not": "a capture"}]})
    auth = {"Authorization": f"Bearer {TOKEN}"}

    page = await client.post("/report/batch", data=body, headers=auth)
    text = await page.text()
    assert page.status == 200, text
    assert "script-src 'sha256-" in page.headers["Content-Security-Policy"]
    assert "@XDevelopers" in text and f"@{capture['profile']['handle']}" in text
    assert "X has no account @nobody_here" in text and "capture 4" in text

    table = await client.post("/report/batch?format=csv", data=body, headers=auth)
    assert table.status == 200 and table.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(await table.text())))
    assert [r["item"] for r in rows] == ["XDevelopers", "nobody_here", "capture 3", "capture 4"]
    assert rows[0]["followers"] == "695695" and rows[0]["error"] == ""
    assert rows[1]["error"] and rows[3]["error"] and not rows[2]["error"]

    # The same items as NDJSON lines, each the bytes the JSON form's cache key is made of: the same table.
    lines = b"".join(orjson.dumps(item) + b"\n" for item in json.loads(body)["items"])
    ndjson = {**auth, "Content-Type": "application/x-ndjson"}
    streamed = await client.post("/report/batch?format=csv", data=lines, headers=ndjson)
    assert streamed.status == 200 and await streamed.text() == await table.text()


async def test_the_collector_stays_off_while_a_batch_table_is_made(
    aiohttp_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As for POST /v1/batch: the decoded items are never walked by a collection between two steps.
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    seen: list[bool] = []
    real_results = report_pages.batch_results

    async def results(*args: Any) -> AsyncIterator[list[ItemResult]]:
        async for finished in real_results(*args):
            seen.extend(gc.isenabled() for _ in finished)
            yield finished

    monkeypatch.setattr(report_pages, "batch_results", results)
    body = json.dumps({"items": [dom_capture(), {"not": "a capture"}]})
    table = await client.post(f"/report/batch?format=csv&token={TOKEN}", data=body)
    assert table.status == 200 and len(list(csv.DictReader(io.StringIO(await table.text())))) == 2
    assert seen == [False, False]
    assert gc.isenabled()


async def test_a_bad_batch_is_a_page_that_says_why(
    aiohttp_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    response = await client.post(f"/report/batch?token={TOKEN}", data=b'{"items": 3}')
    assert response.status == 422
    assert "items" in await response.text()
    monkeypatch.setattr(requests, "MAX_BATCH_ITEMS", 1)
    ndjson = {"Content-Type": "application/x-ndjson"}
    streamed = await client.post(f"/report/batch?token={TOKEN}", data=b'"a"\n"b"\n', headers=ndjson)
    assert streamed.status == 422
    assert "at most 1 items" in await streamed.text()
