"""The HTTP handlers: read and check the request, call the service, answer JSON (or NDJSON)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from profilelens.analysis import time_zone
from profilelens.records import InputError
from profilelens.web.errors import ApiError
from profilelens.web.keys import CACHE, CONFIG, OPENAPI, XAPI
from profilelens.web.responses import json_response, raw_json_response
from profilelens.web.service import account_reports, analyze_body
from profilelens.xapi import HANDLE

log = logging.getLogger(__name__)

MAX_BATCH_ITEMS = 1000
VERSION = metadata.version("profilelens")


def _tz(request: web.Request) -> str | None:
    """The `?tz=` time zone, checked here so that a bad one is the caller's 400, whatever the source."""
    tz = request.query.get("tz")
    if tz is None:
        return None
    return check_tz(tz)


def check_tz(tz: str) -> str:
    try:
        time_zone(tz)
    except InputError as exc:
        raise ApiError(400, "bad_timezone", str(exc)) from exc
    return tz


async def _body(request: web.Request) -> bytes:
    limit = request.app[CONFIG].max_body
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(
            413, "too_large", f"request body too large: {request.content_length} bytes, limit {limit}"
        )
    body = await request.read()
    if not body.strip():
        raise ApiError(400, "empty_body", "the request body is empty: send a capture as JSON")
    return body


def _cache_header(hit: bool) -> dict[str, str]:
    return {"X-Cache": "hit" if hit else "miss"}


async def analyze(request: web.Request) -> web.Response:
    tz = _tz(request)
    body = await _body(request)
    result, hit = await analyze_body(request.app, body, tz)
    return raw_json_response(result, headers=_cache_header(hit))


async def account(request: web.Request) -> web.Response:
    result, hit = await account_reports(request.app, request.match_info["handle"], _tz(request))
    return raw_json_response(result, headers=_cache_header(hit))


async def batch(request: web.Request) -> web.StreamResponse:
    """Many handles or captures; one NDJSON line per item as it finishes, then a summary line."""
    items, tz = _batch_request(await _body(request))
    app = request.app
    limit = asyncio.Semaphore(app[CONFIG].batch_concurrency)

    async def one(index: int, item: str | dict[str, Any]) -> dict[str, Any]:
        line: dict[str, Any] = {"index": index, "item": item if isinstance(item, str) else "capture"}
        async with limit:
            try:
                if isinstance(item, str):
                    result, hit = await account_reports(app, item, tz)
                else:
                    result, hit = await analyze_body(app, orjson.dumps(item), tz)
            except ApiError as exc:
                return line | {
                    "ok": False,
                    "status": exc.status,
                    "error": {"code": exc.code, "message": exc.message},
                }
            except InputError as exc:
                return line | {
                    "ok": False,
                    "status": 400,
                    "error": {"code": "bad_input", "message": str(exc)},
                }
            except Exception:
                log.exception("batch item %d failed", index)
                message = "unexpected server error; the server log has the details"
                return line | {"ok": False, "status": 500, "error": {"code": "internal", "message": message}}
        return line | {"ok": True, "cached": hit, "reports": orjson.loads(result)["reports"]}

    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    tasks = [asyncio.create_task(one(index, item)) for index, item in enumerate(items)]
    errors = 0
    try:
        for finished in asyncio.as_completed(tasks):
            line = await finished
            errors += not line["ok"]
            await response.write(orjson.dumps(line) + b"\n")
        await response.write(orjson.dumps({"done": True, "items": len(items), "errors": errors}) + b"\n")
        await response.write_eof()
    except ConnectionResetError:
        log.info(
            "batch client went away after %d of %d items", sum(task.done() for task in tasks), len(tasks)
        )
    finally:
        for task in tasks:  # stop the work nobody will read
            task.cancel()
    return response


def _batch_request(body: bytes) -> tuple[list[str | dict[str, Any]], str | None]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "bad_json", f"the body is not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ApiError(422, "invalid_request", 'expected {"items": [handle or capture, ...], "tz": optional}')
    items = data["items"]
    if not 1 <= len(items) <= MAX_BATCH_ITEMS:
        raise ApiError(422, "invalid_request", f"items: between 1 and {MAX_BATCH_ITEMS}, got {len(items)}")
    for index, item in enumerate(items):
        if not isinstance(item, str | dict):
            kind = type(item).__name__
            raise ApiError(
                422, "invalid_request", f"items[{index}]: a handle or a capture object, not {kind}"
            )
    tz = data.get("tz")
    if tz is not None and not isinstance(tz, str):
        raise ApiError(422, "invalid_request", "tz: an IANA time zone name like Europe/Paris")
    return items, (check_tz(tz) if tz is not None else None)


async def clear_cache(request: web.Request) -> web.Response:
    handle = request.match_info.get("handle")
    if handle is not None and not HANDLE.match(handle):
        raise ApiError(400, "bad_handle", f"{handle!r} is not an X handle (1-15 letters, digits or _)")
    cleared = await request.app[CACHE].clear(handle)
    return json_response({"cleared": cleared, "handle": handle.lstrip("@") if handle else None})


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "ok", "version": VERSION})


async def model(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    info = await asyncio.to_thread(describe_models, config.models_dir)
    info["x_api"] = request.app.get(XAPI) is not None
    return json_response(info)


def describe_models(models_dir: Path) -> dict[str, Any]:
    """What models/ holds: the trained files, their metrics and model cards, or that none are trained."""
    files = sorted(models_dir.glob("*.skops")) if models_dir.is_dir() else []
    models = []
    for path in files:
        stat = path.stat()
        models.append(
            {
                "file": path.name,
                "bytes": stat.st_size,
                "modified": datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        )
    metrics: object = None
    metrics_path = models_dir / "metrics.json"
    if metrics_path.is_file():
        try:
            metrics = orjson.loads(metrics_path.read_bytes())
        except orjson.JSONDecodeError as exc:
            metrics = {"error": f"metrics.json is not JSON: {exc}"}
    cards = []
    for path in sorted(models_dir.glob("*.md")) if models_dir.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        title = next(
            (line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), path.stem
        )
        cards.append({"file": path.name, "title": title})
    trained = bool(models)
    made_by = metrics if isinstance(metrics, dict) else {}
    return {
        "trained": trained,
        "models": models,
        # What made the models (`make train` records them in metrics.json): library versions, code hash.
        "versions": made_by.get("versions"),
        "code_sha256": made_by.get("code_sha256"),
        "metrics": metrics,
        "cards": cards,
        "message": None if trained else "no models are trained yet: run `make train`",
    }


async def openapi(request: web.Request) -> web.Response:
    return raw_json_response(request.app[OPENAPI])


def load_openapi() -> bytes:
    return resources.files("profilelens.web").joinpath("openapi.json").read_bytes()
