"""The PDF reader: claimed by content whatever the name; every PDF printed from an HTML exhibit
reads to the HTML twin's expected rows (row F1 1.0, values equal); rows carry page and line
locators; bad PDFs (scanned, encrypted, truncated, over the page cap) are one clear line naming
the file, and a build of a folder with a bad PDF and a good one goes on."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.ingest.readers import InputError, read_document, reader_for
from smelterkg.ingest.readers import pdf as pdf_reader

DATA = Path(__file__).parents[1] / "data"
LONG = DATA / "exhibits-long" / "longlist-2022.pdf"
FIELDS = ("metal", "name", "country_code", "status_code", "smelter_id")
GOOD = sorted(p for p in (DATA / "exhibits-pdf").glob("*.pdf") if any((DATA / d / ".expected" / f"{p.stem}.csv").exists() for d in ("exhibits", "exhibits-long"))) + [LONG]


def twin_rows(pdf: Path) -> Counter[tuple[str, ...]]:
    for folder in ("exhibits", "exhibits-long"):
        path = DATA / folder / ".expected" / f"{pdf.stem}.csv"
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                return Counter(tuple(row[f] for f in FIELDS) for row in csv.DictReader(handle))
    raise AssertionError(f"no HTML twin for {pdf}")


def test_claims_pdfs_by_content_not_by_name(tmp_path: Path) -> None:
    renamed = tmp_path / "exhibit.txt"
    shutil.copy(LONG, renamed)
    assert reader_for(renamed, renamed.read_bytes()[:8192]).name == "pdf"
    assert reader_for(Path("report.pdf"), b"Conflict Minerals Report\n").name != "pdf"


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_a_printed_exhibit_reads_to_the_rows_of_its_html_twin(path: Path) -> None:
    got = Counter(tuple(getattr(row, f) for f in FIELDS) for row in read_document(path).rows)
    want = twin_rows(path)
    assert got == want, (sorted((got - want).elements()), sorted((want - got).elements()))


def test_rows_name_page_and_lines_and_running_headers_are_quarantined() -> None:
    report = read_document(LONG)
    assert report.facts.year == 2022  # report facts come from the page text (the filer: helper I's report_facts)
    assert {r.locator.page for r in report.rows} == {1, 2, 3, 4}
    wrapped = next(r for r in report.rows if r.name.startswith("CRM Fundicao"))
    assert wrapped.name.endswith("Do Brasil Ltda") and len(wrapped.locator.lines) == 2
    assert str(wrapped.locator).startswith(f"page {wrapped.locator.page} lines ")
    furniture = [q for q in report.quarantine if "page furniture" in q.reason]
    assert furniture and all(q.locator.page for q in furniture)
    assert not any("file:" in r.name or "Exhibit" in r.name for r in report.rows)


def test_a_superscript_mark_goes_to_the_notes_with_its_legend() -> None:
    rows = {r.name: r for r in read_document(LONG).rows}
    assert rows["Agosi AG"].notes == ("footnote *: Smelter also processes recycled material.",)


def _scanned(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (300, 300), "white").save(path)
    return path


def test_a_scan_without_a_text_layer_is_one_line(tmp_path: Path) -> None:
    scan = _scanned(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match=r"scan.pdf: no text layer; OCR it first$"):
        read_document(scan)


def test_a_truncated_pdf_is_one_line(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    data = LONG.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cut.pdf: damaged PDF, not readable"):
        read_document(cut)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf (to encrypt a fixture) is not installed")
def test_an_encrypted_pdf_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    subprocess.run(["qpdf", "--encrypt", "u", "o", "256", "--", str(LONG), str(locked)], check=True)
    with pytest.raises(InputError, match=r"locked.pdf: encrypted PDF \(password required\)"):
        read_document(locked)


def test_a_pdf_over_the_page_cap_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(InputError, match=r"PDF of 4 pages is over the 2-page limit"):
        read_document(LONG)


def test_a_build_with_a_bad_pdf_goes_on_with_the_good_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "exhibits"
    folder.mkdir()
    shutil.copy(LONG, folder / "good.pdf")
    _scanned(folder / "scan.pdf")
    assert main(["build", str(folder), "--store", str(tmp_path / "store")]) == 0
    err = capsys.readouterr().err
    naming = [line for line in err.splitlines() if "scan.pdf" in line]
    assert len(naming) == 1 and "no text layer; OCR it first" in naming[0] and "Traceback" not in err
    assert "1 documents, 72 rows" in err or "1 document, 72 rows" in err
