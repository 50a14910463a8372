"""Bad input to ``smelterkg parse``: every bad file gets one clear line on stderr naming it (and the
line where known) and the reason; no traceback; the good files are still parsed; the exit status
is non-zero only when no input at all could be read."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.data import REPORTS_DIR
from smelterkg.ingest.reading import InputError, read_report

GOOD_REPORT = REPORTS_DIR / "qualys-2013-form-sd.txt"
GOOD_ROWS = 178

TINY_REPORT = [
    "Conflict Minerals Report",
    "",
    "ANNEX I- SMELTER LIST",
    "",
    "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant",
    "Gold\tMétaux Précieux SA\tSWITZERLAND\tFull Compliant",  # line 6
    "Tin\tMinsur\tPERU\tActive",
    "Tungsten\tA.L.M.T. Corp.\tJAPAN\tFull Compliant",
]


def tiny_report(encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return (newline.join(TINY_REPORT) + newline).encode(encoding)


def run(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, list[dict[str, str]], str]:
    code = main(["parse", *(str(p) for p in paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    rows = list(csv.DictReader(io.StringIO(out)))
    return code, rows, err


def messages_about(err: str, path: Path | str) -> list[str]:
    """The error and warning lines on stderr that name ``path``."""
    return [line for line in err.splitlines() if str(path) in line and ("error:" in line or "warning:" in line)]


def assert_one_error(err: str, path: Path, reason: str, line: int | None = None) -> None:
    """Exactly one line on stderr names the bad file: 'smelterkg: error: PATH[:LINE]: REASON'."""
    naming = [m for m in err.splitlines() if str(path) in m]
    where = f"{path}:{line}" if line else f"{path}"
    assert len(naming) == 1, f"expected one message naming {path}, got {naming}"
    assert naming[0].startswith(f"smelterkg: error: {where}: "), naming[0]
    assert reason in naming[0], naming[0]


# --- one bad file next to a good one ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason", "line"),
    [
        ("empty.txt", b"", "empty file", None),
        ("whitespace.txt", b"  \n\n\t\r\n", "empty file", None),
        ("nul.txt", b"Gold\tAsaka Riken\n\nabc\x00def\n", "binary content (NUL byte)", 3),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary content (NUL byte)", 3),
        ("old-mac.txt", b"Gold\rTin\r\rabc\x00", "binary content (NUL byte)", 4),  # CR line ends count
        ("controls.bin", bytes(range(1, 9)) * 200, "binary content", None),
    ],
)
def test_unreadable_file_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, reason: str, line: int | None
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    code, rows, err = run(capsys, bad, GOOD_REPORT)
    assert code == 0
    assert_one_error(err, bad, reason, line)
    assert len(rows) == GOOD_ROWS and {r["source"] for r in rows} == {GOOD_REPORT.name}
    assert "smelterkg: 1 reports" not in err  # only one report was read: no totals line
    assert "qualys-2013-form-sd.txt: QUALYS, INC., reporting year 2013: 178 rows" in err


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-report.txt"
    code, rows, err = run(capsys, missing, GOOD_REPORT)
    assert code == 0
    assert_one_error(err, missing, "no such file or directory")
    assert len(rows) == GOOD_ROWS


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_permissions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_bytes(tiny_report())
    locked.chmod(0)
    code, rows, err = run(capsys, locked, GOOD_REPORT)
    assert code == 0
    assert_one_error(err, locked, "permission denied")
    assert len(rows) == GOOD_ROWS


# --- files that are read, with a warning ---------------------------------------------------------


def test_tiny_report_is_parsed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fixture the other tests rely on: four rows after the annex heading, no warnings."""
    report = tmp_path / "tiny.txt"
    report.write_bytes(tiny_report())
    code, rows, err = run(capsys, report)
    assert code == 0
    assert [(r["line"], r["metal"], r["name"], r["country_code"], r["status"]) for r in rows] == [
        ("5", "Gold", "Asaka Riken Co., Ltd.", "JP", "Full Compliant"),
        ("6", "Gold", "Métaux Précieux SA", "CH", "Full Compliant"),
        ("7", "Tin", "Minsur", "PE", "Active"),
        ("8", "Tungsten", "A.L.M.T. Corp.", "JP", "Full Compliant"),
    ]
    assert messages_about(err, report) == []


def test_cp1252_report_is_read_with_one_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "windows.txt"
    report.write_bytes(tiny_report("cp1252", newline="\r\n"))
    code, rows, err = run(capsys, report)
    assert code == 0
    assert [r["name"] for r in rows] == ["Asaka Riken Co., Ltd.", "Métaux Précieux SA", "Minsur", "A.L.M.T. Corp."]
    assert [r["line"] for r in rows] == ["5", "6", "7", "8"]  # CRLF counted as one line end
    warnings = messages_about(err, report)
    assert len(warnings) == 1, warnings
    assert f"{report}:6: not UTF-8" in warnings[0] and "cp1252" in warnings[0]


def test_cp1252_report_with_cr_line_ends_names_the_right_line(tmp_path: Path) -> None:
    report = tmp_path / "old-mac.txt"
    report.write_bytes(tiny_report("cp1252", newline="\r") + "Tin\tFenix Metals\tPOLAND\tConformant – recycled\r".encode("cp1252"))
    source = read_report(report)
    assert source.lines[5] == TINY_REPORT[5] and source.lines[8].endswith("Conformant – recycled")
    assert source.warnings == [f"{report}:6: not UTF-8 (byte 0xe9); read as cp1252 (2 lines not UTF-8)"]


