"""Reading many reports on every core: each file is read and parsed in a worker process.

Parsing is pure Python and per document, so it scales with processes, not threads. Workers are
forked where the platform can (they start at once with the readers, gazetteers and language
model already loaded, and, unlike ``spawn`` or ``forkserver``, do not re-import the caller's main
module, which breaks scripts without an ``if __name__ == "__main__"`` guard); a worker only reads
and parses, so the caller's other threads (the heartbeat) and its open store are never touched
in it. Results come back in the order of the files: the same reports, warnings and errors as
reading them one by one. A build with few files reads them in-process (starting workers costs
more than it saves).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.readers import read_document
from smelterkg.ingest.reading import InputError, read_bytes

MIN_FILES = 16  # fewer files are read in-process
CHUNK = 4  # files per task: fewer round trips, still an even spread over the workers


@dataclass(frozen=True)
class Read:
    """One file's outcome: its report (or the reason it could not be read), its content digest and size."""

    path: Path
    report: ParsedReport | None
    digest: str = ""
    size: int = 0
    error: str = ""  # InputError's reason (the exception itself does not travel between processes)
    line: int | None = None

    def raise_error(self) -> None:
        if self.report is None:
            raise InputError(self.path, self.error, self.line)


def read_one(path: Path) -> Read:
    """Read and parse one file (in a worker, or in-process)."""
    try:
        data = read_bytes(path)
        return Read(path, read_document(path, data), hashlib.sha256(data).hexdigest(), len(data))
    except InputError as error:
        return Read(path, None, error=error.reason, line=error.line)


def workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parallel(files: Sequence[Path], processes: int | None = None) -> bool:
    """Whether ``read_all`` reads these files on worker processes."""
    return (processes or workers()) > 1 and len(files) >= MIN_FILES


def read_all(
    files: Sequence[Path], processes: int | None = None, announce: Callable[[int, Path], None] | None = None
) -> Iterator[Read]:
    """Every file's :class:`Read`, in order; on ``processes`` worker processes (default: the
    cores) when ``parallel``. Read in-process, each file is ``announce``d (1-based index, path)
    before it is read, so a slow one can be named while it is read."""
    processes = processes or workers()
    if not parallel(files, processes):
        for index, path in enumerate(files, start=1):
            if announce is not None:
                announce(index, path)
            yield read_one(path)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        yield from pool.map(read_one, files, chunksize=CHUNK)
