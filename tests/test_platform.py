"""Beyond one Debian machine: time zones without a system database (Windows), the Chromium the browser
tests drive (found, not assumed), and what `make` installs for whom."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from browserkit import DEBIAN, VARIABLE, find_chromium, is_program
from conftest import ROOT, shared_data

BROWSERKIT = ROOT / "tests" / "browserkit.py"


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


def program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_the_chromium_named_in_the_environment_comes_first(tmp_path: Path) -> None:
    installed = program(tmp_path / "chromium")
    named = tmp_path / "my-chromium"
    assert find_chromium({VARIABLE: str(named)}, [installed]) == named  # as given, even if absent
    assert find_chromium({}, [tmp_path / "absent", tmp_path, installed]) == installed
    not_runnable = tmp_path / "not-a-program"
    not_runnable.write_text("")
    assert find_chromium({}, [not_runnable, installed]) == installed


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands for the browser")
def test_the_lookup_as_make_runs_it(tmp_path: Path) -> None:
    chromium = program(tmp_path / "chromium")
    found = run([sys.executable, str(BROWSERKIT)], {**os.environ, VARIABLE: str(chromium)})
    assert found.returncode == 0 and str(chromium) in found.stdout
    wrong = run([sys.executable, str(BROWSERKIT)], {**os.environ, VARIABLE: str(tmp_path / "absent")})
    assert wrong.returncode == 2
    assert f"{VARIABLE}={tmp_path / 'absent'} is not a program" in wrong.stderr
    unset = {key: value for key, value in os.environ.items() if key != VARIABLE}
    if is_program(DEBIAN):
        assert str(DEBIAN) in run([sys.executable, str(BROWSERKIT)], unset).stdout


def make(*arguments: str, **env: str) -> str:
    """The commands `make` would run (-n: none is run; -B: as if nothing were installed yet)."""
    # Under `make test` itself, the outer make's settings would leak in (and its "Entering directory").
    outer = {"PORT", "PROFILELENS_PORT", "MAKELEVEL", "MAKEFLAGS", "MFLAGS"}
    clean = {key: value for key, value in os.environ.items() if key not in outer}
    answer = run(["make", "--no-print-directory", "-n", "-B", *arguments], {**clean, **env})
    assert answer.returncode == 0, answer.stderr
    return answer.stdout


def test_setup_installs_what_runs_the_product_and_test_the_tools_too() -> None:
    setup = make("setup")
    assert "pip install --quiet -e .\n" in setup and "--group dev" not in setup
    for target in ("test", "lint", "bench"):
        assert "pip install --quiet -e . --group dev" in make(target), target
    assert "tests/browserkit.py" in make("test")


def test_make_run_leaves_the_port_to_the_environment_unless_told() -> None:
    assert make("run", PROFILELENS_PORT="9123").splitlines()[-1].rstrip().endswith("profilelens serve")
    assert make("run", "PORT=9001").splitlines()[-1].endswith("profilelens serve --port 9001")
