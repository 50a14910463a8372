"""The ``smelterkg`` command. Data goes to stdout; progress, errors and summaries to stderr."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from smelterkg import __version__
from smelterkg.commands import COMMAND_MODULES, error


class CommandImportError(Exception):
    """A command module that cannot be imported: a broken installation, never a command to skip
    silently (its users would only see it missing from --help). ``str()`` is one line."""


def _command_module(name: str) -> ModuleType:
    qualified = f"smelterkg.commands.{name}"
    try:
        return importlib.import_module(qualified)
    except ImportError as problem:
        detail = " ".join(str(problem).split()) or type(problem).__name__
        raise CommandImportError(f"command {name!r}: cannot import {qualified} ({type(problem).__name__}: {detail})") from problem


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command. Raises CommandImportError when a command module fails to import."""
    parser = argparse.ArgumentParser(
        prog="smelterkg",
        description="A knowledge graph of 3TG smelters and refiners read from SEC Form SD conflict-minerals reports.",
    )
    parser.add_argument("--version", action="version", version=f"smelterkg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        _command_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except CommandImportError as problem:
        error(str(problem))
        return 1
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # `smelterkg parse | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        error("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
