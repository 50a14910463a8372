"""Parse throughput of the report reader on one core.

Replicates the bundled corpus to N reports (default 1000) and times ``parse_lines`` alone: the
files are read and decoded once up front, and the perturbed copies are built before the clock
starts. Two modes are timed and printed:

  warm       the bundled texts, parsed again and again in one process. After the first few
             reports every cell string has been seen, so the per-cell caches in ``ingest`` answer
             almost everything. Realistic for a corpus where the same smelter names recur across
             filers (the industry lists hold a few hundred facilities).
  cold-ish   each replica has its replica number appended to every name cell of its tabbed rows,
             so every name is a string never seen before and the name-level caches do not help
             (metal, country and status cells still repeat, as they do in real filings). Closer to
             the cost of a report whose names are new to the process.

Usage:  python benchmarks/parse_throughput.py [--reports N]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: no BLAS thread pools behind spaCy

import argparse
import gc
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from smelterkg.data import bundled_reports
from smelterkg.ingest.cells import infer_roles
from smelterkg.ingest.models import Kind
from smelterkg.ingest.parse import parse_lines
from smelterkg.ingest.reading import read_report

MODES = {
    "warm": "same texts parsed repeatedly; caches warm (same smelter names recur across filers)",
    "cold-ish": "replica number appended to every name cell of tab rows; names unique, caches help less",
}


@dataclass
class Replica:
    source: str
    lines: list[str]
    size: int  # bytes as UTF-8, line ends included


@dataclass
class Result:
    mode: str
    reports: int
    rows: int
    size: int
    seconds: float
    cpu_seconds: float
    per_report: list[float]


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this platform); single-threaded"


def text_size(lines: Sequence[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def perturb(lines: list[str], replica: int) -> list[str]:
    """Append ' R<replica>' to the name cell of every tabbed line (the column the reader's own
    column-role inference calls the name column, found once per report, before timing)."""
    roles = infer_roles(lines)
    name_columns = [column for column, kind in roles.items() if kind is Kind.NAME]
    if not name_columns:
        return list(lines)
    column = name_columns[0]
    out = []
    for line in lines:
        if "\t" in line:
            cells = line.split("\t")
            if column < len(cells) and cells[column].strip():
                cells[column] = f"{cells[column].rstrip()} R{replica}"
                line = "\t".join(cells)
        out.append(line)
    return out


def build_replicas(count: int, cold: bool) -> list[Replica]:
    corpus = [read_report(path) for path in bundled_reports()]  # read and decode once
    replicas = []
    for i in range(count):
        source = corpus[i % len(corpus)]
        lines = perturb(source.lines, i) if cold else source.lines
        replicas.append(Replica(f"{i:05d}-{source.name}", lines, text_size(lines)))
    return replicas


def run(mode: str, replicas: list[Replica]) -> Result:
    per_report = []
    rows = 0
    gc.collect()
    clock = time.perf_counter
    cpu_start = time.process_time()
    start = clock()
    for replica in replicas:
        t0 = clock()
        report = parse_lines(replica.source, replica.lines)
        per_report.append(clock() - t0)
        rows += len(report.rows)
    seconds = clock() - start
    cpu_seconds = time.process_time() - cpu_start
    return Result(mode, len(replicas), rows, sum(r.size for r in replicas), seconds, cpu_seconds, per_report)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def print_result(result: Result) -> None:
    ms = [t * 1000 for t in result.per_report]
    print(
        f"{result.mode:<9} {result.reports:>7} {result.rows:>8} {result.size / 1e6:>7.1f} {result.seconds:>8.2f} {result.cpu_seconds:>6.2f} "
        f"{result.reports / result.seconds:>9.1f} {result.rows / result.seconds:>9.0f} "
        f"{result.size / 1e6 / result.seconds:>6.2f} {statistics.median(ms):>7.1f} {percentile(ms, 95):>7.1f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000, metavar="N", help="replicate the bundled corpus to N reports (default 1000)")
    args = parser.parse_args(argv)
    if args.reports < 1:
        parser.error("--reports must be at least 1")

    pinned = pin_to_one_core()
    bundled = build_replicas(len(bundled_reports()), cold=False)
    t0 = time.perf_counter()
    for replica in bundled:  # loads gazetteers and the spaCy pipeline; not counted below
        parse_lines(replica.source, replica.lines)
    startup = time.perf_counter() - t0

    print(f"smelterkg parse throughput: {args.reports} reports replicated from {len(bundled)} bundled ones "
          f"({sum(r.size for r in bundled) / 1e3:.0f} kB); Python {platform.python_version()}, {pinned}")
    print(f"first parse of the bundled corpus (gazetteer and spaCy loading, caches filling): {startup:.2f} s, not counted")
    print("timed: parse_lines only (files read and replicas built before the clock starts); rates use wall-clock")
    print("seconds; 'cpu s' is this process's CPU time: when it is well below 'seconds', the core was shared")
    for mode, meaning in MODES.items():
        print(f"  {mode:<9} {meaning}")
    print()
    print(f"{'mode':<9} {'reports':>7} {'rows':>8} {'MB':>7} {'seconds':>8} {'cpu s':>6} {'reports/s':>9} {'rows/s':>9} "
          f"{'MB/s':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for mode in MODES:
        replicas = build_replicas(args.reports, cold=mode == "cold-ish")
        print_result(run(mode, replicas))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
