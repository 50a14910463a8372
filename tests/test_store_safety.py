"""Builds that are raced, signalled or killed leave nothing broken behind.

One build at a time per store (the lock names its holder; ``--wait`` waits for it); what killed
builds left beside the store (staging and retired directories) is removed by the next build;
SIGTERM stops a build as Ctrl-C does; kill -9 at seeded random points of a build leaves the
previous store answering and nothing behind once the next build has run. Every build under test
is a real ``smelterkg build`` process.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smelterkg import pipeline
from smelterkg.data import REPORTS_DIR
from smelterkg.store import MARKER, BuildLock, open_read_only

ROWS = "SELECT (COUNT(?row) AS ?n) WHERE { GRAPH ?g { ?row a <https://w3id.org/smelterkg/ontology#TableRow> } }"
TWO_REPORTS = [REPORTS_DIR / "qualys-2017-form-sd.txt", REPORTS_DIR / "qualys-2019-form-sd.txt"]
TIMEOUT = 300  # seconds: only so that a hung build fails the test instead of hanging the suite


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(target: Path) -> list[str]:
    return sorted(
        p.name
        for p in target.parent.iterdir()
        if p.name.startswith((f".{target.name}.building-", f".{target.name}.old-"))
    )


def rows(target: Path) -> int:
    store = open_read_only(target)
    try:
        return int(next(iter(store.query(ROWS)))["n"].value)
    finally:
        del store


def smelterkg(*argv: str | Path, **options: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "smelterkg", *(str(a) for a in argv)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **options,  # type: ignore[call-overload]
    )  # fmt: skip



@pytest.fixture
def previous(tmp_path: Path, tiny: Path) -> Path:
    """A store built from the tiny report (3 rows), which the builds under test must not damage."""
    target = tmp_path / "store"
    pipeline.build([tiny], target, progress=None)
    assert rows(target) == 3
    return target


# --- one build at a time ------------------------------------------------------------------------


def test_a_second_build_into_a_locked_store_fails_at_once_naming_the_holder(previous: Path, tiny: Path) -> None:
    before = snapshot(previous)
    with BuildLock(previous):  # this test process is the build in progress
        build = smelterkg("build", "--store", previous, REPORTS_DIR / "qualys-2013-form-sd.txt")
        _, err = build.communicate(timeout=TIMEOUT)
    assert build.returncode == 1, err
    (line,) = err.strip().splitlines()
    assert line.startswith("smelterkg: error: ") and str(previous) in line and "another build" in line, line
    assert f"pid {os.getpid()} on {socket.gethostname()}, started " in line, line
    assert snapshot(previous) == before and leftovers(previous) == []


def test_with_wait_a_second_build_waits_for_the_first_then_builds(previous: Path) -> None:
    lock = BuildLock(previous)
    try:
        build = smelterkg("build", "--wait", "--store", previous, REPORTS_DIR / "qualys-2013-form-sd.txt")
        assert build.stderr is not None
        waiting = build.stderr.readline()
        assert "another build" in waiting and f"pid {os.getpid()}" in waiting and "waiting" in waiting, waiting
        assert build.poll() is None and rows(previous) == 3  # still waiting, nothing written
    finally:
        lock.release()
    _, err = build.communicate(timeout=TIMEOUT)
    assert build.returncode == 0, err
    assert rows(previous) == 178 and leftovers(previous) == []


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from smelterkg.store import BuildLock
lock = BuildLock(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(600)
"""


