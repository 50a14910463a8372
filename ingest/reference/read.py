"""One RMI (or CFSI) facility list file -> a :class:`FacilityList`.

The steps: the file's grids (``grids``: CSV text or every worksheet), the header row of each
(``columns``), what the rows above it state (a title, a release, the list's kind, a date), the
rows (``rows``), then the list's status scheme and each row's status code, and the list date by
precedence: the file's content, else the caller's ``list_date``, else a date in the file name.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from smelterkg.ingest.cmrt.cells import metal_of
from smelterkg.ingest.cmrt.workbook import Workbook
from smelterkg.ingest.normalise import normalise_status, report_scheme, status_key
from smelterkg.ingest.reading import InputError, read_bytes
from smelterkg.ingest.reference.columns import HEADER_SCAN_ROWS, Columns, find_columns
from smelterkg.ingest.reference.dates import checked_argument, date_in_file_name, stated_date
from smelterkg.ingest.reference.grids import DELIMITERS, Grid, csv_grid, decode_csv, is_workbook, workbook_grids
from smelterkg.ingest.reference.models import FacilityList, FacilityListRow, Skipped
from smelterkg.ingest.reference.rows import GridRows, read_rows
from smelterkg.ingest.tables.columns import smelter_id
from smelterkg.ingest.vocabulary import vocabulary

# The word after a list's kind in its title: "Conformant Smelters & Refiners", "Compliant Smelter List".
_KIND_NOUN = re.compile(r"\b(?:smelters?|refiners?|facilit(?:y|ies))\b", re.IGNORECASE)
_RELEASE = re.compile(r"\b(?:release|version|revision)\s*[:#]?\s*([0-9][\w.\-]*)", re.IGNORECASE)
_WORD = re.compile(r"\S+")
# Characters that show text was damaged before the file was written; kept, and said.
DAMAGE = (
    (re.compile("\ufffd"), "U+FFFD replacement characters (letters lost before the file was written; they cannot be recovered)"),
    (re.compile("[\uff61-\uffa0]"), "half-width forms (U+FF61-U+FFA0) in Latin text, probably bytes of a Windows-1252 text read through another code page (an en dash shown as U+FF96, a no-break space as U+FFA0)"),
    (re.compile("[\u0080-\u009f]"), "C1 control characters (bytes Windows-1252 does not define, read as Latin-1)"),
    (re.compile("[\u00c2\u00c3][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"),
     "UTF-8 text read as Windows-1252 before the file was written ('Ã©' where 'é' was)"),
)


@dataclass
class _Table:
    grid: Grid
    columns: Columns
    title_rows: list[tuple[int, str]]  # (row index, text) above the header


def kind_in(text: str) -> str:
    """The status wording a title gives its list: 'Active' of 'Active Smelters & Refiners', 'RMI
    Conformant' of 'RMI Conformant Smelter List'; '' when the words before 'smelters' are no status
    of the vocabulary."""
    vocab = vocabulary()
    for noun in _KIND_NOUN.finditer(text):
        before = _WORD.findall(text[: noun.start()])
        for size in (3, 2, 1):
            if len(before) >= size:
                phrase = " ".join(before[-size:])
                terms = vocab.statuses.terms(phrase)
                if terms and len(terms) == 1:
                    return phrase
    return ""


def _tables(path: Path, data: bytes) -> tuple[list[_Table], str, str, list[str]]:
    """(tables found, format, encoding, warnings)."""
    if is_workbook(data):
        book = Workbook(path, data)
        try:
            grids = workbook_grids(book)
        finally:
            book.close()
        tables = [_Table(g, c, []) for g in grids if (c := find_columns(g.rows))]
        fmt, encoding, warnings = "xlsx", "", list(book.warnings)
        if tables:
            listed = {table.grid.name for table in tables}
            warnings += [f"{path}: sheet {g.name!r} has no facility-list header row; not read" for g in grids if g.name not in listed and g.rows]
        where = "in any sheet"
    else:
        text, encoding, warnings = decode_csv(path, data)
        tables = []
        for delimiter in DELIMITERS:
            grid = csv_grid(path, text, delimiter)
            columns = find_columns(grid.rows)
            if columns:
                tables = [_Table(grid, columns, [])]
                if grid.cut:
                    warnings.append(f"{path}: goes on past {len(grid.rows):,} records; stopped reading there")
                break
        fmt = "csv"
        where = f"in its first {HEADER_SCAN_ROWS} rows"
    if not tables:
        raise InputError(path, f"not a facility list: no header row with a smelter ID column ('Smelter ID', 'New Smelter ID'...) and a metal or smelter name column {where}")
    for table in tables:
        for index in range(table.columns.header_row):
            line = " ".join(cell for cell in table.grid.rows[index] if cell)
            if line:
                table.title_rows.append((index, line))
    return tables, fmt, encoding, warnings


def _footer_dates(table: _Table) -> tuple[list[tuple[str, str]], set[int]]:
    """Dates stated below the header in rows that are no data row ('Last updated: 2024-03-15')."""
    roles, found, used = table.columns.roles, [], set()
    for index in range(table.columns.header_row + 1, len(table.grid.rows)):
        values = table.grid.rows[index]
        cid = values[roles["cid"]] if roles["cid"] < len(values) else ""
        metal = values[roles["metal"]] if "metal" in roles and roles["metal"] < len(values) else ""
        if not any(values) or smelter_id(cid) or metal_of(metal):
            continue
        iso, quote = stated_date(" ".join(v for v in values if v), title=False)
        if iso:
            found.append((iso, f"{table.grid.locate(index)}: {quote!r}"))
            used.add(index)
    return found, used


def _list_date(path: Path, stated: list[tuple[str, str]], argument: str | None, warnings: list[str]) -> tuple[str, str, str]:
    """(list date, basis, evidence): the file's content, else the argument, else the file name."""
    given = checked_argument(argument) if argument else ""
    if stated:
        iso, evidence = stated[0]
        others = sorted({d for d, _ in stated[1:] if d != iso})
        if others:
            warnings.append(f"{path}: states more than one date ({iso}, {', '.join(others)}); the first, {evidence}, is the list date")
        if given and given != iso:
            warnings.append(f"{path}: list date {given} was given, but the file states {iso} ({evidence}); the file's date is kept")
        return iso, "content", evidence
    if given:
        return given, "argument", "given by the caller"
    iso, words = date_in_file_name(path.name)
    if iso:
        return iso, "file name", f"file name {path.name!r} ({words})"
    return "", "", ""


