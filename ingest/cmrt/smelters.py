"""The Smelter List sheet of a filled CMRT -> the supplier's smelter rows.

A row of the list is read when it has a metal and something that names the smelter (a look-up
name, a name as entered, or a smelter ID). Blank template rows (every user cell empty; the
template's formulas cache '#N/A' or 0 there) are not rows. A row with some content but no metal,
an unknown metal, or nothing naming the smelter goes to the quarantine with its reason, quoting
only the cells the reader reads.

Only the columns of the layout are read: ID input, metal, look-up name, name, country, smelter ID,
source, street, city, state. The smelter contact name and e-mail, the mine columns and the
comments are never put into a row nor a quarantine entry; a row whose only content is in those
columns is quarantined without its text.
"""

from __future__ import annotations

from smelterkg.ingest.cmrt.cells import PLACEHOLDERS, country_of, is_cid, metal_of
from smelterkg.ingest.cmrt.layout import Layout, cell
from smelterkg.ingest.cmrt.models import Skipped, SupplierSmelterRow
from smelterkg.ingest.cmrt.workbook import Sheet
from smelterkg.ingest.models import Locator

ID_FROM_INPUT = "smelter ID taken from the ID input column (the smelter ID column is empty)"
ID_DIFFERS = "the ID input column holds {input}, the smelter ID column {cid}; the smelter ID column is kept"
NOT_YET_IDENTIFIED = "look-up 'Smelter not yet identified': the supplier does not know the smelter"


def _row_text(values: tuple[str, ...], layout: Layout) -> str:
    return " | ".join(v for c in layout.read_columns if (v := cell(values, c)))


def read_smelter_rows(sheet: Sheet, layout: Layout) -> tuple[list[SupplierSmelterRow], list[Skipped]]:
    rows: list[SupplierSmelterRow] = []
    quarantine: list[Skipped] = []
    read = layout.read_columns
    for number in range(layout.header_row + 1, len(sheet.rows) + 1):
        values = sheet.rows[number - 1]
        if not any(cell(values, c) for c in range(1, layout.last_column + 1)):
            continue  # a blank template row
        here = Locator(sheet=sheet.title, row=number)
        if not any(cell(values, c) for c in read):
            quarantine.append(Skipped(here, "content only in columns that are not read (contacts, mines, comments)", ""))
            continue
        printed_metal = cell(values, layout.metal)
        metal = metal_of(printed_metal)
        lookup, name = cell(values, layout.lookup), cell(values, layout.name)
        cid, given = cell(values, layout.cid).upper(), cell(values, layout.id_input).upper()
        notes: list[str] = []
        if not is_cid(cid) and is_cid(given):
            cid, notes = given, [ID_FROM_INPUT]
        elif is_cid(cid) and is_cid(given) and given != cid:
            notes.append(ID_DIFFERS.format(input=given, cid=cid))
        reason = ""
        if not printed_metal:
            reason = "no metal"
        elif not metal:
            reason = f"{printed_metal!r} is not a metal (Gold, Tantalum, Tin, Tungsten)"
        elif not (lookup or name or is_cid(cid)):
            reason = "no smelter named: look-up name, smelter name and smelter ID are empty"
        if reason:
            quarantine.append(Skipped(here, reason, _row_text(values, layout)))
            continue
        if cid and not is_cid(cid):
            notes.append(f"{cid!r} is not a smelter ID (CID000123): left out")
            cid = ""
        if lookup.casefold() == "smelter not yet identified":
            notes.append(NOT_YET_IDENTIFIED)
        country = cell(values, layout.country)
        rows.append(
            SupplierSmelterRow(
                metal=metal, lookup_name=lookup, name=name, cid=cid, country=country, country_code=country_of(country),
                city=cell(values, layout.city), state=cell(values, layout.state), source=cell(values, layout.source),
                locator=here, notes=tuple(notes),
            )
        )  # fmt: skip
    return rows, quarantine


def mention_name(row: SupplierSmelterRow) -> str:
    """The name a mention carries: the name as entered, else the look-up name unless it is a
    dropdown placeholder ('' then: the row names no smelter by name)."""
    if row.name and row.name.casefold() != "unknown":
        return row.name
    return "" if row.lookup_name.casefold() in PLACEHOLDERS else row.lookup_name


__all__ = ["ID_DIFFERS", "ID_FROM_INPUT", "mention_name", "read_smelter_rows"]
