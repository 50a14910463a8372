"""The ``smelterkg build`` command and the store it writes.

The summary line, atomic replacement (a failed build leaves the previous store byte-for-byte as
it was, with no staging directory behind), refusal to replace what is not a store, one clean error
line for a store that cannot be written, bad inputs next to good ones, and ``$SMELTERKG_STORE``.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import signal
import subprocess
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from smelterkg import pipeline
from smelterkg import store as store_module
from smelterkg.cli import main
from smelterkg.data import REPORTS_DIR, bundled_reports
from smelterkg.store import MARKER, STORE_ENV, open_read_only

BUNDLED_ROWS = {
    "qualys-2013-form-sd.txt": 178,
    "qualys-2014-form-sd.txt": 259,
    "qualys-2017-form-sd.txt": 322,
    "qualys-2019-form-sd.txt": 318,
    "qualys-2022-form-sd.txt": 249,
}
BUNDLED_QUARANTINED = 46
SUMMARY = re.compile(
    r"^built (?P<target>.+): (?P<documents>\d+) documents, (?P<rows>\d+) rows, (?P<facilities>\d+) facilities, "
    r"(?P<observations>\d+) observations, (?P<triples>\d+) triples, (?P<quarantined>\d+) quarantined lines, "
    r"(?P<seconds>\d+\.\d+) s$"
)
SKG = "https://w3id.org/smelterkg/ontology#"



# --- helpers ------------------------------------------------------------------------------------


def build(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main(["build", *(str(a) for a in argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def summary(err: str) -> dict[str, str]:
    last = err.rstrip("\n").splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, f"the last stderr line is not the build summary: {last!r}"
    return match.groupdict()


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("smelterkg: error:")]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(target: Path) -> list[str]:
    """Staging or retired directories a build left beside ``target``."""
    return sorted(
        p.name
        for p in target.parent.iterdir()
        if p.name.startswith(f".{target.name}.building-") or p.name.startswith(f".{target.name}.old-")
    )


def count(target: Path, cls: str) -> int:
    store = open_read_only(target)
    try:
        query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{SKG}{cls}> }} }}"
        return int(next(iter(store.query(query)))["n"].value)
    finally:
        del store


def store_len(target: Path) -> int:
    store = open_read_only(target)
    try:
        return len(store)
    finally:
        del store


def build_fails(error: type[BaseException], *args: object) -> None:
    """``pipeline.build(*args)`` raises ``error``; then the exception and its traceback are let go.

    A caller that keeps the exception (pytest.raises does) keeps the frames of the failed build
    alive, and any store object they hold stays open: checking for leftovers only after letting
    go is what shows whether the build cleaned up after a store that was really closed."""
    try:
        pipeline.build(*args, progress=None)
    except error:
        pass
    else:
        pytest.fail(f"the build did not raise {error.__name__}")
    gc.collect()



@pytest.fixture
def previous(tmp_path: Path, tiny: Path) -> Path:
    """A store already built (from the tiny report) that a later build must not damage."""
    target = tmp_path / "store"
    result = pipeline.build([tiny], target, progress=None)
    assert result.quads > 0 and (target / MARKER).exists()
    return target


# --- the summary --------------------------------------------------------------------------------


def test_summary_names_documents_rows_facilities_observations_triples_quarantine_and_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "store"
    code, out, err = build(capsys, "--store", target)
    assert code == 0 and out == ""
    facts = summary(err)
    assert Path(facts["target"]) == target
    assert int(facts["documents"]) == len(bundled_reports()) == count(target, "SourceDocument")
    assert int(facts["rows"]) == sum(BUNDLED_ROWS.values()) == count(target, "TableRow")
    assert int(facts["quarantined"]) == BUNDLED_QUARANTINED == count(target, "QuarantinedLine")
    assert int(facts["observations"]) == count(target, "StatusObservation")
    assert int(facts["triples"]) == store_len(target)
    assert float(facts["seconds"]) > 0
    # the summary counts what the graph holds: one facility per facility IRI
    assert int(facts["facilities"]) == count(target, "Facility"), (
        f"the summary says {facts['facilities']} facilities but the graph has {count(target, 'Facility')}"
    )
    # one line per report before the summary, naming it
    for name, rows in BUNDLED_ROWS.items():
        (line,) = [line for line in err.splitlines() if line.startswith(f"{name}: ")]
        assert f" {rows} rows" in line, line


def test_summary_of_a_small_build(tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = build(capsys, "--store", tmp_path / "store", tiny)
    assert code == 0
    facts = summary(err)
    assert (facts["documents"], facts["rows"], facts["facilities"], facts["observations"]) == ("1", "3", "3", "3")


# --- atomicity ----------------------------------------------------------------------------------


def _nquads_function() -> str:
    """The name of the pipeline's quad source (``graph_nquads``, formerly ``graph_quads``)."""
    return next(name for name in ("graph_nquads", "graph_quads") if hasattr(pipeline, name))


