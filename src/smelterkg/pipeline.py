"""The main job, end to end: inputs -> parsed reports -> resolutions -> quads -> store."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smelterkg import store as graph_store
from smelterkg.data import bundled_reports
from smelterkg.ingest.parse import ParsedReport, parse_source
from smelterkg.ingest.reading import InputError, expand_inputs, read_report
from smelterkg.ingest.resolve import Resolution, resolve
from smelterkg.ontology.iris import facility_iri
from smelterkg.ontology.mapping import graph_nquads

PROGRESS_EVERY = 100


@dataclass
class BuildResult:
    reports: list[ParsedReport]
    resolutions: list[list[Resolution | None]]
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quads: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(len(r.rows) for r in self.reports)

    @property
    def facilities(self) -> int:
        return len({facility_iri(d.metal, d.key) for decisions in self.resolutions for d in decisions if d is not None})

    @property
    def observations(self) -> int:
        return sum(
            len({(d.metal, d.key) for d in decisions if d is not None})
            for report, decisions in zip(self.reports, self.resolutions)
            if report.facts.year is not None
        )

    @property
    def quarantined(self) -> int:
        return sum(len(r.quarantine) for r in self.reports)


def _stderr_progress(message: str) -> None:
    print(f"smelterkg: {message}", file=sys.stderr)


def read_inputs(
    paths: Sequence[str | Path], progress: Callable[[str], None] | None = _stderr_progress
) -> tuple[list[ParsedReport], list[InputError], list[str]]:
    """Parse every readable input (default: the bundled reports); the same content twice is read
    once. The warnings returned are about the inputs; each report carries its own."""
    files, errors = expand_inputs(paths) if paths else (bundled_reports(), [])
    reports: list[ParsedReport] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for index, path in enumerate(files, start=1):
        try:
            source = read_report(path)
        except InputError as error:
            errors.append(error)
            continue
        if source.sha256 in seen:
            warnings.append(f"{path}: same content as {seen[source.sha256]}; read once")
            continue
        seen[source.sha256] = str(path)
        reports.append(parse_source(source))
        if progress and len(files) >= PROGRESS_EVERY and index % PROGRESS_EVERY == 0:
            progress(f"read {index}/{len(files)} reports")
    return reports, errors, warnings


def build(paths: Sequence[str | Path], target: Path, progress: Callable[[str], None] | None = _stderr_progress) -> BuildResult:
    """Read, resolve and write the store at ``target`` (atomically)."""
    started = time.perf_counter()
    reports, errors, warnings = read_inputs(paths, progress)
    result = BuildResult(reports, [resolve(r.rows) for r in reports], errors, warnings)
    if not reports:
        return result
    if progress and len(reports) >= PROGRESS_EVERY:
        progress(f"writing the store ({result.rows} rows)")
    result.quads = graph_store.build(target, graph_nquads(reports, result.resolutions))
    result.seconds = time.perf_counter() - started
    return result
