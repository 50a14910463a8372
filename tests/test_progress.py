"""Time-based progress: a stage that runs past a few seconds is named on stderr while it runs,
also when it is one large report; a fast stage says nothing, so short builds print as before."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from smelterkg import pipeline
from smelterkg.data import bundled_reports
from smelterkg.heartbeat import Heartbeat, wanted


def test_a_long_stage_is_named_while_it_runs_and_a_short_one_says_nothing() -> None:
    said: list[str] = []
    with Heartbeat(said.append, first=0.1, every=0.1) as beat:
        beat.stage("quick")
        beat.stage("reading big.txt (1/1, 50.0 MB)")
        time.sleep(0.6)  # sleeping releases the GIL, as reading a file does
        beat.stage(None)
    assert said, "a 0.6 s stage past a 0.1 s threshold said nothing"
    assert all(m.startswith("reading big.txt (1/1, 50.0 MB): ") and m.endswith(" s so far") for m in said), said


class Recording(Heartbeat):
    def __init__(self) -> None:
        super().__init__(None)
        self.stages: list[str | None] = []

    def stage(self, text: str | None) -> None:
        self.stages.append(text)
        super().stage(text)


def test_every_report_read_is_a_stage_with_its_place_and_size() -> None:
    report = bundled_reports()[0]
    beat = Recording()
    with beat:
        pipeline.read_inputs([report], progress=None, heartbeat=beat)
    size = report.stat().st_size / 1048576
    assert beat.stages == [f"reading {report} (1/1, {size:.1f} MB)", None]


@pytest.mark.parametrize(("setting", "shown"), [("always", True), ("never", False), ("auto", False)])
def test_shown_on_a_terminal_or_when_asked(monkeypatch: pytest.MonkeyPatch, setting: str, shown: bool) -> None:
    monkeypatch.setenv("SMELTERKG_PROGRESS", setting)
    assert wanted() is shown  # pytest captures stderr: not a terminal, so auto is off


def test_a_large_report_names_the_resolving_and_writing_stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver and the store's bulk load hold the GIL, so a build of many rows announces them."""
    monkeypatch.setattr(pipeline, "LARGE_ROWS", 100)
    said: list[str] = []
    pipeline.build([bundled_reports()[0]], tmp_path / "store", progress=said.append)
    assert said[-2:] == [s for s in said if s.startswith(("resolving", "writing"))]
    assert said[-2].startswith("resolving facilities (") and said[-1].startswith("writing the store (")
