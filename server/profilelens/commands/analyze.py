"""Analyse capture files or folders of them (any input shape; `-` reads stdin); one report per account."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

from profilelens.commands.common import add_time_options, analyze_files, model_problems


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="capture files or folders of them; - for stdin"
    )
    parser.add_argument("--json", action="store_true", help="print the machine report (as the server sends)")
    add_time_options(parser)


def run(args: argparse.Namespace) -> int:
    reports, failed = analyze_files(args.files, args, "profilelens")
    if not reports:
        return 1
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(reports, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        print("\n\n".join(render_text(r) for r in reports))
    return 1 if model_problems("profilelens") or failed else 0


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def render_text(report: dict[str, Any]) -> str:
    """The report for a person reading a terminal."""
    acc, data = report["account"], report["data"]
    lines = [f"@{acc.get('handle') or '?'}  {acc.get('name') or ''}".rstrip()]
    if acc.get("bio"):
        lines.append(f"  {acc['bio']}")
    lines.append(f"  seen: {data['posts_seen']} posts from {', '.join(data['sources'])}")
    vol = report["volume"]
    lines.append("Posting volume")
    if vol["available"]:
        lines += [
            f"  {vol['band']}: {vol['summary']}",
            f"  lifetime: {_num(vol['lifetime_per_day'])} posts/day   recent: {_num(vol['recent_per_day'])}"
            f" posts/day   median gap: {_num(vol['median_gap_hours'])} h",
            f"  posted in work hours ({vol['work_hours_definition']}): {_pct(vol['work_hours_share'])}",
        ]
        lines += [f"  not measured: {k} — {why}" for k, why in vol["unmeasured"].items()]
    else:
        lines.append(f"  not measurable: {vol['reason']}")
    mix = report["content_mix"]
    lines.append("Content mix")
    if mix["available"]:
        lines.append("  " + "  ".join(f"{k}: {_pct(v)}" for k, v in mix["kinds"].items()))
        lines.append("  " + "  ".join(f"{k}: {_pct(v)}" for k, v in mix["traits"].items()))
        appeal = mix["retweet_appeal"]
        lines.append(f"  retweet appeal: {_num(appeal['index'], 2)}  ({appeal['source']})")
    else:
        lines.append(f"  not measurable: {mix['reason']}")
    fol = report["follow"]
    lines.append("Follow")
    if fol["available"]:
        follows_you = {True: "yes", False: "no", None: "unknown"}[fol["follows_you"]]
        lines.append(
            f"  followers: {_num(fol['followers'], 0)}  following: {_num(fol['following'], 0)}"
            f"  ratio: {_num(fol['ratio'], 2)}  follows you: {follows_you}"
        )
    else:
        lines.append(f"  not measurable: {fol['reason']}")
    for key, title in (
        ("follow_back", "Follow-back likelihood"),
        ("identity", "Identity"),
        ("verdict", "Verdict"),
        ("audience", "Audience"),
    ):
        section = report.get(key)
        if section is None:
            continue
        lines.append(title)
        if not section["available"]:
            lines.append(f"  not measurable: {section['reason']}")
            continue
        lines.append(f"  {section['summary']}")
        lines += [f"  - {reason}" for reason in section.get("reasons", [])]
    if data["notes"]:
        lines.append("Notes")
        lines += [f"  - {note}" for note in data["notes"]]
    return "\n".join(lines)
