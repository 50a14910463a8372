"""Very long names in ``smelterkg chain``: every format shows them cut with an ellipsis (the whole
name may stay in tooltips and data attributes), and the pictures render in bounded time (a
1,000-letter name once took minutes as SVG: every prefix of the word was measured to wrap it)."""

from __future__ import annotations

import html
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.pictures.render import CHAIN_FORMATS

REPORT = """**ACME WIDGETS, INC.**

(Exact name of registrant as specified in its charter)

For The Reporting Period from January 1, 2019 to December 31, 2019

ANNEX I- SMELTER LIST

Gold\tAsaka Riken Co., Ltd.\tJAPAN\tFull Compliant
Gold\t{name}\tJAPAN\tFull Compliant
Tin\tMinsur\tPERU\tActive
"""
_random = random.Random(7)
WORDY = "Zeta " + " ".join(_random.choice(["Golden", "Refinery", "Metals", "Smelting", "Mining"]) for _ in range(1400))  # ~10 kB
ONE_WORD = "Zeta" + "".join(_random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(996))  # 1,000 letters, no space


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("long-names")
    out = {}
    for key, name in (("wordy", WORDY), ("one-word", ONE_WORD)):
        report = root / f"{key}.txt"
        report.write_text(REPORT.format(name=name), encoding="utf-8")
        assert main(["build", str(report), "--store", str(root / key)]) == 0
        out[key] = root / key
    return out


def _shown(fmt: str, text: str) -> str:
    """What a viewer draws: tooltips (SVG <title>) and data-only attributes left out."""
    if fmt in ("svg", "html"):
        text = re.sub(r"<title>.*?</title>|<script.*?</script>", "", text, flags=re.DOTALL)  # tooltips and their data
    if fmt == "graphml":  # the drawn attribute is the label (d-key of 'label'); others may keep the name
        key = re.search(r'<key id="(d\d+)" for="node" attr.name="label"', text).group(1)
        text = "\n".join(re.findall(rf'<data key="{key}">(.*?)</data>', text, flags=re.DOTALL))
    return html.unescape(text)


@pytest.mark.parametrize("fmt", [f for f in CHAIN_FORMATS if f != "png"])
def test_long_name_is_cut_with_an_ellipsis_in_every_format(stores: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"chain.{fmt}"
    assert main(["chain", WORDY, "--store", str(stores["wordy"]), "--format", fmt, "-o", str(out)]) == 0
    shown = _shown(fmt, out.read_text(encoding="utf-8"))
    assert "…" in shown
    assert WORDY[:40] in shown or fmt in ("svg", "html")  # svg/html wrap the label over lines
    assert WORDY[:2000] not in shown  # never the whole name in a label
    assert len(shown) < 40_000


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_picture_of_a_long_word_renders_in_bounded_time(stores: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"chain.{fmt}"
    command = [sys.executable, "-m", "smelterkg", "chain", ONE_WORD, "--store", str(stores["one-word"]), "--format", fmt, "-o", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)  # before: over 300 s
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000
