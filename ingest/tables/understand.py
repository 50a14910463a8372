"""A grid -> smelter rows and quarantine entries, or the whole table quarantined as "not a
smelter list" with the reason.

Each grid row is one of: blank; a header row (the first gives the column roles, repeats after
page breaks are recognised and used up); a metal group heading ("Gold", "Gold (continued)",
"Tantalum smelters and refiners"), whose metal is carried down; a footnote legend line ("* ...");
a single cell across the table (page number, running header, note) -> quarantined; a data row ->
one :class:`TableRow` (the metal from its metal cell, else carried down from the cell or heading
above); a data row without a name -> quarantined. Values come only from their own column: a table
without a status column gives empty statuses, never guessed ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from smelterkg.ingest.tables.columns import (
    Columns, assign_columns, content_type, is_header_row, location_country, metal_value, smelter_id, split_marks,
)  # fmt: skip
from smelterkg.ingest.tables.grid import Cell, Grid, distinct
from smelterkg.ingest.vocabulary import Vocabulary, vocabulary

LEGEND = re.compile(r"^\s*(\*+|[†‡§¶]+|\(\d{1,2}\)|\[\d{1,2}\]|\([a-z]\))\s*(\S.*)$")

REASON_COUNTS = "a table of numbers (counts or rates by metal, status or supplier), not a smelter list"
REASON_COUNTRIES = "a list of countries (countries of origin), not a smelter list"
REASON_OTHER = "no column of smelter names beside smelter IDs, countries or statuses: not a smelter list"


@dataclass
class TableRow:
    """One smelter row read from a grid, values as printed (codes are the reader's job)."""

    table: int
    row: int  # 1-based source row
    column: int  # the name cell's 1-based index in its row
    metal: str
    name: str
    country: str
    status: str
    smelter_id: str
    notes: list[str] = field(default_factory=list)


@dataclass
class TableIssue:
    """A grid row that is not a smelter row, and why."""

    table: int
    row: int
    reason: str
    text: str


@dataclass
class TableReading:
    rows: list[TableRow]
    issues: list[TableIssue]
    smelter_table: bool
    reason: str = ""  # why the table is not a smelter list


def legend_of(lines: list[str]) -> dict[str, str]:
    """Footnote legends in a document's text: ``'* Smelter not yet audited'`` -> ``{'*': ...}``."""
    legend: dict[str, str] = {}
    for line in lines:
        match = LEGEND.match(line)
        if match and len(match.group(2)) > 3:
            legend.setdefault(match.group(1), match.group(2).strip())
    return legend


def _heading_metal(cells: list[Cell], vocab: Vocabulary) -> str:
    filled = [c for c in distinct(cells) if c.text]
    if len(filled) != 1:
        return ""
    return metal_value(filled[0].text, vocab, heading=True)


def _value(grid: Grid, r: int, columns: list[int]) -> tuple[str, tuple[str, ...], int]:
    """The text of a role in row ``r`` (its columns' distinct cells joined), the marks, the first cell's column."""
    parts: list[str] = []
    marks: list[str] = []
    first = 0
    for cell in distinct([grid.rows[r][c] for c in columns]):
        if not cell.text and not cell.marks:
            continue
        text, found = split_marks(cell.text)
        if text:
            parts.append(text)
        marks.extend(cell.marks + found)
        first = first or cell.column
    return " ".join(parts), tuple(marks), first


def _not_smelters(grid: Grid, data_rows: list[int], columns: Columns, vocab: Vocabulary) -> str:
    """Why the table is not a smelter list, '' when it is one."""
    kinds = [content_type(c.text, vocab) for r in data_rows for c in distinct(grid.rows[r])]
    kinds = [k for k in kinds if k]
    if not kinds:
        return REASON_OTHER
    if kinds.count("number") * 2 >= len(kinds):
        return REASON_COUNTS
    if all(k in {"country", "location", "metal", "number"} for k in kinds) and kinds.count("country") + kinds.count("location"):
        return REASON_COUNTRIES
    if "name" not in columns.roles:
        return REASON_OTHER
    evidence = {"smelter_id", "country", "location", "status"} & columns.roles.keys()
    if not evidence:
        return REASON_OTHER
    return ""


def understand(grid: Grid, legend: Mapping[str, str] | None = None, vocab: Vocabulary | None = None) -> TableReading:
    vocab = vocab or vocabulary()
    legend = dict(legend or {})
    header: int | None = None
    header_block: list[int] = []
    data_seen = False
    kinds: dict[int, str] = {}
    headings: dict[int, str] = {}
    for r, cells in enumerate(grid.rows):
        filled = [c for c in distinct(cells) if c.text or c.marks]
        if not filled:
            kinds[r] = "blank"
        elif is_header_row(cells, vocab):
            kinds[r] = "header"
            if header is None:
                header = r
                header_block = [r]
            elif header_block[-1] == r - 1 and not data_seen:
                header_block.append(r)  # a header printed over two rows ("Smelter" / "ID")
        elif metal := _heading_metal(cells, vocab):
            kinds[r] = "heading"
            headings[r] = metal
        elif len(filled) == 1 and grid.width > 1:
            kinds[r] = "single"
        else:
            kinds[r] = "data"
        data_seen = data_seen or kinds[r] in {"data", "heading", "single"}
    data_rows = [r for r, kind in kinds.items() if kind == "data"]
    columns = assign_columns(grid, data_rows, header_block, vocab)
    reason = _not_smelters(grid, data_rows, columns, vocab)
    if reason:
        issues = [
            TableIssue(grid.table, grid.row_numbers[r], f"table {grid.table}: {reason}", grid.row_text(r))
            for r, kind in kinds.items() if kind != "blank"
        ]  # fmt: skip
        return TableReading([], issues, False, reason)
    roles = columns.roles
    name_columns = set(roles.get("name", []))
    for r, kind in kinds.items():  # a lone name in the name column is a row (no country/ID printed)
        if kind == "single":
            positions = [c for c, cell in enumerate(grid.rows[r]) if cell.text]
            if set(positions) <= name_columns and content_type(grid.row_text(r), vocab) == "text" and not LEGEND.match(grid.row_text(r)):
                kinds[r] = "data"
    rows: list[TableRow] = []
    issues: list[TableIssue] = []
    metal = ""
    for r, cells in enumerate(grid.rows):
        kind = kinds[r]
        number = grid.row_numbers[r]
        if kind in {"blank", "header"}:
            continue
        if kind == "heading":
            metal = headings[r]
            continue
        if kind == "single":
            text = grid.row_text(r)
            match = LEGEND.match(text)
            if match:
                legend.setdefault(match.group(1), match.group(2).strip())
                issues.append(TableIssue(grid.table, number, "footnote legend (kept in the notes of the rows with its mark)", text))
            else:
                issues.append(TableIssue(grid.table, number, "a single cell across the table (page number, running header or note), not a smelter", text))
            continue
        notes: list[str] = []
        if "metal" in roles:
            printed, _, _ = _value(grid, r, roles["metal"])
            if printed:
                value = metal_value(printed, vocab)
                if value:
                    metal = value
                else:
                    notes.append(f"metal cell: {printed}")
                    metal = ""
        name, marks, name_column = _value(grid, r, roles.get("name", []))
        if not name:
            issues.append(TableIssue(grid.table, number, "no smelter name in the name column", grid.row_text(r)))
            continue
        country, country_marks, _ = _value(grid, r, roles.get("country", []))
        if country:
            place, found = location_country(country)
            if place:
                notes.append(f"location: {country}")
                country = found
        location, _, _ = _value(grid, r, roles.get("location", []))
        if location:
            notes.append(f"location: {location}")
            if not country:
                country = location_country(location)[1]
        status, status_marks, _ = _value(grid, r, roles.get("status", []))
        printed_id, id_marks, _ = _value(grid, r, roles.get("smelter_id", []))
        marks = tuple(dict.fromkeys(marks + country_marks + status_marks + id_marks))
        cid = smelter_id(printed_id) if printed_id else ""
        if printed_id and not cid:
            notes.append(f"smelter ID cell: {printed_id}")
        for mark in marks:
            notes.append(f"footnote {mark}: {legend[mark]}" if mark in legend else f"footnote mark {mark}")
        for c, label in columns.notes:
            cell = grid.rows[r][c]
            if cell.text and not (cell.spanned and cell.origin[1] != c and columns.role_of(cell.origin[1])):
                notes.append(f"{label}: {cell.text}" if label and label != cell.text else cell.text)
        rows.append(TableRow(grid.table, number, name_column, metal, name, country, status, cid, list(dict.fromkeys(notes))))
    for row in rows:  # legends printed below the table reach rows above them
        row.notes = [
            f"footnote {n[len('footnote mark '):]}: {legend[n[len('footnote mark '):]]}"
            if n.startswith("footnote mark ") and n[len("footnote mark "):] in legend else n
            for n in row.notes
        ]  # fmt: skip
    return TableReading(rows, issues, True)


__all__ = ["TableIssue", "TableReading", "TableRow", "legend_of", "understand"]
