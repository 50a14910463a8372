"""Saved-query latency on an existing store (a script that prints figures, not a test).

Each saved query (``queries/*.rq``, ``# param:`` defaults) runs in a child process of its own on
the store opened once read-only (the server path): one warm-up, then ``RUNS`` timed runs (results
consumed); p50/p95 in ms. A query that runs past ``TIMEOUT`` seconds is killed and reported as a
timeout, so one slow query cannot stall the run.

Usage:  python benchmarks/query_latency.py STORE_DIR [TIMEOUT=40] [RUNS=10] [PARAM=VALUE...] [QUERY...]

A ``PARAM=VALUE`` argument (``filer=Arbordale Systems, Inc.``) replaces that parameter's default in
every query that declares it (the defaults name facts of the bundled reports, which a synthetic
corpus may not have).
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path


def _run(store_dir: str, name: str, runs: int, params: dict[str, str], out: mp.Queue) -> None:
    from smelterkg import store as graph_store
    from smelterkg.queries import catalogue

    store = graph_store.open_read_only(Path(store_dir))
    query = catalogue.find(name)
    given = {key: value for key, value in params.items() if any(p.name == key for p in query.params)}
    times, rows = [], 0
    for attempt in range(runs + 1):
        started = time.perf_counter()
        rows = len(catalogue.execute(store, query.text, given, query.params).rows)
        if attempt:
            times.append(time.perf_counter() - started)
    times.sort()
    out.put((rows, statistics.median(times), times[int(0.95 * (len(times) - 1))]))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    store_dir = argv[0]
    timeout = float(argv[1]) if len(argv) > 1 else 40.0
    runs = int(argv[2]) if len(argv) > 2 else 10
    from smelterkg.queries import catalogue

    params = dict(arg.split("=", 1) for arg in argv[3:] if "=" in arg)
    names = [arg for arg in argv[3:] if "=" not in arg]
    for name in names or sorted(catalogue.saved_queries()):
        queue: mp.Queue = mp.Queue()
        child = mp.Process(target=_run, args=(store_dir, name, runs, params, queue))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            print(f"{name:24} timeout (> {timeout:g} s)", flush=True)
            continue
        if queue.empty():
            print(f"{name:24} failed (exit {child.exitcode})", flush=True)
            continue
        rows, p50, p95 = queue.get()
        print(f"{name:24} rows {rows:6}  p50 {p50 * 1000:9.1f} ms  p95 {p95 * 1000:9.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
