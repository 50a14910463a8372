"""A filled Smelter List -> supplier rows, and through CMRTReader -> a parsed report."""

from __future__ import annotations

from smelterkg.ingest.cmrt import CMRTReader, read_cmrt, read_smelter_list
from smelterkg.ingest.cmrt.reader import NAMES_NO_SMELTER
from smelterkg.ingest.models import Locator

from .conftest import RMI, SUPPLIERS, shared_file


def _rows(path):
    return [(r.metal, r.lookup_name, r.name, r.cid, r.country_code, r.city, r.state, r.source) for r in read_smelter_list(path)]


def test_rows_of_the_english_fixture(fixture_path) -> None:
    rows = read_smelter_list(fixture_path("cmrt_en.xlsx"))
    assert [r.locator for r in rows] == [Locator(sheet="Smelter List", row=n) for n in (5, 6, 7, 8, 9, 14)]
    first = rows[0]
    assert (first.metal, first.lookup_name, first.cid, first.country, first.city, first.state, first.source) == (
        "Gold", "Aurora Bullion Refining AG", "CID900001", "SWITZERLAND", "Mendrisio", "Ticino", "RMI")  # fmt: skip
    assert rows[2].cid == "CID900010" and "ID input column" in rows[2].notes[0]  # only the input column had it
    assert (rows[3].lookup_name, rows[3].name, rows[3].cid) == ("Smelter not listed", "Pulau Contoh Smelting", "")


def test_rows_with_content_but_no_metal_or_name_are_quarantined(fixture_path) -> None:
    cmrt = read_cmrt(fixture_path("cmrt_en.xlsx"))
    reasons = {q.locator.row: q.reason for q in cmrt.smelter_list.quarantine}
    assert reasons[10] == "no metal"
    assert "'Cobalt' is not a metal" in reasons[11]
    assert reasons[12].startswith("no smelter named")
    assert reasons[13].startswith("content only in columns that are not read")
    assert len(reasons) == 4  # the 30 blank template rows are not rows


def test_other_positions_and_garbled_headers_read_the_same_rows(fixture_path) -> None:
    english = _rows(fixture_path("cmrt_en.xlsx"))
    assert _rows(fixture_path("cmrt_garbled.xlsx")) == english
    old = _rows(fixture_path("cmrt_old_layout.xlsx"))
    # The older release has no ID input column: the row whose ID was given only there has none.
    assert old[2][3] == "" and old[:2] + old[3:] == english[:2] + english[3:]


def test_cmrt_reader_turns_the_list_into_mentions(fixture_path) -> None:
    path = fixture_path("cmrt_en.xlsx")
    reader = CMRTReader()
    assert reader.claims(path, path.read_bytes()[:8192])
    report = reader.read(path, path.read_bytes())
    assert report.source == "cmrt_en.xlsx" and len(report.sha256) == 64
    assert report.facts.filer == "Acme Metals Components Inc." and report.facts.year == 2023
    assert [(r.metal, r.name, r.smelter_id, r.country_code) for r in report.rows] == [
        ("Gold", "Aurora Bullion Refining AG", "CID900001", "CH"),
        ("Gold", "Kitami Precious Metal Co., Ltd.", "CID900002", "JP"),
        ("Tantalum", "Lumen Tantalum Materials Co., Ltd.", "CID900010", "CN"),
        ("Tin", "Pulau Contoh Smelting", "", "MY"),
        ("Tungsten", "Nordwolfram GmbH", "CID900030", "DE"),
    ]
    assert all(r.filer == "Acme Metals Components Inc." and r.year == 2023 and r.locator.sheet == "Smelter List" for r in report.rows)
    assert [r.locator.row for r in report.rows] == [5, 6, 7, 8, 14]
    quarantined = {q.locator.row: q.reason for q in report.quarantine}
    assert quarantined[9] == NAMES_NO_SMELTER and set(quarantined) == {9, 10, 11, 12, 13}


def test_real_supplier_lists() -> None:
    honeywell = read_smelter_list(shared_file(SUPPLIERS, "CMRT6.4_Honeywell_HEM_2024-05_redacted.xlsx"))
    assert len(honeywell) == 40 and all(r.cid.startswith("CID") and r.metal and r.lookup_name for r in honeywell)
    assert honeywell[0].locator == Locator(sheet="Smelter List", row=5)
    merck = read_smelter_list(shared_file(SUPPLIERS, "CMRT6.4_Merck_EMD_WF6_2024-04_redacted.xlsx"))
    assert [(r.metal, r.lookup_name, r.cid, r.city, r.state, r.source) for r in merck] == [
        ("Tungsten", "Xiamen Tungsten Co., Ltd.", "CID002082", "Xiamen", "Fujian Sheng", "RMI")]  # fmt: skip
    path = SUPPLIERS / "CMRT6.4_Merck_EMD_WF6_2024-04_redacted.xlsx"
    report = CMRTReader().read(path, path.read_bytes())
    assert report.facts.filer.startswith("EMD Electronics") and report.facts.year is None
    assert [(r.name, r.smelter_id) for r in report.rows] == [("Xiamen Tungsten Co., Ltd.", "CID002082")]


def test_a_blank_template_has_no_rows() -> None:
    assert read_smelter_list(shared_file(RMI, "RMI_CMRT_6.5.xlsx")) == []
