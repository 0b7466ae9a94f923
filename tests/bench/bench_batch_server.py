"""POST /v1/batch on the real server, beside `vet` over the same captures, as ratios within one run.

Each item is a real capture under its own account: nine in ten a v1.1 timeline (its 20 statuses, as
bench_batch writes them), one in ten a GraphQL timeline (UserTweets, UserTweetsAndReplies, UserMedia, about
1 MB each, indented as saved but on one line) with its owner's id and handle changed, each in a bundle.
For 10, 100 and 500 items, in each form (`json`: one `{"items": [...]}` body; `ndjson`: one item a line,
streamed from a generator as the server takes them), a fresh `profilelens serve` (as bench_server starts
it) gets the batch after a one-item warm-up in the same form, then ROUNDS times more, its cache emptied
before each, and we read:
- the server's CPU per account (utime + stime of its process, all threads, from /proc), the best of the
  ROUNDS batches, against `vet`'s over the same files in this process (the best of ROUNDS runs too), and
  `vet` against a read-and-decode loop over them. Those batches are not probed: the probe's requests are
  the bench's work, not the batch's (at PROBE_EVERY, 0.2 ms of the server's CPU each, 2 % of the batch);
  `probed` is the first batch's CPU, probe included, against vet's;
- the event loop while the first batch runs: /healthz latency, asked every PROBE_EVERY s;
- the server's peak RSS during the first batch (its high-water mark reset after the warm-up) above its
  RSS before it, against the largest single item and the whole body.
Targets (issue 14): vet <= 2x read-and-decode; /v1/batch per-account CPU <= vet's; /healthz p99 < 50 ms;
peak growth <= 2x the largest item and flat in the item count. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import orjson
from bench_batch import NOW, ROUNDS, STATUSES, cpu, read_and_decode, write_accounts
from bench_server import TOKEN, percentile, probe_health, rss_mb, start_our_server, stop, wait_healthy

from profilelens.commands.vet import vet_captures
from profilelens.ratings import models

GRAPHQL = STATUSES.parents[1] / "x-graphql"
TIMELINES = ("raw_user_tweets.json", "raw_user_tweets_and_replies.json", "raw_user_media.json")
GRAPHQL_EVERY = 10  # one item in ten is a GraphQL timeline
SIZES = (10, 100, 500)
PROBE_EVERY = 0.01
MAX_BODY = 1024 * 1024 * 1024  # the default 8 MB refuses a 500-item JSON body; the bench measures, not limits
FORMS = {"json": "application/json", "ndjson": "application/x-ndjson"}


@dataclass
class BatchRun:
    seconds: float = 0.0
    first_line: float = 0.0
    ok: int = 0
    errors: int = 0
    cpu: float = 0.0  # server CPU seconds: the best of the unprobed batches
    probed_cpu: float = 0.0  # server CPU seconds of the probed batch
    rss_before: float = 0.0  # MB
    peak: float = 0.0  # MB
    reset: bool = False  # whether the peak was reset after the warm-up (else it counts since the start)
    health: list[float] = field(default_factory=list)


def graphql_timeline(path: Path, number: int) -> bytes:
    """A GraphQL timeline capture as another account's: its owner's quoted id and handle replaced by ones
    of the same length (the account the page is about, not the others it mentions)."""
    from profilelens import sources

    body = path.read_bytes()
    owner = sources.parse(orjson.loads(body))[0].account
    assert owner is not None and len(owner.id) == 10 and len(owner.handle) == 11
    new_id, new_handle = str(3 * 10**9 + number), f"gql{number:08d}"
    body = body.replace(f'"{owner.id}"'.encode(), f'"{new_id}"'.encode())
    return body.replace(f'"{owner.handle}"'.encode(), f'"{new_handle}"'.encode())


def write_items(folder: Path, count: int, statuses: list[dict[str, object]]) -> list[Path]:
    """`count` files, one account each: v1.1 timelines, every GRAPHQL_EVERY-th a GraphQL timeline."""
    files = write_accounts(folder, count, statuses)
    for number in range(GRAPHQL_EVERY - 1, count, GRAPHQL_EVERY):
        timeline = GRAPHQL / TIMELINES[number // GRAPHQL_EVERY % len(TIMELINES)]
        files[number].write_bytes(graphql_timeline(timeline, number).replace(b"\n", b""))  # one line
    return files


def item(path: Path) -> bytes:
    return b'{"captures":[' + path.read_bytes() + b"]}"


def batch_body(files: list[Path]) -> bytes:
    return b'{"items":[' + b",".join(item(path) for path in files) + b'],"tz":"UTC"}'


async def ndjson_body(files: list[Path]) -> AsyncIterator[bytes]:
    """The items one a line, each file read as the server takes the last one."""
    for path in files:
        yield item(path) + b"\n"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process's live threads, to the nanosecond, as process_time() counts
    vet's: each thread's run time in /proc/PID/task/*/schedstat. (/proc/PID/stat counts in 10 ms ticks:
    ten items, about 20 ms, read as anything from 1 to 10 ms an account.) The server's threads live as
    long as it does."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return total / 1e9


def reset_peak(pid: int) -> bool:
    """Sets the process's RSS high-water mark to its current RSS (Linux's clear_refs 5)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


