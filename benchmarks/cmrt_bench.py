"""CMRT reading time: milliseconds per workbook, for its look-up alone (what ``--reference`` needs)
and for all three parts (look-up, declaration, smelter list; one opening, ``read_cmrt``), on the repository's fixtures and, when present,
the third-party reference workbooks in ../shared/reference/ (RMI templates and supplier CMRTs).

Each workbook is read once to warm the caches (gazetteers, country names), then ``--runs`` times
(default 5); the table gives the best and the median wall-clock time per read and the process CPU
time of the median read, so a shared machine shows as wall > cpu.
Usage:  python benchmarks/cmrt_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from smelterkg.ingest.cmrt.read import ALL_PARTS, read_cmrt

LOOKUP_ONLY = frozenset({"lookup"})

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "cmrt"
SHARED = ROOT.parent / "shared" / "reference"


def workbooks() -> list[Path]:
    own = [FIXTURES / n for n in ("cmrt_en.xlsx", "cmrt_garbled.xlsx", "cmrt_old_layout.xlsx")]
    shared = sorted((SHARED / "rmi").glob("*.xlsx")) + sorted((SHARED / "cmrt").glob("*.xlsx"))
    if not shared:
        print(f"{SHARED} absent: the reference workbooks are not timed", file=sys.stderr)
    return [p for p in own + shared if p.is_file()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'workbook':46} {'parts':>7} {'MB':>5} {'best ms':>8} {'median ms':>9} {'cpu ms':>7} {'look-up':>7} {'list':>5}")
    for path in workbooks():
        for label, parts in (("look-up", LOOKUP_ONLY), ("all", ALL_PARTS)):
            cmrt = read_cmrt(path, parts=parts)  # warm-up
            walls, cpus = [], []
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                cmrt = read_cmrt(path, parts=parts)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            facilities = len(cmrt.lookup.facilities) if cmrt.lookup else 0
            rows = len(cmrt.smelter_list.rows) if cmrt.smelter_list else 0
            print(
                f"{path.name:46} {label:>7} {path.stat().st_size / 1e6:5.2f} {min(walls) * 1000:8.0f} {statistics.median(walls) * 1000:9.0f}"
                f" {statistics.median(cpus) * 1000:7.0f} {facilities:7d} {rows:5d}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
