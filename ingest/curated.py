"""The one loader for curated tables: gazetteers, the ledger, labelled pairs, reference lists.

A curated table is a small CSV file that people edit by hand, often in a spreadsheet, one fact a
row with its evidence. Every such table is read here, under one set of rules, so that a file
saved by Excel behaves like one written by a script and every problem is reported the same way,
as ``file:line: reason`` (:class:`CuratedTableError`):

* the text is UTF-8, with or without a byte-order mark; a file that is not valid UTF-8 is read
  as cp1252 (what Excel writes on Windows) with a warning naming the file and its first
  undecodable line;
* the text is strict CSV: a quote left open (which would swallow the rows after it), a field over
  csv's size limit or a NUL character is an error, not a load of other rows;
* the header must hold the table's required columns, each once (extra columns are ignored,
  missing optional ones read as empty);
* blank rows are skipped; every value is stripped;
* the evidence rule: a row of a table with evidence columns needs them all non-empty
  (:data:`EVIDENCE_RULE`);
* a date is a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits (not
  2026-13-45, not ٢٠٢٠);
* a duplicated row (the same values in the table's key columns, or the same row when the table
  has no key) is rejected, naming both lines.

What a row *means* (known kinds, codes, names) is checked by the module that owns the table.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "EVIDENCE",
    "EVIDENCE_RULE",
    "CuratedRow",
    "CuratedTable",
    "CuratedTableError",
    "check_date",
    "check_evidence",
    "read_table",
]

EVIDENCE = ("source", "date")
EVIDENCE_RULE = "every entry needs its evidence: a source and a date"
FALLBACK_ENCODING = "cp1252"
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


class CuratedTableError(ValueError):
    """A curated table is unreadable or malformed; ``str()`` is ``file:line: reason``."""

    def __init__(self, file: str | Path, reason: str, line: int | None = None):
        self.file, self.reason, self.line = str(file), reason, line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"


class CuratedRow(dict[str, str]):
    """One row: column -> stripped value, with the line it was read from."""

    def __init__(self, values: Mapping[str, str], file: str | Path, line: int):
        super().__init__(values)
        self.file, self.line = str(file), line

    @property
    def origin(self) -> str:
        """``file:line``, where the row was read."""
        return f"{self.file}:{self.line}"

    def error(self, reason: str) -> CuratedTableError:
        """The error for a problem with this row (for the owner's own checks)."""
        return CuratedTableError(self.file, reason, self.line)


@dataclass
class CuratedTable:
    path: Path
    columns: tuple[str, ...]  # the header as read (stripped)
    rows: list[CuratedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[CuratedRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def check_date(value: str) -> str | None:
    """Why ``value`` is not a date in YYYY, YYYY-MM or YYYY-MM-DD, or None when it is one."""
    match = _DATE.match(value)
    if not match:
        return f"date {value!r} is not {DATE_FORMS}"
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError as problem:
        return f"date {value!r} is not a calendar date ({problem})"
    return None


def check_evidence(row: Mapping[str, str], evidence: Sequence[str] = EVIDENCE) -> str | None:
    """Why ``row`` breaks the evidence rule, or None when every evidence column is filled."""
    missing = [column for column in evidence if not (row.get(column) or "").strip()]
    if not missing:
        return None
    return f"no evidence: empty '{' and '.join(missing)}' ({EVIDENCE_RULE})"


def _decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as problem:
        line = raw.count(b"\n", 0, problem.start) + 1
    try:
        text = raw.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError:
        raise CuratedTableError(path, f"neither UTF-8 nor {FALLBACK_ENCODING}: save it as UTF-8", line) from None
    return text, [f"{path}:{line}: not UTF-8; read as {FALLBACK_ENCODING} (save it as UTF-8 to silence this)"]


def _records(path: Path, reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The reader's records; what strict CSV cannot read is the one error, at its line."""
    try:
        yield from reader
    except csv.Error as problem:
        raise CuratedTableError(path, f"not readable as CSV ({problem})", getattr(reader, "line_num", 0) or 1) from None


def read_table(
    path: Path,
    columns: Sequence[str],
    required: Sequence[str] | None = None,
    *,
    filled: Sequence[str] = (),
    evidence: Sequence[str] | None = EVIDENCE,
    dates: Sequence[str] = ("date",),
    unique: Sequence[str] | None = None,
) -> CuratedTable:
    """Read one curated table under the rules of this module.

    ``columns`` are the table's columns (each row has them all, missing ones empty); the header
    must hold ``required`` (default: all of ``columns``). ``filled`` columns must be non-empty;
    ``evidence`` columns too, under the evidence rule (None: the table carries no evidence);
    ``dates`` columns, when non-empty, must be dates. Two rows with equal ``unique`` columns (None:
    equal in every column) are a duplicate. The first problem raises :class:`CuratedTableError`.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise CuratedTableError(path, f"cannot read the file ({problem.strerror})") from None
    text, warnings = _decode(path, raw)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CuratedTableError(path, "a NUL character: not a text table (saved as UTF-16?)", line)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = _records(path, reader)
    header = tuple(name.strip() for name in next(records, []))
    missing = [column for column in (columns if required is None else required) if column not in header]
    if missing:
        raise CuratedTableError(
            path, f"the header lacks {', '.join(missing)} (expected columns {','.join(columns)})", 1
        )
    doubled = sorted({column for column in columns if header.count(column) > 1})
    if doubled:
        raise CuratedTableError(path, f"the header names {', '.join(doubled)} more than once", 1)
    position = {name: index for index, name in reversed(list(enumerate(header))) if name}
    key_columns = tuple(columns if unique is None else unique)
    seen: dict[tuple[str, ...], int] = {}
    table = CuratedTable(path, header, warnings=warnings)
    for cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            column: cells[position[column]].strip() if column in position and position[column] < len(cells) else ""
            for column in columns
        }
        row = CuratedRow(values, path, reader.line_num)
        for column in filled:
            if not values[column]:
                raise row.error(f"empty '{column}'")
        if evidence is not None and (reason := check_evidence(values, evidence)):
            raise row.error(reason)
        for column in dates:
            if values[column] and (reason := check_date(values[column])):
                raise row.error(reason)
        key = tuple(values[column] for column in key_columns)
        if key in seen:
            what = "the same row" if unique is None else f"the same {', '.join(key_columns)}"
            raise row.error(f"duplicates line {seen[key]} ({what})")
        seen[key] = row.line
        table.rows.append(row)
    return table
