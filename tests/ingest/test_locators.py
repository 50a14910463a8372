"""Every row says where it was read (its locator), in the words an analyst follows back to the
page: line numbers for text reports, and page, sheet, table, row and column for other formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from smelterkg.cli import main
from smelterkg.data import REPORTS_DIR
from smelterkg.ingest.models import Locator, MentionRow, QuarantineEntry
from smelterkg.ingest.parse import parse_file

REPORT_2017 = REPORTS_DIR / "qualys-2017-form-sd.txt"


@pytest.mark.parametrize(
    ("locator", "text"),
    [
        (Locator(lines=(178, 180, 182, 184)), "lines 178 180 182 184"),
        (Locator(lines=(144,)), "line 144"),
        (Locator(page=3, lines=(12, 13)), "page 3 lines 12 13"),
        (Locator(sheet="Smelter List", row=12), "sheet 'Smelter List' row 12"),
        (Locator(sheet="Smelter List", row=12, column="C"), "sheet 'Smelter List' row 12 column C"),
        (Locator(table=2, row=5), "table 2 row 5"),
        (Locator(table=2, row=5, column="3"), "table 2 row 5 cell 3"),
    ],
)
def test_locators_read_as_words(locator: Locator, text: str) -> None:
    assert str(locator) == text


def test_only_plain_line_numbers_are_text_lines() -> None:
    assert Locator(lines=(1, 2)).is_text_lines
    assert not Locator(page=3, lines=(12,)).is_text_lines
    assert not Locator(sheet="S", row=1).is_text_lines
    assert not Locator().is_text_lines


def test_rows_and_quarantine_entries_default_to_their_lines() -> None:
    row = MentionRow("a.txt", 7, (7, 9), 2020, "Gold", "Minsur", "PERU", "Active")
    assert row.locator == Locator(lines=(7, 9))
    assert QuarantineEntry("a.txt", 12, "stray mark", "-").locator == Locator(lines=(12,))
    given = Locator(table=1, row=4)
    assert MentionRow("a.html", 4, (), 2020, "Gold", "Minsur", "PERU", "Active", locator=given).locator is given


def test_bundled_rows_carry_their_lines_as_locator() -> None:
    report = parse_file(REPORT_2017)
    hwaseong = [r for r in report.rows if r.name.startswith("HwaSeong")]
    assert [str(r.locator) for r in hwaseong] == ["lines 178 180 182 184"]
    assert all(r.locator == Locator(lines=r.lines) and r.locator.is_text_lines for r in report.rows)
    assert all(q.locator == Locator(lines=(q.line,)) for q in report.quarantine)


def test_parse_csv_has_a_locator_column_after_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(REPORT_2017)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "source,line,year,metal,name,country,status,country_code,status_code,status_scheme,smelter_id,filer,lines,notes,locator"
    )
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["HwaSeong CJ Co., Ltd."]["lines"] == "178 180 182 184"
    assert rows["HwaSeong CJ Co., Ltd."]["locator"] == "lines 178 180 182 184"


def test_parse_jsonl_has_a_locator_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--format", "jsonl", str(REPORT_2017)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    hwaseong = next(r for r in records if r["name"] == "HwaSeong CJ Co., Ltd.")
    assert hwaseong["lines"] == [178, 180, 182, 184]
    assert hwaseong["locator"] == "lines 178 180 182 184"
    assert list(hwaseong)[-1] == "locator"
