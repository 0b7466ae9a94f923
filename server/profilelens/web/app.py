"""The application factory: one setup call per concern, resources opened and closed in cleanup_ctx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiohttp import web

from profilelens import collector
from profilelens.config import Config, PairingToken
from profilelens.ratings import models
from profilelens.web.cache import Cache, SqliteStore
from profilelens.web.errors import error_middleware
from profilelens.web.handlers import load_openapi
from profilelens.web.keys import (
    ANALYSIS_POOL,
    CACHE,
    CONFIG,
    OPENAPI,
    PAIRING_TOKEN,
    QUERIES,
    XAPI,
    XAPI_POOL,
)
from profilelens.web.requests import documented_queries, query_middleware
from profilelens.web.routes import setup_routes
from profilelens.web.security import setup_security
from profilelens.xapi import XApi

log = logging.getLogger(__name__)

# How the HTTP server itself runs the app (`serve` and the tests pass the same). Compressed bodies are not
# inflated by the parser: inflating a small body to gigabytes would hold the event loop before any check
# (read_body refuses them instead).
SERVER_OPTIONS: dict[str, Any] = {"auto_decompress": False}


def create_app(config: Config) -> web.Application:
    # The body limit is checked again per route; this one stops aiohttp from reading more.
    app = web.Application(client_max_size=config.max_body, middlewares=[error_middleware])
    app[CONFIG] = config
    app[PAIRING_TOKEN] = PairingToken(config.token, config.token_file)
    app[OPENAPI] = load_openapi()
    app[QUERIES] = documented_queries(app[OPENAPI])
    setup_security(app)
    app.middlewares.append(query_middleware)  # after the token: a stranger learns nothing of the API
    setup_routes(app)
    # Cleanup runs in reverse: the cache closes last, after the work that may still write to it.
    app.cleanup_ctx.append(_cache)
    app.cleanup_ctx.append(_analysis_pool)
    if config.x_bearer_token:
        app.cleanup_ctx.append(_xapi)
    return app


async def _analysis_pool(app: web.Application) -> AsyncIterator[None]:
    pool = ThreadPoolExecutor(app[CONFIG].analysis_workers, thread_name_prefix="profilelens-analysis")
    app[ANALYSIS_POOL] = pool
    # The models load in the pool before any analysis (not awaited: the server answers /healthz meanwhile).
    pool.submit(_load_models, app[CONFIG].models_dir)
    yield
    pool.shutdown(wait=True, cancel_futures=True)


def _load_models(directory: Path) -> None:
    for problem in models.problems(directory):
        log.warning("a rating is off until this is fixed: %s", problem)
    collector.freeze_loaded()


async def _cache(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    cache = Cache(SqliteStore(config.cache_path, config.cache_ttl))
    app[CACHE] = cache
    yield
    await cache.close()  # waits for every queued write: a graceful shutdown loses none


async def _xapi(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    assert config.x_bearer_token is not None
    xapi = XApi(
        config.x_bearer_token, base=config.x_api_base, timeout=config.x_api_timeout, pages=config.x_api_pages
    )
    pool = ThreadPoolExecutor(4, thread_name_prefix="profilelens-x-api")
    app[XAPI] = xapi
    app[XAPI_POOL] = pool
    yield
    pool.shutdown(wait=True, cancel_futures=True)
    xapi.close()
