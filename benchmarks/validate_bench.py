"""Time `smelterkg validate` (the SPARQL engine) query by query on a built store.

    python benchmarks/validate_bench.py --store DIR [--top 15] [--runs 1]

Runs every compiled shape query (``ontology/shape_queries.py``) the way ``validate_sparql`` does,
on the store as it is on disk, and prints the seconds of each (its focus query, when it has one,
counted with it the first time it is needed, as validate does), the 15 slowest with the shape,
constraint component and the start of the message, the number of findings, and the total;
``--findings FILE`` writes the findings, one per line in report order, to compare two versions of
the queries. Then ``--runs N`` (default 1) full ``validate()`` calls, which run the queries on
``workers()`` threads at once (``--threads`` sets how many): their wall-clock time is what a user
waits. Build a large store with
``python benchmarks/synthetic.py 1000 DIR`` and ``smelterkg build DIR --store STORE``. Figures, not
tests; the machine is shared, so run it twice.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from smelterkg.ontology.validate import _oxigraph_store, _report_order, _run, shape_queries, validate, workers
from smelterkg.store import default_store


def label(check) -> str:
    shape = (check.shape or "(property shape)").rsplit("#", 1)[-1]
    path = f" {check.path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}" if check.path else ""
    components = "+".join(c.removesuffix("ConstraintComponent") for c in check.flags or (check.component,))
    return f"{shape}{path} {components}: {check.message[:60]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=default_store())
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--runs", type=int, default=1, help="full validate() runs timed after the per-query pass")
    parser.add_argument("--threads", type=int, help=f"threads for the full runs (default: {workers()})")
    parser.add_argument("--findings", type=Path, help="write the findings here, one per line (to compare versions)")
    args = parser.parse_args()

    opened = time.perf_counter()
    store = _oxigraph_store(args.store)
    opened = time.perf_counter() - opened
    focus_cache: dict[str, frozenset] = {}
    timings = []
    findings = []
    for check in shape_queries():
        start = time.perf_counter()
        found = list(_run(store, check, focus_cache))
        timings.append((time.perf_counter() - start, len(found), label(check)))
        findings += found
    del store
    total = sum(t for t, _, _ in timings)
    print(f"store {args.store}: {len(timings)} queries, opened in {opened:.2f} s")
    print(f"{'seconds':>8} {'found':>7}  query")
    for seconds, found, name in sorted(timings, reverse=True)[: args.top]:
        print(f"{seconds:8.2f} {found:7d}  {name}")
    print(f"{total:8.2f} {len(findings):7d}  total of the {len(timings)} queries")
    if args.findings:
        args.findings.write_text("".join(
            "\t".join(str(x) for x in (f.severity, f.component, f.focus, f.path, f.value, f.shape, f.message)) + "\n"
            for f in sorted(findings, key=_report_order)
        ), encoding="utf-8")
    threads = args.threads or workers()
    for run in range(args.runs):
        result = validate(args.store, threads=threads)
        print(f"validate() run {run + 1}, {threads} threads: {result.summary()}")


if __name__ == "__main__":
    main()