async def post_batch(base: str, files: list[Path], form: str, pid: int, *, probe: bool) -> BatchRun:
    """The batch of `files` in `form` (see FORMS), /healthz asked meanwhile when `probe`."""
    run = BatchRun(rss_before=rss_mb(pid)[0])
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": FORMS[form]}
    body = batch_body(files) if form == "json" else ndjson_body(files)
    path = "/v1/batch" if form == "json" else "/v1/batch?tz=UTC"
    timeout = aiohttp.ClientTimeout(total=1800)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        cpu_before = cpu_seconds(pid)
        prober = (
            asyncio.create_task(probe_health(session, base, run.health, every=PROBE_EVERY)) if probe else None
        )
        started = time.perf_counter()
        async with session.post(base + path, data=body, headers=headers) as response:
            if response.status != 200:
                raise RuntimeError(f"/v1/batch answered {response.status}: {(await response.text())[:500]}")
            async for line in response.content:
                if not run.first_line:
                    run.first_line = time.perf_counter() - started
                answer = orjson.loads(line)
                if "ok" in answer:
                    run.ok += answer["ok"] is True
                    run.errors += answer["ok"] is not True
        run.seconds = time.perf_counter() - started
        if not answer.get("done"):
            raise RuntimeError(f"/v1/batch ended with {answer}")
        if prober is not None:
            prober.cancel()
            await asyncio.gather(prober, return_exceptions=True)
        run.cpu = cpu_seconds(pid) - cpu_before
    run.peak = rss_mb(pid)[1]
    return run


