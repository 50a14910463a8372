"""Hypothesis over every curated-table loader: given a damaged copy of its bundled table, a loader
either loads what the file says or raises the one curated-table error (``CuratedTableError``;
``LedgerError`` and ``VocabularyError`` are the same class) whose one-line message starts with the
file's name (and ``file:line:`` where the problem has a line). Never another exception type, and
never a silent wrong load:

* a row with an empty evidence column (source, date) does not load;
* a date is ASCII YYYY, YYYY-MM or YYYY-MM-DD (``٢٠٢٠`` or ``２０２０`` are not dates);
* a file that strict CSV cannot read (a quote left open swallowing the rows after it), a NUL, or a
  header naming one of the table's columns twice is an error, not a load of fewer or other rows;
* a loader that returns one item per row returns one per non-blank row of the file.

The damage: random bytes, cp1252, BOMs (UTF-8, UTF-16), missing, extra and duplicated header
columns, emptied evidence and dates, odd dates and years, NULs, quotes left open, CRLF and lone CR
line ends, a field of 200 000 characters, junk unicode cells, duplicated rows. Each damaged table is
the header and a few rows of the real one, so the meaning checks of its module run too.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smelterkg.ingest.countries import _ALIAS_COLUMNS, ALIASES_PATH, load_aliases
from smelterkg.ingest.curated import EVIDENCE, CuratedTableError, read_table
from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, COLUMNS, read_ledger
from smelterkg.ingest.resolution.names import NAME_VOCABULARY_COLUMNS, NAME_VOCABULARY_FILE, load_name_words
from smelterkg.ingest.resolution.training import PAIR_COLUMNS, PAIRS_FILE, read_pairs
from smelterkg.ingest.resolution.variants import COUNTRY_COMPATIBILITY_COLUMNS, COUNTRY_COMPATIBILITY_FILE, country_parents
from smelterkg.ingest.vocabulary import (
    LEGAL_FORM_COLUMNS, LEGAL_FORMS_FILE, VOCABULARY_COLUMNS, VOCABULARY_FILE, Vocabulary,
)  # fmt: skip

BUDGET = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ASCII_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


@dataclass(frozen=True)
class Loader:
    """One curated table: its bundled file, its columns, the loader, and whether the loader gives
    one item per row (then the count is checked)."""

    bundled: Path
    columns: tuple[str, ...]
    load: Callable[[Path], object]
    per_row: bool
    evidence: bool = True


LOADERS = {
    "ledger": Loader(BUNDLED_LEDGER, COLUMNS, lambda p: read_ledger(p, []), per_row=True),
    "country_aliases": Loader(ALIASES_PATH, _ALIAS_COLUMNS, load_aliases, per_row=True),
    "country_compatibility": Loader(COUNTRY_COMPATIBILITY_FILE, COUNTRY_COMPATIBILITY_COLUMNS, country_parents.__wrapped__, per_row=True),
    "name_vocabulary": Loader(NAME_VOCABULARY_FILE, NAME_VOCABULARY_COLUMNS, load_name_words, per_row=False),
    "table_vocabulary": Loader(VOCABULARY_FILE, VOCABULARY_COLUMNS, lambda p: Vocabulary(p, LEGAL_FORMS_FILE), per_row=False),
    "legal_forms": Loader(LEGAL_FORMS_FILE, LEGAL_FORM_COLUMNS, lambda p: Vocabulary(VOCABULARY_FILE, p), per_row=False),
    "labelled_pairs": Loader(PAIRS_FILE, PAIR_COLUMNS, read_pairs, per_row=True, evidence=False),
}  # fmt: skip

ODD_DATES = ("", "2026-13-45", "٢٠٢٠", "２０２０-０１", "2020-1-1", "20201", "0000", "2020-02-30", "2020\n", " 2019 ")
ODD_YEARS = ("", "²", "٢٠١٥", "-1", "1e3", "2015.0", "99999999999999999999")
junk = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


def quoted(value: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([value])
    return out.getvalue()


def base_rows(loader: Loader) -> list[list[str]]:
    """The real table as rows of raw (CSV-quoted) cells: header first."""
    text = loader.bundled.read_text(encoding="utf-8-sig")
    return [[quoted(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline="")) if row]


@st.composite
def damaged(draw: st.DrawFn, name: str) -> bytes:
    """The header and a few rows of the bundled table, damaged."""
    loader = LOADERS[name]
    rows = base_rows(loader)
    header, body = rows[0], rows[1:]
    picked = draw(st.lists(st.integers(0, len(body) - 1), min_size=0, max_size=5, unique=True))
    rows = [list(header)] + [list(body[i]) for i in sorted(picked)]
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(("empty", "junk", "raw", "drop-col", "extra-col", "dup-col", "dup-row", "nul",
                                    "open-quote", "huge", "date", "year")))  # fmt: skip
        r = draw(st.integers(1, len(rows) - 1)) if len(rows) > 1 else 0
        c = draw(st.integers(0, len(rows[r]) - 1)) if rows[r] else 0
        if op == "empty" and rows[r]:
            rows[r][c] = ""
        elif op == "junk" and rows[r]:
            rows[r][c] = quoted(draw(junk))
        elif op == "raw" and rows[r]:
            rows[r][c] = draw(junk)  # unquoted: commas, quotes and line breaks break the row
        elif op == "drop-col" and header:
            del rows[0][draw(st.integers(0, len(rows[0]) - 1))]
        elif op == "extra-col":
            for row in rows:
                row.append("extra")
        elif op == "dup-col" and len(rows[0]) > 1:
            i, j = draw(st.integers(0, len(rows[0]) - 1)), draw(st.integers(0, len(rows[0]) - 1))
            rows[0][j] = rows[0][i]
        elif op == "dup-row" and len(rows) > 1:
            rows.append(list(rows[r]))
        elif op == "nul" and rows[r]:
            rows[r][c] = rows[r][c] + "\x00"
        elif op == "open-quote" and rows[r]:
            rows[r][c] = '"' + rows[r][c].strip('"')
        elif op == "huge" and rows[r]:
            rows[r][c] = "x" * 200_000
        elif op in ("date", "year") and len(rows) > 1:
            column = "date" if op == "date" else "year"
            if column in header:
                row = rows[r]
                at = header.index(column)
                if at < len(row):
                    row[at] = quoted(draw(st.sampled_from(ODD_DATES if op == "date" else ODD_YEARS)))
    ending = draw(st.sampled_from(("\n", "\r\n", "\r")))
    text = ending.join(",".join(row) for row in rows) + draw(st.sampled_from((ending, "")))
    encoding = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16")))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=200))  # random bytes, sometimes after the real header
        if draw(st.booleans()):
            data = ",".join(header).encode() + b"\n" + data
    return data


def decoded(data: bytes) -> str | None:
    """The text as curated.py promises to decode it: UTF-8 with or without BOM, else cp1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def strict_records(data: bytes) -> list[list[str]] | None:
    """The records of the file as strict CSV reads them, header first; None when strict CSV
    cannot read it or it holds a NUL (then the loader must refuse it)."""
    text = decoded(data)
    if text is None or "\x00" in text:
        return None
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None


