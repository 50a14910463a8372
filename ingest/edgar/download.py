"""What ``smelterkg fetch`` does: find the Form SD exhibits to download and download them.

Targets come from a CSV of exhibit URLs (smelterkg.ingest.edgar.urls), from the filers' submissions
JSON (by CIK), or, with only a year, from EDGAR's quarterly ``full-index/{year}/QTR{n}/form.idx``
(every SD and SD/A filed that year); for the last two the filing's ``index.json`` names its EX-1.01
exhibit (smelterkg.ingest.edgar.submissions). Each file is written as
``{cik}_{year}_{accession}_{document}`` in the output directory, with a row in ``manifest.csv``.

URLs are kept in their official form (``https://www.sec.gov/...``) in the manifest and the cache;
``Bases`` says where requests actually go, so tests point them at a local server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from smelterkg.ingest.edgar.cache import Cache
from smelterkg.ingest.edgar.client import Client, FetchError
from smelterkg.ingest.edgar.manifest import Manifest
from smelterkg.ingest.edgar.submissions import Filing, FormatError, exhibit_names, folder_names, parse_submissions
from smelterkg.ingest.edgar.urls import Target

OFFICIAL_WWW = "https://www.sec.gov"
OFFICIAL_DATA = "https://data.sec.gov"
CACHE_DIR = ".cache"
FORM_IDX_LINE = re.compile(r"^(SD(?:/A)?)\s+(.+?)\s+(\d{1,10})\s+(\d{4}-?\d{2}-?\d{2})\s+(edgar/data/\S+)\s*$")


@dataclass(frozen=True)
class Bases:
    """Where requests go: EDGAR itself unless told otherwise (tests: a server on 127.0.0.1)."""

    www: str = OFFICIAL_WWW
    data: str = OFFICIAL_DATA

    def rebase(self, url: str) -> str:
        """The URL to request for an official EDGAR URL."""
        for official, base in ((OFFICIAL_WWW, self.www), (OFFICIAL_DATA, self.data)):
            for scheme in ("https://", "http://"):
                prefix = scheme + official.split("://", 1)[1]
                if url.startswith(prefix + "/"):
                    return base.rstrip("/") + url[len(prefix):]
        return url

    @property
    def allowed(self) -> tuple[str, ...]:
        return (self.www.rstrip("/") + "/", self.data.rstrip("/") + "/")


@dataclass
class Outcome:
    downloaded: int = 0  # files fetched this run
    present: int = 0  # files already in the cache (no request)
    failed: list[str] = field(default_factory=list)  # one line each: URL and reason
    notes: list[str] = field(default_factory=list)  # filings without an exhibit, skipped CSV rows...


def file_name(target: Target) -> str:
    """``{cik}_{year}_{accession}_{document}``; the year is ``unknown`` when no date gives it."""
    year = target.year
    return f"{target.cik}_{year if year is not None else 'unknown'}_{target.accession}_{target.document}"


class Fetcher:
    def __init__(self, client: Client, out_dir: Path, bases: Bases = Bases()) -> None:
        self.client = client
        self.out_dir = out_dir
        self.bases = bases
        self.cache = Cache(out_dir / CACHE_DIR)
        self.manifest = Manifest(out_dir)
        self.outcome = Outcome()

    # -- reading EDGAR's indexes -------------------------------------------------------------

    def _get(self, url: str, immutable: bool) -> bytes:
        """An official URL's body; an immutable one (an Archives file) comes from the cache if there."""
        if immutable and (hit := self.cache.lookup(url)) is not None:
            return hit[1]
        body = self._request(url)
        self.cache.store(body, url if immutable else None)
        return body

    def _request(self, url: str) -> bytes:
        """An official URL, asked where the bases say; a failure names the official URL."""
        try:
            return self.client.get(self.bases.rebase(url))
        except FetchError as problem:
            if problem.url == url:
                raise
            raise FetchError(url, problem.reason, status=problem.status) from None

    def filings_of(self, cik: str) -> list[Filing]:
        """Every Form SD / SD/A filing of a filer, from its submissions JSON and its older pages."""
        url = f"{OFFICIAL_DATA}/submissions/CIK{cik}.json"
        try:
            filings, older = parse_submissions(self._get(url, immutable=False), url)
            company = filings[0].company if filings else ""
            for page in older:
                page_url = f"{OFFICIAL_DATA}/submissions/{page}"
                more, _ = parse_submissions(self._get(page_url, immutable=False), page_url, cik, company)
                filings.extend(more)
        except (FetchError, FormatError, KeyError, ValueError) as problem:
            self.outcome.failed.append(str(problem))
            return []
        return filings

    def filings_filed_in(self, filing_year: int) -> list[Filing]:
        """Every SD and SD/A in EDGAR's quarterly form indexes of a filing year."""
        filings: list[Filing] = []
        for quarter in range(1, 5):
            url = f"{OFFICIAL_WWW}/Archives/edgar/full-index/{filing_year}/QTR{quarter}/form.idx"
            try:
                text = self._get(url, immutable=False).decode("latin-1")
            except FetchError as problem:
                if problem.status == 404:  # a quarter not yet published
                    self.outcome.notes.append(f"{url}: not published (HTTP 404); skipped")
                    continue
                self.outcome.failed.append(str(problem))
                continue
            for line in text.splitlines():
                match = FORM_IDX_LINE.match(line)
                if match is None:
                    continue
                form, company, cik, date, path = match.groups()
                date = date if "-" in date else f"{date[:4]}-{date[4:6]}-{date[6:]}"
                accession = path.rsplit("/", 1)[-1].removesuffix(".txt")
                filings.append(Filing(cik.zfill(10), company.strip(), form, date, "", accession))
        return filings

    def exhibits_of(self, filing: Filing) -> list[Target]:
        """The EX-1.01 exhibits of a filing, from its Archives ``index.json``."""
        folder = f"{OFFICIAL_WWW}{filing.folder}"
        url = folder + "index.json"
        try:
            names = folder_names(self._get(url, immutable=True), url)
        except (FetchError, FormatError) as problem:
            self.outcome.failed.append(str(problem))
            return []
        found = exhibit_names(names)
        if not found:
            self.outcome.notes.append(f"{url}: no EX-1.01 exhibit among its {len(names)} files; skipped")
        return [
            Target(folder + name, filing.cik, filing.company, filing.form, filing.filing_date, filing.report_date,
                   filing.accession, url)
            for name in found
        ]

    # -- downloading -------------------------------------------------------------------------

    def download(self, target: Target) -> bool:
        """One file into the output directory and the manifest. False (and one line) when it fails."""
        name = file_name(target)
        try:
            hit = self.cache.lookup(target.url)
            if hit is None:
                body = self._request(target.url)
                digest = self.cache.store(body, target.url)
                size = len(body)
                self.outcome.downloaded += 1
            else:
                digest, size = hit[0], len(hit[1])
                self.outcome.present += 1
            self.cache.place(digest, self.out_dir / name)
        except FetchError as problem:
            self.outcome.failed.append(str(problem))
            return False
        except OSError as problem:
            self.outcome.failed.append(f"{target.url}: cannot write {self.out_dir / name} ({problem.strerror or problem})")
            return False
        row = {
            "cik": target.cik, "company": target.company, "form": target.form, "filing_date": target.filing_date,
            "year": "" if target.year is None else target.year, "accession": target.accession, "url": target.url,
            "sha256": digest, "bytes": size, "path": name,
        }
        if self.manifest.rows.get(name) != {key: str(value) for key, value in row.items()}:
            self.manifest.add(row)
        return True

    def download_all(self, targets: Iterable[Target], progress: Callable[[bool], None] = lambda ok: None) -> Outcome:
        for target in targets:
            progress(self.download(target))
        self.manifest.finish()
        return self.outcome


def select(filings: Iterable[Filing], years: frozenset[int], ciks: frozenset[str]) -> list[Filing]:
    """The filings of the wanted reporting years and filers (an empty set wants all)."""
    return [f for f in filings if (not years or f.year in years) and (not ciks or f.cik in ciks)]
