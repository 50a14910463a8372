"""Build and query benchmark on a synthetic corpus (a script that prints figures, not a test).

For each size N (default 1,000 and 10,000 reports):

1. generate N synthetic reports (``benchmarks/synthetic.py``) into a work directory;
2. in a child process, time ``smelterkg.pipeline.build(corpus_dir, store_dir, progress=None)``
   end to end: mentions/s (table rows read / seconds), quads, store size on disk, peak RSS of the
   child (``os.wait4`` rusage, the per-child form of ``getrusage(RUSAGE_CHILDREN).ru_maxrss``);
3. in a second child, the same work stage by stage: parse (``read_inputs``: read + parse every
   file), resolve, mapping (``graph_nquads``, timed by pulling its lines in batches) and store
   load (``store.build`` minus the time spent inside the mapping generator), with the peak RSS
   reached after each stage;
4. in a third child, the store's own limits on the built store: Oxigraph's dump vs
   ``smelterkg export --format nquads``, a bare bulk load of exactly its quads, and a bulk load of
   4 quads per mention (the floor of a graph with a node per row); the build is printed as
   ratios of those;
5. every saved query (``queries/*.rq``, discovered at run time, ``# param:`` defaults bound as
   substitutions) is run ``--warmups`` + ``--runs`` times on the Oxigraph store (``read_only``,
   ``use_default_graph_as_union=True``) -> p50/p95 latency;
6. at the ``--rdflib-sizes`` (default 100 and 1,000) the same data (the same N-Quads lines plus the
   ontology graph) is loaded into an in-memory ``rdflib.Dataset(default_union=True)`` and the same
   queries are timed there; Oxigraph figures at that N are printed beside them with the ratio
   (rdflib p50 / Oxigraph p50). rdflib cannot hold 10,000 reports: sizes above 100 are run only if
   the extrapolation from the smaller run fits in ``--rdflib-max-gb`` (8) and ``--rdflib-max-min``
   (10) minutes, and the child is killed if it goes over either.

Everything is bounded: a child that runs past ``--max-min`` (20) minutes is killed; a size whose
extrapolated build time is over that limit is skipped with a message instead of started.

Usage:
  python benchmarks/build_bench.py [--sizes 1000,10000] [--rdflib-sizes 100,1000] [--runs 20]
                                   [--keep DIR] [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERIES_DIR = REPO / "queries"
ROWS_PER_REPORT = 250  # the generator's mean (150-350 uniform); used for estimates only
MB = 1e6

# --- saved queries ---------------------------------------------------------------------------

_PARAM = re.compile(
    r"""^#\s*param:\s*([A-Za-z_]\w*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|<[^>]*>|\S*?)\s*\(\s*([\w:-]+)\s*\)\s*(.*)$"""
)
XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPES = {
    "integer": "integer", "int": "integer", "decimal": "decimal", "float": "double", "double": "double",
    "boolean": "boolean", "bool": "boolean", "date": "date", "year": "integer", "gyear": "gYear",
    "string": "string", "str": "string", "text": "string", "literal": "string",
}  # fmt: skip

BUILTIN_QUERIES = {
    # Used only when queries/ holds no .rq file (or with --builtin-queries); labelled "builtin:".
    # Parameters are projected: Oxigraph substitutes only variables the query projects.
    "builtin:facilities-per-metal": """
PREFIX skg: <https://w3id.org/smelterkg/ontology#>
SELECT ?metal (COUNT(?f) AS ?n) WHERE { ?f a skg:Facility ; skg:metal ?metal } GROUP BY ?metal ORDER BY ?metal
""",
    "builtin:status-history-year": """
# param: year = 2019 (integer) reporting year
PREFIX skg: <https://w3id.org/smelterkg/ontology#>
PREFIX sosa: <http://www.w3.org/ns/sosa/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?year ?label (COUNT(DISTINCT ?o) AS ?observations) WHERE {
  ?o a skg:StatusObservation ; skg:year ?year ; sosa:hasFeatureOfInterest ?f .
  ?f rdfs:label ?label .
} GROUP BY ?year ?label ORDER BY DESC(?observations) ?label LIMIT 50
""",
    "builtin:name-search": """
# param: needle = "riken" (string) part of a printed name, lower case
PREFIX skg: <https://w3id.org/smelterkg/ontology#>
SELECT ?needle ?row ?name WHERE { ?row skg:printedName ?name FILTER(CONTAINS(LCASE(?name), ?needle)) } LIMIT 100
""",
    "builtin:filers-per-year": """
PREFIX skg: <https://w3id.org/smelterkg/ontology#>
SELECT ?year (COUNT(DISTINCT ?filer) AS ?filers) (COUNT(?doc) AS ?documents) WHERE {
  ?doc a skg:SourceDocument ; skg:reportingYear ?year ; skg:filer ?filer .
} GROUP BY ?year ORDER BY ?year
""",
}


@dataclass
class Param:
    name: str
    default: str
    type: str
    description: str


@dataclass
class SavedQuery:
    name: str
    text: str
    params: list[Param] = field(default_factory=list)


def parse_params(text: str) -> list[Param]:
    params = []
    for line in text.splitlines():
        m = _PARAM.match(line.strip())
        if m:
            name, default, kind, description = m.groups()
            default = default.strip()
            if len(default) >= 2 and default[0] == default[-1] and default[0] in "\"'":
                default = default[1:-1]
            params.append(Param(name, default, kind.lower(), description))
    return params