def body(records: list[list[str]]) -> list[list[str]]:
    """The non-blank records after the header."""
    return [r for r in records[1:] if any(cell.strip() for cell in r)]


def check_loader(name: str, data: bytes, loader: Loader | None = None) -> None:
    """Load ``data`` as table ``name``: the one error with the file (and line) in its message, or
    a load that agrees with the file."""
    loader = loader or LOADERS[name]
    with tempfile.TemporaryDirectory(prefix="A-loaders-") as scratch:
        path = Path(scratch) / f"{name}.csv"
        path.write_bytes(data)
        try:
            result = loader.load(path)
        except CuratedTableError as problem:
            message = str(problem)
            assert message.startswith(f"{path}:"), f"{name}: the message does not name the file: {message!r}"
            assert "\n" not in message and "\r" not in message, f"{name}: not one line: {message!r}"
            assert problem.line is None or message.startswith(f"{path}:{problem.line}: ")
            return
    # it loaded: check that what it loaded is what the file says
    read = strict_records(data)
    assert read is not None, f"{name}: loaded a file strict CSV cannot read (or holding a NUL): {data[:300]!r}"
    header, records = [cell.strip() for cell in read[0]] if read else [], body(read)
    doubled = [c for c in loader.columns if header.count(c) > 1]
    assert not doubled, f"{name}: loaded a header naming {doubled} twice"
    if loader.evidence:
        at = {c: header.index(c) for c in EVIDENCE if c in header}
        for record in records:
            for column, i in at.items():
                value = record[i].strip() if i < len(record) else ""
                assert value, f"{name}: a row with empty {column!r} loaded: {record!r}"
                if column == "date":
                    assert ASCII_DATE.match(value), f"{name}: date {value!r} loaded"
    if loader.per_row:
        assert len(result) == len(records), f"{name}: {len(records)} rows in the file, {len(result)} loaded"  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_the_bundled_tables_load_and_pass_the_checks(name: str) -> None:
    check_loader(name, LOADERS[name].bundled.read_bytes())


