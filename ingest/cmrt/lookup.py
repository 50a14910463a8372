"""The Smelter Look-up sheet -> reference facilities, one per smelter ID (CID).

The look-up has one row per look-up name (an alias, a former name, or the standard name itself):
metal, look-up name, standard smelter name, country, smelter ID, source of the ID, street, city,
state. Rows are grouped by CID in sheet order; the first row of a CID gives its standard name,
country, city, state and source, and a later row of the same CID that disagrees is said in a
warning (the row is still an alias of the CID). The two dropdown placeholders of each metal
("Smelter not listed", "Smelter not yet identified") and rows without a smelter ID are skipped,
each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smelterkg.ingest.cmrt.cells import PLACEHOLDERS, country_of, is_cid, metal_of
from smelterkg.ingest.cmrt.layout import Layout, cell
from smelterkg.ingest.cmrt.models import ReferenceFacility, Skipped
from smelterkg.ingest.cmrt.workbook import Sheet
from smelterkg.ingest.models import Locator

_SAME = ("metal", "standard_name", "country", "city", "state")


@dataclass
class _Group:
    cid: str
    fields: dict[str, str]
    aliases: list[str] = field(default_factory=list)
    locators: list[Locator] = field(default_factory=list)


def _row_text(values: tuple[str, ...], layout: Layout) -> str:
    return " | ".join(v for c in layout.read_columns if (v := cell(values, c)))


def read_lookup_rows(sheet: Sheet, layout: Layout) -> tuple[list[ReferenceFacility], list[Skipped], list[str]]:
    groups: dict[str, _Group] = {}
    skipped: list[Skipped] = []
    warnings: list[str] = []
    for number in range(layout.header_row + 1, len(sheet.rows) + 1):
        values = sheet.rows[number - 1]
        if not any(cell(values, c) for c in range(1, layout.last_column + 1)):
            continue
        here = Locator(sheet=sheet.title, row=number)
        lookup = cell(values, layout.lookup)
        cid = cell(values, layout.cid).upper()
        metal = metal_of(cell(values, layout.metal))
        reason = PLACEHOLDERS.get(lookup.casefold(), "")
        if not reason and not is_cid(cid):
            reason = f"no smelter ID (CID) in column {layout.cid}" if not cid else f"{cid!r} is not a smelter ID (CID000123)"
        if not reason and not metal:
            reason = f"{cell(values, layout.metal)!r} is not a metal (Gold, Tantalum, Tin, Tungsten)"
        if not reason and not lookup and not cell(values, layout.name):
            reason = "no look-up name and no standard name"
        if reason:
            skipped.append(Skipped(here, reason, _row_text(values, layout)))
            continue
        fields = {
            "metal": metal, "standard_name": cell(values, layout.name) or lookup, "country": cell(values, layout.country),
            "city": cell(values, layout.city), "state": cell(values, layout.state), "source": cell(values, layout.source),
        }  # fmt: skip
        group = groups.get(cid)
        if group is None:
            group = groups[cid] = _Group(cid, fields)
        else:
            differ = [k for k in _SAME if fields[k] and group.fields[k] != fields[k]]
            if differ:
                warnings.append(f"sheet {sheet.title!r} row {number}: {cid} has another {', '.join(differ)} than its first row ({group.locators[0]}); the first is kept")
        if lookup and lookup not in group.aliases:
            group.aliases.append(lookup)
        group.locators.append(here)
    facilities = [
        ReferenceFacility(
            cid=g.cid, metal=g.fields["metal"], standard_name=g.fields["standard_name"], aliases=tuple(g.aliases),
            country=g.fields["country"], country_code=country_of(g.fields["country"]), city=g.fields["city"],
            state=g.fields["state"], source=g.fields["source"], locators=tuple(g.locators),
        )
        for g in groups.values()
    ]  # fmt: skip
    return facilities, skipped, warnings


__all__ = ["read_lookup_rows"]
