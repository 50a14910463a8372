"""Where a command's data goes: stdout, or a file replaced atomically.

``output(path)`` is stdout for ``None`` or ``"-"``; otherwise the bytes are written beside FILE
and renamed into place only when complete, so a failed or interrupted write never leaves a
partial file (and the previous file stays untouched). Used by ``export``, ``chain`` and ``stats``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class OutputError(Exception):
    """A file that cannot be written; ``str()`` is the one-line message."""


@contextlib.contextmanager
def _stdout() -> Iterator[BinaryIO]:
    sys.stdout.flush()
    out = sys.stdout.buffer
    yield out
    out.flush()


def _check_writable(target: Path) -> None:
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"{target}: cannot write the file (permission denied)")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: cannot write the file (no directory {parent})")


@contextlib.contextmanager
def _file(target: Path) -> Iterator[BinaryIO]:
    """Write beside ``target`` and rename into place only once complete.

    Only a new file or an existing regular file is replaced that way: anything else (a symlink,
    a device such as /dev/null, a named pipe) is opened and written in place.
    """
    _check_writable(target)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        try:
            out = open(target, "wb")  # noqa: SIM115
        except OSError as problem:
            raise OutputError(f"{target}: cannot write the file ({problem.strerror or problem})") from None
        with out:
            yield out
        return
    try:
        handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as problem:
        raise OutputError(f"{target}: cannot write the file ({problem.strerror or problem})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        if target.exists():  # keep the mode of the file replaced
            mode = target.stat().st_mode & 0o7777
        else:  # as an ordinary new file, not mkstemp's 0600
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(staging, mode)
        os.replace(staging, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise


def is_stdout(path: str | None) -> bool:
    """``None`` and ``"-"`` mean stdout."""
    return path in (None, "-")


def output(path: str | None) -> contextlib.AbstractContextManager[BinaryIO]:
    """Where a command's data goes: stdout for None or "-", else FILE, written beside it and
    renamed into place when complete. Raises OutputError when FILE cannot be written."""
    return _stdout() if is_stdout(path) else _file(Path(path))  # type: ignore[arg-type]
