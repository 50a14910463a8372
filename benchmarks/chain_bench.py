"""Time `smelterkg chain` in every format, `stats` and the network export on a built store.

    python benchmarks/chain_bench.py [--store DIR] [--runs N] [NAME ...]

Prints, per chain name, the lookup and lineage time (chain_of: name lookup, events, each chain
facility's rows) and, per format, the render time (median of N runs) and the output size; then
the time of `stats` (figures and chart) and of the facility–event–filer network (GraphML). Run
it on the bundled store, or on a larger one built from `benchmarks/synthetic.py` reports to see
how the times grow (a chain's facilities are read with bound lookups; stats and the network
read every observation). Figures, not tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from smelterkg.pictures.chart import render_chart
from smelterkg.pictures.graphs import render_graphml
from smelterkg.pictures.render import CHAIN_FORMATS, render_chain
from smelterkg.queries.chains import chain_of
from smelterkg.queries.network import store_network
from smelterkg.queries.stats import compute
from smelterkg.store import default_store, open_read_only

NAMES = ["Johnson Matthey Inc", "H.C. Starck Co., Ltd.", "H.C. Starck GmbH Goslar", "H.C. Starck Group"]


def timed(action, runs: int):
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - start)
    return result, statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=NAMES)
    parser.add_argument("--store", type=Path, default=default_store())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    store = open_read_only(args.store)
    print(f"store {args.store}, median of {args.runs} runs")
    print(f"{'chain':<28} {'facilities':>10} {'lookup ms':>10}  " + "  ".join(f"{f:>14}" for f in CHAIN_FORMATS))
    for name in args.names:
        (chain, _), lookup = timed(lambda: chain_of(store, name), args.runs)
        cells = []
        for fmt in CHAIN_FORMATS:
            data, seconds = timed(lambda: render_chain(chain, fmt), args.runs)
            cells.append(f"{seconds * 1000:6.0f}ms {len(data) / 1024:5.0f}K")
        print(f"{name[:28]:<28} {len(chain.facilities):>10} {lookup * 1000:>10.0f}  " + "  ".join(cells))
    stats, seconds = timed(lambda: compute(store), 1)
    _, chart = timed(lambda: render_chart(stats, "png"), 1)
    print(f"stats: {seconds:.2f} s figures, {chart:.2f} s PNG chart")
    graph, seconds = timed(lambda: store_network(store), 1)
    data, written = timed(lambda: render_graphml(graph), 1)
    print(f"network: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, {seconds:.2f} s to read, "
          f"{written:.2f} s to write {len(data) / 1e6:.1f} MB GraphML")


if __name__ == "__main__":
    main()
