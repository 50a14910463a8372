"""What the facility-list reader hands back: frozen records, each row with the line or cell it was
read from. A quarantined row is a :class:`~smelterkg.ingest.cmrt.models.Skipped` (locator, reason,
the row's text), the same record the CMRT reader uses."""

from __future__ import annotations

from dataclasses import dataclass

from smelterkg.ingest.cmrt.models import Skipped
from smelterkg.ingest.models import Locator


@dataclass(frozen=True, slots=True)
class FacilityListRow:
    """One smelter or refiner of an RMI (or CFSI) facility list.

    ``status`` is the wording as printed; when the list has no status column it is the wording of
    the list's kind as its title states it ("Active Smelters & Refiners" -> "Active") and
    ``status_basis`` says so; ``status_code`` is that wording's code in the list's status scheme
    (data/gazetteers/table_vocabulary.csv), '' when the vocabulary does not know the wording.
    ``extra`` holds the columns the reader does not interpret, as (header, value) pairs."""

    metal: str  # canonical: Gold, Tantalum, Tin, Tungsten
    cid: str  # normalised: CID000123
    cid_printed: str  # the smelter-ID cell as printed
    name: str  # as printed
    country: str  # the country as printed ("China", or "CHINA" out of "Shenzhen, CHINA")
    country_code: str  # ISO 3166-1 alpha-2, '' when not one country
    city: str
    state: str
    status: str
    status_code: str
    status_basis: str  # "column", "title" or "" (no status stated)
    since: str  # "Conformant since" (or similar) as printed
    valid_until: str
    assessment_cycle: str
    extra: tuple[tuple[str, str], ...]
    locator: Locator


@dataclass(frozen=True, slots=True)
class FacilityList:
    """A facility list file: its rows, where its date comes from, and what was not read.

    ``list_date`` is ISO text, as precise as its source (``2014``, ``2014-06``, ``2014-06-30``);
    ``list_date_basis`` is ``content`` (the file states it), ``argument`` (the caller gave it),
    ``file name`` or '' (nothing states one); ``list_date_evidence`` quotes where it was read.
    ``kind`` is the status wording the list's title gives all its rows ("Conformant"), '' when no
    title states one. ``status_scheme`` is the wording era of its statuses (``cfsp``, ``rmi``)."""

    path: str
    source: str  # the file name
    sha256: str
    format: str  # "csv" or "xlsx"
    encoding: str  # of a CSV file; '' for a workbook
    title: str
    release: str
    kind: str
    status_scheme: str
    list_date: str
    list_date_basis: str
    list_date_evidence: str
    columns: tuple[tuple[str, str], ...]  # (role, header as printed) of each column read
    rows: tuple[FacilityListRow, ...]
    quarantine: tuple[Skipped, ...]
    warnings: tuple[str, ...] = ()


__all__ = ["FacilityList", "FacilityListRow", "Skipped"]
