"""Show the pairing token to paste into the extension's options (created on first use)."""

from __future__ import annotations

import argparse
import os
import sys

from profilelens.config import TOKEN_FILE, ConfigError, read_or_create_token, user_config_dir


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rotate", action="store_true", help="replace the token (re-pair the extension after)"
    )
    parser.add_argument("--path", action="store_true", help="print where the token is kept instead")


def run(args: argparse.Namespace) -> int:
    config_dir = user_config_dir(os.environ)
    path = config_dir / TOKEN_FILE
    if args.path:
        print(path)
        return 0
    try:
        if args.rotate:
            path.unlink(missing_ok=True)
        print(read_or_create_token(config_dir))
    except (ConfigError, OSError) as exc:
        print(f"profilelens token: {exc}", file=sys.stderr)
        return 1
    return 0
