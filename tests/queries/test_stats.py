"""``smelterkg stats``: yearly shares by canonical status (the same numbers as the saved query
yearly-universe), status transitions between consecutive reporting years, the most renamed
facilities, and the PNG/SVG chart (a real image, the same bytes every time)."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from PIL import Image

from smelterkg.cli import main
from smelterkg.pictures.chart import render_chart
from smelterkg.queries import catalogue
from smelterkg.queries.stats import BUCKETS, NOT_LISTED, Stats, compute


@pytest.fixture(scope="module")
def stats(bundled_store) -> Stats:
    return compute(bundled_store)


def test_yearly_shares_match_the_saved_query(bundled_store, stats: Stats) -> None:
    query = catalogue.find("yearly-universe")
    for year, metal in [(2013, "Gold"), (2017, "Gold"), (2017, "Tin"), (2022, "Gold"), (2019, "Tungsten")]:
        result = catalogue.execute(bundled_store, query.text, {"year": str(year), "metal": metal}, query.params)
        row = dict(zip(result.variables, map(catalogue.plain, result.rows[0])))
        share = next(s for s in stats.shares if (s.year, s.metal) == (year, metal))
        assert share.facilities == int(row["facilities"])
        assert [share.counts[b] for b in BUCKETS] == [int(row[k]) for k in ("conformant", "inProgress", "neither", "unknown")]
        assert share.share("Conformant") == pytest.approx(float(row["conformantPct"]))


def test_every_reporting_year_and_metal_is_counted(stats: Stats) -> None:
    assert stats.years == (2013, 2014, 2017, 2019, 2022)
    assert {(s.year, s.metal) for s in stats.shares} == {
        (y, m) for y in stats.years for m in ("Gold", "Tantalum", "Tin", "Tungsten")
    }
    gold_2017 = next(s for s in stats.shares if (s.year, s.metal) == (2017, "Gold"))
    assert gold_2017.facilities == 142  # README: yearly-universe 2017 Gold
    for share in stats.shares:
        assert sum(share.counts.values()) == share.facilities
        assert sum(share.share(b) for b in BUCKETS) == pytest.approx(100, abs=0.2)


def test_transitions_account_for_every_facility_of_both_years(stats: Stats) -> None:
    listed = defaultdict(int)
    for share in stats.shares:
        listed[share.year] += share.facilities
    pairs = list(zip(stats.years, stats.years[1:]))
    assert sorted({(t.from_year, t.to_year) for t in stats.transitions}) == pairs
    for before, after in pairs:
        moves = [t for t in stats.transitions if (t.from_year, t.to_year) == (before, after)]
        assert sum(t.facilities for t in moves if t.from_status != NOT_LISTED) == listed[before]
        assert sum(t.facilities for t in moves if t.to_status != NOT_LISTED) == listed[after]
        assert not [t for t in moves if t.from_status == t.to_status == NOT_LISTED]


def test_most_renamed_facilities(stats: Stats) -> None:
    assert stats.renamed and stats.renamed[0].renames >= 2
    assert [r.renames for r in stats.renamed] == sorted((r.renames for r in stats.renamed), reverse=True)
    goslar = next(r for r in stats.renamed if r.label == "TANIOBIS GmbH")
    assert goslar.renames == 2 and goslar.names.startswith("H.C. Starck GmbH Goslar (2014, 2017) → ")
    assert any(r.label == "Asahi Refining USA Inc." and "Johnson Matthey Inc" in r.names for r in stats.renamed)


def test_stats_command_text_and_json(bundled_store_path: Path, capsys) -> None:
    assert main(["stats", "--store", str(bundled_store_path)]) == 0
    out, err = capsys.readouterr()
    assert "Facilities listed per year and metal" in out and "Status transitions" in out and "Most renamed" in out
    assert "2017  Gold             142        71.1" in out
    assert err == ""
    assert main(["stats", "--format", "json", "--metal", "tin", "--top", "3", "--store", str(bundled_store_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["metal"] for s in data["shares"]} == {"Tin"} and len(data["renamed"]) <= 3


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_stats_chart(bundled_store_path: Path, tmp_path: Path, stats: Stats, suffix: str, capsys) -> None:
    target = tmp_path / f"shares{suffix}"
    assert main(["stats", "--chart", str(target), "--store", str(bundled_store_path)]) == 0
    assert "wrote" in capsys.readouterr().err
    data = target.read_bytes()
    assert data == render_chart(stats, suffix[1:])  # the same bytes every time
    if suffix == ".png":
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and 1000 <= image.size[0] <= 3000 and 600 <= image.size[1] <= 3000
    else:
        text = data.decode("utf-8")
        assert all(metal in text for metal in ("Gold", "Tantalum", "Tin", "Tungsten")) and "n=142" in text


def test_stats_chart_needs_png_or_svg(bundled_store_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["stats", "--chart", str(tmp_path / "shares.pdf"), "--store", str(bundled_store_path)]) == 2
    assert capsys.readouterr().err.startswith("smelterkg: error: ")
    assert not (tmp_path / "shares.pdf").exists()