class Watch:
    """Watches the stores a build opens and the staging directories it removes.

    An Oxigraph store has no close(): it closes when the last reference to it goes, and closing
    writes files (CURRENT, MANIFEST, an .sst). A failed build that removes its staging directory
    while the store on it is still open (e.g. still referenced by the traceback of the failure)
    gets the directory written again when the store finally closes: a staging directory left
    behind. So each removal records how many stores were open at that moment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.live: weakref.WeakSet[object] = weakref.WeakSet()
        self.open_at_removal: list[int] = []
        self.fail_writing_data = False
        real_store, real_rmtree, watch = store_module.Store, shutil.rmtree, self

        class WatchedStore:
            def __init__(self, *args: object, **kwargs: object) -> None:
                self._store = real_store(*args, **kwargs)
                watch.live.add(self)

            read_only = staticmethod(real_store.read_only)

            def __getattr__(self, name: str) -> object:
                return getattr(self._store, name)

            def __len__(self) -> int:
                return len(self._store)

            def bulk_load(self, *args: object, **kwargs: object) -> None:
                self._store.bulk_load(*args, **kwargs)
                if watch.fail_writing_data and "path" not in kwargs:  # data, not the ontology files
                    raise OSError(28, "No space left on device")

            def bulk_extend(self, quads: object) -> None:  # the quad-object API of earlier versions
                if watch.fail_writing_data:
                    raise OSError(28, "No space left on device")
                self._store.bulk_extend(quads)

        def rmtree(path: str | Path, *args: object, **kwargs: object) -> None:
            if ".building-" in Path(path).name:
                gc.collect()
                watch.open_at_removal.append(len(watch.live))
            real_rmtree(path, *args, **kwargs)

        monkeypatch.setattr(store_module, "Store", WatchedStore)
        monkeypatch.setattr(store_module.shutil, "rmtree", rmtree)

    def assert_clean(self, target: Path) -> None:
        assert self.open_at_removal, "the failed build removed no staging directory"
        assert self.open_at_removal == [0], (
            "the staging directory was removed while the store on it was still open; the store "
            "writes its files again when it closes, leaving the staging directory behind"
        )
        assert leftovers(target) == []


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Watch:
    return Watch(monkeypatch)


def test_a_build_failing_while_making_quads_leaves_the_previous_store_untouched(
    previous: Path, monkeypatch: pytest.MonkeyPatch, watch: Watch
) -> None:
    before = snapshot(previous)
    name = _nquads_function()
    real = getattr(pipeline, name)

    def failing(*args: object, **kwargs: object) -> Iterator[object]:
        for index, item in enumerate(real(*args, **kwargs)):
            if index == 500:
                raise RuntimeError("mapping failed mid-way")
            yield item

    monkeypatch.setattr(pipeline, name, failing)
    build_fails(RuntimeError, bundled_reports(), previous)
    assert snapshot(previous) == before
    watch.assert_clean(previous)
    assert store_len(previous) > 0


def test_a_build_failing_while_writing_the_store_leaves_the_previous_store_untouched(
    previous: Path, watch: Watch
) -> None:
    before = snapshot(previous)
    watch.fail_writing_data = True  # some quads are written, then the disk fills up
    build_fails(OSError, bundled_reports(), previous)
    assert snapshot(previous) == before
    watch.assert_clean(previous)


def test_an_interrupted_build_leaves_the_previous_store_untouched(
    previous: Path, monkeypatch: pytest.MonkeyPatch, watch: Watch
) -> None:
    before = snapshot(previous)
    name = _nquads_function()
    real = getattr(pipeline, name)

    def interrupted(*args: object, **kwargs: object) -> Iterator[object]:
        yield from list(real(*args, **kwargs))[:10]
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, name, interrupted)
    build_fails(KeyboardInterrupt, bundled_reports(), previous)
    assert snapshot(previous) == before
    watch.assert_clean(previous)


def test_a_swap_that_fails_puts_the_previous_store_back(
    previous: Path, monkeypatch: pytest.MonkeyPatch, watch: Watch
) -> None:
    """The last step renames the old store aside and the new one in; if the second rename fails
    the old store is renamed back."""
    before = snapshot(previous)
    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    def rename(source: str | Path, destination: str | Path) -> None:
        calls.append((Path(source).name, Path(destination).name))
        if Path(source).name.startswith(f".{previous.name}.building-"):
            raise OSError(18, "Invalid cross-device link")
        real_rename(source, destination)

    monkeypatch.setattr(store_module.os, "rename", rename)
    build_fails(OSError, bundled_reports()[:1], previous)
    monkeypatch.setattr(store_module.os, "rename", real_rename)
    assert len(calls) == 3, calls  # old aside, new in (fails), old back
    assert snapshot(previous) == before
    watch.assert_clean(previous)


def test_ctrl_c_during_the_swap_waits_until_the_new_store_is_in(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the two renames of the swap there is no store: a Ctrl-C (or SIGTERM) arriving
    there takes effect only once the new store is in, and the old one is still removed."""
    real_rename = os.rename

    def rename(source: str | Path, destination: str | Path) -> None:
        real_rename(source, destination)
        if Path(source) == previous:  # the old store was just renamed aside
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(store_module.os, "rename", rename)
    build_fails(KeyboardInterrupt, [REPORTS_DIR / "qualys-2013-form-sd.txt"], previous)
    monkeypatch.setattr(store_module.os, "rename", real_rename)
    assert (previous / MARKER).exists(), "interrupted between the renames: no store left"
    assert count(previous, "TableRow") == BUNDLED_ROWS["qualys-2013-form-sd.txt"]
    assert leftovers(previous) == []


