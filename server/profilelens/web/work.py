"""The work done off the event loop: analysing a body and encoding the reports."""

from __future__ import annotations

from datetime import datetime

import orjson

from profilelens.web.cache import AccountRef


def analyze_to_json(body: bytes, now: datetime, tz: str | None) -> tuple[bytes, list[AccountRef]]:
    """`{"reports": [...]}` as JSON bytes, and the accounts the reports are about (for the cache)."""
    # Imported here, in the worker thread, so that loading the analysis and its models stays off the loop.
    from profilelens.analysis import analyze_bytes

    reports = analyze_bytes(body, now=now, tz=tz)
    accounts: list[AccountRef] = []
    for report in reports:
        account = report.get("account") or {}
        accounts.append((account.get("id"), account.get("handle")))
    return orjson.dumps({"reports": reports}), accounts