def discover_queries(builtin: bool) -> tuple[list[SavedQuery], str]:
    """The saved queries present right now (queries/*.rq), or the built-in ones if there are none."""
    found = [
        SavedQuery(path.stem, path.read_text(encoding="utf-8"), parse_params(path.read_text(encoding="utf-8")))
        for path in sorted(QUERIES_DIR.glob("*.rq"))
    ]
    note = f"{len(found)} saved queries in {QUERIES_DIR.relative_to(REPO)}/*.rq"
    try:
        import importlib.util

        if importlib.util.find_spec("smelterkg.queries.catalogue") is not None:
            note += " (smelterkg.queries.catalogue exists; not used: the .rq headers are parsed here)"
    except Exception:  # noqa: BLE001 - a half-written module must not stop the benchmark
        pass
    if not found or builtin:
        extra = [SavedQuery(name, text, parse_params(text)) for name, text in BUILTIN_QUERIES.items()]
        note += f"; {'no saved queries, so ' if not found else ''}{len(extra)} built-in reference queries added (builtin:*)"
        found += extra
    return found, note


def _value(param: Param) -> tuple[str, str]:
    """(lexical form, kind) of a parameter default: kind is 'iri' or an XSD datatype local name."""
    kind = param.type.removeprefix("xsd:")
    if kind in ("iri", "uri", "url", "node"):
        return param.default.strip("<>"), "iri"
    return param.default, _TYPES.get(kind.lower(), "string")


def _bindings(query: SavedQuery, variable, iri, literal) -> dict:
    """Parameter defaults as typed terms, built with the given engine's term constructors."""
    out = {}
    for param in query.params:
        if param.default == "":
            continue
        value, kind = _value(param)
        if kind == "iri":
            term = iri(value)
        elif kind == "string":
            term = literal(value)
        else:
            term = literal(value, datatype=iri(XSD + kind))
        out[variable(param.name)] = term
    return out


def oxigraph_bindings(query: SavedQuery) -> dict:
    from pyoxigraph import Literal, NamedNode, Variable

    return _bindings(query, Variable, NamedNode, Literal)


def rdflib_bindings(query: SavedQuery) -> dict:
    from rdflib import Literal, URIRef, Variable

    return _bindings(query, Variable, URIRef, Literal)


# --- child processes -------------------------------------------------------------------------


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _emit(out: Path, record: dict) -> None:
    with out.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def child_build(corpus: Path, store_dir: Path, out: Path) -> None:
    t0 = time.perf_counter()
    from smelterkg import pipeline
    from smelterkg.store import store_size_bytes

    imported = time.perf_counter() - t0
    start = time.perf_counter()
    result = pipeline.build([corpus], store_dir, progress=None)
    seconds = time.perf_counter() - start
    _emit(out, {
        "kind": "build", "import_s": imported, "seconds": seconds, "result_seconds": result.seconds,
        "reports": len(result.reports), "rows": result.rows, "quads": result.quads,
        "facilities": result.facilities, "observations": result.observations,
        "quarantined": result.quarantined, "errors": len(result.errors), "warnings": len(result.warnings),
        "store_bytes": store_size_bytes(store_dir), "rss_self_mb": _rss_mb(),
    })  # fmt: skip


def child_stages(corpus: Path, store_dir: Path, out: Path) -> None:
    from smelterkg import store as graph_store
    from smelterkg.ontology.mapping import graph_nquads
    from smelterkg.pipeline import load_ledger, read_inputs, resolve

    clock = time.perf_counter
    t0 = clock()
    reports, errors, _ = read_inputs([corpus], progress=None)
    t_parse = clock() - t0
    rss_parse = _rss_mb()
    t0 = clock()
    resolutions = resolve(reports, load_ledger())
    t_resolve = clock() - t0
    rss_resolve = _rss_mb()
    mapping = [0.0]
    lines = [0]
    size = [0]

    def timed(gen, batch: int = 20_000):
        it = iter(gen)
        while True:
            s = clock()
            chunk = list(islice(it, batch))
            mapping[0] += clock() - s
            if not chunk:
                return
            lines[0] += len(chunk)
            size[0] += sum(map(len, chunk))
            yield from chunk

    t0 = clock()
    quads = graph_store.build(store_dir, timed(graph_nquads(reports, resolutions)))
    t_store = clock() - t0
    _emit(out, {
        "kind": "stages", "parse_s": t_parse, "resolve_s": t_resolve, "mapping_s": mapping[0],
        "load_s": t_store - mapping[0], "total_s": t_parse + t_resolve + t_store,
        "rows": sum(len(r.rows) for r in reports), "reports": len(reports), "errors": len(errors),
        "nquad_lines": lines[0], "nquad_mb": size[0] / MB, "quads": quads,
        "rss_after_parse_mb": rss_parse, "rss_after_resolve_mb": rss_resolve, "rss_after_store_mb": _rss_mb(),
    })  # fmt: skip