def test_the_lock_of_a_killed_holder_does_not_block(previous: Path, tiny: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(previous)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    finally:
        holder.kill()
        holder.wait(timeout=TIMEOUT)
    pipeline.build([REPORTS_DIR / "qualys-2013-form-sd.txt"], previous, progress=None)  # not blocked
    assert rows(previous) == 178


# --- what killed builds left --------------------------------------------------------------------


def test_the_next_build_removes_staging_and_retired_directories_left_by_killed_builds(
    previous: Path, tiny: Path
) -> None:
    for name in (f".{previous.name}.building-x1y2z3", f".{previous.name}.old-4242"):
        shutil.copytree(previous, previous.parent / name)  # as big as a store, as a killed build leaves it
    other = previous.parent / ".store-two.building-abc"  # another store's: not ours to remove
    other.mkdir()
    pipeline.build([tiny], previous, progress=None)
    assert leftovers(previous) == [] and other.is_dir()
    assert rows(previous) == 3


def test_a_build_killed_between_the_renames_of_the_swap_gets_the_previous_store_back(
    previous: Path, tmp_path: Path
) -> None:
    """Killed after the old store was renamed aside and before the new one was renamed in: no
    store, only the retired one. The next build puts it back first, so even a build that then
    fails (nothing readable) leaves the previous store answering."""
    before = snapshot(previous)
    os.rename(previous, previous.parent / f".{previous.name}.old-4242")
    (tmp_path / "empty.txt").write_bytes(b"")
    build = smelterkg("build", "--store", previous, tmp_path / "empty.txt")
    _, err = build.communicate(timeout=TIMEOUT)
    assert build.returncode == 1 and "no input could be read" in err, err
    assert snapshot(previous) == before and leftovers(previous) == []


# --- signals ------------------------------------------------------------------------------------


def _writing(build: subprocess.Popen[str], target: Path) -> None:
    """Wait until the build has created its staging store."""
    deadline = time.monotonic() + TIMEOUT
    while not leftovers(target):
        assert build.poll() is None and time.monotonic() < deadline, "the build never started writing its store"
        time.sleep(0.005)


def _stopped_while_writing(build: subprocess.Popen[str], target: Path) -> None:
    """Wait until the build is writing its staging store, and stop it (SIGSTOP) there: before
    the swap, which starts by renaming the old store aside."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert build.poll() is None, "the build ended before it wrote anything"
        names = leftovers(target)
        if names and all(".building-" in name for name in names):
            build.send_signal(signal.SIGSTOP)
            names = leftovers(target)
            if names and all(".building-" in name for name in names):
                return
            build.send_signal(signal.SIGCONT)
        time.sleep(0.005)
    pytest.fail("the build never started writing its store")


def test_sigterm_during_a_build_stops_it_cleanly_and_leaves_the_previous_store(previous: Path) -> None:
    before = snapshot(previous)
    build = smelterkg("build", "--store", previous, *TWO_REPORTS)  # more than a second of writing
    try:
        _stopped_while_writing(build, previous)
        build.send_signal(signal.SIGTERM)
        build.send_signal(signal.SIGCONT)
        _, err = build.communicate(timeout=TIMEOUT)
    finally:
        if build.poll() is None:
            build.kill()
    assert build.returncode == 128 + signal.SIGTERM, err
    assert err.strip().splitlines()[-1] == "smelterkg: error: terminated (SIGTERM)", err
    assert "Traceback" not in err and "built" not in err
    assert leftovers(previous) == []
    assert snapshot(previous) == before and rows(previous) == 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_at_a_random_point_of_a_build_leaves_the_previous_store_and_nothing_after_the_next(
    previous: Path, tiny: Path, seed: int
) -> None:
    before = snapshot(previous)
    delay = random.Random(seed).uniform(0.0, 0.8)  # after it started writing: the writing lasts longer
    build = smelterkg("build", "--store", previous, *TWO_REPORTS)
    _writing(build, previous)
    time.sleep(delay)
    build.kill()
    build.communicate(timeout=TIMEOUT)
    if build.returncode != -signal.SIGKILL:  # pragma: no cover - a machine fast enough to finish first
        pytest.skip(f"the build finished within {delay:.2f} s, before the kill")
    if (previous / MARKER).exists():
        answer = rows(previous)
        # the previous store as it was, or (killed after the swap, while removing the old one)
        # the complete new one; never anything in between
        assert answer in (3, 322 + 318), answer
        assert answer != 3 or snapshot(previous) == before
    # else killed between the two renames of the swap: the next build puts the previous one back
    pipeline.build([tiny], previous, progress=None)  # the next build
    assert leftovers(previous) == [] and rows(previous) == 3
