"""Time-based progress for long stages: a line on stderr when a stage has run for a few seconds,
then one every few seconds, saying the stage and how long it has run.

The per-file counter of ``pipeline.read_inputs`` only speaks every 100 reports; one large report
(a 10,000-row table, a 50 MB file) or the resolver on a big corpus could run for minutes without a
word. A daemon thread watches the current stage and speaks only while one runs past ``first``
seconds, so a fast build prints nothing more than before.

Shown when stderr is a terminal, or when ``SMELTERKG_PROGRESS=always`` (``never`` silences it even
on a terminal): the console examples of the docs capture stderr and must not change from run to run.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType

FIRST_SECONDS = 3.0  # a stage shorter than this says nothing
EVERY_SECONDS = 5.0


def wanted() -> bool:
    """Whether time-based progress is shown (see the module docstring)."""
    setting = os.environ.get("SMELTERKG_PROGRESS", "auto").lower()
    if setting in ("always", "1", "yes"):
        return True
    if setting in ("never", "0", "no"):
        return False
    return sys.stderr.isatty()


class Heartbeat:
    """``with Heartbeat(say) as beat: beat.stage("reading x.txt (2/9, 12.0 MB)"); ...``"""

    def __init__(self, say: Callable[[str], None] | None, first: float = FIRST_SECONDS, every: float = EVERY_SECONDS):
        self._say = say
        self._first = first
        self._every = every
        self._lock = threading.Lock()
        self._stage: str | None = None
        self._since = 0.0
        self._next = 0.0
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def stage(self, text: str | None) -> None:
        """The stage now running (``None``: between stages)."""
        with self._lock:
            self._stage = text
            self._since = time.monotonic()
            self._next = self._since + self._first

    def _run(self) -> None:
        tick = min(self._first, self._every, 0.5)
        while not self._done.wait(tick):
            with self._lock:
                now = time.monotonic()
                if self._stage is None or now < self._next:
                    continue
                self._next = now + self._every
                text, elapsed = self._stage, now - self._since
            assert self._say is not None
            self._say(f"{text}: {elapsed:.0f} s so far")

    def __enter__(self) -> Heartbeat:
        if self._say is not None:
            self._thread = threading.Thread(target=self._run, name="smelterkg-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