@BUDGET
@given(st.sampled_from(sorted(LOADERS)).flatmap(lambda name: st.tuples(st.just(name), damaged(name))))
@example(("ledger", b"kind,metal,subject,subject_country,object,object_country,year,source,date,note\n"
          b"rename,Gold,A,US,B,US,2015,https://example.org," + "٢٠١٥-٠١-٠١".encode() + b",\n"))
@example(("ledger", b"kind,metal,subject,subject_country,object,object_country,year,source,date,note\n"
          b"rename,Gold,A,US,B,US," + "²".encode() + b",https://example.org,2015,\n"))
@example(("labelled_pairs", b"metal,name_l,country_l,name_r,country_r,label,note\n"
          b'Gold,A,ZA,B,ZW,different,"oops\nGold,C,ZA,D,ZW,different,\n'))
@example(("country_compatibility", b"alpha2,within,source,date\nHK,CN,s,2020,\"" + b"x" * 200_000 + b'"\n'))
@example(("country_compatibility", b"alpha2,within,source,date\nHK,CN,s\x00,2020\n"))
@example(("country_aliases", b"alias,alpha2,source,date,date\nKorea,KR,the source,2020,2026-13-45\n"))
def test_a_damaged_table_loads_or_raises_the_one_error(case: tuple[str, bytes]) -> None:
    check_loader(*case)


@BUDGET
@given(st.binary(max_size=400), st.sampled_from([(EVIDENCE, ("date",)), (None, ())]))
def test_read_table_on_random_bytes(data: bytes, rules: tuple) -> None:
    """read_table itself, on any bytes: the one error, or rows that keep the rules."""
    evidence, dates = rules
    with tempfile.TemporaryDirectory(prefix="A-loaders-") as scratch:
        path = Path(scratch) / "t.csv"
        path.write_bytes(data)
        try:
            table = read_table(path, ("a", *EVIDENCE), required=(), evidence=evidence, dates=dates)
        except CuratedTableError as problem:
            assert str(problem).startswith(f"{path}:") and "\n" not in str(problem)
            return
    read = strict_records(data)
    assert read is not None, f"loaded what strict CSV cannot read: {data!r}"
    assert len(table) == len(body(read))
    for row in table:
        assert "\x00" not in "".join(row.values())
        if evidence:
            assert row["source"] and ASCII_DATE.match(row["date"])


def test_the_checks_catch_a_wrong_load() -> None:
    """check_loader can fail: a swallowed row or an empty evidence column is caught."""
    swallowed = b'metal,name_l,country_l,name_r,country_r,label,note\nGold,A,ZA,B,ZW,different,ok\n'
    check_loader("labelled_pairs", swallowed)
    loses_rows = Loader(PAIRS_FILE, PAIR_COLUMNS, lambda p: [], per_row=True, evidence=False)
    with pytest.raises(AssertionError, match="1 rows in the file, 0 loaded"):
        check_loader("labelled_pairs", swallowed, loses_rows)
    keeps_empty_evidence = Loader(ALIASES_PATH, _ALIAS_COLUMNS, lambda p: [{}], per_row=True)
    with pytest.raises(AssertionError, match="empty 'source'"):
        check_loader("country_aliases", b"alias,alpha2,source,date\nKorea,KR,,2020\n", keeps_empty_evidence)
