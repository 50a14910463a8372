"""Each hand-written exhibit in tests/data/exhibits (one per filing agent's layout) reads to
exactly the rows of its hand-written expected CSV: row F1 = 1.0, and no value the exhibit does not
print (a country, status or smelter ID where the expected row has none)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from smelterkg.ingest.readers import read_document

EXHIBITS = Path(__file__).parents[2] / "data" / "exhibits"
FIELDS = ("metal", "name", "country_code", "status_code", "smelter_id")
CASES = sorted(p for p in EXHIBITS.iterdir() if p.suffix in {".htm", ".txt"})


def expected(path: Path) -> Path:
    """The hand-written rows of an exhibit: in a hidden folder, so `smelterkg build tests/data/exhibits`
    reads the exhibits only."""
    return path.parent / ".expected" / f"{path.stem}.csv"


def expected_rows(path: Path) -> Counter[tuple[str, ...]]:
    with expected(path).open(encoding="utf-8", newline="") as handle:
        return Counter(tuple(row[f] for f in FIELDS) for row in csv.DictReader(handle))


def row_f1(got: Counter[tuple[str, ...]], want: Counter[tuple[str, ...]]) -> float:
    hits = sum((got & want).values())
    if not got and not want:
        return 1.0
    precision = hits / max(1, sum(got.values()))
    recall = hits / max(1, sum(want.values()))
    return 0.0 if not hits else 2 * precision * recall / (precision + recall)


def test_there_is_one_exhibit_per_layout() -> None:
    assert len(CASES) >= 6 and all(expected(p).exists() for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_exhibit_reads_to_its_expected_rows(path: Path) -> None:
    report = read_document(path)
    got = Counter(tuple(getattr(row, f) for f in FIELDS) for row in report.rows)
    want = expected_rows(path)
    assert row_f1(got, want) == 1.0, (sorted((got - want).elements()), sorted((want - got).elements()))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_no_invented_values(path: Path) -> None:
    """Every printed value is on the page: a row's country/status/name text occurs in the file."""
    text = path.read_bytes().decode("utf-8").replace("&amp;", "&").replace("&uuml;", "ü").replace("&#160;", " ")
    flat = " ".join(text.replace("<br>", " ").split())
    for row in read_document(path).rows:
        for printed in (row.country, row.status, row.smelter_id):
            assert not printed or printed in flat, (row, printed)


def test_locators_name_table_row_and_cell() -> None:
    report = read_document(EXHIBITS / "summary-tables-2020.htm")
    assert [str(r.locator) for r in report.rows][:1] == ["table 4 row 2 cell 2"]


def test_non_smelter_tables_are_quarantined_with_their_reason() -> None:
    report = read_document(EXHIBITS / "summary-tables-2020.htm")
    reasons = {q.locator.table: q.reason for q in report.quarantine}
    assert "numbers" in reasons[2] and "Gold | 61 | 6 | 9 | 39 | 115" in [q.text for q in report.quarantine]
    assert "countries of origin" in reasons[3]
    assert not any(r.name in {"Gold", "Australia"} for r in report.rows)


def test_footnote_marks_leave_the_name_for_the_notes_with_their_legend() -> None:
    rows = {r.name: r for r in read_document(EXHIBITS / "toppan-style-2016.htm").rows}
    assert rows["Asahi Refining USA Inc."].notes == ("footnote *: Smelter also processes recycled material.",)
    assert rows["Heraeus Precious Metals GmbH & Co. KG"].notes == ("footnote (1): Formerly W.C. Heraeus GmbH.",)


def test_location_keeps_the_city_in_the_notes_and_no_status_is_guessed() -> None:
    rows = read_document(EXHIBITS / "location-no-status-2015.htm").rows
    assert rows[0].country == "JAPAN" and "location: Tokyo, JAPAN" in rows[0].notes
    assert all(not r.status and not r.status_code for r in rows)
