"""What one CMRT cell holds, judged by its text alone: a smelter ID, a metal, a country, a date,
a template revision number. These are the content tests the sheet and column finders vote with;
none of them reads a header, so a CMRT saved with any UI language is read the same way (the data
of a CMRT stays English whatever the UI language: metals, countries, IDs, dropdown values)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from smelterkg.ingest.normalise import normalise_country
from smelterkg.ingest.vocabulary import vocabulary

CID = re.compile(r"^CID\d{6}$", re.IGNORECASE)
REVISION = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)([a-z]?)$")
# The look-up's placeholder entries (and the dropdown choices of a Smelter List row), folded.
PLACEHOLDERS = {
    "smelter not listed": "placeholder entry of the look-up dropdown ('Smelter not listed'), not a facility",
    "smelter not yet identified": "placeholder entry of the look-up dropdown ('Smelter not yet identified'), not a facility",
}
_MONTHS = "january february march april may june july august september october november december".split()
MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, start=1)} | {name[:3]: n for n, name in enumerate(_MONTHS, start=1)} | {"sept": 9}
# Date wordings met in CMRT cells, each unambiguous (day-month order fixed by the wording):
# 2024-04-30 (a date cell, as text_of writes it), 02-May-2024 (the form's own DD-MMM-YYYY),
# 2 May 2024, May 2, 2024, March 5th, 2025.
_DATES = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-\s./]([A-Za-z]{3,9})\.?[-\s./,]+(\d{4})$"), ("d", "M", "y")),
    (re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$"), ("M", "d", "y")),
)


def is_cid(text: str) -> bool:
    return bool(CID.match(text))


@lru_cache(maxsize=1)
def _metal_words() -> frozenset[str]:
    """The first words of the vocabulary's metal names: a cheap test before the phrase look-up."""
    return frozenset(phrase[0] for phrase in vocabulary().metals.phrases() if phrase)


@lru_cache(maxsize=1 << 14)
def metal_of(text: str) -> str:
    """The canonical metal a cell names ('Gold'), '' when the cell is not exactly one metal."""
    if not text or len(text) > 40 or text.split(maxsplit=1)[0].casefold() not in _metal_words():
        return ""
    terms = vocabulary().metals.terms(text)
    if not terms or len(terms) != 1:
        return ""
    return terms[0].value


@lru_cache(maxsize=1 << 14)
def country_of(text: str) -> str:
    """ISO alpha-2 of a cell naming one country, '' otherwise."""
    return normalise_country(text) if text and len(text) <= 60 else ""


def parse_date(text: str) -> date | None:
    """A date written in one of the unambiguous wordings above; ``None`` otherwise (03/04/2024
    could be March or April: it is not read)."""
    text = text.strip()
    for pattern, order in _DATES:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = int(parts["m"]) if "m" in parts else MONTH_NUMBERS.get(parts["M"].lower().rstrip("."), 0)
        try:
            return datetime(int(parts["y"]), month, int(parts["d"])).date()
        except ValueError:
            return None
    return None


_AS_OF = re.compile(r"\bas of\s+([A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")


def list_date_in(text: str) -> tuple[date | None, str]:
    """The date of 'the Standard Smelter List as of March 5, 2025' in a Revision-sheet cell."""
    match = _AS_OF.search(text)
    if not match:
        return None, ""
    return parse_date(match.group(1)), match.group(0)


def revision_key(text: str) -> tuple[Decimal, str] | None:
    """A template revision number ('6.22', '4.01a', '2') as a sortable key, ``None`` otherwise.
    Decimal order is the release order: 6.01 < 6.1 < 6.2 < 6.21 < 6.22 < 6.3."""
    match = REVISION.match(text)
    if not match:
        return None
    try:
        return Decimal(match.group(1)), match.group(2)
    except InvalidOperation:
        return None


__all__ = ["CID", "MONTH_NUMBERS", "PLACEHOLDERS", "country_of", "is_cid", "list_date_in", "metal_of", "parse_date", "revision_key"]
