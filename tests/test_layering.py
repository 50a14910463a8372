"""The architecture reads off the folders, and data flows one way: no folder imports another that
imports it back (sources come in through ingest/, become the graph of ontology/, are used
through queries/, pictures and commands). ``cli.py`` and ``__main__.py`` are the entry points above
everything and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {
    "ingest": ROOT / "ingest",
    "ontology": ROOT / "ontology",
    "queries": ROOT / "queries",
    "data": ROOT / "data",
    "pictures": ROOT / "src" / "smelterkg" / "pictures",
    "commands": ROOT / "src" / "smelterkg" / "commands",
}
CORE = ROOT / "src" / "smelterkg"  # pipeline, store, output: the modules directly in the package
ENTRY_POINTS = {"cli.py", "__main__.py"}


def _folder_of_module(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "smelterkg":
        return None
    if len(parts) == 1:
        return "core"
    if parts[1] in FOLDERS:
        return parts[1]
    return "core"


def _folder_of_file(path: Path) -> str | None:
    for folder, where in FOLDERS.items():
        if where in path.parents:
            return folder
    if path.parent == CORE and path.name not in ENTRY_POINTS:
        return "core"
    return None


def folder_imports() -> nx.DiGraph:
    graph = nx.DiGraph()
    files = [p for where in (*FOLDERS.values(), CORE) for p in where.rglob("*.py")]
    for path in sorted(set(files)):
        source = _folder_of_file(path)
        if source is None:
            continue
        graph.add_node(source)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            for name in names:
                target = _folder_of_module(name)
                if target is not None and target != source:
                    graph.add_edge(source, target, where=f"{path.relative_to(ROOT)} imports {name}")
    return graph


def test_no_folder_imports_a_folder_that_imports_it_back():
    graph = folder_imports()
    cycles = list(nx.simple_cycles(graph))
    described = [" -> ".join(c + c[:1]) + ": " + "; ".join(graph.edges[a, b]["where"] for a, b in zip(c, c[1:] + c[:1])) for c in cycles]
    assert not cycles, described


def test_sources_flow_from_ingest_to_ontology_to_queries():
    graph = folder_imports()
    assert not graph.has_edge("ingest", "ontology") and not graph.has_edge("ingest", "queries")
    assert not graph.has_edge("ontology", "queries") and not graph.has_edge("queries", "commands")
