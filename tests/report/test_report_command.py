"""`profilelens report`: capture files to report pages, a vet CSV to its table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from profilelens.cli import main
from profilelens.commands.common import capture_files

NOW = "2026-11-22T10:00:00+00:00"


def fixture_of(handle: str) -> list[Path]:
    found = []
    for path in capture_files(FIXTURES / "sources"):
        if f'"{handle}"' in path.read_text(encoding="utf-8"):
            found.append(path)
    return found


def test_one_account_one_page(tmp_path: Path, capsys) -> None:
    files = fixture_of("AcmeCareers")
    assert len(files) >= 2  # its profile and its timeline: they merge into one page
    out = tmp_path / "acme.html"
    assert main(["report", *map(str, files), "-o", str(out), "--now", NOW, "--tz", "Europe/Paris"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "@AcmeCareers" in page and "Europe/Paris" in page and 'class="chart chart-heatmap"' in page
    assert capsys.readouterr().out.strip() == str(out)


def test_several_accounts_one_page_each(tmp_path: Path) -> None:
    files = capture_files(FIXTURES / "sources")
    out = tmp_path / "report.html"
    assert main(["report", *map(str, files), "-o", str(out), "--now", NOW]) == 0
    pages = sorted(p.name for p in tmp_path.glob("report-*.html"))
    assert "report-AcmeCareers.html" in pages and "report-XDevelopers.html" in pages
    assert not out.exists()


def test_a_bad_file_is_named_and_the_rest_reported(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    out = tmp_path / "out.html"
    files = fixture_of("XDevelopers")[:1]
    assert main(["report", str(broken), *map(str, files), "-o", str(out), "--now", NOW]) == 1
    assert "@XDevelopers" in out.read_text(encoding="utf-8")
    assert "broken.json: not JSON" in capsys.readouterr().err


def test_a_vet_csv_becomes_its_table(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    assert main(["vet", str(FIXTURES / "sources"), "--csv", str(rows), "--now", NOW]) == 0
    out = tmp_path / "table.html"
    assert main(["report", str(rows), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "@AcmeCareers" in page and "@XDevelopers" in page
    assert "script-src &#39;sha256-" in page  # the sorting script, allowed by its hash (attribute-escaped)


@pytest.mark.parametrize("command", ["vet", "report"])
def test_a_bad_now_is_a_usage_error(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([command, str(FIXTURES / "sources"), "--now", "yesterday"])
    assert stopped.value.code == 2
    assert "not an ISO time" in capsys.readouterr().err


@pytest.mark.parametrize(("command", "flag"), [("vet", "--csv"), ("report", "-o")])
def test_an_unwritable_output_is_said_plainly(tmp_path: Path, command: str, flag: str, capsys) -> None:
    target = tmp_path / "no such folder" / "out"
    assert main([command, str(FIXTURES / "sources"), flag, str(target), "--now", NOW]) in (1, 2)
    assert f"cannot write {target}" in capsys.readouterr().err


def test_matplotlib_says_nothing_to_the_reader(tmp_path: Path) -> None:
    """Its config folder unusable (a read-only home, say), matplotlib logs a warning about a temporary
    cache folder: meant for its developers, it must not reach someone writing a report."""
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    out = tmp_path / "page.html"
    env = {**os.environ, "MPLCONFIGDIR": str(blocked / "matplotlib")}
    answer = subprocess.run(
        [sys.executable, "-m", "profilelens", "report", *map(str, fixture_of("AcmeCareers")), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 0 and 'class="chart chart-heatmap"' in out.read_text(encoding="utf-8")
    assert answer.stderr == ""
    # The situation is real: matplotlib itself, imported there, does warn.
    bare = subprocess.run(
        [sys.executable, "-c", "import matplotlib"], env=env, capture_output=True, text=True, timeout=120
    )
    assert "Matplotlib created a temporary cache directory" in bare.stderr
