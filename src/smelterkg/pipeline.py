"""The main job, end to end: inputs -> parsed reports -> resolutions -> quads -> store."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smelterkg import store as graph_store
from smelterkg.heartbeat import Heartbeat, wanted
from smelterkg.data import bundled_reports
from smelterkg.ingest.cmrt import ReferenceList, read_lookup
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.reference import read_facility_list
from smelterkg.ingest.reference.report import facility_list_report
from smelterkg.ingest.reading import InputError, expand_inputs
from smelterkg.ingest.resolution import LedgerEntry, Resolution, resolve_reports
from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, read_ledger
from smelterkg.ingest.resolution.reference import ReferenceIndex, list_label
from smelterkg.ontology.mapping import graph_nquads
from smelterkg.read_pool import parallel, read_all, workers
from smelterkg.stored import StoredCorpus, read_store

PROGRESS_EVERY = 100
LARGE_ROWS = 5_000  # a build of this many rows names its resolving and writing stages as they start


USER_LEDGER_ENV = "SMELTERKG_LEDGER"
USER_LEDGER_NAME = "smelterkg-ledger.csv"


def default_user_ledger() -> Path:
    """Where `smelterkg judge` writes and `smelterkg build` reads analysts' judgements:
    $SMELTERKG_LEDGER, else ./smelterkg-ledger.csv."""
    return Path(os.environ.get(USER_LEDGER_ENV) or USER_LEDGER_NAME)


def load_ledger(user_ledger: Path | None = None, warnings: list[str] | None = None) -> list[LedgerEntry]:
    """The bundled ledger, then the user's (when the file exists). Raises LedgerError; warnings
    about the files (a ledger read as cp1252) are appended to ``warnings`` when given."""
    entries = read_ledger(BUNDLED_LEDGER, warnings)
    path = user_ledger if user_ledger is not None else default_user_ledger()
    if path.exists():
        entries.extend(read_ledger(path, warnings))
    return entries


@dataclass
class BuildResult:
    reports: list[ParsedReport]
    resolution: Resolution | None
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quads: int = 0
    seconds: float = 0.0
    reference: ReferenceIndex | None = None  # the RMI reference lists resolution used, if any
    kept: int = 0  # documents kept from the store (build --add); the first ``kept`` of ``reports``
    kept_quarantined: int = 0  # the lines those documents quarantined

    @property
    def rows(self) -> int:
        return sum(len(r.rows) for r in self.reports)

    @property
    def facilities(self) -> int:
        return len(self.resolution.facilities) if self.resolution else 0

    @property
    def observations(self) -> int:
        if self.resolution is None:
            return 0
        return self.resolution.observations([r.facts.year for r in self.reports])

    @property
    def quarantined(self) -> int:
        return sum(len(r.quarantine) for r in self.reports) + self.kept_quarantined


def _stderr_progress(message: str) -> None:
    print(f"smelterkg: {message}", file=sys.stderr)


def _beat(progress: Callable[[str], None] | None, heartbeat: Heartbeat | None) -> Heartbeat:
    """The caller's heartbeat, or a new one speaking through ``progress`` when progress is wanted."""
    if heartbeat is not None:
        return heartbeat
    return Heartbeat(progress if progress is not None and wanted() else None)


def read_inputs(
    paths: Sequence[str | Path],
    progress: Callable[[str], None] | None = _stderr_progress,
    heartbeat: Heartbeat | None = None,
) -> tuple[list[ParsedReport], list[InputError], list[str]]:
    """Parse every readable input (default: the bundled reports); the same content twice is read
    once. The warnings returned are about the inputs; each report carries its own. A report that
    takes more than a few seconds to read is named on ``progress`` while it is read (``heartbeat``)."""
    files, errors = expand_inputs(paths) if paths else (bundled_reports(), [])
    with _beat(progress, heartbeat) as beat:
        return _read_all(files, errors, progress, beat)


def _read_all(
    files: Sequence[Path], errors: list[InputError], progress: Callable[[str], None] | None, beat: Heartbeat
) -> tuple[list[ParsedReport], list[InputError], list[str]]:
    reports: list[ParsedReport] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    def announce(index: int, path: Path) -> None:
        beat.stage(f"reading {path} ({index}/{len(files)}, {_megabytes(path)})")

    if parallel(files):
        beat.stage(f"reading {len(files)} reports on {workers()} cores")
    for index, read in enumerate(read_all(files, announce=announce), start=1):
        if read.report is None:
            errors.append(InputError(read.path, read.error, read.line))
        elif read.digest in seen:
            warnings.append(f"{read.path}: same content as {seen[read.digest]}; read once")
        else:
            seen[read.digest] = str(read.path)
            reports.append(read.report)
        if progress and len(files) >= PROGRESS_EVERY and index % PROGRESS_EVERY == 0:
            progress(f"read {index}/{len(files)} reports")
    beat.stage(None)
    return reports, errors, warnings


def _megabytes(path: Path) -> str:
    try:
        return f"{path.stat().st_size / 1048576:.1f} MB"
    except OSError:
        return "size unknown"


