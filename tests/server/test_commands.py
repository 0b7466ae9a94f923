"""The `serve`, `token` and `cache` commands."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serverkit import user_tweets_capture

from profilelens.cli import main
from profilelens.web.cache import SqliteStore


def test_token_shows_the_same_token_until_rotated(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token"]) == 0
    first = capsys.readouterr().out.strip()
    path = env / "config" / "profilelens" / "token"
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert main(["token"]) == 0
    assert capsys.readouterr().out.strip() == first
    assert main(["token", "--rotate"]) == 0
    assert capsys.readouterr().out.strip() not in {"", first}


def test_cache_clear_one_account_then_all(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = env / "cache" / "profilelens" / "cache.sqlite3"
    store = SqliteStore(path, ttl=3600)
    store.put("a", b"1", [("1", "Alice")])
    store.put("b", b"2", [("2", "bob")])
    store.close()
    assert main(["cache", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(path)
    assert main(["cache", "clear", "@alice"]) == 0
    assert "cleared 1 cached entry for @alice" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "cleared 1 cached entry for all accounts" in capsys.readouterr().out
    assert SqliteStore(path, ttl=3600).count() == 0
    assert main(["cache", "clear", "not a handle"]) == 2


def test_cache_clear_without_a_cache_says_so(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "clear"]) == 0
    assert "nothing to clear" in capsys.readouterr().out


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_serve_refuses_a_public_address(env: Path, capsys: pytest.CaptureFixture[str], host: str) -> None:
    assert main(["serve", "--host", host, "--port", "0"]) == 2
    assert "--force-public" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_runs_until_signalled_and_keeps_its_cache_writes(env: Path) -> None:
    port = _free_port()
    log = env / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from profilelens.cli import main; sys.exit(main(sys.argv[1:]))",
                "serve",
                "--port",
                str(port),
            ],
            env=os.environ.copy(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        token = (env / "config" / "profilelens" / "token").read_text().strip()
        request = urllib.request.Request(
            base + "/v1/analyze",
            data=user_tweets_capture().read_bytes(),
            headers={"Authorization": f"Bearer {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
        # The real server inflates nothing: a compressed body (here 64 MiB of zeros) is refused unread.
        bomb = urllib.request.Request(
            base + "/v1/analyze",
            data=gzip.compress(b"\0" * (64 * 1024 * 1024)),
            headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bomb, timeout=30)
        assert refused.value.code == 415
        refused.value.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert SqliteStore(env / "cache" / "profilelens" / "cache.sqlite3", ttl=3600).count() == 1


def serve_process(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "profilelens", "serve", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_the_banner_comes_once_the_port_is_bound(env: Path) -> None:
    port = _free_port()
    process = serve_process(port)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline().decode()
        assert banner == f"ProfileLens server on http://127.0.0.1:{port}\n"
        # Said only once listening: the port takes a connection at once, no waiting.
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        for stream in (process.stdout, process.stderr):
            assert stream is not None
            stream.close()


def test_a_taken_port_is_one_clear_line_and_no_banner(env: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = serve_process(port)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert out == b""
    problems = [line for line in err.decode().splitlines() if " INFO " not in line]  # the log may say more
    assert problems == [
        f"profilelens serve: cannot listen on 127.0.0.1:{port}: the port is taken (another server?); "
        "choose another with --port or PROFILELENS_PORT"
    ]
