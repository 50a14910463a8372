"""Which sheet of a workbook is which: told by what the sheets hold, the names only a hint.

Every sheet is probed (its first rows, see ``workbook.PROBE_ROWS``) and scored:

* **Revision**: rows pairing a template revision number (6.22, 4.01a) with a release date — the
  revision history table; at least :data:`MIN_REVISION_ROWS` of them.
* **Declaration**: a row holding the declaration-scope choices "A. Company", "B. Product...",
  "C. User defined..." (the dropdown's source cells; they stay English in every UI language).
* **Smelter Look-up** and **Smelter List**: sheets with smelter rows (one metal cell and a smelter
  ID or a country in the same row, see ``layout.anchor_row``). When two sheets have them, the one
  whose metal/look-up-name pairs are all distinct and which lists both dropdown placeholders
  ("Smelter not listed", "Smelter not yet identified") for every metal it has is the look-up; failing that, the one with
  an ID input column left of its metal column is the Smelter List; failing that, the one with
  more distinct smelter IDs is the look-up. (When the first rows already agree with the names, one
  sheet with an ID input column and the other named as the look-up, that settles it without reading
  both sheets whole.) A blank template's Smelter List has no smelter row:
  it is then the sheet whose name says so (the only case where a name decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smelterkg.ingest.cmrt.cells import PLACEHOLDERS, is_cid, parse_date, revision_key
from smelterkg.ingest.cmrt.layout import anchor_row, cell, find_layout
from smelterkg.ingest.cmrt.workbook import Sheet, Workbook

MIN_REVISION_ROWS = 3
SCOPE_CHOICES = (re.compile(r"^A\.\s*Company", re.I), re.compile(r"^B\.\s*Product", re.I), re.compile(r"^C\.\s*User", re.I))
SCOPE_CODES = ("company", "product", "user_defined")  # in the order of the choices
# Name hints, folded (English release names; used to break ties and for a blank Smelter List).
NAME_HINTS = {
    "lookup": ("smelter look-up", "smelter lookup", "smelter reference list", "standard smelter names"),
    "smelter_list": ("smelter list",),
}


@dataclass(frozen=True)
class SheetMap:
    revision: str = ""
    declaration: str = ""
    lookup: str = ""
    smelter_list: str = ""


def revision_rows(sheet: Sheet) -> list[int]:
    """Rows pairing a revision number with a date (the revision history's rows)."""
    found = []
    for number, values in enumerate(sheet.rows, start=1):
        cells = [v for v in values if v]
        if any(revision_key(v) for v in cells[:3]) and any(parse_date(v) for v in cells):
            found.append(number)
    return found


def scope_row(sheet: Sheet) -> int:
    """The Declaration's scope row: the row holding at least two of the scope choices."""
    for number, values in enumerate(sheet.rows, start=1):
        hits = sum(1 for pattern in SCOPE_CHOICES if any(pattern.match(v) for v in values if v))
        if hits >= 2:
            return number
    return 0


def _hinted(title: str, kind: str) -> bool:
    folded = title.casefold().strip()
    return any(hint in folded for hint in NAME_HINTS[kind])


def _looks_like_lookup(book: Workbook, title: str) -> tuple[bool, bool, int]:
    """(every metal of the sheet has both dropdown placeholders and no metal/look-up pair repeats,
    the sheet has an ID input column, how many distinct smelter IDs it holds)."""
    sheet = book.sheet(title)
    layout = book.layout(title)
    if layout is None:
        return False, False, 0
    pairs = [(cell(v, layout.metal), cell(v, layout.lookup).casefold()) for v in sheet.rows[layout.header_row :]]
    pairs = [p for p in pairs if p[0] and p[1]]
    metals = {metal for metal, _ in pairs}
    placeholders = bool(metals) and all((metal, p) in set(pairs) for metal in metals for p in PLACEHOLDERS)
    ids = {cell(v, layout.cid) for v in sheet.rows if is_cid(cell(v, layout.cid))}
    return placeholders and len(pairs) == len(set(pairs)), bool(layout.id_input), len(ids)


def _agreeing_probes(book: Workbook, tables: list[str]) -> tuple[str, str] | None:
    """(look-up, smelter list) when two sheets' first rows already agree with their names: one has
    an ID input column and the other is named as the look-up. Saves reading both sheets whole."""
    if len(tables) != 2:
        return None
    layouts = {t: find_layout(book.probe(t)) for t in tables}
    with_input = [t for t in tables if layouts[t] is not None and layouts[t].id_input]
    named = [t for t in tables if _hinted(t, "lookup")]
    if len(with_input) == 1 and len(named) == 1 and named[0] not in with_input:
        return named[0], with_input[0]
    return None


def find_sheets(book: Workbook) -> SheetMap:
    revision = declaration = ""
    tables: list[str] = []
    for title in book.titles:
        probe = book.probe(title)
        if not revision and len(revision_rows(probe)) >= MIN_REVISION_ROWS:
            revision = title
        elif not declaration and scope_row(probe):
            declaration = title
        elif any(anchor_row(values) for values in probe.rows):
            tables.append(title)
    lookup = smelter_list = ""
    if len(tables) == 1:
        only = tables[0]
        traits = _looks_like_lookup(book, only)
        if traits[0] or (not traits[1] and not _hinted(only, "smelter_list")):
            lookup = only
        else:
            smelter_list = only
    elif (quick := _agreeing_probes(book, tables)) is not None:
        lookup, smelter_list = quick
    elif len(tables) > 1:
        traits = {t: _looks_like_lookup(book, t) for t in tables}
        ranked = sorted(tables, key=lambda t: (traits[t][0], not traits[t][1], _hinted(t, "lookup"), traits[t][2]), reverse=True)
        lookup = ranked[0]
        rest = sorted(ranked[1:], key=lambda t: (not traits[t][0], traits[t][1]), reverse=True)
        smelter_list = next((t for t in rest if _hinted(t, "smelter_list")), rest[0])
    if not smelter_list:
        smelter_list = next((t for t in book.titles if _hinted(t, "smelter_list") and t not in (lookup, revision, declaration)), "")
    return SheetMap(revision, declaration, lookup, smelter_list)


__all__ = ["MIN_REVISION_ROWS", "SCOPE_CHOICES", "SCOPE_CODES", "SheetMap", "find_sheets", "revision_rows", "scope_row"]
