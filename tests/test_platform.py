"""Beyond one Debian machine: time zones without a system database (Windows)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from conftest import ROOT, shared_data


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_time_zones_come_from_tzdata_where_the_system_has_none(tmp_path: Path) -> None:
    assert any(requirement.startswith("tzdata") for requirement in metadata.requires("profilelens") or [])
    capture = shared_data("x-graphql/raw_user_tweets.json")
    # An empty PYTHONTZPATH: no system time zone database, as on Windows.
    env = {**os.environ, "PYTHONTZPATH": ""}
    probe = run([sys.executable, "-c", "import zoneinfo; print(zoneinfo.TZPATH)"], env)
    assert probe.stdout.strip() == "()"
    answer = run(
        [sys.executable, "-m", "profilelens.cli", "analyze", "--json", "--tz", "Asia/Kolkata", str(capture)],
        env,
    )
    assert answer.returncode == 0, answer.stderr
    (report,) = json.loads(answer.stdout)
    assert report["volume"]["timezone"] == "Asia/Kolkata"
    assert "Asia/Kolkata" in report["volume"]["work_hours_definition"]
