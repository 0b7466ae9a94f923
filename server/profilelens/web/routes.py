"""Every route of the server, in one list. Handlers live in their own modules."""

from __future__ import annotations

from aiohttp import web

from profilelens.web import handlers, report_pages


def setup_routes(app: web.Application) -> None:
    app.add_routes(
        [
            web.get("/healthz", handlers.healthz),
            web.get("/openapi.json", handlers.openapi),
            web.post("/v1/analyze", handlers.analyze),
            web.get("/v1/accounts/{handle}", handlers.account),
            web.post("/v1/batch", handlers.batch),
            web.get("/v1/model", handlers.model),
            web.delete("/v1/cache", handlers.clear_cache),
            web.delete("/v1/cache/{handle}", handlers.clear_cache),
            # The report pages, HTML for people; security.py guards /report/ (token also as ?token=).
            web.get("/report/{handle}", report_pages.report_for_handle),
            web.post("/report/capture", report_pages.report_for_capture),
            web.post("/report/batch", report_pages.report_for_batch),
        ]
    )
