"""Every curated table (gazetteers, ledger, labelled pairs) is read by one loader under one set
of rules: UTF-8 with or without BOM, cp1252 with a warning, the evidence rule, real dates, no
duplicated rows, and one error type whose message names the file and line."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.data import GAZETTEERS_DIR, LEDGER_DIR, RESOLUTION_DIR
from smelterkg.ingest.countries import load_aliases
from smelterkg.ingest.curated import EVIDENCE_RULE, CuratedTableError, read_table
from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, COLUMNS, LedgerError, read_ledger
from smelterkg.ingest.resolution.names import load_name_words
from smelterkg.ingest.resolution.training import read_pairs
from smelterkg.ingest.resolution.variants import country_parents
from smelterkg.ingest.vocabulary import LEGAL_FORMS_FILE, VOCABULARY_FILE, Vocabulary, VocabularyError

DATA = GAZETTEERS_DIR.parent
RENAME = {
    "kind": "rename", "metal": "Gold", "subject": "Cendres + Métaux SA", "subject_country": "CH",
    "object": "Cendres & Métaux", "object_country": "CH", "source": "https://example.org/x", "date": "2020-01-02",
}


def ledger_text(*rows: dict[str, str]) -> str:
    lines = [",".join(COLUMNS)]
    lines += [",".join(row.get(column, "") for column in COLUMNS) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- encodings --------------------------------------------------------------------------


def test_a_ledger_saved_by_excel_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    plain = read_ledger(write(tmp_path / "plain.csv", ledger_text(RENAME)))
    with_bom = read_ledger(write(tmp_path / "bom.csv", ledger_text(RENAME), "utf-8-sig"))
    assert [e.subject for e in with_bom] == ["Cendres + Métaux SA"]
    assert [(e.kind, e.object, e.date) for e in with_bom] == [(e.kind, e.object, e.date) for e in plain]


def test_a_cp1252_ledger_loads_with_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    other = {**RENAME, "subject": "A Gold", "object": "B Gold"}
    path = write(tmp_path / "windows.csv", ledger_text(other, RENAME), "cp1252")
    warnings: list[str] = []
    entries = read_ledger(path, warnings)
    assert [e.subject for e in entries] == ["A Gold", "Cendres + Métaux SA"]
    assert entries[1].object == "Cendres & Métaux"
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:3: ") and "cp1252" in warnings[0]


def test_a_file_neither_utf8_nor_cp1252_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(ledger_text(RENAME).encode() + b"rename,Gold,A\x81,,B,,,s,2020,\n")
    with pytest.raises(LedgerError, match=rf"^{path}:3: neither UTF-8 nor cp1252"):
        read_ledger(path)


# --- rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("2026-13-45", "is not a calendar date"),
        ("2023-02-30", "is not a calendar date"),
        ("2026-00", "is not a calendar date"),
        ("21/11/2026", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("20261121", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_an_impossible_date_is_rejected_naming_file_and_line(tmp_path: Path, date: str, reason: str) -> None:
    path = write(tmp_path / "ledger.csv", ledger_text({**RENAME, "subject": "A"}, {**RENAME, "date": date}))
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    assert str(caught.value).startswith(f"{path}:3: date {date!r} {reason}")


@pytest.mark.parametrize("date", ["2026", "2026-02", "2024-02-29"])
def test_a_year_a_month_or_a_day_is_a_date(tmp_path: Path, date: str) -> None:
    assert [e.date for e in read_ledger(write(tmp_path / "l.csv", ledger_text({**RENAME, "date": date})))] == [date]


def test_a_duplicated_row_is_rejected_naming_both_lines(tmp_path: Path) -> None:
    other = {**RENAME, "subject": "A Gold"}
    path = write(tmp_path / "ledger.csv", ledger_text(RENAME, other, {**RENAME, "note": "  "}))
    with pytest.raises(LedgerError, match=rf"^{path}:4: duplicates line 2 \(the same row\)$"):
        read_ledger(path)


def test_a_duplicated_key_is_rejected_even_when_other_columns_differ(tmp_path: Path) -> None:
    path = write(
        tmp_path / "compat.csv",
        "alpha2,within,source,date\nHK,CN,ISO 3166-2,2026-11-21\nMO,CN,ISO 3166-2,2026-11-21\nHK,GB,history,1997\n",
    )
    with pytest.raises(VocabularyError, match=rf"^{path}:4: duplicates line 2 \(the same alpha2\)$"):
        country_parents.__wrapped__(path)


def test_blank_rows_are_skipped_values_stripped_and_rows_know_their_line(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "name, note ,source,date,extra\n\n,,,,\n  a  ,x, s ,2020,ignored\n")
    table = read_table(path, ("name", "note", "source", "date"))
    assert [dict(row) for row in table] == [{"name": "a", "note": "x", "source": "s", "date": "2020"}]
    assert table.rows[0].line == 4 and table.rows[0].origin == f"{path}:4" and table.warnings == []


def test_a_header_without_a_required_column_names_line_one_and_the_expected_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "ledger.csv", "kind,metal,subject,object,source,date\n", "utf-8-sig")
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    assert str(caught.value) == (
        f"{path}:1: the header lacks subject_country, object_country, year, note (expected columns {','.join(COLUMNS)})"
    )


def test_an_unreadable_file_is_a_curated_table_error(tmp_path: Path) -> None:
    with pytest.raises(CuratedTableError) as caught:
        read_ledger(tmp_path / "none.csv")
    assert str(caught.value).startswith(f"{tmp_path / 'none.csv'}: cannot read the file (")


def test_the_ledger_and_the_gazetteers_raise_the_one_error_type() -> None:
    assert issubclass(LedgerError, CuratedTableError) and issubclass(VocabularyError, CuratedTableError)
    assert issubclass(CuratedTableError, ValueError)
    assert str(CuratedTableError("f.csv", "why", 3)) == "f.csv:3: why" and str(CuratedTableError("f.csv", "why")) == "f.csv: why"


# --- every curated file of data/, through its own loader --------------------------------

LOADERS: dict[Path, Callable[[Path], object]] = {
    VOCABULARY_FILE: lambda path: Vocabulary(vocabulary_file=path),
    LEGAL_FORMS_FILE: lambda path: Vocabulary(legal_forms_file=path),
    GAZETTEERS_DIR / "name_vocabulary.csv": load_name_words,
    GAZETTEERS_DIR / "country_aliases.csv": load_aliases,
    GAZETTEERS_DIR / "country_compatibility.csv": country_parents.__wrapped__,
    BUNDLED_LEDGER: read_ledger,
    RESOLUTION_DIR / "labelled_pairs.csv": read_pairs,
}
WITH_EVIDENCE = [path for path in LOADERS if path.parent != RESOLUTION_DIR]


def test_every_curated_file_of_data_has_a_loader() -> None:
    assert set(DATA.rglob("*.csv")) == set(LOADERS)
    assert LEDGER_DIR / "ledger.csv" in LOADERS


@pytest.mark.parametrize("path", sorted(LOADERS), ids=lambda p: p.name)
def test_each_bundled_curated_file_loads_through_the_one_loader(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each loader reads its file through read_table (so under its rules), and no bundled file
    needs the cp1252 fallback (its warning would print on every build)."""
    from smelterkg.ingest import curated

    tables: dict[Path, curated.CuratedTable] = {}

    def spy(table_path: Path, *args, **kwargs):
        tables[Path(table_path)] = table = real(table_path, *args, **kwargs)
        return table

    real = curated.read_table
    for module in _loader_modules():
        monkeypatch.setattr(module, "read_table", spy)
    assert LOADERS[path](path)
    assert tables[path].rows and tables[path].warnings == []


