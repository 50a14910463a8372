"""The ``smelterkg parse`` command contract: what goes to stdout, to stderr and to the quarantine file.

Most tests call ``main([...])`` in-process (capsys); a few run the installed console script in
a subprocess, as a user does.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.data import REPORTS_DIR, bundled_reports

COLUMNS = [
    "source", "line", "year", "metal", "name", "country", "status",
    "country_code", "status_code", "status_scheme", "smelter_id", "filer", "lines", "notes", "locator",
]  # fmt: skip
QUARANTINE_COLUMNS = ["source", "line", "reason", "text"]
BUNDLED_ROWS = {
    "qualys-2013-form-sd.txt": 178,
    "qualys-2014-form-sd.txt": 259,
    "qualys-2017-form-sd.txt": 322,
    "qualys-2019-form-sd.txt": 318,
    "qualys-2022-form-sd.txt": 249,
}
BUNDLED_YEARS = {name: int(name.split("-")[1]) for name in BUNDLED_ROWS}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["parse", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    body = list(reader)
    for record in body:
        assert len(record) == len(header), f"ragged CSV record: {record}"
    return header, [dict(zip(header, record)) for record in body]


def csv_row_as_json(row: dict[str, str]) -> dict[str, object]:
    """A CSV row in the shape the jsonl output uses (lists for lines and notes, int line/year)."""
    record: dict[str, object] = dict(row)
    record["line"] = int(row["line"])
    record["year"] = int(row["year"]) if row["year"] else None
    record["lines"] = [int(n) for n in row["lines"].split()]
    record["notes"] = row["notes"].split("; ") if row["notes"] else []
    return record


@pytest.fixture(scope="module")
def default_run() -> dict[str, object]:
    """``smelterkg parse --quarantine FILE`` on the bundled reports, run once for the module."""
    with tempfile.TemporaryDirectory() as tmp:
        quarantine = Path(tmp) / "quarantine.csv"
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["parse", "--quarantine", str(quarantine)])
        return {"code": code, "out": out.getvalue(), "err": err.getvalue(), "quarantine": quarantine.read_text(encoding="utf-8")}


# --- stdout: the mention table ----------------------------------------------------------------


def test_csv_header_and_column_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert out.splitlines()[0] == ",".join(COLUMNS)


def test_one_row_per_mention_per_bundled_report(default_run: dict[str, object]) -> None:
    assert default_run["code"] == 0
    header, rows = read_csv(default_run["out"])
    assert header == COLUMNS
    assert Counter(r["source"] for r in rows) == BUNDLED_ROWS
    for row in rows:
        assert int(row["year"]) == BUNDLED_YEARS[row["source"]]
        assert row["filer"] == "QUALYS, INC."
        assert row["metal"] in {"Gold", "Tin", "Tantalum", "Tungsten"}
        assert row["name"], row


def test_line_is_first_of_lines(default_run: dict[str, object]) -> None:
    _, rows = read_csv(default_run["out"])
    multi = 0
    for row in rows:
        lines = [int(n) for n in row["lines"].split()]
        assert lines == sorted(lines) and lines, row
        assert int(row["line"]) == lines[0], row
        multi += len(lines) > 1
    assert multi, "the bundled corpus has rows reassembled from several lines"


def test_rows_point_at_their_source_lines(default_run: dict[str, object]) -> None:
    """An analyst can go from a row to the report line: a single-line row's line holds its name."""
    _, rows = read_csv(default_run["out"])
    texts = {name: (REPORTS_DIR / name).read_text(encoding="utf-8").split("\n") for name in BUNDLED_ROWS}
    single = [r for r in rows if len(r["lines"].split()) == 1 and not r["notes"]]
    assert len(single) > 1000
    for row in single:
        assert row["name"].split()[0] in texts[row["source"]][int(row["line"]) - 1], row


def test_stdout_is_only_data_and_summaries_go_to_stderr(default_run: dict[str, object]) -> None:
    out, err = default_run["out"], default_run["err"]
    assert "smelterkg:" not in out and "warning" not in out and "reporting year" not in out
    header, rows = read_csv(out)
    assert len(rows) == sum(BUNDLED_ROWS.values())
    for name, count in BUNDLED_ROWS.items():
        assert f"{name}: QUALYS, INC., reporting year {BUNDLED_YEARS[name]}: {count} rows" in err
    assert "Traceback" not in err
    totals = [line for line in err.splitlines() if line.startswith("smelterkg: 5 reports, 1326 rows, ")]
    assert len(totals) == 1 and totals[0].endswith(" quarantined, 0 unreadable"), err


