"""The on-disk graph store (Oxigraph): built atomically, opened read-only for queries.

A build writes a fresh store beside the target and swaps it in only when complete, so a failed
build never leaves a half-written store and the previous one stays untouched. An existing
directory is replaced only when it is a smelterkg store (it carries ``MARKER``) or is empty.

One build at a time per store: a build holds an ``flock`` on ``.NAME.lock`` beside the store
(see ``BuildLock``); the kernel releases it when the holder exits, however it exits, so a killed
build never leaves a lock that blocks. Readers take no lock. While holding the lock a build first
clears what killed builds left (``.NAME.building-*`` staging directories, ``.NAME.old-*`` retired
stores): nobody else can be writing them.
"""

from __future__ import annotations

import errno
import gc
import io
import os
import shutil
import signal
import socket
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not locked
    fcntl = None  # type: ignore[assignment]

from smelterkg.ontology import ONTOLOGY_FILES
from smelterkg.ontology.iris import ONTOLOGY_GRAPH

STORE_ENV = "SMELTERKG_STORE"
DEFAULT_STORE = Path("smelterkg-store")
MARKER = ".smelterkg-store"


class StoreError(Exception):
    """A store that cannot be built or opened; ``str()`` is the one-line message."""


def default_store() -> Path:
    """``$SMELTERKG_STORE`` if set, else ``./smelterkg-store``."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise StoreError(f"{target}: exists and is not a directory; refusing to replace it")
    if not (target / MARKER).exists() and any(target.iterdir()):
        raise StoreError(f"{target}: not a smelterkg store (no {MARKER}); refusing to replace it")


def lock_path(target: Path) -> Path:
    """The lock file of the store at ``target``: ``.NAME.lock`` beside it."""
    return target.absolute().parent / f".{target.name}.lock"


def _leftover_prefixes(target: Path) -> tuple[str, str]:
    return f".{target.name}.building-", f".{target.name}.old-"


class BuildLock:
    """The exclusive right to build the store at ``target``: an ``flock`` on ``lock_path(target)``.

    The file holds one line naming the holder (pid, host, start time) for the message another
    build prints. The file itself is never removed (removing a lock file races with a process
    that has just opened it); the lock is what counts, and it dies with its holder."""

    def __init__(self, target: Path, wait: bool = False, waiting: Callable[[str], None] | None = None):
        self.target = target.absolute()
        self.path = lock_path(self.target)
        self._file: io.TextIOWrapper | None = None
        _check_replaceable(self.target)  # no lock file beside what a build would refuse to replace
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        except OSError as error:
            raise StoreError(f"{self.target}: cannot create the store here ({error.strerror or error})") from None
        try:
            self._acquire(wait, waiting)
        except BaseException:
            self.release()
            raise
        self._file.seek(0)
        self._file.truncate()
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        self._file.write(f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n")
        self._file.flush()

    def _acquire(self, wait: bool, waiting: Callable[[str], None] | None) -> None:
        if fcntl is None or self._file is None:  # pragma: no cover
            return
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise StoreError(f"{self.target}: cannot lock the store ({error.strerror or error})") from None
        busy = f"{self.target}: another build is writing this store ({self.holder()})"
        if not wait:
            raise StoreError(f"{busy}; run again when it has finished (or with --wait)")
        if waiting:
            waiting(f"{busy}; waiting for it to finish")
        fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it (``pid N on HOST, started T``)."""
        try:
            line = self.path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            line = []
        return line[0] if line else "holder unknown"

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor releases the flock
            self._file = None

    def __enter__(self) -> BuildLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def clear_leftovers(lock: BuildLock) -> list[Path]:
    """Remove the staging and retired directories that killed builds of ``lock.target`` left;
    return what was removed. Only under the lock: then no builder of them is alive.

    A build killed between the two renames of the swap leaves no store, only the retired one:
    that one is the previous store and is put back, not removed."""
    target = lock.target
    prefixes = _leftover_prefixes(target)
    found = sorted(p for p in target.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir())
    if not target.exists():
        retired = [p for p in found if p.name.startswith(prefixes[1]) and (p / MARKER).exists()]
        if retired:
            newest = max(retired, key=lambda p: p.stat().st_mtime)
            os.rename(newest, target)
            found.remove(newest)
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
    return found


