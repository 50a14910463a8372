"""Rename, split and absorption chains: the networkx lineage analysis and ``smelterkg chain`` in
every format (text, svg, png, html, dot, mermaid, graphml).

The chains checked are the ones analysts asked about: Johnson Matthey Inc became Asahi Refining
USA Inc.; H.C. Starck Co., Ltd. became TANIOBIS Co., Ltd.; H.C. Starck GmbH Goslar became H.C.
Starck Tantalum and Niobium GmbH, then TANIOBIS GmbH; H.C. Starck Group split into facility-level
parts. Pictures are checked for structure (names present, years in order, no overlapping labels,
a real PNG) and for determinism (the same chain gives the same bytes), not for looks.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import networkx as nx
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox
from PIL import Image
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from smelterkg.cli import main
from smelterkg.ontology import SHAPES_FILE
from smelterkg.ontology.validate import validate
from smelterkg.pictures.layout import layout
from smelterkg.pictures.render import CHAIN_FORMATS, render_chain
from smelterkg.pictures.timeline import RC, figure
from smelterkg.queries.chains import Chain, Lineage, chain_of
from smelterkg.queries.facilities import NameNotFound
from smelterkg.queries.history import Event, load_events

FACILITY = "https://w3id.org/smelterkg/id/facility/"
SKG = "https://w3id.org/smelterkg/ontology#"
GROUP = FACILITY + "tantalum/hcstarckgroup-de"
GOSLAR = FACILITY + "tantalum/hcstarckgoslar-de"
LAUFENBURG = FACILITY + "tantalum/hcstarcklaufenburg-de"
SMELTING = FACILITY + "tantalum/hcstarcksmelting-de"

# name asked -> names the chain must show, in the order they must appear (years in order)
DONE_WHEN = {
    "Johnson Matthey Inc": ["Johnson Matthey Inc", "Asahi Refining USA Inc."],
    "H.C. Starck Co., Ltd.": ["H.C. Starck Co., Ltd.", "TANIOBIS Co., Ltd."],
    "H.C. Starck GmbH Goslar": ["H.C. Starck GmbH Goslar", "H.C. Starck Tantalum and Niobium GmbH", "TANIOBIS GmbH"],
    "H.C. Starck Group": [
        "H.C. Starck Group", "H.C. Starck GmbH Laufenburg", "H.C. Starck Smelting GmbH & Co.KG",
        "H.C. Starck Hermsdorf GmbH", "H.C. Starck Inc.", "H.C. Starck Ltd.", "H.C. Starck Co., Ltd.",
        "H.C. Starck GmbH Goslar",
    ],
}
TEXT_FORMATS = [f for f in CHAIN_FORMATS if f != "png"]
YEAR_LINES = {  # (year, name printed) in the formats that list a facility's years one by one
    "text": r"^\s+(\d{4})  (.+?)\s{2,}",
    "dot": r'<TD>(\d{4})</TD><TD ALIGN="LEFT">(.*?)</TD>',
    "mermaid": r"(\d{4}): (.*?) · ",
}


@pytest.fixture(scope="module")
def chains(bundled_store) -> dict[str, Chain]:
    return {name: chain_of(bundled_store, name)[0] for name in DONE_WHEN}


@pytest.fixture(scope="module")
def rendered(chains) -> dict[tuple[str, str], bytes]:
    return {(name, fmt): render_chain(chain, fmt) for name, chain in chains.items() for fmt in CHAIN_FORMATS}


def readable(data: bytes, fmt: str) -> str:
    """The output as plain text: XML/HTML entities and Mermaid's entity codes decoded."""
    text = data.decode("utf-8")
    if fmt == "mermaid":
        for code, char in (("#quot;", '"'), ("#lt;", "<"), ("#gt;", ">"), ("#amp;", "&"), ("#35;", "#")):
            text = text.replace(code, char)
    return html.unescape(text)


# --- the lineage analysis ---------------------------------------------------------------------


