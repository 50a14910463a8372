"""RMI smelter IDs in the outputs (issue 12, item 4): `export mentions` gives the ID a row printed
and the ID of the facility it resolved to; `facility`, `chain` and `explain` show the facility's
ID and what the reference lists say of it. Without reference lists they print what they printed
before.

The store is built from two invented text reports (tests/data/reference-reports/) with the
invented look-ups of tests/data/cmrt/ (release 6.31, list date 2023-03-20, and release 5.12, list
date 2019-02-27) as reference lists; a last test uses RMI's own look-ups from ../shared/ when they
are there.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from smelterkg import pipeline
from smelterkg.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
REPORTS = sorted((DATA / "reference-reports").glob("*.txt"))
LOOKUPS = [DATA / "cmrt" / "cmrt_en.xlsx", DATA / "cmrt" / "cmrt_old_layout.xlsx"]
SHARED_RMI = Path("/work/shared/reference/rmi")
SHARED_LOOKUPS = [SHARED_RMI / f"RMI_CMRT_{release}.xlsx" for release in ("6.01", "6.22", "6.5")]
KITAKIN_LISTS = "RMI CMRT 5.12 (2019-02-27), 6.31 (2023-03-20)"


def _build(target: Path, paths, references, tmp: Path) -> Path:
    result = pipeline.build(paths, target, progress=None, user_ledger=tmp / "no-ledger.csv", references=references)
    assert result.reports and not result.errors
    return target


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("reference-outputs")
    return str(_build(tmp / "store", REPORTS, LOOKUPS, tmp))


@pytest.fixture(scope="module")
def plain_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The same reports built without reference lists."""
    tmp = tmp_path_factory.mktemp("reference-outputs-plain")
    return str(_build(tmp / "store", REPORTS, [], tmp))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _mentions(capsys, store: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_run(capsys, "export", "mentions", "--store", store))))


# ---------------------------------------------------------------- export mentions


def test_mentions_give_the_printed_id_and_the_facility_id(store: str, capsys) -> None:
    rows = {(r["source"][8:12], r["name"]): (r["smelter_id"], r["facility_smelter_id"]) for r in _mentions(capsys, store)}
    assert rows == {
        # printed with its ID
        ("2021", "Kitami Precious Metal Co., Ltd."): ("CID900002", "CID900002"),
        # look-up aliases and standard names printed without an ID: the facility's ID from the list
        ("2021", "Aurora Refinery"): ("", "CID900001"),
        ("2021", "Bukit Contoh Kundur"): ("", "CID900020"),
        ("2023", "Kitakin Co., Ltd."): ("", "CID900002"),
        ("2023", "Aurora Bullion Refining AG"): ("", "CID900001"),
        ("2023", "PT Bukit Contoh Tbk"): ("", "CID900020"),
        # in no list: no ID
        ("2021", "Pulau Contoh Smelting"): ("", ""),
        ("2023", "Pulau Contoh Smelting"): ("", ""),
    }


def test_mentions_keep_the_earlier_columns_in_place(store: str, capsys) -> None:
    header = _run(capsys, "export", "mentions", "--store", store).splitlines()[0]
    assert header == (
        "source,line,year,metal,name,country,status,facility,facility_name,resolved_by,locator,"
        "smelter_id,facility_smelter_id"
    )


def test_mentions_without_reference_keep_the_printed_id_only(plain_store: str, capsys) -> None:
    rows = [(r["name"], r["smelter_id"], r["facility_smelter_id"]) for r in _mentions(capsys, plain_store)]
    assert len(rows) == 8
    # the printed ID is the facility's ID, also on the row that did not print it (the scorer joined
    # the two names); names only a reference list knows get none
    assert [row for row in rows if row[1] or row[2]] == [
        ("Kitami Precious Metal Co., Ltd.", "CID900002", "CID900002"), ("Kitakin Co., Ltd.", "", "CID900002"),
    ]


# ---------------------------------------------------------------- facility


def test_facility_shows_its_id_and_what_the_lists_say(store: str, capsys) -> None:
    out = _run(capsys, "facility", "Kitami Precious Metal Co., Ltd.", "--store", store)
    lines = out.splitlines()
    assert lines[:5] == [
        "Kitakin Co., Ltd.  [Gold]",
        "  IRI: https://w3id.org/smelterkg/id/facility/gold/cid900002",
        "  country: JP",
        "  RMI smelter ID: CID900002 (Kitami, Hokkaido)",
        f"  reference lists: CID900002 'Kitakin Co., Ltd.' (Kitami, Hokkaido, JP) in {KITAKIN_LISTS}",
    ]


def test_facility_json_holds_the_reference(store: str, capsys) -> None:
    (card,) = json.loads(_run(capsys, "facility", "Aurora Refinery", "--format", "json", "--store", store))
    reference = card["reference"]
    assert reference["smelter_ids"] == ["CID900001"]
    assert (reference["city"], reference["state_province"]) == ("Mendrisio", "Ticino")
    (statement,) = reference["statements"]
    assert statement["standard_name"] == "Aurora Bullion Refining AG"
    assert [(x["release"], x["list_date"], x["file_name"]) for x in statement["lists"]] == [
        ("5.12", "2019-02-27", "cmrt_old_layout.xlsx"), ("6.31", "2023-03-20", "cmrt_en.xlsx"),
    ]


def test_a_facility_is_found_by_its_smelter_id(store: str, capsys) -> None:
    assert _run(capsys, "facility", "cid900020", "--store", store).splitlines()[0] == "PT Bukit Contoh Tbk  [Tin]"


