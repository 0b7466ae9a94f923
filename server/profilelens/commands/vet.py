"""Vet many accounts at once: a directory of captures, or a file of handles (fetched through the X API).

Writes one row per account to CSV as each finishes (a crash or Ctrl-C loses no finished row), the same
rows as JSON lines with --json, and with --html a sortable table. Failures are rows too, with the reason;
the others are still delivered.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from profilelens import analysis, collector, sources
from profilelens.batch import CHUNK, Reports, analyze_each
from profilelens.commands.common import (
    CAPTURE_FILES_TEXT,
    add_time_options,
    capture_files,
    model_problems,
    now_of,
)
from profilelens.config import ConfigError, x_api_settings
from profilelens.features.audience import pages_of
from profilelens.ratings import models
from profilelens.records import Capture, InputError
from profilelens.reportpage import render_table
from profilelens.reportpage.table import (
    FIELDS,
    Row,
    csv_cells,
    failure_row,
    from_csv,
    json_line,
    report_row,
)
from profilelens.xapi import TOKEN_VARIABLE, Fetched, XApi, XApiError, parse_handle

# How often one handle is retried after X said "rate limited" before it is given up as a failure.
MAX_RATE_LIMIT_WAITS = 5
# Seconds added to X's reset time: its clock and ours differ a little.
RESET_MARGIN = 1.0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        metavar="handles.txt|captures/",
        help="a file of handles (one a line) or a directory of captures",
    )
    parser.add_argument("--csv", metavar="OUT.csv", help="write the rows here (default: standard output)")
    parser.add_argument(
        "--json", metavar="OUT.ndjson", help="also write the rows as JSON, one a line (values unrounded)"
    )
    parser.add_argument("--html", metavar="OUT.html", help="also write a sortable HTML table")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="go on with an interrupted run: keep the vetted rows of --csv, vet the other handles",
    )
    add_time_options(parser)


@dataclass(frozen=True, slots=True)
class Waiting:
    """Yielded while the X API rate limit holds us: seconds left before the next try."""

    handle: str
    seconds: float


@dataclass(frozen=True, slots=True)
class Total:
    """Yielded once the number of rows to come is known (captures: once every file is read)."""

    rows: int


Event = Row | Waiting | Total


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True, soft_wrap=True)
    now = now_of(args)
    try:
        analysis.time_zone(args.tz or analysis.DEFAULT_TZ)
    except InputError as exc:
        console.print(f"profilelens vet: {exc}", markup=False)
        return 2
    source = Path(args.source)
    earlier: list[Row] = []
    if args.resume and source.is_dir():
        console.print("profilelens vet: --resume is for handle files (captures are read again)", markup=False)
        return 2
    if source.is_dir():
        files = capture_files(source)
        if not files:
            console.print(
                f"profilelens vet: no capture file ({CAPTURE_FILES_TEXT}) in {source}", markup=False
            )
            return 2
        items: list[str] = [str(f) for f in files]
        events: Iterator[Event] = vet_captures(files, now=now, tz=args.tz)
        total = None  # accounts, not files: known once all are read (vet_captures yields a Total)
    elif source.is_file():
        try:
            handles = read_handles(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            console.print(f"profilelens vet: cannot read {source}: {exc}", markup=False)
            return 2
        try:
            settings = x_api_settings()
        except ConfigError as exc:
            console.print(f"profilelens vet: {exc}", markup=False)
            return 2
        if not settings.bearer_token:
            console.print(
                f"profilelens vet: looking up handles needs an X API bearer token in {TOKEN_VARIABLE}; "
                "without one, vet a directory of captures (profilelens vet captures/)",
                markup=False,
            )
            return 2
        if not handles:
            console.print(f"profilelens vet: no handle in {source}", markup=False)
            return 2
        if args.resume:
            if not args.csv:
                console.print(
                    "profilelens vet: --resume goes on with the rows of --csv: name it", markup=False
                )
                return 2
            try:
                earlier = resumable_rows(Path(args.csv))
            except (OSError, ValueError, csv.Error) as exc:
                console.print(f"profilelens vet: cannot resume from {args.csv}: {exc}", markup=False)
                return 2
            done = {str(row["handle"]).lower() for row in earlier}
            handles = [h for h in handles if h.lower() not in done]
            console.print(
                f"resuming: {len(earlier)} account(s) vetted before, {len(handles)} to go", markup=False
            )
        xapi = XApi(settings.bearer_token, base=settings.base, pages=settings.pages)
        items = handles
        events = vet_handles(handles, xapi.fetch, now=now, tz=args.tz or analysis.DEFAULT_TZ)
        total = len(handles)
    else:
        console.print(f"profilelens vet: {source} does not exist", markup=False)
        return 2
    try:
        rows = deliver(
            events,
            total=total,
            csv_path=args.csv,
            json_path=args.json,
            html_path=args.html,
            console=console,
            earlier=earlier,
        )
    except BrokenPipeError:  # the reader of the CSV on stdout left: the command line says so
        raise
    except OSError as exc:  # the output cannot be written (no such folder, disk full, ...)
        console.print(
            f"profilelens vet: cannot write {exc.filename or 'the output'}: {exc.strerror}", markup=False
        )
        return 2
    failed = [r for r in rows if r.get("error")]
    console.print(
        f"{len(rows) - len(failed)} account(s) vetted, {len(failed)} failed"
        + (f" (of {len(items)} input(s))" if total is None else ""),
        markup=False,
    )
    for row in failed:
        console.print(f"  failed: {row.get('handle') or row.get('item')}: {row.get('error')}", markup=False)
    return 1 if model_problems("profilelens vet") or failed else 0


def deliver(
    events: Iterable[Event],
    *,
    total: int | None,
    csv_path: str | None,
    html_path: str | None,
    console: Console,
    earlier: Iterable[Row] = (),
    json_path: str | None = None,
) -> list[Row]:
    """Write each row as it comes (flushed) to the CSV and the JSON lines, show progress and any
    rate-limit countdown on stderr. `earlier` rows (a resumed run's) are written first and belong to the
    table."""
    rows: list[Row] = list(earlier)
    with ExitStack() as stack:
        out: IO[str] = (
            stack.enter_context(open(csv_path, "w", newline="", encoding="utf-8")) if csv_path else sys.stdout
        )
        lines = stack.enter_context(open(json_path, "w", encoding="utf-8")) if json_path else None
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()

        def write(row: Row) -> None:
            writer.writerow(csv_cells(row))
            out.flush()
            if lines is not None:
                lines.write(json_line(row))
                lines.flush()

        for row in rows:
            write(row)
        progress = stack.enter_context(
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=False,
            )
        )
        task: TaskID = progress.add_task("vetting", total=total)
        waiting_for: str | None = None
        try:
            for event in events:
                if isinstance(event, Total):
                    progress.update(task, total=event.rows)
                    continue
                if isinstance(event, Waiting):
                    if waiting_for != event.handle:  # said once as a line too: logs keep it
                        waiting_for = event.handle
                        progress.console.print(
                            f"X API rate limit reached at @{event.handle}: waiting {_clock(event.seconds)} "
                            "for X's reset, then resuming",
                            markup=False,
                        )
                    progress.update(
                        task, description=f"X API rate limit: resuming in {_clock(event.seconds)}"
                    )
                    continue
                waiting_for = None
                rows.append(event)
                write(event)
                progress.update(task, advance=1, description=f"vetting {event.get('handle') or ''}".strip())
        finally:
            # Even on Ctrl-C: the table holds every row finished so far.
            if html_path:
                Path(html_path).write_text(render_table(rows), encoding="utf-8")
    return rows


def resumable_rows(path: Path) -> list[Row]:
    """The vetted rows of an earlier run's CSV (its failures are tried again); none if it is absent."""
    if not path.exists():
        return []
    return [row for row in load_rows(path) if not row.get("error") and row.get("handle")]


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60:d}:{whole % 60:02d}"


