"""Who may talk to the server (DESIGN.md, security model).

The server listens on the user's machine, where any web page could send it requests. So a request must
name us as its Host (127.0.0.1:PORT or localhost:PORT: a DNS-rebinding page names its own host), come
from the extension when it has an Origin, and carry the pairing token. CORS headers go only to the
extension's origins, never `*`.
"""

from __future__ import annotations

import hmac
import re

from aiohttp import web
from aiohttp.typedefs import Handler

from profilelens.config import Config
from profilelens.web.errors import error_response
from profilelens.web.keys import CONFIG, PAIRING_TOKEN

MOZ_EXTENSION = re.compile(r"^moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CHROME_EXTENSION = re.compile(r"^chrome-extension://([a-p]{32})$")
ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type"
# Paths that need the pairing token; /report/ pages may carry it as ?token= (a link cannot set headers).
TOKEN_PREFIXES = ("/v1/",)
QUERY_TOKEN_PREFIXES = ("/report/",)


def setup_security(app: web.Application) -> None:
    app.middlewares.extend([guard_middleware, token_middleware])
    app.on_response_prepare.append(add_cors_headers)


def _port(request: web.Request) -> int | None:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return sockname[1] if isinstance(sockname, tuple) and len(sockname) >= 2 else None


def own_hosts(request: web.Request) -> set[str]:
    """The Host values that name this server: loopback names with the port the request came in on."""
    port = _port(request)
    if port is None:
        return set()
    names = {"127.0.0.1", "localhost", request.app[CONFIG].host.lower()} - {"0.0.0.0", "::", ""}
    return {f"[{name}]:{port}" if ":" in name else f"{name}:{port}" for name in names}


def is_extension_origin(origin: str, config: Config) -> bool:
    match = CHROME_EXTENSION.match(origin)
    if match:
        return match.group(1) in config.extension_ids
    return config.allow_firefox and bool(MOZ_EXTENSION.match(origin))


def _origin_allowed(request: web.Request, origin: str) -> bool:
    # Our own pages (the report page) may call us too: same host, same port.
    own = {f"http://{host}" for host in own_hosts(request)}
    return origin in own or is_extension_origin(origin, request.app[CONFIG])


@web.middleware
async def guard_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    host = request.headers.get("Host", "").lower()
    if host not in own_hosts(request):
        return error_response(403, "forbidden_host", f"Host {host!r} is not this server (127.0.0.1:PORT)")
    origin = request.headers.get("Origin")
    if origin is not None and not _origin_allowed(request, origin):
        return error_response(403, "forbidden_origin", f"Origin {origin!r} may not use this server")
    if (
        request.method == "OPTIONS"
        and origin is not None
        and "Access-Control-Request-Method" in request.headers
    ):
        if isinstance(request.match_info.http_exception, web.HTTPNotFound):
            raise request.match_info.http_exception
        return _preflight(request)
    return await handler(request)


def _preflight(request: web.Request) -> web.Response:
    headers = {
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": "600",
    }
    if request.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
        headers["Access-Control-Allow-Private-Network"] = "true"
    return web.Response(status=204, headers=headers)


@web.middleware
async def token_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    path = request.path
    if path.startswith(TOKEN_PREFIXES + QUERY_TOKEN_PREFIXES):
        expected = request.app[PAIRING_TOKEN].current().encode()
        given = _bearer(request)
        if given is None and path.startswith(QUERY_TOKEN_PREFIXES):
            given = request.query.get("token")
        if given is None:
            return error_response(
                401,
                "unauthorized",
                "missing pairing token: send `Authorization: Bearer <token>` (`profilelens token` shows it)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        # A header that is not UTF-8 arrives with surrogates: still just a wrong token.
        if not hmac.compare_digest(given.encode("utf-8", "replace"), expected):
            return error_response(
                401,
                "unauthorized",
                "wrong pairing token: `profilelens token` shows the right one",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
    return await handler(request)


def _bearer(request: web.Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """CORS for the extension's origins only: echo the origin, never `*`."""
    origin = request.headers.get("Origin")
    if origin is not None and is_extension_origin(origin, request.app[CONFIG]):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Retry-After, X-Cache"
        response.headers.add("Vary", "Origin")
