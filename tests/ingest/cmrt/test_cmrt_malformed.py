"""Malformed workbooks: one clear line naming the file, never a traceback; bounded reading."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from smelterkg.ingest.cmrt import CMRTReader, read_cmrt, read_lookup
from smelterkg.ingest.cmrt.workbook import MAX_ROWS
from smelterkg.ingest.reading import InputError

CASES = {
    "not_cmrt.xlsx": "not a CMRT",
    "encrypted.xlsx": "password-protected",
    "truncated.xlsx": "truncated",
    "old_binary.xls": ".xls",
    "no_workbook.xlsx": "not an Excel workbook",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_clear_line_naming_the_file(fixture_path, name: str) -> None:
    path = fixture_path(name)
    with pytest.raises(InputError) as caught:
        read_cmrt(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and CASES[name] in message and "\n" not in message
    with pytest.raises(InputError):
        CMRTReader().read(path, path.read_bytes())


@pytest.mark.parametrize("name", ["cmrt_en.xlsx", "encrypted.xlsx", "truncated.xlsx", "old_binary.xls"])
def test_the_reader_claims_workbooks_to_explain_them(fixture_path, name: str) -> None:
    path = fixture_path(name)
    assert CMRTReader().claims(path, path.read_bytes()[:8192])


def test_the_reader_leaves_other_files_alone(tmp_path: Path) -> None:
    text = tmp_path / "report.txt"
    text.write_text("Gold\tSome Refinery\tJapan\n")
    assert not CMRTReader().claims(text, text.read_bytes())
    assert not CMRTReader().claims(tmp_path / "x.pdf", b"%PDF-1.7\n")
    assert not CMRTReader().claims(tmp_path / "letter.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 100)


def _huge_lookup(path: Path, rows: int) -> None:
    """A workbook whose 'Smelter Look-up' sheet has ``rows`` smelter rows, streamed into the ZIP."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Smelter Look-up" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk: list[str] = []
            for n in range(1, rows + 1):
                chunk.append(f'<row r="{n}">{cell(f"A{n}", "Gold")}{cell(f"B{n}", f"Refinery {n}")}{cell(f"D{n}", "JAPAN")}{cell(f"E{n}", f"CID{n:06d}")}</row>')
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def test_a_million_row_sheet_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    _huge_lookup(path, 1_000_000)
    started = time.perf_counter()
    cmrt = read_cmrt(path)
    elapsed = time.perf_counter() - started
    assert any(f"past {MAX_ROWS:,} rows" in w and "stopped" in w for w in cmrt.warnings)
    assert cmrt.lookup is not None and len(cmrt.lookup.facilities) == MAX_ROWS  # the rows before the cut are read
    assert elapsed < 30  # openpyxl alone parsed the whole sheet on opening it (no <dimension>): ~40 s here


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_lookup(tmp_path / "missing.xlsx")


def test_a_wrong_dimension_record_does_not_hide_rows(fixture_path, tmp_path: Path) -> None:
    """Some writers declare every sheet as <dimension ref="A1"/>; openpyxl would then stop at row 1."""
    source = fixture_path("cmrt_en.xlsx")
    target = tmp_path / "dimension_a1.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            body = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', body)
            new.writestr(info, body)
    honest, lying = read_cmrt(source), read_cmrt(target)
    assert lying.smelter_list.rows == honest.smelter_list.rows and len(lying.smelter_list.rows) == 6
    assert [f.cid for f in lying.lookup.facilities] == [f.cid for f in honest.lookup.facilities]
    assert lying.declaration.company == honest.declaration.company