async def empty_cache(base: str) -> None:
    """DELETE /v1/cache: the next batch is analysed again (the cache's thread runs it after the writes
    queued before it)."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.delete(base + "/v1/cache", headers=headers) as answer,
    ):
        if answer.status != 200:
            raise RuntimeError(f"DELETE /v1/cache answered {answer.status}")


async def serve_one(base: str, pid: int, warm_up: Path, files: list[Path], form: str) -> BatchRun:
    """The batch on a fresh server: after the warm-up (models loaded, the batch path imported), the
    high-water mark reset, then the batch probed, then ROUNDS times unprobed on an emptied cache."""
    await post_batch(base, [warm_up], form, pid, probe=False)
    reset = reset_peak(pid)
    run = await post_batch(base, files, form, pid, probe=True)
    run.reset, run.probed_cpu = reset, run.cpu
    unprobed = []
    for _ in range(ROUNDS):
        await empty_cache(base)
        unprobed.append((await post_batch(base, files, form, pid, probe=False)).cpu)
    run.cpu = min(unprobed)
    return run


def measure_form(folder: Path, form: str, warm_up: Path, files: list[Path]) -> BatchRun:
    """The batch in `form` on a fresh server of its own (its own cache: nothing is a hit)."""
    log = folder / f"server-{form}.log"
    with log.open("wb") as output:
        server, port = start_our_server(folder / form, output, {"PROFILELENS_MAX_BODY": str(MAX_BODY)})
    base = f"http://127.0.0.1:{port}"

    async def measure() -> BatchRun:
        await wait_healthy(base, server)
        return await serve_one(base, server.pid, warm_up, files, form)

    try:
        return asyncio.run(measure())
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{log.read_text()[-2000:]}") from None
    finally:
        stop(server)


def main() -> int:
    missing = [path for path in (STATUSES, *(GRAPHQL / name for name in TIMELINES)) if not path.exists()]
    if missing:
        print(f"skipped: {', '.join(map(str, missing))} absent")
        return 0
    models.problems()  # vet's models loaded before measuring, as the server's are by its warm-up
    statuses = orjson.loads(STATUSES.read_bytes())
    print(
        f"items: v1.1 timelines, one in {GRAPHQL_EVERY} a GraphQL timeline; CPU in ms per account "
        "(server: its process from /proc; vet and read+decode: this process, best of 3)"
    )
    print(
        f"{'items':>5} {'form':>6} {'body MB':>7} {'largest':>7} {'ok':>4} {'err':>3} {'batch s':>7} "
        f"{'1st s':>5} {'decode':>6} {'vet':>6} {'batch':>6} {'vet/dec':>7} {'bat/vet':>7} {'probed':>6} "
        f"{'hz n':>5} {'hz p50':>6} {'hz p99':>6} {'hz max':>6} "
        f"{'RSS0':>5} {'peak':>5} {'grew':>5} {'/item':>6} {'/body':>5}"
    )
    with tempfile.TemporaryDirectory(prefix="profilelens-bench-") as scratch:
        warm_up = Path(scratch) / "warm-up.json"
        warm_up.write_bytes((GRAPHQL / TIMELINES[0]).read_bytes().replace(b"\n", b""))
        for size in SIZES:
            folder = Path(scratch) / str(size)
            folder.mkdir()
            files = write_items(folder, size, statuses)
            largest = max(path.stat().st_size for path in files) / 2**20
            body_mb = len(batch_body(files)) / 2**20
            floor = cpu(lambda: read_and_decode(files))  # noqa: B023
            vet = cpu(lambda: list(vet_captures(files, now=NOW, tz="UTC")))  # noqa: B023
            for form in FORMS:
                try:
                    run = measure_form(folder, form, warm_up, files)
                except RuntimeError as exc:
                    print(f"bench failed: {exc}")
                    return 1
                per = 1000 / size
                grew = run.peak - run.rss_before
                health = [seconds * 1000 for seconds in run.health]
                print(
                    f"{size:5d} {form:>6} {body_mb:7.1f} {largest:7.2f} {run.ok:4d} {run.errors:3d} "
                    f"{run.seconds:7.1f} {run.first_line:5.1f} "
                    f"{floor * per:6.2f} {vet * per:6.2f} {run.cpu * per:6.2f} {vet / floor:6.1f}x "
                    f"{run.cpu / vet:6.2f}x {run.probed_cpu / vet:5.2f}x {len(health):5d} "
                    f"{percentile(health, 0.5):6.1f} {percentile(health, 0.99):6.1f} "
                    f"{max(health, default=float('nan')):6.1f} "
                    f"{run.rss_before:5.0f} {run.peak:5.0f} {grew:5.0f} {grew / largest:5.1f}x "
                    f"{grew / body_mb:4.1f}x" + ("" if run.reset else "  (peak not reset: since start)"),
                    flush=True,
                )
    print(
        f"decode/vet/batch: CPU ms per account (batch: the best of {ROUNDS} unprobed; probed: the first "
        "batch's, /healthz probe included, over vet's); hz: /healthz latency in ms while the first batch "
        "ran; RSS0, peak, grew: server MB before it, at its peak during it, and the difference (/item: over "
        "the largest item; /body: over the whole body)"
    )
    print("targets: vet/dec <= 2x; bat/vet <= 1x; hz p99 < 50 ms; grew <= 2x the largest item, flat in items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
