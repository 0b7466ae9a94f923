"""The SQLite cache: TTL, restart, corrupt and locked files, clearing, and no lost writes at shutdown."""

from __future__ import annotations

import asyncio
import io
import logging
import sqlite3
from pathlib import Path

import pytest
from serverkit import AUTH, make_config, user_tweets_capture

from profilelens.web import create_app
from profilelens.web.cache import PURGE_EVERY, Cache, SqliteStore, analysis_key, fetch_key
from profilelens.web.keys import CACHE


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def capture() -> bytes:
    return user_tweets_capture().read_bytes()


def test_entries_expire_after_the_ttl(tmp_path: Path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=60, clock=clock)
    assert store.put("k", b"value", [("1", "Someone")])
    clock.now += 59
    assert store.get("k") == b"value"
    clock.now += 2
    assert store.get("k") is None
    assert store.count() == 0


def test_a_commit_waits_for_no_fsync_yet_reaches_the_file(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=60)
    assert store.put("k", b"value", [("1", "Someone")])
    settings = store._connection()
    assert settings.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert settings.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL: the WAL keeps the file whole
    other = sqlite3.connect(tmp_path / "c.sqlite3")
    try:
        assert other.execute("SELECT value FROM entries WHERE key = 'k'").fetchone() == (b"value",)
    finally:
        other.close()
    store.close()


def test_a_value_over_the_entry_limit_is_not_kept(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=60, max_entry=1000)
    assert store.put("small", b"x" * 1000)
    assert store.put("large", b"x" * 1001) is False
    assert store.get("large") is None and store.get("small") is not None


def test_a_chunk_of_entries_is_written_at_once_each_kept_as_one_put_keeps_it(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=60, max_entry=1000)
    entries = [("a", b"1", [("1", "Alice")]), ("large", b"x" * 1001, []), ("b", b"2", [("2", "Bob")])]
    assert store.put_many(entries)
    assert store.get_many(["a", "large", "b", "absent"]) == [b"1", None, b"2", None]
    assert store.clear("bob") == 1  # each entry keeps its accounts
    assert store.put_many([("large", b"x" * 1001, [])]) is False


def test_past_the_total_limit_the_oldest_entries_go_first(tmp_path: Path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=600, clock=clock, max_total=3000)
    for name in ("a", "b", "c", "d", "e"):
        clock.now += 1
        assert store.put(name, b"x" * 1000, [(None, name)])
    assert [store.get(name) is not None for name in "abcde"] == [False, False, True, True, True]
    assert (tmp_path / "c.sqlite3").stat().st_size < 64 * 1024


def test_keys_depend_on_the_body_and_the_time_zone() -> None:
    assert analysis_key(b"{}", None) == analysis_key(b"{}", None)
    assert analysis_key(b"{}", None) != analysis_key(b"{} ", None)
    assert analysis_key(b"{}", None) != analysis_key(b"{}", "Europe/Paris")
    assert fetch_key("@Someone") == fetch_key("someone")


def test_clearing_one_account_goes_by_handle_and_by_the_ids_seen_with_it(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=60)
    store.put("by-handle", b"1", [("42", "Someone")])
    store.put("by-id-only", b"2", [("42", None)])  # a capture that named the id, not the handle
    store.put("another", b"3", [("7", "other")])
    store.put("both", b"4", [("7", "other"), ("42", "someone")])
    assert store.clear("@SOMEONE") == 3
    assert store.get("another") == b"3"
    assert store.clear() == 1
    assert store.count() == 0


def test_a_corrupt_file_is_set_aside_and_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database " * 200)
    store = SqliteStore(path, ttl=60)
    with caplog.at_level(logging.WARNING):
        assert store.get("k") is None
    assert "unusable" in caplog.text
    assert (tmp_path / "c.sqlite3.corrupt").exists()
    assert store.put("k", b"v")
    assert store.get("k") == b"v"


def test_an_unwritable_place_disables_the_cache_without_failing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    store = SqliteStore(blocker / "c.sqlite3", ttl=60)
    with caplog.at_level(logging.WARNING):
        assert store.put("k", b"v") is False
        assert store.get("k") is None
    assert "bypassed" in caplog.text


async def test_a_worker_thread_reads_through_the_stores_thread(tmp_path: Path) -> None:
    cache = Cache(SqliteStore(tmp_path / "c.sqlite3", ttl=60))
    cache.put("k", b"value")
    # A worker (the analysis pool) waits for the read, which runs after the write queued before it.
    assert await asyncio.to_thread(cache.get_many_blocking, ["k", "absent"]) == [b"value", None]
    assert cache.get_many_blocking([]) == []
    await cache.close()
    assert cache.get_many_blocking(["k"]) == [None]  # closed: the server is stopping, nothing is held


