"""RMI reference lists in resolution (issue 12, item 3): a look-up alias or standard name attaches
a mention to its smelter ID; the same ID is one facility, two IDs never are; the facility's IRI is
minted from its ID; without reference lists nothing changes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from smelterkg.ingest.cmrt.models import ReferenceFacility, ReferenceList
from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.resolution import resolve_reports
from smelterkg.ingest.resolution.reference import ReferenceIndex, name_changes, removals
from smelterkg.ontology.iris import facility_iri

BUNDLED_DIR = Path(__file__).parents[3] / "data" / "reports"
SHARED_RMI = Path(__file__).parents[4] / "shared" / "reference" / "rmi"
LOOKUPS = ("RMI_CMRT_6.01.xlsx", "RMI_CMRT_6.22.xlsx", "RMI_CMRT_6.5.xlsx")


def _facility(cid: str, metal: str, name: str, *aliases: str, country: str = "JP") -> ReferenceFacility:
    return ReferenceFacility(cid, metal, name, (name, *aliases), country, country, "", "", "RMI", ())


def _list(release: str, when: date, *facilities: ReferenceFacility) -> ReferenceList:
    return ReferenceList(f"cmrt-{release}.xlsx", f"sha-{release}", release, None, when, "Smelter Look-up", facilities, ())


YAMAKIN = _facility("CID002100", "Gold", "Yamakin Co., Ltd.", "Yamamoto Precious Metal Co., Ltd.")
LOOKUP = _list("6.5", date(2025, 3, 5), YAMAKIN, _facility("CID000001", "Gold", "Dowa Metals & Mining Co., Ltd."))


def _row(name: str, year: int, metal: str = "Gold", country: str = "JP", cid: str = "") -> tuple[int, list[MentionRow]]:
    row = MentionRow("r.txt", 1, (1,), year, metal, name, "", "", country_code=country, smelter_id=cid)
    return year, [row]


def _facility_names(resolution) -> list[list[str]]:
    return sorted(sorted(n.text for n in f.names) for f in resolution.facilities)


def test_a_look_up_alias_joins_the_old_name_to_its_smelter_id() -> None:
    reports = [_row("Yamamoto Precious Metal Co., Ltd.", 2013), _row("Yamakin Co., Ltd.", 2022)]
    assert len(resolve_reports(reports).facilities) == 2  # no score joins these two names
    resolution = resolve_reports(reports, reference=ReferenceIndex([LOOKUP]))
    assert _facility_names(resolution) == [["Yamakin Co., Ltd.", "Yamamoto Precious Metal Co., Ltd."]]
    facility = resolution.facilities[0]
    assert facility.smelter_ids == ("CID002100",)
    reasons = [d.reason for d in resolution.decisions if d.layer == "reference"]
    assert reasons and "'Yamamoto Precious Metal Co., Ltd.' is a look-up alias of CID002100 in RMI CMRT 6.5 (smelter list 2025-03-05)" in reasons[0]


def test_two_smelter_ids_are_never_one_facility_even_when_the_names_score_alike() -> None:
    reports = [_row("Dowa Metals & Mining Co., Ltd.", 2017), _row("Dowa", 2019)]
    assert len(resolve_reports(reports).facilities) == 1  # the scorer joins a name to its short form
    printed = [_row("Dowa Metals & Mining Co., Ltd.", 2017, cid="CID000001"), _row("Dowa", 2019, cid="CID009999")]
    resolution = resolve_reports(printed)
    assert len(resolution.facilities) == 2
    assert any("different smelter IDs CID000001 / CID009999" in item.reason for item in resolution.review)


def test_a_name_two_smelter_ids_share_settles_nothing() -> None:
    shared = _list("6.5", date(2025, 3, 5), _facility("CID000100", "Tin", "PT Alpha", "PT Bersama"), _facility("CID000200", "Tin", "PT Beta", "PT Bersama"))
    index = ReferenceIndex([shared])
    resolution = resolve_reports([_row("PT Bersama", 2019, "Tin", "JP")], reference=index)
    assert resolution.facilities[0].smelter_ids == ()


def test_a_one_letter_slip_anchors_to_the_reference_name_but_plant_numbers_do_not() -> None:
    lookup = _list("6.5", date(2025, 3, 5), _facility("CID000769", "Tungsten", "Hunan Chunchang Nonferrous Metals Co., Ltd.", "Human Chun-Chang non-ferrous Smelting & Concentrating Co., Ltd.", country="CN"),
                   _facility("CID000300", "Gold", "Example Refining Plant 1", country="CN"))  # fmt: skip
    index = ReferenceIndex([lookup])
    slip = resolve_reports([_row("Hunan Chun-Chang Nonferrous Smelting & Concentrating Co., Ltd.", 2017, "Tungsten", "CN")], reference=index)
    assert slip.facilities[0].smelter_ids == ("CID000769",)
    assert "one letter from" in slip.decisions[0].reason or slip.facilities[0].smelter_ids == ("CID000769",)
    plant = resolve_reports([_row("Example Refining Plant 2", 2017, "Gold", "CN")], reference=index)
    assert plant.facilities[0].smelter_ids == ()


def test_a_facility_with_one_smelter_id_is_named_by_it_and_keeps_its_iri_when_reports_are_added() -> None:
    index = ReferenceIndex([LOOKUP])
    first = resolve_reports([_row("Yamakin Co., Ltd.", 2022)], reference=index)
    later = resolve_reports([_row("Yamamoto Precious Metal Co., Ltd.", 2013), _row("Yamakin Co., Ltd.", 2022)], reference=index)
    iri = facility_iri("Gold", first.facilities[0].key.id, "CID002100")
    assert iri.endswith("/facility/gold/cid002100")
    assert iri == facility_iri("Gold", later.facilities[0].key.id, later.facilities[0].smelter_ids[0])
    assert first.facilities[0].key.id != later.facilities[0].key.id  # named after another key: the CID keeps the IRI


def test_releases_are_compared_by_list_date_for_renames_and_removals() -> None:
    old = _list("6.01", date(2020, 3, 3), _facility("CID000769", "Tungsten", "Hunan Chunchang Nonferrous Metals Co., Ltd."), _facility("CID000555", "Tin", "Gone Smelter"))
    new = _list("6.5", date(2025, 3, 5), _facility("CID000769", "Tungsten", "Hunan Jintai New Material Co., Ltd.", "Hunan Chunchang Nonferrous Metals Co., Ltd."))
    index = ReferenceIndex([new, old, new])  # order given and duplicate copies do not matter
    assert [(c.cid, c.old_name, c.new_name, c.before.release, c.after.release) for c in name_changes(index)] == [
        ("CID000769", "Hunan Chunchang Nonferrous Metals Co., Ltd.", "Hunan Jintai New Material Co., Ltd.", "6.01", "6.5")
    ]
    assert [(r.cid, r.last_listed.release, r.removed_in.release) for r in removals(index)] == [("CID000555", "6.01", "6.5")]


@pytest.fixture(scope="module")
def shared_lookups() -> list[Path]:
    paths = [SHARED_RMI / name for name in LOOKUPS]
    if not all(p.exists() for p in paths):
        pytest.skip(f"the RMI CMRT templates are not in {SHARED_RMI} (../shared/ is absent)")
    return paths


def test_the_shared_look_ups_settle_the_bundled_renames(shared_lookups: list[Path], tmp_path: Path) -> None:
    from smelterkg.ingest.cmrt import read_lookup
    from smelterkg.ingest.parse import parse_file
    from smelterkg.data import bundled_reports
    from smelterkg.ingest.resolution.evaluation import facility_assignment, pairwise, read_assignment
    from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER, read_ledger

    reports = [parse_file(p) for p in bundled_reports()]
    rows = [(r.facts.year, r.rows) for r in reports]
    gold = read_assignment(Path(__file__).parents[2] / "data" / "resolution" / "gold_variants.csv")
    # the bundled ledger cites these very look-ups for some pairs: without those rows, the
    # look-ups alone must settle them
    ledger = [entry for entry in read_ledger(BUNDLED_LEDGER) if "Smelter Look-up" not in entry.source]
    without = pairwise(facility_assignment(resolve_reports(rows, ledger), rows), gold)
    resolution = resolve_reports(rows, ledger, reference=ReferenceIndex([read_lookup(p) for p in shared_lookups]))
    score = pairwise(facility_assignment(resolution, rows), gold)
    assert score.recall >= without.recall + 0.1 and score.precision >= 0.99 and score.f1 >= 0.99, score.summary()
    names = {n.text for f in resolution.facilities for n in f.names}
    by_name = {n.text: f for f in resolution.facilities for n in f.names}
    assert "Yamakin Co., Ltd." in names
    assert {"Yamamoto Precious Metal Co., Ltd.", "Yamakin Co., Ltd."} <= {n.text for n in by_name["Yamakin Co., Ltd."].names}
    assert "Heraeus Ltd. Hong Kong" in {n.text for n in by_name["Heraeus Metals Hong Kong Ltd."].names}


def test_build_with_a_reference_and_a_broken_workbook_names_it_once_and_goes_on(shared_lookups: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 40)  # a truncated workbook
    store = tmp_path / "store"
    done = subprocess.run(
        [sys.executable, "-m", "smelterkg", "build", "--store", str(store), "--reference", str(shared_lookups[-1]), str(bad), str(BUNDLED_DIR)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len([line for line in done.stderr.splitlines() if "notes.xlsx" in line]) == 1
    assert "reference: RMI CMRT 6.5 (smelter list 2025-03-05), 349 smelter IDs" in done.stderr
    chain = subprocess.run([sys.executable, "-m", "smelterkg", "chain", "--store", str(store), "Yamakin Co., Ltd."], capture_output=True, text=True, timeout=300)
    assert chain.returncode == 0, chain.stderr
    assert "Yamamoto Precious Metal" in chain.stdout


def test_a_standard_name_changed_between_releases_is_a_dated_rename_citing_both_lists() -> None:
    old = _list("6.01", date(2020, 3, 3), _facility("CID000769", "Tungsten", "Hunan Chunchang Nonferrous Metals Co., Ltd.", country="CN"))
    new = _list("6.5", date(2025, 3, 5), _facility("CID000769", "Tungsten", "Hunan Jintai New Material Co., Ltd.", "Hunan Chunchang Nonferrous Metals Co., Ltd.", country="CN"))
    resolution = resolve_reports([_row("Hunan Chunchang Nonferrous Metals Co., Ltd.", 2019, "Tungsten", "CN")], reference=ReferenceIndex([old, new]))
    [event] = resolution.events
    assert (event.kind, event.old_name, event.new_name, event.not_before, event.not_after) == (
        "rename", "Hunan Chunchang Nonferrous Metals Co., Ltd.", "Hunan Jintai New Material Co., Ltd.", 2020, 2025,
    )  # fmt: skip
    assert "RMI CMRT 6.01 (smelter list 2020-03-03) and RMI CMRT 6.5 (smelter list 2025-03-05)" in event.evidence[0].source
    assert event.evidence[0] in resolution.ledger  # written with the ledger's entries, so the event's evidence resolves
    assert resolve_reports([_row("Hunan Chunchang Nonferrous Metals Co., Ltd.", 2019, "Tungsten", "CN")]).events == []


def test_a_reference_file_that_is_neither_a_cmrt_nor_a_facility_list_is_one_error(tmp_path: Path) -> None:
    from smelterkg import pipeline

    bad = tmp_path / "minutes.csv"
    bad.write_text("Meeting,Date\nKick-off,2024-01-01\n", encoding="utf-8")
    lists, facility_lists, errors = pipeline.read_references([bad])
    assert lists == [] and facility_lists == [] and len(errors) == 1
    assert str(errors[0]).startswith(f"{bad}: neither a CMRT (") and "nor an RMI facility list (" in str(errors[0])


def test_a_name_printed_under_several_smelter_ids_never_makes_them_one_facility() -> None:
    # CFSI's 2014 list prints "China Minmetals Non-ferrous Metals Holding Co., Ltd" under three IDs, one of them Ganzhou Huaxing's
    group_level = "China Minmetals Non-ferrous Metals Holding Co., Ltd"
    year, rows = 2014, []
    for cid in ("CID002236", "CID000875", "CID002321"):
        rows += _row(group_level, year, "Tungsten", "CN", cid)[1]
    rows += _row("Ganzhou Huaxing Tungsten Products Co., Ltd.", year, "Tungsten", "CN", "CID000875")[1]
    resolution = resolve_reports([(year, rows)])
    assert sorted(f.smelter_ids for f in resolution.facilities) == [("CID000875",), ("CID002236",), ("CID002321",)]
    ganzhou = next(f for f in resolution.facilities if f.smelter_ids == ("CID000875",))
    assert {n.text for n in ganzhou.names} == {group_level, "Ganzhou Huaxing Tungsten Products Co., Ltd."}
    assert len({d.group.id for d in resolution.decisions}) == len(resolution.decisions)  # one IRI per decision
