"""One CMRT workbook -> its look-up, declaration and smelter list, from one opening of the file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from smelterkg.ingest.cmrt.declaration import NO_PERIOD, effective, read_declaration_cells, stated_year
from smelterkg.ingest.cmrt.lookup import read_lookup_rows
from smelterkg.ingest.cmrt.models import Declaration, ReferenceList, SmelterList, SupplierSmelterRow
from smelterkg.ingest.cmrt.revision import Release, banner_release, read_release
from smelterkg.ingest.cmrt.sheets import SheetMap, find_sheets
from smelterkg.ingest.cmrt.smelters import read_smelter_rows
from smelterkg.ingest.cmrt.workbook import Workbook
from smelterkg.ingest.reading import InputError, read_bytes


@dataclass(frozen=True)
class CMRT:
    """Everything read from one workbook; a part the workbook lacks is ``None``."""

    path: str
    sha256: str
    sheets: SheetMap
    release: Release
    lookup: ReferenceList | None
    declaration: Declaration | None
    smelter_list: SmelterList | None
    warnings: tuple[str, ...]


def _release(book: Workbook, sheets: SheetMap) -> tuple[Release, list[str]]:
    revision = read_release(book.sheet(sheets.revision) if sheets.revision else None)
    banner = banner_release(book.probe(sheets.smelter_list) if sheets.smelter_list else None)
    warnings = []
    if revision.release and banner.release and revision.release != banner.release:
        warnings.append(f"{book.path}: the Revision sheet says release {revision.release}, the Smelter List banner {banner.release}; the Revision sheet is kept")
    return (revision if revision.release else banner), warnings


def _lookup(book: Workbook, sheets: SheetMap, release: Release, sha256: str) -> ReferenceList | None:
    if not sheets.lookup:
        return None
    sheet = book.sheet(sheets.lookup)
    layout = book.layout(sheets.lookup)
    if layout is None:
        return None
    facilities, skipped, warnings = read_lookup_rows(sheet, layout)
    return ReferenceList(
        path=str(book.path), sha256=sha256, release=release.release, release_date=release.release_date,
        list_date=release.list_date, sheet=sheet.title, facilities=tuple(facilities), skipped=tuple(skipped),
        warnings=tuple(warnings),
    )  # fmt: skip


def _declaration(book: Workbook, sheets: SheetMap, release: Release, sha256: str) -> Declaration | None:
    if not sheets.declaration:
        return None
    sheet = book.probe(sheets.declaration)  # the company information is in the first rows
    values, where, warnings = read_declaration_cells(sheet)
    date, date_text = effective(values)
    if date_text and date is None:
        warnings.append(f"sheet {sheet.title!r}: effective date {date_text!r} is not an unambiguous date; left empty")
    year, stated = stated_year(values.get("scope_description", ""))
    basis = f"stated in the description of scope: {stated!r}" if year else NO_PERIOD
    return Declaration(
        path=str(book.path), sha256=sha256, release=release.release, sheet=sheet.title,
        company=values.get("company", ""), scope=values.get("scope", ""), scope_text=values.get("scope_text", ""),
        scope_description=values.get("scope_description", ""), effective_date=date, effective_date_text=date_text,
        reporting_year=year, reporting_year_basis=basis, locators=tuple(where.items()), warnings=tuple(warnings),
    )  # fmt: skip


def _smelter_list(book: Workbook, sheets: SheetMap) -> SmelterList | None:
    if not sheets.smelter_list:
        return None
    sheet = book.sheet(sheets.smelter_list)
    layout = book.layout(sheets.smelter_list)
    if layout is None:  # a blank template's list: no smelter row at all
        return SmelterList(sheet.title, (), ())
    rows, quarantine = read_smelter_rows(sheet, layout)
    return SmelterList(sheet.title, tuple(rows), tuple(quarantine))


ALL_PARTS = frozenset({"lookup", "declaration", "smelter_list"})


def read_cmrt(path: Path | str, data: bytes | None = None, parts: frozenset[str] = ALL_PARTS) -> CMRT:
    """Read a CMRT workbook (any 6.x release and older ones of the same shape, any UI language).
    ``parts``: which of lookup, declaration, smelter_list to read (the others come back ``None``;
    the look-up alone skips the 2,500-row Smelter List, about half the time of a filled CMRT).
    Raises :class:`InputError` with one line for a file that is not a readable CMRT."""
    path = Path(path)
    if data is None:
        data = read_bytes(path)
    book = Workbook(path, data)
    try:
        sheets = find_sheets(book)
        if not (sheets.lookup or sheets.declaration or sheets.smelter_list):
            raise InputError(path, f"an Excel workbook, but not a CMRT: no Smelter Look-up, Declaration or Smelter List sheet found among {len(book.titles)} sheet(s)")
        sha256 = hashlib.sha256(data).hexdigest()
        release, warnings = _release(book, sheets)
        lookup = _lookup(book, sheets, release, sha256) if "lookup" in parts else None
        declaration = _declaration(book, sheets, release, sha256) if "declaration" in parts else None
        smelters = _smelter_list(book, sheets) if "smelter_list" in parts else None
        warnings = book.warnings + warnings
    finally:
        book.close()
    return CMRT(str(path), sha256, sheets, release, lookup, declaration, smelters, tuple(warnings))


def read_lookup(path: Path | str) -> ReferenceList:
    """The Smelter Look-up of a CMRT as reference facilities (grouped by CID).

    ``release`` and ``release_date`` are those of the workbook's own (highest) row of the Revision
    sheet; ``list_date`` is the date in that row's "updates to smelter list" cell ("...the Standard
    Smelter List as of March 5, 2025"); empty when the Revision sheet does not say."""
    cmrt = read_cmrt(path, parts=frozenset({"lookup"}))
    if cmrt.lookup is None:
        raise InputError(path, "a CMRT without a Smelter Look-up sheet (no sheet lists metals with smelter IDs)")
    return cmrt.lookup


def read_declaration(path: Path | str) -> Declaration:
    """The Declaration of a CMRT: company, scope, effective date, reporting year (see
    ``ingest.cmrt.declaration`` for where each comes from and why the year is usually empty)."""
    cmrt = read_cmrt(path, parts=frozenset({"declaration"}))
    if cmrt.declaration is None:
        raise InputError(path, "a CMRT without a Declaration sheet (no sheet holds the declaration scope choices)")
    return cmrt.declaration


def read_smelter_list(path: Path | str) -> list[SupplierSmelterRow]:
    """The rows of a filled CMRT's Smelter List ([] for a blank template). The rows that were not
    read are in ``read_cmrt(path).smelter_list.quarantine``."""
    cmrt = read_cmrt(path, parts=frozenset({"smelter_list"}))
    if cmrt.smelter_list is None:
        raise InputError(path, "a CMRT without a Smelter List sheet")
    return list(cmrt.smelter_list.rows)


__all__ = ["ALL_PARTS", "CMRT", "read_cmrt", "read_declaration", "read_lookup", "read_smelter_list"]
