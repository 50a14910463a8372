"""The bundled reports: totals, the report's own stated counts, and a hand reconstruction of every
damaged stretch of the 2017 and 2022 tables (made by reading the text line by line)."""

from __future__ import annotations

from functools import cache

import pytest

from smelterkg.data import REPORTS_DIR
from smelterkg.ingest.parse import ParsedReport, parse_file

EXPECTED_ROWS = {2013: 178, 2014: 259, 2017: 322, 2019: 318, 2022: 249}


@cache
def report(year: int) -> ParsedReport:
    return parse_file(REPORTS_DIR / f"qualys-{year}-form-sd.txt")


def rows_at(year: int, *lines: int) -> list[tuple[int, str, str, str, str]]:
    wanted = set(lines)
    return [(r.line, r.metal, r.name, r.country, r.status) for r in report(year).rows if r.line in wanted]


@pytest.mark.parametrize("year", sorted(EXPECTED_ROWS))
def test_every_row_is_read_once(year):
    parsed = report(year)
    assert len(parsed.rows) == EXPECTED_ROWS[year]
    assert parsed.facts.year == year
    assert parsed.facts.filer == "QUALYS, INC."
    keys = [(r.line, r.name) for r in parsed.rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("year", [2017, 2019, 2022])
def test_rows_read_equal_the_reports_stated_total(year):
    parsed = report(year)
    assert parsed.read_counts()["stated_total"] == parsed.facts.stated_total


@pytest.mark.parametrize("year", [2017, 2019])
def test_status_counts_equal_the_reports_stated_counts(year):
    parsed = report(year)
    read = parsed.read_counts()
    for key in ("stated_compliant", "stated_active", "stated_remaining"):
        assert read[key] == getattr(parsed.facts, key), key


def test_2022_status_counts_are_consistent_with_the_unknown_statuses():
    parsed = report(2022)
    read = parsed.read_counts()
    unknown = sum(1 for r in parsed.rows if not r.status)
    assert unknown == 39
    assert read["stated_active"] == parsed.facts.stated_active == 7
    missing = (parsed.facts.stated_compliant - read["stated_compliant"]) + (parsed.facts.stated_remaining - read["stated_remaining"])
    assert missing == unknown


def test_2017_shifted_cells_around_doduco_and_dowa():
    assert rows_at(2017, 164, 165, 166, 167, 168) == [
        (164, "Gold", "DODUCO GmbH", "GERMANY", "Full Compliant"),
        (165, "Gold", "Dowa Dowa", "JAPAN", "Full Compliant"),
        (166, "Gold", "Eco-System Recycling Co., Ltd.", "JAPAN", "Full Compliant"),
        (167, "Gold", "OJSC Novosibirsk Refinery", "RUSSIAN FEDERATION", "Full Compliant"),
        (168, "Gold", "Gansu Seemine Material Hi-Tech Co., Ltd.", "CHINA", "Indeterminable"),
    ]


def test_2017_one_cell_per_line_rows():
    assert rows_at(2017, 178, 299, 441) == [
        (178, "Gold", "HwaSeong CJ Co., Ltd.", "KOREA (REPUBLIC OF)", "Indeterminable"),
        (299, "Gold", "SOE Shyolkovsky Factory of Secondary Precious Metals", "RUSSIAN FEDERATION", "Full Compliant"),
        (441, "Tin", "O.M. Manufacturing Philippines, Inc.", "PHILIPPINES", "Full Compliant"),
    ]


def test_2017_merged_rows_and_shifted_cells():
    assert rows_at(2017, 229, 230, 231, 260, 319, 320, 471) == [
        (229, "Gold", "PX Précinox S.A.", "SWITZERLAND", "Full Compliant"),
        (230, "Gold", "Rand Refinery (Pty) Ltd.", "SOUTH AFRICA", "Full Compliant"),
        (231, "Gold", "Royal Canadian Mint", "CANADA", "Full Compliant"),
        (260, "Gold", "Zijin Mining Group Co., Ltd. Gold Refinery", "CHINA", "Full Compliant"),
        (319, "Tantalum", "Metallurgical Products India Pvt., Ltd.", "INDIA", "Full Compliant"),
        (320, "Tantalum", "Mineração Taboca S.A.", "BRAZIL", "Full Compliant"),
        (471, "Tin", "Gejiu Jinye Mineral Company", "CHINA", "Full Compliant"),
    ]


def test_2017_column_dump():
    assert rows_at(2017, 359, 361, 363) == [
        (359, "Tin", "Chenzhou Yunxiang Mining and Metallurgy Co., Ltd.", "CHINA", "Full Compliant"),
        (361, "Tin", "Jiangxi Ketai Advanced Material Co., Ltd.", "CHINA", "Full Compliant"),
        (363, "Tin", "CNMC (Guangxi) PGMA Co., Ltd.", "CHINA", "Indeterminable"),
    ]


def test_2017_tungsten_block_with_run_together_names_and_countries():
    tungsten = [(r.name, r.country) for r in report(2017).rows if r.metal == "Tungsten"][:9]
    assert tungsten == [
        ("A.L.M.T. TUNGSTEN Corp.", "JAPAN"),
        ("Kennametal Huntsville", "UNITED STATES OF AMERICA"),
        ("Guangdong Xianglu Tungsten Co., Ltd.", "CHINA"),
        ("Chongyi Zhangyuan Tungsten Co., Ltd.", "CHINA"),
        ("Dayu Weiliang Tungsten Co., Ltd.", "CHINA"),
        ("Fujian Jinxin Tungsten Co., Ltd.", "CHINA"),
        ("Global Tungsten & Powders Corp.", "UNITED STATES OF AMERICA"),
        ("Hunan Chenzhou Mining Co., Ltd.", "CHINA"),
        ("Hunan Chunchang Nonferrous Metals Co., Ltd.", "CHINA"),
    ]


def test_2017_wrapped_names_and_country():
    names = {r.name for r in report(2017).rows}
    assert {
        'OJSC "The Gulidov Krasnoyarsk Non-Ferrous Metals Plant" (OJSC Krastsvetmet)',
        "Electro-Mechanical Facility of the Cao Bang Minerals & Metallurgy Joint Stock Company",
        "South-East Nonferrous Metal Company Limited of Hengyang City",
        "Xinfeng Huarui Tungsten & Molybdenum New Material Co., Ltd.",
        "Chugai Mining",
        "Lingbao Jinyuan Tonghui Refinery Co., Ltd.",
    } <= names
    assert rows_at(2017, 355) == [(355, "Tantalum", "Power Resources Ltd.", "MACEDONIA, THE FORMER YUGOSLAV REPUBLIC OF", "Full Compliant")]


def test_2017_quarantine_lists_every_garbled_copy_and_stray_mark():
    quarantined = {q.line: q.reason for q in report(2017).quarantine}
    assert quarantined[243] == "garbled OCR copy of line 303"
    assert quarantined[296] == "garbled OCR copy of line 295"
    assert quarantined[357] == "garbled OCR copy of line 377"
    assert quarantined[186].startswith("garbled OCR copy")
    assert quarantined[501].startswith("garbled OCR copy")
    assert quarantined[160].startswith("garbled OCR copy of line 159's name")
    assert quarantined[204].startswith("garbled OCR copy of line 203's name")
    for stray in (297, 356, 447):
        assert quarantined[stray] == "stray mark"
    assert set(quarantined) == {160, 186, 204, 243, 296, 297, 356, 357, 447, 475, 501}


def test_2022_names_with_run_together_countries_keep_statuses_empty():
    rows = [r for r in report(2022).rows if 188 <= r.line <= 226]
    assert len(rows) == 39
    assert all(r.status == "" and r.status_code == "" for r in rows)
    assert [(r.name, r.country_code) for r in rows[:3]] == [("LT Metal Ltd.", "KR"), ("Materion", "US"), ("Matsuda Sangyo Co., Ltd.", "JP")]
    assert [(r.name, r.country) for r in rows[-2:]] == [
        ("Sumitomo Metal Mining Co., Ltd.", "JAPAN"),
        ("SungEel HiMetal Co., Ltd.", "KOREA, REPUBLIC OF"),
    ]
    assert all(228 in r.lines for r in rows)
    unaligned = [q for q in report(2022).quarantine if q.line == 230]
    assert len(unaligned) == 13


def test_2013_stray_dash_before_a_country_and_2019_wrapped_name():
    assert rows_at(2013, 239) == [(239, "Gold", "Yokohama Metal Co Ltd", "Japan", "No")]
    assert rows_at(2019, 438) == [(438, "Tungsten", "Hunan Chuangda Vanadium Tungsten Co., Ltd. Wuji", "CHINA", "Full Compliant")]


@pytest.mark.parametrize("year", sorted(EXPECTED_ROWS))
def test_no_invented_values(year):
    """Every printed value of a row is found on the lines the row says it came from."""
    lines = (REPORTS_DIR / f"qualys-{year}-form-sd.txt").read_text(encoding="utf-8").split("\n")
    for row in report(year).rows:
        text = " ".join(" ".join(lines[n - 1].split()) for n in row.lines)
        for value in (row.metal, row.status):
            assert value in text, (row.line, value)
        for word in (*row.name.split(), *row.country.split()):  # wrapped values span lines
            assert word in text, (row.line, row.name, row.country)


@pytest.mark.parametrize("year", sorted(EXPECTED_ROWS))
def test_codes_are_filled_wherever_the_printed_value_is_known(year):
    for row in report(year).rows:
        assert bool(row.country_code) == bool(row.country), row
        assert bool(row.status_code) == bool(row.status), row


def test_status_schemes_follow_each_reports_wording():
    assert {r.status_scheme for r in report(2013).rows} == {"conflict-free-designation"}
    assert {r.status_scheme for r in report(2014).rows} == {"conflict-free-designation"}
    assert {r.status_scheme for r in report(2019).rows} == {"cfsp"}
    assert {r.status_code for r in report(2017).rows} == {"full_compliant", "active", "indeterminable"}
