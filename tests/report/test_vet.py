"""`profilelens vet`: captures directories and handle files, CSV written row by row, failures listed."""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import orjson
import pytest

from audiencekit import following_of, page_items, profile_item, raw_users
from conftest import FIXTURES, shared_data
from profilelens import analysis, sources
from profilelens.cli import main
from profilelens.commands.common import capture_files
from profilelens.commands.vet import (
    Event,
    Total,
    Waiting,
    deliver,
    load_rows,
    read_handles,
    vet_captures,
    vet_handles,
)
from profilelens.reportpage.table import CSV_DECIMALS, FIELDS, NUMERIC, Row, failure_row, report_row
from profilelens.xapi import TOKEN_VARIABLE, XApi
from xlike import X_TOKEN, Account, XLike, fixture_account, serving, v2_timeline_fixture

NOW = "2026-11-22T10:00:00+00:00"
NOW_DT = datetime.fromisoformat(NOW)


def rows_of(events: Iterator[Event]) -> list[Row]:
    """The rows among vet's events (not the count announced, not the rate-limit countdown)."""
    return [event for event in events if isinstance(event, dict)]


def as_in_the_csv(row: Row) -> Row:
    """A row as the CSV keeps it: numbers rounded for people."""
    return {
        key: round(value, CSV_DECIMALS) if isinstance(value, float) else value for key, value in row.items()
    }


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_handles_file_accepts_the_ways_people_write_handles() -> None:
    text = """# shortlist for the consultant role
    @claire_conseil
    https://x.com/XDevelopers
    twitter.com/jack/status/20   # a post link names its author
    XDevelopers
    x.com/Some_One?lang=fr

    """
    assert read_handles(text) == ["claire_conseil", "XDevelopers", "jack", "Some_One"]


