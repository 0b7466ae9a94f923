"""The `profilelens` command: one sub-command per module in profilelens.commands."""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> module; each module has `register(parser)` and `run(args) -> int`.
COMMANDS = {
    "analyze": "profilelens.commands.analyze",
    "serve": "profilelens.commands.serve",
    "token": "profilelens.commands.token",
    "cache": "profilelens.commands.cache",
    "vet": "profilelens.commands.vet",
    "report": "profilelens.commands.report",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="profilelens", description="What an X account really is.")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.register(sub.add_parser(name, help=module.__doc__))
        modules[name] = module
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args))


if __name__ == "__main__":
    sys.exit(main())
