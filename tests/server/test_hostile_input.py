"""Hostile input costs bounded work and never a 500: one test per way it used to break.

Every crafted body starts from the real UserTweets capture, changed the way an attacker would.
Bounds are asserted on sizes (answers, series, cache rows), never on time: timings are `make bench`'s.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hostilekit import with_every_count, with_posts
from serverkit import AUTH, TOKEN, make_config, served

from profilelens import analysis
from profilelens.cli import main
from profilelens.config import ConfigError, from_env, read_token_file
from profilelens.records import Account, Capture
from profilelens.reportpage.table import csv_cells, failure_row, from_csv

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
FAR_FUTURE = "Fri Dec 31 23:59:59 +0000 9999"
BEFORE_X = "Mon Jan 01 00:00:00 +0000 1990"


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path):
    return await served(aiohttp_client, make_config(tmp_path))


async def raw_exchange(client, request: bytes, *, linger: float = 0.0) -> bytes:
    """Send bytes as they are (headers a client library would refuse to send); the answer, if any."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(request)
    await writer.drain()
    if linger:
        await asyncio.sleep(linger)
        writer.close()
        return b""
    answer = await reader.read()
    writer.close()
    return answer


def head(client, method: str, path: str, *lines: str) -> bytes:
    host = f"Host: 127.0.0.1:{client.server.port}"
    return "\r\n".join([f"{method} {path} HTTP/1.1", host, *lines, "Connection: close", "", ""]).encode()


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "the request reached the catch-all"


def dated(when: str) -> Any:
    def change(legacy: dict[str, Any]) -> None:
        legacy["created_at"] = when

    return change


# -- 1. one date must not take the server down ---------------------------------------------------------


def test_posts_dated_outside_x_life_are_ignored_and_noted() -> None:
    body = with_posts(dated(FAR_FUTURE), count=2)
    (report,) = analysis.analyze_bytes(body, now=NOW)
    (clean,) = analysis.analyze_bytes(with_posts(lambda _: None), now=NOW)
    assert report["data"]["posts_seen"] == clean["data"]["posts_seen"]  # the posts still count
    assert report["data"]["newest_post"] < "2027"
    assert any("2 posts dated outside X's life" in note for note in report["data"]["notes"])
    days = report["volume"]["daily_counts"]
    assert len(days) <= report["data"]["posts_seen"] and all("9999" not in day for day, _ in days)


def test_a_post_dated_before_x_is_ignored_and_noted() -> None:
    (report,) = analysis.analyze_bytes(with_posts(dated(BEFORE_X)), now=NOW)
    assert any("1 post dated outside X's life" in note for note in report["data"]["notes"])
    assert report["data"]["oldest_post"] >= "2006-03-21"


def test_an_account_created_after_now_is_ignored_and_noted() -> None:
    account = Account(id="1", handle="crafted", posts_count=10, created_at=datetime(9999, 12, 31, tzinfo=UTC))
    (report,) = analysis.analyze([Capture(source="x-graphql:UserByScreenName", account=account)], now=NOW)
    assert report["account"]["created_at"] is None
    assert any("creation date 9999-12-31 is outside X's life" in note for note in report["data"]["notes"])


async def test_a_far_future_post_is_a_normal_size_answer_and_page(client) -> None:
    body = with_posts(dated(FAR_FUTURE))
    clean = await client.post("/v1/analyze", data=with_posts(lambda _: None), headers=AUTH)
    crafted = await client.post("/v1/analyze", data=body, headers=AUTH)
    assert crafted.status == 200 and clean.status == 200
    assert len(await crafted.read()) < 1.2 * len(await clean.read())
    page = await client.post("/report/capture", data=body, headers=AUTH)
    assert page.status == 200
    assert "outside X" in await page.text()


# -- 2. no 500s, no tracebacks ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1, -(2**53), 10**18])
async def test_negative_or_absurd_counts_are_unknown_not_a_500(client, caplog, value: int) -> None:
    response = await client.post("/v1/analyze", data=with_every_count(value), headers=AUTH)
    assert response.status == 200
    account = (await response.json())["reports"][0]["account"]
    assert account["followers"] is None and account["posts_count"] is None
    assert_no_traceback(caplog)


async def test_a_non_utf8_authorization_header_is_a_401(client, caplog) -> None:
    request = head(client, "GET", "/v1/model").replace(
        b"Connection:", b"Authorization: Bearer \xff\xfe\xe9\r\nConnection:"
    )
    answer = await raw_exchange(client, request)
    assert answer.startswith(b"HTTP/1.1 401")
    assert_no_traceback(caplog)


