"""Footnote marks on any cell (not only the name) go to the row's notes with their legend, and a
superscript footnote number finds its legend line below the table; nothing is guessed from them."""

from __future__ import annotations

from pathlib import Path

from smelterkg.ingest.readers.html import HTMLReader


def read(body: bytes) -> list[tuple[str, str, tuple[str, ...]]]:
    report = HTMLReader().read(Path("x.htm"), b"<html><body>" + body + b"</body></html>")
    return [(r.name, r.country_code, r.notes) for r in report.rows]


def test_a_mark_on_the_country_cell_is_a_note_and_the_country_still_reads() -> None:
    table = (
        b"<table><tr><th>Metal</th><th>Smelter Name</th><th>Country</th><th>Status</th></tr>"
        b"<tr><td>Gold</td><td>Kazzinc</td><td>Kazakhstan*</td><td>Yes</td></tr></table>"
        b"<p>* Country of the head office.</p>"
    )
    assert read(table) == [("Kazzinc", "KZ", ("footnote *: Country of the head office.",))]


def test_a_superscript_number_finds_its_legend() -> None:
    table = (
        b"<table><tr><th>Metal</th><th>Smelter Name</th><th>Country</th></tr>"
        b"<tr><td>Gold</td><td>Valcambi SA<sup>1</sup></td><td>Switzerland</td></tr></table>"
        b"<p><sup>1</sup> Formerly Valcambi Suisse.</p>"
    )
    assert read(table) == [("Valcambi SA", "CH", ("footnote (1): Formerly Valcambi Suisse.",))]
