"""No personal data leaves the reader: contact names, e-mails, phones, authorizers."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import openpyxl
import pytest

from smelterkg.ingest.cmrt import CMRTReader, read_cmrt

from .conftest import ROOT, SUPPLIERS

_spec = importlib.util.spec_from_file_location("make_cmrt_fixtures", ROOT / "tools" / "make_cmrt_fixtures.py")
FIXTURES = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(FIXTURES)
PEOPLE = FIXTURES.PEOPLE


def _every_output(path: Path) -> str:
    """Everything the reader hands back for a workbook, as one text."""
    cmrt = read_cmrt(path)
    report = CMRTReader().read(path, path.read_bytes())
    return "\n".join(map(repr, (cmrt, report.rows, report.quarantine, report.facts, report.warnings)))


def _cell_texts(path: Path) -> str:
    with warnings.catch_warnings():  # "Conditional Formatting extension is not supported"
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        finally:
            book.close()


@pytest.mark.parametrize("name", ["cmrt_en.xlsx", "cmrt_garbled.xlsx", "cmrt_old_layout.xlsx"])
def test_fake_personal_data_in_the_fixture_never_comes_out(fixture_path, name: str) -> None:
    path = fixture_path(name)
    cells = _cell_texts(path)
    assert all(value in cells for value in PEOPLE.values())  # the fixture does hold them, unredacted
    out = _every_output(path)
    leaked = [value for value in PEOPLE.values() if value in out]
    assert not leaked
    assert "@" not in out and "555-01" not in out


@pytest.mark.parametrize("name", ["CMRT6.4_Honeywell_HEM_2024-05_redacted.xlsx", "CMRT6.4_Merck_EMD_WF6_2024-04_redacted.xlsx"])
def test_redacted_supplier_cmrts_give_no_personal_field(name: str) -> None:
    path = SUPPLIERS / name
    if not path.is_file():
        pytest.skip(f"third-party reference file {path} is absent (../shared/reference is not committed)")
    out = _every_output(path)
    # Every personal cell of these files says "Redacted": none of them may be read.
    assert "Redacted" in _cell_texts(path)
    assert "Redacted" not in out
    assert "Director Product Stewardship" not in out and "Product Sustainability Manager" not in out  # authorizer titles
