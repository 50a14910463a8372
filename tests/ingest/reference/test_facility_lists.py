"""RMI / CFSI facility lists (CSV, XLSX): rows, statuses, list dates, quarantine, malformed files.

Fixtures: tests/data/facility-lists/ (python tools/make_facility_list_fixtures.py; invented data).
The shared CFSI 2014 list (../shared/reference/cfsi/) is third-party: its tests skip without it."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest

from smelterkg.ingest.reading import InputError
from smelterkg.ingest.reference import read_facility_list

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "facility-lists"
CFSI_2014 = ROOT.parent / "shared" / "reference" / "cfsi" / "cfsi_compliant_smelters_2014.csv"


def fixture(name: str) -> Path:
    path = DATA / name
    assert path.is_file(), f"{path} missing: run python tools/make_facility_list_fixtures.py"
    return path


def by_cid(facility_list, cid: str):
    (row,) = [row for row in facility_list.rows if row.cid == cid]
    return row


# --- CSV, UTF-8 ----------------------------------------------------------------------------------


def test_utf8_list_rows_are_read_by_their_headers():
    listed = read_facility_list(fixture("rmi_conformant_utf8_2024-01.csv"))
    assert (listed.format, listed.encoding, listed.source) == ("csv", "utf-8", "rmi_conformant_utf8_2024-01.csv")
    assert [row.cid for row in listed.rows] == ["CID900001", "CID900002", "CID900003", "CID900006"]
    first = listed.rows[0]
    assert (first.metal, first.name, first.country, first.country_code, first.state, first.city) == (
        "Gold", "Aurelia Métaux Affinage SA", "Switzerland", "CH", "Ticino", "Mendrisio")
    assert (first.status, first.status_code, first.status_basis, first.since) == ("Conformant", "conformant", "column", "2019-05-01")
    assert first.extra == (("Website", "https://aurelia.example"),)  # a column the reader does not know is kept
    assert str(first.locator) == "line 2"
    tin = by_cid(listed, "CID900003")
    assert (tin.cid_printed, tin.name, tin.status_code, str(tin.locator)) == ("CID 900003", "PT Timah Contoh Unit Dua", "active", "line 5")
    assert listed.status_scheme == "rmi"
    assert listed.sha256 == hashlib.sha256(fixture("rmi_conformant_utf8_2024-01.csv").read_bytes()).hexdigest()


def test_rows_without_id_or_metal_and_duplicates_are_quarantined_blank_rows_are_not_rows():
    listed = read_facility_list(fixture("rmi_conformant_utf8_2024-01.csv"))
    assert [(str(q.locator), q.reason) for q in listed.quarantine] == [
        ("line 7", "no smelter ID"),
        ("line 8", "metal 'Cobalt' is not Gold, Tantalum, Tin or Tungsten"),
        ("line 10", "duplicate of line 9 (same metal, smelter ID, name, location and status)"),
    ]
    assert "Tantalo Nordico AB" in listed.quarantine[0].text
    # line 4 is blank, line 11 only commas, line 12 the "Last updated" footer (read as the date)
    assert not {"line 4", "line 11", "line 12"} & {str(q.locator) for q in listed.quarantine}


def test_the_date_the_file_states_wins_over_its_name_and_the_argument():
    path = fixture("rmi_conformant_utf8_2024-01.csv")
    listed = read_facility_list(path)
    assert (listed.list_date, listed.list_date_basis) == ("2024-03-15", "content")
    assert listed.list_date_evidence == "line 12: 'Last updated 15-Mar-2024'"
    argued = read_facility_list(path, list_date="2023-12")
    assert (argued.list_date, argued.list_date_basis) == ("2024-03-15", "content")
    assert any("2023-12 was given, but the file states 2024-03-15" in w and str(path) in w for w in argued.warnings)


# --- CSV, Windows-1252 ---------------------------------------------------------------------------


def test_cp1252_list_is_decoded_whole_and_mojibake_is_kept_and_said():
    path = fixture("cfsi_compliant_cp1252.csv")
    listed = read_facility_list(path)
    assert listed.encoding == "cp1252"
    names = [row.name for row in listed.rows]
    assert names[0] == "Córrego Ouro Refinaria Ltda."  # a real Windows-1252 accent
    assert names[1] == "Cendres & MÃ©taux Exemple SA"  # mojibake as printed, not "fixed" to Métaux
    assert names[3] == "Tungsten Works \x81 Sample"  # a byte cp1252 leaves undefined stays visible
    warnings = "\n".join(listed.warnings)
    assert f"{path}:2: not UTF-8 (byte 0xf3); the whole file is read as Windows-1252" in warnings
    assert f"{path}: 1 cells hold UTF-8 text read as Windows-1252" in warnings
    assert f"{path}: 1 cells hold C1 control characters" in warnings


def test_columns_in_another_order_and_a_compliant_status():
    listed = read_facility_list(fixture("cfsi_compliant_cp1252.csv"))
    assert [role for role, _ in listed.columns] == ["name", "country", "metal", "status", "cid"]
    tin = by_cid(listed, "CID900103")
    # the no-break space printed before the ID is white space around the cell
    assert (tin.cid_printed, tin.metal, tin.name, tin.country_code) == ("CID900103", "Tin", "Fundição Estanho Modelo", "BR")
    # CFSI's "Compliant" is its scheme's full_compliant (statuses.ttl maps it to canonical Conformant)
    assert listed.status_scheme == "cfsp"
    assert Counter(row.status_code for row in listed.rows) == {"full_compliant": 3, "active": 1}


def test_no_date_stated_anywhere_stays_empty_unless_given():
    path = fixture("cfsi_compliant_cp1252.csv")
    listed = read_facility_list(path)
    assert (listed.list_date, listed.list_date_basis, listed.list_date_evidence) == ("", "", "")
    given = read_facility_list(path, list_date="2014-06")
    assert (given.list_date, given.list_date_basis) == ("2014-06", "argument")


def test_a_date_in_the_file_name_is_the_last_resort(tmp_path):
    path = tmp_path / "cfsi_list_2016-07.csv"
    shutil.copy(fixture("cfsi_compliant_cp1252.csv"), path)
    listed = read_facility_list(path)
    assert (listed.list_date, listed.list_date_basis) == ("2016-07", "file name")
    assert read_facility_list(path, list_date="2016-06-30").list_date_basis == "argument"


def test_a_list_date_argument_that_is_no_date_is_refused():
    with pytest.raises(ValueError, match="2014-13"):
        read_facility_list(fixture("cfsi_compliant_cp1252.csv"), list_date="2014-13")


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_with_title_rows_above_the_header():
    listed = read_facility_list(fixture("rmi_conformant_title.xlsx"))
    assert (listed.format, listed.title, listed.kind) == ("xlsx", "RMI Conformant Smelters & Refiners", "RMI Conformant")
    assert (listed.list_date, listed.list_date_basis) == ("2025-03-05", "content")
    assert listed.list_date_evidence == "sheet 'Conformant' row 2: 'as of March 5, 2025'"
    gold = by_cid(listed, "CID900201")
    assert str(gold.locator) == "sheet 'Conformant' row 5"
    assert (gold.name, gold.country_code, gold.state, gold.city) == ("Nordlicht Gold AG", "DE", "Hessen", "Hanau")
    assert (gold.since, gold.valid_until, gold.assessment_cycle) == ("2016-04-01", "2026-03-31", "Annual")  # date cells as ISO
    assert by_cid(listed, "CID900203").status_code == "non_conformant"  # the column beats the title
    assert any("sheet 'Notes' has no facility-list header row" in w for w in listed.warnings)


def test_a_list_without_status_column_takes_its_status_from_the_title():
    path = fixture("active_no_status.xlsx")
    listed = read_facility_list(path)
    assert len(listed.rows) == 4 and {(r.status, r.status_basis) for r in listed.rows} == {("Active", "title")}
    # "Active" is CFSI and RMI wording alike: with no date, its code is not guessed
    assert {r.status_code for r in listed.rows} == {""}
    assert any(str(path) in w and "'Active' is worded alike by CFSI and RMI" in w for w in listed.warnings)
    rmi = read_facility_list(path, list_date="2019-06")
    assert (rmi.status_scheme, {r.status_code for r in rmi.rows}) == ("rmi", {"active"})
    assert read_facility_list(path, list_date="2016").status_scheme == "cfsp"


def test_city_comma_country_locations():
    listed = read_facility_list(fixture("active_no_status.xlsx"))
    assert [(r.city, r.country, r.country_code) for r in listed.rows] == [
        ("Ganzhou", "CHINA", "CN"),
        ("", "Korea, Republic of", "KR"),  # one country whose name holds a comma
        ("Ariquemes", "BRAZIL", "BR"),
        ("", "Atlantis City, ATLANTIS", ""),  # no known country: kept as printed, no code
    ]


def test_a_list_without_any_status_or_title_has_an_empty_status(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("Smelter ID,Metal,Smelter Name\nCID900401,Gold,Plain Gold Works\n", encoding="utf-8")
    (row,) = read_facility_list(path).rows
    assert (row.status, row.status_code, row.status_basis) == ("", "", "")


# --- malformed -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("not_a_list.csv", "not a facility list: no header row with a smelter ID column"),
        ("not_a_list.xlsx", "not a facility list: no header row with a smelter ID column"),
        ("empty.csv", "empty file"),
        ("binary.csv", "binary content"),
        ("truncated.xlsx", "truncated or damaged .xlsx"),
        ("header_only.csv", "a facility list header but no rows under it"),
    ],
)
def test_malformed_files_are_one_line_naming_the_file(name, reason):
    path = fixture(name)
    with pytest.raises(InputError) as raised:
        read_facility_list(path)
    message = str(raised.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


# --- the shared CFSI 2014 list -------------------------------------------------------------------


@pytest.fixture
def cfsi_2014():
    if not CFSI_2014.is_file():
        pytest.skip(f"third-party reference file {CFSI_2014} is absent (../shared/reference is not committed)")
    return read_facility_list(CFSI_2014)


def test_cfsi_2014_every_line_is_a_row_or_quarantined(cfsi_2014):
    # 133 lines: the header, 131 smelter lines, and a last line of commas (blank: not a row)
    assert (len(cfsi_2014.rows), len(cfsi_2014.quarantine)) == (130, 1)
    (boliden,) = cfsi_2014.quarantine
    assert (str(boliden.locator), boliden.reason) == ("line 89", "smelter ID 'ID000157' is not an RMI smelter ID (CID and six digits)")
    assert Counter(r.status for r in cfsi_2014.rows) == {"Compliant": 87, "Active": 27, "Progressing": 16}
    assert (cfsi_2014.list_date, cfsi_2014.list_date_basis, cfsi_2014.status_scheme) == ("2014", "file name", "cfsp")


def test_cfsi_2014_mojibake_is_kept_visible_and_said(cfsi_2014):
    anglo = by_cid(cfsi_2014, "CID000058")
    assert anglo.name == "AngloGold Ashanti C\ufffdrrego do S\ufffdtio Miner\ufffd\ufffdo"
    assert (anglo.country_code, anglo.status, anglo.status_code) == ("BR", "Compliant", "full_compliant")
    assert any(w.startswith(f"{CFSI_2014}: 6 cells hold U+FFFD replacement characters") for w in cfsi_2014.warnings)
    yichun = by_cid(cfsi_2014, "CID002307")  # printed with a half-width filler before the ID
    assert (yichun.cid_printed, yichun.metal) == ("\uffa0CID002307", "Tantalum")


def test_cfsi_2014_unknown_status_and_repeated_ids_are_said_not_guessed(cfsi_2014):
    progressing = [r for r in cfsi_2014.rows if r.status == "Progressing"]
    assert {r.status_code for r in progressing} == {""}
    assert any("status 'Progressing' is not in the status vocabulary" in w and "(16 rows)" in w for w in cfsi_2014.warnings)
    xiamen = [r for r in cfsi_2014.rows if r.cid == "CID002082"]
    assert [(r.status, str(r.locator)) for r in xiamen] == [("Active", "line 116"), ("Progressing", "line 132")]
    assert any("CID002082 (Tungsten) is listed 2 times" in w for w in cfsi_2014.warnings)