def child_loads(store_dir: Path, work: Path, out: Path) -> None:
    """The physical limits beside the build, on the same machine and data: Oxigraph's own dump of
    the built store and ``smelterkg export --format nquads`` of it; a bare bulk load of exactly the
    dumped quads into a new store (from the file: Oxigraph parses and loads with no Python in the
    loop); and a bulk load of 4 quads per mention (each row's type, printed name, line and
    document, in its document graph), the floor of a graph that keeps a node per row."""
    import pyoxigraph as ox

    from smelterkg import store as graph_store
    from smelterkg.queries.export import write_graph

    clock = time.perf_counter
    store = graph_store.open_read_only(store_dir)
    dumped = work / "dump.nq"
    t0 = clock()
    store.dump(str(dumped), ox.RdfFormat.N_QUADS)
    t_dump = clock() - t0
    t0 = clock()
    with (work / "export.nq").open("wb") as handle:
        write_graph(store, "nquads", handle)
    t_export = clock() - t0
    (work / "export.nq").unlink()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    row_class = ox.NamedNode("https://w3id.org/smelterkg/ontology#TableRow")
    kept = {ox.NamedNode("https://w3id.org/smelterkg/ontology#" + name) for name in ("printedName", "line", "inDocument")}
    baseline, rows = work / "baseline.nq", 0
    with baseline.open("w", encoding="utf-8") as handle:
        for quad in store.quads_for_pattern(None, rdf_type, row_class):
            rows += 1
            handle.write(f"{quad} .\n")
            for found in store.quads_for_pattern(quad.subject, None, None, quad.graph_name):
                if found.predicate in kept:
                    handle.write(f"{found} .\n")
    del store
    loads = {}
    for name, path in (("bare", dumped), ("baseline", baseline)):
        target = work / f"load-{name}"
        t0 = clock()
        fresh = ox.Store(str(target))
        fresh.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        fresh.flush()
        quads = len(fresh)
        del fresh
        loads[name] = (clock() - t0, quads)
        shutil.rmtree(target, ignore_errors=True)
        path.unlink()
    _emit(out, {
        "kind": "loads", "dump_s": t_dump, "export_s": t_export, "rows": rows,
        "bare_s": loads["bare"][0], "bare_quads": loads["bare"][1],
        "baseline_s": loads["baseline"][0], "baseline_quads": loads["baseline"][1], "rss_mb": _rss_mb(),
    })  # fmt: skip


class QueryTimeout(Exception):
    pass


def _alarm(seconds: float | None) -> None:
    """Arm (or with None disarm) SIGALRM: interrupts Python-level work such as rdflib's evaluator."""
    import signal

    def fire(signum, frame):  # noqa: ARG001
        raise QueryTimeout()

    signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds or 0)


def _time_query(run, warmups: int, runs: int, budget: float, timeout: float, use_alarm: bool, beat=None) -> dict:
    """Warm up, then time ``runs`` runs (fewer, flagged, when one run is so slow that ``runs`` of
    them would overrun ``budget`` seconds). A run over ``timeout`` seconds ends the query: with
    ``use_alarm`` here (SIGALRM), else the parent kills the child (Oxigraph runs in Rust code a
    signal cannot interrupt)."""
    clock = time.perf_counter
    first = None
    rows = None

    def once() -> float:
        nonlocal rows
        if beat is not None:
            beat()  # tells the parent's watchdog an execution starts now
        if use_alarm:
            _alarm(timeout)
        s = clock()
        try:
            rows = run()
        finally:
            if use_alarm:
                _alarm(None)
        return clock() - s

    try:
        for _ in range(warmups):
            t = once()
            first = t if first is None else first
        planned = runs
        if first is not None and first * runs > budget:
            planned = max(3, int(budget / max(first, 1e-9)))
        times = [once() for _ in range(planned)]
    except QueryTimeout:
        return {"timeout": timeout}
    times.sort()
    return {
        "rows": rows, "runs": len(times), "first_warmup_s": first,
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)],
        "min_ms": 1000 * times[0], "max_ms": 1000 * times[-1],
    }  # fmt: skip


def _consume(result) -> int:
    if isinstance(result, bool):
        return int(result)
    try:
        return sum(1 for _ in result)
    except TypeError:
        return int(bool(result))


def _error(error: Exception) -> dict:
    text = str(error).splitlines()[0][:160] if str(error) else ""
    return {"error": f"{type(error).__name__}: {text}"}


def child_oxigraph_queries(store_dir: Path, out: Path, queries: list[SavedQuery], warmups: int, runs: int, budget: float, timeout: float) -> None:
    from pyoxigraph import Store

    t0 = time.perf_counter()
    store = Store.read_only(str(store_dir))
    _emit(out, {"kind": "open", "open_s": time.perf_counter() - t0, "quads": len(store)})
    for query in queries:
        try:
            bindings = oxigraph_bindings(query)

            def run(q=query.text, b=bindings):
                return _consume(store.query(q, use_default_graph_as_union=True, substitutions=b or None))

            def beat(name=query.name):
                _emit(out, {"kind": "start", "name": name, "at": time.time()})

            record = _time_query(run, warmups, runs, budget, timeout, use_alarm=False, beat=beat)
        except Exception as error:  # noqa: BLE001 - report and go on with the next query
            record = _error(error)
        _emit(out, {"kind": "query", "name": query.name, **record})


