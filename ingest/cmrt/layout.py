"""Where the columns of a CMRT smelter table are: found from the cells' content, not the headers.

Both smelter tables of a CMRT (the Smelter Look-up and the Smelter List) keep, in every release
met (3.x to 6.5), one order of their columns, whatever the UI language and wherever the first
column starts::

    [ID input]  metal  look-up name  name  country  smelter ID  source  street  city  state

(the look-up's "name" is the standard smelter name; the list's is the name as entered; the
Smelter List's ID input column exists from release 4.1 on). So the columns that content alone
identifies are found first, each by a vote over the rows that are surely smelter rows (a row with
one metal cell and a smelter ID or a country cell):

* the metal column: the column holding most metal names (Gold, Tantalum, Tin, Tungsten);
* the smelter ID column: the first column right of the metal column holding CID000123-shaped
  values; a CID column left of the metal column is the Smelter List's ID input column;
* the country column: the column between the look-up name and the smelter ID holding most
  country names.

The rest follows from the order: the look-up name is right of the metal, the name between the
look-up name and the country, and source, street, city and state are the four columns right of
the smelter ID. A header row is never read for its words; it is only the row above the first
smelter row that has several cells filled, and where the user's columns end (the first gap).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import islice

from smelterkg.ingest.cmrt.cells import country_of, is_cid, metal_of
from smelterkg.ingest.cmrt.workbook import Sheet

MIN_HEADER_CELLS = 3
MAX_VOTERS = 400  # smelter rows that vote on the columns (the first ones; more change nothing)


@dataclass(frozen=True)
class Layout:
    """1-based column numbers (0: the table has no such column) and the first smelter row."""

    metal: int
    lookup: int
    name: int
    country: int
    cid: int
    source: int
    street: int
    city: int
    state: int
    id_input: int  # the Smelter List's "Smelter Identification Number Input Column"
    header_row: int
    last_column: int  # the last column of the table's own header run (user columns and helpers)
    anchor_rows: int  # rows that voted (at most MAX_VOTERS)

    @property
    def read_columns(self) -> tuple[int, ...]:
        """The columns whose cells the reader uses (and may quote in a quarantine entry)."""
        cols = (self.id_input, self.metal, self.lookup, self.name, self.country, self.cid, self.source, self.street, self.city, self.state)
        return tuple(c for c in cols if c)


def anchor_row(values: tuple[str, ...]) -> bool:
    """A row that is surely a smelter row: exactly one metal cell, and a smelter ID or a country."""
    cells = [v for v in values if v]
    if not any(is_cid(v) for v in cells) and not any(country_of(v) for v in cells):
        return False
    return sum(1 for v in cells if metal_of(v)) == 1


def find_layout(sheet: Sheet) -> Layout | None:
    """The table's columns, or ``None`` when no row of the sheet is surely a smelter row."""
    anchors = list(islice(((n, values) for n, values in enumerate(sheet.rows, start=1) if anchor_row(values)), MAX_VOTERS))
    if not anchors:
        return None
    metal_votes: Counter[int] = Counter()
    cid_votes: Counter[int] = Counter()
    for _, values in anchors:
        for column, value in enumerate(values, start=1):
            if metal_of(value):
                metal_votes[column] += 1
            elif is_cid(value):
                cid_votes[column] += 1
    metal = metal_votes.most_common(1)[0][0]
    right = sorted(c for c in cid_votes if c > metal)
    left = sorted((c for c in cid_votes if c < metal), key=lambda c: -cid_votes[c])
    lookup = metal + 1
    cid = right[0] if right else 0
    country_votes: Counter[int] = Counter()
    stop = cid if cid else lookup + 4
    for _, values in anchors:
        for column in range(lookup + 1, stop):
            if column <= len(values) and country_of(values[column - 1]):
                country_votes[column] += 1
    country = country_votes.most_common(1)[0][0] if country_votes else (cid - 1 if cid else lookup + 2)
    if not cid:  # no row carries an ID: the ID column is still right of the country
        cid = country + 1
    name = lookup + 1 if country > lookup + 1 else 0
    first = anchors[0][0]
    header_row = next(
        (n for n in range(first - 1, 0, -1) if sum(1 for v in sheet.rows[n - 1][metal - 1 : cid + 4] if v) >= MIN_HEADER_CELLS),
        first - 1,
    )
    header = sheet.rows[header_row - 1] if header_row else ()
    start = min(c for c in (left[0] if left else 0, metal) if c)
    last = cid + 4
    while last < len(header) and header[last]:  # the header run goes on: helper columns (codes, comments...)
        last += 1
    return Layout(
        metal=metal, lookup=lookup, name=name, country=country, cid=cid, source=cid + 1, street=cid + 2,
        city=cid + 3, state=cid + 4, id_input=left[0] if left else 0, header_row=header_row,
        last_column=max(last, start), anchor_rows=len(anchors),
    )  # fmt: skip


def cell(values: tuple[str, ...], column: int) -> str:
    return values[column - 1] if 0 < column <= len(values) else ""


__all__ = ["Layout", "anchor_row", "cell", "find_layout"]
