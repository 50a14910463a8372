"""`smelterkg export`: the graph as Turtle / TriG / N-Quads / JSON-LD, the mentions as CSV.

The RDF files are read back with rdflib (a parser independent of the engine that wrote them) and
compared with the store itself. Exports of the bundled store are made once per module.
"""

from __future__ import annotations

import csv
import errno
import io
import os
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import DefaultGraph, Literal, NamedNode

from smelterkg import pipeline
from smelterkg.cli import main
from smelterkg.commands import export as export_command
from smelterkg.queries.export import dataset_quads
from smelterkg.store import open_read_only

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own parsers

GRAPH_FORMATS = ("turtle", "trig", "nquads", "jsonld")
RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
MENTION_COLUMNS = [
    "source", "line", "year", "metal", "name", "country", "status", "facility", "facility_name", "resolved_by", "locator",
    "smelter_id", "facility_smelter_id",
]
BUNDLED_MENTIONS = 1326
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SKG = "https://w3id.org/smelterkg/ontology#"
KNOWN_ROW = {
    "source": "qualys-2017-form-sd.txt",
    "line": "178",
    "year": "2017",
    "metal": "Gold",
    "name": "HwaSeong CJ Co., Ltd.",
    "country": "KOREA (REPUBLIC OF)",
    "status": "Indeterminable",
    # the 2017 spelling resolves to the facility first listed in 2013 as "Hwasung CJ Co. Ltd"
    "facility": "https://w3id.org/smelterkg/id/facility/gold/hwasungcj-kr",
    "facility_name": "HwaSeong CJ CO., LTD.",
    "resolved_by": "score",
    "locator": "lines 178 180 182 184",  # a row reassembled from four damaged lines
    "smelter_id": "",  # the bundled reports print no RMI smelter IDs
    "facility_smelter_id": "",  # and are built without reference lists
}


def export_to(directory: Path, store: Path, what: str, fmt: str) -> Path:
    """Run `smelterkg export` in-process into a file; return the file."""
    target = directory / f"{what}.{fmt}"
    argv = ["export", *([what] if what != "graph" else []), "--format", fmt, "-o", str(target), "--store", str(store)]
    assert main(argv) == 0
    return target


@pytest.fixture(scope="module")
def exports(bundled_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("exports")
    files = {fmt: export_to(directory, bundled_store_path, "graph", fmt) for fmt in GRAPH_FORMATS}
    files["csv"] = export_to(directory, bundled_store_path, "mentions", "csv")
    return files


@pytest.fixture(scope="module")
def mentions(exports: dict[str, Path]) -> tuple[list[str], list[dict[str, str]]]:
    text = exports["csv"].read_bytes().decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    records = list(reader)
    assert all(len(record) == len(header) for record in records), "ragged CSV"
    return header, [dict(zip(header, record)) for record in records]


def rdflib_term(term: object) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if datatype == XSD_STRING else rdflib.URIRef(datatype))
    raise AssertionError(f"unexpected term in the store (no blank nodes expected): {term!r}")


@pytest.fixture(scope="module")
def store_quads(bundled_store) -> set[tuple[rdflib.term.Node, ...]]:
    """Every quad of the bundled store, as rdflib terms."""
    quads = set()
    for quad in bundled_store.quads_for_pattern(None, None, None, None):
        assert not isinstance(quad.graph_name, DefaultGraph), "the data lives in named graphs"
        quads.add(tuple(rdflib_term(t) for t in (quad.subject, quad.predicate, quad.object, quad.graph_name)))
    return quads


def parsed_quads(path: Path, fmt: str) -> set[tuple[rdflib.term.Node, ...]]:
    dataset = rdflib.Dataset()
    dataset.parse(str(path), format=RDFLIB_FORMATS[fmt])
    quads = [(s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None))]
    assert len(quads) == len(set(quads))
    return set(quads)


# ---------------------------------------------------------------- the graph


def test_turtle_is_the_union_of_all_graphs(bundled_store, exports: dict[str, Path], store_quads) -> None:
    graph = rdflib.Graph()
    graph.parse(str(exports["turtle"]), format="turtle")
    union = {quad[:3] for quad in store_quads}
    assert set(graph) == union
    assert len(graph) < len(bundled_store), "triples stated in several graphs appear once"
    assert exports["turtle"].read_bytes().startswith(b"@prefix ")
    assert b"@prefix skg: <https://w3id.org/smelterkg/ontology#> ." in exports["turtle"].read_bytes()
    assert b" a skg:TableRow ;" in exports["turtle"].read_bytes()


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_formats_keep_every_named_graph(
    bundled_store, exports: dict[str, Path], store_quads, fmt: str
) -> None:
    quads = parsed_quads(exports[fmt], fmt)
    named = {rdflib.URIRef(graph.value) for graph in bundled_store.named_graphs()}
    assert {g for *_, g in quads} == named
    assert len(named) == 10  # five documents, resolution, yearly, ledger, reference, ontology
    per_graph = Counter(g for *_, g in quads)
    for graph in bundled_store.named_graphs():
        in_store = sum(1 for _ in bundled_store.quads_for_pattern(None, None, None, graph))
        assert per_graph[rdflib.URIRef(graph.value)] == in_store, graph
    assert len(quads) == len(bundled_store)
    assert quads == store_quads