def test_chains_hold_the_facilities_and_events_asked_about(chains: dict[str, Chain]) -> None:
    johnson = chains["Johnson Matthey Inc"]
    assert [f.label for f in johnson.facilities] == ["Asahi Refining USA Inc."]
    assert [(e.kind, e.old_name, e.new_name) for e in johnson.events] == [
        ("rename", "Johnson Matthey Inc", "Asahi Refining USA Inc.")
    ]
    assert (johnson.events[0].not_before, johnson.events[0].not_after) == (2014, 2017)

    goslar = chains["H.C. Starck GmbH Goslar"]
    assert goslar.iris() == [GROUP, GOSLAR]  # what it came from, then itself: not its sister plants
    assert [f.name_in(y) for f in goslar.facilities[1:] for y in f.years] == [
        "H.C. Starck GmbH Goslar", "H.C. Starck GmbH Goslar", "H.C. Starck Tantalum and Niobium GmbH", "TANIOBIS GmbH",
    ]

    group = chains["H.C. Starck Group"]
    assert group.iris()[0] == GROUP and len(group.facilities) == 8
    split = next(e for e in group.events if e.kind == "split")
    assert set(split.resulting) == set(group.iris()[1:])
    # the absorbed plant sits right above the plant that absorbed it
    assert group.iris().index(SMELTING) == group.iris().index(LAUFENBURG) + 1


def test_chain_years_are_the_reporting_years_in_order(chains: dict[str, Chain]) -> None:
    for chain in chains.values():
        assert list(chain.years) == sorted(set(chain.years))
        assert {2013, 2014, 2017, 2019, 2022} <= set(chain.years)


def test_family_takes_in_the_sister_plants(bundled_store) -> None:
    chain, _ = chain_of(bundled_store, "H.C. Starck GmbH Goslar", family=True)
    assert len(chain.facilities) == 8 and chain.title().startswith("Family of")


def test_bundled_events_are_acyclic_and_no_absorbed_plant_is_listed_later(bundled_store, chains) -> None:
    lineage = Lineage(load_events(bundled_store))
    assert nx.is_directed_acyclic_graph(lineage.graph)
    assert lineage.cycles() == []
    families = lineage.families()
    assert {GROUP, GOSLAR, LAUFENBURG, SMELTING} <= families[0]
    absorption = next(e for e in chains["H.C. Starck Group"].events if e.kind == "absorption")
    assert (absorption.original, absorption.resulting) == (LAUFENBURG, (SMELTING,))
    assert chains["H.C. Starck Group"].problems == ()  # Laufenburg's last listing (2017) is before the bracket ends


def test_a_plant_listed_after_its_absorption_is_flagged_by_networkx_and_shacl(bundled_store) -> None:
    """Date Laufenburg's absorption into H.C. Starck Smelting by 2014 (it is listed in 2017): the
    lineage analysis and the SHACL shape ReportedAfterAbsorptionShape both point at it."""
    absorption = next(e for e in load_events(bundled_store) if e.kind == "absorption")
    not_after = NamedNode("https://w3id.org/smelterkg/ontology#notAfter")
    quads = [q for q in bundled_store.quads_for_pattern(None, None, None, None)
             if not (q.subject == NamedNode(absorption.iri) and q.predicate == not_after)]
    quads.append(Quad(NamedNode(absorption.iri), not_after, Literal(2014), DefaultGraph()))
    store = Store()
    store.extend(quads)

    chain, _ = chain_of(store, "H.C. Starck GmbH Laufenburg")
    assert [(p.kind, p.facilities) for p in chain.problems] == [("reported-after-absorption", (LAUFENBURG, SMELTING))]
    assert "'H.C. Starck GmbH Laufenburg' is listed in 2017" in chain.problems[0].message
    assert chain.late_years(LAUFENBURG) == {2017}
    assert "! listed after it was absorbed" in render_chain(chain, "text").decode("utf-8")

    late = [f for f in validate(store).findings if f.message.startswith("Listed after it was absorbed")]
    assert [(f.severity, f.focus) for f in late] == [("Warning", LAUFENBURG)]
    assert "lists this facility in 2017" in late[0].message and "by 2014" in late[0].message


def _shape_query(name: str) -> str:
    """The SPARQL of a SHACL shape in ontology/shapes.ttl, runnable as it is (``$this`` unbound)."""
    import rdflib

    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    constraint = shapes.value(rdflib.URIRef(f"https://w3id.org/smelterkg/shapes#{name}"), sh.sparql)
    declared = shapes.value(constraint, sh.prefixes)
    prefixes = "".join(
        f"PREFIX {shapes.value(d, sh.prefix)}: <{shapes.value(d, sh.namespace)}>\n" for d in shapes.objects(declared, sh.declare)
    )
    return prefixes + str(shapes.value(constraint, sh.select)).replace("$this", "?this")


