"""The HTTP handlers: read and check the request, call the service, answer JSON (or NDJSON)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

import orjson
from aiohttp import web

from profilelens import collector
from profilelens.ratings import models as ratings_models
from profilelens.ratings.models import MODEL_FILES
from profilelens.web.errors import ApiError
from profilelens.web.keys import CACHE, CONFIG, OPENAPI, XAPI
from profilelens.web.requests import query_tz, read_batch, read_body
from profilelens.web.responses import json_response, raw_json_response
from profilelens.web.service import ItemResult, account_reports, analyze_body, batch_results
from profilelens.xapi import HANDLE

log = logging.getLogger(__name__)

VERSION = metadata.version("profilelens")


def _cache_header(hit: bool) -> dict[str, str]:
    return {"X-Cache": "hit" if hit else "miss"}


async def analyze(request: web.Request) -> web.Response:
    tz = query_tz(request)
    body = await read_body(request)
    result, hit = await analyze_body(request.app, body, tz)
    return raw_json_response(result, headers=_cache_header(hit))


async def account(request: web.Request) -> web.Response:
    result, hit = await account_reports(request.app, request.match_info["handle"], query_tz(request))
    return raw_json_response(result, headers=_cache_header(hit))


async def batch(request: web.Request) -> web.StreamResponse:
    """Many handles or captures (a JSON body, or NDJSON read as it arrives); one NDJSON line per item as
    it finishes, then a summary line. Once the lines have begun, a failure of the body itself (cut off,
    over a limit) is said by the summary: `done` false, with the status and error it would have had."""
    # The cycle collector stays off for the whole batch, not only while each of its steps runs in the pool:
    # the items of a JSON body are decoded at once, and its first run between two steps walked them all
    # (500 captures: 290,000 containers, 90 ms, 0.2 ms per account, a seventh of the analysis's CPU).
    with collector.paused():
        return await _batch(request)


async def _batch(request: web.Request) -> web.StreamResponse:
    items, tz = await read_batch(request)
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    answered = errors = 0
    failure: ApiError | None = None
    results = batch_results(request.app, items, tz)
    try:
        try:
            async for done in results:
                answered += len(done)
                errors += sum(item.error is not None for item in done)
                # The lines that finish together in one write, not one each (service.read_group says why).
                await response.write(b"".join(batch_line(item) + b"\n" for item in done))
        except ApiError as exc:
            failure = exc
        summary: dict[str, Any] = {"done": failure is None, "items": answered, "errors": errors}
        if failure is not None:
            summary |= {"status": failure.status, "error": {"code": failure.code, "message": failure.message}}
        await response.write(orjson.dumps(summary) + b"\n")
        await response.write_eof()
    except ConnectionResetError:
        log.info("batch client went away after %d items", answered)
    finally:
        await results.aclose()  # stops the work nobody will read
    return response


def batch_line(item: ItemResult) -> bytes:
    line: dict[str, Any] = {"index": item.index, "item": item.item if item.item is not None else "capture"}
    if item.error is not None:
        error = {"code": item.error.code, "message": item.error.message}
        return orjson.dumps(line | {"ok": False, "status": item.error.status, "error": error})
    return with_reports(
        orjson.dumps(line | {"ok": True, "cached": item.cached}), item.result or b'{"reports":[]}'
    )


REPORTS_PREFIX = b'{"reports":'


def with_reports(line: bytes, result: bytes) -> bytes:
    """A batch line (a JSON object) with the `reports` of a result (`{"reports": [...]}` as the service
    encodes it) spliced in as they are: decoding and encoding them again would cost as much as the
    analysis's own decoding."""
    if not result.startswith(REPORTS_PREFIX) or not line.endswith(b"}"):
        raise ValueError("not a JSON object and an encoded {reports: [...]}")
    return line[:-1] + b',"reports":' + result[len(REPORTS_PREFIX) :]


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
    """Each model the ratings need: whether it loaded (and why not), its file's size, date and digest;
    the metrics and cards beside them. `trained` only when every model loaded."""
    entries = []
    for name in MODEL_FILES:
        state = ratings_models.loaded(models_dir, name)
        entry: dict[str, Any] = {"file": name, "loaded": state.model is not None, "problem": state.reason}
        path = models_dir / name
        if path.is_file():
            stat = path.stat()
            entry.update(
                bytes=stat.st_size,
                modified=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            )
        entries.append(entry)
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
    problems = [entry["problem"] for entry in entries if entry["problem"]]
    made_by = metrics if isinstance(metrics, dict) else {}
    return {
        "trained": not problems,
        "models": entries,
        # What made the models (`make train` records them in metrics.json): library versions, code hash.
        "versions": made_by.get("versions"),
        "code_sha256": made_by.get("code_sha256"),
        "metrics": metrics,
        "cards": cards,
        "message": "; ".join(problems) or None,
    }


async def openapi(request: web.Request) -> web.Response:
    return raw_json_response(request.app[OPENAPI])


def load_openapi() -> bytes:
    """The OpenAPI document, with the time zones this machine knows as the TimeZone schema's enum (so that
    a name the schema allows is a name the server accepts)."""
    document = orjson.loads(resources.files("profilelens.web").joinpath("openapi.json").read_bytes())
    document["components"]["schemas"]["TimeZone"]["enum"] = sorted(available_timezones())
    return orjson.dumps(document)
