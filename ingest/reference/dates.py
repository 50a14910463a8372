"""The date of a facility list: stated in the file, given by the caller, or in the file name.

Read from the content only where the file states it: a title row holding a date ("Conformant
Smelters & Refiners as of March 5, 2025", "CFSI Compliant Smelter List June 2014"), or a cue
("as of", "last updated", "updated", "list date", "date") followed by a date in the same row
("Last updated" | 2024-03-15). Dates are read in unambiguous wordings only
(:func:`smelterkg.ingest.cmrt.cells.parse_date`, plus month-year "June 2014" / "2014-06", and a
bare year after a cue); 03/04/2024 is not a date here. A list date is ISO text as precise as its
source: ``2025-03-05``, ``2014-06`` or ``2014``.
"""

from __future__ import annotations

import re
from datetime import date

from smelterkg.ingest.cmrt.cells import MONTH_NUMBERS, parse_date

_MONTH_NAME = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# Full dates first, then month-year; each pattern is handed to its parser.
_FULL = re.compile(
    rf"\b(\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[-\s]{_MONTH_NAME}[-\s,]+\d{{4}}|{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"\b(?:({_MONTH_NAME}),?\s+(\d{{4}})|(\d{{4}})-(\d{{1,2}}))(?![\d-])", re.IGNORECASE)
_YEAR = re.compile(r"^\s*[:\-\u2013]?\s*((?:19|20)\d{2})(?!\d)")
_CUE = re.compile(r"\b(as of|as at|last updated(?: on)?|updated(?: on)?|list date|date)\b\s*[:\-\u2013]?\s*", re.IGNORECASE)
_FILE_DATE = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?:[-_.](\d{2})(?:[-_.](\d{2}))?)?(?![0-9])")
_ARGUMENT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _iso(year: int, month: int = 0, day: int = 0) -> str:
    """ISO text of a (partial) date, '' when it is not a real date."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return ""
    if not 1990 <= year <= 2099:
        return ""
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def date_in(text: str, *, year_alone: bool = False) -> tuple[str, str]:
    """(ISO date, the words it was read from) of the first date written in ``text``."""
    full = _FULL.search(text)
    month_year = _MONTH_YEAR.search(text)
    if full and (not month_year or full.start() <= month_year.start()):
        parsed = parse_date(full.group(1))
        if parsed:
            return parsed.isoformat(), full.group(1)
    if month_year:
        if month_year.group(1):
            month, year = MONTH_NUMBERS.get(month_year.group(1).lower().rstrip("."), 0), int(month_year.group(2))
        else:
            year, month = int(month_year.group(3)), int(month_year.group(4))
        iso = _iso(year, month)
        if iso:
            return iso, month_year.group(0)
    if year_alone:
        match = _YEAR.match(text)
        if match:
            return _iso(int(match.group(1))), match.group(1)
    return "", ""


def stated_date(text: str, *, title: bool) -> tuple[str, str]:
    """(ISO date, quote) a row's text states as the list's date: after a cue anywhere; in a title
    row (above the header) also without a cue. ('', '') otherwise."""
    for cue in _CUE.finditer(text):
        found, words = date_in(text[cue.end() :], year_alone=True)
        if found:
            return found, f"{cue.group(1)} {words}"
    if title:
        return date_in(text)
    return "", ""


def date_in_file_name(name: str) -> tuple[str, str]:
    """(ISO date, the part of the name) of the one date a file name holds (YYYY-MM-DD, YYYY-MM,
    YYYY; '-', '_' or '.' between the parts); ('', '') when none, or several that differ."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    found = {}
    for match in _FILE_DATE.finditer(stem):
        year, month, day = (int(part) if part else 0 for part in match.groups())
        iso = _iso(year, month, day) or _iso(year, month) or _iso(year)  # "2024_13": the year only
        if iso:
            found.setdefault(iso, match.group(0)[: len(iso)])
    if len(found) != 1:
        return "", ""
    ((iso, words),) = found.items()
    return iso, words


def checked_argument(value: str) -> str:
    """A caller's list date (YYYY, YYYY-MM or YYYY-MM-DD), checked; ValueError otherwise."""
    match = _ARGUMENT.match(value.strip())
    iso = _iso(*(int(part) if part else 0 for part in match.groups())) if match else ""
    if not iso or iso != value.strip():
        raise ValueError(f"list date {value!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    return iso


__all__ = ["checked_argument", "date_in", "date_in_file_name", "stated_date"]
