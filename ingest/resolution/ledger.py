"""The curated ledger: renames, absorptions, splits, trade names and analysts' judgements.

A plain CSV file anyone can review in a spreadsheet or a diff, one fact a row, each with its
evidence (a source and a date). It holds only facts with outside evidence — never spelling
variants, which the resolver must find by itself. Names are written as printed in some report
(any spelling); the resolver finds them through their normalised key.

The bundled ledger is ``data/ledger/ledger.csv``; ``smelterkg judge`` appends analysts'
judgements to a user ledger (same format), read on the next build.
"""

from __future__ import annotations

import csv
import datetime
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smelterkg.data import LEDGER_DIR
from smelterkg.ingest.curated import CuratedTableError, check_date, check_evidence, read_table

BUNDLED_LEDGER = LEDGER_DIR / "ledger.csv"
COLUMNS = ("kind", "metal", "subject", "subject_country", "object", "object_country", "year", "source", "date", "note")
METALS = ("Gold", "Tin", "Tantalum", "Tungsten")
# kind -> what it means for identity
SAME_FACILITY = ("rename", "trade-name", "same")
SEPARATE_FACILITIES = ("absorption", "split", "different")
KINDS = (*SAME_FACILITY, *SEPARATE_FACILITIES, "unsure")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_log = logging.getLogger(__name__)

LedgerError = CuratedTableError
"""A ledger is unreadable or a row malformed (``file:line: reason``): the one curated-table error."""


@dataclass(frozen=True)
class LedgerEntry:
    """One curated fact about two facility names of one metal."""

    kind: str
    metal: str
    subject: str
    subject_country: str
    object: str
    object_country: str
    year: int | None
    source: str
    date: str
    note: str
    origin: str  # "file:line", where the entry was read

    @property
    def is_event(self) -> bool:
        return self.kind in ("rename", "absorption", "split")


def _entry(row: Mapping[str, str], file: str, line: int | None) -> LedgerEntry:
    """The entry of one row whose evidence and date the curated-table rules have checked."""
    value = {column: (row.get(column) or "").strip() for column in COLUMNS}

    def fail(reason: str) -> LedgerError:
        return LedgerError(file, reason, line)

    if value["kind"] not in KINDS:
        raise fail(f"unknown kind {value['kind']!r} (expected one of {', '.join(KINDS)})")
    if value["metal"] not in METALS:
        raise fail(f"unknown metal {value['metal']!r} (expected one of {', '.join(METALS)})")
    for column in ("subject", "object"):
        if not value[column]:
            raise fail(f"empty '{column}' (a fact needs two names)")
    for column in ("subject_country", "object_country"):
        if value[column] and not _COUNTRY.match(value[column]):
            raise fail(f"{column} {value[column]!r} is not an ISO 3166 alpha-2 code")
    if value["year"] and not (value["year"].isascii() and value["year"].isdigit()):  # not '²' nor '٢٠١٥'
        raise fail(f"year {value['year']!r} is not a year")
    return LedgerEntry(
        kind=value["kind"],
        metal=value["metal"],
        subject=value["subject"],
        subject_country=value["subject_country"],
        object=value["object"],
        object_country=value["object_country"],
        year=int(value["year"]) if value["year"] else None,
        source=value["source"],
        date=value["date"],
        note=value["note"],
        origin=file if line is None else f"{file}:{line}",
    )


def read_ledger(path: Path, warnings: list[str] | None = None) -> list[LedgerEntry]:
    """Every entry of one ledger file; the first malformed row raises :class:`LedgerError`.

    Read as every curated table is (:mod:`smelterkg.ingest.curated`): a duplicated row is an
    error. Warnings (a file read as cp1252) are appended to ``warnings`` when given, else logged.
    """
    table = read_table(path, COLUMNS)
    if warnings is None:
        for warning in table.warnings:
            _log.warning(warning)
    else:
        warnings.extend(table.warnings)
    return [_entry(row, row.file, row.line) for row in table]


def append_entries(path: Path, entries: Sequence[LedgerEntry]) -> None:
    """Append entries to a ledger file, writing the header when the file is new."""
    new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if new:
            writer.writerow(COLUMNS)
        for entry in entries:
            writer.writerow(
                [
                    entry.kind, entry.metal, entry.subject, entry.subject_country, entry.object,
                    entry.object_country, entry.year or "", entry.source, entry.date, entry.note,
                ]
            )


def judgement(
    kind: str, metal: str, subject: tuple[str, str], object_: tuple[str, str], evidence: str, note: str = "",
    today: datetime.date | None = None,
) -> LedgerEntry:
    """An analyst's judgement (same / different / unsure) dated today, validated like a ledger row."""
    row = {
        "kind": kind, "metal": metal, "subject": subject[0], "subject_country": subject[1],
        "object": object_[0], "object_country": object_[1], "year": "", "source": evidence,
        "date": (today or datetime.date.today()).isoformat(), "note": note,
    }
    if problem := check_evidence(row) or check_date(row["date"]):
        raise LedgerError("judgement", problem)
    return _entry(row, "judgement", None)
