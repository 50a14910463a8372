"""Filers identified by their EDGAR CIK: the submission header and fetch's file names carry the CIK
and accession number into the facts and the graph; without them the filer is minted from its name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph

from smelterkg.ingest.edgar.names import parse_edgar_name
from smelterkg.ingest.readers import read_document
from smelterkg.ontology import iris, mapping

EXHIBITS = Path(__file__).resolve().parents[1] / "data" / "exhibits"
SUBMISSION = EXHIBITS / "edgar-submission-2022.txt"
WORKIVA = EXHIBITS / "workiva-style-2021.htm"
QUALYS = Path(__file__).resolve().parents[2] / "data" / "reports" / "qualys-2022-form-sd.txt"
SKG = "https://w3id.org/smelterkg/ontology#"


def _store(*reports) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    text = "".join(
        line for r in reports for line in mapping.document_nquads(r, mapping.row_iris(iris.document_iri(r.sha256), r.rows))
    )
    store.load(text.encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    return store


def _select(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    prefixed = f"PREFIX skg: <{SKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> {query}"
    return sorted(tuple(t.value for t in row) for row in store.query(prefixed, use_default_graph_as_union=True))


def test_submission_header_cik_and_accession_reach_the_graph() -> None:
    report = read_document(SUBMISSION)
    assert (report.facts.cik, report.facts.accession) == ("0000999999", "0000999999-23-000012")
    assert report.facts.evidence["cik"].origin == "header" and report.facts.evidence["cik"].line == 13
    rows = _select(_store(report), "SELECT ?cik ?acc ?filer ?fcik ?name WHERE { ?d skg:cik ?cik ; skg:accessionNumber ?acc ; skg:filer ?filer . ?filer skg:cik ?fcik ; rdfs:label ?name }")
    assert rows == [("0000999999", "0000999999-23-000012", "https://w3id.org/smelterkg/id/filer/cik/0000999999", "0000999999", "EXAMPLE SENSORS INC.")]


def test_fetch_file_name_gives_cik_and_accession(tmp_path: Path) -> None:
    named = tmp_path / "0000006951_2021_0001193125-22-146038_d840000dex101.htm"
    shutil.copy(WORKIVA, named)
    report = read_document(named)
    assert (report.facts.cik, report.facts.accession) == ("0000006951", "0001193125-22-146038")
    assert report.facts.evidence["accession"].origin == "file name"


def test_two_documents_of_one_cik_with_two_names_are_one_filer(tmp_path: Path) -> None:
    a = read_document(SUBMISSION)
    text = SUBMISSION.read_bytes().replace(b"<b>EXAMPLE SENSORS INC.</b>", b"<b>Example Sensors Incorporated</b>")
    other = tmp_path / "renamed.txt"
    other.write_bytes(text)
    b = read_document(other)
    assert b.facts.filer == "Example Sensors Incorporated"
    rows = _select(_store(a, b), "SELECT DISTINCT ?filer ?name WHERE { ?d skg:filer ?filer . ?filer rdfs:label ?name }")
    assert rows == [
        ("https://w3id.org/smelterkg/id/filer/cik/0000999999", "EXAMPLE SENSORS INC."),
        ("https://w3id.org/smelterkg/id/filer/cik/0000999999", "Example Sensors Incorporated"),
    ]


def test_without_cik_the_filer_is_minted_from_its_name() -> None:
    report = read_document(QUALYS)
    assert report.facts.filer and report.facts.cik is None and report.facts.accession is None
    rows = _select(_store(report), "SELECT ?filer WHERE { ?d skg:filer ?filer }")
    assert rows == [(iris.filer_iri(report.facts.filer),)]
    assert "/filer/cik/" not in rows[0][0]
    assert _select(_store(report), "SELECT ?c WHERE { ?s skg:cik ?c }") == []


def test_names_that_only_look_like_fetch_names_give_nothing(tmp_path: Path) -> None:
    for name in ("000006951_2021_0001193125-22-146038_x.htm", "0000006951_2021_0001193125-2-146038_x.htm", "0000006951_21_0001193125-22-146038_x.htm"):
        assert parse_edgar_name(name) is None
        path = tmp_path / name
        shutil.copy(WORKIVA, path)
        assert read_document(path).facts.cik is None


def test_year_disagreement_is_a_warning_and_the_text_year_stays(tmp_path: Path) -> None:
    named = tmp_path / "0000006951_2019_0001193125-22-146038_d840000dex101.htm"
    shutil.copy(WORKIVA, named)
    report = read_document(named)
    assert report.facts.year == 2021
    assert any("reporting year 2019" in w and "2021" in w for w in report.warnings)


def _with_cover_cik(tmp_path: Path, name: str, cik_line: bytes) -> Path:
    """The workiva-style exhibit with a cover line giving its CIK, saved as ``name``."""
    marker = b"<span>Conflict Minerals Report</span></div>"
    data = WORKIVA.read_bytes().replace(marker, marker + b"<div><span>" + cik_line + b"</span></div>", 1)
    assert cik_line in data
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_cik_printed_on_the_cover_identifies_the_filer(tmp_path: Path) -> None:
    report = read_document(_with_cover_cik(tmp_path, "exhibit.htm", b"Central Index Key: 6951"))
    assert report.facts.cik == "0000006951" and report.facts.accession is None
    evidence = report.facts.evidence["cik"]
    assert evidence.origin == "text" and evidence.text == "Central Index Key: 6951"
    rows = _select(_store(report), "SELECT ?filer ?name WHERE { ?d skg:cik ?c ; skg:filer ?filer . ?filer skg:cik ?c ; rdfs:label ?name }")
    assert rows == [("https://w3id.org/smelterkg/id/filer/cik/0000006951", "Example Widgets, Inc.")]


def test_a_file_name_disagreeing_with_the_printed_cik_is_a_warning(tmp_path: Path) -> None:
    path = _with_cover_cik(tmp_path, "0000000320_2021_0001193125-22-146038_d840000dex101.htm", b"CIK: 0000006951")
    report = read_document(path)
    assert report.facts.cik == "0000006951"  # the file's own word is kept
    assert report.facts.accession == "0001193125-22-146038"  # the name fills what the file does not say
    assert any("cik 0000000320" in w and "0000006951" in w for w in report.warnings)
