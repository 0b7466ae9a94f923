"""Shared test helpers: where the real data lives, and how tests skip without it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"


def shared_data(relative: str) -> Path:
    """A path inside ../shared/data; skips the calling test, saying why, when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data not available: {path} is absent (it sits beside the project in CI)")
    return path