async def test_close_waits_for_every_queued_write(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    cache = Cache(SqliteStore(path, ttl=60))
    for number in range(200):
        cache.put(f"k{number}", b"x" * 1000, [(str(number), f"h{number}")])
    await cache.close()
    assert SqliteStore(path, ttl=60).count() == 200


async def test_a_corrupt_cache_file_never_fails_a_request(
    aiohttp_client, tmp_path: Path, capture: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_config(tmp_path)
    config.cache_path.parent.mkdir(parents=True)
    config.cache_path.write_bytes(b"\x00garbage" * 1000)
    client = await aiohttp_client(create_app(config))
    with caplog.at_level(logging.WARNING):
        first = await client.post("/v1/analyze", data=io.BytesIO(capture), headers=AUTH)
    assert first.status == 200
    assert "unusable" in caplog.text
    second = await client.post("/v1/analyze", data=io.BytesIO(capture), headers=AUTH)
    assert second.status == 200
    assert second.headers["X-Cache"] == "hit"  # rebuilt and used again


async def test_a_locked_cache_is_bypassed(
    aiohttp_client, tmp_path: Path, capture: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_config(tmp_path)
    SqliteStore(config.cache_path, ttl=60).count()  # creates the file
    other_program = sqlite3.connect(config.cache_path, isolation_level=None)
    other_program.execute("BEGIN EXCLUSIVE")
    try:
        client = await aiohttp_client(create_app(config))
        with caplog.at_level(logging.WARNING):
            response = await client.post("/v1/analyze", data=io.BytesIO(capture), headers=AUTH)
            assert response.status == 200
            assert (await response.json())["reports"]
            cache = client.server.app[CACHE]
            while cache.pending_writes:  # the write is tried (and skipped) while the lock is still held
                await asyncio.sleep(0.01)
        assert "locked" in caplog.text
    finally:
        other_program.execute("ROLLBACK")
        other_program.close()
    after = await client.post("/v1/analyze", data=io.BytesIO(capture), headers=AUTH)
    assert after.headers["X-Cache"] == "miss"  # the locked-out write was skipped, not queued forever
    assert (await client.post("/v1/analyze", data=io.BytesIO(capture), headers=AUTH)).headers[
        "X-Cache"
    ] == "hit"


async def test_the_cache_survives_a_restart_and_shutdown_loses_no_write(
    aiohttp_client, tmp_path: Path, capture: bytes
) -> None:
    config = make_config(tmp_path)
    first = await aiohttp_client(create_app(config))
    bodies = [capture + b" " * n for n in range(6)]  # six different bodies: six analyses to write
    for body in bodies:
        response = await first.post("/v1/analyze", data=io.BytesIO(body), headers=AUTH)
        assert response.headers["X-Cache"] == "miss"
    await first.close()  # graceful shutdown: the cleanup flushes queued writes
    assert SqliteStore(config.cache_path, ttl=60).count() == len(bodies)

    second = await aiohttp_client(create_app(config))
    for body in bodies:
        response = await second.post("/v1/analyze", data=io.BytesIO(body), headers=AUTH)
        assert response.headers["X-Cache"] == "hit"


def test_expired_entries_are_swept_while_writing(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "c.sqlite3"
    store = SqliteStore(path, ttl=60, clock=clock)
    for number in range(PURGE_EVERY - 1):
        store.put(f"old{number}", b"x", [(str(number), None)])
    clock.now += 120
    store.put("new", b"y")  # the sweep comes with this write
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM entry_accounts").fetchone() == (0,)


def test_a_failed_write_changes_nothing_and_keeps_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = SqliteStore(tmp_path / "c.sqlite3", ttl=60)
    store.put("k", b"old", [("1", "someone")])
    # An id SQLite cannot store makes the accounts insert fail after the entry was replaced.
    assert store.put("k", b"new", [(["not", "an", "id"], "someone")]) is False  # type: ignore[list-item]
    assert "bypassed" in caplog.text
    assert store.get("k") == b"old"
    assert not (tmp_path / "c.sqlite3.corrupt").exists()


def test_a_file_with_another_schema_is_set_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE entries (something_else TEXT)")
    conn.close()
    store = SqliteStore(path, ttl=60)
    assert store.put("k", b"v") is False
    assert "unusable" in caplog.text
    assert store.put("k", b"v") is True
    assert store.get("k") == b"v"
