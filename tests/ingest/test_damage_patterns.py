"""One focused test per kind of PDF-extraction damage, on small fixtures.

Each fixture is a tiny report: a few clean rows around the damaged stretch, so the test shows
both that the damage is repaired and that its neighbours are untouched.
"""

from __future__ import annotations

from smelterkg.ingest.parse import ParsedReport, parse_text

HEADER = "ANNEX I- SMELTER LIST\n\nMetal\tSmelter or Refiner Facility Name\tCountry\tStatus\n"
CLEAN_TOP = "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant\nGold\tAurubis AG\tGERMANY\tFull Compliant\n"
CLEAN_BOTTOM = "Tin\tThaisarco\tTHAILAND\tFull Compliant\nTin\tMinsur\tPERU\tFull Compliant\n\nFuture Steps\n\nWe will continue to engage with our suppliers and encourage them to provide responses at a product level.\n"


def parse(body: str) -> ParsedReport:
    return parse_text("fixture.txt", HEADER + CLEAN_TOP + body + CLEAN_BOTTOM)


def table(report: ParsedReport) -> list[tuple[str, str, str, str]]:
    return [(r.metal, r.name, r.country, r.status) for r in report.rows]


def middle(report: ParsedReport) -> list[tuple[str, str, str, str]]:
    """The rows between the fixture's clean top and bottom rows, which must stay intact."""
    rows = table(report)
    assert rows[:2] == [
        ("Gold", "Asaka Riken Co., Ltd.", "JAPAN", "Full Compliant"),
        ("Gold", "Aurubis AG", "GERMANY", "Full Compliant"),
    ]
    assert rows[-2:] == [("Tin", "Thaisarco", "THAILAND", "Full Compliant"), ("Tin", "Minsur", "PERU", "Full Compliant")]
    return rows[2:-2]


def reasons(report: ParsedReport) -> dict[int, str]:
    return {q.line: q.reason for q in report.quarantine}


def test_clean_tab_rows_carry_their_line_and_codes():
    report = parse("")
    assert middle(report) == []
    first = report.rows[0]
    assert (first.line, first.lines, first.country_code, first.status_code) == (4, (4,), "JP", "full_compliant")
    assert reasons(report) == {3: "header row"}


def test_repeated_header_rows_and_markup_leftovers_are_not_rows():
    body = "\n<u>Metal</u>\t<u>Smelter or Refiner Facility Name</u>\t<u>Country</u>\t**Status**\nGold\t**Boliden AB**\tSWEDEN\tFull Compliant\n"
    report = parse(body)
    assert middle(report) == [("Gold", "Boliden AB", "SWEDEN", "Full Compliant")]
    assert reasons(report)[7] == "repeated header row"


def test_countries_of_origin_annex_is_not_read_as_smelters():
    text = HEADER + CLEAN_TOP + CLEAN_BOTTOM.split("\n\nFuture")[0] + "\n\n## ANNEX II\n\nAustralia\tKorea\nBelgium\tMalaysia\nJapan\t\n"
    report = parse_text("fixture.txt", text)
    assert len(report.rows) == 4
    outside = [q for q in report.quarantine if q.reason.startswith("outside the smelter table")]
    assert [q.line for q in outside] == [11, 12, 13]
    assert "countries of origin" in outside[0].reason


def test_wrapped_name_is_joined_with_its_continuation():
    body = (
        "Tungsten\tXinfeng Huarui Tungsten & Molybdenum New Material Co.,\tCHINA\tFull Compliant\n\tLtd.\t\t\n"
        'Gold\tOJSC "The Gulidov Krasnoyarsk Non-Ferrous Metals Plant" (OJSC\tRUSSIAN FEDERATION\tFull Compliant\n\tKrastsvetmet)\t\t\n'
    )
    report = parse(body)
    assert middle(report) == [
        ("Tungsten", "Xinfeng Huarui Tungsten & Molybdenum New Material Co., Ltd.", "CHINA", "Full Compliant"),
        ("Gold", 'OJSC "The Gulidov Krasnoyarsk Non-Ferrous Metals Plant" (OJSC Krastsvetmet)', "RUSSIAN FEDERATION", "Full Compliant"),
    ]
    assert report.rows[2].lines == (6, 7)


def test_wrapped_country_is_joined_and_normalised():
    body = "Tantalum\tPower Resources Ltd.\tMACEDONIA, THE FORMER YUGOSLAV\tFull Compliant\n\t\tREPUBLIC OF\t· r\n"
    report = parse(body)
    assert middle(report) == [("Tantalum", "Power Resources Ltd.", "MACEDONIA, THE FORMER YUGOSLAV REPUBLIC OF", "Full Compliant")]
    assert report.rows[2].country_code == "MK"
    assert report.rows[2].lines == (6, 7)


