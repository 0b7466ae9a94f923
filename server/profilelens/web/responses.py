"""JSON responses encoded with orjson."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from aiohttp import web

JSON = "application/json"


def json_response(
    data: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    return raw_json_response(orjson.dumps(data), status=status, headers=headers)


def raw_json_response(
    body: bytes, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A response whose body is already JSON (a cached report, say)."""
    return web.Response(body=body, status=status, content_type=JSON, headers=headers)
