"""An installed ProfileLens (a wheel in a fresh environment, outside any checkout) carries its models and
rates with all of them; with the models gone, it says so and exits non-zero."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest

from conftest import ROOT, shared_data
from profilelens.config import chrome_extension_id
from profilelens.ratings.models import MODEL_FILES

RATINGS = ("follow_back", "identity", "verdict")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding the wheel built from this checkout; its dependencies are borrowed from
    the test environment (path only: none of its .pth hooks, so the checkout itself is not importable)."""
    place = tmp_path_factory.mktemp("install")
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(place),
            str(ROOT),
        ],
        cwd=place,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = place.glob("profilelens-*.whl")
    venv = place / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=place).returncode == 0
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=place)
    Path(site.stdout.strip(), "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    into = run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        cwd=place,
    )
    assert into.returncode == 0, into.stderr
    return venv


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROFILELENS_") and k != "PYTHONPATH"}
    return {**env, **extra}


def test_the_installed_package_carries_its_models_and_rates_with_all_of_them(
    installed: Path, tmp_path: Path
) -> None:
    capture = shared_data("x-graphql/raw_user_tweets.json")
    program = installed / "bin" / "profilelens"
    where = run(
        [str(installed / "bin" / "python"), "-c", "import profilelens.config as c; print(c.models_dir())"],
        tmp_path,
        clean_env(),
    )
    assert Path(where.stdout.strip()).is_relative_to(installed), "the models must come from the package"
    assert {p.name for p in Path(where.stdout.strip()).iterdir()} >= set(MODEL_FILES) | {"metrics.json"}
    answer = run([str(program), "analyze", "--json", str(capture)], tmp_path, clean_env())
    assert answer.returncode == 0, answer.stderr
    (report,) = json.loads(answer.stdout)
    for rating in RATINGS:
        assert report[rating]["available"], report[rating]["reason"]
    assert report["volume"]["available"] and report["content_mix"]["available"]


def test_without_its_models_the_command_says_which_and_exits_non_zero(
    installed: Path, tmp_path: Path
) -> None:
    capture = shared_data("x-graphql/raw_user_tweets.json")
    empty = tmp_path / "no-models"
    empty.mkdir()
    answer = run(
        [str(installed / "bin" / "profilelens"), "analyze", "--json", str(capture)],
        tmp_path,
        clean_env(PROFILELENS_MODELS_DIR=str(empty)),
    )
    assert answer.returncode == 1
    assert "verdict.skops is missing" in answer.stderr and str(empty) not in answer.stderr
    (report,) = json.loads(answer.stdout)  # what can be rated still is
    assert report["volume"]["available"] and not report["verdict"]["available"]


def test_the_installed_server_lets_in_the_extension_and_knows_its_version(
    installed: Path, tmp_path: Path
) -> None:
    """Installed with pipx or uv, no checkout beside it: the Chrome id fixed by the manifest's key is
    still allowed (the package carries the manifest), and the command says its version."""
    key = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))["key"]
    env = clean_env(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    ids = run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import profilelens.config as c; print(*sorted(c.from_env().extension_ids))",
        ],
        tmp_path,
        env,
    )
    assert ids.returncode == 0, ids.stderr
    assert chrome_extension_id(key) in ids.stdout.split()
    version = run([str(installed / "bin" / "profilelens"), "--version"], tmp_path, env)
    assert version.stdout == f"profilelens {metadata.version('profilelens')}\n"