def test_cells_shifted_to_the_neighbouring_line_are_realigned():
    body = (
        "Tantalum\t\tINDIA\t\n"
        "Tantalum\tMetallurgical Products India Pvt., Ltd.\tBRAZIL\tFull Compliant\n"
        "\tMineração Taboca S.A.\t\tIndeterminable\n"
    )
    report = parse(body)
    assert middle(report) == [
        ("Tantalum", "Metallurgical Products India Pvt., Ltd.", "INDIA", "Full Compliant"),
        ("Tantalum", "Mineração Taboca S.A.", "BRAZIL", "Indeterminable"),
    ]


def test_row_printed_one_cell_per_line():
    body = "\nKOREA (REPUBLIC OF)\n\nIndeterminable\n\nGold\n\nHwaSeong CJ Co., Ltd.\n\n"
    report = parse(body)
    assert middle(report) == [("Gold", "HwaSeong CJ Co., Ltd.", "KOREA (REPUBLIC OF)", "Indeterminable")]
    row = report.rows[2]
    assert (row.line, row.lines, row.country_code) == (7, (7, 9, 11, 13), "KR")


def test_rows_printed_column_by_column():
    body = (
        "\nCHINA\n\nCHINA\n\nCHINA\n\nFull Compliant\n\nFull Compliant\n\nIndeterminable\n\nTin\n\nTin\n\nTin\n\n"
        "Chenzhou Yunxiang Mining and Metallurgy Co., Ltd.\n\nJiangxi Ketai Advanced Material Co., Ltd.\n\nCNMC (Guangxi) PGMA Co., Ltd.\n\n"
    )
    report = parse(body)
    assert middle(report) == [
        ("Tin", "Chenzhou Yunxiang Mining and Metallurgy Co., Ltd.", "CHINA", "Full Compliant"),
        ("Tin", "Jiangxi Ketai Advanced Material Co., Ltd.", "CHINA", "Full Compliant"),
        ("Tin", "CNMC (Guangxi) PGMA Co., Ltd.", "CHINA", "Indeterminable"),
    ]


def test_two_rows_merged_on_one_line_with_the_other_name_on_the_line_before():
    body = (
        "\tPX Précinox S.A.\t\t\n"
        "Gold Gold\tRand Refinery (Pty) Ltd.\tSWITZERLAND SOUTH AFRICA\tFull Compliant Indeterminable\n"
        "\tRoyal Canadian Mint\tCANADA\t\n"
        "Gold\t\t\tFull Compliant\n"
    )
    report = parse(body)
    assert middle(report) == [
        ("Gold", "PX Précinox S.A.", "SWITZERLAND", "Full Compliant"),
        ("Gold", "Rand Refinery (Pty) Ltd.", "SOUTH AFRICA", "Indeterminable"),
        ("Gold", "Royal Canadian Mint", "CANADA", "Full Compliant"),
    ]
    assert [r.lines for r in report.rows[2:5]] == [(6, 7), (7,), (8, 9)]


def test_two_names_run_together_in_one_cell_are_split_at_the_legal_form():
    body = (
        "Tungsten\tA.L.M.T. TUNGSTEN Corp. Kennametal Huntsville\tJAPAN\tFull Compliant\n"
        "Tungsten\t\tUNITED STATES OF AMERICA\tActive\n"
    )
    report = parse(body)
    assert middle(report) == [
        ("Tungsten", "A.L.M.T. TUNGSTEN Corp.", "JAPAN", "Full Compliant"),
        ("Tungsten", "Kennametal Huntsville", "UNITED STATES OF AMERICA", "Active"),
    ]


def test_names_with_countries_run_together_and_too_few_statuses_leave_statuses_empty():
    body = (
        "\nGold\tLT Metal Ltd.\nGold\tMaterion\nGold\tMatsuda Sangyo Co., Ltd.\n\n"
        "KOREA, REPUBLIC OF UNITED STATES OF AMERICA JAPAN\n\nFull Compliant Indeterminable\n\n"
    )
    report = parse(body)
    assert middle(report) == [
        ("Gold", "LT Metal Ltd.", "KOREA, REPUBLIC OF", ""),
        ("Gold", "Materion", "UNITED STATES OF AMERICA", ""),
        ("Gold", "Matsuda Sangyo Co., Ltd.", "JAPAN", ""),
    ]
    assert all(r.status_code == "" and r.status_scheme == "" for r in report.rows[2:5])
    unaligned = [q for q in report.quarantine if q.line == 13]
    assert [q.text for q in unaligned] == ["Full Compliant", "Indeterminable"]
    assert "2 status cells for 3 rows" in unaligned[0].reason


