"""``manifest.csv`` beside the downloaded files: one row per file, what later readers need to know
of it (the filer's CIK and name, the form, dates, reporting year, accession, where it came from,
its sha256 and size, and its path relative to the output directory).

A row is appended as each file is written (an interrupted run keeps what it did); at the end of a
run the file is rewritten sorted by path, one row per path, so the same downloads give the same bytes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from smelterkg.ingest.edgar.cache import write_atomically

MANIFEST = "manifest.csv"
COLUMNS = ("cik", "company", "form", "filing_date", "year", "accession", "url", "sha256", "bytes", "path")


class Manifest:
    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.rows: dict[str, dict[str, str]] = {}
        if self.path.is_file():
            with self.path.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    if row.get("path"):
                        self.rows[row["path"]] = {column: row.get(column) or "" for column in COLUMNS}

    def add(self, row: dict[str, str]) -> None:
        row = {column: str(row.get(column, "")) for column in COLUMNS}
        new_file = not self.path.is_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
            if new_file:
                writer.writeheader()
            writer.writerow(row)
        self.rows[row["path"]] = row

    def finish(self) -> None:
        """Rewrite the manifest sorted by path, one row per path."""
        if not self.rows:
            return
        text = io.StringIO()
        writer = csv.DictWriter(text, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for path in sorted(self.rows):
            writer.writerow(self.rows[path])
        write_atomically(self.path, text.getvalue().encode("utf-8"))
