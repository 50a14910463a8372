"""The subcommands of ``smelterkg``, one module each; each has ``register(subparsers)``."""

from __future__ import annotations

import sys


def error(message: str) -> None:
    """One clear line on stderr."""
    print(f"smelterkg: error: {message}", file=sys.stderr)


def info(message: str) -> None:
    print(f"smelterkg: {message}", file=sys.stderr)


COMMAND_MODULES = ("parse", "build", "query", "export", "serve", "validate", "facility", "explain", "review", "judge", "chain", "stats")
