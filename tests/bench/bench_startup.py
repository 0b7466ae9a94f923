"""Start-up: how long a user waits before the first answer, each beside `python -c pass` (the floor) and
the server beside a bare aiohttp server.

`profilelens --help` (target <= 0.2 s), `analyze` of one small capture (<= 0.8 s, models included) and the
server's first /healthz answer from the moment it is started (<= 0.8 s). The best of ROUNDS runs each
(the machine is shared: the minimum is the least disturbed). Then what `analyze` imports, from
`python -X importtime`: the heaviest modules. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "sources" / "graphql_user_2026.json"
ROUNDS = 5
TOKEN = "bench-pairing-token"
CLI = "import sys; from profilelens.cli import main; sys.exit(main(sys.argv[1:]))"
BARE_SERVER = """
import sys
from aiohttp import web

app = web.Application()
app.router.add_get("/healthz", lambda request: web.json_response({"status": "ok"}))
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def best(run: Callable[[], float]) -> float:
    return min(run() for _ in range(ROUNDS))


def command(*args: str, env: dict[str, str] | None = None) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, env=env)
        return time.perf_counter() - start

    return run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def first_answer(args: list[str], env: dict[str, str]) -> Callable[[], float]:
    """Seconds from starting a server to its first /healthz answer."""

    def run() -> float:
        port = free_port()
        start = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, *args, str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"{args[-2:]} exited with {server.returncode}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                        if answer.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    time.sleep(0.005)
        finally:
            server.terminate()
            server.wait()

    return run


def heaviest_imports(args: list[str], count: int = 8) -> list[tuple[int, str]]:
    """The top-level imports of a command that took longest (cumulative microseconds)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=False
    )
    found = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 3:  # the modules profilelens imports itself, and theirs
            found.append((int(match.group(1)), match.group(3)))
    return sorted(found, reverse=True)[:count]


def main() -> int:
    floor = best(command("-c", "pass"))
    print(f"python -c pass: {floor * 1000:.0f} ms (floor); best of {ROUNDS} runs each")
    print(f"{'':44} {'seconds':>8} {'x floor':>8} {'target':>8}")

    def line(name: str, seconds: float, target: float) -> None:
        mark = "ok" if seconds <= target else "OVER"
        print(f"{name:44} {seconds:8.3f} {seconds / floor:8.0f} {target:7.1f}s {mark}")

    line("profilelens --help", best(command("-c", CLI, "--help")), 0.2)
    analyze = ["-c", CLI, "analyze", str(SMALL), "--now", "2026-11-22T10:00:00Z"]
    line(f"profilelens analyze {SMALL.name}", best(command(*analyze)), 0.8)
    with tempfile.TemporaryDirectory(prefix="profilelens-bench-") as scratch:
        config = Path(scratch) / "config"
        config.mkdir()
        (config / "token").write_text(TOKEN + "\n")
        (config / "token").chmod(0o600)
        env = {
            **os.environ,
            "PROFILELENS_CONFIG_DIR": str(config),
            "PROFILELENS_CACHE_PATH": f"{scratch}/cache.sqlite3",
        }
        env.pop("PROFILELENS_X_BEARER_TOKEN", None)
        ours = best(first_answer(["-c", CLI, "serve", "--port"], env))
        bare = best(first_answer(["-c", BARE_SERVER], env))
    line("server: first /healthz answer", ours, 0.8)
    print(f"{'  bare aiohttp: first answer':44} {bare:8.3f} {bare / floor:8.0f}   (ours {ours / bare:.1f}x)")
    print("heaviest imports of `analyze` (cumulative ms):")
    for micros, module in heaviest_imports(analyze):
        print(f"  {micros / 1000:8.0f}  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
