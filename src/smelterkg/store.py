"""The on-disk graph store (Oxigraph): built atomically, opened read-only for queries.

A build writes a fresh store beside the target and swaps it in only when complete, so a failed
build never leaves a half-written store and the previous one stays untouched. An existing
directory is replaced only when it is a smelterkg store (it carries ``MARKER``) or is empty.
"""

from __future__ import annotations

import gc
import io
import os
import shutil
import tempfile
import traceback
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

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


def build(target: Path, nquads: Iterable[str]) -> int:
    """Write the N-Quads lines and the ontology into a new store at ``target``; return the
    quad count."""
    target = target.absolute()
    _check_replaceable(target)
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


def _swap(staging: Path, target: Path) -> None:
    retired = None
    if target.exists():
        retired = target.parent / f".{target.name}.old-{os.getpid()}"
        os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        if retired is not None:
            os.rename(retired, target)
        raise
    if retired is not None:
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
