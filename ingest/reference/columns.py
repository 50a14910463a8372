"""Which column holds what, by its header words, and which row is the header.

RMI and CFSI have published their lists with many headings ("Smelter ID", "New Smelter ID",
"Smelter Reference List ID"; "Standard Smelter Name", "Smelter Name"; "Country", "Location",
"Country Location"...), in any order and below title rows. A heading is compared in a folded form
(case, accents and punctuation ignored; a parenthetical such as "(CID)" may be dropped). Each role
lists its headings best first: when two columns have headings of one role, the better heading
wins ("Standard Smelter Name" over "Smelter Name"), then the leftmost. Unknown headings ("Old
Smelter ID", "Website") are kept as the row's extra cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smelterkg.ingest.vocabulary import fold

HEADER_SCAN_ROWS = 40  # rows looked at for the header row (titles and notes may come first)

# role -> headings, best first (folded forms; see heading_key)
ROLE_HEADINGS: dict[str, tuple[str, ...]] = {
    "cid": (
        "smelter id", "new smelter id", "smelter reference list id", "smelter identification number",
        "smelter identification", "rmi smelter id", "rmi id", "cid", "facility id", "smelter id number",
    ),
    "metal": ("metal", "metal type", "mineral"),
    "name": (
        "standard smelter name", "smelter name", "smelter or refiner name", "smelter refiner name",
        "standard facility name", "facility name", "smelter reference name", "company name", "name",
    ),
    "country": ("country", "country location", "smelter country", "country region", "location", "smelter location"),
    "state": ("state province", "state province region", "province state", "state", "province"),
    "city": ("city", "smelter city"),
    "status": ("status", "rmap status", "smelter status", "assessment status", "conformance status", "cfsp status", "audit status"),
    "since": ("conformant since", "compliant since", "active since", "status since"),
    "valid_until": ("valid until", "expiration date", "expiry date", "audit valid until"),
    "assessment_cycle": ("assessment cycle", "audit cycle", "rmap assessment cycle"),
}  # fmt: skip
ROLES = tuple(ROLE_HEADINGS)
_RANK = {heading: (role, rank) for role, headings in ROLE_HEADINGS.items() for rank, heading in enumerate(headings)}
_NON_WORD = re.compile(r"[^0-9a-z]+")
_PARENTHETICAL = re.compile(r"\([^)]*\)")


def heading_key(text: str) -> str:
    """'State / Province' -> 'state province'; 'Smelter ID*' -> 'smelter id'."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def heading_role(text: str) -> tuple[str, int] | None:
    """(role, rank) of a header cell, ``None`` when it is no known heading."""
    if not text or len(text) > 80:
        return None
    found = _RANK.get(heading_key(text))
    if found is None and "(" in text:
        found = _RANK.get(heading_key(_PARENTHETICAL.sub(" ", text)))
    return found


@dataclass(frozen=True)
class Columns:
    """The header row (0-based), the column of each role found (0-based) and the header row's
    cells (which name the extra cells)."""

    header_row: int
    roles: dict[str, int]
    headers: tuple[str, ...]


def columns_of(header: tuple[str, ...], row: int) -> Columns | None:
    """The columns of a header row: ``None`` unless it has a smelter-ID heading and one of metal
    or name (a lone "ID" cell in a note is not a header)."""
    best: dict[str, tuple[int, int]] = {}
    for column, text in enumerate(header):
        found = heading_role(text)
        if found is None:
            continue
        role, rank = found
        if role not in best or rank < best[role][0]:
            best[role] = (rank, column)
    if "cid" not in best or not ({"metal", "name"} & best.keys()):
        return None
    return Columns(row, {role: column for role, (_, column) in best.items()}, header)


def find_columns(rows: list[tuple[str, ...]]) -> Columns | None:
    """The first row of the first :data:`HEADER_SCAN_ROWS` that is a header row."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = columns_of(row, index)
        if found:
            return found
    return None


__all__ = ["HEADER_SCAN_ROWS", "ROLES", "ROLE_HEADINGS", "Columns", "columns_of", "find_columns", "heading_key", "heading_role"]
