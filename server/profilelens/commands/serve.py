"""Run the analysis server on this machine (127.0.0.1:8642 by default)."""

from __future__ import annotations

import argparse
import errno
import logging
import sys

from aiohttp import web

from profilelens.config import Config, ConfigError, check_bind, from_env, with_flags
from profilelens.web import SERVER_OPTIONS, create_app
from profilelens.web.access_log import AccessLogger
from profilelens.xapi import TOKEN_VARIABLE


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1; env PROFILELENS_HOST)")
    parser.add_argument("--port", type=int, help="port (default 8642; env PROFILELENS_PORT)")
    parser.add_argument(
        "--force-public",
        action="store_true",
        default=None,
        help="allow listening on an address other machines can reach (unsafe)",
    )
    parser.add_argument("--max-body", type=int, help="largest request body in bytes (default 8 MB)")
    parser.add_argument("--cache-ttl", type=float, help="seconds an analysis stays cached (default 6 h)")


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = with_flags(
            from_env(),
            host=args.host,
            port=args.port,
            force_public=args.force_public,
            max_body=args.max_body,
            cache_ttl=args.cache_ttl,
        )
        check_bind(config)
    except (ConfigError, OSError) as exc:
        print(f"profilelens serve: {exc}", file=sys.stderr)
        return 2
    bound = False

    def announce(_: str) -> None:
        """Called by aiohttp once the port is bound (in place of its own "Running on" line)."""
        nonlocal bound
        bound = True
        print(banner(config))
        sys.stdout.flush()

    try:
        web.run_app(
            create_app(config),
            host=config.host,
            port=config.port,
            print=announce,
            shutdown_timeout=10,
            access_log_class=AccessLogger,
            **SERVER_OPTIONS,
        )
    except OSError as exc:
        print(f"profilelens serve: {exc if bound else cannot_listen(config, exc)}", file=sys.stderr)
        return 1
    return 0


def banner(config: Config) -> str:
    origins = [f"chrome-extension://{chrome_id}" for chrome_id in sorted(config.extension_ids)]
    origins += ["moz-extension://*"] if config.allow_firefox else []
    lines = [
        f"ProfileLens server on http://{config.host}:{config.port}",
        f"pairing token: `profilelens token`; extension origins allowed: {', '.join(origins) or 'none'}",
    ]
    if not config.x_bearer_token:
        lines.append(
            f"no X API bearer token: GET /v1/accounts/{{handle}} is off (set {TOKEN_VARIABLE} to turn it on)"
        )
    return "\n".join(lines)


def cannot_listen(config: Config, exc: OSError) -> str:
    where = f"cannot listen on {config.host}:{config.port}"
    if exc.errno == errno.EADDRINUSE:
        return f"{where}: the port is taken (another server?); choose another with --port or PROFILELENS_PORT"
    return f"{where}: {exc.strerror or exc}"