def child_rdflib(corpus: Path, out: Path, queries: list[SavedQuery], warmups: int, runs: int, budget: float, timeout: float) -> None:
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    from smelterkg.ontology import ONTOLOGY_FILES
    from smelterkg.ontology.iris import ONTOLOGY_GRAPH
    from smelterkg.ontology.mapping import graph_nquads
    from smelterkg.pipeline import load_ledger, read_inputs, resolve

    clock = time.perf_counter
    t0 = clock()
    reports, _, _ = read_inputs([corpus], progress=None)
    resolutions = resolve(reports, load_ledger())
    t_prepare = clock() - t0
    _emit(out, {"kind": "prepared", "prepare_s": t_prepare, "rows": sum(len(r.rows) for r in reports), "rss_mb": _rss_mb()})
    t0 = clock()
    dataset = rdflib.Dataset(default_union=True)
    for path in ONTOLOGY_FILES:
        dataset.graph(rdflib.URIRef(ONTOLOGY_GRAPH)).parse(str(path), format="turtle")
    it = graph_nquads(reports, resolutions)
    while True:
        chunk = list(islice(it, 100_000))
        if not chunk:
            break
        dataset.parse(data="".join(chunk), format="nquads")
    del reports, resolutions, chunk
    gc.collect()
    t_load = clock() - t0
    quads = sum(1 for _ in dataset.quads((None, None, None, None)))
    _emit(out, {"kind": "loaded", "load_s": t_load, "quads": quads, "rss_mb": _rss_mb()})
    for query in queries:
        try:
            bindings = rdflib_bindings(query)
            prepared = prepareQuery(query.text)

            def run(p=prepared, b=bindings):
                return _consume(dataset.query(p, initBindings=b or None))

            def beat(name=query.name):
                _emit(out, {"kind": "start", "name": name, "at": time.time()})

            record = _time_query(run, warmups, runs, budget, timeout, use_alarm=True, beat=beat)
        except Exception as error:  # noqa: BLE001
            record = _error(error)
        _emit(out, {"kind": "query", "name": query.name, **record, "rss_mb": _rss_mb()})


# --- running children, bounded ---------------------------------------------------------------


@dataclass
class ChildRun:
    records: list[dict]
    seconds: float
    maxrss_mb: float  # from wait4 (per child)
    killed: str = ""  # why the watchdog killed it, if it did
    returncode: int = 0
    stderr: str = ""
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)  # 1-min load average: min, mean, max while running


def _stalled_query(out: Path, limit: float) -> str | None:
    """The query a child started more than ``limit`` seconds ago and has not finished, if any."""
    try:
        last = out.read_text(encoding="utf-8").splitlines()[-1]
        record = json.loads(last)
    except (OSError, IndexError, ValueError):
        return None
    if record.get("kind") == "start" and time.time() - record["at"] > limit:
        return record["name"]
    return None


def run_child(
    args: list[str], out: Path, max_seconds: float, max_rss_gb: float | None = None, query_limit: float | None = None
) -> ChildRun:
    out.unlink(missing_ok=True)
    err_path = out.with_suffix(".stderr")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_child", *args, "--_out", str(out)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with err_path.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=str(REPO))
    killed = [""]
    loads: list[float] = []
    done = threading.Event()

    def watchdog() -> None:
        started = time.monotonic()
        while not done.wait(0.5):
            loads.append(os.getloadavg()[0])
            if time.monotonic() - started > max_seconds:
                killed[0] = f"time limit {max_seconds / 60:.0f} min"
            elif query_limit is not None and (name := _stalled_query(out, query_limit)):
                killed[0] = f"query {name}: over {query_limit:.0f} s"
            elif max_rss_gb is not None:
                try:
                    status = Path(f"/proc/{proc.pid}/status").read_text()
                    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                    if rss_kb / 1024 / 1024 > max_rss_gb:
                        killed[0] = f"memory limit {max_rss_gb:g} GB (RSS {rss_kb / 1024 / 1024:.1f} GB)"
                except (OSError, AttributeError):
                    pass
            if killed[0]:
                proc.kill()
                return

    thread = threading.Thread(target=watchdog, daemon=True)
    started = time.perf_counter()
    thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    thread.join()
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    stderr = err_path.read_text(errors="replace")[-2000:]
    load = (min(loads), statistics.fmean(loads), max(loads)) if loads else (os.getloadavg()[0],) * 3
    return ChildRun(records, seconds, usage.ru_maxrss / 1024, killed[0], proc.returncode, stderr, load)


# --- the parent ------------------------------------------------------------------------------


def write_listing(path: Path, queries: list[SavedQuery]) -> Path:
    path.write_text(json.dumps([{"name": q.name, "text": q.text, "params": [vars(p) for p in q.params]} for q in queries]))
    return path


