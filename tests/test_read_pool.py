"""Reading on several cores gives what reading one by one gives: the same reports in the same
order, the same errors and the same duplicate warnings."""

from __future__ import annotations

from pathlib import Path

from smelterkg import pipeline, read_pool
from smelterkg.data import bundled_reports


def _corpus(tmp_path: Path) -> list[Path]:
    """18 reports (the bundled five, each in three versions), one exact duplicate, one empty file."""
    files = []
    for copy in range(3):
        for source in bundled_reports():
            path = tmp_path / f"{copy}-{source.name}"
            path.write_bytes(source.read_bytes() + f"\nCopy {copy} of the report.\n".encode())
            files.append(path)
    duplicate = tmp_path / "z-duplicate.txt"
    duplicate.write_bytes(files[0].read_bytes())
    empty = tmp_path / "z-empty.txt"
    empty.write_bytes(b"")
    return sorted([*files, duplicate, empty])


def _summary(reads: list[read_pool.Read]) -> list[tuple]:
    return [
        (r.path.name, r.digest, r.error, None if r.report is None else [(row.line, row.metal, row.name, row.status) for row in r.report.rows])
        for r in reads
    ]


def test_workers_read_what_one_process_reads(tmp_path: Path) -> None:
    files = _corpus(tmp_path)
    assert read_pool.parallel(files, processes=2)
    one = list(read_pool.read_all(files, processes=1))
    two = list(read_pool.read_all(files, processes=2))
    assert _summary(two) == _summary(one)
    assert sum(1 for r in two if r.report is None) == 1  # the empty file, with its reason
    assert all(r.error for r in two if r.report is None)


def test_the_pipeline_reports_duplicates_and_errors_in_file_order(tmp_path: Path) -> None:
    files = _corpus(tmp_path)
    reports, errors, warnings = pipeline.read_inputs([tmp_path], progress=None)
    assert len(reports) == 15
    assert [Path(r.source).name for r in reports] == [f.name for f in files if not f.name.startswith("z-")]
    assert [e.path.name for e in errors] == ["z-empty.txt"]
    assert warnings == [f"{tmp_path / 'z-duplicate.txt'}: same content as {files[0]}; read once"]


def test_few_files_are_read_in_process(tmp_path: Path) -> None:
    files = _corpus(tmp_path)[: read_pool.MIN_FILES - 1]
    assert not read_pool.parallel(files, processes=2)
    announced = []
    reads = list(read_pool.read_all(files, processes=2, announce=lambda i, p: announced.append((i, p))))
    assert announced == list(enumerate(files, start=1))
    assert [r.path for r in reads] == files
