"""A facility's history says where each listing is in its source: the first line of a text row, or
the locator of a row read from a format without lines (which may have no skg:line at all)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from smelterkg import pipeline
from smelterkg.queries.history import load_histories
from smelterkg.store import open_read_only

SKG = "https://w3id.org/smelterkg/ontology#"
HWASEONG = "https://w3id.org/smelterkg/id/facility/gold/hwasungcj-kr"
REPORT = """FORM SD

EXAMPLE METALS, INC.

Rule 13p-1 under the Securities Exchange Act for the reporting period from January 1 to December 31, 2019.

ANNEX I- SMELTER LIST

Gold\tAsaka Riken Co., Ltd.\tJAPAN\tConformant
"""


def test_text_rows_are_located_by_their_first_line(bundled_store: Store) -> None:
    history = load_histories(bundled_store, [HWASEONG])[HWASEONG]
    assert [(s.year, s.line, s.where) for s in history.sightings if s.year == 2017] == [(2017, 178, "line 178")]
    assert all(s.locator == f"line {s.line}" for s in history.sightings)


@pytest.fixture
def located_store(tmp_path: Path) -> Store:
    """A one-row store whose row was read from a spreadsheet: a locator and no skg:line."""
    report = tmp_path / "example-2019-form-sd.txt"
    report.write_text(REPORT, encoding="utf-8")
    pipeline.build([report], tmp_path / "store", progress=None)
    disk = open_read_only(tmp_path / "store")
    store = Store()
    store.extend(list(disk))
    del disk
    (row,) = {q.subject for q in store.quads_for_pattern(None, NamedNode(SKG + "sourceLine"), None)}
    graph = next(q.graph_name for q in store.quads_for_pattern(row, None, None))
    for quad in list(store.quads_for_pattern(row, NamedNode(SKG + "line"), None)):
        store.remove(quad)
    store.add(Quad(row, NamedNode(SKG + "locator"), Literal("sheet 'Smelter List' row 12"), graph))
    return store


def test_rows_of_other_formats_are_located_by_their_locator(located_store: Store) -> None:
    (history,) = load_histories(located_store).values()
    assert [(s.line, s.locator, s.where) for s in history.sightings] == [
        (0, "sheet 'Smelter List' row 12", "sheet 'Smelter List' row 12")
    ]
