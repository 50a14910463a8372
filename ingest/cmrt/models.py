"""What the CMRT reader hands back: frozen records, each value with the cell it was read from.

Personal data has no field here: contact names, e-mail addresses, phone numbers and authorizer
names of a Declaration sheet, and the smelter contact name and e-mail of a Smelter List row, are
never read into these records (see docs/cmrt.md, "What is never read").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from smelterkg.ingest.models import Locator


@dataclass(frozen=True, slots=True)
class Skipped:
    """A row that was looked at and not turned into a record, with why. ``text`` holds only the
    cells of the roles the reader reads (never a contact or comment cell)."""

    locator: Locator
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class ReferenceFacility:
    """One RMI smelter ID (CID) of a Smelter Look-up sheet, its look-up rows grouped.

    ``aliases`` are every look-up name listed for the CID, in sheet order (the standard name too
    when the list has a row for it); ``locators`` are those rows."""

    cid: str
    metal: str  # canonical: Gold, Tantalum, Tin, Tungsten
    standard_name: str
    aliases: tuple[str, ...]
    country: str  # as printed ("CHINA")
    country_code: str  # ISO 3166-1 alpha-2, '' when not one country
    city: str
    state: str
    source: str  # source of the smelter ID as printed ("RMI"), '' when blank
    locators: tuple[Locator, ...]


@dataclass(frozen=True, slots=True)
class ReferenceList:
    """A CMRT's Smelter Look-up: the reference facilities of one template release.

    ``release`` is the template revision ("6.22") and ``release_date`` its date, ``list_date`` the
    date of the Standard Smelter List the release carries; all three from the Revision sheet (see
    :func:`smelterkg.ingest.cmrt.read_lookup`). ``sha256`` is the workbook file's."""

    path: str
    sha256: str
    release: str
    release_date: date | None
    list_date: date | None
    sheet: str
    facilities: tuple[ReferenceFacility, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Declaration:
    """A CMRT's Declaration sheet: who declares, for what scope, as of when.

    ``scope`` is ``company``, ``product`` or ``user_defined`` ('' when not answered), ``scope_text``
    the answer as printed. ``reporting_year`` is set only when the declaration states its period
    in words (``reporting_year_basis`` quotes where); otherwise it is ``None`` and the basis says
    why: the CMRT's instructions define the Effective Date as the date the form was completed and
    name no reporting period."""

    path: str
    sha256: str
    release: str
    sheet: str
    company: str
    scope: str
    scope_text: str
    scope_description: str
    effective_date: date | None
    effective_date_text: str
    reporting_year: int | None
    reporting_year_basis: str
    locators: tuple[tuple[str, Locator], ...]  # (field, cell) for every field read
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SupplierSmelterRow:
    """One row of a filled CMRT's Smelter List: the smelter as the supplier declared it."""

    metal: str  # canonical
    lookup_name: str  # the Smelter Look-up dropdown value ("Smelter not listed" included)
    name: str  # the smelter name as entered (filled when the look-up says "Smelter not listed")
    cid: str
    country: str
    country_code: str
    city: str
    state: str
    source: str  # source of the smelter ID
    locator: Locator
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SmelterList:
    """The rows of a Smelter List sheet and the rows that were not rows, with why."""

    sheet: str
    rows: tuple[SupplierSmelterRow, ...]
    quarantine: tuple[Skipped, ...]
    warnings: tuple[str, ...] = ()


__all__ = ["Declaration", "ReferenceFacility", "ReferenceList", "Skipped", "SmelterList", "SupplierSmelterRow"]
