"""EDGAR's documented formats -> the Form SD filings and their Conflict Minerals Report exhibits.

* ``data.sec.gov/submissions/CIK##########.json``: ``cik``, ``name`` and ``filings.recent``, parallel
  arrays (``accessionNumber``, ``filingDate``, ``reportDate``, ``form``, ``primaryDocument``...);
  ``filings.files`` names older pages (``CIK##########-submissions-001.json``) that hold the same
  arrays at their top level.
* ``www.sec.gov/Archives/edgar/data/{cik}/{accession without dashes}/index.json``: the filing's
  folder, ``{"directory": {"item": [{"name": ...}, ...]}}``. The listing carries no document types,
  so the EX-1.01 exhibit (the Conflict Minerals Report) is recognised by the file names filers
  and their agents give it (EXHIBIT_NAMES, a table).

The reporting year of a Form SD is the calendar year before the filing (the form is due by May 31
for the previous calendar year); the filing's ``reportDate`` (period of report), when present,
wins over that rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

FORMS = frozenset({"SD", "SD/A"})

# File names of an EX-1.01 exhibit as filed (e.g. d840000dex101.htm, exhibit1012024.htm,
# aaoi_ex0101.htm, ex1-01.htm, ex_101.htm, exhibit1_01.htm, cmr2023.htm).
EXHIBIT_NAMES = (
    re.compile(r"ex(hibit)?[-_.]?0?1[-_.]?01", re.IGNORECASE),
    re.compile(r"dex101", re.IGNORECASE),
    re.compile(r"conflict[-_ ]?minerals?[-_ ]?report|(^|[^a-z])cmr", re.IGNORECASE),
)
DOCUMENT_SUFFIXES = (".htm", ".html", ".txt", ".pdf", ".xml")


class FormatError(ValueError):
    """A document that is not in EDGAR's documented format; ``str()`` says where."""


@dataclass(frozen=True)
class Filing:
    cik: str  # ten digits
    company: str
    form: str
    filing_date: str  # YYYY-MM-DD
    report_date: str  # YYYY-MM-DD or ""
    accession: str  # 0001193125-24-146038
    primary_document: str = ""

    @property
    def year(self) -> int | None:
        return reporting_year(self.filing_date, self.report_date)

    @property
    def folder(self) -> str:
        """The filing's Archives folder path, without the host."""
        return f"/Archives/edgar/data/{int(self.cik)}/{self.accession.replace('-', '')}/"


def reporting_year(filing_date: str, report_date: str = "") -> int | None:
    """The calendar year a Form SD reports on: the year of ``reportDate`` when given, else the
    year before the filing year. None when neither date is readable.

    >>> reporting_year("2024-05-23", "2023-12-31"), reporting_year("2024-05-23"), reporting_year("")
    (2023, 2023, None)
    """
    for text, offset in ((report_date, 0), (filing_date, -1)):
        match = re.match(r"(\d{4})-\d{2}-\d{2}$", (text or "").strip())
        if match:
            return int(match.group(1)) + offset
    return None


def cik10(cik: str | int) -> str:
    """The ten-digit CIK, from digits or ``CIK``-prefixed digits.

    >>> cik10("6951"), cik10("CIK0000006951")
    ('0000006951', '0000006951')
    """
    digits = re.sub(r"^(?i:cik)", "", str(cik).strip())
    if not digits.isdigit() or len(digits) > 10:
        raise ValueError(f"not a CIK: {cik!r}")
    return digits.zfill(10)


def _load(body: bytes, where: str) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as problem:
        raise FormatError(f"{where}: not JSON ({problem})") from None
    if not isinstance(data, dict):
        raise FormatError(f"{where}: not a JSON object")
    return data


def _rows(arrays: dict, where: str) -> Iterator[dict[str, str]]:
    if not isinstance(arrays, dict) or not isinstance(arrays.get("accessionNumber"), list):
        raise FormatError(f"{where}: no accessionNumber array")
    length = len(arrays["accessionNumber"])
    columns = {key: value for key, value in arrays.items() if isinstance(value, list)}
    for key, values in columns.items():
        if len(values) != length:
            raise FormatError(f"{where}: the {key} array has {len(values)} entries, accessionNumber {length}")
    for index in range(length):
        yield {key: "" if values[index] is None else str(values[index]) for key, values in columns.items()}


def parse_submissions(body: bytes, where: str, cik: str = "", company: str = "") -> tuple[list[Filing], list[str]]:
    """The Form SD / SD/A filings of one submissions page, and the names of its older pages.

    ``cik`` and ``company`` come from the first page (older pages do not repeat them)."""
    data = _load(body, where)
    cik = cik10(data["cik"]) if data.get("cik") not in (None, "") else cik
    company = str(data.get("name") or company)
    filings_part = data.get("filings")
    arrays = filings_part.get("recent") if isinstance(filings_part, dict) else data
    older = [
        str(page["name"]) for page in (filings_part.get("files") or []) if isinstance(page, dict) and page.get("name")
    ] if isinstance(filings_part, dict) else []
    filings = [
        Filing(cik, company, row.get("form", ""), row.get("filingDate", ""), row.get("reportDate", ""),
               row["accessionNumber"], row.get("primaryDocument", ""))
        for row in _rows(arrays, where)
        if row.get("form", "").strip().upper() in FORMS
    ]
    return filings, older


def folder_names(body: bytes, where: str) -> list[str]:
    """The file names an Archives ``index.json`` lists."""
    directory = _load(body, where).get("directory")
    items = directory.get("item") if isinstance(directory, dict) else None
    if not isinstance(items, list):
        raise FormatError(f"{where}: no directory.item list")
    return [str(item["name"]) for item in items if isinstance(item, dict) and item.get("name")]


def exhibit_names(names: list[str]) -> list[str]:
    """The EX-1.01 exhibits among a filing's files, by name (a filing may file one as HTML and PDF).

    >>> exhibit_names(["d840000dsd.htm", "d840000dex101.htm", "0001193125-24-146038-index.htm"])
    ['d840000dex101.htm']
    >>> exhibit_names(["exhibit1012024.htm", "aaoi_ex0101.htm", "ex1-01.pdf", "ex-10.1.htm", "ex99.htm"])
    ['exhibit1012024.htm', 'aaoi_ex0101.htm', 'ex1-01.pdf']
    """
    return [
        name for name in names
        if name.lower().endswith(DOCUMENT_SUFFIXES) and "-index" not in name.lower()
        and any(pattern.search(name) for pattern in EXHIBIT_NAMES)
    ]
