"""Properties of ``parse_lines`` on arbitrary and on realistic-but-scrambled text.

The promises checked here are the ones a user of the table relies on:

* the parser never raises, whatever the lines hold;
* nothing is lost: every non-blank line inside a smelter-table region is either part of a row
  (in its ``lines``) or in the quarantine, with a reason;
* rows only come from table regions, and a row's ``line`` is the first of its ``lines``;
* parsing is deterministic (the caches in ``ingest`` must not change answers).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smelterkg.data import bundled_reports
from smelterkg.ingest.parse import ParsedReport, parse_lines

# Budgets: the whole file runs in well under 30 s.
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------
# Material: the bundled reports, cut into lines and cells.


@cache
def bundled_lines() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.read_text(encoding="utf-8").split("\n")) for p in bundled_reports())


@cache
def table_slices() -> tuple[tuple[str, ...], ...]:
    """The smelter-table part of each bundled report (with a few lines of context either side)."""
    slices = []
    for lines in bundled_lines():
        report = parse_lines("bundled", lines)
        start, end = report.regions[0][0], report.regions[-1][1]
        slices.append(lines[max(0, start - 4) : end + 3])
    return tuple(slices)


@cache
def cell_pool() -> tuple[str, ...]:
    cells = {cell.strip() for lines in table_slices() for line in lines for cell in line.split("\t")}
    cells.discard("")
    return tuple(sorted(cells))


EXTRA_CELLS = [
    # metals, countries and statuses in the spellings reports use
    "Gold", "GOLD", "Tin", "Tantalum", "Tungsten", "Au", "Sn",
    "JAPAN", "China", "KOREA, REPUBLIC OF", "MACEDONIA, THE FORMER YUGOSLAV", "REPUBLIC OF",
    "TAIWAN, PROVINCE OF CHINA", "UNITED STATES OF AMERICA", "Bolivia (Plurinational State of)",
    "Full Compliant", "Conformant", "Active", "Indeterminable", "Yes", "No", "Not Compliant",
    "CID000015", "CID002763",
    # stray marks, page artefacts, markup, OCR damage
    "-", "·", "· r", "l", "*", "**", "__", "<u>", "</u>", "<u>Metal</u>", "#", "##", "12", "Page 3 of 9",
    "———", "....", "\u00a0", "\x0c", "\u200b", "Ｇｏｌｄ", "G0ld", "JAPN", "Ful Compliant", "'", '"',
    # header words and prose
    "Metal", "Smelter or Refiner Facility Name", "Location", '"Conflict Free" Designation',
    "Smelter Name", "Country", "Status", "Smelter ID",
    "ANNEX I- SMELTER LIST",
    "The following smelters and refiners were identified by our suppliers as possibly in the supply chain.",
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Strategies.

LINE_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r")
arbitrary_line = st.one_of(
    st.text(LINE_CHARS, max_size=40),
    st.lists(st.text(LINE_CHARS, max_size=20), min_size=2, max_size=5).map("\t".join),
)
arbitrary_lines = st.lists(arbitrary_line, max_size=30)


@st.composite
def realistic_line(draw: st.DrawFn) -> str:
    pool = st.sampled_from(cell_pool()) | st.sampled_from(EXTRA_CELLS)
    shape = draw(st.sampled_from(["tabbed", "tabbed", "tabbed", "spaced", "blank", "verbatim", "one"]))
    if shape == "blank":
        return draw(st.sampled_from(["", " ", "\t", " \t ", "\x0c"]))
    if shape == "verbatim":
        lines = draw(st.sampled_from(bundled_lines()))
        return draw(st.sampled_from(lines))
    if shape == "one":
        return draw(pool)
    cells = draw(st.lists(pool | st.just(""), min_size=1, max_size=6))
    separator = "\t" if shape == "tabbed" else draw(st.sampled_from([" ", "  "]))
    return separator.join(cells)


realistic_lines = st.lists(realistic_line(), max_size=40)


@st.composite
def scrambled_table(draw: st.DrawFn) -> list[str]:
    """A window of a bundled smelter table, damaged the ways PDF extraction damages tables:
    lines shuffled, dropped, duplicated, merged, split at a tab, or a realistic line inserted."""
    table = draw(st.sampled_from(table_slices()))
    length = draw(st.integers(1, 40))
    start = draw(st.integers(0, max(0, len(table) - length)))
    lines = list(table[start : start + length])
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(["ANNEX I- SMELTER LIST", "Metal\tSmelter Name\tCountry\tStatus", ""])))
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "duplicate", "merge", "split", "insert", "swap"]))
        if op == "drop":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "merge" and i + 1 < len(lines):
            lines[i : i + 2] = [draw(st.sampled_from(["\t", " "])).join(lines[i : i + 2])]
        elif op == "split" and "\t" in lines[i]:
            cut = draw(st.integers(0, lines[i].count("\t") - 1))
            cells = lines[i].split("\t")
            lines[i : i + 1] = ["\t".join(cells[: cut + 1]), "\t".join(cells[cut + 1 :])]
        elif op == "insert":
            lines.insert(i, draw(realistic_line()))
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    if draw(st.booleans()):
        random.Random(draw(st.integers(0, 2**16))).shuffle(lines)
    return lines


@st.composite
def table_with_garbage(draw: st.DrawFn) -> list[str]:
    """A window of a bundled smelter table with arbitrary unicode put in: some cells replaced,
    some lines inserted. Pure arbitrary text rarely looks like a table, so this is what makes
    arbitrary text reach the region finder and the row reconstruction."""
    table = draw(st.sampled_from(table_slices()))
    length = draw(st.integers(1, 25))
    start = draw(st.integers(0, max(0, len(table) - length)))
    lines = list(table[start : start + length])
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()):
            lines.insert(i, draw(arbitrary_line))
        else:
            cells = lines[i].split("\t")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(st.text(LINE_CHARS, max_size=30))
            lines[i] = "\t".join(cells)
    return lines


# --------------------------------------------------------------------------------------------
# The checks.


def is_blank(raw: str) -> bool:
    """A line with nothing on it but whitespace."""
    return not raw.strip()


def lost_lines(lines: Sequence[str], report: ParsedReport) -> list[tuple[int, str]]:
    accounted = {n for row in report.rows for n in row.lines} | {q.line for q in report.quarantine}
    return [
        (n, lines[n - 1])
        for start, end in report.regions
        for n in range(start, end + 1)
        if not is_blank(lines[n - 1]) and n not in accounted
    ]


def check_report(lines: Sequence[str], report: ParsedReport) -> None:
    for start, end in report.regions:
        assert 1 <= start <= end <= len(lines), f"region {start}-{end} outside 1-{len(lines)}"
    inside = set(report.region_lines())
    for row in report.rows:
        assert row.lines, f"row without lines: {row}"
        assert row.line == row.lines[0] == min(row.lines), row
        outside = set(row.lines) - inside
        assert not outside, f"row {row.name!r} uses lines {sorted(outside)} outside the regions {report.regions}"
    for entry in report.quarantine:
        assert 1 <= entry.line <= len(lines), entry
        assert entry.reason, entry
    assert [r.line for r in report.rows] == sorted(r.line for r in report.rows)
    lost = lost_lines(lines, report)
    assert not lost, f"lines in a region neither in a row nor quarantined: {lost}"


def check_deterministic(lines: Sequence[str], report: ParsedReport) -> None:
    again = parse_lines("t", list(lines))
    assert again == report


# --------------------------------------------------------------------------------------------
# Properties.


@FAST
@given(arbitrary_lines)
def test_arbitrary_unicode_never_raises_and_loses_nothing(lines: list[str]) -> None:
    report = parse_lines("t", lines)
    check_report(lines, report)
    check_deterministic(lines, report)


@FAST
@given(realistic_lines)
@example(["ANNEX I- SMELTER LIST", "", "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant", "\u200b", "Tin\tMinsur\tPERU\tActive"])
def test_realistic_lines_never_raise_and_lose_nothing(lines: list[str]) -> None:
    report = parse_lines("t", lines)
    check_report(lines, report)
    check_deterministic(lines, report)


@SLOW
@given(table_with_garbage())
def test_arbitrary_text_inside_a_table_never_raises_and_loses_nothing(lines: list[str]) -> None:
    report = parse_lines("t", lines)
    check_report(lines, report)
    check_deterministic(lines, report)


@SLOW
@given(scrambled_table())
def test_scrambled_tables_never_raise_and_lose_nothing(lines: list[str]) -> None:
    report = parse_lines("t", lines)
    check_report(lines, report)
    check_deterministic(lines, report)


def test_bundled_reports_lose_nothing() -> None:
    for lines in bundled_lines():
        report = parse_lines("bundled", lines)
        assert report.rows
        check_report(lines, report)


def test_checker_notices_a_lost_line() -> None:
    """The accounting check itself can fail: drop a row and it reports that row's line."""
    lines = ["ANNEX I- SMELTER LIST", "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant", "Tin\tMinsur\tPERU\tActive"]
    report = parse_lines("t", lines)
    assert len(report.rows) == 2
    report.rows.pop()
    assert lost_lines(lines, report) == [(3, "Tin\tMinsur\tPERU\tActive")]


@pytest.mark.parametrize("mark", ["**", "<u></u>", "#"])
def test_markup_only_line_in_table_is_not_lost(mark: str) -> None:
    """Found by these properties: markdown/HTML leftovers with no text were once dropped silently."""
    lines = [
        "ANNEX I- SMELTER LIST",
        "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant",
        mark,
        "Tin\tMinsur\tPERU\tFull Compliant",
    ]
    report = parse_lines("t", lines)
    assert report.regions == [(2, 4)]
    assert lost_lines(lines, report) == []
    assert [q.line for q in report.quarantine] == [3]
