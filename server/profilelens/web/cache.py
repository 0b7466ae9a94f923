"""The cache: one SQLite file holding analyses and X API fetches for a while (the TTL).

A cache must never be the reason a request fails: a corrupt file is set aside and rebuilt, a file locked
by another program is bypassed, an unwritable place disables caching; each time with a warning.

`SqliteStore` is the synchronous store, confined to one thread (the CLI uses it directly). `Cache` wraps it
for the server: every call runs on the store's single thread, so writes never block the event loop and
never race each other; `put` does not wait, and `close` waits for every pending write.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
PURGE_EVERY = 100  # writes between two sweeps of expired entries (also swept when the file is opened)
# Whatever the input, the file stays small: a larger value is not kept, and past the total the oldest
# entries go first. (Reports are tens of KB; an X API fetch a few hundred.)
MAX_ENTRY_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024

# (account id, handle); either may be unknown.
AccountRef = tuple[str | None, str | None]
Entry = tuple[str, bytes, Iterable[AccountRef]]  # a key, its value, the accounts it is about

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    stored_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS entry_accounts (
    key TEXT NOT NULL REFERENCES entries(key) ON DELETE CASCADE,
    account_id TEXT,
    handle TEXT
);
CREATE INDEX IF NOT EXISTS entry_accounts_key ON entry_accounts(key);
CREATE INDEX IF NOT EXISTS entry_accounts_handle ON entry_accounts(handle);
CREATE INDEX IF NOT EXISTS entry_accounts_id ON entry_accounts(account_id);
"""


def analysis_key(body: bytes, tz: str | None) -> str:
    """The cache key of an analysis: what was sent (its digest) and the time zone it was read in."""
    digest = hashlib.sha256(body)
    digest.update(b"\0" + (tz or "").encode())
    return "analysis:" + digest.hexdigest()


def fetch_key(handle: str) -> str:
    """The cache key of an X API fetch for one handle."""
    return "x-api:" + normalize_handle(handle)


def normalize_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (the connection is in autocommit mode); takes the write lock at once."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _evict_oldest(conn: sqlite3.Connection, max_total: int) -> None:
    """Delete the oldest entries until the values fit in `max_total` bytes. (SQLite reads a blob's length
    from the row header, so summing them does not read the values.)"""
    (total,) = conn.execute("SELECT total(length(value)) FROM entries").fetchone()
    if total <= max_total:
        return
    excess = total - max_total
    doomed, freed = [], 0
    for key, size in conn.execute("SELECT key, length(value) FROM entries ORDER BY stored_at"):
        if freed >= excess:
            break
        doomed.append((key,))
        freed += size
    conn.executemany("DELETE FROM entries WHERE key = ?", doomed)


