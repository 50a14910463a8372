"""A newline inside a table cell joins the cell, and never matches an unrelated row (issue 10,
item 5).

A text export that keeps a cell's line break cuts one row into adjacent lines that each hold
too few cells ('Gold<TAB>Advanced Chemical' / 'Company<TAB>UNITED STATES OF AMERICA<TAB>Full
Compliant'). Read apart, the second half looked like a garbled OCR copy of another row: the row
was dropped and the report's stated counts failed.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smelterkg.data import REPORTS_DIR
from smelterkg.ingest.parse import ParsedReport, parse_text

QUALYS_2019 = REPORTS_DIR / "qualys-2019-form-sd.txt"
FIELDS = ("metal", "name", "country", "status", "country_code", "status_code", "smelter_id")
TAIL = "\n\nFuture Steps\n\nWe will continue to engage with our suppliers and encourage them to provide responses.\n"


def rows(report: ParsedReport) -> Counter[tuple[str, ...]]:
    return Counter(tuple(getattr(row, f) for f in FIELDS) for row in report.rows)


def table(report: ParsedReport) -> list[tuple[str, str, str, str, tuple[int, ...]]]:
    return [(r.metal, r.name, r.country, r.status, r.lines) for r in report.rows]


def quarantined(report: ParsedReport) -> dict[int, str]:
    return {q.line: q.reason for q in report.quarantine if q.reason != "header row"}


def test_the_issue_report_reads_every_wrapped_row_and_its_stated_counts_hold() -> None:
    text = QUALYS_2019.read_text(encoding="utf-8")
    wrapped = text.replace("Gold\tAdvanced Chemical Company\t", "Gold\tAdvanced Chemical\nCompany\t").replace(
        "Gold\t8853 S.p.A.\t", "Gold\t8853\nS.p.A.\t"
    )
    assert wrapped.count("\n") == text.count("\n") + 2
    report = parse_text("nl.txt", wrapped)
    by_name = {r.name: r for r in report.rows}
    assert (by_name["8853 S.p.A."].country, by_name["8853 S.p.A."].status, by_name["8853 S.p.A."].lines) == (
        "ITALY", "Full Compliant", (145, 146),
    )
    chemical = by_name["Advanced Chemical Company"]
    assert (chemical.metal, chemical.country, chemical.status, chemical.lines) == (
        "Gold", "UNITED STATES OF AMERICA", "Full Compliant", (148, 149),
    )
    read = report.read_counts()
    for fact in ("stated_total", "stated_compliant", "stated_active", "stated_remaining"):
        assert read[fact] == getattr(report.facts, fact), fact
    assert not {145, 146, 148, 149} & set(quarantined(report))
    assert rows(report) == rows(parse_text("qualys-2019-form-sd.txt", text))


METAL_FIRST = "ANNEX I- SMELTER LIST\n\nMetal\tSmelter or Refiner Facility Name\tCountry\tStatus\n"


def metal_first(body: str) -> ParsedReport:
    top = "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant\n"
    return parse_text("fixture.txt", METAL_FIRST + top + body + "Tin\tMinsur\tPERU\tFull Compliant" + TAIL)


def test_a_name_wrapped_flush_left_or_under_its_column_is_one_row() -> None:
    report = metal_first(
        "Gold\tAdvanced Chemical\nCompany\tUNITED STATES OF AMERICA\tFull Compliant\n"
        "Gold\tAida Chemical\n\tIndustries Co., Ltd.\tJAPAN\tFull Compliant\n"
    )
    assert table(report)[1:3] == [
        ("Gold", "Advanced Chemical Company", "UNITED STATES OF AMERICA", "Full Compliant", (5, 6)),
        ("Gold", "Aida Chemical Industries Co., Ltd.", "JAPAN", "Full Compliant", (7, 8)),
    ]
    assert len(report.rows) == 4 and quarantined(report) == {}
    assert report.rows[1].notes == ("name cell wrapped onto line 6 joined",)


def test_a_wrapped_country_and_a_row_with_two_wrapped_cells_are_one_row_each() -> None:
    report = metal_first(
        "Gold\tAbington Reldan Metals, LLC\tUNITED STATES\nOF AMERICA\tIndeterminable\n"
        "Gold\tLS-NIKKO Copper Inc.\tKOREA,\nREPUBLIC OF\tFull Compliant\n"
        "Gold\tAl Etihad Gold\nRefinery DMCC\tUNITED ARAB EMIRATES\tFull\nCompliant\n"
    )
    assert table(report)[1:4] == [
        ("Gold", "Abington Reldan Metals, LLC", "UNITED STATES OF AMERICA", "Indeterminable", (5, 6)),
        ("Gold", "LS-NIKKO Copper Inc.", "KOREA, REPUBLIC OF", "Full Compliant", (7, 8)),
        ("Gold", "Al Etihad Gold Refinery DMCC", "UNITED ARAB EMIRATES", "Full Compliant", (9, 10, 11)),
    ]
    assert [r.country_code for r in report.rows[1:4]] == ["US", "KR", "AE"]
    assert len(report.rows) == 5 and quarantined(report) == {}


def test_a_wrap_is_not_joined_to_a_neighbouring_row_with_missing_cells() -> None:
    """The row just above lacks its country and status: its cells are not completed from the
    wrapped row, and the wrapped row does not lend it its name."""
    report = metal_first("Gold\tLT Metal Ltd.\nGold\tAdvanced Chemical\nCompany\tUNITED STATES OF AMERICA\tFull Compliant\n")
    assert table(report)[1:3] == [
        ("Gold", "LT Metal Ltd.", "", "", (5,)),
        ("Gold", "Advanced Chemical Company", "UNITED STATES OF AMERICA", "Full Compliant", (6, 7)),
    ]
    assert len(report.rows) == 4


NAME_FIRST = "ANNEX I- SMELTER LIST\n\nSmelter or Refiner Facility Name\tMetal\tLocation\tConflict Free\n"
NAME_FIRST_ROWS = [
    "Aida Chemical Industries Co. Ltd.\tGold\tJapan\tNo",
    "Allgemeine Gold-und Silberscheideanstalt A.G.\tGold\tGermany\tYes",
    "PT Prima Timah Utama\tTin\tIndonesia\tYes",
    "PT Putera Sarana Shakti (PT PSS)\tTin\tIndonesia\tYes",
    "Xinfeng Huarui Tungsten & Molybdenum New Material Co., Ltd.\tTungsten\tChina\tYes",
    "Tin Technology & Refining\tTin\tUnited States of America\tYes",
    "Minsur\tTin\tPeru\tYes",
]


def name_first(rows_: list[str]) -> ParsedReport:
    return parse_text("fixture.txt", NAME_FIRST + "\n".join(rows_) + TAIL)


def test_a_name_wrapped_in_a_name_first_yes_no_table_belongs_to_the_row_below() -> None:
    """With the names in the first column (2013/2014 style), a wrapped name leaves its head on a
    line of its own above the rest of its row; it is not the end of the name above it, even
    when it starts with a legal form that begins names ('PT')."""
    wrapped = list(NAME_FIRST_ROWS)
    wrapped[1] = wrapped[1].replace("Allgemeine Gold-und ", "Allgemeine\nGold-und\n")
    wrapped[3] = wrapped[3].replace("PT Putera ", "PT Putera\n")
    wrapped[5] = wrapped[5].replace("United States ", "United States\n")
    report = name_first(wrapped)
    assert [(r.name, r.country, r.status) for r in report.rows] == [
        tuple(row.split("\t")[i] for i in (0, 2, 3)) for row in NAME_FIRST_ROWS
    ]
    assert [r.lines for r in report.rows] == [(4,), (5, 6, 7), (8,), (9, 10), (11,), (12, 13), (14,)]
    assert quarantined(report) == {}


SPACED = "ANNEX I- SMELTER LIST\n\nMetal Smelter or Refiner Facility Name Country Status\n"
SPACED_ROWS = [
    "Gold Asaka Riken Co., Ltd. JAPAN Full Compliant",
    "Gold Advanced Chemical Company UNITED STATES OF AMERICA Full Compliant",
    "Tungsten Xiamen Tungsten Co., Ltd CHINA Full Compliant",
    "Tin PT Stanindo Inti Perkasa INDONESIA Full Compliant",
    "Tin PT Timah Tbk Kundur INDONESIA Full Compliant",
    "Gold Aida Chemical Industries Co., Ltd. JAPAN Full Compliant",
    "Tin Minsur PERU Full Compliant",
]


def test_a_row_printed_with_spaces_and_wrapped_is_one_row() -> None:
    """Wrapped in the name (after the leading legal form 'PT', which this table's names show
    begins names, and before a metal word that is part of a name) or in the status."""
    wrapped = "\n".join(SPACED_ROWS).replace("Chemical Company", "Chemical\nCompany").replace(
        "Xiamen Tungsten", "Xiamen\nTungsten").replace("PT Stanindo", "PT\nStanindo").replace("JAPAN Full Compliant\nTin", "JAPAN Full\nCompliant\nTin")
    report = parse_text("fixture.txt", SPACED + wrapped + TAIL)
    assert [(r.metal, r.name, r.country, r.status) for r in report.rows] == [
        ("Gold", "Asaka Riken Co., Ltd.", "JAPAN", "Full Compliant"),
        ("Gold", "Advanced Chemical Company", "UNITED STATES OF AMERICA", "Full Compliant"),
        ("Tungsten", "Xiamen Tungsten Co., Ltd", "CHINA", "Full Compliant"),
        ("Tin", "PT Stanindo Inti Perkasa", "INDONESIA", "Full Compliant"),
        ("Tin", "PT Timah Tbk Kundur", "INDONESIA", "Full Compliant"),
        ("Gold", "Aida Chemical Industries Co., Ltd.", "JAPAN", "Full Compliant"),
        ("Tin", "Minsur", "PERU", "Full Compliant"),
    ]
    assert [r.lines for r in report.rows] == [(4,), (5, 6), (7, 8), (9, 10), (11,), (12, 13), (14,)]
    assert quarantined(report) == {}


def test_two_spaced_rows_that_each_lost_cells_are_not_run_together() -> None:
    """'Gold Asaka Riken Co., Ltd.' (no country, status) above 'Advanced Chemical Company
    UNITED STATES ...' (no metal): the names meet after a legal form, where one name ends and
    the next begins; they stay apart while the wrapped row below is joined."""
    body = "\n".join(SPACED_ROWS).replace("Co., Ltd. JAPAN Full Compliant\nGold Advanced", "Co., Ltd.\nAdvanced")
    body = body.replace("Aida Chemical ", "Aida Chemical\n")
    report = parse_text("fixture.txt", SPACED + body + TAIL)
    names = [r.name for r in report.rows]
    assert "Aida Chemical Industries Co., Ltd." in names
    assert not any("Riken" in n and "Advanced" in n for n in names)


# --------------------------------------------------------------------------------------------
# Property: wrapping any one cell of any clean row of a bundled report, at any word boundary,
# flush left or under its column, never loses, invents or merges rows.


@cache
def bundled(name: str) -> tuple[list[str], ParsedReport, tuple[int, ...]]:
    text = (REPORTS_DIR / name).read_text(encoding="utf-8")
    report = parse_text(name, text)
    lines = text.split("\n")
    owners = Counter(n for r in report.rows for n in r.lines)
    clean = tuple(
        r.line - 1 for r in report.rows
        if r.lines == (r.line,) and owners[r.line] == 1 and lines[r.line - 1].count("\t") == 3
        and " " in lines[r.line - 1]
    )
    return lines, report, clean


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(p.name for p in REPORTS_DIR.glob("*.txt"))),
    st.integers(min_value=0), st.integers(min_value=0), st.integers(min_value=0), st.booleans(),
)
def test_wrapping_any_cell_of_a_bundled_row_keeps_every_row(name: str, pick: int, column: int, cut: int, aligned: bool) -> None:
    lines, report, clean = bundled(name)
    index = clean[pick % len(clean)]
    cells = lines[index].split("\t")
    wrappable = [c for c, cell in enumerate(cells) if " " in cell]
    column = wrappable[column % len(wrappable)]
    words = cells[column].split(" ")
    cut = 1 + cut % (len(words) - 1)
    head = "\t".join([*cells[:column], " ".join(words[:cut])])
    rest = ("\t" * column if aligned else "") + "\t".join([" ".join(words[cut:]), *cells[column + 1 :]])
    wrapped = parse_text(name, "\n".join([*lines[:index], head, rest, *lines[index + 1 :]]))
    assert rows(wrapped) == rows(report), (head, rest)
    assert [r.lines for r in wrapped.rows if r.line == index + 1] == [(index + 1, index + 2)]
    assert len(wrapped.quarantine) == len(report.quarantine)
