"""Input readers: one module per input format behind one small protocol, and the registry that
picks the reader for a file by its content.

A reader turns one input file into a :class:`~smelterkg.ingest.parse.ParsedReport` whose rows
carry a :class:`~smelterkg.ingest.models.Locator` in that format's terms (text: lines; PDF: page
and lines; spreadsheet: sheet, row, column; HTML: table, row, cell). Content decides, not the
file name: a text report saved as ``report.pdf`` is text, and a PDF named ``report.txt`` is a
PDF. The suffix is only a hint a reader may use to break a tie.

Adding a format is one new module here (a class with ``name``, ``claims`` and ``read``) and one
entry in :data:`READERS`, before the text reader: that one claims everything, so it comes last.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from smelterkg.ingest.cmrt import CMRTReader
from smelterkg.ingest.edgar.names import with_file_name_facts
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.reading import InputError, read_bytes
from smelterkg.ingest.readers.html import HTMLReader
from smelterkg.ingest.readers.pdf import PDFReader
from smelterkg.ingest.readers.text import TextReader

HEAD_BYTES = 8192  # what a reader sees to claim a file: enough for magic numbers and a first table


class Reader(Protocol):
    """One input format."""

    name: str  # short, for messages and the documentation ("text", "pdf", "xlsx"...)

    def claims(self, path: Path, head: bytes) -> bool:
        """Whether this reader reads the file, judged by its first bytes (``head``, at most
        :data:`HEAD_BYTES`); ``path``'s suffix is only a hint. Must not raise."""
        ...

    def read(self, path: Path, data: bytes) -> ParsedReport:
        """The whole file (its bytes ``data``, read from ``path``) -> the parsed report, every row
        with its locator. Raises :class:`InputError` with a one-line reason when it cannot."""
        ...


# Specific formats first; the text reader claims whatever is left, and says why when that is not text.
READERS: list[Reader] = [PDFReader(), CMRTReader(), HTMLReader(), TextReader()]


def reader_for(path: Path, head: bytes) -> Reader:
    """The first registered reader that claims the file."""
    for reader in READERS:
        if reader.claims(path, head):
            return reader
    raise InputError(path, "no reader for this kind of file")  # only when the text reader is not registered


def read_document(path: Path | str, data: bytes | None = None) -> ParsedReport:
    """Read one input file in whatever format it is. ``data``: its bytes, when the caller has read
    them already. Raises :class:`InputError` (no such file, permission denied, empty, binary...)."""
    path = Path(path)
    if data is None:
        data = read_bytes(path)
    report = reader_for(path, data[:HEAD_BYTES]).read(path, data)
    return with_file_name_facts(report, path)  # fetch's names carry CIK and accession, whatever the format


__all__ = ["HEAD_BYTES", "READERS", "InputError", "Reader", "read_document", "reader_for"]
