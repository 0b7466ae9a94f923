"""A body as people save it, to decoded JSON: `decode(body: bytes)`.

Besides plain UTF-8 JSON it takes what files on disk carry around it: gzip (a `.json.gz`, told by its
magic bytes, not its name), a byte-order mark (PowerShell's `Set-Content -Encoding UTF8` writes a UTF-8
one; Windows PowerShell's `>` writes UTF-16 with one), and the script prefix of X's data archive
(`window.YTD.tweets.part0 = [...]`). Anything else that is not JSON raises InputError.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import orjson

from ..records import InputError

# Inflating stops here: a gzip bomb (a few MB that inflate to GBs) must not take the machine's memory.
# The largest captures people keep are twitter-web-exporter exports with metadata, ~20 KB a post as it
# indents them (measured on the real x-graphql captures): this holds ~12,000 posts. Past it: refused.
MAX_INFLATED = 256 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# X's archive writes each data file as a script assigning the JSON: `window.YTD.<name>.part<n> = `.
_ARCHIVE_PREFIX = re.compile(rb"\s*window\.YTD\.\w+\.part\d+\s*=\s*")


def decode(body: bytes, *, max_inflated: int = MAX_INFLATED) -> Any:
    """The JSON value in a body: gzip inflated (up to `max_inflated` bytes), a BOM or the archive's
    prefix dropped. InputError, saying why, when it is not JSON."""
    if body.startswith(_GZIP_MAGIC):
        body = inflate(body, max_inflated)
    if body.startswith(_UTF8_BOM):
        body = body[len(_UTF8_BOM) :]
    elif body.startswith(_UTF16_BOMS):
        try:
            body = body.decode("utf-16").encode()
        except UnicodeError as exc:
            raise InputError(f"not JSON: broken UTF-16 text ({exc})") from exc
    prefix = _ARCHIVE_PREFIX.match(body)
    if prefix is not None:
        body = body[prefix.end() :].rstrip().removesuffix(b";")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}") from exc


def inflate(body: bytes, limit: int) -> bytes:
    """A gzip body's content, inflated no further than `limit` bytes (one more tells it is too large).
    zlib writes straight into one buffer of at most that size: no stream copies on the way."""
    parts: list[bytes] = []
    size, rest = 0, body
    try:
        while rest and size <= limit:  # a file may hold several gzip members, one after another
            member = zlib.decompressobj(wbits=31)
            parts.append(member.decompress(rest, limit + 1 - size))
            size += len(parts[-1])
            if not member.eof and size <= limit:
                raise InputError("a broken gzip file: it ends before its data does")
            rest = member.unused_data
    except zlib.error as exc:
        raise InputError(f"a broken gzip file: {exc}") from exc
    if size > limit:
        raise InputError(
            f"the gzip file inflates to more than {limit // 2**20} MB, the most ProfileLens reads: "
            "split it into smaller captures"
        )
    return b"".join(parts)