def test_garbled_ocr_copy_with_unreadable_cells_is_not_a_row():
    body = (
        "Gold\tSungEel HiMetal Co., Ltd.\tKOREA, REPUBLIC OF\tFull Compliant\n"
        "Guid\tSuigner mirieur Co., nu.\tROILLI, REI ODEIC OF\ti un Compnant\n"
        "l\t\t\t\n"
    )
    report = parse(body)
    assert middle(report) == [("Gold", "SungEel HiMetal Co., Ltd.", "KOREA, REPUBLIC OF", "Full Compliant")]
    assert reasons(report)[7] == "garbled OCR copy of line 6"
    assert reasons(report)[8] == "stray mark"


def test_garbled_copy_with_readable_cells_but_a_damaged_name_is_not_a_row():
    body = (
        "Tin\tChanghau Vunyiang Mining and Matallurgy Co. Ltd.\tCHINA\tFull Compliant\n"
        "Tin\tChenzhou Yunxiang Mining and Metallurgy Co., Ltd.\tCHINA\tFull Compliant\n"
        "Tin\tHunan Chenzhou Mining Co., Ltd.\tCHINA\tFull Compliant\n"
        "Tin\tGejiu Zili Mining And Metallurgy Co., Ltd.\tCHINA\tIndeterminable\n"
    )
    report = parse(body)
    assert [name for _, name, _, _ in middle(report)] == [
        "Chenzhou Yunxiang Mining and Metallurgy Co., Ltd.",
        "Hunan Chenzhou Mining Co., Ltd.",
        "Gejiu Zili Mining And Metallurgy Co., Ltd.",
    ]
    assert reasons(report)[6] == "garbled OCR copy of line 7"


def test_garbled_copy_of_the_previous_name_glued_before_a_name_is_removed():
    body = "Gold\tChimet S.p.A.\tITALY\tFull Compliant\nGold\tChiniet S.p.A. Chugai Mining\tJAPAN\tIndeterminable\n"
    report = parse(body)
    assert middle(report) == [
        ("Gold", "Chimet S.p.A.", "ITALY", "Full Compliant"),
        ("Gold", "Chugai Mining", "JAPAN", "Indeterminable"),
    ]
    glued = [q for q in report.quarantine if q.line == 7]
    assert [q.text for q in glued] == ["Chiniet S.p.A."]


def test_sister_facilities_and_look_alike_names_are_never_taken_for_garbled_copies():
    body = (
        "Gold\tEco-System Recycling Co., Ltd. North Plant\tJAPAN\tFull Compliant\n"
        "Gold\tEco-System Recycling Co., Ltd. West Plant\tJAPAN\tFull Compliant\n"
        "Gold\tEco-System Recycling Co., Ltd. East Plant\tJAPAN\tFull Compliant\n"
        "Tin\tCV Dua Sekawan\tINDONESIA\tFull Compliant\n"
        "Tin\tCV Tiga Sekawan\tINDONESIA\tFull Compliant\n"
        "Tin\tYunnan Chengfeng Non-ferrous Metals Co., Ltd.\tCHINA\tFull Compliant\n"
        "Tungsten\tHunan Chunchang Nonferrous Metals Co., Ltd.\tCHINA\tFull Compliant\n"
        "Gold\tLingbao Gold Co., Ltd.\tCHINA\tIndeterminable\n"
        "Gold\tLingbao Jinyuan Tonghui Refinery Co., Ltd.\tCHINA\tIndeterminable\n"
    )
    report = parse(body)
    assert len(middle(report)) == 9
    assert report.quarantine == [q for q in report.quarantine if q.reason == "header row"]


def test_stray_marks_and_page_artefacts_are_quarantined_not_read():
    body = "-\t\t\t\nPage 3 of 9\n12\nGold\tYokohama Metal Co Ltd\t- Japan\tNo\n"
    report = parse(body)
    assert middle(report) == [("Gold", "Yokohama Metal Co Ltd", "Japan", "No")]
    assert reasons(report)[6] == "stray mark"
    assert reasons(report)[7] == "page artefact"
    assert reasons(report)[8] == "page artefact"
    assert report.rows[2].notes == ("stray mark '-' on line 9 ignored",)


def test_every_fixture_line_in_the_table_is_used_or_quarantined():
    body = (
        "\tPX Précinox S.A.\t\t\nGold Gold\tRand Refinery (Pty) Ltd.\tSWITZERLAND SOUTH AFRICA\tFull Compliant Full Compliant\n"
        "\tRoyal Canadian Mint\tCANADA\t\nGold\t\t\tFull Compliant\nGoid\tSOL Shyorkovsky ractory\tROSSIANTEDERATION\trun Compilan\n"
    )
    report = parse(body)
    used = {n for r in report.rows for n in r.lines} | {q.line for q in report.quarantine}
    lines = (HEADER + CLEAN_TOP + body + CLEAN_BOTTOM).split("\n")
    start, end = report.regions[0]
    for number in range(start, end + 1):
        assert number in used or not lines[number - 1].strip(), number
