"""The ``smelterkg`` command. Data goes to stdout; progress, errors and summaries to stderr.

SIGTERM stops any command as Ctrl-C does (a build removes its staging directory and leaves the
previous store untouched), with one line on stderr and exit code 143 (128 + 15, as a shell reports
a process ended by SIGTERM; Ctrl-C gives 130). ``serve`` installs its own handlers while its
server runs and forwards the signal to it.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType, ModuleType

from smelterkg import __version__
from smelterkg.commands import COMMAND_MODULES, error


class CommandImportError(Exception):
    """A command module that cannot be imported: a broken installation, never a command to skip
    silently (its users would only see it missing from --help). ``str()`` is one line."""


class Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler: every ``except KeyboardInterrupt`` clean-up runs for it too."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    # once: a second SIGTERM must not cut short the clean-up the first one started
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises Terminated while the command runs; the previous handler comes back after
    (main() also runs inside other programs, e.g. the tests)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except (ValueError, AttributeError):  # not the main thread, or no SIGTERM here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
        with _sigterm_interrupts():
            return args.handler(args)
    except BrokenPipeError:  # `smelterkg parse | head`
        sys.stderr.close()
        return 0
    except Terminated:
        error("terminated (SIGTERM)")
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        error("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
