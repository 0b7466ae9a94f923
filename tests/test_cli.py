"""`profilelens analyze` on real captures: one report per account, readable text and --json."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import orjson
import pytest

from conftest import shared_data
from inputkit import timeline_tweets, tweet_row, write_archive
from profilelens.cli import main
from profilelens.commands.common import NO_ACCOUNT

NOW = "2026-08-20T12:00:00+00:00"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["analyze", "--now", NOW, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_profile_and_timeline_of_one_account_give_one_report(capsys: pytest.CaptureFixture[str]) -> None:
    profile = shared_data("x-graphql/raw_user_by_login.json")
    tweets = shared_data("x-graphql/raw_user_tweets.json")
    code, out, _ = run_cli(capsys, "--json", str(profile), str(tweets))
    assert code == 0
    (report,) = orjson.loads(out)
    raw = orjson.loads(profile.read_bytes())["data"]["user"]["result"]
    assert report["account"]["handle"] == raw["core"]["screen_name"]
    assert report["account"]["followers"] == raw["relationship_counts"]["followers"]
    assert report["data"]["sources"] == ["x-graphql:UserByScreenName", "x-graphql:UserTweets"]
    assert report["volume"]["available"] and report["content_mix"]["available"]


def test_text_report_reads_like_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    profile = shared_data("x-graphql/raw_user_by_login.json")
    tweets = shared_data("x-graphql/raw_user_tweets.json")
    code, out, _ = run_cli(capsys, "--tz", "Europe/Paris", str(profile), str(tweets))
    assert code == 0
    assert out.startswith("@XDevelopers")
    for heading in (
        "Posting volume",
        "Content mix",
        "Follow",
        "Identity",
        "Verdict",
        "work hours (Mon–Fri 09:00–18:00 Europe/Paris)",
    ):
        assert heading in out


def test_a_bundles_time_zone_is_honoured_as_the_server_honours_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle.json"
    bundle.write_bytes(
        orjson.dumps(
            {
                "tz": "Europe/Paris",
                "captures": [
                    orjson.loads(shared_data(f"x-graphql/{name}").read_bytes())
                    for name in ("raw_user_by_login.json", "raw_user_tweets.json")
                ],
            }
        )
    )
    code, out, _ = run_cli(capsys, "--json", str(bundle))
    assert code == 0
    (report,) = orjson.loads(out)
    assert report["volume"]["timezone"] == "Europe/Paris"
    code, out, _ = run_cli(capsys, "--json", "--tz", "UTC", str(bundle))
    assert orjson.loads(out)[0]["volume"]["timezone"] == "UTC"


def test_stdin_is_read_with_a_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = shared_data("x-graphql/raw_user_by_login.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
    code, out, _ = run_cli(capsys, "--json", "-")
    assert code == 0 and orjson.loads(out)[0]["account"]["handle"] == "XDevelopers"


def test_a_broken_file_is_reported_and_the_others_still_analysed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"data": {"user": ')
    good = shared_data("x-graphql/raw_user_by_login.json")
    code, out, err = run_cli(capsys, "--json", str(broken), str(good))
    assert code == 1
    assert "broken.json: not JSON" in err
    assert orjson.loads(out)[0]["account"]["handle"] == "XDevelopers"


def test_an_unknown_shape_names_what_was_expected(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    odd = tmp_path / "odd.json"
    odd.write_bytes(b'{"hello": "world"}')
    code, out, err = run_cli(capsys, str(odd))
    assert code == 1 and out == ""
    assert "odd.json" in err and "expected" in err


def test_a_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, str(tmp_path / "nope.json"))
    assert code == 1 and "nope.json" in err and "No such file" in err


def test_a_folder_is_analysed_as_its_capture_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "captures"
    (folder / "timeline").mkdir(parents=True)
    (folder / "profile.json").write_bytes(shared_data("x-graphql/raw_user_by_login.json").read_bytes())
    (folder / "timeline" / "tweets.json.gz").write_bytes(
        gzip.compress(shared_data("x-graphql/raw_user_tweets.json").read_bytes())
    )
    (folder / "notes.txt").write_text("not a capture, not read", encoding="utf-8")
    code, out, err = run_cli(capsys, "--json", str(folder))
    assert (code, err) == (0, "")
    (report,) = orjson.loads(out)
    assert report["account"]["handle"] == "XDevelopers"
    assert report["data"]["sources"] == ["x-graphql:UserByScreenName", "x-graphql:UserTweets"]


def test_an_x_archive_folder_gives_the_accounts_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    user = write_archive(tmp_path)
    code, out, err = run_cli(capsys, "--json", str(tmp_path))
    assert (code, err) == (0, "")
    (report,) = orjson.loads(out)
    assert (report["account"]["handle"], report["account"]["bio"]) == (
        user["screen_name"],
        user["description"],
    )
    assert report["data"]["posts_seen"] == 63


def test_a_folder_without_captures_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_cli(capsys, str(tmp_path))
    assert code == 1 and out == ""
    assert "no capture file in this folder (.json, .json.gz, .har" in err


def test_a_tweets_export_counts_its_posts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    tweets = timeline_tweets(orjson.loads(shared_data("x-graphql/raw_user_tweets.json").read_bytes()))
    export = tmp_path / "twitter-UserTweets-1755680000000.json"
    export.write_bytes(
        orjson.dumps([tweet_row(t, metadata=False) for t in tweets], option=orjson.OPT_INDENT_2)
    )
    code, out, _ = run_cli(capsys, str(export))
    assert code == 0
    assert out.startswith("@XDevelopers")
    assert f"seen: {len(tweets)} posts from twitter-web-exporter" in out


def test_an_empty_list_says_why_nothing_is_analysed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[]")))
    code, out, err = run_cli(capsys, "-")
    assert (code, out) == (1, "")
    assert err == f"profilelens: -: {NO_ACCOUNT}\n"
    assert "holds no account" in NO_ACCOUNT


def test_version_from_the_package_and_as_a_python_module(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"profilelens {metadata.version('profilelens')}\n"
    module = subprocess.run(
        [sys.executable, "-m", "profilelens", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (module.returncode, module.stdout) == (0, f"profilelens {metadata.version('profilelens')}\n")


@pytest.mark.parametrize("command", ["analyze", "vet"])
def test_a_reader_that_leaves_early_is_no_traceback(command: str) -> None:
    """`profilelens analyze captures/ | head`: head stops reading; the command stops quietly."""
    folder = shared_data("x-graphql")
    process = subprocess.Popen(
        [sys.executable, "-m", "profilelens", command, str(folder), "--now", NOW],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # gone before the first line: every write meets a broken pipe
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err