def _loader_modules() -> list[object]:
    from smelterkg.ingest import countries, vocabulary
    from smelterkg.ingest.resolution import ledger, names, training, variants

    return [countries, vocabulary, ledger, names, training, variants]


@pytest.mark.parametrize("path", WITH_EVIDENCE, ids=lambda p: p.name)
def test_a_row_without_its_source_is_rejected_with_the_one_evidence_rule(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("source")] = ""
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(CuratedTableError) as caught:
        LOADERS[path](copy)
    assert str(caught.value) == f"{copy}:2: no evidence: empty 'source' ({EVIDENCE_RULE})"


# --- the build ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((RENAME, {**RENAME, "date": "2026-13-45"}), ":3: date '2026-13-45' is not a calendar date"),
        ((RENAME, RENAME), ":3: duplicates line 2"),
    ],
)
def test_build_with_a_bad_ledger_names_file_and_line_in_one_line(tmp_path, capsys, rows, message) -> None:
    """(That the previous store is then kept is tested in test_resolution_cli.py.)"""
    bad = write(tmp_path / "bad.csv", ledger_text(*rows))
    store = tmp_path / "store"
    assert main(["build", "--store", str(store), "--ledger", str(bad)]) == 1
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and f"{bad}{message}" in err and "Traceback" not in err
    assert not store.exists()