def oxigraph_queries(store_dir: Path, work: Path, tag: str, queries: list[SavedQuery], args, max_seconds: float) -> ChildRun:
    """Time every query on the store; a query that runs one execution past ``--query-timeout`` is
    killed with its child (Rust code cannot be interrupted from Python) and recorded as a
    timeout, and a fresh child goes on with the queries after it."""
    remaining = list(queries)
    merged = ChildRun([], 0.0, 0.0)
    loads: list[float] = []
    attempt = 0
    while remaining:
        attempt += 1
        listing = write_listing(work / f"queries-{tag}-{attempt}.json", remaining)
        run = run_child(
            ["oxq", str(store_dir), str(args.warmups), str(args.runs), str(args.query_budget), str(listing), str(args.query_timeout)],
            work / f"{tag}-{attempt}.jsonl", max_seconds, query_limit=args.query_timeout + 5,
        )  # fmt: skip
        merged.seconds += run.seconds
        merged.maxrss_mb = max(merged.maxrss_mb, run.maxrss_mb)
        loads.append(run.load[1])
        merged.records += [r for r in run.records if r["kind"] != "start"]
        done = {r["name"] for r in run.records if r["kind"] == "query"}
        started = list(dict.fromkeys(r["name"] for r in run.records if r["kind"] == "start" and r["name"] not in done))
        if run.killed or run.returncode:
            if not started:  # died before any query: give up
                merged.killed = run.killed or f"exit {run.returncode}"
                merged.stderr = run.stderr
                break
            reason = {"timeout": args.query_timeout} if run.killed.startswith("query") else {"error": run.killed or f"child exit {run.returncode}: {run.stderr[-200:]}"}
            merged.records.append({"kind": "query", "name": started[0], **reason})
            done.add(started[0])
        remaining = [q for q in remaining if q.name not in done]
    merged.load = (min(loads, default=0.0), statistics.fmean(loads) if loads else 0.0, max(loads, default=0.0))
    return merged


def say(text: str = "") -> None:
    print(text, flush=True)


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _sizes(text: str) -> list[int]:
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError("sizes must be >= 1")
    return values


