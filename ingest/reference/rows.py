"""The data rows of one grid under its header -> facility-list rows and quarantine entries.

A row with no cell filled is not a row. A row without an RMI smelter ID (CID and six digits) or
without one of the four metals is quarantined with its reason; so is a row repeating an earlier
row in every field read (a duplicate). Two rows of one metal and CID that differ (the CFSI 2014
list gives some tungsten smelters both as "Active" and as "Progressing") are both kept: each is
what the list prints; the difference is said in a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smelterkg.ingest.cmrt.cells import metal_of
from smelterkg.ingest.countries import country_code
from smelterkg.ingest.models import Locator
from smelterkg.ingest.reference.columns import Columns
from smelterkg.ingest.reference.grids import Grid
from smelterkg.ingest.reference.models import FacilityListRow, Skipped
from smelterkg.ingest.tables.columns import smelter_id

# Characters that print as nothing and may sit around an ID cell: not part of the ID. U+FFA0
# (half-width filler) is what a no-break space of a Windows-1252 file became in the CFSI 2014 list.
_METALS = "Gold, Tantalum, Tin or Tungsten"


def split_location(printed: str) -> tuple[str, str, str]:
    """(country as printed, its ISO code, city) of a country cell: 'China' is a country; 'Shenzhen,
    CHINA' (one comma, the part after it a country) is a city and a country; 'Korea, Republic of'
    stays one country. A cell that is neither keeps its text with no code."""
    code = country_code(printed) if printed else None
    if code or printed.count(",") != 1:
        return printed, code or "", ""
    city, country = (part.strip() for part in printed.split(","))
    code = country_code(country)
    return (country, code, city) if code and city else (printed, "", "")


@dataclass
class GridRows:
    rows: list[FacilityListRow] = field(default_factory=list)
    quarantine: list[Skipped] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # printed status of each row, for the scheme vote


def _cell(values: tuple[str, ...], column: int | None) -> str:
    return values[column] if column is not None and column < len(values) else ""


def _heading(columns: Columns, column: int) -> str:
    """The header of an extra cell; a cell right of every header is named by its position."""
    text = columns.headers[column] if column < len(columns.headers) else ""
    return text or f"column {column + 1}"


def _reasons(metal_text: str, metal: str, cid_text: str, cid: str) -> list[str]:
    reasons = []
    if not cid_text:
        reasons.append("no smelter ID")
    elif not cid:
        reasons.append(f"smelter ID {cid_text!r} is not an RMI smelter ID (CID and six digits)")
    if not metal_text:
        reasons.append("no metal")
    elif not metal:
        reasons.append(f"metal {metal_text!r} is not {_METALS}")
    return reasons


def read_rows(grid: Grid, columns: Columns, kind: str, used: set[int]) -> GridRows:
    """Rows below the header of ``grid``. ``kind`` is the status wording the title gives every
    row when there is no status column; ``used`` are row indices already read as something else
    (a footer stating the list's date), which are neither rows nor quarantined."""
    out = GridRows()
    roles = columns.roles
    read = set(roles.values())
    seen: dict[tuple[str, ...], Locator] = {}
    for index in range(columns.header_row + 1, len(grid.rows)):
        values = grid.rows[index]
        if not any(values) or index in used:
            continue
        here = grid.locate(index)
        text = " | ".join(value for value in values if value)
        metal_text, cid_text = _cell(values, roles.get("metal")), _cell(values, roles.get("cid"))
        metal, cid = metal_of(metal_text), smelter_id(cid_text)
        reasons = _reasons(metal_text, metal, cid_text, cid)
        if reasons:
            out.quarantine.append(Skipped(here, "; ".join(reasons), text))
            continue
        country, code, city = split_location(_cell(values, roles.get("country")))
        city = _cell(values, roles.get("city")) or city
        status = _cell(values, roles.get("status"))
        basis = "column" if status else ""
        if "status" not in roles and kind:
            status, basis = kind, "title"
        key = (metal, cid, _cell(values, roles.get("name")), country, city, _cell(values, roles.get("state")), status)
        if key in seen:
            out.quarantine.append(Skipped(here, f"duplicate of {seen[key]} (same metal, smelter ID, name, location and status)", text))
            continue
        seen[key] = here
        extra = tuple((_heading(columns, i), value) for i, value in enumerate(values) if value and i not in read)
        out.rows.append(
            FacilityListRow(
                metal=metal, cid=cid, cid_printed=cid_text, name=key[2], country=country, country_code=code,
                city=city, state=key[5], status=status, status_code="", status_basis=basis,
                since=_cell(values, roles.get("since")), valid_until=_cell(values, roles.get("valid_until")),
                assessment_cycle=_cell(values, roles.get("assessment_cycle")), extra=extra, locator=here,
            )
        )  # fmt: skip
        out.statuses.append(status)
    return out


__all__ = ["GridRows", "read_rows", "split_location"]
