"""Write the report page of the accounts in capture files (or the table of a `vet` CSV) as HTML."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from profilelens.commands.common import add_time_options, analyze_files, model_problems
from profilelens.commands.vet import load_rows
from profilelens.reportpage import render_report, render_table


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="capture files or folders (- for stdin), or vet CSVs"
    )
    parser.add_argument("-o", "--output", default="report.html", help="the HTML file (default report.html)")
    add_time_options(parser)


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if all(name.lower().endswith(".csv") for name in args.files):
        try:
            rows = [row for name in args.files for row in load_rows(Path(name))]
        except (OSError, ValueError) as exc:
            print(f"profilelens report: {exc}", file=sys.stderr)
            return 1
        return _write(output, render_table(rows))
    reports, failed = analyze_files(args.files, args, "profilelens report")
    if not reports:
        return 1
    for path, report in zip(output_paths(output, reports), reports, strict=True):
        if _write(path, render_report(report)):
            return 1
    return 1 if model_problems("profilelens report") or failed else 0


def _write(path: Path, html: str) -> int:
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        print(f"profilelens report: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def output_paths(output: Path, reports: list[dict[str, object]]) -> list[Path]:
    """One account: the file asked for. Several: one file each, named after the handle."""
    if len(reports) == 1:
        return [output]
    paths = []
    for number, report in enumerate(reports, start=1):
        account = report.get("account")
        handle = account.get("handle") if isinstance(account, dict) else None
        name = re.sub(r"[^A-Za-z0-9_]", "", str(handle or "")) or f"account{number}"
        paths.append(output.with_name(f"{output.stem}-{name}{output.suffix or '.html'}"))
    return paths