def test_a_successful_rebuild_replaces_the_store_and_leaves_nothing_behind(
    previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = store_len(previous)
    code, _, err = build(capsys, "--store", previous, REPORTS_DIR / "qualys-2013-form-sd.txt")
    assert code == 0, err
    assert store_len(previous) != old and count(previous, "TableRow") == BUNDLED_ROWS["qualys-2013-form-sd.txt"]
    assert leftovers(previous) == []


# --- what a build refuses -------------------------------------------------------------------------


def test_refuses_to_replace_a_directory_that_is_not_a_store(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "my-documents"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    before = snapshot(target)
    code, _, err = build(capsys, "--store", target, tiny)
    assert code == 1
    (line,) = error_lines(err)
    assert str(target) in line and "not a smelterkg store" in line and "refusing" in line, line
    assert snapshot(target) == before and leftovers(target) == []
    assert "built" not in err


def test_refuses_to_replace_a_file(tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n", encoding="utf-8")
    code, _, err = build(capsys, "--store", target, tiny)
    assert code == 1
    (line,) = error_lines(err)
    assert "not a directory" in line and "refusing" in line, line
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_an_empty_directory_becomes_the_store(tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    code, _, err = build(capsys, "--store", target, tiny)
    assert code == 0, err
    assert (target / MARKER).exists() and count(target, "TableRow") == 3


def test_a_store_path_that_cannot_be_written_is_one_clean_error(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("permissions do not apply (running as root)")
        code, _, err = build(capsys, "--store", locked / "store", tiny)
        assert code == 1
        (line,) = error_lines(err)
        assert str(locked / "store") in line and "cannot create the store here" in line, line
        assert "built" not in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_store_path_under_a_file_is_one_clean_error(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same failure as a read-only parent, reproducible as root: the parent is a file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    code, _, err = build(capsys, "--store", blocker / "store", tiny)
    assert code == 1
    (line,) = error_lines(err)
    assert "cannot create the store here" in line, line
    assert len(err.strip().splitlines()) == 1, err


# --- bad inputs ---------------------------------------------------------------------------------


def test_a_build_mixing_good_and_bad_inputs_builds_from_the_good_ones(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "inputs" / "scan.pdf.txt"
    binary.write_bytes(b"%PDF-1.7\x00\x00\x01\x02binary\x00")
    empty = tmp_path / "inputs" / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "inputs" / "missing.txt"
    good = tmp_path / "inputs" / "qualys-2013-form-sd.txt"
    shutil.copy(REPORTS_DIR / "qualys-2013-form-sd.txt", good)
    target = tmp_path / "store"

    code, _, err = build(capsys, "--store", target, good, binary, empty, missing, tiny)
    assert code == 0, err
    for bad, reason in ((binary, "damaged PDF"), (empty, "empty"), (missing, "no such file")):
        naming = [line for line in error_lines(err) if str(bad) in line]
        assert len(naming) == 1 and reason in naming[0], (bad, naming)
    assert len(error_lines(err)) == 3
    facts = summary(err)
    assert facts["documents"] == "2" and int(facts["rows"]) == BUNDLED_ROWS[good.name] + 3
    assert count(target, "SourceDocument") == 2


def test_zero_readable_inputs_leave_the_old_store_untouched_and_fail(
    tmp_path: Path, previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(previous)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    code, _, err = build(capsys, "--store", previous, binary, empty, tmp_path / "nowhere.txt")
    assert code != 0
    assert "no input could be read; the store was not touched" in err
    assert len(error_lines(err)) == 4  # one per bad input + the verdict
    assert not any(SUMMARY.match(line) for line in err.splitlines())
    assert snapshot(previous) == before and leftovers(previous) == []


def test_an_empty_input_directory_leaves_the_old_store_untouched(
    tmp_path: Path, previous: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(previous)
    folder = tmp_path / "nothing-here"
    folder.mkdir()
    code, _, err = build(capsys, "--store", previous, folder)
    assert code != 0 and error_lines(err)
    assert snapshot(previous) == before


# --- where the store goes -----------------------------------------------------------------------


def test_the_default_store_honours_smelterkg_store(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "from-env" / "store"
    monkeypatch.setenv(STORE_ENV, str(elsewhere))
    monkeypatch.chdir(tmp_path)
    code, _, err = build(capsys, tiny)
    assert code == 0, err
    assert (elsewhere / MARKER).exists()
    assert not (tmp_path / "smelterkg-store").exists()
    assert Path(summary(err)["target"]) == elsewhere


def test_store_option_overrides_the_environment(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "from-env"))
    code, _, err = build(capsys, "--store", tmp_path / "explicit", tiny)
    assert code == 0, err
    assert (tmp_path / "explicit" / MARKER).exists() and not (tmp_path / "from-env").exists()


def test_without_the_environment_the_store_is_in_the_working_directory(
    tmp_path: Path, tiny: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STORE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    code, _, err = build(capsys, tiny)
    assert code == 0, err
    assert (tmp_path / "smelterkg-store" / MARKER).exists()


def test_the_installed_command_builds_where_the_environment_says(tmp_path: Path, tiny: Path) -> None:
    """As a user runs it: a separate process, the store location from the environment."""
    target = tmp_path / "env-store"
    env = {**os.environ, STORE_ENV: str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "smelterkg", "build", str(tiny)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    facts = summary(done.stderr)
    assert Path(facts["target"]) == target and facts["documents"] == "1"
    assert (target / MARKER).exists()