def test_jsonl_gives_the_same_rows_as_csv(capsys: pytest.CaptureFixture[str], default_run: dict[str, object]) -> None:
    code, out, err = run(capsys, "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert all(set(r) == set(COLUMNS) for r in records)
    _, rows = read_csv(default_run["out"])
    assert records == [csv_row_as_json(r) for r in rows]
    assert "reporting year 2013" in err


def test_default_inputs_are_the_bundled_reports(capsys: pytest.CaptureFixture[str], default_run: dict[str, object]) -> None:
    code, out, _ = run(capsys, *(str(p) for p in bundled_reports()))
    assert code == 0
    assert out == default_run["out"]


def test_directory_argument_is_expanded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nested").mkdir()
    shutil.copy(REPORTS_DIR / "qualys-2019-form-sd.txt", tmp_path / "b-2019.txt")
    shutil.copy(REPORTS_DIR / "qualys-2013-form-sd.txt", tmp_path / "nested" / "a-2013.txt")
    shutil.copy(REPORTS_DIR / "qualys-2014-form-sd.txt", tmp_path / ".hidden.txt")  # skipped
    code, out, err = run(capsys, str(tmp_path))
    assert code == 0
    _, rows = read_csv(out)
    assert Counter(r["source"] for r in rows) == {"b-2019.txt": 318, "a-2013.txt": 178}
    assert list(dict.fromkeys(r["source"] for r in rows)) == ["b-2019.txt", "a-2013.txt"]  # sorted by path
    assert ".hidden" not in out + err


def test_bundled_directory_gives_the_default_output(capsys: pytest.CaptureFixture[str], default_run: dict[str, object]) -> None:
    code, out, _ = run(capsys, str(REPORTS_DIR))
    assert code == 0
    assert out == default_run["out"]


# --- the quarantine file ----------------------------------------------------------------------


def test_quarantine_file_lists_unused_lines_with_reasons(default_run: dict[str, object]) -> None:
    header, entries = read_csv(default_run["quarantine"])
    assert header == QUARANTINE_COLUMNS
    assert f"1326 rows, {len(entries)} quarantined, 0 unreadable" in default_run["err"]
    per_report = Counter(e["source"] for e in entries)
    for name in BUNDLED_ROWS:  # the per-report summaries count the same entries
        assert (f"  quarantined: {per_report[name]} (" in default_run["err"]) == (per_report[name] > 0)
    texts = {name: (REPORTS_DIR / name).read_text(encoding="utf-8").split("\n") for name in BUNDLED_ROWS}
    for entry in entries:
        assert entry["reason"], entry
        line = texts[entry["source"]][int(entry["line"]) - 1]
        assert entry["text"] in line, entry  # the text is what the report prints on that line
    reasons = {e["reason"] for e in entries}
    assert "header row" in reasons
    assert any(r.startswith("outside the smelter table: a list of countries") for r in reasons)


def test_quarantined_lines_are_not_rows(default_run: dict[str, object]) -> None:
    _, rows = read_csv(default_run["out"])
    _, entries = read_csv(default_run["quarantine"])
    used = {(r["source"], int(n)) for r in rows for n in r["lines"].split()}
    headers = [e for e in entries if "header row" in e["reason"]]
    assert headers and all((e["source"], int(e["line"])) not in used for e in headers)


def test_no_quarantine_file_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, str(REPORTS_DIR / "qualys-2013-form-sd.txt"))
    assert code == 0
    assert list(tmp_path.iterdir()) == []


def test_unwritable_quarantine_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-dir" / "q.csv"
    code, _, err = run(capsys, str(REPORTS_DIR / "qualys-2013-form-sd.txt"), "--quarantine", str(target))
    assert code != 0
    assert f"smelterkg: error: {target}: cannot write quarantine report" in err
    assert "Traceback" not in err


# --- the installed command --------------------------------------------------------------------


def console_script() -> str:
    """The installed ``smelterkg`` script: next to this interpreter, or on PATH."""
    beside = Path(sys.executable).parent / ("smelterkg.exe" if os.name == "nt" else "smelterkg")
    found = str(beside) if beside.exists() else shutil.which("smelterkg")
    if not found:
        pytest.fail("the smelterkg console script is not installed (pip install -e .)")
    return found


def test_installed_console_script(tmp_path: Path, default_run: dict[str, object]) -> None:
    quarantine = tmp_path / "q.csv"
    done = subprocess.run(
        [console_script(), "parse", "--quarantine", str(quarantine)], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == default_run["out"]
    assert quarantine.read_text(encoding="utf-8") == default_run["quarantine"]
    assert "smelterkg: 5 reports, 1326 rows, " in done.stderr
    assert "Traceback" not in done.stderr


def test_python_dash_m_and_bad_usage() -> None:
    done = subprocess.run([sys.executable, "-m", "smelterkg", "parse", "--format", "xml"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "invalid choice: 'xml'" in done.stderr


def test_output_cut_short_by_a_closed_pipe_is_quiet() -> None:
    """``smelterkg parse | head -1``: no traceback when the reader goes away."""
    with subprocess.Popen([console_script(), "parse"], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8")
        code = proc.wait(timeout=120)
    assert first.decode("utf-8").rstrip("\n") == ",".join(COLUMNS)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code == 0
