"""Manage the analysis cache: `profilelens cache clear [HANDLE]`, `profilelens cache path`."""

from __future__ import annotations

import argparse
import os
import sys

from profilelens.config import DEFAULT_CACHE_TTL, cache_path
from profilelens.web.cache import SqliteStore
from profilelens.xapi import HANDLE


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    clear = actions.add_parser("clear", help="forget every cached analysis, or one account's")
    clear.add_argument("handle", nargs="?", help="an X handle; without it, everything is cleared")
    actions.add_parser("path", help="print where the cache file is")


def run(args: argparse.Namespace) -> int:
    path = cache_path(os.environ)
    if args.action == "path":
        print(path)
        return 0
    if args.handle is not None and not HANDLE.match(args.handle):
        print(f"profilelens cache: {args.handle!r} is not an X handle", file=sys.stderr)
        return 2
    if not path.exists():
        print(f"nothing to clear: no cache at {path}")
        return 0
    store = SqliteStore(path, DEFAULT_CACHE_TTL)
    try:
        cleared = store.clear(args.handle)
    finally:
        store.close()
    whose = f"@{args.handle.lstrip('@')}" if args.handle else "all accounts"
    print(f"cleared {cleared} cached entr{'y' if cleared == 1 else 'ies'} for {whose} in {path}")
    return 0
