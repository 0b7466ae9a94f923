"""The report pages, HTML for people: `GET /report/{handle}`, `POST /report/capture`, `POST /report/batch`.

They take the same paths as the JSON API (service.py, through the cache) and render the report with
profilelens.reportpage off the event loop. A failure is a page that says what went wrong and what to do,
with the status the JSON API would give.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from aiohttp import web

from profilelens import collector
from profilelens.records import InputError
from profilelens.reportpage import render_notice, render_report, render_table
from profilelens.reportpage.page import report_csp, table_csp
from profilelens.reportpage.table import FIELDS, Row, csv_cells, failure_row, report_row
from profilelens.web.errors import ApiError
from profilelens.web.keys import ANALYSIS_POOL
from profilelens.web.requests import query_tz, read_batch, read_body
from profilelens.web.service import account_reports, analyze_body, batch_results
from profilelens.xapi import TOKEN_VARIABLE

# The page's own meta tag says the same; the header adds what a meta tag cannot (frame-ancestors).
CSP = f"{report_csp()}; frame-ancestors 'none'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the URL may carry ?token=
    "Cache-Control": "no-store",
}

NO_TOKEN_HINTS = (
    f"With an X API bearer token: set {TOKEN_VARIABLE} in the environment of `profilelens serve` and "
    "restart it; this page then fetches the account's profile and recent posts.",
    "Without a token: open the profile on x.com with the ProfileLens extension and use its report link, "
    "or save the profile's captures and run `profilelens report capture.json -o report.html`.",
)


async def report_for_handle(request: web.Request) -> web.Response:
    handle = request.match_info["handle"]
    try:
        result, hit = await account_reports(request.app, handle, query_tz(request))
    except ApiError as exc:
        hints = NO_TOKEN_HINTS if exc.code == "x_api_not_configured" else ()
        retry = exc.headers.get("Retry-After", "")
        html = render_notice(
            f"No report for @{handle}",
            exc.message,
            hints,
            retry_after=int(retry) if retry.isdigit() else None,
        )
        return _html(html, exc.status, exc.headers)
    return await _page(request, orjson.loads(result)["reports"], handle, hit)


async def report_for_capture(request: web.Request) -> web.Response:
    """A capture in any input shape (or a bundle), as the JSON body or as a form's `capture` field."""
    try:
        tz = query_tz(request)
        body = await read_body(request, form_field="capture")
        result, hit = await analyze_body(request.app, body, tz)
    except ApiError as exc:
        return _notice(exc.status, "No report for this capture", exc.message)
    except InputError as exc:
        return _notice(400, "No report for this capture", str(exc))
    return await _page(request, orjson.loads(result)["reports"], request.query.get("handle"), hit)


async def report_for_batch(request: web.Request) -> web.Response:
    """The body of POST /v1/batch (`{"items": [handle or capture, ...], "tz": ...}`, or NDJSON) as one
    table: an HTML page, or CSV with `?format=csv`. Each item fails alone, listed with its reason."""
    as_csv = request.query.get("format") == "csv"
    try:
        with collector.paused():  # as POST /v1/batch: the collector never walks the decoded items
            items, tz = await read_batch(request, form_field="capture")
            done = sorted(
                [item async for finished in batch_results(request.app, items, tz) for item in finished],
                key=lambda item: item.index,
            )
    except ApiError as exc:
        return _notice(exc.status, "No table for this batch", exc.message)
    rows: list[Row] = []
    for item in done:
        name = item.item if item.item is not None else f"capture {item.index + 1}"
        handle = item.item.lstrip("@") if item.item is not None else None
        if item.error is not None:
            rows.append(failure_row(name, item.error.message, handle=handle))
        else:
            rows += [
                report_row(report, item=name) for report in orjson.loads(item.result or b"{}")["reports"]
            ]
    if as_csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(csv_cells(row) for row in rows)
        headers = {"Content-Disposition": 'attachment; filename="profilelens-vetting.csv"', **HEADERS}
        return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8", headers=headers)
    loop = asyncio.get_running_loop()
    html = await loop.run_in_executor(request.app[ANALYSIS_POOL], render_table, rows)
    return _html(html, 200, {"Content-Security-Policy": table_csp_header()})


def table_csp_header() -> str:
    return f"{table_csp()}; frame-ancestors 'none'"


def pick(reports: Iterable[Mapping[str, Any]], handle: str | None) -> Mapping[str, Any]:
    """The report of @handle when the input held several accounts, else the first."""
    listed = list(reports)
    wanted = (handle or "").lstrip("@").lower()
    for report in listed:
        account = report.get("account")
        if wanted and isinstance(account, Mapping) and str(account.get("handle") or "").lower() == wanted:
            return report
    return listed[0]


async def _page(
    request: web.Request, reports: list[dict[str, Any]], handle: str | None, hit: bool
) -> web.Response:
    loop = asyncio.get_running_loop()
    html = await loop.run_in_executor(request.app[ANALYSIS_POOL], render_report, pick(reports, handle))
    return _html(html, 200, {"X-Cache": "hit" if hit else "miss"})


def _notice(status: int, title: str, message: str) -> web.Response:
    return _html(render_notice(title, message), status, {})


def _html(html: str, status: int, headers: Mapping[str, str]) -> web.Response:
    return web.Response(
        text=html, status=status, content_type="text/html", charset="utf-8", headers={**HEADERS, **headers}
    )
