"""Open a workbook safely and read its cells as text, bounded in rows and columns.

Everything a malformed file can be is told apart by its first bytes before openpyxl sees it, so
each gets one line naming the file (:class:`~smelterkg.ingest.reading.InputError`), never a
traceback: an OLE2 container holding an ``EncryptedPackage`` stream is a password-protected
.xlsx; any other OLE2 file is an old binary .xls (or another old Office file); a ZIP that does not
open, or whose members cannot be inflated when read, is a truncated or damaged file; a ZIP without
``xl/workbook.xml`` is not an Excel workbook.

openpyxl runs in read-only mode (rows are streamed from the sheet XML, never all loaded) with
``data_only=True``: a formula cell gives the value Excel cached when the file was saved; nothing is
recomputed. A sheet is read at most :data:`MAX_ROWS` rows deep and :data:`MAX_COLUMNS` wide; a
sheet that goes on past that is cut, and the cut is said in a warning. A sheet's ``<dimension>``
record is not trusted (some writers declare every sheet as "A1"): rows are read until the sheet's
cells end or the bound is met.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from smelterkg.ingest.reading import InputError

if TYPE_CHECKING:
    from smelterkg.ingest.cmrt.layout import Layout

MAX_ROWS = 20_000  # a CMRT Smelter List has 2,500 entry rows, a Smelter Look-up under 1,000
MAX_COLUMNS = 64  # the widest CMRT sheet uses 34
PROBE_ROWS = 80  # rows of each sheet looked at to tell what the sheet is

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Cached results of formulas whose input is blank: the template shows them as empty cells.
FORMULA_ERRORS = frozenset({"#N/A", "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})
_SPACE = re.compile(r"\s+")


def _bounded_get_size(self) -> None:  # replaces openpyxl's ReadOnlyWorksheet._get_size
    """Read a sheet's ``<dimension>`` record, stopping where the cells begin.

    openpyxl (3.1) looks for the record with an end-event parse that only meets ``<sheetData>``'s
    end after parsing every cell: a sheet written without the record (valid, and what some tools
    write) is then parsed whole when the workbook is opened, a million rows included. The record
    always comes before ``<sheetData>``, so a start-event parse that stops there gives the same
    answer in bounded time."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    src = self._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == DIMENSION_TAG:
                self._min_column, self._min_row, self._max_column, self._max_row = SheetDimension.from_tree(element).boundaries
                return
            if element.tag == DATA_TAG:
                return
    finally:
        src.close()


def _bound_openpyxl() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if getattr(ReadOnlyWorksheet, "_get_size", None) is not _bounded_get_size:
        ReadOnlyWorksheet._get_size = _bounded_get_size


def text_of(value: object) -> str:
    """A cell's value as text, whitespace-normalised. Blank for: no value, a cached formula error
    ('#N/A'), and the number 0, which is what the template's look-up formulas cache for a blank
    look-up cell (a street or source the list does not give). Dates come as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = _SPACE.sub(" ", value).strip() if not value.isprintable() or "  " in value else value.strip()
        return "" if text in FORMULA_ERRORS else text
    if isinstance(value, (int, float)) and value == 0:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACE.sub(" ", str(value)).strip()
    return "" if text in FORMULA_ERRORS else text


def _refuse_by_content(path: Path, data: bytes) -> None:
    """InputError for what is not an .xlsx by its bytes."""
    if data.startswith(OLE2_MAGIC):
        if _ENCRYPTED in data:
            raise InputError(path, "password-protected (encrypted) workbook: open it in Excel, remove the password and save it again as .xlsx")
        raise InputError(path, "an old binary Excel (.xls) or other OLE2 Office file, not an .xlsx: open it in Excel and save it as .xlsx")
    if not data:
        raise InputError(path, "empty file, nothing to read")
    if not data.startswith(ZIP_MAGIC):
        raise InputError(path, "not an Excel .xlsx workbook (it does not start like a ZIP container)")


def _check_zip(path: Path, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(path, "truncated or damaged .xlsx (its ZIP directory cannot be read)") from None
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise InputError(path, "a ZIP container but not an Excel workbook (no xl/workbook.xml)")


@dataclass
class Sheet:
    """One worksheet's rows as text (1-based: ``rows[0]`` is row 1), bounded; ``cut`` when the
    sheet went on past :data:`MAX_ROWS`."""

    title: str
    rows: list[tuple[str, ...]]
    cut: bool = False

    def cell(self, row: int, column: int) -> str:
        """The text at 1-based ``row``, ``column`` ('' outside the sheet)."""
        if 1 <= row <= len(self.rows):
            values = self.rows[row - 1]
            if 1 <= column <= len(values):
                return values[column - 1]
        return ""


class Workbook:
    """An opened CMRT-like workbook. Sheets are read lazily: a probe of the first
    :data:`PROBE_ROWS` rows for telling sheets apart, the whole (bounded) sheet when needed."""

    def __init__(self, path: Path | str, data: bytes):
        self.path = Path(path)
        _refuse_by_content(self.path, data)
        _check_zip(self.path, data)
        try:
            import openpyxl

            _bound_openpyxl()
            with warnings.catch_warnings():  # "Conditional Formatting extension is not supported"...
                warnings.simplefilter("ignore")
                self._book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, OSError) as error:
            raise InputError(self.path, f"damaged .xlsx, openpyxl cannot open it ({type(error).__name__}: {str(error)[:80]})") from None
        self.titles = [ws.title for ws in self._book.worksheets]
        self.warnings: list[str] = []
        self._probes: dict[str, Sheet] = {}
        self._sheets: dict[str, Sheet] = {}
        self._layouts: dict[str, Layout | None] = {}

    def _read(self, title: str, limit: int) -> Sheet:
        ws = self._book[title]
        ws.reset_dimensions()  # a writer's <dimension ref="A1"/> would end the sheet at row 1; MAX_ROWS bounds instead
        rows: list[tuple[str, ...]] = []
        cut = False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for values in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    if len(rows) >= limit:
                        cut = True
                        break
                    rows.append(tuple(map(text_of, values)))
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as error:
            raise InputError(self.path, f"damaged .xlsx: sheet {title!r} cannot be read ({type(error).__name__})") from None
        while rows and not any(rows[-1]):
            rows.pop()
        return Sheet(title, rows, cut)

    def probe(self, title: str) -> Sheet:
        if title in self._sheets:
            return self._sheets[title]
        if title not in self._probes:
            self._probes[title] = self._read(title, PROBE_ROWS)
        return self._probes[title]

    def sheet(self, title: str) -> Sheet:
        """The whole sheet, at most :data:`MAX_ROWS` rows; a cut is added to :attr:`warnings`."""
        if title not in self._sheets:
            sheet = self._read(title, MAX_ROWS)
            if sheet.cut:
                self.warnings.append(f"{self.path}: sheet {title!r} goes on past {MAX_ROWS:,} rows; stopped reading there (a CMRT sheet has about 2,500)")
            self._sheets[title] = sheet
        return self._sheets[title]

    def layout(self, title: str) -> Layout | None:
        """The smelter-table layout of a whole sheet (``layout.find_layout``), computed once."""
        if title not in self._layouts:
            from smelterkg.ingest.cmrt.layout import find_layout  # layout builds on this module

            self._layouts[title] = find_layout(self.sheet(title))
        return self._layouts[title]

    def close(self) -> None:
        self._book.close()


__all__ = ["FORMULA_ERRORS", "MAX_COLUMNS", "MAX_ROWS", "OLE2_MAGIC", "PROBE_ROWS", "Sheet", "Workbook", "ZIP_MAGIC", "text_of"]
