"""Bodies as files carry them: gzip, a byte-order mark, X's archive prefix; a clear error otherwise.

The gzip body is a real one: X's answer to users/show as tweepy's test suite recorded it
(../shared/data/x-api-v2-v1.1-tweepy/cassettes/testgetuser.yaml keeps the body gzipped).
"""

from __future__ import annotations

import codecs
import gzip
import tracemalloc

import orjson
import pytest
import yaml

from conftest import shared_data
from inputkit import gzip_of_spaces
from profilelens.analysis import read_input
from profilelens.records import InputError
from profilelens.sources import decode
from profilelens.sources._body import MAX_INFLATED


def recorded_gzip_body() -> bytes:
    cassette = yaml.safe_load(shared_data("x-api-v2-v1.1-tweepy/cassettes/testgetuser.yaml").read_text())
    body = cassette["interactions"][0]["response"]["body"]["string"]
    assert isinstance(body, bytes) and body.startswith(b"\x1f\x8b")
    return body


def test_a_real_gzip_answer_is_inflated() -> None:
    body = recorded_gzip_body()
    (capture,), _ = read_input(body)
    expected = orjson.loads(gzip.decompress(body))
    assert capture.account is not None
    assert (capture.account.handle, capture.account.followers) == (
        expected["screen_name"],
        expected["followers_count"],
    )


def test_inflating_stops_at_the_bound_with_a_clear_error() -> None:
    with pytest.raises(InputError, match=f"more than {MAX_INFLATED // 2**20} MB"):
        decode(gzip_of_spaces(MAX_INFLATED + 1))
    bomb = gzip_of_spaces(200 * 2**20)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="more than 1 MB"):
            decode(bomb, max_inflated=2**20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20  # what the bound allows, not the 200 MB the bomb holds


@pytest.mark.parametrize("cut", [10, 30, -8])
def test_a_broken_gzip_file_is_a_clear_error(cut: int) -> None:
    body = recorded_gzip_body()
    with pytest.raises(InputError, match="gzip"):
        decode(body[:cut] if cut > 0 else body[:cut] + b"\x00" * 8)


def test_a_byte_order_mark_is_accepted() -> None:
    raw = shared_data("x-graphql/raw_user_by_login.json").read_bytes()
    plain = decode(raw)
    assert decode(codecs.BOM_UTF8 + raw) == plain  # PowerShell's Set-Content -Encoding UTF8
    text = raw.decode()
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == plain  # Windows PowerShell's `>`
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == plain
    assert decode(gzip.compress(codecs.BOM_UTF8 + raw)) == plain


def test_what_is_not_json_says_so() -> None:
    for body in (
        b"",
        b"<html></html>",
        codecs.BOM_UTF8 + b"{",
        b"window.YTD.tweets.part0 = [",
        b"\xff\xfe\x00\xd8",
    ):
        with pytest.raises(InputError, match="not JSON"):
            decode(body)