def test_cp1252_punctuation_is_not_read_as_latin1(tmp_path: Path) -> None:
    """0x92 is a right single quote in Windows-1252 (a control character in Latin-1)."""
    report = tmp_path / "quote.txt"
    report.write_bytes("Gold\tO’Brien Refining\tIRELAND\tActive\n".encode("cp1252"))
    source = read_report(report)
    assert source.lines == ["Gold\tO’Brien Refining\tIRELAND\tActive"]
    assert len(source.warnings) == 1


def test_mostly_utf8_with_one_stray_cp1252_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A UTF-8 report with one line pasted in from a Windows tool: the UTF-8 lines keep their
    accents (not 'MÃ©taux'), the odd line is read as cp1252, and the warning names that line."""
    lines = [*TINY_REPORT, "Gold\tCórrego do Sítio\tBRAZIL\tActive"]
    data = "\n".join(lines[:8]).encode("utf-8") + b"\n" + lines[8].encode("cp1252") + b"\n"
    report = tmp_path / "mixed.txt"
    report.write_bytes(data)
    code, rows, err = run(capsys, report)
    assert code == 0
    assert [r["name"] for r in rows][1:] == ["Métaux Précieux SA", "Minsur", "A.L.M.T. Corp.", "Córrego do Sítio"]
    warnings = messages_about(err, report)
    assert len(warnings) == 1 and f"{report}:9: not UTF-8" in warnings[0], warnings


def test_utf8_bom_and_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "bom.txt"
    report.write_bytes(b"\xef\xbb\xbf" + tiny_report(newline="\r\n"))
    code, rows, err = run(capsys, report)
    assert code == 0
    assert len(rows) == 4 and rows[0]["line"] == "5"
    assert messages_about(err, report) == []


def test_utf16_report_is_text_not_binary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows tools (PowerShell '>' redirection) save text as UTF-16 with a byte-order mark."""
    report = tmp_path / "utf16.txt"
    report.write_bytes(tiny_report("utf-16", newline="\r\n"))
    code, rows, err = run(capsys, report)
    assert code == 0
    assert [r["name"] for r in rows][:2] == ["Asaka Riken Co., Ltd.", "Métaux Précieux SA"]
    assert "binary" not in err


def test_report_without_smelter_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "prose.txt"
    report.write_text("Form SD\n\nWe do not manufacture products containing conflict minerals.\n", encoding="utf-8")
    code, rows, err = run(capsys, report, GOOD_REPORT)
    assert code == 0  # the file was read; it just holds no table
    assert {r["source"] for r in rows} == {GOOD_REPORT.name}
    assert any(f"{report.name}: no smelter table found" in m for m in messages_about(err, report.name))


def test_report_without_smelter_table_alone_is_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "prose.txt"
    report.write_text("Form SD\n\nNo conflict minerals.\n", encoding="utf-8")
    code, rows, err = run(capsys, report)
    assert code == 0 and rows == []
    assert "error" not in err


def test_report_without_smelter_table_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "prose.txt"
    report.write_text("Form SD\n\nNo conflict minerals.\n", encoding="utf-8")
    _, _, err = run(capsys, report)
    assert len([m for m in err.splitlines() if "no smelter table" in m]) == 1, err


# --- directories and all-bad inputs ---------------------------------------------------------------


def test_directory_mixing_good_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "filings"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(GOOD_REPORT, folder / "a-good.txt")
    (folder / "b-empty.txt").write_bytes(b"")
    (folder / "c-scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\x03\nendstream\n")
    (folder / "sub" / "d-windows.txt").write_bytes(tiny_report("cp1252"))
    (folder / "sub" / "e-prose.txt").write_text("Nothing to see.\n", encoding="utf-8")
    code, rows, err = run(capsys, folder)
    assert code == 0
    assert {r["source"] for r in rows} == {"a-good.txt", "d-windows.txt"}
    assert sum(r["source"] == "a-good.txt" for r in rows) == GOOD_ROWS
    assert sum(r["source"] == "d-windows.txt" for r in rows) == 4
    assert_one_error(err, folder / "b-empty.txt", "empty file")
    assert_one_error(err, folder / "c-scan.pdf", "damaged PDF, not readable")
    assert len(messages_about(err, folder / "sub" / "d-windows.txt")) == 1
    assert err.splitlines()[-1].startswith("smelterkg: 3 reports, 182 rows, ")
    assert err.splitlines()[-1].endswith(", 2 unreadable")


def test_nothing_readable_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    code, rows, err = run(capsys, empty, missing)
    assert code != 0
    assert rows == []
    assert_one_error(err, empty, "empty file")
    assert_one_error(err, missing, "no such file")
    assert "smelterkg: error: no input could be read" in err.splitlines()


def test_empty_directory_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # hidden files are skipped
    code, rows, err = run(capsys, folder)
    assert code != 0 and rows == []
    assert_one_error(err, folder, "directory holds no files")


def test_read_report_raises_input_error_with_path_and_line(tmp_path: Path) -> None:
    """The library API gives the same one-line message the command prints."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"line one\nline\x00two\n")
    with pytest.raises(InputError) as caught:
        read_report(bad)
    assert str(caught.value) == f"{bad}:2: binary content (NUL byte), not a text report"
    assert caught.value.line == 2 and caught.value.path == bad