def _is_broken(exc: BaseException) -> bool:
    """A file that is not (or no longer) a cache of ours: corrupt, not SQLite, or another schema."""
    if type(exc) is sqlite3.DatabaseError:  # SQLite's CORRUPT and NOTADB errors, exactly this class
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("no such table" in text or "no such column" in text)


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class SqliteStore:
    """The cache file. Not thread-safe: use it from one thread only."""

    def __init__(
        self,
        path: Path,
        ttl: float,
        *,
        clock: Callable[[], float] = time.time,
        max_entry: int = MAX_ENTRY_BYTES,
        max_total: int = MAX_TOTAL_BYTES,
    ) -> None:
        self.path = path
        self.ttl = ttl
        self.clock = clock
        self.max_entry = max_entry
        self.max_total = max_total
        self._conn: sqlite3.Connection | None = None
        self._writes = 0

    # -- the operations; none of them raises for a cache problem --------------------------------------

    def get(self, key: str) -> bytes | None:
        return self.get_many([key])[0]

    def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        def op(conn: sqlite3.Connection) -> list[bytes | None]:
            now = self.clock()
            found = []
            for key in keys:
                row = conn.execute(
                    "SELECT value FROM entries WHERE key = ? AND expires_at > ?", (key, now)
                ).fetchone()
                found.append(bytes(row[0]) if row else None)
            return found

        return self._run("read", op, [None] * len(keys))

    def put(self, key: str, value: bytes, accounts: Iterable[AccountRef] = ()) -> bool:
        return self.put_many([(key, value, accounts)])

    def put_many(self, entries: Iterable[Entry]) -> bool:
        """Entries written in one transaction (a batch's chunk: one commit and one size check for all)."""
        rows = []
        for key, value, accounts in entries:
            if len(value) > self.max_entry:
                log.warning(
                    "cache write skipped: %d bytes is over the %d a cache entry may hold",
                    len(value),
                    self.max_entry,
                )
                continue
            refs = [
                (key, account_id, normalize_handle(handle) if handle else None)
                for account_id, handle in accounts
            ]
            rows.append((key, value, refs))
        if not rows:
            return False
        now = self.clock()
        before, self._writes = self._writes, self._writes + len(rows)
        purge = before // PURGE_EVERY != self._writes // PURGE_EVERY  # every PURGE_EVERY writes

        def op(conn: sqlite3.Connection) -> bool:
            with _transaction(conn):
                if purge:
                    conn.execute("DELETE FROM entries WHERE expires_at <= ?", (now,))
                for key, value, refs in rows:
                    conn.execute(
                        "INSERT OR REPLACE INTO entries (key, stored_at, expires_at, value) "
                        "VALUES (?, ?, ?, ?)",
                        (key, now, now + self.ttl, value),
                    )
                    conn.execute("DELETE FROM entry_accounts WHERE key = ?", (key,))
                    conn.executemany(
                        "INSERT INTO entry_accounts (key, account_id, handle) VALUES (?, ?, ?)", refs
                    )
                _evict_oldest(conn, self.max_total)
            return True

        return self._run("write", op, False)

    def clear(self, handle: str | None = None) -> int:
        """Forget everything, or everything about one account (by handle, and by the ids seen with it)."""

        def op(conn: sqlite3.Connection) -> int:
            with _transaction(conn):
                if handle is None:
                    return conn.execute("DELETE FROM entries").rowcount
                name = normalize_handle(handle)
                return conn.execute(
                    """DELETE FROM entries WHERE key IN (
                           SELECT key FROM entry_accounts WHERE handle = :name OR account_id IN (
                               SELECT account_id FROM entry_accounts
                               WHERE handle = :name AND account_id IS NOT NULL))""",
                    {"name": name},
                ).rowcount

        return self._run("clear", op, 0)

    def count(self) -> int:
        """Entries still fresh."""

        def op(conn: sqlite3.Connection) -> int:
            row = conn.execute(
                "SELECT count(*) FROM entries WHERE expires_at > ?", (self.clock(),)
            ).fetchone()
            return int(row[0])

        return self._run("count", op, 0)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error as exc:
                log.warning("closing the cache %s: %s", self.path, exc)
            self._conn = None

    # -- the file ---------------------------------------------------------------------------------------

    def _run(self, what: str, op: Callable[[sqlite3.Connection], T], default: T) -> T:
        try:
            return op(self._connection())
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and _is_locked(exc):
                log.warning("cache %s bypassed: %s is locked by another program (%s)", what, self.path, exc)
            elif _is_broken(exc):
                self._set_aside(exc)
            else:
                log.warning("cache %s bypassed: %s (%s)", what, self.path, exc)
                self.close()
            return default

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=0.2, isolation_level=None)
            try:
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                # A commit waits for no fsync: a power cut may lose the last writes, never the file (WAL
                # keeps it whole), and a lost entry is only analysed again. FULL spent a fsync per batch
                # chunk: 140 ms of waiting and a fifth of the cache thread's CPU over 500 reports.
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.executescript(_SCHEMA)
                conn.execute("DELETE FROM entries WHERE expires_at <= ?", (self.clock(),))
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _set_aside(self, exc: BaseException) -> None:
        """Move a broken cache file out of the way; the next call starts a new one."""
        self.close()
        aside = self.path.with_name(self.path.name + ".corrupt")
        log.warning("cache file %s is unusable (%s): moved to %s, starting a new one", self.path, exc, aside)
        try:
            if self.path.exists():
                self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        except OSError as move_error:
            log.warning("cannot move the cache file %s aside: %s", self.path, move_error)


class Cache:
    """The store for async code: calls run on the store's one thread, writes are queued, not awaited."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="profilelens-cache")
        self._pending: set[Future[bool]] = set()

    async def _call(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn)

    async def get(self, key: str) -> bytes | None:
        return await self._call(lambda: self.store.get(key))

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        return await self._call(lambda: self.store.get_many(keys))

    def get_many_blocking(self, keys: Sequence[str]) -> list[bytes | None]:
        """As get_many, for a worker thread (never the event loop: it waits for the store's thread). A
        closed cache holds nothing."""
        if not keys:
            return []
        try:
            return self._thread.submit(self.store.get_many, keys).result()
        except RuntimeError:  # closed: the server is stopping
            return [None] * len(keys)

    async def get_analysis(self, body: bytes, tz: str | None) -> tuple[str, bytes | None]:
        """The key of this body's analysis and its cached value.

        A large body is hashed in the default pool (hashlib lets go of the GIL), not on the store's thread,
        so that lookups of many bodies hash in parallel.
        """
        key = await asyncio.get_running_loop().run_in_executor(None, analysis_key, body, tz)
        return key, await self.get(key)

    def put(self, key: str, value: bytes, accounts: Iterable[AccountRef] = ()) -> None:
        self.put_many([(key, value, accounts)])

    def put_many(self, entries: Iterable[Entry]) -> None:
        """Queues the entries' write (one transaction); does not wait for it."""
        listed = [(key, value, list(accounts)) for key, value, accounts in entries]
        if not listed:
            return
        try:
            future = self._thread.submit(self.store.put_many, listed)
        except RuntimeError:  # closed: the server is stopping
            log.warning("cache write skipped: the cache is closed")
            return
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    async def clear(self, handle: str | None = None) -> int:
        return await self._call(lambda: self.store.clear(handle))

    async def count(self) -> int:
        return await self._call(self.store.count)

    @property
    def pending_writes(self) -> int:
        return len(self._pending)

    async def close(self) -> None:
        """Finish every queued write, then close the file."""
        # The thread runs calls in order, so this runs after every write queued before it.
        await self._call(self.store.close)
        self._thread.shutdown(wait=True)
