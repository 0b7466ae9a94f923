"""The OpenAPI document is true: it lists every route, and fuzzing it never gets a 500."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks
from serverkit import AUTH, make_config

from profilelens.web import create_app
from profilelens.web.handlers import load_openapi
from profilelens.web.requests import check_tz

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


# Whether a capture is read depends on its content, which no schema can state: for the operations that
# take captures, a schema-valid body (say `{}`) may rightly be refused. Every other input the schema
# allows (a time zone, a handle, a batch's form) must be accepted.
CONTENT_DEPENDENT = {("/v1/analyze", "POST"), ("/v1/batch", "POST")}
OPERATIONS = [(path, method.upper()) for path, item in DOCUMENT["paths"].items() for method in item]


@schemathesis.serializer("application/x-ndjson")
def ndjson_body(context: object, value: object) -> bytes:
    """A generated NDJSON body as it goes on the wire: the schema's string is the stream itself (raw
    bytes for its binary format), whose lines are the items."""
    data = getattr(value, "data", value)  # schemathesis wraps binary strings
    if isinstance(data, bytes):
        return data
    return data.encode() if isinstance(data, str) else orjson.dumps(data)


def takes_input(path: str, method: str) -> bool:
    operation = DOCUMENT["paths"][path][method.lower()]
    return bool(operation.get("parameters") or operation.get("requestBody"))


@pytest.mark.parametrize(
    ("path", "method", "mode"),
    [(p, m, GenerationMode.POSITIVE) for p, m in OPERATIONS]
    + [(p, m, GenerationMode.NEGATIVE) for p, m in OPERATIONS if takes_input(p, m)],
)
async def test_fuzzing_an_operation_finds_no_mismatch_with_its_schema(
    aiohttp_client, tmp_path: Path, path: str, method: str, mode: GenerationMode
) -> None:
    """Schema-valid input is accepted and schema-invalid input refused, with a documented status and a
    body of the documented shape; never a 500."""
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    base = str(client.make_url("")).rstrip("/")
    operation = schemathesis.openapi.from_dict(DOCUMENT)[path][method]
    headers = {**AUTH, "Host": f"127.0.0.1:{client.port}"}
    # 501-503 are documented answers of /v1/accounts without (or with a failing) X API; 500 is checked here.
    excluded = [checks.not_a_server_error]
    if (path, method) in CONTENT_DEPENDENT:
        excluded.append(checks.positive_data_acceptance)
    seen: list[int] = []

    @settings(max_examples=50, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: schemathesis.Case) -> None:
        response = case.call(base_url=base, headers=headers, timeout=30)
        seen.append(response.status_code)
        assert response.status_code != 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
        case.validate_response(response, excluded_checks=excluded)

    # The calls block (requests): make them from a thread while the loop serves the app.
    await asyncio.to_thread(fuzz)
    assert seen, "no example was generated"


def test_the_time_zones_the_schema_allows_are_the_ones_the_server_accepts() -> None:
    names = DOCUMENT["components"]["schemas"]["TimeZone"]["enum"]
    assert "Europe/Paris" in names and "UTC" in names
    for name in names:
        check_tz(name)  # raises ApiError for a name the server would refuse