def read_handles(text: str) -> list[str]:
    """Handles from a text file: one a line, with or without @, or a profile URL; # starts a comment.
    Each handle once, in file order."""
    handles: list[str] = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip().rstrip("/")
        if not entry:
            continue
        for prefix in ("https://", "http://", "www.", "x.com/", "twitter.com/", "mobile.twitter.com/"):
            if entry.lower().startswith(prefix):
                entry = entry[len(prefix) :]
        entry = entry.split("/", 1)[0].split("?", 1)[0].lstrip("@")
        if entry and entry.lower() not in {h.lower() for h in handles}:
            handles.append(entry)
    return handles


def vet_captures(files: Iterable[Path], *, now: datetime, tz: str | None) -> Iterator[Row | Total]:
    """How many rows come (once every file is read), then a row per account found in the files (captures
    of one account merge), then one per unreadable file.
    The time zone: `tz` when given, else the one its files name, else UTC (as `analyze` decides)."""
    models.problems()  # loaded now, and with them, out of the collector's walks for the whole batch:
    collector.freeze_loaded()  # one full collection that walks them cost as much as ten accounts
    captures: list[Capture] = []
    origin: dict[int, Path] = {}  # id(capture) -> the file it came from
    named: dict[Path, str] = {}
    failures: list[Row] = []
    for path in files:
        try:
            found, file_tz = analysis.read_input(path.read_bytes())
            if file_tz:
                named[path] = file_tz
        except (OSError, InputError) as exc:
            failures.append(failure_row(str(path), _reason(exc)))
            continue
        except Exception as exc:  # a parser bug must not sink the batch
            failures.append(failure_row(str(path), f"unexpected error ({type(exc).__name__}): {exc}"))
            continue
        if not found:
            failures.append(failure_row(str(path), "no account in this file"))
        for capture in found:
            origin[id(capture)] = path
        captures.extend(found)
    pages = pages_of(captures)  # an account's followers pages may sit in another file than its profile
    groups = analysis.group_by_account(captures)
    del captures  # each group is let go once its row is out: memory shrinks as the rows come
    yield Total(len(groups) + len(failures))
    while groups:
        chunk, groups[:CHUNK] = groups[:CHUNK], []
        inputs, items, handles = [], [], []
        for group in chunk:
            items.append("; ".join(sorted({str(origin[id(c)]) for c in group})))
            handles.append(next((c.account.handle for c in group if c.account and c.account.handle), None))
            zones = {named[origin[id(c)]] for c in group if origin[id(c)] in named}
            inputs.append((group, tz or (zones.pop() if len(zones) == 1 else analysis.DEFAULT_TZ)))
        outcomes = analyze_each(inputs, now=now, pages=pages)
        yield from map(_row, outcomes, items, handles)
    yield from failures


