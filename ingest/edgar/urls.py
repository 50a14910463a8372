"""A CSV of exhibit URLs -> download targets, e.g. ``formsd_2024_exhibit_urls.csv`` with the columns
``companyName,filingDate,tableMineralArray,auditors,filingUrl,cik,accessionNo``.

The header is recognised when a cell of the first row names a URL column (URL_COLUMNS); without a
header, the first cell of each row that is an http(s) URL is the URL. The CIK and accession come
from their columns, else from the Archives path ``/Archives/edgar/data/{cik}/{accession}/{file}``;
the reporting year is the year before the filing date (Form SD is filed by May 31 for the previous
calendar year). A row with no URL, or whose URL is not an EDGAR Archives document, is reported with
its line and skipped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from smelterkg.ingest.edgar.submissions import cik10, reporting_year

# a header cell (lower-cased, without spaces/underscores) -> the field it fills
COLUMNS = {
    "filingurl": "url", "url": "url", "exhibiturl": "url", "documenturl": "url",
    "cik": "cik", "accessionno": "accession", "accessionnumber": "accession", "accession": "accession",
    "companyname": "company", "company": "company", "filingdate": "filing_date", "reportdate": "report_date",
    "form": "form", "formtype": "form",
}
URL_COLUMNS = frozenset(key for key, field in COLUMNS.items() if field == "url")
ARCHIVES_PATH = re.compile(r"/Archives/edgar/data/(\d{1,10})/(\d{18})/([^/]+)$")


@dataclass(frozen=True)
class Target:
    """One document to download, with what is known of its filing ("" when unknown)."""

    url: str
    cik: str
    company: str
    form: str
    filing_date: str
    report_date: str
    accession: str
    where: str  # file:line, or the filing index it was found in

    @property
    def year(self) -> int | None:
        return reporting_year(self.filing_date, self.report_date)

    @property
    def document(self) -> str:
        return urlsplit(self.url).path.rsplit("/", 1)[-1]


def _key(cell: str) -> str:
    return re.sub(r"[\s_\-]", "", cell.strip().lower())


def dashed(accession18: str) -> str:
    """The dashed accession number of an Archives folder name.

    >>> dashed("000119312524146038")
    '0001193125-24-146038'
    """
    return f"{accession18[:10]}-{accession18[10:12]}-{accession18[12:]}"


def read_url_csv(text: str, source: str) -> tuple[list[Target], list[str]]:
    """The targets of a CSV of exhibit URLs and one problem line per row that is not one."""
    rows = list(csv.reader(io.StringIO(text)))
    header: dict[str, int] = {}
    if rows and any(_key(cell) in URL_COLUMNS for cell in rows[0]):
        for index, cell in enumerate(rows[0]):
            header.setdefault(COLUMNS.get(_key(cell), ""), index)
        header.pop("", None)
        body = list(enumerate(rows[1:], start=2))
    else:
        body = list(enumerate(rows, start=1))
    targets: list[Target] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in body:
        where = f"{source}:{line}"
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str) -> str:
            index = header.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        url = cell("url") if header else next((c.strip() for c in row if re.match(r"https?://", c.strip())), "")
        if not url:
            problems.append(f"{where}: no URL in this row; skipped")
            continue
        match = ARCHIVES_PATH.search(urlsplit(url).path)
        if match is None:
            problems.append(f"{where}: {url}: not an EDGAR Archives document URL; skipped")
            continue
        if url in seen:
            problems.append(f"{where}: {url}: listed again; downloaded once")
            continue
        seen.add(url)
        try:
            cik = cik10(cell("cik") or match.group(1))
        except ValueError:
            cik = cik10(match.group(1))
        accession = cell("accession") or dashed(match.group(2))
        targets.append(Target(url, cik, cell("company"), cell("form"), cell("filing_date"), cell("report_date"), accession, where))
    return targets, problems