def resolve(reports: Sequence[ParsedReport], ledger: Sequence[LedgerEntry], reference: ReferenceIndex | None = None) -> Resolution:
    return resolve_reports([(r.facts.year, r.rows) for r in reports], ledger, reference=reference)


def read_references(paths: Sequence[str | Path]) -> tuple[list[ReferenceList], list[ParsedReport], list[InputError]]:
    """What every ``--reference`` file gives: a CMRT its Smelter Look-up (a reference list), an RMI
    or CFSI facility list its rows as status observations by the list's publisher (a parsed
    report). A file that is neither is one error naming it, and the others are still read."""
    lists: list[ReferenceList] = []
    facility_lists: list[ParsedReport] = []
    errors: list[InputError] = []
    for path in map(Path, paths):
        try:
            lists.append(read_lookup(path))
            continue
        except InputError as not_a_cmrt:
            cmrt_reason = not_a_cmrt.reason
        try:
            report = facility_list_report(read_facility_list(path))
        except InputError as not_a_list:
            errors.append(InputError(path, f"neither a CMRT ({cmrt_reason}) nor an RMI facility list ({not_a_list.reason})"))
            continue
        report.path = path
        facility_lists.append(report)
    return lists, facility_lists, errors


def _stored(target: Path) -> StoredCorpus:
    """The store ``build --add`` adds to, read back (StoreError when there is none)."""
    store = graph_store.open_read_only(target)
    try:
        return read_store(store)
    finally:
        del store


def _new_only(reports: Sequence[ParsedReport], stored: StoredCorpus) -> tuple[list[ParsedReport], list[str]]:
    """The reports whose content the store does not hold yet, and the names of the others."""
    known = {r.sha256 for r in stored.reports}
    return [r for r in reports if r.sha256 not in known], [r.source for r in reports if r.sha256 in known]


def reference_index(reports: Sequence[ParsedReport], lists: Sequence[ReferenceList]) -> ReferenceIndex | None:
    """The reference lists given, and those the inputs carry (each filled CMRT its release's
    look-up); one copy per release. None when there are none: resolution then runs as without."""
    index = ReferenceIndex([*lists, *(ref for report in reports for ref in report.references)])
    return index if index else None


def build(
    paths: Sequence[str | Path],
    target: Path,
    progress: Callable[[str], None] | None = _stderr_progress,
    user_ledger: Path | None = None,
    wait: bool = False,
    references: Sequence[str | Path] = (),
    add: bool = False,
) -> BuildResult:
    """Read, resolve and write the store at ``target`` (atomically). A malformed ledger raises
    LedgerError before anything is written. ``add``: the store's documents are kept as they are
    and ``paths`` added to them (resolution runs again over all rows; no facility is renamed).

    The store's build lock is taken first (StoreError naming the holder when another build has
    it, unless ``wait``), so a second build fails before it reads anything; then what killed
    builds left beside the store is cleared."""
    with graph_store.BuildLock(target, wait=wait, waiting=progress) as lock:
        graph_store.clear_leftovers(lock)
        stored = _stored(target) if add else None
        return _build_locked(paths, target, progress, user_ledger, lock, references, stored)


def _build_locked(
    paths: Sequence[str | Path],
    target: Path,
    progress: Callable[[str], None] | None,
    user_ledger: Path | None,
    lock: graph_store.BuildLock,
    references: Sequence[str | Path] = (),
    stored: StoredCorpus | None = None,
) -> BuildResult:
    started = time.perf_counter()
    ledger_warnings: list[str] = []
    ledger = load_ledger(user_ledger, ledger_warnings)
    with _beat(progress, None) as beat:
        given, facility_lists, reference_errors = read_references(references)
        reports, errors, warnings = read_inputs(paths, progress, beat)
        if reports or not paths:
            reports = reports + facility_lists  # a facility list alone is no corpus: the inputs decide
        if stored is not None:
            reports, repeated = _new_only(reports, stored)
            warnings.extend(f"{name}: already in the store; kept as it is there" for name in repeated)
            given = [*given, *stored.reference_lists]
        result = BuildResult(reports, None, reference_errors + errors, ledger_warnings + warnings)
        if not reports:
            return result
        if stored is not None:
            result.kept, result.kept_quarantined = len(stored.reports), stored.quarantined
            reports = result.reports = [*stored.reports, *reports]
        result.reference = reference_index(reports, given)
        # announced, not only beaten: the resolver and the store's bulk load run in native code that
        # holds the GIL for seconds, so the heartbeat thread cannot speak while they run
        large = len(reports) >= PROGRESS_EVERY or result.rows >= LARGE_ROWS
        if progress and large:
            progress(f"resolving facilities ({result.rows} rows)")
        beat.stage(f"resolving facilities ({result.rows} rows)")
        result.resolution = resolve(reports, ledger, result.reference)
        result.warnings.extend(f"ledger contradiction: {c}" for c in result.resolution.contradictions)
        if progress and large:
            progress(f"writing the store ({result.rows} rows)")
        beat.stage(f"writing the store ({result.rows} rows)")
        kept_iris = stored.facility_of_key if stored is not None else None
        result.quads = graph_store.build(target, graph_nquads(reports, result.resolution, result.reference, kept_iris), lock)
        beat.stage(None)
    result.seconds = time.perf_counter() - started
    return result
