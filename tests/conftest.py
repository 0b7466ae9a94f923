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


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of its own: config and cache under tmp_path, no PROFILELENS_* setting from outside."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("PROFILELENS_CONFIG_DIR", "PROFILELENS_CACHE_PATH", "PROFILELENS_HOST", "PROFILELENS_PORT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path
