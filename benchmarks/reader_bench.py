"""Reader throughput: documents/s and MB/s of the HTML, PDF and aligned-text readers on the test
fixtures (tests/data/exhibits*, exhibits-long, exhibits-text), each format's files read again and
again for about ``--seconds`` (default 3) after one warm-up pass. Caches of cell typing are warm
after the first pass, as in a real batch where smelter names recur. Also a 50 MB random text, to
show the aligned-text fallback is bounded (over its cap it is skipped; the line parser's own cost
is reported beside it).

Prints a table and writes benchmarks/results-readers.txt.
Usage:  python benchmarks/reader_bench.py [--seconds S] [--no-flood]
"""

from __future__ import annotations

import argparse
import platform
import random
import string
import sys
import tempfile
import time
from pathlib import Path

from smelterkg.ingest.readers import read_document, reader_for

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUT = ROOT / "benchmarks" / "results-readers.txt"


def fixtures() -> dict[str, list[Path]]:
    bad = {"encrypted.pdf", "scanned.pdf", "truncated.pdf"}  # the bad-PDF fixtures: one error line each, no rows
    files = [p for d in ("exhibits", "exhibits-long", "exhibits-pdf", "exhibits-text") for p in sorted((DATA / d).glob("*"))
             if p.is_file() and p.suffix in {".htm", ".html", ".pdf", ".txt"} and p.name not in bad]
    groups: dict[str, list[Path]] = {"html": [], "pdf": [], "aligned text": []}
    for path in files:
        name = reader_for(path, path.read_bytes()[:8192]).name
        key = {"html": "html", "pdf": "pdf", "text": "aligned text"}[name]
        groups[key].append(path)
    return groups


def measure(paths: list[Path], seconds: float) -> tuple[int, float, float, int]:
    """(documents read, bytes read, elapsed seconds, rows per pass)."""
    blobs = [(p, p.read_bytes()) for p in paths]
    rows = sum(len(read_document(p, data).rows) for p, data in blobs)  # warm-up
    done = size = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for path, data in blobs:
            read_document(path, data)
            done += 1
            size += len(data)
    return done, size, time.perf_counter() - start, rows


def _flood_lines(rng: random.Random, vocabulary_size: int, separator: str) -> list[str]:
    """About 50 MB of lines of random mixed-case words: drawn from a small vocabulary (the caches
    help) or each made fresh (vocabulary_size 0: every line new, nothing to cache)."""
    words = ["".join(rng.choices(string.ascii_letters, k=rng.randint(2, 9))) for _ in range(vocabulary_size)]
    lines: list[str] = []
    size = 0
    while size < 50 * 1024 * 1024:
        count = rng.randint(3, 12)
        picked = rng.choices(words, k=count) if words else ["".join(rng.choices(string.ascii_letters, k=rng.randint(1, 10))) for _ in range(count)]
        line = separator.join(picked)
        lines.append(line)
        size += len(line) + 1
    return lines


def flood() -> list[str]:
    rng = random.Random(11)
    out = []
    for label, vocabulary_size, separator in (("words separated by 2 spaces, 5,000 distinct", 5000, "  "), ("fresh words, single spaces", 0, " ")):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "flood.txt"
            path.write_text("\n".join(_flood_lines(rng, vocabulary_size, separator)), encoding="utf-8")
            start = time.perf_counter()
            report = read_document(path)
            took = time.perf_counter() - start
            skipped = any("aligned-column reading skipped" in w for w in report.warnings)
            out.append(f"50 MB random text ({label}): {took:.1f} s in all, {len(report.rows)} rows, {len(report.quarantine)} quarantined, aligned fallback {'skipped (over its cap)' if skipped else 'not skipped'}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-flood", action="store_true")
    args = parser.parse_args()
    out = [f"reader throughput, {platform.python_implementation()} {platform.python_version()}, {platform.machine()}, one process",
           f"{'format':14} {'files':>5} {'rows/pass':>9} {'docs':>6} {'seconds':>7} {'docs/s':>8} {'MB/s':>7} {'KB/doc':>7}"]  # fmt: skip
    for kind, paths in fixtures().items():
        if not paths:
            out.append(f"{kind:14} no fixtures")
            continue
        done, size, took, rows = measure(paths, args.seconds)
        out.append(f"{kind:14} {len(paths):5d} {rows:9d} {done:6d} {took:7.2f} {done / took:8.1f} {size / took / 1048576:7.3f} {size / done / 1024:7.1f}")
    if not args.no_flood:
        out.extend(flood())
    text = "\n".join(out)
    print(text)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"written to {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
