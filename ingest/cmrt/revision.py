"""The Revision sheet: the template's release, its date, and the date of its smelter list.

The revision history lists every release of the template, oldest first, one row each: revision
number, originator, release date, functional changes, smelter-list changes. The workbook's own
release is the highest revision number in the table; its "updates to smelter list" cell says
"...as reflected in the Standard Smelter List as of March 5, 2025", which is the list date. When
the Revision sheet is missing, the Smelter List's banner ("Revision 6.4 / April 26, 2024") gives the
release and its date, and the list date stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from smelterkg.ingest.cmrt.cells import list_date_in, parse_date, revision_key
from smelterkg.ingest.cmrt.sheets import revision_rows
from smelterkg.ingest.cmrt.workbook import Sheet
from smelterkg.ingest.models import Locator

_BANNER = re.compile(r"^Revision\s+(\d{1,2}(?:\.\d{1,2})?[a-z]?)\s+(.+)$", re.I)


@dataclass(frozen=True)
class Release:
    release: str = ""
    release_date: date | None = None
    list_date: date | None = None
    locator: Locator | None = None
    list_date_text: str = ""


def read_release(sheet: Sheet | None) -> Release:
    if sheet is None:
        return Release()
    best: tuple[object, int, str] | None = None
    for number in revision_rows(sheet):
        values = [v for v in sheet.rows[number - 1] if v]
        revision = next(v for v in values[:3] if revision_key(v))
        key = revision_key(revision)
        if best is None or key > best[0]:  # type: ignore[operator]
            best = (key, number, revision)
    if best is None:
        return Release()
    _, number, revision = best
    values = [v for v in sheet.rows[number - 1] if v]
    released = next((d for v in values if v != revision and (d := parse_date(v))), None)
    list_date, text = next(((d, t) for v in values if (d := list_date_in(v)[0]) for t in [list_date_in(v)[1]]), (None, ""))
    return Release(revision, released, list_date, Locator(sheet=sheet.title, row=number), text)


def banner_release(sheet: Sheet | None) -> Release:
    """The 'Revision 6.4\\nApril 26, 2024' banner of a Smelter List sheet (its first rows)."""
    if sheet is None:
        return Release()
    for number, values in enumerate(sheet.rows[:10], start=1):
        for value in values:
            match = _BANNER.match(value) if value else None
            if match:
                return Release(match.group(1), parse_date(match.group(2)), None, Locator(sheet=sheet.title, row=number))
    return Release()


__all__ = ["Release", "banner_release", "read_release"]