def test_jsonld_parses_back_to_the_same_quads(bundled_store, exports: dict[str, Path]) -> None:
    quads = parsed_quads(exports["jsonld"], "jsonld")
    assert len(quads) == len(bundled_store)
    assert {g for *_, g in quads} == {rdflib.URIRef(graph.value) for graph in bundled_store.named_graphs()}


def test_stdout_is_the_same_bytes_as_the_file(
    bundled_store_path: Path, exports: dict[str, Path], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", "--format", "trig", "--store", str(bundled_store_path)]) == 0
    out, err = capsysbinary.readouterr()
    assert out == exports["trig"].read_bytes()
    assert err == b""  # nothing but data when writing to stdout


def test_default_format_is_trig_or_guessed_from_the_extension(
    bundled_store_path: Path, exports: dict[str, Path], tmp_path: Path
) -> None:
    assert main(["export", "-o", str(tmp_path / "graph.ttl"), "--store", str(bundled_store_path)]) == 0
    assert (tmp_path / "graph.ttl").read_bytes() == exports["turtle"].read_bytes()
    assert main(["export", "-o", str(tmp_path / "graph.out"), "--store", str(bundled_store_path)]) == 0
    assert (tmp_path / "graph.out").read_bytes() == exports["trig"].read_bytes()


def test_same_bytes_across_runs_and_builds(
    bundled_store_path: Path, exports: dict[str, Path], tmp_path: Path
) -> None:
    again = tmp_path / "again"
    again.mkdir()
    rebuilt_store = tmp_path / "rebuilt-store"
    result = pipeline.build([], rebuilt_store, progress=None)
    assert result.reports and not result.errors
    assert rebuilt_store.resolve() != bundled_store_path.resolve()
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    for fmt, first in exports.items():
        what = "mentions" if fmt == "csv" else "graph"
        assert export_to(again, bundled_store_path, what, fmt).read_bytes() == first.read_bytes(), fmt
        assert export_to(rebuilt, rebuilt_store, what, fmt).read_bytes() == first.read_bytes(), fmt


def test_quads_come_graph_by_graph_subject_by_subject(bundled_store) -> None:
    quads = list(dataset_quads(bundled_store))
    assert len(quads) == len(bundled_store)
    graphs = [str(quad.graph_name) for quad in quads]
    # each graph is one contiguous block (TriG / JSON-LD write it once)
    blocks = [g for index, g in enumerate(graphs) if index == 0 or graphs[index - 1] != g]
    assert len(blocks) == len(set(blocks)) == 10
    rows = [q.subject.value for q in quads if q.predicate.value.endswith("#line") and "/row/" in q.subject.value]
    document = rows[0].rsplit("/row/", 1)[0]
    numbers = [int(r.rsplit("/row/", 1)[1].split("-")[0]) for r in rows if r.startswith(document + "/row/")]
    assert numbers == sorted(numbers), "rows in natural order (row/99 before row/100)"


# ---------------------------------------------------------------- mentions


def test_mentions_header_and_rows(mentions: tuple[list[str], list[dict[str, str]]]) -> None:
    header, rows = mentions
    assert header == MENTION_COLUMNS
    assert len(rows) == BUNDLED_MENTIONS
    per_source = Counter(row["source"] for row in rows)
    assert per_source["qualys-2017-form-sd.txt"] == 322
    assert sum(per_source.values()) == BUNDLED_MENTIONS
    assert KNOWN_ROW in rows
    keys = [(row["source"], int(row["line"])) for row in rows]
    assert keys == sorted(keys)
    for row in rows:
        if row["name"]:
            assert row["facility"].startswith("https://w3id.org/smelterkg/id/facility/"), row
        assert row["year"] == row["source"].split("-")[1]


def test_mentions_csv_bytes_for_spreadsheets(exports: dict[str, Path]) -> None:
    raw = exports["csv"].read_bytes()
    assert raw.startswith(b"source,line,year,metal,name,country,status,facility,facility_name,resolved_by,locator,smelter_id,facility_smelter_id\r\n")  # no BOM, CRLF
    raw.decode("utf-8")
    assert raw.count(b"\r\n") == BUNDLED_MENTIONS + 1
    assert b"\n" not in raw.replace(b"\r\n", b"")
    known = ",".join(f'"{v}"' if "," in v else v for v in KNOWN_ROW.values()).encode("utf-8") + b"\r\n"
    assert known in raw  # RFC 4180: a field with a comma is quoted


def test_mentions_agree_with_parse(
    mentions: tuple[list[str], list[dict[str, str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    """The graph keeps what `smelterkg parse` read: the same rows, cell for cell."""
    assert main(["parse"]) == 0
    out, _ = capsys.readouterr()
    columns = MENTION_COLUMNS[: MENTION_COLUMNS.index("facility")]
    parsed_rows = list(csv.DictReader(io.StringIO(out)))
    parsed = Counter(tuple(row[c] for c in columns) for row in parsed_rows)
    exported = Counter(tuple(row[c] for c in columns) for row in mentions[1])
    assert exported == parsed
    # a text row's locator is its source lines, as `parse` lists them
    parsed_lines = Counter((row["source"], row["line"], "lines " + row["lines"]) for row in parsed_rows)
    exported_lines = Counter((row["source"], row["line"], row["locator"]) for row in mentions[1])
    assert exported_lines == parsed_lines


def test_mentions_facility_is_the_resolution_decision(
    bundled_store, mentions: tuple[list[str], list[dict[str, str]]]
) -> None:
    decided = {
        solution["facility"].value
        for solution in bundled_store.query(
            f"SELECT DISTINCT ?facility WHERE {{ GRAPH ?g {{ ?d a <{SKG}ResolutionDecision> ; <{SKG}facility> ?facility }} }}"
        )
    }
    linked = {row["facility"] for row in mentions[1] if row["facility"]}
    assert linked == decided


# ---------------------------------------------------------------- errors: one line, no traceback


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("smelterkg: error: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("what", [[], ["mentions"]])
def test_missing_store(capsys: pytest.CaptureFixture[str], tmp_path: Path, what: list[str]) -> None:
    err = one_line_error(capsys, ["export", *what, "--store", str(tmp_path / "no-store"), "-o", str(tmp_path / "x")])
    assert "no smelterkg store" in err
    assert not (tmp_path / "x").exists()


def test_unwritable_output(capsys: pytest.CaptureFixture[str], bundled_store_path: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for target in (tmp_path / "a-file" / "out.ttl", tmp_path / "missing-dir" / "out.ttl", tmp_path):
        err = one_line_error(capsys, ["export", "-o", str(target), "--store", str(bundled_store_path)])
        assert str(target) in err
    assert (tmp_path / "a-file").read_text() == "x"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_directory(capsys: pytest.CaptureFixture[str], bundled_store_path: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        one_line_error(capsys, ["export", "mentions", "-o", str(locked / "m.csv"), "--store", str(bundled_store_path)])
    finally:
        locked.chmod(0o700)


def test_failed_write_leaves_no_partial_file(
    capsys: pytest.CaptureFixture[str], bundled_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.trig"
    target.write_bytes(b"previous export\n")

    def disk_full(store, fmt, out) -> None:
        out.write(b"@prefix half: <written> .\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export_command, "write_graph", disk_full)
    err = one_line_error(capsys, ["export", "-o", str(target), "--store", str(bundled_store_path)])
    assert "No space left on device" in err
    assert target.read_bytes() == b"previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.trig"]


@pytest.mark.parametrize(
    "argv",
    [["--format", "rdfxml"], ["mentions", "--format", "turtle"], ["--format", "csv"], ["facilities"]],
)
def test_unknown_format_or_export(capsys: pytest.CaptureFixture[str], bundled_store_path: Path, argv: list[str]) -> None:
    err = one_line_error(capsys, ["export", *argv, "--store", str(bundled_store_path)])
    assert "unknown" in err


def test_store_opens_read_only_during_export(bundled_store_path: Path, tmp_path: Path) -> None:
    """Exporting never changes the store (it is opened read-only)."""
    before = sorted((p.name, p.stat().st_size) for p in bundled_store_path.iterdir() if p.is_file())
    export_to(tmp_path, bundled_store_path, "mentions", "csv")
    store = open_read_only(bundled_store_path)
    assert len(store) > 0
    after = sorted((p.name, p.stat().st_size) for p in bundled_store_path.iterdir() if p.is_file())
    assert before == after
