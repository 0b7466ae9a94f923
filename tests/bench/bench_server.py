"""Load on loopback: the real UserTweets capture posted to /v1/analyze, against a bare aiohttp handler.

Starts `profilelens serve` and a bare aiohttp server (reads the body, answers {}) as separate processes,
then posts the same 890 KB capture at 1, 16 and 64 concurrent clients: req/s, p50/p99 latency, errors.
Our server is measured twice: the same body again (served from the cache, as when the extension shows a
profile again) and a different body each time (a fresh analysis every request). While it is loaded, a
probe asks /healthz to show the event loop stays free. Prints figures; asserts nothing about time.
Bounded: at most REQUESTS requests and SECONDS seconds per run.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
CAPTURE = ROOT.parent / "shared" / "data" / "x-graphql" / "raw_user_tweets.json"
FALLBACK = ROOT / "tests" / "fixtures" / "sources" / "graphql_user_tweets_2026.json"
LEVELS = (1, 16, 64)
REQUESTS = 400
SECONDS = 20.0
TOKEN = "bench-pairing-token"

BARE_SERVER = """
import sys
from aiohttp import web

async def handler(request):
    await request.read()
    return web.json_response({})

app = web.Application(client_max_size=16 * 1024 * 1024)
app.router.add_post("/v1/analyze", handler)
app.router.add_get("/healthz", lambda request: web.json_response({"status": "ok"}))
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""
OUR_SERVER = "import sys; from profilelens.cli import main; sys.exit(main(sys.argv[1:]))"


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    health: list[float] = field(default_factory=list)

    def line(self, name: str, clients: int) -> str:
        done = len(self.latencies)
        rate = done / self.seconds if self.seconds else 0.0
        health = f"{percentile(self.health, 0.5) * 1000:8.1f}" if self.health else f"{'-':>8}"
        return (
            f"{name:22} {clients:7d} {done:6d} {self.errors:6d} {rate:8.1f} "
            f"{self.p(0.5) * 1000:8.1f} {self.p(0.99) * 1000:8.1f} {health}"
        )

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def start_our_server(
    scratch: Path, output: IO[bytes], settings: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """`profilelens serve` in a subprocess, its config and cache in `scratch` (paired with TOKEN, no X API
    token), with `settings` added to its environment; the process and its port."""
    env = {
        **os.environ,
        "PROFILELENS_CONFIG_DIR": f"{scratch}/config",
        "PROFILELENS_CACHE_PATH": f"{scratch}/cache.sqlite3",
        **(settings or {}),
    }
    env.pop("PROFILELENS_X_BEARER_TOKEN", None)
    (scratch / "config").mkdir(parents=True)
    (scratch / "config" / "token").write_text(TOKEN + "\n")
    (scratch / "config" / "token").chmod(0o600)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", OUR_SERVER, "serve", "--port", str(port)],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    return process, port


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """SIGTERM each, then SIGKILL what has not exited within 20 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                async with session.get(base + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            await asyncio.sleep(0.1)


async def probe_health(session: aiohttp.ClientSession, base: str, into: list[float], *, every: float) -> None:
    """Ask /healthz every `every` s until cancelled, adding each answer's latency (s) to `into`: how long
    the server's event loop keeps a request waiting."""
    while True:
        started = time.perf_counter()
        async with session.get(base + "/healthz") as response:
            await response.read()
        into.append(time.perf_counter() - started)
        await asyncio.sleep(every)


async def load(base: str, clients: int, body_for: Callable[[int], bytes], *, probe: bool) -> Run:
    run = Run()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    counter = iter(range(REQUESTS))
    stop = time.monotonic() + SECONDS
    connector = aiohttp.TCPConnector(limit=clients + 1)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client() -> None:
            for number in counter:
                if time.monotonic() > stop:
                    return
                data = body_for(number)
                started = time.perf_counter()
                try:
                    async with session.post(base + "/v1/analyze", data=data, headers=headers) as response:
                        await response.read()
                        ok = response.status == 200
                except aiohttp.ClientError:
                    ok = False
                if ok:
                    run.latencies.append(time.perf_counter() - started)
                else:
                    run.errors += 1

        prober = asyncio.create_task(probe_health(session, base, run.health, every=0.05)) if probe else None
        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        run.seconds = time.perf_counter() - started
        if prober:
            prober.cancel()
            await asyncio.gather(prober, return_exceptions=True)
    return run


async def measure(body: bytes, ours: str, bare: str, our_pid: int, bare_pid: int) -> None:
    same: Callable[[int], bytes] = lambda number: body  # noqa: E731
    # A fresh analysis each time, across runs too: trailing spaces keep the JSON, change the digest.
    unique = itertools.count(1)
    fresh: Callable[[int], bytes] = lambda number: body + b" " * next(unique)  # noqa: E731
    columns = ("clients", "ok", "errors", "req/s", "p50 ms", "p99 ms", "health")
    print(f"{'server':22} " + " ".join(f"{name:>{8 if len(name) > 5 else 6}}" for name in columns))
    results: dict[tuple[str, int], Run] = {}
    for clients in LEVELS:
        await load(bare, clients, same, probe=False)  # warm-up: connections, allocator
        for name, base, body_for, probe in (
            ("bare handler", bare, same, False),
            ("ours, cached", ours, same, True),
            ("ours, fresh analysis", ours, fresh, True),
        ):
            run = await load(base, clients, body_for, probe=probe)
            results[(name, clients)] = run
            print(run.line(name, clients), f"  (server RSS {rss_mb(our_pid)[0]:.0f} MB)", flush=True)
    print("(health: median /healthz latency in ms asked every 50 ms during the run)")
    for name in ("ours, cached", "ours, fresh analysis"):
        ratio = results[(name, 16)].p(0.99) / results[("bare handler", 16)].p(0.99)
        print(f"p99 at 16 clients, {name} / bare handler: {ratio:.2f}x (target <= 4x)")
    errors = sum(run.errors for run in results.values())
    print(f"errors in all runs: {errors} (target 0)")
    current, peak = rss_mb(our_pid)
    print(f"our server RSS after the runs: {current:.0f} MB, peak {peak:.0f} MB (target < 200 MB)")
    current, peak = rss_mb(bare_pid)
    print(f"bare handler RSS after the same load: {current:.0f} MB, peak {peak:.0f} MB (aiohttp's own share)")


async def models_state(base: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(base + "/v1/model", headers={"Authorization": f"Bearer {TOKEN}"}) as response,
    ):
        info = await response.json()
    if info.get("trained"):
        return "models loaded: " + ", ".join(model["file"] for model in info["models"])
    return "no trained models in models/ (RSS is without them)"


def main() -> int:
    path = CAPTURE if CAPTURE.exists() else FALLBACK
    if not path.exists():
        print(f"no capture to post: {CAPTURE} and {FALLBACK} are absent")
        return 0
    body = path.read_bytes()
    print(
        f"capture: {path.name}, {len(body):,} bytes; at most {REQUESTS} requests or {SECONDS:.0f} s per run"
    )
    with tempfile.TemporaryDirectory(prefix="profilelens-bench-") as scratch:
        bare_port = free_port()
        log = Path(scratch) / "servers.log"
        with log.open("wb") as output:
            ours, our_port = start_our_server(Path(scratch), output)
            bare = subprocess.Popen(
                [sys.executable, "-c", BARE_SERVER, str(bare_port)], stdout=output, stderr=subprocess.STDOUT
            )
        try:
            our_base, bare_base = f"http://127.0.0.1:{our_port}", f"http://127.0.0.1:{bare_port}"

            async def everything() -> None:
                await wait_healthy(our_base, ours)
                await wait_healthy(bare_base, bare)
                ours_mb, bare_mb = rss_mb(ours.pid)[0], rss_mb(bare.pid)[0]
                print(f"RSS at start: our server {ours_mb:.0f} MB, bare handler {bare_mb:.0f} MB")
                print(await models_state(our_base))
                await measure(body, our_base, bare_base, ours.pid, bare.pid)

            asyncio.run(everything())
        except RuntimeError as exc:
            print(f"bench failed: {exc}\n{log.read_text()[-2000:]}")
            return 1
        finally:
            stop(ours, bare)
        print(f"our server exited with {ours.returncode} after SIGTERM (0: graceful)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