def _redated(base: list[Quad], event: str, **years: int) -> Store:
    store = Store()
    store.extend(base)
    store.extend(Quad(NamedNode(event), NamedNode(SKG + name), Literal(year), DefaultGraph()) for name, year in years.items())
    return store


# Laufenburg is listed in 2014 and 2017; its absorption is re-dated every way the rule reads it.
REDATINGS = [
    {"notBefore": 2014, "notAfter": 2017},  # as bundled: not late
    {"notAfter": 2014},
    {"notAfter": 2013, "statedYear": 2019},  # the bound wins over the stated year
    {"statedYear": 2013},  # no bound: the stated year
    {"notBefore": 2013},  # no upper bound, no stated year: never late
    {},
]


@pytest.mark.parametrize("years", REDATINGS, ids=lambda y: ",".join(f"{k}={v}" for k, v in y.items()) or "undated")
def test_the_shacl_shape_and_the_lineage_rule_flag_the_same_late_listings(bundled_store, years) -> None:
    """One rule, stated twice (Python for `smelterkg chain`, SPARQL for `smelterkg validate`): on
    every re-dating both flag the same facilities in the same years."""
    absorption = next(e for e in load_events(bundled_store) if e.kind == "absorption")
    dates = {NamedNode(SKG + name) for name in ("notBefore", "notAfter", "statedYear")}
    base = [q for q in bundled_store.quads_for_pattern(None, None, None, None)
            if not (q.subject == NamedNode(absorption.iri) and q.predicate in dates)]
    store = _redated(base, absorption.iri, **years)

    targets = {q.subject.value for q in store.quads_for_pattern(None, NamedNode(SKG + "succeededBy"), None, None)}
    by_shape = {
        (s["this"].value, int(s["year"].value))
        for s in store.query(_shape_query("ReportedAfterAbsorptionShape"), use_default_graph_as_union=True)
        if s["this"].value in targets
    }
    chain, _ = chain_of(store, "H.C. Starck Group")
    by_lineage = {(f.iri, year) for f in chain.facilities for year in chain.late_years(f.iri)}
    assert by_shape == by_lineage
    flagged = {p.facilities[0] for p in chain.problems if p.kind == "reported-after-absorption"}
    assert flagged == {iri for iri, _ in by_shape}
    limit = years.get("notAfter", years.get("statedYear"))
    listed = chain.facility(LAUFENBURG).years
    assert set(listed) == {2014, 2017}
    assert by_lineage == {(LAUFENBURG, y) for y in listed if limit is not None and y > limit}


def test_lineage_finds_cycles_and_late_listings_in_a_made_up_graph() -> None:
    events = [
        Event("e:split", "split", "A", ("B", "C"), not_before=2013, not_after=2014),
        Event("e:absorb", "absorption", "C", ("D",), not_after=2017),
        Event("e:rename", "rename", "D", ("D",), not_before=2017, not_after=2019, old_name="d", new_name="d2"),
        Event("e:loop", "absorption", "D", ("A",), stated_year=2020),
    ]
    lineage = Lineage(events[:3])
    assert lineage.chain("C") == {"A", "C", "D"}
    assert lineage.chain("B") == {"A", "B"}
    assert lineage.family("B") == {"A", "B", "C", "D"}
    assert lineage.cycles() == []
    late = lineage.reported_after_absorption({"C": [2014, 2017, 2019], "D": [2022]})
    assert [(p.facilities, p.message.split(" is listed in ")[1].split(",")[0]) for p in late] == [(("C", "D"), "2019")]
    assert lineage.order(["D", "C", "B", "A"], key=str) == ["A", "B", "C", "D"]

    looping = Lineage(events)
    assert [p.kind for p in looping.cycles()] == ["cycle"]
    assert looping.cycles()[0].facilities == ("A", "C", "D")
    renamed_back = Lineage([
        Event("e:r1", "rename", "X", ("X",), not_after=2014, old_name="x", new_name="y"),
        Event("e:r2", "rename", "X", ("X",), not_after=2017, old_name="y", new_name="x"),
    ])
    assert [p.kind for p in renamed_back.cycles()] == ["rename-cycle"]


