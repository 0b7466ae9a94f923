"""Helpers for the server tests: a configuration in a temporary place, the real capture, headers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestServer

from conftest import FIXTURES, SHARED_DATA, shared_data
from profilelens.config import Config
from profilelens.web import SERVER_OPTIONS, create_app

TOKEN = "test-pairing-token-0123456789"
CHROME_ID = "abcdefghijklmnopabcdefghijklmnop"
CHROME_ORIGIN = f"chrome-extension://{CHROME_ID}"
FIREFOX_ORIGIN = "moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_config(tmp_path: Path, **changes: Any) -> Config:
    config = Config(
        token=TOKEN,
        config_dir=tmp_path / "config",
        cache_path=tmp_path / "cache" / "cache.sqlite3",
        extension_ids=frozenset({CHROME_ID}),
    )
    return replace(config, **changes)


async def started_server(config: Config) -> TestServer:
    """The app on a real local port, run the way `profilelens serve` runs it (its server options)."""
    server = TestServer(create_app(config))
    await server.start_server(**SERVER_OPTIONS)  # TestServer() itself would ignore them
    return server


async def served(aiohttp_client: Any, config: Config) -> Any:
    """A test client of the app run the way `profilelens serve` runs it."""
    return await aiohttp_client(await started_server(config))


def user_tweets_capture() -> Path:
    """The real 890 KB UserTweets capture; without ../shared, the project's own fixture of that shape."""
    real = SHARED_DATA / "x-graphql" / "raw_user_tweets.json"
    if real.exists():
        return real
    fixtures = sorted((FIXTURES / "sources").glob("*user_tweets*.json"))
    if fixtures:
        return fixtures[0]
    return shared_data("x-graphql/raw_user_tweets.json")  # skips, saying why