def _fmt_ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 1 else f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def _query_record(run: ChildRun | None, name: str) -> dict | None:
    if run is None:
        return None
    return next((r for r in run.records if r.get("kind") == "query" and r.get("name") == name), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000], help="report counts to build (default 1000,10000)")
    parser.add_argument("--rdflib-sizes", type=_sizes, default=[100, 1000], help="sizes for the rdflib comparison (default 100,1000)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20, after --warmups)")
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep corpora and stores there")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-min", type=float, default=20.0, help="limit per build child, minutes (default 20)")
    parser.add_argument("--rdflib-max-gb", type=float, default=8.0)
    parser.add_argument("--rdflib-max-min", type=float, default=10.0)
    parser.add_argument("--query-budget", type=float, default=60.0, help="seconds of timed runs per query and engine before runs are cut (default 60)")
    parser.add_argument("--query-timeout", type=float, default=30.0, help="seconds one query execution may take before the query is reported as a timeout (default 30)")
    parser.add_argument("--no-stages", action="store_true", help="skip the stage-by-stage child")
    parser.add_argument("--builtin-queries", action="store_true", help="add the built-in reference queries even when saved ones exist")
    parser.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._child:
        return _child_main(args)
    if args.runs < 1:
        parser.error("--runs must be >= 1")

    import pyoxigraph
    import rdflib

    sys.path.insert(0, str(HERE))
    import synthetic

    started = time.perf_counter()
    say(f"smelterkg build benchmark — {_dt.datetime.now().isoformat(timespec='seconds')}")
    say(f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, "
        f"{os.cpu_count()} CPUs, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, {platform.platform()}")  # fmt: skip
    say(f"load average at start (1/5/15 min): {loadavg()}  (other processes may share the 2 cores)")
    queries, note = discover_queries(args.builtin_queries)
    say(f"queries: {note}")
    for query in queries:
        params = ", ".join(f"{p.name}={p.default!r} ({p.type})" for p in query.params) or "no params"
        say(f"  {query.name}: {params}")

    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="smelterkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    listing = write_listing(work / "queries.json", queries)  # the children time exactly the queries listed above
    say(f"work directory: {work}{' (kept)' if args.keep else ' (removed at the end)'}")
    build_sizes = sorted(set(args.sizes) | set(args.rdflib_sizes))
    max_seconds = args.max_min * 60
    builds: dict[int, ChildRun] = {}
    stages: dict[int, ChildRun] = {}
    generated: dict[int, tuple[float, int]] = {}
    stores: dict[int, Path] = {}
    rate_e2e = None  # seconds per row, from the last size built
    try:
        # ---- builds ----
        for n in build_sizes:
            say()
            expect_rows = n * ROWS_PER_REPORT
            if rate_e2e is not None:
                estimate = expect_rows * rate_e2e * 1.2
                if estimate > max_seconds:
                    say(f"N={n}: skipped — extrapolated build time {estimate / 60:.0f} min is over the {args.max_min:g} min limit "
                        f"(from {1 / rate_e2e:,.0f} mentions/s at the previous size)")
                    break
                say(f"N={n}: estimated build {estimate / 60:.1f} min (x2 with the stage split)")
            corpus = work / f"corpus-{n}"
            if corpus.exists():
                shutil.rmtree(corpus)
            t0 = time.perf_counter()
            paths = synthetic.write(n, corpus, seed=args.seed)
            generated[n] = (time.perf_counter() - t0, sum(p.stat().st_size for p in paths))
            say(f"N={n}: generated {n} reports, {generated[n][1] / MB:.1f} MB, in {generated[n][0]:.1f} s; load {loadavg()}")
            store_dir = work / f"store-{n}"
            if store_dir.exists():
                shutil.rmtree(store_dir)
            run = run_child(["build", str(corpus), str(store_dir)], work / f"build-{n}.jsonl", max_seconds)
            builds[n] = run
            record = next((r for r in run.records if r["kind"] == "build"), None)
            if record is None:
                say(f"N={n}: build FAILED ({run.killed or f'exit {run.returncode}'}) after {run.seconds:.0f} s\n{run.stderr}")
                break
            stores[n] = store_dir
            rate_e2e = record["seconds"] / max(record["rows"], 1)
            say(f"N={n}: built in {record['seconds']:.1f} s ({record['rows'] / record['seconds']:,.0f} mentions/s), "
                f"{record['quads']:,} quads, store {record['store_bytes'] / MB:,.0f} MB, peak RSS {run.maxrss_mb:,.0f} MB; "
                f"load during run {run.load[0]:.2f}-{run.load[2]:.2f} (mean {run.load[1]:.2f})")  # fmt: skip
            if not args.no_stages:
                split_dir = work / f"store-{n}-stages"
                run = run_child(["stages", str(corpus), str(split_dir)], work / f"stages-{n}.jsonl", max_seconds)
                shutil.rmtree(split_dir, ignore_errors=True)
                stages[n] = run
                rec = next((r for r in run.records if r["kind"] == "stages"), None)
                if rec is None:
                    say(f"N={n}: stage split FAILED ({run.killed or f'exit {run.returncode}'})\n{run.stderr}")
                else:
                    say(f"N={n}: stages parse {rec['parse_s']:.1f} s, resolve {rec['resolve_s']:.1f} s, mapping "
                        f"{rec['mapping_s']:.1f} s, store load {rec['load_s']:.1f} s (total {rec['total_s']:.1f} s); "
                        f"load during run {run.load[0]:.2f}-{run.load[2]:.2f}")  # fmt: skip
        # ---- the store's own limits: bare bulk load, 4-quads baseline, dump vs export ----
        loads: dict[int, ChildRun] = {}
        for n, store_dir in stores.items():
            scratch = work / f"loads-{n}"
            scratch.mkdir(exist_ok=True)
            loads[n] = run_child(["loads", str(store_dir), str(scratch)], work / f"loads-{n}.jsonl", max_seconds)
            shutil.rmtree(scratch, ignore_errors=True)
        # ---- queries: oxigraph ----
        ox: dict[int, ChildRun] = {}
        for n, store_dir in stores.items():
            say(f"N={n}: timing {len(queries)} queries on Oxigraph ({args.warmups} warm-ups + {args.runs} runs each); load {loadavg()}")
            ox[n] = oxigraph_queries(store_dir, work, f"oxq-{n}", queries, args, max_seconds)
            if ox[n].killed or ox[n].returncode:
                say(f"N={n}: oxigraph query child stopped ({ox[n].killed or f'exit {ox[n].returncode}'})\n{ox[n].stderr}")
        # ---- queries: rdflib ----
        rd: dict[int, ChildRun] = {}
        previous = None  # (n, load seconds, peak rss MB)
        for n in sorted(args.rdflib_sizes):
            if n not in stores:
                say(f"N={n}: no store built at this size; rdflib comparison skipped")
                continue
            limit_gb, limit_s = args.rdflib_max_gb, args.rdflib_max_min * 60
            if previous is not None:
                pn, prev = previous
                ratio = n / pn
                recs = {r["kind"]: r for r in prev.records}
                prepared, loaded = recs.get("prepared"), recs.get("loaded")
                if prepared is None or loaded is None:
                    say(f"N={n}: rdflib skipped — the run at N={pn} did not load")
                    continue
                # memory: what the dataset added over the parsed reports scales with N; time: parse +
                # load scale with N, the query phase too but each query is capped by budget + timeouts
                base = prepared["rss_mb"]
                est_gb = (base * ratio + (prev.maxrss_mb - base) * ratio) / 1024
                query_s = max(prev.seconds - prepared["prepare_s"] - loaded["load_s"], 0.0)
                est_s = (prepared["prepare_s"] + loaded["load_s"]) * ratio + min(
                    query_s * ratio, len(queries) * (args.query_budget + (args.warmups + 1) * args.query_timeout)
                )
                if est_gb > limit_gb or est_s > limit_s:
                    say(f"N={n}: rdflib skipped — extrapolated from N={pn}: about {est_s / 60:.1f} min and "
                        f"peak RSS {est_gb:.1f} GB (limits {args.rdflib_max_min:g} min, {limit_gb:g} GB)")
                    continue
                say(f"N={n}: rdflib estimated {est_s / 60:.1f} min, {est_gb:.1f} GB (limits {args.rdflib_max_min:g} min, {limit_gb:g} GB)")
            say(f"N={n}: loading into rdflib and timing the queries; load {loadavg()}")
            run = run_child(
                ["rdflib", str(work / f"corpus-{n}"), str(args.warmups), str(args.runs),
                 str(min(args.query_budget, limit_s / max(len(queries), 1) / 2)), str(listing), str(args.query_timeout)],
                work / f"rdflib-{n}.jsonl", limit_s, limit_gb, query_limit=args.query_timeout + 30,
            )  # fmt: skip
            rd[n] = run
            loaded = next((r for r in run.records if r["kind"] == "loaded"), None)
            if run.killed or run.returncode:
                say(f"N={n}: rdflib child stopped ({run.killed or f'exit {run.returncode}'}) after {run.seconds:.0f} s; "
                    f"partial results kept\n{run.stderr[-600:] if not run.killed else ''}")  # fmt: skip
            if loaded:
                say(f"N={n}: rdflib loaded {loaded['quads']:,} quads in {loaded['load_s']:.1f} s, RSS {loaded['rss_mb']:,.0f} MB")
            previous = (n, run)

        # ---- report ----
        say()
        say("=" * 100)
        say("BUILD — smelterkg.pipeline.build(corpus_dir, store_dir, progress=None), end to end, one child process per size")
        say("(mentions = table rows read; peak RSS = ru_maxrss of the build child via wait4; load = 1-min load average while it ran)")
        say(f"{'N':>6} {'mentions':>9} {'seconds':>8} {'mentions/s':>10} {'reports/s':>9} {'quads':>11} {'quads/s':>9} "
            f"{'store MB':>9} {'peak RSS MB':>11} {'corpus MB':>9} {'load min-max':>12}")  # fmt: skip
        for n, run in builds.items():
            rec = next((r for r in run.records if r["kind"] == "build"), None)
            if rec is None:
                say(f"{n:>6} FAILED: {run.killed or f'exit {run.returncode}'}")
                continue
            say(f"{n:>6} {rec['rows']:>9,} {rec['seconds']:>8.1f} {rec['rows'] / rec['seconds']:>10,.0f} "
                f"{rec['reports'] / rec['seconds']:>9.1f} {rec['quads']:>11,} {rec['quads'] / rec['seconds']:>9,.0f} "
                f"{rec['store_bytes'] / MB:>9,.0f} {run.maxrss_mb:>11,.0f} {generated[n][1] / MB:>9.1f} "
                f"{run.load[0]:>5.2f}-{run.load[2]:<5.2f}")  # fmt: skip
        for n, run in builds.items():
            rec = next((r for r in run.records if r["kind"] == "build"), None)
            if rec:
                say(f"  N={n}: {rec['reports']} reports, {rec['facilities']:,} facilities, {rec['observations']:,} observations, "
                    f"{rec['quarantined']:,} quarantined lines, {rec['errors']} input errors, {rec['warnings']} warnings; "
                    f"import {rec['import_s']:.2f} s (not in the build time)")  # fmt: skip
        if stages:
            say()
            say("STAGE SPLIT — the same work stage by stage in a second child (parse = read + decode + parse every file; "
                "mapping = time inside graph_nquads; store load = store.build minus mapping: ontology + bulk_load + flush)")
            say(f"{'N':>6} {'parse s':>8} {'%':>4} {'resolve s':>9} {'%':>4} {'mapping s':>9} {'%':>4} {'load s':>7} {'%':>4} "
                f"{'total s':>8} {'N-Quads MB':>10} {'RSS MB after parse/resolve/store':>33}")  # fmt: skip
            for n, run in stages.items():
                rec = next((r for r in run.records if r["kind"] == "stages"), None)
                if rec is None:
                    say(f"{n:>6} FAILED: {run.killed or f'exit {run.returncode}'}")
                    continue
                total = rec["total_s"]
                parts = [(rec[k], 100 * rec[k] / total) for k in ("parse_s", "resolve_s", "mapping_s", "load_s")]
                rss = f"{rec['rss_after_parse_mb']:,.0f} / {rec['rss_after_resolve_mb']:,.0f} / {rec['rss_after_store_mb']:,.0f}"
                say(f"{n:>6} {parts[0][0]:>8.1f} {parts[0][1]:>4.0f} {parts[1][0]:>9.2f} {parts[1][1]:>4.0f} "
                    f"{parts[2][0]:>9.1f} {parts[2][1]:>4.0f} {parts[3][0]:>7.1f} {parts[3][1]:>4.0f} {total:>8.1f} "
                    f"{rec['nquad_mb']:>10,.0f} {rss:>33}")  # fmt: skip
            for n, run in stages.items():
                rec = next((r for r in run.records if r["kind"] == "stages"), None)
                if rec:
                    say(f"  N={n}: parse {rec['rows'] / rec['parse_s']:,.0f} mentions/s ({rec['reports'] / rec['parse_s']:.1f} reports/s); "
                        f"mapping {rec['nquad_lines'] / max(rec['mapping_s'], 1e-9):,.0f} lines/s; store load "
                        f"{rec['quads'] / max(rec['load_s'], 1e-9):,.0f} quads/s; stage child peak RSS {run.maxrss_mb:,.0f} MB")  # fmt: skip
        if loads:
            say()
            say("THE STORE'S OWN LIMITS — in a third child, on the built store: bare = bulk-load exactly its quads (Oxigraph's dump) into a")
            say("new store from the file; baseline = bulk-load 4 quads per mention (row type, printed name, line, document); ratios = build / that")
            for n, run in loads.items():
                rec = next((r for r in run.records if r["kind"] == "loads"), None)
                build_rec = next((r for r in builds[n].records if r["kind"] == "build"), None)
                if rec is None or build_rec is None:
                    say(f"  N={n}: FAILED ({run.killed or f'exit {run.returncode}'})\n{run.stderr[-600:]}")
                    continue
                seconds = build_rec["seconds"]
                say(f"  N={n}: build {seconds:.1f} s; bare load of its {rec['bare_quads']:,} quads {rec['bare_s']:.1f} s "
                    f"({rec['bare_quads'] / rec['bare_s']:,.0f} quads/s, build = {seconds / rec['bare_s']:.2f}x); "
                    f"baseline {rec['baseline_quads']:,} quads ({rec['baseline_quads'] / max(rec['rows'], 1):.1f} per mention) "
                    f"{rec['baseline_s']:.1f} s (build = {seconds / rec['baseline_s']:.1f}x, {rec['rows'] / rec['baseline_s']:,.0f} mentions/s)")  # fmt: skip
                say(f"  N={n}: smelterkg export --format nquads {rec['export_s']:.1f} s, Oxigraph's own dump {rec['dump_s']:.1f} s "
                    f"(export = {rec['export_s'] / rec['dump_s']:.2f}x)")  # fmt: skip
        say()
        say("QUERIES — latency in ms over the timed runs (after warm-ups); Oxigraph: Store.read_only, use_default_graph_as_union=True;")
        say("rdflib: in-memory rdflib.Dataset(default_union=True) holding the same N-Quads + ontology graph, query prepared once")
        say("(parse not timed), params bound with initBindings. ratio = rdflib p50 / Oxigraph p50. rows = result rows (ASK: 1/0).")
        for n in sorted(ox):
            run_ox, run_rd = ox[n], rd.get(n)
            opened = next((r for r in run_ox.records if r["kind"] == "open"), {})
            rd_loaded = next((r for r in run_rd.records if r["kind"] == "loaded"), None) if run_rd else None
            label = "Oxigraph vs rdflib" if run_rd else "Oxigraph only (rdflib not run at this size)"
            say()
            say(f"N={n} — {label}; store {opened.get('quads', 0):,} quads"
                + (f"; rdflib {rd_loaded['quads']:,} quads, loaded in {rd_loaded['load_s']:.1f} s, RSS {run_rd.maxrss_mb:,.0f} MB" if rd_loaded else "")
                + f"; load avg during Oxigraph runs {run_ox.load[1]:.2f}"
                + (f", rdflib runs {run_rd.load[1]:.2f}" if run_rd else ""))  # fmt: skip
            head = f"  {'query':<34} {'rows':>7} {'ox p50':>9} {'ox p95':>9} {'runs':>5}"
            if run_rd:
                head += f" {'rows':>7} {'rdflib p50':>10} {'rdflib p95':>10} {'runs':>5} {'ratio':>8}"
            say(head)
            for query in queries:
                a = _query_record(run_ox, query.name)
                line = f"  {query.name[:34]:<34} "
                if a is None:
                    line += f"{'(not run)':>33}"
                elif "timeout" in a:
                    line += f"{'-':>7} {'>' + format(a['timeout'], '.0f') + ' s':>9} {'timeout':>9} {0:>5}"
                elif "error" in a:
                    line += f"ERROR {a['error'][:60]}"
                else:
                    line += f"{a['rows']:>7,} {_fmt_ms(a['p50_ms']):>9} {_fmt_ms(a['p95_ms']):>9} {a['runs']:>4}{'*' if a['runs'] < args.runs else ' '}"
                if run_rd:
                    b = _query_record(run_rd, query.name)
                    if b is None:
                        line += f"  {'(not run: ' + (run_rd.killed or 'child stopped') + ')'}"
                    elif "timeout" in b:
                        line += f" {'-':>7} {'>' + format(b['timeout'], '.0f') + ' s':>10} {'timeout':>10} {0:>5}"
                    elif "error" in b:
                        line += f"  rdflib ERROR {b['error'][:60]}"
                    else:
                        ratio = b["p50_ms"] / a["p50_ms"] if a and a.get("p50_ms") else None
                        flag = "*" if b["runs"] < args.runs else ""
                        line += (f" {b['rows']:>7,} {_fmt_ms(b['p50_ms']):>10} {_fmt_ms(b['p95_ms']):>10} {b['runs']:>4}{flag:1} "
                                 f"{(f'{ratio:,.0f}x' if ratio and ratio >= 10 else f'{ratio:.1f}x') if ratio else '-':>8}")  # fmt: skip
                        if a and "rows" in a and a["rows"] != b["rows"]:
                            line += "  (row counts differ)"
                say(line)
        if any(r.get("runs", args.runs) < args.runs for run in [*rd.values(), *ox.values()] for r in run.records if r.get("kind") == "query"):
            say(f"  * fewer than {args.runs} timed runs: one run was so slow that {args.runs} would overrun the per-query budget")
        for n in sorted(args.rdflib_sizes):
            if n in stores and n not in rd:
                say(f"  rdflib at N={n}: not run (see the log above)")
        say()
        say(f"load average at end (1/5/15 min): {loadavg()}; wall time {(time.perf_counter() - started) / 60:.1f} min")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _child_main(args: argparse.Namespace) -> int:
    kind, *rest = args._child
    out = args._out
    if kind == "build":
        child_build(Path(rest[0]), Path(rest[1]), out)
    elif kind == "stages":
        child_stages(Path(rest[0]), Path(rest[1]), out)
    elif kind == "loads":
        child_loads(Path(rest[0]), Path(rest[1]), out)
    elif kind in ("oxq", "rdflib"):
        target, warmups, runs, budget, listing, timeout = (
            Path(rest[0]), int(rest[1]), int(rest[2]), float(rest[3]), Path(rest[4]), float(rest[5])
        )
        queries = [SavedQuery(q["name"], q["text"], [Param(**p) for p in q["params"]]) for q in json.loads(listing.read_text())]
        if kind == "oxq":
            child_oxigraph_queries(target, out, queries, warmups, runs, budget, timeout)
        else:
            child_rdflib(target, out, queries, warmups, runs, budget, timeout)
    else:
        raise SystemExit(f"unknown child {kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