# --- every format shows the chain --------------------------------------------------------------


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("name", list(DONE_WHEN))
def test_every_format_shows_the_chain(rendered, name: str, fmt: str) -> None:
    text = readable(rendered[(name, fmt)], fmt)
    for expected in DONE_WHEN[name]:
        assert expected in text, (fmt, expected)
    if fmt in YEAR_LINES and name != "H.C. Starck Group":  # the group's parts are lanes, not a sequence
        listed = re.findall(YEAR_LINES[fmt], text, flags=re.MULTILINE)
        names = [printed.strip() for _, printed in listed]
        positions = [names.index(expected) for expected in DONE_WHEN[name]]
        assert positions == sorted(positions), (fmt, names)


@pytest.mark.parametrize("name", list(DONE_WHEN))
def test_png_is_a_real_image_of_sensible_size(rendered, chains, name: str) -> None:
    data = rendered[(name, "png")]
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    width, height = image.size
    lanes = len(chains[name].facilities)
    assert 1000 <= width <= 3000, image.size
    assert 250 + 60 * lanes <= height <= 500 + 150 * lanes, image.size
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 20  # not blank: status colours, text, arrows


@pytest.mark.parametrize("name", list(DONE_WHEN))
def test_picture_shows_the_names_the_years_in_order_and_a_legend(chains, name: str) -> None:
    scene = layout(chains[name])
    texts = [t.text.replace("\n", " ") for t in scene.texts]
    for expected in DONE_WHEN[name]:
        assert any(expected in text for text in texts), expected  # drawn, so also in the PNG
    years = [int(t) for t in texts if re.fullmatch(r"\d{4}", t)]
    assert years == sorted(years) == list(chains[name].years)
    assert "not listed that year" in texts and "Conformant" in texts  # the legend
    if chains[name].events:
        assert "renamed" in texts or "split into parts" in texts


