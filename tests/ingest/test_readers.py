"""The reader registry: the reader is picked by a file's content (not its name), a new format is one
reader added to the registry, and its rows keep that format's locators all the way to the output."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.data import REPORTS_DIR
from smelterkg.ingest import readers
from smelterkg.ingest.models import Locator, MentionRow, QuarantineEntry
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.readers import HEAD_BYTES, InputError, read_document, reader_for
from smelterkg.ingest.readers.text import TextReader
from smelterkg.ingest.report_facts import ReportFacts
from smelterkg.pipeline import read_inputs

GOOD_REPORT = REPORTS_DIR / "qualys-2013-form-sd.txt"
TINY_TEXT = "ANNEX I- SMELTER LIST\n\nGold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant\nTin\tMinsur\tPERU\tActive\n"

MAGIC = b"SKG-SHEETS\n"  # a made-up spreadsheet-like format: one 'sheet|row|metal|name|country' line per cell row


class SheetsReader:
    """A throwaway reader for the made-up format, written the way a real one would be."""

    name = "sheets"

    def claims(self, path: Path, head: bytes) -> bool:
        return head.startswith(MAGIC)

    def read(self, path: Path, data: bytes) -> ParsedReport:
        rows, quarantine = [], []
        for position, line in enumerate(data[len(MAGIC) :].decode("utf-8").splitlines(), start=1):
            cells = line.split("|")
            if len(cells) != 5:
                where = Locator(sheet="Smelters", row=position)
                quarantine.append(QuarantineEntry(path.name, position, "not five cells", line, where))
                continue
            sheet, row, metal, name, country = cells
            rows.append(MentionRow(path.name, position, (), 2023, metal, name, country, "", locator=Locator(sheet=sheet, row=int(row), column="B")))
        facts = ReportFacts("Sheets Inc.", 2023, None, None, None, None, {})
        return ParsedReport(path.name, hashlib.sha256(data).hexdigest(), facts, rows, quarantine, [], len(rows), path=path)


SHEETS = MAGIC + b"Smelter List|12|Gold|Asaka Riken Co., Ltd.|JAPAN\nSmelter List|13|Tin|Minsur|PERU\nbroken row\n"


@pytest.fixture
def with_sheets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry with the made-up format's reader before the text reader: what adding a format is."""
    monkeypatch.setattr(readers, "READERS", [SheetsReader(), *readers.READERS])


def test_the_text_reader_is_registered_last_and_claims_anything() -> None:
    assert isinstance(readers.READERS[-1], TextReader)
    assert reader_for(Path("scan.txt"), b"%PDF-1.4\n").name == "pdf"  # the content decides, not the name
    assert reader_for(Path("scan.pdf"), b"GOLD\tKazzinc\tKAZAKHSTAN\n").name == "text"


def test_a_new_format_is_read_through_the_pipeline_with_its_own_locators(with_sheets: None, tmp_path: Path) -> None:
    sheets = tmp_path / "filer-2023.txt"  # the content decides, not the name
    sheets.write_bytes(SHEETS)
    reports, errors, _ = read_inputs([sheets, GOOD_REPORT], progress=None)
    assert errors == []
    mine, text = reports
    assert [(r.name, str(r.locator)) for r in mine.rows] == [
        ("Asaka Riken Co., Ltd.", "sheet 'Smelter List' row 12 column B"),
        ("Minsur", "sheet 'Smelter List' row 13 column B"),
    ]
    assert [(q.line, str(q.locator)) for q in mine.quarantine] == [(3, "sheet 'Smelters' row 3")]
    assert text.rows[0].locator == Locator(lines=text.rows[0].lines)  # the text report is still read as text


def test_parse_prints_the_new_formats_locators(with_sheets: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = tmp_path / "filer-2023.sheets"
    sheets.write_bytes(SHEETS)
    assert main(["parse", str(sheets)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["name"], r["line"], r["lines"], r["locator"]) for r in rows] == [
        ("Asaka Riken Co., Ltd.", "1", "", "sheet 'Smelter List' row 12 column B"),
        ("Minsur", "2", "", "sheet 'Smelter List' row 13 column B"),
    ]


def test_a_text_report_with_another_formats_suffix_is_read_as_text(with_sheets: None, tmp_path: Path) -> None:
    disguised = tmp_path / "report.sheets"
    disguised.write_text(TINY_TEXT, encoding="utf-8")
    report = read_document(disguised)
    assert [(r.name, str(r.locator)) for r in report.rows] == [("Asaka Riken Co., Ltd.", "line 3"), ("Minsur", "line 4")]


def test_the_reader_sees_only_the_head_of_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    class Spy(SheetsReader):
        def claims(self, path: Path, head: bytes) -> bool:
            seen.append(len(head))
            return False

    monkeypatch.setattr(readers, "READERS", [Spy(), *readers.READERS])
    big = tmp_path / "big.txt"
    big.write_text(TINY_TEXT * 2000, encoding="utf-8")
    read_document(big)
    assert seen == [HEAD_BYTES]


def test_duplicate_content_in_another_format_is_read_once(with_sheets: None, tmp_path: Path) -> None:
    first, second = tmp_path / "a.sheets", tmp_path / "b.txt"
    first.write_bytes(SHEETS)
    shutil.copy(first, second)
    reports, errors, warnings = read_inputs([first, second], progress=None)
    assert len(reports) == 1 and errors == []
    assert warnings == [f"{second}: same content as {first}; read once"]


def test_a_file_that_only_starts_like_a_pdf_is_one_clear_line(tmp_path: Path) -> None:
    """The PDF reader claims it by its magic number; what follows is no PDF: one line saying so."""
    scan = tmp_path / "scan.txt"
    scan.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\x03\nendstream\n")
    with pytest.raises(InputError) as caught:
        read_document(scan)
    assert str(caught.value) == f"{scan}: damaged PDF, not readable (data format error)"


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_document(tmp_path / "gone.txt")
    assert str(caught.value) == f"{tmp_path / 'gone.txt'}: no such file"
