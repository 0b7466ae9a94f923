"""The `profilelens` command: one sub-command per module in profilelens.commands."""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import os
import sys
from importlib import metadata
from pathlib import Path

# name -> module; each module has `register(parser)` and `run(args) -> int`.
COMMANDS = {
    "analyze": "profilelens.commands.analyze",
    "serve": "profilelens.commands.serve",
    "token": "profilelens.commands.token",
    "cache": "profilelens.commands.cache",
    "vet": "profilelens.commands.vet",
    "report": "profilelens.commands.report",
}


def version() -> str:
    try:
        return metadata.version("profilelens")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def summary(module: str) -> str | None:
    """A command module's docstring without importing the module (and everything it imports)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return ast.get_docstring(ast.parse(Path(spec.origin).read_bytes()))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="profilelens", description="What an X account really is.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    # Import only the command asked for (the models and the server are heavy); none for --version, and
    # for the list of commands (--help) none either: each one's help is its module's docstring, read as text.
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    modules = {}
    for name in COMMANDS:
        if name == chosen:
            module = importlib.import_module(COMMANDS[name])
            module.register(sub.add_parser(name, help=module.__doc__))
            modules[name] = module
        else:
            sub.add_parser(name, help=summary(COMMANDS[name]))
    args = parser.parse_args(argv)
    try:
        code = int(modules[args.command].run(args))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`profilelens analyze ... | head`): nobody is left to read the rest. Point
        # stdout at nothing so that Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
