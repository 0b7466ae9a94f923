"""Every real response beside the project, posted as it is: a report or a clear 4xx, never a 500."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import orjson
import pytest
from serverkit import AUTH, make_config

from conftest import SHARED_DATA
from profilelens.web import create_app

FOLDERS = ("x-graphql", "x-graphql/legacy-schema-8ce44e4", "x-api-v1.1-python-twitter")
TWEEPY_DECODED = SHARED_DATA / "x-api-v2-v1.1-tweepy" / "decoded"


def bodies() -> list[object]:
    found: list[object] = []
    for folder in FOLDERS:
        for path in sorted((SHARED_DATA / folder).glob("*.json")):
            if not path.name.startswith("__"):
                found.append(pytest.param(path.read_bytes, id=f"{folder}/{path.name}"))
    for path in sorted(TWEEPY_DECODED.glob("*.json")):
        # Each file lists the recorded interactions; their bodies are what the API answered.
        for number, interaction in enumerate(orjson.loads(path.read_bytes())):
            body = orjson.dumps(interaction["body"])
            found.append(pytest.param(lambda body=body: body, id=f"tweepy/{path.stem}/{number}"))
    if not found:
        found.append(pytest.param(None, marks=pytest.mark.skip(reason=f"real data absent: {SHARED_DATA}")))
    return found


@pytest.mark.parametrize("read", bodies())
async def test_a_real_response_gets_a_report_or_a_clear_4xx(
    aiohttp_client, tmp_path: Path, caplog: pytest.LogCaptureFixture, read
) -> None:
    client = await aiohttp_client(create_app(make_config(tmp_path)))
    response = await client.post("/v1/analyze", data=io.BytesIO(read()), headers=AUTH)
    body = await response.json()
    assert response.status in {200, 400, 422}, body
    if response.status == 200:
        assert body["reports"]
        assert all(report["schema"] == "profilelens.report/2" for report in body["reports"])
    else:
        assert body["error"]["message"]
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
