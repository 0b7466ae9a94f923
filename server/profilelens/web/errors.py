"""Errors as JSON: `{"error": {"code": "...", "message": "..."}}`, whatever went wrong and where.

Handlers raise `ApiError`; aiohttp's own HTTP errors (404, 405, 413) and anything unexpected are turned
into the same shape by `error_middleware`, the outermost middleware.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler

from profilelens.errors import ApiError
from profilelens.records import InputError
from profilelens.web.responses import json_response

__all__ = ["ApiError", "error_middleware", "error_response"]

log = logging.getLogger(__name__)

# aiohttp's status -> our code, for errors aiohttp raises itself.
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def error_response(
    status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
) -> web.Response:
    return json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, headers=exc.headers)
    except InputError as exc:
        return error_response(400, "bad_input", str(exc))
    except ConnectionResetError:
        # The client left before its body arrived: nobody to answer, nothing went wrong here.
        log.info("%s %s: the client closed the connection mid-request", request.method, request.path)
        return error_response(400, "connection_lost", "the connection closed before the body arrived")
    except web.HTTPException as exc:
        if exc.status < 400:  # redirects and the like pass through untouched
            raise
        headers = {name: value for name, value in exc.headers.items() if name.lower() == "allow"}
        message = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
        if exc.status == 404:
            message = f"nothing at {request.path}: /openapi.json lists what is"
        elif exc.status == 405:
            message = (
                f"{request.method} is not allowed on {request.path} (allowed: {headers.get('Allow', 'none')})"
            )
        elif exc.status == 413:
            message = f"request body too large: {message}"
        return error_response(exc.status, _HTTP_CODES.get(exc.status, "http_error"), message, headers=headers)
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal", "unexpected server error; the server log has the details")