async def test_a_gzip_header_followed_by_garbage_is_refused(client, caplog) -> None:
    body = b"\x1f\x8b\x08\x00" + b"garbage" * 10
    response = await client.post(
        "/v1/analyze",
        data=body,
        headers={**AUTH, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert response.status == 415
    assert (await response.json())["error"]["code"] == "compressed_body"
    assert_no_traceback(caplog)


async def test_a_client_leaving_mid_body_is_not_an_error(client, caplog) -> None:
    request = (
        head(client, "POST", "/v1/analyze", f"Authorization: Bearer {TOKEN}", "Content-Length: 100000")
        + b'{"data": {'
    )
    await raw_exchange(client, request, linger=0.2)
    await asyncio.sleep(0.2)
    assert_no_traceback(caplog)
    assert (await client.get("/healthz")).status == 200


@pytest.mark.parametrize("zone", ["Europe", "America", "x" * 300])
async def test_a_time_zone_that_names_a_folder_is_a_400_everywhere(client, env: Path, zone: str) -> None:
    capture = with_posts(lambda _: None)
    assert (await client.post(f"/v1/analyze?tz={zone}", data=capture, headers=AUTH)).status == 400
    bundle = orjson.dumps({"captures": [orjson.loads(capture)], "tz": zone})
    assert (await client.post("/v1/analyze", data=bundle, headers=AUTH)).status == 400
    batch = orjson.dumps({"items": [orjson.loads(capture)], "tz": zone})
    assert (await client.post("/v1/batch", data=batch, headers=AUTH)).status == 400
    captures = env / "captures"
    captures.mkdir()
    (captures / "one.json").write_bytes(capture)
    assert main(["vet", "--tz", zone, "--csv", str(env / "out.csv"), str(captures)]) == 2
    assert main(["analyze", "--tz", zone, str(captures / "one.json")]) == 1


# -- 3. decompression never runs on the event loop ------------------------------------------------------


async def test_a_gzip_bomb_is_refused_unread_after_auth(client, caplog) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MiB in about 64 KB
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    anonymous = await client.post("/v1/analyze", data=bomb, headers=headers)
    assert anonymous.status == 401  # the token is checked before anything looks at the body
    paired = await client.post("/v1/analyze", data=bomb, headers={**AUTH, **headers})
    assert paired.status == 415
    assert_no_traceback(caplog)


async def test_a_body_that_trickles_in_is_cut_off(aiohttp_client, tmp_path: Path) -> None:
    config = make_config(tmp_path, body_timeout=0.3)
    client = await served(aiohttp_client, config)
    request = head(client, "POST", "/v1/analyze", f"Authorization: Bearer {TOKEN}", "Content-Length: 1000")
    answer = await raw_exchange(client, request + b'{"da')
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"body_timeout" in answer


# -- 4. the pairing token is a credential ------------------------------------------------------------------


async def test_rotating_the_token_revokes_the_old_one_in_a_running_server(aiohttp_client, env: Path) -> None:
    config = from_env()
    client = await served(aiohttp_client, config)
    old = {"Authorization": f"Bearer {config.token}"}
    assert (await client.get("/v1/model", headers=old)).status == 200
    assert main(["token", "--rotate"]) == 0
    new = {"Authorization": f"Bearer {read_token_file(config.token_file)}"}
    assert (await client.get("/v1/model", headers=old)).status == 401
    assert (await client.get("/v1/model", headers=new)).status == 200


def test_a_token_file_that_links_elsewhere_is_refused_untouched(env: Path) -> None:
    elsewhere = env / "someone-elses-file"
    elsewhere.write_text("a secret that is not a pairing token at all\n")
    elsewhere.chmod(0o644)
    folder = env / "config" / "profilelens"
    folder.mkdir(parents=True)
    (folder / "token").symlink_to(elsewhere)
    with pytest.raises(ConfigError, match="symbolic link"):
        from_env()
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644  # never chmodded, never used
    assert main(["serve", "--port", "0"]) == 2


@pytest.mark.parametrize(
    ("content", "complaint"), [(b"x\n", "too short"), (b"\xff\xfe token \xe9\n", "not UTF-8")]
)
def test_a_short_or_undecodable_token_is_a_clear_error(
    env: Path, capsys: pytest.CaptureFixture[str], content: bytes, complaint: str
) -> None:
    folder = env / "config" / "profilelens"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "token").write_bytes(content)
    assert main(["token"]) == 1
    assert main(["serve", "--port", "0"]) == 2
    errors = capsys.readouterr().err
    assert complaint in errors and "--rotate" in errors
    assert main(["token", "--rotate"]) == 0  # the way out the message gives works


def test_an_open_config_folder_is_closed(env: Path) -> None:
    folder = env / "config" / "profilelens"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    from_env()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# -- 6. no cell a spreadsheet would run ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=HYPERLINK(1)",
        " =1+1",
        "\0=1",
        "＝1+1",
        "﹦1",
        "＋1",
        "＠A1",
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped_and_read_back(name: str) -> None:
    row = failure_row("item.json", "a reason", handle="someone")
    row["name"] = name
    cells = csv_cells(row)
    assert cells["name"] == "'" + name
    assert from_csv(cells)["name"] == name


@pytest.mark.parametrize("name", ["Acme Corp", "'quoted'", "—dash", "100 % real", ""])
def test_ordinary_csv_cells_are_written_as_they_are(name: str) -> None:
    row = failure_row("item.json", "a reason", handle="someone")
    row["name"] = name
    assert csv_cells(row)["name"] == name
