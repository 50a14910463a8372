"""Run a user's query with a time limit, and stoppable at once by Ctrl-C.

pyoxigraph can neither time out nor cancel a query, and holds the interpreter while it runs (a
Ctrl-C waits for the query to end). So the query runs in a forked child process that opens the
store read-only, runs and formats the result, and sends the text back through a pipe; the parent
waits for it with the deadline and kills the child on timeout or on ``KeyboardInterrupt``.
Forking a process that has no store open costs a few milliseconds.

Where there is no ``fork`` (Windows), the query runs in this process, without a time limit.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from smelterkg.queries import catalogue
from smelterkg.queries.catalogue import Param, QueryError
from smelterkg.store import StoreError, open_read_only

DEFAULT_TIMEOUT = 60.0
TIMEOUT_EXIT = 124  # as coreutils' timeout(1); Ctrl-C is 130
_ERRORS = {"QueryError": QueryError, "StoreError": StoreError}


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped; ``str()`` is the one-line message."""


def _run_here(store: Path, text: str, params: dict[str, str], declared: Sequence[Param], fmt: str) -> str:
    result = catalogue.execute(open_read_only(store), text, params, declared)
    return catalogue.format_result(result, fmt, text)


def _child(conn: Connection, store: Path, text: str, params: dict[str, str], declared: Sequence[Param], fmt: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C is the parent's to handle
    try:
        conn.send(("ok", _run_here(store, text, params, declared, fmt)))
    except (QueryError, StoreError) as problem:
        conn.send((type(problem).__name__, str(problem)))
    except Exception as problem:  # noqa: BLE001 - anything else is still one line for the user
        conn.send(("QueryError", f"query failed: {catalogue.one_line(str(problem)) or type(problem).__name__}"))
    finally:
        conn.close()


def run_query(
    store: Path, text: str, params: dict[str, str], declared: Sequence[Param], fmt: str, timeout: float | None
) -> str:
    """The formatted result of ``text`` on the store at ``store``. ``timeout`` in seconds (``None``
    or 0: no limit). Raises QueryError, StoreError, QueryTimeout; KeyboardInterrupt stops the
    query before it propagates."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return _run_here(store, text, params, declared, fmt)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, store, text, params, declared, fmt), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout or None):
            raise QueryTimeout(
                f"query stopped: the time limit of {timeout:g} s was reached (--timeout SECONDS to change it, 0 for none)"
            )
        try:
            kind, payload = receiver.recv()
        except EOFError:
            child.join()
            raise QueryError(f"query failed: the query process ended unexpectedly (exit code {child.exitcode})") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "ok":
        return payload
    raise _ERRORS[kind](payload)
