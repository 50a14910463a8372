"""Plain-text reports (text extracted from PDFs by many tools): decode (``reading``), then parse
line by line (``parse``). Every row's locator is its line numbers.

The catch-all reader: it claims every file no more specific reader claimed, and reports binary
content (with what it looks like, when known) as one clear error.
"""

from __future__ import annotations

from pathlib import Path

from smelterkg.ingest.parse import ParsedReport, parse_source
from smelterkg.ingest.reading import source_text


class TextReader:
    name = "text"

    def claims(self, path: Path, head: bytes) -> bool:
        return True

    def read(self, path: Path, data: bytes) -> ParsedReport:
        return parse_source(source_text(path, data))