@pytest.mark.parametrize("name", list(DONE_WHEN))
def test_no_label_overlaps_another_or_leaves_its_box(chains, name: str) -> None:
    """The drawn extents of every label, as matplotlib renders them, are pairwise disjoint, no
    arrowhead covers a label, and each name stays inside the run box it names."""
    with matplotlib.rc_context(RC):
        fig = figure(layout(chains[name]))
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = fig.axes[0]
        boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
        assert len(boxes) >= len(DONE_WHEN[name])
        for a, b in itertools.combinations(boxes, 2):
            overlap = Bbox.intersection(a, b)
            assert overlap is None or overlap.width * overlap.height < 1.0, (a, b)  # less than a pixel
        heads = [p.get_window_extent(renderer) for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
        for head, box in itertools.product(heads, boxes):  # no arrow points into a label
            overlap = Bbox.intersection(head, box)
            assert overlap is None or overlap.width * overlap.height < 1.0, (head, box)
        runs = [p.get_window_extent(renderer) for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
        for text in ax.texts:
            extent = text.get_window_extent(renderer)
            inside = [r for r in runs if r.contains(*extent.p0) or r.contains(*extent.p1)]
            for run in inside:  # a name drawn in a run fits in it
                assert run.x0 <= extent.x0 and extent.x1 <= run.x1, (text.get_text(), extent, run)


def test_svg_names_the_facilities_and_has_hover_titles(rendered, chains) -> None:
    svg = readable(rendered[("H.C. Starck GmbH Goslar", "svg")], "svg")
    assert svg.startswith("<?xml") and "<svg" in svg
    for facility in chains["H.C. Starck GmbH Goslar"].facilities:
        assert facility.label in svg
    assert "qualys-2019-form-sd.txt line 315" in svg  # the row behind the 2019 cell, in its <title>
    assert svg.count("<title>") > 8


def test_html_is_one_offline_interactive_file(rendered) -> None:
    page = rendered[("H.C. Starck GmbH Goslar", "html")].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert not re.search(r"(?i)\b(?:https?|ftp):", page), "no web address at all"
    assert not re.search(r"(?i)<(?:link|img|iframe|object|embed)\b|@import|\bsrc\s*=", page)
    assert not re.search(r'(?i)\bhref\s*=\s*"(?!#)', page)  # only in-document references (#id)
    assert "addEventListener('mouseenter'" in page
    tips = page[page.index('id="tips">'):]
    assert "qualys-2019-form-sd.txt line 315" in tips and "H.C. Starck Tantalum and Niobium GmbH" in tips
    assert 'id="cell-1-2019"' in page  # the element the hover text belongs to


def test_graphml_is_a_graph_of_the_chain(rendered) -> None:
    graph = nx.parse_graphml(rendered[("H.C. Starck GmbH Goslar", "graphml")].decode("utf-8"))
    facilities = {n: d for n, d in graph.nodes(data=True) if d["kind"] == "facility"}
    assert set(facilities) == {GROUP, GOSLAR}
    assert facilities[GOSLAR]["names"].index("Goslar") < facilities[GOSLAR]["names"].index("Niobium") \
        < facilities[GOSLAR]["names"].index("TANIOBIS GmbH")
    events = {d["event_type"] for n, d in graph.nodes(data=True) if d["kind"] == "event"}
    assert events == {"split", "rename"}


@pytest.mark.parametrize("fmt", CHAIN_FORMATS)
def test_same_chain_same_bytes(chains, rendered, fmt: str) -> None:
    name = "H.C. Starck Group"
    assert render_chain(chains[name], fmt) == rendered[(name, fmt)]


def test_same_bytes_from_another_process(bundled_store_path: Path, rendered, tmp_path: Path) -> None:
    """Nothing in the files depends on the process (object ids, dates, hash seeds)."""
    for fmt in ("svg", "png", "html"):
        target = tmp_path / f"chain.{fmt}"
        subprocess.run(
            [sys.executable, "-m", "smelterkg", "chain", "H.C. Starck Group", "-o", str(target),
             "--store", str(bundled_store_path)],
            check=True, capture_output=True,
        )
        assert target.read_bytes() == rendered[("H.C. Starck Group", fmt)], fmt


# --- the command ------------------------------------------------------------------------------


def test_chain_command_text(bundled_store_path: Path, capsys) -> None:
    assert main(["chain", "johnson matthey inc", "--store", str(bundled_store_path)]) == 0
    out, err = capsys.readouterr()
    assert "Asahi Refining USA Inc." in out and "renamed 'Johnson Matthey Inc' → 'Asahi Refining USA Inc.'" in out
    assert "qualys-2019-form-sd.txt line 156" in out and err == ""


def test_chain_command_writes_the_format_of_the_file_name(bundled_store_path: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "chain.svg"
    assert main(["chain", "H.C. Starck Co., Ltd.", "-o", str(target), "--store", str(bundled_store_path)]) == 0
    assert "TANIOBIS Co., Ltd." in target.read_text(encoding="utf-8")
    assert "wrote" in capsys.readouterr().err


def test_unknown_name_gives_close_matches(bundled_store_path: Path, capsys) -> None:
    assert main(["chain", "Jonson Mathey Inc", "--store", str(bundled_store_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "close matches" in err and "Johnson Matthey Inc" in err


def test_a_name_of_several_facilities_lists_them(bundled_store_path: Path, capsys) -> None:
    assert main(["chain", "H.C. Starck Smelting GmbH & Co. KG", "--store", str(bundled_store_path)]) == 0
    out, err = capsys.readouterr()
    assert "names 2 facilities" in err and "(Tantalum)" in err and "(Tungsten)" in err and "--metal" in err
    assert "[Tantalum, DE]" in out and "[Tungsten, DE]" in out
    assert main(["chain", "H.C. Starck Smelting GmbH & Co. KG", "--metal", "tungsten",
                 "--store", str(bundled_store_path)]) == 0
    out, err = capsys.readouterr()
    assert "names 2 facilities" not in err and "[Tantalum, DE]" not in out


def test_missing_store_is_one_line(tmp_path: Path, capsys) -> None:
    assert main(["chain", "Johnson Matthey Inc", "--store", str(tmp_path / "none")]) == 1
    assert capsys.readouterr().err.startswith("smelterkg: error: ")


def test_unknown_name_from_the_library(bundled_store) -> None:
    with pytest.raises(NameNotFound):
        chain_of(bundled_store, "No Such Refinery Anywhere")
