"""The ``smelterkg`` command. Data goes to stdout; progress, errors and summaries to stderr."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from smelterkg import __version__
from smelterkg.commands import COMMAND_MODULES, error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smelterkg",
        description="A knowledge graph of 3TG smelters and refiners read from SEC Form SD conflict-minerals reports.",
    )
    parser.add_argument("--version", action="version", version=f"smelterkg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"smelterkg.commands.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"smelterkg.commands.{name}":
                raise
            continue
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
