"""Huge or random text is recognised early and read in bounded work (issue 10, item 4).

A file of random words has no smelter table: it is told in one line, no row is invented from a
line that happens to start with "tin", and only the lines that could start a table are typed. The
shortcuts that make this fast (the term gate, the table-start filter, the fast cue scans of report
facts, the aligned-columns pre-check) are each checked here to give exactly what the full work
gives, on the bundled reports and on generated text.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smelterkg.ingest import cells, report_facts
from smelterkg.ingest.cells import _type_text
from smelterkg.ingest.models import TypedLine
from smelterkg.ingest.parse import LONE_METAL_LINE, parse_lines
from smelterkg.ingest.readers import text as text_reader
from smelterkg.ingest.region import _is_anchor
from smelterkg.ingest.typed_lines import TypedLines, may_start_table
from smelterkg.ingest.tables import columns
from smelterkg.ingest.vocabulary import vocabulary, words

REPORTS = sorted((Path(__file__).parents[2] / "data" / "reports").glob("*.txt"))
TEXT_DUMPS = sorted((Path(__file__).parents[1] / "data" / "exhibits-text").glob("*.txt"))
VOCAB = vocabulary()

# Words a table is made of, mixed with others, in the case forms reports print.
PIECES = ["Gold", "GOLD", "tin", "Tin", "Tantalum", "Tungsten", "Smelter", "Name", "ID", "Country", "Status", "of", "the",
          "Or", "Yes", "No", "Full", "Compliant", "Conformant", "Active", "Not", "Enrolled", "JAPAN", "Korea", "Republic",
          "United", "States", "America", "U.S.A.", "d'Ivoire", "Côte", "People's", "CID000123", "Ltd.", "Co.,", "Minsur",
          "xQz", "aBcD", "**", "<u>", "</u>", "#", "-", "3", "Page", "1", "é", "Ａ", "’s"]  # fmt: skip
_line = st.lists(st.sampled_from(PIECES), min_size=0, max_size=9).map(" ".join)
_tabbed = st.lists(_line, min_size=1, max_size=5).map("\t".join)


def _random_words(seed: int, size: int) -> str:
    r = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out, n = [], 0
    while n < size:
        line = " ".join("".join(r.choice(letters) for _ in range(r.randint(1, 10))) for _ in range(r.randint(1, 25)))
        out.append(line)
        n += len(line) + 1
    return "\n".join(out) + "\n"


def _typing_without_gate(raw: str, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as m:
        m.setattr(cells, "may_hold_terms", lambda text, vocab: True)
        return _type_text.__wrapped__(raw, (), VOCAB)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(_line, _tabbed))
def test_the_term_gate_never_changes_a_lines_typing(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _type_text.__wrapped__(raw, (), VOCAB) == _typing_without_gate(raw, monkeypatch)


def test_the_term_gate_keeps_every_bundled_line_typed_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = {raw for path in REPORTS + TEXT_DUMPS for raw in path.read_text(encoding="utf-8").splitlines()}
    assert len(lines) > 1000
    differing = [raw for raw in lines if _type_text.__wrapped__(raw, (), VOCAB) != _typing_without_gate(raw, monkeypatch)]
    assert differing == []


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(_line, _tabbed))
def test_every_line_that_can_start_a_table_passes_the_start_filter(raw: str) -> None:
    kind, typed = _type_text(raw, (), VOCAB)
    if _is_anchor(TypedLine(1, raw, "\t" in raw, kind, typed)):
        assert may_start_table(raw, VOCAB)


def test_typing_on_demand_reads_the_bundled_reports_as_typing_every_line() -> None:
    for path in REPORTS:
        lines = path.read_text(encoding="utf-8").split("\n")
        lazy = TypedLines(lines, {}, VOCAB)
        anchors = [i for i, line in enumerate(lazy) if _is_anchor(line)]
        assert anchors and set(anchors) <= set(lazy.starts), path.name


def test_random_words_have_no_table_and_few_lines_are_typed() -> None:
    lines = _random_words(1, 2_000_000).split("\n")
    report = parse_lines("random.txt", lines)
    assert report.rows == [] and report.regions == []
    assert "random.txt: no smelter table found" in report.warnings
    typed = TypedLines(lines, {}, VOCAB)
    assert len(typed.starts) < len(lines) / 100  # lines that begin with "tin", "gold", "or the"...


def test_a_lone_line_starting_with_a_metal_word_is_quarantined_not_read() -> None:
    lines = ["Our policy on conflict minerals.", "", "tin vy NIUiiO SbaAfS bFbeiGo", "", "We thank our suppliers."]
    report = parse_lines("prose.txt", lines)
    assert report.rows == []
    assert [(q.line, q.reason) for q in report.quarantine] == [(3, LONE_METAL_LINE)]


def test_a_single_real_row_still_reads() -> None:
    report = parse_lines("one.txt", ["Smelters identified:", "", "Tin\tMinsur\tPERU\tConformant", ""])
    assert [(r.metal, r.name, r.country_code) for r in report.rows] == [("Tin", "Minsur", "PE")]


def test_parse_of_a_random_words_file_says_so_in_one_line(tmp_path: Path) -> None:
    flood = tmp_path / "flood.txt"
    flood.write_text(_random_words(2, 3_000_000), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "smelterkg", "parse", str(flood)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1:] == []  # the CSV header only
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert re.match(r"warning: flood\.txt: no smelter table found in [\d,]+ lines", done.stderr)


_cue_piece = st.sampled_from(
    ["Acme Corp.", "Inc", "Co", "XCo", "Corporation", " (", "(", "\u201c", '"', "Acme", "\n", "  ", "exact", "Exact", "name",
     " of ", "the", "registrant", "Registrant", "reporting", "period", "calendar", "Year", "year", "ended", " ", "é", "İ"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_cue_piece, max_size=30).map("".join))
def test_fast_cue_scans_find_what_the_plain_regexes_find(text: str) -> None:
    found = report_facts._Report(text.split("\n"))
    assert list(found.filer_cues()) == [m.start() for m in report_facts._FILER_CUE.finditer(found.text)]
    registrant = found.cue_starts(report_facts._REGISTRANT, report_facts._REGISTRANT_LOWER, back_over="(")
    assert list(registrant) == [m.start() for m in report_facts._REGISTRANT.finditer(found.text)]
    year = found.cue_starts(report_facts._YEAR_CUE, report_facts._YEAR_CUE_LOWER)
    assert list(year) == [m.start() for m in report_facts._YEAR_CUE.finditer(found.text)]


_WIDE_BY_LINE = re.compile(rf"[^\s|{text_reader._BOX}][\s|{text_reader._BOX}]{{2,}}[^\s|{text_reader._BOX}]")


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "b", " ", "  ", "\t", "|", "│", "─", "\n", "x y", "\f"]), max_size=40).map("".join))
def test_the_aligned_columns_precheck_matches_its_line_by_line_definition(text: str) -> None:
    lines = text.split("\n")
    by_line = sum(1 for raw in lines if _WIDE_BY_LINE.search(raw) or len(text_reader._RULES.findall(raw)) >= 2)
    assert text_reader._column_lines(lines) == (by_line >= 2)


_cell = st.lists(st.sampled_from(PIECES + ["Au", "(Sn)", "W", "Wolfram", "Tokyo,", "City", "Facility", "Refiner", "3TG", "CFSI"]),
                 max_size=6).map(" ".join)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_cell)
def test_table_cells_are_typed_the_same_with_and_without_the_term_gate(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    gated = columns.content_type.__wrapped__(text, VOCAB)
    with monkeypatch.context() as m:
        m.setattr(columns, "may_hold_terms", lambda *args: True)
        assert columns.content_type.__wrapped__(text, VOCAB) == gated
    tokens = tuple(w for _, _, w in words(text))
    full = next((role for role, p in columns.HEADER_ROLES if any(tokens[i : i + len(p)] == p for i in range(len(tokens)))), "")
    assert columns.header_role.__wrapped__(text) == full
