"""A facility-list file -> grids of text cells, each cell with its locator.

A file is a workbook when its bytes say so (a ZIP or OLE2 container: opened by
:class:`~smelterkg.ingest.cmrt.workbook.Workbook`, which refuses encrypted, truncated and ``.xls``
files in one line each); anything else is read as CSV text. Its encoding is one for the whole
file: :func:`~smelterkg.ingest.reading.decode_report` refuses empty and binary files and reads
UTF-8 (with or without a byte-order mark) and UTF-16; a file that is not UTF-8 throughout is read
whole as Windows-1252 (Latin-1 for the five bytes Windows-1252 leaves undefined). Unlike a report,
a CSV file is not decoded line by line: in a Windows-1252 list a line holding "MÃ©taux" (mojibake
from an earlier round trip) is valid UTF-8 by accident, and reading it so would silently turn it
into "Métaux". Nothing is repaired: a character the file holds (a U+FFFD replacement character
left by an earlier round trip) stays in the cell.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from smelterkg.ingest.cmrt.workbook import MAX_ROWS, OLE2_MAGIC, ZIP_MAGIC, Workbook, text_of
from smelterkg.ingest.models import Locator
from smelterkg.ingest.reading import InputError, decode_report

DELIMITERS = (",", ";", "\t")  # tried in this order; the first whose header row is found is kept


@dataclass
class Grid:
    """The rows of one CSV file or one worksheet as text, 0-based; ``locate(i)`` is row i's
    locator (its first line in a CSV file, sheet and row in a workbook)."""

    name: str  # the sheet's title, '' for CSV
    rows: list[tuple[str, ...]]
    locate: Callable[[int], Locator]
    cut: bool = False


def is_workbook(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC)


def csv_grid(path: Path, text: str, delimiter: str) -> Grid:
    """The CSV records of ``text``; each record's locator is the line it starts on (a quoted cell
    may span lines). Cells are read as a workbook's are (``text_of``: white space around them
    dropped, a line break or run of spaces inside one made a single space), nothing else."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[str, ...]] = []
    starts: list[int] = []
    cut = False
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if len(rows) >= MAX_ROWS:
                cut = True
                break
            rows.append(tuple(map(text_of, record)))
            starts.append(start)
    except csv.Error as error:
        raise InputError(path, f"not readable as CSV ({error})", reader.line_num or None) from None
    return Grid("", rows, lambda i: Locator(lines=(starts[i],)), cut)


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("smelterkg-latin1", _latin1_fallback)


def decode_csv(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) of a CSV file; InputError when it is empty or binary."""
    try:
        text, encoding, _ = decode_report(path, data)
    except InputError as error:
        raise InputError(path, error.reason.replace("not a text report", "neither a CSV text nor an .xlsx workbook"), error.line) from None
    if encoding.startswith(("utf-8", "utf-16", "utf-32")):
        return text, encoding, [] if encoding.startswith("utf-8") else [f"{path}: read as {encoding.upper()}"]
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        warning = f"{path}:{line}: not UTF-8 (byte 0x{body[error.start]:02x}); the whole file is read as Windows-1252"
    return body.decode("cp1252", errors="smelterkg-latin1"), "cp1252", [warning]


def workbook_grids(book: Workbook) -> list[Grid]:
    """Every worksheet of ``book`` as a grid (each read whole, bounded by the workbook's limits)."""
    grids = []
    for title in book.titles:
        sheet = book.sheet(title)
        grids.append(Grid(title, sheet.rows, lambda i, t=title: Locator(sheet=t, row=i + 1), sheet.cut))
    return grids


__all__ = ["DELIMITERS", "Grid", "csv_grid", "decode_csv", "is_workbook", "workbook_grids"]