def vet_handles(
    handles: Iterable[str],
    fetch: Callable[[str], Fetched],
    *,
    now: datetime,
    tz: str,
) -> Iterator[Event]:
    """A row per handle, fetched through `fetch` (XApi.fetch). On a rate limit: wait out X's reset time,
    yielding a countdown every second, then try the same handle again."""
    for text in handles:
        try:
            handle = parse_handle(text)
        except XApiError as exc:
            yield failure_row(text, exc.message, handle=None)
            continue
        fetched: Fetched | None = None
        for _ in range(MAX_RATE_LIMIT_WAITS + 1):
            try:
                fetched = fetch(handle)
                break
            except XApiError as exc:
                if exc.code != "x_api_rate_limited":
                    yield failure_row(handle, exc.message, handle=handle)
                    break
                wait = _retry_after(exc) + RESET_MARGIN
                until = time.monotonic() + wait
                while (left := until - time.monotonic()) > 0:
                    yield Waiting(handle, left)
                    time.sleep(min(1.0, left))
            except Exception as exc:  # a bug in the source must not sink the batch
                yield failure_row(handle, f"unexpected error ({type(exc).__name__}): {exc}", handle=handle)
                break
        else:
            yield failure_row(handle, f"still rate limited after {MAX_RATE_LIMIT_WAITS} waits", handle=handle)
            continue
        if fetched is None:
            continue
        try:
            captures = sources.parse(fetched.bundle())
        except InputError as exc:
            yield failure_row(handle, f"the X API answered in a shape we cannot read: {exc}", handle=handle)
            continue
        yield _report_row(captures, handle, handle, now=now, tz=tz)


def _report_row(captures: list[Capture], item: str, handle: str | None, *, now: datetime, tz: str) -> Row:
    (outcome,) = analyze_each([(captures, tz)], now=now)
    return _row(outcome, item, handle)


def _row(outcome: Reports | Exception, item: str, handle: str | None) -> Row:
    if isinstance(outcome, InputError):
        return failure_row(item, str(outcome), handle=handle)
    if isinstance(outcome, Exception):  # an analysis bug on one account must not sink the batch
        return failure_row(item, f"unexpected error ({type(outcome).__name__}): {outcome}", handle=handle)
    return report_row(outcome[0], item=item)


def _retry_after(exc: XApiError) -> float:
    try:
        return max(0.0, float(exc.headers.get("Retry-After", "60")))
    except ValueError:
        return 60.0


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read the file: {exc.strerror or exc}"
    return str(exc)


def load_rows(path: Path) -> list[Row]:
    """Rows of a CSV written by `vet`, values as they were before writing."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [from_csv(cells) for cells in csv.DictReader(handle)]
