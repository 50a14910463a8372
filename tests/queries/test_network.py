"""``smelterkg export --format graphml|gexf``: the facility–event–filer network for Gephi."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from smelterkg.cli import main

FACILITY = "https://w3id.org/smelterkg/id/facility/"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_export(bundled_store_path: Path, tmp_path: Path, fmt: str, capsys) -> None:
    target = tmp_path / f"network.{fmt}"
    assert main(["export", "-o", str(target), "--store", str(bundled_store_path)]) == 0  # format from the name
    assert f"({'graph'}, {fmt}," in capsys.readouterr().err
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    kinds = Counter(data["kind"] for _, data in graph.nodes(data=True))
    assert kinds["filer"] == 1 and kinds["event"] >= 20 and kinds["facility"] > 400

    goslar = graph.nodes[FACILITY + "tantalum/hcstarckgoslar-de"]
    assert goslar["label"] == "TANIOBIS GmbH"
    assert goslar["names"] == (
        "H.C. Starck GmbH Goslar (2014, 2017) → H.C. Starck Tantalum and Niobium GmbH (2019) → TANIOBIS GmbH (2022)"
    )

    johnson = FACILITY + "gold/johnsonmatthey-us"
    renames = [e for e in graph.successors(johnson) if graph.nodes[e].get("event_type") == "rename"]
    assert len(renames) == 1
    event = graph.nodes[renames[0]]
    assert (event["old_name"], event["new_name"]) == ("Johnson Matthey Inc", "Asahi Refining USA Inc.")
    assert int(event["not_before"]) == 2014 and int(event["not_after"]) == 2017 and "bullionvault" in event["evidence"]
    assert johnson in graph.successors(renames[0])  # a rename leads back to the facility it renamed

    split = FACILITY + "tantalum/hcstarckgroup-de"
    parts = {p for e in graph.successors(split) for p in graph.successors(e)}
    assert FACILITY + "tantalum/hcstarckgoslar-de" in parts and len(parts) == 7

    filer = next(n for n, d in graph.nodes(data=True) if d["kind"] == "filer")
    listed = graph.edges[filer, johnson]
    assert listed["relation"] == "listed" and listed["years"] == "2013 2014 2017 2019 2022"


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_export_is_deterministic(bundled_store_path: Path, capsysbinary, fmt: str) -> None:
    outputs = []
    for _ in range(2):
        assert main(["export", "--format", fmt, "--store", str(bundled_store_path)]) == 0
        outputs.append(capsysbinary.readouterr().out)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10_000
    assert b"lastmodifieddate" not in outputs[0]
