"""`smelterkg fetch`: download Form SD exhibits (EX-1.01, the Conflict Minerals Report) from EDGAR.

* ``smelterkg fetch --cik 6951 [--year 2023]``: from each filer's submissions JSON.
* ``smelterkg fetch --year 2023``: every SD / SD/A in EDGAR's form indexes of the filing year 2024.
* ``smelterkg fetch --urls exhibit_urls.csv``: the URLs of a CSV (``--cik``/``--year`` filter it).

Under the SEC's fair-access rules (smelterkg.ingest.edgar.client): a declared User-Agent with a
contact e-mail (``--user-agent`` or ``$SMELTERKG_USER_AGENT``) is required, at most 10 requests a
second, retries with backoff on 429/5xx. Files go to ``-o DIR`` as ``{cik}_{year}_{accession}_{document}``
with ``manifest.csv``; a re-run downloads nothing already there. One line per failed file; exit 1
if any failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from smelterkg.commands import error, info
from smelterkg.ingest.edgar.client import DEFAULT_RATE, Client, UserAgentError
from smelterkg.ingest.edgar.download import OFFICIAL_DATA, OFFICIAL_WWW, Bases, Fetcher, select
from smelterkg.ingest.edgar.progress import Progress
from smelterkg.ingest.edgar.submissions import cik10
from smelterkg.ingest.edgar.urls import Target, read_url_csv

USER_AGENT_ENV = "SMELTERKG_USER_AGENT"
WWW_ENV = "SMELTERKG_EDGAR_WWW"
DATA_ENV = "SMELTERKG_EDGAR_DATA"
DEFAULT_OUTPUT = "edgar-formsd"


class UsageError(Exception):
    """Arguments that cannot be run; ``str()`` is the one-line message."""


def _ciks(values: list[str]) -> frozenset[str]:
    try:
        return frozenset(cik10(part) for value in values for part in value.split(",") if part.strip())
    except ValueError as problem:
        raise UsageError(f"--cik: {problem}") from None


def _base(value: str, option: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise UsageError(f"{option}: {value!r} is not an http(s) URL")
    return value.rstrip("/")


def _targets(args: argparse.Namespace, fetcher: Fetcher, ciks: frozenset[str], years: frozenset[int]) -> list[Target]:
    if args.urls:
        path = Path(args.urls)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as problem:
            raise UsageError(f"{path}: cannot read the CSV of URLs ({getattr(problem, 'strerror', None) or problem})") from None
        targets, problems = read_url_csv(text, str(path))
        for line in problems:
            info(line)
        return [t for t in targets if (not years or t.year in years) and (not ciks or t.cik in ciks)]
    if ciks:
        filings = [filing for cik in sorted(ciks) for filing in fetcher.filings_of(cik)]
    else:
        filings = [filing for year in sorted(years) for filing in fetcher.filings_filed_in(year + 1)]
    return [target for filing in select(filings, years, ciks) for target in fetcher.exhibits_of(filing)]


def run(args: argparse.Namespace) -> int:
    try:
        user_agent = args.user_agent if args.user_agent is not None else os.environ.get(USER_AGENT_ENV, "")
        bases = Bases(_base(args.www_base, "--www-base"), _base(args.data_base, "--data-base"))
        client = Client(user_agent, allowed=bases.allowed, rate=args.rate, retries=args.retries)
        if not 0 < args.rate <= DEFAULT_RATE:
            raise UsageError(f"--rate {args.rate:g}: the SEC allows at most {DEFAULT_RATE:g} requests per second")
        ciks = _ciks(args.cik)
        years = frozenset(args.year)
        if not (args.urls or ciks or years):
            raise UsageError("nothing to fetch: give --cik, --year or --urls")
        out_dir = Path(args.output)
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"{out_dir}: not a directory")
        fetcher = Fetcher(client, out_dir, bases)
        targets = _targets(args, fetcher, ciks, years)
        failed_before = len(fetcher.outcome.failed)
        for line in fetcher.outcome.failed:
            error(line)
        info(f"{len(targets)} files to fetch into {out_dir}")
        outcome = fetcher.download_all(targets, Progress(len(targets), sys.stderr, every=args.progress_every))
    except (UserAgentError, UsageError) as problem:
        error(str(problem))
        return 1
    for line in outcome.failed[failed_before:]:
        error(line)
    for line in outcome.notes:
        info(line)
    info(
        f"fetched {outcome.downloaded} files, {outcome.present} already present, {len(outcome.failed)} failed; "
        f"{client.requests} requests; manifest {fetcher.manifest.path}"
    )
    return 1 if outcome.failed else 0


def register(commands: argparse._SubParsersAction) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="download Form SD exhibits (EX-1.01) from EDGAR by CIK and/or year, or from a CSV of URLs",
        description="Download Form SD Conflict Minerals Report exhibits (EX-1.01) from SEC EDGAR under its "
        "fair-access rules: a declared User-Agent with a contact e-mail is required, at most 10 requests a "
        "second, retries with backoff on 429 and 5xx. Files are named {cik}_{year}_{accession}_{document} "
        "(year: the reporting year, the period of report when EDGAR gives one, else the year before the "
        "filing) and listed in DIR/manifest.csv; a content-addressed cache in DIR/.cache makes a re-run "
        "download nothing it already has.",
    )
    fetch.add_argument("--cik", action="append", default=[], metavar="CIK", help="a filer's CIK (repeat, or comma-separated)")
    fetch.add_argument("--year", action="append", default=[], type=int, metavar="YEAR",
                       help="a reporting year (repeatable); alone: every Form SD filed the year after")
    fetch.add_argument("--urls", metavar="FILE.csv", help="a CSV of exhibit URLs (e.g. companyName,filingDate,...,filingUrl,cik,accessionNo)")
    fetch.add_argument("-o", "--output", default=DEFAULT_OUTPUT, metavar="DIR", help=f"output directory (default: ./{DEFAULT_OUTPUT})")
    fetch.add_argument("--user-agent", metavar="TEXT",
                       help=f'who is asking, with a contact e-mail, e.g. "Company Name admin@example.com" (default: ${USER_AGENT_ENV})')
    fetch.add_argument("--rate", type=float, default=DEFAULT_RATE, metavar="N", help="requests per second, at most 10 (default: 10)")
    fetch.add_argument("--retries", type=int, default=4, metavar="N", help="retries on 429/5xx (default: 4)")
    fetch.add_argument("--www-base", default=os.environ.get(WWW_ENV, OFFICIAL_WWW), metavar="URL",
                       help=f"where www.sec.gov requests go (default: ${WWW_ENV} or {OFFICIAL_WWW})")
    fetch.add_argument("--data-base", default=os.environ.get(DATA_ENV, OFFICIAL_DATA), metavar="URL",
                       help=f"where data.sec.gov requests go (default: ${DATA_ENV} or {OFFICIAL_DATA})")
    fetch.add_argument("--progress-every", type=int, default=25, metavar="N", help="a progress line every N files when stderr is not a terminal")
    fetch.set_defaults(handler=run)
