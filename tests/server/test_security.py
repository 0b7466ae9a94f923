"""The security model (DESIGN.md): Host, Origin, pairing token, CORS, public bind."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from serverkit import AUTH, CHROME_ORIGIN, FIREFOX_ORIGIN, TOKEN, make_config

from profilelens.config import ConfigError, check_bind
from profilelens.web import create_app, security
from profilelens.web.access_log import AccessLogger


@pytest.fixture
async def client(aiohttp_client, tmp_path: Path):
    return await aiohttp_client(create_app(make_config(tmp_path)))


def assert_no_cors(response) -> None:
    assert not any(name.lower().startswith("access-control-") for name in response.headers)


async def error_code(response) -> str:
    assert response.content_type == "application/json"
    body = await response.json()
    assert body["error"]["message"]
    return str(body["error"]["code"])


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1", "localhost:1", "[::1]:{port}"]
)
async def test_a_host_other_than_ours_is_refused(client, host: str) -> None:
    response = await client.get("/healthz", headers={"Host": host.format(port=client.port)})
    assert response.status == 403
    assert await error_code(response) == "forbidden_host"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST"])
async def test_our_loopback_names_with_our_port_are_accepted(client, name: str) -> None:
    response = await client.get("/healthz", headers={"Host": f"{name}:{client.port}"})
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://localhost:1",
        "null",
        "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba",  # a well-formed id that is not ours
        "moz-extension://not-a-uuid",
    ],
)
async def test_an_origin_other_than_the_extension_is_refused_without_cors(client, origin: str) -> None:
    response = await client.post("/v1/analyze", data=b"{}", headers={**AUTH, "Origin": origin})
    assert response.status == 403
    assert await error_code(response) == "forbidden_origin"
    assert_no_cors(response)


@pytest.mark.parametrize("origin", [CHROME_ORIGIN, FIREFOX_ORIGIN])
async def test_the_extension_gets_cors_for_its_own_origin_never_star(client, origin: str) -> None:
    response = await client.get("/v1/model", headers={**AUTH, "Origin": origin})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in response.headers.getall("Vary")


async def test_firefox_origins_can_be_turned_off(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path, allow_firefox=False)))
    response = await client.get("/v1/model", headers={**AUTH, "Origin": FIREFOX_ORIGIN})
    assert response.status == 403


async def test_our_own_pages_may_call_us_without_cors_headers(client) -> None:
    response = await client.get("/v1/model", headers={**AUTH, "Origin": f"http://127.0.0.1:{client.port}"})
    assert response.status == 200
    assert_no_cors(response)


async def test_preflight_for_the_extension_allows_private_network(client) -> None:
    response = await client.options(
        "/v1/analyze",
        headers={
            "Origin": CHROME_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN
    assert response.headers["Access-Control-Allow-Private-Network"] == "true"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "*" not in response.headers.values()


async def test_preflight_from_another_origin_is_refused(client) -> None:
    response = await client.options(
        "/v1/analyze",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert response.status == 403
    assert_no_cors(response)


async def test_preflight_on_an_unknown_path_is_a_404(client) -> None:
    response = await client.options(
        "/v1/nothing", headers={"Origin": CHROME_ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert response.status == 404


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
    ],
)
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/model"), ("POST", "/v1/analyze"), ("DELETE", "/v1/cache")]
)
async def test_v1_needs_the_pairing_token(client, headers: dict[str, str], method: str, path: str) -> None:
    response = await client.request(method, path, data=b"{}", headers={**headers, "Origin": CHROME_ORIGIN})
    assert response.status == 401
    assert await error_code(response) == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # The extension can read why (CORS still answered for its origin).
    assert response.headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN


async def test_the_token_is_compared_in_constant_time(client, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    assert (await client.get("/v1/model", headers={"Authorization": "Bearer nope"})).status == 401
    assert (await client.get("/v1/model", headers=AUTH)).status == 200
    assert calls == [(b"nope", TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


async def test_report_pages_accept_the_token_in_the_query(client) -> None:
    assert (await client.get("/report/someone")).status == 401
    assert (await client.get("/report/someone?token=wrong")).status == 401
    # Past the guard: whatever the page then answers (no X API token here), it is not a 401.
    assert (await client.get(f"/report/someone?token={TOKEN}")).status != 401
    assert (await client.get("/report/someone", headers=AUTH)).status != 401


async def test_health_needs_no_token(client) -> None:
    assert (await client.get("/healthz")).status == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_a_public_bind_is_refused_unless_forced(tmp_path: Path, host: str) -> None:
    with pytest.raises(ConfigError, match="--force-public"):
        check_bind(make_config(tmp_path, host=host))
    check_bind(make_config(tmp_path, host=host, force_public=True))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_binds_are_fine(tmp_path: Path, host: str) -> None:
    check_bind(make_config(tmp_path, host=host))


def test_the_access_log_never_writes_the_token(caplog: pytest.LogCaptureFixture) -> None:
    request = make_mocked_request("GET", f"/report/someone?token={TOKEN}&tz=UTC")
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        AccessLogger(logging.getLogger("aiohttp.access"), "").log(request, web.Response(status=200), 0.01)
    assert "/report/someone" in caplog.text
    assert TOKEN not in caplog.text
