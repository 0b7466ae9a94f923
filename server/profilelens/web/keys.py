"""The application's state, each piece under a typed key (no globals)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from profilelens.config import Config, PairingToken
from profilelens.web.cache import Cache
from profilelens.xapi import XApi

CONFIG = web.AppKey("config", Config)
# The pairing token in force (it follows `profilelens token --rotate` without a restart).
PAIRING_TOKEN = web.AppKey("pairing_token", PairingToken)
CACHE = web.AppKey("cache", Cache)
# CPU-heavy analysis runs here, never on the event loop.
ANALYSIS_POOL = web.AppKey("analysis_pool", ThreadPoolExecutor)
# The X API client when a bearer token is configured; X API calls (blocking, tweepy) run in its own pool.
XAPI = web.AppKey("xapi", XApi)
XAPI_POOL = web.AppKey("xapi_pool", ThreadPoolExecutor)
# The OpenAPI document, read once at start-up.
OPENAPI = web.AppKey("openapi", bytes)
# Each operation's query parameters, (METHOD, path) -> names: the ones the OpenAPI document lists.
QUERIES = web.AppKey("queries", dict[tuple[str, str], frozenset[str]])
