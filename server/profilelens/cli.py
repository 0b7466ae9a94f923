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
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="profilelens", description="What an X account really is.")
    sub = parser.add_subparsers(dest="command", required=True)
    # Import only the command asked for (the models and the server are heavy); all of them for --help.
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else list(COMMANDS)
    modules = {}
    for name in chosen:
        module = importlib.import_module(COMMANDS[name])
        module.register(sub.add_parser(name, help=module.__doc__))
        modules[name] = module
    args = parser.parse_args(argv)
    return int(modules[args.command].run(args))


if __name__ == "__main__":
    sys.exit(main())