def test_facility_card_gains_reference_lines_only_where_a_list_or_id_gives_them(
    store: str, plain_store: str, capsys
) -> None:
    with_lists = _run(capsys, "facility", "Aurora Bullion Refining AG", "--store", store)
    without = _run(capsys, "facility", "Aurora Bullion Refining AG", "--store", plain_store)
    assert "RMI smelter ID: CID900001" in with_lists
    assert "RMI" not in without and "reference" not in without
    assert without.splitlines()[2:4] == ["  country: CH", "  names:"]
    # a facility no list knows: the same card with or without reference lists
    pulau = [_run(capsys, "facility", "Pulau Contoh Smelting", "--store", s) for s in (store, plain_store)]
    assert pulau[0] == pulau[1] and "RMI" not in pulau[0]


# ---------------------------------------------------------------- chain


def test_chain_text_shows_the_id_under_the_facility(store: str, plain_store: str, capsys) -> None:
    lines = _run(capsys, "chain", "Kitakin Co., Ltd.", "--store", store).splitlines()
    assert lines[2:6] == [
        "Kitakin Co., Ltd. [Gold, JP]  listed 2021–2023   <- the name asked",
        "    RMI smelter ID: CID900002 (Kitami, Hokkaido)",
        f"    reference lists: CID900002 'Kitakin Co., Ltd.' (Kitami, Hokkaido, JP) in {KITAKIN_LISTS}",
        "    2021  Kitami Precious Metal Co., Ltd.  Conformant      "
        "[example-2021.txt line 11 'Conformant', EXAMPLE METALS, INC.]",
    ]
    assert "RMI" not in _run(capsys, "chain", "Aurora Bullion Refining AG", "--store", plain_store)
    assert "RMI" not in _run(capsys, "chain", "Pulau Contoh Smelting", "--store", store)


# ---------------------------------------------------------------- explain


def test_explain_names_the_ids_and_the_lists_giving_each_name(store: str, capsys) -> None:
    out = _run(capsys, "explain", "Aurora Refinery", "Aurora Bullion Refining AG", "--store", store)
    lines = out.splitlines()
    assert lines[0] == "Gold: the SAME facility in the built graph"
    block = lines[lines.index("reference (RMI smelter IDs):") + 1 : lines.index("why (the build's decisions):")]
    assert block == [
        "  Aurora Bullion Refining AG:",
        "    RMI smelter ID: CID900001 (Mendrisio, Ticino)",
        "    reference lists: CID900001 'Aurora Bullion Refining AG' (Mendrisio, Ticino, CH) in "
        "RMI CMRT 5.12 (2019-02-27), 6.31 (2023-03-20)",
        "  'Aurora Refinery' is a look-up name of CID900001 in RMI CMRT 5.12 (2019-02-27), 6.31 (2023-03-20)",
        "  'Aurora Bullion Refining AG' is the standard name of CID900001 in RMI CMRT 5.12 (2019-02-27), "
        "6.31 (2023-03-20)",
    ]


def test_explain_two_ids_says_they_are_kept_apart(store: str, capsys) -> None:
    out = _run(capsys, "explain", "Kitakin Co., Ltd.", "Aurora Refinery", "--store", store)
    assert out.splitlines()[0] == "Gold: DIFFERENT facilities in the built graph"
    assert (
        "  different RMI smelter IDs (CID900002 / CID900001): the identifier layer never makes them one facility"
        in out.splitlines()
    )


def test_explain_shows_the_reference_block_only_with_ids(store: str, plain_store: str, capsys) -> None:
    names = ("Pulau Contoh Smelting", "Bukit Contoh Kundur")
    with_lists = _run(capsys, "explain", *names, "--store", store).splitlines()
    assert with_lists[3:6] == [
        "reference (RMI smelter IDs):",
        "  Pulau Contoh Smelting: no RMI smelter ID",
        "  PT Bukit Contoh Tbk:",
    ]
    without = _run(capsys, "explain", *names, "--store", plain_store)
    assert "reference" not in without and "RMI" not in without


# ---------------------------------------------------------------- RMI's own look-ups


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    missing = [str(p) for p in SHARED_LOOKUPS if not p.is_file()]
    if missing:
        pytest.skip(f"RMI's CMRT look-ups are not on this machine ({', '.join(missing)})")
    tmp = tmp_path_factory.mktemp("shared-reference")
    return str(_build(tmp / "store", [], SHARED_LOOKUPS, tmp))


def test_a_standard_name_changed_between_releases_reads_as_two_statements(shared_store: str, capsys) -> None:
    out = _run(capsys, "facility", "Tony Goetz NV", "--store", shared_store)
    assert (
        "  reference lists:\n"
        "    CID002587 'Tony Goetz NV' (Antwerp, Antwerpen, BE) in RMI CMRT 6.01 (2020-03-03)\n"
        "    CID002587 'Industrial Refining Company' (Antwerp, Antwerpen, BE) in RMI CMRT 6.22 (2022-02-24), "
        "6.5 (2025-03-05)\n"
    ) in out


def test_chain_of_yamakin_shows_its_old_name_and_id(shared_store: str, capsys) -> None:
    out = _run(capsys, "chain", "Yamakin Co., Ltd.", "--store", shared_store)
    assert "    RMI smelter ID: CID002100 (Konan, Kochi)" in out.splitlines()
    assert "Yamamoto Precious Metal Co., Ltd." in out


def test_an_id_a_later_release_drops_is_shown_removed(shared_store: str, capsys) -> None:
    lines = _run(capsys, "facility", "CID001977", "--store", shared_store).splitlines()
    assert lines[3:6] == [
        "  RMI smelter ID: CID001977 (Guarulhos, São Paulo)",
        "  reference lists: CID001977 'Umicore Brasil Ltda.' (Guarulhos, São Paulo, BR) in RMI CMRT 6.01 (2020-03-03)",
        "  removed: not in RMI CMRT 6.22 (2022-02-24), a later list",
    ]
