"""Progress of a download on stderr: a ``\\r`` bar redrawn in place on a terminal, else one line
every ``every`` files and one at the end (a log keeps no half-drawn bars)."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, every: int = 25, label: str = "smelterkg: fetch") -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.every = max(1, every)
        self.label = label
        self.done = 0
        self.failed = 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        if self.tty:
            filled = WIDTH * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (WIDTH - filled)
            end = "\n" if self.done == self.total else ""
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} files, {self.failed} failed{end}")
        elif self.done % self.every == 0 or self.done == self.total:
            self.stream.write(f"{self.label}: {self.done}/{self.total} files, {self.failed} failed\n")
        self.stream.flush()
