"""The subcommands of ``smelterkg``, one module each; each has ``register(subparsers)``.

A command parses its arguments, calls the library (``smelterkg.queries``, ``smelterkg.output``,
``smelterkg.store``...) and prints; the helpers here are what every command shares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyoxigraph import Store

from smelterkg.store import STORE_ENV, default_store, open_read_only


def error(message: str) -> None:
    """One clear line on stderr."""
    print(f"smelterkg: error: {message}", file=sys.stderr)


def info(message: str) -> None:
    print(f"smelterkg: {message}", file=sys.stderr)


COMMAND_MODULES = ("parse", "build", "query", "export", "serve", "validate", "facility", "explain", "review", "judge", "chain", "stats", "fetch")


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """The ``--store DIR`` option, the same in every command that reads or writes the store."""
    parser.add_argument("--store", metavar="DIR", help=f"store directory (default: ${STORE_ENV} or ./smelterkg-store)")


def store_path(args: argparse.Namespace) -> Path:
    """The store directory: ``--store``, else ``$SMELTERKG_STORE``, else ``./smelterkg-store``."""
    return Path(args.store) if args.store else default_store()


def open_store(args: argparse.Namespace) -> Store:
    """The store of ``--store`` (or the default), read-only. Raises StoreError (one-line message)
    when there is none or it cannot be opened."""
    return open_read_only(store_path(args))