class _NQuadsStream(io.RawIOBase):
    """The N-Quads lines as one readable byte stream, so the store bulk-loads them in a single
    pass (much faster, and a smaller store, than loading chunk by chunk) without holding the
    whole text in memory."""

    LINES_PER_READ = 20_000

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # type: ignore[override]
        if not self._buffer:
            chunk = "".join(islice(self._lines, self.LINES_PER_READ))
            if not chunk:
                return 0
            self._buffer = memoryview(chunk.encode("utf-8"))
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _load_nquads(store: Store, lines: Iterable[str]) -> None:
    store.bulk_load(input=io.BufferedReader(_NQuadsStream(lines), buffer_size=1 << 20), format=RdfFormat.N_QUADS)


def build(target: Path, nquads: Iterable[str], lock: BuildLock | None = None) -> int:
    """Write the N-Quads lines and the ontology into a new store at ``target``; return the
    quad count. ``lock``: the caller's lock on ``target`` (else one is taken here, without waiting)."""
    target = target.absolute()
    _check_replaceable(target)
    if lock is None:
        with BuildLock(target) as own:
            clear_leftovers(own)
            return build(target, nquads, own)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    except OSError as error:
        raise StoreError(f"{target}: cannot create the store here ({error.strerror or error})") from None
    store = None
    try:
        store = Store(str(staging))
        ontology = NamedNode(ONTOLOGY_GRAPH)
        for path in ONTOLOGY_FILES:
            store.bulk_load(path=str(path), format=RdfFormat.TURTLE, to_graph=ontology)
        _load_nquads(store, nquads)
        store.flush()
        size = len(store)
        store = _close(store)
        (staging / MARKER).write_text("smelterkg oxigraph store\n", encoding="utf-8")
        _swap(staging, target)
        return size
    except BaseException as failure:
        # The store has no close(): it closes when the last reference goes, and the failed
        # frames in the traceback hold one. Closing it after the staging directory is gone
        # would write it back, so drop every reference first.
        traceback.clear_frames(failure.__traceback__)
        store = _close(store)
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _close(store: Store | None) -> None:
    """Release the store (RocksDB closes when the object is collected)."""
    del store
    gc.collect()


_STOP_SIGNALS = {getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name)}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C or SIGTERM waits until the block is done (the two renames of the swap, between
    which there is no store), then takes effect. kill -9 cannot wait: ``clear_leftovers``
    repairs that case. The handlers are swapped rather than the signals masked: any thread of
    the process (RocksDB's too) may receive a signal, only the main thread runs its handler."""
    held: list[int] = []
    previous = {}
    try:
        for signum in _STOP_SIGNALS:
            previous[signum] = signal.signal(signum, lambda number, frame: held.append(number))
    except ValueError:  # not the main thread: signals do not reach this code anyway
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python, nothing to restore
                signal.signal(signum, handler)
        for signum in dict.fromkeys(held):
            signal.raise_signal(signum)


def _swap(staging: Path, target: Path) -> None:
    retired = None
    swapped = False
    try:
        with _signals_held():  # a signal held here is raised on leaving: after the swap
            if target.exists():
                retired = target.parent / f".{target.name}.old-{os.getpid()}"
                os.rename(target, retired)
            try:
                os.rename(staging, target)
            except OSError:
                if retired is not None:
                    os.rename(retired, target)
                raise
            swapped = True
    finally:
        if swapped and retired is not None:
            shutil.rmtree(retired, ignore_errors=True)


def open_read_only(target: Path) -> Store:
    if not (target / MARKER).exists():
        raise StoreError(f"{target}: no smelterkg store here (run `smelterkg build` first, or pass --store DIR)")
    try:
        return Store.read_only(str(target))
    except OSError as error:
        raise StoreError(f"{target}: cannot open the store ({error})") from None


def store_size_bytes(target: Path) -> int:
    return sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
