"""Aligned-text dumps of exhibits (w3m, lynx, pdftotext -layout: columns aligned with spaces or
drawn with box characters) read to the rows of their HTML twin; the bundled reports never take
that path; the fallback is bounded (a text over its cap is not searched, and says so)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from smelterkg.data import REPORTS_DIR
from smelterkg.ingest.parse import parse_source
from smelterkg.ingest.readers import read_document, text
from smelterkg.ingest.reading import source_text

DUMPS = Path(__file__).parents[1] / "data" / "exhibits-text"
FIELDS = ("metal", "name", "country_code", "status_code", "smelter_id")
CASES = sorted(DUMPS.glob("*.txt"))


def expected(path: Path) -> Counter[tuple[str, ...]]:
    with (path.parent / ".expected" / f"{path.stem}.csv").open(encoding="utf-8", newline="") as handle:
        return Counter(tuple(row[f] for f in FIELDS) for row in csv.DictReader(handle))


def test_there_are_dumps_of_several_tools_and_layouts() -> None:
    assert {p.name.split(".")[-2] for p in CASES} >= {"w3m", "lynx", "pdftotext"} and len(CASES) >= 8


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_a_dump_reads_to_the_rows_of_its_html_twin(path: Path) -> None:
    report = read_document(path)
    got = Counter(tuple(getattr(row, f) for f in FIELDS) for row in report.rows)
    want = expected(path)
    assert got == want, (sorted((got - want).elements()), sorted((want - got).elements()))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_no_invented_values(path: Path) -> None:
    flat = " ".join(path.read_text(encoding="utf-8").split())
    for row in read_document(path).rows:
        for printed in (row.name, row.country, row.status, row.smelter_id):
            assert not printed or all(word in flat for word in printed.split()), (row, printed)


def test_rows_carry_their_file_lines_and_a_wrapped_name_both_lines() -> None:
    path = DUMPS / "toppan-style-2016.w3m.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = {r.name: r for r in read_document(path).rows}
    heraeus = rows["Heraeus Precious Metals GmbH & Co. KG"]
    assert len(heraeus.locator.lines) == 2 and heraeus.locator.is_text_lines
    assert [lines[n - 1].split()[0] for n in heraeus.locator.lines] == ["Heraeus", "GmbH"]
    assert heraeus.notes == ("footnote (1): Formerly W.C. Heraeus GmbH.",)


def test_page_numbers_and_running_headers_in_a_dump_are_quarantined_not_rows() -> None:
    report = read_document(DUMPS / "toppan-style-2016.w3m.txt")
    texts = {q.text: q.reason for q in report.quarantine}
    assert "page number" in texts["12"] and "Conflict Minerals Report" in texts


@pytest.mark.parametrize("report", sorted(REPORTS_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_the_bundled_reports_read_as_the_line_parser_reads_them(report: Path) -> None:
    data = report.read_bytes()
    assert read_document(report).rows == parse_source(source_text(report, data)).rows


def test_a_text_over_the_cap_is_not_searched_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "MAX_ALIGNED_CHARS", 100)
    report = read_document(DUMPS / "workiva-style-2021.w3m.txt")
    assert any("aligned-column reading skipped" in w for w in report.warnings)
    assert sum(bool(r.smelter_id) for r in report.rows) == 0
