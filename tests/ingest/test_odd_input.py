"""Odd but readable input: markup-looking text in a name is kept as printed (and noted), UTF-16
without a byte-order mark is read (with a warning naming the byte order), and symbolic link loops
and FIFOs are reported with their own reason, given or found in a directory, without blocking."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.ingest.parse import parse_lines

MARKUP_KEPT_NOTE = "markup-like text in the name kept as printed"

TABLE = ["ANNEX I- SMELTER LIST", "Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant"]
TINY = ["Conflict Minerals Report", "", *TABLE, "Tin\tMinsur\tPERU\tActive", "Gold\tMétaux Précieux SA\tSWITZERLAND\tFull Compliant"]


@pytest.mark.parametrize(
    "name",
    ["Acme <script>alert(1)</script> Refinery", "Beta <b>Gold</b> Co", "Gamma Gold &amp; Silver Ltd", "<script>x</script>"],
)
def test_markup_looking_text_in_a_name_is_kept_as_printed_and_noted(name: str) -> None:
    """Converter leftovers still go (emphasis around a whole cell, a markup-only line, which is
    quarantined with its note); markup-looking text inside a name is the name as printed."""
    lines = [*TABLE, f"Gold\t{name}\tJAPAN\tFull Compliant", "Gold\t**Boliden AB**\tSWEDEN\tFull Compliant", "<u></u>",
             "Tin\t<u>Minsur</u>\tPERU\tActive"]
    report = parse_lines("t", lines)
    assert [(r.name, r.notes) for r in report.rows] == [
        ("Asaka Riken Co., Ltd.", ()), (name, (MARKUP_KEPT_NOTE,)), ("Boliden AB", ()), ("Minsur", ()),
    ]
    assert [(q.line, q.reason) for q in report.quarantine] == [(5, "markup leftover with no text")]


def _parse(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[dict[str, str]], str]:
    code = main(["parse", *map(str, paths)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, list(csv.DictReader(io.StringIO(out))), err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str], codec: str) -> None:
    report = tmp_path / "unicode.txt"
    report.write_bytes(("\r\n".join(TINY) + "\r\n").encode(codec))
    blob = tmp_path / "blob.bin"  # NUL bytes at every other position, but not text: still binary
    blob.write_bytes(bytes([1, 0, 2, 0, 0x7F, 0, 3, 0]) * 512)
    code, rows, err = _parse(capsys, report, blob)
    assert code == 0
    assert f"smelterkg: error: {blob}:1: binary content (NUL byte)" in err
    assert [r["name"] for r in rows] == ["Asaka Riken Co., Ltd.", "Minsur", "Métaux Précieux SA"]
    assert not [line for line in err.splitlines() if str(report) in line and "binary" in line]
    assert f"warning: {report}: no byte-order mark, but NUL bytes at every other position: read as {codec.upper()}" in err


def _special_files(folder: Path) -> dict[Path, str]:
    folder.mkdir()
    os.symlink(folder / "loop-b", folder / "loop-a")
    os.symlink(folder / "loop-a", folder / "loop-b")
    os.mkfifo(folder / "pipe")
    return {folder / "loop-a": "symbolic link loop", folder / "loop-b": "symbolic link loop", folder / "pipe": "not a regular file (a FIFO)"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("given", ["files", "directory"])
def test_symlink_loops_and_fifos_are_reported_and_do_not_block(tmp_path: Path, given: str) -> None:
    folder = tmp_path / "in"
    expected = _special_files(folder)
    (folder / "good.txt").write_text("\n".join(TINY) + "\n", encoding="utf-8")
    paths = [*expected, folder / "good.txt"] if given == "files" else [folder]
    done = subprocess.run(  # a FIFO opened for reading would wait for a writer forever
        [sys.executable, "-m", "smelterkg", "parse", *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for path, reason in expected.items():
        naming = [line for line in done.stderr.splitlines() if str(path) in line]
        assert naming == [f"smelterkg: error: {path}: {reason}"]
    assert len(list(csv.DictReader(io.StringIO(done.stdout)))) == 3
