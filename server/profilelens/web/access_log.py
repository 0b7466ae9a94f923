"""The access log, without query strings: report links carry the pairing token as ?token=."""

from __future__ import annotations

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger


class AccessLogger(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %d %d %.1fms',
            request.remote,
            request.method,
            request.path,  # never request.path_qs
            response.status,
            response.body_length,
            time * 1000,
        )