def _damage_warnings(path: Path, tables: list[_Table]) -> list[str]:
    warnings = []
    for pattern, what in DAMAGE:
        hits = [(t.grid.locate(i), cell) for t in tables for i, row in enumerate(t.grid.rows) for cell in row if pattern.search(cell)]
        if hits:
            where, cell = hits[0]
            warnings.append(f"{path}: {len(hits)} cells hold {what}; kept as printed (first: {where} {cell!r})")
    return warnings


def _conflict_warnings(path: Path, rows: list[FacilityListRow]) -> list[str]:
    """Metal and CID listed more than once with different fields: both kept, said here."""
    groups: dict[tuple[str, str], list[FacilityListRow]] = defaultdict(list)
    for row in rows:
        groups[(row.metal, row.cid)].append(row)
    warnings = []
    for (metal, cid), group in groups.items():
        if len(group) < 2:
            continue
        differ = [f"{name} {' / '.join(repr(v) for v in values)}" for name in ("name", "country", "city", "state", "status")
                  if len(values := list(dict.fromkeys(getattr(r, name) for r in group))) > 1]  # fmt: skip
        where = ", ".join(str(r.locator) for r in group)
        warnings.append(f"{path}: {cid} ({metal}) is listed {len(group)} times ({where}), {'; '.join(differ)}: each row kept as printed")
    return warnings


def _with_codes(path: Path, rows: list[FacilityListRow], scheme: str, warnings: list[str]) -> list[FacilityListRow]:
    vocab = vocabulary()
    unknown: dict[str, int] = defaultdict(int)
    coded = []
    for row in rows:
        code = normalise_status(row.status, scheme, vocab) if row.status else ""
        if row.status and not code:
            unknown[row.status] += 1
        coded.append(replace(row, status_code=code) if code else row)
    for status, count in unknown.items():
        known = bool(vocab.status_schemes(status_key(status)))
        if not known:
            why = "is not in the status vocabulary (data/gazetteers/table_vocabulary.csv)"
        elif scheme:
            why = f"has no code in the {scheme} scheme"
        else:
            why = "is worded alike by CFSI and RMI, and nothing tells the list's era (no other status wording, no list date)"
        warnings.append(f"{path}: status {status!r} {why}: its code is left empty ({count} rows)")
    return coded


def read_facility_list(path: Path | str, list_date: str | None = None) -> FacilityList:
    """Read an RMI/CFSI facility list (CSV in any encoding, or XLSX). ``list_date`` (YYYY,
    YYYY-MM or YYYY-MM-DD) is used when the file states no date; ValueError when it is no such
    date. Raises InputError (one line naming the file) for what is not a facility list."""
    path = Path(path)
    data = read_bytes(path)
    tables, fmt, encoding, warnings = _tables(path, data)
    stated: list[tuple[str, str]] = []
    title = release = ""
    kinds: dict[int, str] = {}
    for number, table in enumerate(tables):
        for index, line in table.title_rows:
            title = title or line
            release = release or (m.group(1) if (m := _RELEASE.search(line)) else "")
            kinds[number] = kinds.get(number) or kind_in(line)
            iso, quote = stated_date(line, title=True)
            if iso:
                stated.append((iso, f"{table.grid.locate(index)}: {quote!r}"))
    rows: list[FacilityListRow] = []
    quarantine: list[Skipped] = []
    statuses: list[str] = []
    for number, table in enumerate(tables):
        footer, used = _footer_dates(table)
        stated.extend(footer)
        found: GridRows = read_rows(table.grid, table.columns, kinds.get(number, ""), used)
        rows += found.rows
        quarantine += found.quarantine
        statuses += found.statuses
    if not rows and not quarantine:
        raise InputError(path, "a facility list header but no rows under it")
    date, basis, evidence = _list_date(path, stated, list_date, warnings)
    kind_values = {k for k in kinds.values() if k}
    scheme = report_scheme([s for s in statuses if s] + sorted(kind_values), int(date[:4]) if date else None)
    rows = _with_codes(path, rows, scheme, warnings)
    warnings += _damage_warnings(path, tables) + _conflict_warnings(path, rows)
    first = tables[0].columns
    return FacilityList(
        path=str(path), source=path.name, sha256=hashlib.sha256(data).hexdigest(), format=fmt, encoding=encoding,
        title=title, release=release, kind=kind_values.pop() if len(kind_values) == 1 else "", status_scheme=scheme,
        list_date=date, list_date_basis=basis, list_date_evidence=evidence,
        columns=tuple((role, first.headers[column]) for role, column in first.roles.items()),
        rows=tuple(rows), quarantine=tuple(quarantine), warnings=tuple(warnings),
    )  # fmt: skip


__all__ = ["kind_in", "read_facility_list"]
