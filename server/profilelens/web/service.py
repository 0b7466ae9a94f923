"""What the routes do, apart from HTTP: analyse a body or an account, through the cache.

Handlers (and the report page) call these; each returns the reports as JSON bytes, `{"reports": [...]}`,
and whether they came from the cache.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import orjson
from aiohttp import web

from profilelens.records import InputError
from profilelens.web.cache import fetch_key
from profilelens.web.errors import ApiError
from profilelens.web.keys import ANALYSIS_POOL, CACHE, XAPI, XAPI_POOL
from profilelens.web.work import analyze_to_json
from profilelens.xapi import TOKEN_VARIABLE, parse_handle


async def analyze_body(app: web.Application, body: bytes, tz: str | None) -> tuple[bytes, bool]:
    """The reports for a body in any input shape (or a bundle), analysed in the pool unless cached."""
    cache = app[CACHE]
    key, cached = await cache.get_analysis(body, tz)
    if cached is not None:
        return cached, True
    now = datetime.now(UTC)
    loop = asyncio.get_running_loop()
    result, accounts = await loop.run_in_executor(app[ANALYSIS_POOL], analyze_to_json, body, now, tz)
    cache.put(key, result, accounts)
    return result, False


async def account_reports(app: web.Application, handle: str, tz: str | None) -> tuple[bytes, bool]:
    """The reports for @handle fetched through the X API (the fetch is cached too)."""
    handle = parse_handle(handle)  # an XApiError is an ApiError: a bad handle is answered as is
    xapi = app.get(XAPI)
    if xapi is None:
        raise ApiError(
            501,
            "x_api_not_configured",
            f"looking up an account needs an X API bearer token: set {TOKEN_VARIABLE} in the environment "
            "of `profilelens serve` and restart it; without one, send a capture to POST /v1/analyze",
        )
    cache = app[CACHE]
    key = fetch_key(handle)
    bundle = await cache.get(key)
    if bundle is None:
        loop = asyncio.get_running_loop()
        fetched = await loop.run_in_executor(app[XAPI_POOL], xapi.fetch, handle)
        answers = [fetched.user] + ([fetched.tweets] if fetched.tweets and "data" in fetched.tweets else [])
        bundle = orjson.dumps({"captures": answers})
        cache.put(key, bundle, [(fetched.account_id, fetched.handle)])
    try:
        return await analyze_body(app, bundle, tz)
    except InputError as exc:  # the time zone was checked by the handler: X's answer is at fault
        raise ApiError(502, "x_api_changed", f"the X API answered in a shape we cannot read: {exc}") from exc
