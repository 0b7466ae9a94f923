"""The OpenAPI document is true: it lists every route, and fuzzing it never gets a 500."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from serverkit import AUTH, make_config

from profilelens.web import create_app
from profilelens.web.handlers import load_openapi

DOCUMENT = orjson.loads(load_openapi())
# HTML pages for people, documented in server/API.md rather than here.
NOT_IN_THE_API = ("/report/",)


async def test_served_document_lists_exactly_the_routes(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    served = await (await client.get("/openapi.json")).json()
    assert served == DOCUMENT
    routes = {
        (route.method.lower(), route.resource.canonical)
        for route in client.server.app.router.routes()
        if route.method != "HEAD" and route.resource is not None
        if not route.resource.canonical.startswith(NOT_IN_THE_API)
    }
    documented = {(method, path) for path, item in DOCUMENT["paths"].items() for method in item}
    assert routes == documented


@pytest.mark.parametrize(
    ("path", "method"),
    [(path, method.upper()) for path, item in DOCUMENT["paths"].items() for method in item],
)
async def test_fuzzing_an_operation_never_gets_a_500(
    aiohttp_client, tmp_path: Path, path: str, method: str
) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    base = str(client.make_url("")).rstrip("/")
    operation = schemathesis.openapi.from_dict(DOCUMENT)[path][method]
    headers = {**AUTH, "Host": f"127.0.0.1:{client.port}"}
    documented = DOCUMENT["paths"][path][method.lower()]["responses"]
    seen: list[int] = []

    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def fuzz(case: schemathesis.Case) -> None:
        response = case.call(base_url=base, headers=headers, timeout=30)
        seen.append(response.status_code)
        where = f"{case.method} {case.formatted_path}: {response.text[:500]}"
        assert response.status_code != 500, where
        assert str(response.status_code) in documented, f"undocumented status {response.status_code}: {where}"

    # The calls block (requests): make them from a thread while the loop serves the app.
    await asyncio.to_thread(fuzz)
    assert seen, "no example was generated"
