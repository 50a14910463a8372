"""The HTML reader: it claims HTML exhibits and EDGAR full submissions by content (never the
bundled text reports, even those with markup leftovers), reads cells as printed (entities, span
runs, <br>), takes report facts and the submission header from the document, stays bounded on
hostile input with one clear line, and its rows go through `smelterkg build` to a valid graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.data import REPORTS_DIR
from smelterkg.ingest.readers import HEAD_BYTES, InputError, read_document, reader_for
from smelterkg.ingest.readers.html import HTMLReader, split_submission
from smelterkg.ingest.tables.grid import SourceCell, build_grid

EXHIBITS = Path(__file__).parents[1] / "data" / "exhibits"
TABLE = (
    b"<table><tr><td>Metal</td><td>Smelter Name</td><td>Country</td></tr>"
    b"<tr><td>Gold</td><td>Kaz<span>zinc</span>&#160;</td><td>KAZAKHSTAN</td></tr></table>"
)


@pytest.mark.parametrize("report", sorted(REPORTS_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_the_bundled_text_reports_stay_with_the_text_reader(report: Path) -> None:
    assert reader_for(report, report.read_bytes()[:HEAD_BYTES]).name == "text"


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html><body>",
        b"<?xml version='1.0' encoding='ASCII'?>\n<!--Created with the Workiva Platform-->\n<html xmlns='x'>",
        b"\xef\xbb\xbf  <HTML>\n<BODY>",
        b"<SEC-DOCUMENT>0000999999-23-000012.txt : 20230530\n<SEC-HEADER>",
    ],
)
def test_claims_html_and_edgar_submissions_by_content(head: bytes) -> None:
    assert HTMLReader().claims(Path("exhibit.pdf"), head)


@pytest.mark.parametrize("head", [b"ANNEX I <u></u> SMELTER LIST\n<b>Gold</b>", b"Text before <html> tag", b"**Gold**\t<br>"])
def test_does_not_claim_text_with_markup_leftovers(head: bytes) -> None:
    assert not HTMLReader().claims(Path("report.html"), head)


def test_cells_are_read_as_printed(tmp_path: Path) -> None:
    path = tmp_path / "x.htm"
    path.write_bytes(b"<html><body>" + TABLE + b"</body></html>")
    (row,) = read_document(path).rows
    assert (row.metal, row.name, row.country_code) == ("Gold", "Kazzinc", "KZ")


def test_edgar_submission_header_facts_and_filer() -> None:
    data = (EXHIBITS / "edgar-submission-2022.txt").read_bytes()
    submission, documents = split_submission(data)
    assert (submission.cik, submission.accession) == ("0000999999", "0000999999-23-000012")
    assert [kind for kind, _ in documents] == ["SD", "EX-1.01"]
    report = read_document(EXHIBITS / "edgar-submission-2022.txt")
    assert (report.facts.filer, report.facts.year, len(report.rows)) == ("EXAMPLE SENSORS INC.", 2022, 2)


def test_an_oversized_document_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "big.htm"
    path.write_bytes(b"<html><body><p>" + b"a" * (50 * 1024 * 1024) + b"</p></body></html>")
    with pytest.raises(InputError, match=r"big.htm: HTML document of 50.0 MB is over the \d+ MB limit"):
        read_document(path)


def test_nesting_past_the_parser_limit_is_one_clear_line_not_silently_lost_rows(tmp_path: Path) -> None:
    path = tmp_path / "deep.htm"
    path.write_bytes(b"<html><body>" + b"<div>" * 100_000 + b"</div>" * 100_000 + TABLE + b"</body></html>")
    with pytest.raises(InputError, match="parser limit"):
        read_document(path)


def test_spans_expand_with_each_cell_locator_and_hostile_spans_are_clipped() -> None:
    grid = build_grid(1, [[SourceCell("Gold", 1, rowspan=2), SourceCell("A", 2)], [SourceCell("B", 1)]])
    assert [[(c.text, c.row, c.column) for c in row] for row in grid.rows] == [[("Gold", 1, 1), ("A", 1, 2)], [("Gold", 1, 1), ("B", 2, 1)]]
    wide = build_grid(1, [[SourceCell("x", 1, colspan=10**9, rowspan=10**9)]])
    assert (wide.width, len(wide.rows)) == (1000, 1)


def test_build_reads_the_exhibits_into_a_valid_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert main(["build", str(EXHIBITS), "--store", str(store)]) == 0
    assert "6 documents, 28 rows" in capsys.readouterr().err
    assert main(["validate", "--store", str(store)]) == 0