def test_a_directory_of_the_projects_fixtures_merges_accounts_and_lists_failures(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    shutil.copytree(FIXTURES / "sources", captures)
    (captures / "broken.json").write_text('{"data": {"user": ', encoding="utf-8")
    (captures / "nested").mkdir()
    (captures / "nested" / "empty.json").write_text("[]", encoding="utf-8")
    (captures / "notes.txt").write_text("not a capture, not read", encoding="utf-8")
    out, html = tmp_path / "out.csv", tmp_path / "out.html"

    code = main(["vet", str(captures), "--csv", str(out), "--html", str(html), "--now", NOW])

    assert code == 1  # some inputs failed; the others are delivered
    # What each fixture file is about, read file by file.
    files_of: dict[str, set[str]] = {}
    for path in capture_files(FIXTURES / "sources"):
        for capture in sources.parse(json.loads(path.read_bytes())):
            assert capture.account and capture.account.handle
            files_of.setdefault(capture.account.handle, set()).add(path.name)
    rows = read_csv(out)
    done = {r["handle"]: r for r in rows if not r["error"]}
    assert set(done) == set(files_of)  # one row per account
    merged = [handle for handle, names in files_of.items() if len(names) > 1]
    assert merged  # the fixtures hold several captures of one account (profile + timeline)
    for handle in merged:
        assert {Path(item).name for item in done[handle]["item"].split("; ")} == files_of[handle]
    failed = {Path(r["item"]).name: r["error"] for r in rows if r["error"]}
    assert set(failed) == {"broken.json", "empty.json"}
    assert failed["broken.json"].startswith("not JSON")
    assert failed["empty.json"] == "no account in this file"
    page = html.read_text(encoding="utf-8")
    assert all(f"@{handle}" in page for handle in files_of)
    assert "broken.json" in page and "no account in this file" in page


def test_json_lines_hold_the_rows_of_the_csv_unrounded_and_progress_knows_the_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    captures = tmp_path / "captures"
    shutil.copytree(FIXTURES / "sources", captures)
    (captures / "empty.json").write_text("[]", encoding="utf-8")
    out, lines = tmp_path / "out.csv", tmp_path / "out.ndjson"

    code = main(["vet", str(captures), "--csv", str(out), "--json", str(lines), "--now", NOW])

    assert code == 1  # empty.json
    written = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    expected = rows_of(vet_captures(capture_files(captures), now=NOW_DT, tz=None))
    assert written == expected and all(list(row) == list(FIELDS) for row in written)
    assert load_rows(out) == [as_in_the_csv(row) for row in written]  # the same rows, in the same order
    err = capsys.readouterr().err
    assert f"{len(written)}/{len(written)}" in err and "/?" not in err


def test_the_count_of_rows_comes_before_the_rows(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    shutil.copytree(FIXTURES / "sources", captures)
    (captures / "broken.json").write_text("{", encoding="utf-8")
    first, *rest = vet_captures(capture_files(captures), now=NOW_DT, tz="UTC")
    assert first == Total(len(rest)) and all(isinstance(row, dict) for row in rest)


def test_rows_equal_the_analysis_of_the_same_captures() -> None:
    files = capture_files(FIXTURES / "sources")
    rows = {r["handle"]: r for r in rows_of(vet_captures(files, now=NOW_DT, tz="Europe/Paris"))}
    fixture = v2_timeline_fixture()
    (report,) = analysis.analyze(
        sources.parse(json.loads(fixture.read_bytes())), now=NOW_DT, tz="Europe/Paris"
    )
    expected = report_row(report, item=str(fixture))
    assert rows["XDevelopers"] == expected
    assert expected["followers"] == 695695  # the fixture's public_metrics.followers_count


def test_the_real_captures_directory(tmp_path: Path) -> None:
    directory = shared_data("x-graphql")
    out = tmp_path / "out.csv"
    code = main(["vet", str(directory), "--csv", str(out), "--now", NOW])
    assert code == 1
    rows = read_csv(out)
    done = [r for r in rows if not r["error"]]
    # One row per account, however many files (both schemas, followers lists) mention it.
    accounts: set[str | None] = set()
    for path in capture_files(directory):
        try:
            found = sources.parse(json.loads(path.read_bytes()))
        except Exception:
            continue
        accounts |= {c.account.id or c.account.handle for c in found if c.account}
    assert len(done) == len(accounts) > 100
    assert len({r["handle"] for r in done}) == len(done)
    failed = {Path(r["item"]).name: r["error"] for r in rows if r["error"]}
    assert "__meta.json" in failed and "not a known input shape" in failed["__meta.json"]
    assert "raw_search.json" in failed and "not a profile" in failed["raw_search.json"]


def test_the_real_profile_and_timelines_of_one_account_merge(tmp_path: Path) -> None:
    directory = shared_data("x-graphql")
    captures = tmp_path / "captures"
    captures.mkdir()
    names = ("raw_user_by_login.json", "raw_user_tweets.json", "raw_user_tweets_and_replies.json")
    for name in names:  # links, not copies: the real data stays beside the project
        (captures / name).symlink_to(directory / name)
    rows = rows_of(vet_captures(capture_files(captures), now=NOW_DT, tz="UTC"))
    assert len(rows) == 1 and rows[0]["error"] is None
    (row,) = rows
    raw = json.loads((directory / "raw_user_by_login.json").read_bytes())["data"]["user"]["result"]
    assert row["handle"] == raw["core"]["screen_name"] == "XDevelopers"
    assert row["followers"] == raw["relationship_counts"]["followers"]
    assert all(name in str(row["item"]) for name in names)
    timeline_ids = set()
    for name in names[1:]:
        timeline_ids |= {
            p.id for c in sources.parse(json.loads((directory / name).read_bytes())) for p in c.posts
        }
    assert row["posts_seen"] == len(timeline_ids)


def test_csv_round_trips(tmp_path: Path) -> None:
    rows = rows_of(vet_captures(capture_files(FIXTURES / "sources"), now=NOW_DT, tz="UTC"))
    hostile = dict(rows[0])
    hostile.update(handle="evil", name='=HYPERLINK("http://evil.example","click"), "quoted"\nnew line')
    rows += [hostile, failure_row("missing.json", "cannot read the file: No such file or directory")]
    out = tmp_path / "rows.csv"
    deliver(iter(rows), total=len(rows), csv_path=str(out), html_path=None, console=quiet_console())
    assert load_rows(out) == [as_in_the_csv(row) for row in rows]
    # Numbers are written for people: 0.3333, not 0.3333333333333333.
    numbers = [row[key] for row in read_csv(out) for key in NUMERIC if row[key]]
    assert all(len(number.partition(".")[2]) <= CSV_DECIMALS for number in numbers)
    longer = [value for row in rows for value in row.values() if isinstance(value, float)]
    assert any(len(repr(value).partition(".")[2]) > CSV_DECIMALS for value in longer)  # some were rounded
    # A spreadsheet never sees a formula: the cell starts with an apostrophe in the file.
    raw = next(r for r in read_csv(out) if r["handle"] == "evil")
    assert raw["name"].startswith("'=HYPERLINK")
    assert list(read_csv(out)[0]) == list(FIELDS)


def test_finished_rows_survive_an_interruption(tmp_path: Path) -> None:
    first = failure_row("a", "reason a", handle="a")
    second = failure_row("b", "reason b", handle="b")

    def events() -> Iterator[Row | Waiting]:
        yield first
        yield second
        raise KeyboardInterrupt

    out, html = tmp_path / "rows.csv", tmp_path / "rows.html"
    with pytest.raises(KeyboardInterrupt):
        deliver(events(), total=5, csv_path=str(out), html_path=str(html), console=quiet_console())
    assert load_rows(out) == [first, second]
    assert "reason a" in html.read_text(encoding="utf-8") and "reason b" in html.read_text(encoding="utf-8")


def test_handles_without_a_token_say_how(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv(TOKEN_VARIABLE, raising=False)
    handles = tmp_path / "handles.txt"
    handles.write_text("XDevelopers\n", encoding="utf-8")
    assert main(["vet", str(handles)]) == 2
    assert TOKEN_VARIABLE in capsys.readouterr().err


def test_rate_limit_waits_for_the_reset_then_resumes_and_failures_do_not_stop_the_rest() -> None:
    x = XLike(accounts={"xdevelopers": fixture_account()}, rate_limited={"xdevelopers": 1}, reset_after=2)
    with serving(x):
        xapi = XApi(X_TOKEN, base=x.base, timeout=5)
        started = time.monotonic()
        events = list(
            vet_handles(["nobody_here", "XDevelopers", "bad handle!"], xapi.fetch, now=NOW_DT, tz="UTC")
        )
        elapsed = time.monotonic() - started
        xapi.close()
    rows = [e for e in events if not isinstance(e, Waiting)]
    waits = [e for e in events if isinstance(e, Waiting)]
    assert [r["handle"] for r in rows] == ["nobody_here", "XDevelopers", None]
    assert "X has no account @nobody_here" in str(rows[0]["error"])
    assert rows[1]["error"] is None and rows[1]["followers"] == 695695 and rows[1]["posts_seen"] == 3
    assert "not an X handle" in str(rows[2]["error"])
    # A countdown, second by second, down to the reset; the retry came after X's reset time.
    assert waits and all(w.handle == "XDevelopers" for w in waits)
    seconds = [w.seconds for w in waits]
    assert seconds == sorted(seconds, reverse=True) and seconds[0] >= 1.5 and len(waits) >= 2
    lookups = [(t, status) for t, path, status in x.requests if path.endswith("/XDevelopers")]
    assert [status for _, status in lookups] == [429, 200]
    assert lookups[1][0] - lookups[0][0] >= 1.5
    assert elapsed >= 1.5


def test_the_command_vets_handles_through_the_x_api(tmp_path: Path, monkeypatch, capsys) -> None:
    twitter = Account(
        user={"id": "783214", "name": "Twitter", "username": "Twitter"},
        tweets={"data": [], "meta": {"result_count": 0}},
    )
    x = XLike(accounts={"xdevelopers": fixture_account(), "twitter": twitter}, rate_limited={"twitter": 1},
              reset_after=1)  # fmt: skip
    handles = tmp_path / "handles.txt"
    handles.write_text("@XDevelopers\nTwitter\nghost_account\n", encoding="utf-8")
    out, html = tmp_path / "out.csv", tmp_path / "out.html"
    with serving(x):
        monkeypatch.setenv(TOKEN_VARIABLE, X_TOKEN)
        monkeypatch.setenv("PROFILELENS_X_API_BASE", x.base)
        code = main(["vet", str(handles), "--csv", str(out), "--html", str(html), "--now", NOW])
    assert code == 1
    rows = {r["handle"]: r for r in read_csv(out)}
    assert set(rows) == {"XDevelopers", "Twitter", "ghost_account"}
    assert rows["XDevelopers"]["error"] == "" and rows["XDevelopers"]["followers"] == "695695"
    assert rows["Twitter"]["error"] == ""  # delivered after the rate limit
    assert "X has no account @ghost_account" in rows["ghost_account"]["error"]
    err = capsys.readouterr().err
    assert "X API rate limit reached at @Twitter: waiting" in err
    assert "2 account(s) vetted, 1 failed" in err
    assert "ghost_account" in html.read_text(encoding="utf-8")


def quiet_console():  # type: ignore[no-untyped-def]
    from io import StringIO

    from rich.console import Console

    return Console(file=StringIO())


def test_an_interrupted_run_resumes_without_asking_x_again(tmp_path: Path, monkeypatch, capsys) -> None:
    twitter = Account(
        user={"id": "783214", "name": "Twitter", "username": "Twitter"},
        tweets={"data": [], "meta": {"result_count": 0}},
    )
    x = XLike(accounts={"xdevelopers": fixture_account(), "twitter": twitter})
    handles = tmp_path / "handles.txt"
    handles.write_text("XDevelopers\nghost_account\nTwitter\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    with serving(x):
        monkeypatch.setenv(TOKEN_VARIABLE, X_TOKEN)
        monkeypatch.setenv("PROFILELENS_X_API_BASE", x.base)
        # The first run stopped after XDevelopers and a failed ghost_account: that CSV is what it left.
        first = [r for r in vet_handles(["XDevelopers", "ghost_account"], XApi(X_TOKEN, base=x.base).fetch,
                                        now=NOW_DT, tz="UTC") if not isinstance(r, Waiting)]  # fmt: skip
        deliver(iter(first), total=2, csv_path=str(out), html_path=None, console=quiet_console())
        asked_before = len(x.requests)
        code = main(["vet", str(handles), "--csv", str(out), "--resume", "--now", NOW])
    assert code == 1  # ghost_account, tried again, still fails
    rows = {r["handle"]: r for r in load_rows(out)}
    assert set(rows) == {"XDevelopers", "ghost_account", "Twitter"}
    assert rows["XDevelopers"] == as_in_the_csv(first[0])  # kept as it was written
    asked = [path for _, path, _ in x.requests[asked_before:]]
    assert not any(path.endswith("/XDevelopers") for path in asked)  # not asked again
    assert any(path.endswith("/ghost_account") for path in asked)  # its failure is tried again
    assert "resuming: 1 account(s) vetted before, 2 to go" in capsys.readouterr().err


def test_an_accounts_followers_pages_in_another_file_give_its_audience_columns(tmp_path: Path) -> None:
    (tmp_path / "profile.json").write_bytes(orjson.dumps(profile_item()))
    (tmp_path / "followers.json").write_bytes(orjson.dumps({"captures": page_items("Followers")}))
    rows = {r["handle"]: r for r in rows_of(vet_captures(capture_files(tmp_path), now=NOW_DT, tz="UTC"))}
    followers = raw_users("Followers")
    row = rows["XDevelopers"]
    mass = sum(1 for u in followers.values() if following_of(u) > 2000)
    assert row["audience_followers_seen"] == len(followers)
    assert row["mass_follower_share"] == round(mass / len(followers), 4)
    assert row["effective_audience_share"] == round(1 - mass / len(followers), 4)
    assert row["audience_tone"] in ("good", "warn", "bad")
    assert row["follow_back_seen_rate"] is None  # its following list was not seen
    listed = next(r for handle, r in rows.items() if handle != "XDevelopers")
    assert listed["audience_followers_seen"] is None and listed["audience_tone"] is None
    out = tmp_path / "rows.csv"
    deliver(iter(rows.values()), total=len(rows), csv_path=str(out), html_path=None, console=quiet_console())
    assert load_rows(out) == [as_in_the_csv(row) for row in rows.values()]
