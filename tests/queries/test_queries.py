"""The saved queries (queries/*.rq) and ``smelterkg query``.

Every saved query runs with its defaults on the bundled store, and its answer is checked against
values read off the bundled reports (line numbers and cells quoted in the comments come from
``data/reports/*.txt``). Then: header parsing, parameter binding, result formats, and the
command's one-line errors.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store, Variable

from smelterkg import pipeline
from smelterkg.cli import main
from smelterkg.queries import catalogue
from smelterkg.queries.catalogue import Param, QueryError
from smelterkg.store import open_read_only

QUERIES_DIR = Path(catalogue.__file__).resolve().parent
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
FACILITY = "https://w3id.org/smelterkg/id/facility/"
ASAKA_GOLD = FACILITY + "gold/asakariken-jp"
ASAKA_TANTALUM = FACILITY + "tantalum/asakariken-jp"
ASAHI_USA = FACILITY + "gold/johnsonmatthey-us"  # named after its first listing, Johnson Matthey Inc (2013)


@pytest.fixture(scope="module")
def saved() -> dict[str, catalogue.SavedQuery]:
    return catalogue.saved_queries()


def answer(store: Store, query_name: str, /, **params: str) -> list[dict[str, str]]:
    """Run a saved query; its rows as {variable: plain value}, '' for unbound."""
    query = catalogue.find(query_name)
    result = catalogue.execute(store, query.text, params, query.params)
    assert result.kind == "select"
    return [dict(zip(result.variables, map(catalogue.plain, row))) for row in result.rows]


# --- the catalogue ----------------------------------------------------------------------------

ANSWERED = {
    "lineage": 1,
    "status-history": 2,
    "yearly-universe": 3,
    "status-changes": 4,
    "appeared-disappeared": 5,
    "covered-countries": 6,
    "stale-names": 7,
    "report-consistency": 8,
    "never-conformant": 9,
    "pinch-points": 10,
    "filer-changes": 11,
    "location-conflicts": 12,
    "documents-by-cik": 13,
    "misreported-statuses": 14,
    "unlisted-entries": 15,
    "supplier-rollup": 16,
}
# Queries about EDGAR identity: the bundled reports state no CIK, so these run on fixture exhibits.
EDGAR_QUERIES = {"documents-by-cik"}
# Queries about RMI reference data (build --reference): the bundled store has none, so these run on a fixture store.
REFERENCE_QUERIES = {"misreported-statuses", "unlisted-entries", "supplier-rollup"}


def test_one_saved_query_per_answerable_question(saved):
    assert set(saved) == set(ANSWERED)
    assert sorted(ANSWERED.values()) == list(range(1, len(ANSWERED) + 1))


def test_every_query_file_has_a_well_formed_header(saved):
    for query in saved.values():
        assert query.path.name == f"{query.name}.rq"
        assert query.title and query.answers
        assert query.text.startswith("# title: ")
        for param in query.params:
            assert param.type in catalogue.PARAM_TYPES
            assert param.description
            catalogue.to_term(param, param.default)  # every default is a valid value of its type


def _body(text: str) -> str:
    """The query without comment lines and comments after code."""
    return "\n".join(re.sub(r"\s#.*$", "", line) for line in text.splitlines() if not line.lstrip().startswith("#"))


def test_every_declared_param_is_used_and_projected(saved):
    for query in saved.values():
        body = _body(query.text)
        top_select = re.search(r"^SELECT\b(.*)$", body, re.MULTILINE)
        assert top_select, query.name
        for param in query.params:
            assert re.search(rf"[?$]{param.name}\b", body), f"{query.name}: ?{param.name} is declared but not used"
            # Oxigraph substitutes only variables of the top-level projection.
            assert re.search(rf"\?{param.name}\b", top_select.group(1)), f"{query.name}: ?{param.name} not projected"


@pytest.mark.parametrize("name", sorted(ANSWERED))
def test_every_saved_query_runs_with_its_defaults(bundled_store, request, name):
    fixture = "cik_store" if name in EDGAR_QUERIES else "reference_store" if name in REFERENCE_QUERIES else None
    store = request.getfixturevalue(fixture) if fixture else bundled_store
    rows = answer(store, name)
    assert rows, f"{name} returned nothing with its defaults"


def test_find_suggests_close_names(saved):
    assert catalogue.find("status-history", saved).name == "status-history"
    assert catalogue.find("status-history.rq", saved).name == "status-history"
    with pytest.raises(QueryError, match=r"no saved query named 'status-histroy'; did you mean status-history"):
        catalogue.find("status-histroy", saved)
    with pytest.raises(QueryError, match="smelterkg query --list"):
        catalogue.find("zzzz", saved)


# --- 1. lineage -------------------------------------------------------------------------------


def test_lineage_of_an_old_spelling(bundled_store):
    # 2013 line 152 and 2014 line 187 print "Asaka Riken Co Ltd"; 2017-2022 "Asaka Riken Co., Ltd.".
    rows = answer(bundled_store, "lineage")
    assert [(r["facility"], r["reportedName"], r["years"], r["sources"]) for r in rows] == [
        (ASAKA_GOLD, "Asaka Riken Co Ltd", "2013 2014", "2"),
        (ASAKA_GOLD, "Asaka Riken Co., Ltd.", "2017 2019 2022", "3"),
    ]
    assert {r["label"] for r in rows} == {"Asaka Riken Co., Ltd."}
    assert all(r["mergedInto"] == r["mergedFrom"] == "" for r in rows)


def test_lineage_of_the_new_spelling_finds_both_metals(bundled_store):
    rows = answer(bundled_store, "lineage", name="ASAKA RIKEN CO., LTD.")
    assert {(r["metal"], r["reportedName"], r["firstYear"], r["lastYear"]) for r in rows} == {
        ("Gold", "Asaka Riken Co Ltd", "2013", "2014"),
        ("Gold", "Asaka Riken Co., Ltd.", "2017", "2022"),
        ("Tantalum", "Asaka Riken Co., Ltd.", "2017", "2019"),  # 2017 line 307, 2019 line 299
    }


def test_lineage_follows_a_rename_in_one_facility(bundled_store):
    """Johnson Matthey Inc (2013-14) was renamed Asahi Refining USA Inc. (ledger): one facility,
    both names with their years."""
    rows = answer(bundled_store, "lineage", name="johnson matthey inc")
    assert [(r["facility"], r["reportedName"], r["years"]) for r in rows] == [
        (ASAHI_USA, "Johnson Matthey Inc", "2013 2014"),
        (ASAHI_USA, "Asahi Refining USA Inc.", "2017 2019 2022"),
    ]
    assert all(r["mergedInto"] == r["mergedFrom"] == "" for r in rows)


def test_lineage_follows_split_and_absorption_events(bundled_store):
    """H.C. Starck Group (2013) split into facility-level entries (2014); one of them, Laufenburg,
    was absorbed into H.C. Starck Smelting. The lineage of the group reaches all of them."""
    rows = answer(bundled_store, "lineage", name="H.C. Starck Group")
    by_facility = {r["facility"]: r for r in rows}
    group = by_facility[FACILITY + "tantalum/hcstarckgroup-de"]
    assert FACILITY + "tantalum/hcstarckgoslar-de" in group["mergedInto"].split()
    laufenburg = by_facility[FACILITY + "tantalum/hcstarcklaufenburg-de"]
    assert laufenburg["mergedInto"] == FACILITY + "tantalum/hcstarcksmelting-de"
    names = {r["reportedName"] for r in rows}
    assert {"H.C. Starck GmbH Goslar", "H.C. Starck Tantalum and Niobium GmbH", "TANIOBIS GmbH", "TANIOBIS Co., Ltd."} <= names


def test_lineage_of_an_unknown_name_is_empty(bundled_store):
    assert answer(bundled_store, "lineage", name="No Such Smelter") == []


# --- 2. status history ------------------------------------------------------------------------


def test_status_history_of_asaka_riken(bundled_store):
    rows = answer(bundled_store, "status-history")
    assert [(r["metal"], r["year"], r["status"], r["canonical"], r["source"], r["line"], r["printedName"]) for r in rows] == [
        ("Gold", "2013", "No", "Not conformant", "qualys-2013-form-sd.txt", "152", "Asaka Riken Co Ltd"),
        ("Gold", "2014", "No", "Not conformant", "qualys-2014-form-sd.txt", "187", "Asaka Riken Co Ltd"),
        ("Gold", "2017", "Full Compliant", "Conformant", "qualys-2017-form-sd.txt", "149", "Asaka Riken Co., Ltd."),
        ("Gold", "2019", "Full Compliant", "Conformant", "qualys-2019-form-sd.txt", "157", "Asaka Riken Co., Ltd."),
        ("Gold", "2022", "Full Compliant", "Conformant", "qualys-2022-form-sd.txt", "147", "Asaka Riken Co., Ltd."),
        ("Tantalum", "2017", "Full Compliant", "Conformant", "qualys-2017-form-sd.txt", "307", "Asaka Riken Co., Ltd."),
        ("Tantalum", "2019", "Full Compliant", "Conformant", "qualys-2019-form-sd.txt", "299", "Asaka Riken Co., Ltd."),
    ]
    assert {r["filer"] for r in rows} == {"QUALYS, INC."}  # once per row, not once per document graph


def test_status_history_shows_unknown_statuses(bundled_store):
    # 2022 line 188: "LT Metal Ltd." with its status lost in the damaged text; before it the
    # facility was listed as HeeSung Metal Ltd. (one RMI smelter ID, CID000689: the ledger)
    rows = answer(bundled_store, "status-history", name="lt metal ltd.")
    assert [(r["year"], r["line"], r["status"], r["canonical"], r["printedName"]) for r in rows] == [
        ("2017", "172", "Full Compliant", "Conformant", "HeeSung Metal Ltd."),
        ("2019", "190", "Full Compliant", "Conformant", "HeeSung Metal Ltd."),
        ("2022", "188", "Unknown", "Unknown", "LT Metal Ltd."),
    ]


# --- 3. yearly universe -----------------------------------------------------------------------


def test_yearly_universe_2017_gold(bundled_store):
    (row,) = answer(bundled_store, "yearly-universe")
    assert row["facilities"] == "142"
    assert (row["conformant"], row["inProgress"], row["neither"], row["unknown"]) == ("101", "6", "35", "0")
    assert (row["conformantPct"], row["inProgressPct"], row["neitherPct"], row["unknownPct"]) == ("71.1", "4.2", "24.6", "0")


def test_yearly_universe_counts_unknown_statuses(bundled_store):
    (row,) = answer(bundled_store, "yearly-universe", year="2022", metal="GOLD")
    assert (row["facilities"], row["conformant"], row["inProgress"], row["neither"], row["unknown"]) == ("106", "59", "4", "4", "39")


@pytest.mark.parametrize(("year", "listed"), [(2013, 177), (2017, 322), (2019, 318), (2022, 249)])
def test_yearly_universe_adds_up_to_the_distinct_facilities_listed(bundled_store, year, listed):
    # 2013 lists 178 rows: Shandong Zhaojin Gold & Silver Refinery twice.
    total = 0
    for metal in ("Gold", "Tin", "Tantalum", "Tungsten"):
        (row,) = answer(bundled_store, "yearly-universe", year=str(year), metal=metal)
        parts = sum(int(row[k]) for k in ("conformant", "inProgress", "neither", "unknown"))
        assert parts == int(row["facilities"])
        total += int(row["facilities"])
    assert total == listed


# --- 4. status changes ------------------------------------------------------------------------


def test_status_changes_2019_to_2022(bundled_store):
    rows = answer(bundled_store, "status-changes")
    # (35 unknown before the ledger joined HeeSung Metal / LT Metal and The Refinery of Shandong Gold
    # Mining / Shandong Gold Smelting, each Conformant in 2019 and unreadable in 2022)
    assert Counter(r["change"] for r in rows) == {"unknown": 37, "down": 11, "up": 3}
    assert ("Gold", "LT Metal Ltd.") in {(r["metal"], r["label"]) for r in rows}
    changes = {(r["metal"], r["label"]): (r["fromStatus"], r["toStatus"], r["change"]) for r in rows}
    assert changes[("Gold", "Abington Reldan Metals, LLC")] == ("Neither", "Conformant", "up")
    assert changes[("Tin", "Super Ligas")] == ("Neither", "In progress", "up")
    assert changes[("Tin", "PT Belitung Industri Sejahtera")] == ("Conformant", "In progress", "down")
    assert changes[("Gold", "Materion")] == ("Conformant", "Unknown", "unknown")
    assert ("Gold", "Asaka Riken Co., Ltd.") not in changes  # conformant both years


def test_status_changes_2017_to_2019(bundled_store):
    rows = answer(bundled_store, "status-changes", **{"from": "2017", "to": "2019"})
    changes = {r["label"]: (r["fromStatus"], r["toStatus"]) for r in rows}
    assert changes["Jiangxi Dayu Longxintai Tungsten Co., Ltd."] == ("Neither", "In progress")
    assert all(r["change"] in ("up", "down") for r in rows)  # no unreadable statuses in 2017 or 2019


# --- 5. appeared / disappeared ----------------------------------------------------------------


def test_appeared_and_disappeared_2014_against_2013(bundled_store):
    rows = answer(bundled_store, "appeared-disappeared")
    # (before resolution, spelling changes counted as 93 appeared / 11 disappeared)
    # (84 / 4 before the ledger's RMI look-up aliases joined LSM Brasil / AMG Brasil, Solikamsk...)
    assert Counter(r["change"] for r in rows) == {"appeared": 81, "disappeared": 3}
    changes = {(r["metal"], r["label"]): r["change"] for r in rows}
    assert changes[("Gold", "Bauer Walser AG")] == "appeared"
    assert changes[("Tantalum", "Tantalite Resources")] == "disappeared"
    assert ("Tantalum", "Ulba Metallurgical Plant JSC") not in changes  # "Ulba" in 2013: one facility
    assert ("Gold", "Asaka Riken Co., Ltd.") not in changes  # listed both years


def test_appeared_disappeared_mirror_each_other(bundled_store):
    forward = answer(bundled_store, "appeared-disappeared", year="2022", previous="2019")
    backward = answer(bundled_store, "appeared-disappeared", year="2019", previous="2022")
    flip = {"appeared": "disappeared", "disappeared": "appeared"}
    assert {(r["facility"], flip[r["change"]]) for r in forward} == {(r["facility"], r["change"]) for r in backward}
    assert Counter(r["change"] for r in forward) == {"appeared": 30, "disappeared": 99}
    # renamed facilities are neither: TANIOBIS Co., Ltd. (2022) is H.C. Starck Co., Ltd. (2019)
    assert FACILITY + "tantalum/hcstarck-th" not in {r["facility"] for r in forward}
    assert answer(bundled_store, "appeared-disappeared", year="2017", previous="2017") == []


# --- 6. covered countries ---------------------------------------------------------------------


def test_covered_countries(bundled_store):
    # 2017 line 439 "Phoenix Metal Ltd. RWANDA", 2022 line 300 "Luna Smelter, Ltd. RWANDA",
    # 2017 line 292 / 2019 line 291 "Universal Precious Metals Refining Zambia ZAMBIA".
    rows = answer(bundled_store, "covered-countries")
    assert [(r["code"], r["country"], r["metal"], r["label"], r["years"], r["sources"]) for r in rows] == [
        # Phoenix Metal Ltd. (2017) was renamed Luna Smelter, Ltd. (ledger): one facility
        ("RW", "Rwanda", "Tin", "Luna Smelter, Ltd.", "2017 2022", "2"),
        ("ZM", "Zambia", "Gold", "Universal Precious Metals Refining Zambia", "2017 2019", "2"),
    ]
    # Sudan (2017 line 275, Sudan Gold Refinery) is not South Sudan; Zimbabwe is not a neighbour.
    assert not {"SD", "ZW"} & {r["code"] for r in rows}


# --- 7. stale names ---------------------------------------------------------------------------


def test_stale_names_after_renames_and_absorptions(bundled_store):
    """Molycorp Silmet A.S. was renamed NPM Silmet AS in 2016 (ledger evidence); Qualys still
    printed the old name in 2017 (2017 report). Johnson Matthey Inc was renamed in 2015 and last
    printed in 2014: not stale."""
    rows = answer(bundled_store, "stale-names")
    by_old = {(r["kind"], r["oldName"]): r for r in rows}
    silmet = by_old[("rename", "Molycorp Silmet A.S.")]
    assert (silmet["newName"], silmet["eventYear"], silmet["lastUsed"], silmet["stale"], silmet["filer"]) == (
        "NPM Silmet AS", "2016", "2017", "true", "QUALYS, INC."
    )
    johnson = by_old[("rename", "Johnson Matthey Inc")]
    assert (johnson["lastUsed"], johnson["stale"]) == ("2014", "false")
    laufenburg = by_old[("absorption", "H.C. Starck GmbH Laufenburg")]
    assert laufenburg["lastUsed"] == "2017" and laufenburg["stale"] == "false"
    # one row per event and filer (H.C. Starck Smelting was renamed TANIOBIS Smelting for tantalum and tungsten)
    assert len(rows) == len({(r["kind"], r["oldName"], r["metal"], r["filer"]) for r in rows})


# --- 8. report consistency --------------------------------------------------------------------


def test_report_consistency(bundled_store):
    rows = answer(bundled_store, "report-consistency")
    table = {(r["year"], r["category"]): (r["stated"], r["listed"], r["facilities"], r["agrees"]) for r in rows}
    assert table == {
        # 2013 and 2014 state no counts; 2013 lists Shandong Zhaojin twice (178 rows, 177 facilities).
        ("2013", "AllFacilities"): ("", "178", "177", "not stated"),
        ("2013", "CompliantFacilities"): ("", "74", "", "not stated"),
        ("2013", "RemainingFacilities"): ("", "104", "", "not stated"),
        # four facilities listed twice: HC Starck GmbH / H.C. Starck GmbH (tungsten), Met-Mex Penoles
        # (gold), and two pairs RMI's look-up files under one smelter ID: Metalor Switzerland /
        # Metalor Technologies SA (gold), Solikamsk Metal Works / Magnesium Works OAO (tantalum)
        ("2014", "AllFacilities"): ("", "259", "255", "not stated"),
        ("2014", "CompliantFacilities"): ("", "154", "", "not stated"),
        ("2014", "RemainingFacilities"): ("", "105", "", "not stated"),
        ("2017", "AllFacilities"): ("322", "322", "322", "yes"),
        ("2017", "CompliantFacilities"): ("252", "252", "", "yes"),
        ("2017", "ActiveFacilities"): ("7", "7", "", "yes"),
        ("2017", "RemainingFacilities"): ("63", "63", "", "yes"),
        ("2019", "AllFacilities"): ("318", "318", "318", "yes"),
        ("2019", "CompliantFacilities"): ("260", "260", "", "yes"),
        ("2019", "ActiveFacilities"): ("2", "2", "", "yes"),
        ("2019", "RemainingFacilities"): ("56", "56", "", "yes"),
        # 2022: 39 statuses were lost in damaged text, so the status groups fall short of the text.
        ("2022", "AllFacilities"): ("249", "249", "249", "yes"),
        ("2022", "CompliantFacilities"): ("226", "190", "", "no"),
        ("2022", "ActiveFacilities"): ("7", "7", "", "yes"),
        ("2022", "RemainingFacilities"): ("16", "13", "", "no"),
        ("2022", "Unknown"): ("", "39", "", "not stated"),
    }
    evidence = {(r["year"], r["category"]): (r["line"], r["quote"]) for r in rows}
    line, quote = evidence[("2017", "AllFacilities")]
    assert line == "90" and "an aggregate of 322 facilities" in quote
    assert evidence[("2019", "ActiveFacilities")][0] == "92"
    assert evidence[("2022", "RemainingFacilities")] == (
        "81",
        "The remaining 16 facilities or smelters identified by our contract manufacturers are not on the CFSI lists "
        "for compliant or active smelters.",
    )


# --- 9. never conformant ----------------------------------------------------------------------


def test_never_conformant(bundled_store):
    rows = answer(bundled_store, "never-conformant")
    assert len(rows) == 102
    by_label = {(r["metal"], r["label"]): r for r in rows}
    sudan = by_label[("Gold", "Sudan Gold Refinery")]
    assert (sudan["firstYear"], sudan["lastYear"], sudan["yearsListed"], sudan["statuses"]) == ("2017", "2017", "1", "Neither")
    zambia = by_label[("Gold", "Universal Precious Metals Refining Zambia")]
    assert (zambia["yearsListed"], zambia["statuses"]) == ("2", "Neither")
    assert ("Gold", "Asaka Riken Co., Ltd.") not in by_label  # conformant in 2017
    assert ("Tin", "Luna Smelter, Ltd.") not in by_label  # "Full Compliant" in 2022
    # Facilities whose only status was unreadable are listed as such, not as failures.
    # (LT Metal Ltd. was Full Compliant as HeeSung Metal Ltd., Shandong Gold Smelting as The
    # Refinery of Shandong Gold Mining: one RMI smelter ID each, the ledger)
    assert sorted(label for (_, label), r in by_label.items() if r["statuses"] == "Unknown") == [
        "Metal Concentrators SA (Pty) Ltd.",
        "Sancus ZFS (L'Orfebre, SA)",
    ]
    assert ("Gold", "LT Metal Ltd.") not in by_label
    assert Counter(r["statuses"] for r in rows)["Neither"] == 88


# --- 10. pinch points (filers) ----------------------------------------------------------------


def test_pinch_points_with_one_filer(bundled_store):
    rows = answer(bundled_store, "pinch-points")
    assert len(rows) == 249
    assert {(r["filers"], r["reportingFilers"], r["sharePct"]) for r in rows} == {("1", "1", "100")}
    assert Counter(r["metal"] for r in rows) == {"Gold": 106, "Tin": 70, "Tantalum": 34, "Tungsten": 39}
    assert len(answer(bundled_store, "pinch-points", year="2013")) == 177


# --- 11. one filer over time (filers) ---------------------------------------------------------


def test_filer_changes_of_qualys(bundled_store):
    rows = answer(bundled_store, "filer-changes")
    assert Counter((r["year"], r["previous"], r["change"]) for r in rows) == {
        ("2014", "2013", "added"): 81,
        ("2014", "2013", "dropped"): 3,
        ("2014", "2013", "renamed"): 18,
        ("2017", "2014", "added"): 102,
        ("2017", "2014", "dropped"): 35,
        ("2017", "2014", "renamed"): 85,
        ("2019", "2017", "added"): 33,
        ("2019", "2017", "dropped"): 37,
        ("2019", "2017", "renamed"): 43,
        ("2022", "2019", "added"): 30,
        ("2022", "2019", "dropped"): 99,
        ("2022", "2019", "renamed"): 17,
    }
    changes = {(r["year"], r["facility"]): r for r in rows}
    asaka = changes[("2017", ASAKA_GOLD)]
    assert (asaka["change"], asaka["oldNames"], asaka["newNames"]) == ("renamed", "Asaka Riken Co Ltd", "Asaka Riken Co., Ltd.")
    assert changes[("2017", ASAKA_TANTALUM)]["change"] == "added"
    assert ("2019", ASAKA_TANTALUM) not in changes  # listed 2017 and 2019 under one name
    assert changes[("2022", ASAKA_TANTALUM)]["change"] == "dropped"
    # 2022 line 259 prints "JiuJiang JinXin", 2019 line 320 "Jiujiang JinXin"; and the renames of 2022.
    renamed_2022 = {(r["oldNames"], r["newNames"]) for r in rows if r["year"] == "2022" and r["change"] == "renamed"}
    assert ("Jiujiang JinXin Nonferrous Metals Co., Ltd.", "JiuJiang JinXin Nonferrous Metals Co., Ltd.") in renamed_2022
    assert ("H.C. Starck Co., Ltd.", "TANIOBIS Co., Ltd.") in renamed_2022
    assert ("H.C. Starck Tantalum and Niobium GmbH", "TANIOBIS GmbH") in renamed_2022
    assert ("HeeSung Metal Ltd.", "LT Metal Ltd.") in renamed_2022  # one RMI smelter ID (the ledger)


def test_filer_changes_agree_with_appeared_disappeared_for_a_single_filer(bundled_store):
    filer = {(r["change"], r["facility"]) for r in answer(bundled_store, "filer-changes") if r["year"] == "2019"}
    listing = answer(bundled_store, "appeared-disappeared", year="2019", previous="2017")
    names = {"appeared": "added", "disappeared": "dropped"}
    assert {(names[r["change"]], r["facility"]) for r in listing} == {c for c in filer if c[0] != "renamed"}


def test_filer_changes_of_an_unknown_filer_are_empty(bundled_store):
    assert answer(bundled_store, "filer-changes", filer="qualys, inc.")  # case-insensitive
    assert answer(bundled_store, "filer-changes", filer="Nobody Inc.") == []


# --- 12. location conflicts -------------------------------------------------------------------


def test_location_conflicts(bundled_store):
    # 2013/2014 print "Hong Kong"; 2017 onwards "CHINA" (2017 lines 174 and 210). Heraeus Ltd. Hong
    # Kong (2013-2017) and Heraeus Metals Hong Kong Ltd. (2019, 2022) are one facility (the ledger:
    # one RMI smelter ID).
    rows = answer(bundled_store, "location-conflicts")
    assert [(r["label"], r["code"], r["printedAs"], r["years"], r["sources"]) for r in rows] == [
        ("Heraeus Metals Hong Kong Ltd.", "HK", "Hong Kong", "2013 2014", "2"),
        ("Heraeus Metals Hong Kong Ltd.", "CN", "CHINA", "2017 2019 2022", "3"),
        ("Metalor Technologies (Hong Kong) Ltd.", "HK", "Hong Kong", "2013 2014", "2"),
        ("Metalor Technologies (Hong Kong) Ltd.", "CN", "CHINA", "2017 2019 2022", "3"),
    ]


# --- 13. documents by CIK ---------------------------------------------------------------------

EXHIBITS = Path(__file__).resolve().parents[1] / "data" / "exhibits"


@pytest.fixture(scope="module")
def cik_store(tmp_path_factory):
    """A store built from fixture exhibits: the EDGAR submission (CIK 0000999999, its header's
    accession), the same filer's next year under a new name, a fetched exhibit of CIK 0000006951
    (fetch's file name), and an exhibit with no CIK at all."""
    inputs = tmp_path_factory.mktemp("cik-inputs")
    submission = (EXHIBITS / "edgar-submission-2022.txt").read_bytes()
    (inputs / "edgar-submission-2022.txt").write_bytes(submission)
    later = (
        submission.replace(b"0000999999-23-000012", b"0000999999-24-000007")
        .replace(b"<b>EXAMPLE SENSORS INC.</b>", b"<b>Example Sensors Holdings Inc.</b>")
        .replace(b"December 31, 2022", b"December 31, 2023")
        .replace(b"<tr><td>Tungsten</td>", b"<tr><td>Tin</td><td>Minsur</td><td>PERU</td><td>CID001182</td><td>Conformant</td></tr><tr><td>Tungsten</td>")
    )
    (inputs / "edgar-submission-2023.txt").write_bytes(later)
    shutil.copy(EXHIBITS / "workiva-style-2021.htm", inputs / "0000006951_2021_0001193125-22-146038_d840000dex101.htm")
    shutil.copy(EXHIBITS / "toppan-style-2016.htm", inputs / "toppan-style-2016.htm")
    target = tmp_path_factory.mktemp("cik-stores") / "store"
    result = pipeline.build([inputs], target, progress=None, user_ledger=tmp_path_factory.mktemp("no-ledger") / "none.csv")
    assert len(result.reports) == 4 and not result.errors
    return open_read_only(target)


def _documents(store, cik):
    return [(r["cik"], r["filerName"], r["year"], r["accession"], r["rows"], r["source"]) for r in answer(store, "documents-by-cik", cik=cik)]


def test_documents_by_cik_lists_each_filing_with_its_own_name(cik_store):
    expected = [
        ("999999", "EXAMPLE SENSORS INC.", "2022", "0000999999-23-000012", "2", "edgar-submission-2022.txt"),
        ("999999", "Example Sensors Holdings Inc.", "2023", "0000999999-24-000007", "3", "edgar-submission-2023.txt"),
    ]
    assert _documents(cik_store, "999999") == expected  # leading zeros optional
    assert [row[1:] for row in _documents(cik_store, "0000999999")] == [row[1:] for row in expected]


def test_documents_by_cik_from_a_fetched_file_name(cik_store):
    assert _documents(cik_store, "6951") == [
        ("6951", "Example Widgets, Inc.", "2021", "0001193125-22-146038", "6", "0000006951_2021_0001193125-22-146038_d840000dex101.htm"),
    ]


def test_documents_by_cik_never_lists_a_document_without_one(cik_store):
    assert _documents(cik_store, "1234567") == []
    listed = {row[-1] for cik in ("999999", "6951") for row in _documents(cik_store, cik)}
    assert "toppan-style-2016.htm" not in listed and len(listed) == 3


# --- headers ----------------------------------------------------------------------------------

HEADER = """# title: A query
# answers: What it answers,
#   continued here.
# param: name = "Asaka \\"Riken\\"" (string) a facility name
# param: year = 2017 (integer) the year
# param: thing = <https://example.org/x> (iri) a thing
#
# free comments follow
SELECT ?name ?year ?thing WHERE {}
"""


def test_parse_header():
    title, answers, params = catalogue.parse_header(HEADER, "x.rq")
    assert title == "A query"
    assert answers == "What it answers, continued here."
    assert params == [
        Param("name", 'Asaka "Riken"', "string", "a facility name"),
        Param("year", "2017", "integer", "the year"),
        Param("thing", "https://example.org/x", "iri", "a thing"),
    ]


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        (HEADER.replace("# param: year = 2017 (integer)", "# param: year = 2017 (int)"), 5, "unknown param type"),
        (HEADER.replace("# param: year = 2017 (integer)", "# param: year 2017 (integer)"), 5, "malformed param"),
        (HEADER.replace('"Asaka \\"Riken\\"" (string)', "2017 (string)"), 4, "does not fit type string"),
        (HEADER.replace("# answers:", "# answer:"), 2, "unknown header key 'answer'"),
        (HEADER.replace("# title: A query", "# title: A query\n# title: Again"), 2, "duplicate 'title'"),
        (HEADER.replace("# param: year", "# param: name"), 5, "declared more than once"),
        (HEADER.replace("# title: A query\n", ""), 1, "no '# title:' line"),
        (HEADER.replace("#   continued here.", "#continued here."), 3, "malformed header line"),
    ],
)
def test_malformed_headers_name_file_and_line(broken, line, message):
    with pytest.raises(ValueError, match=rf"^broken\.rq:{line}: .*{re.escape(message)}"):
        catalogue.parse_header(broken, "broken.rq")


# --- binding ----------------------------------------------------------------------------------

DECLARED = [Param("name", "x", "string", ""), Param("year", "2017", "integer", ""), Param("thing", "https://e.org/a", "iri", "")]


def test_bind_types_every_parameter():
    bound = catalogue.bind({"year": " 2019 ", "thing": "<https://e.org/b>"}, DECLARED)
    assert bound == {
        Variable("name"): Literal("x"),
        Variable("year"): Literal("2019", datatype=NamedNode(XSD_INTEGER)),
        Variable("thing"): NamedNode("https://e.org/b"),
    }


def test_bind_rejects_unknown_and_badly_typed_params():
    with pytest.raises(QueryError, match=r"unknown parameter 'nmae'; this query declares: name, year, thing"):
        catalogue.bind({"nmae": "x"}, DECLARED)
    with pytest.raises(QueryError, match="declares: none"):
        catalogue.bind({"x": "1"}, [])
    with pytest.raises(QueryError, match=r"year='2017a' is not an integer"):
        catalogue.bind({"year": "2017a"}, DECLARED)
    with pytest.raises(QueryError, match=r"thing='not an iri' is not an IRI"):
        catalogue.bind({"thing": "not an iri"}, DECLARED)


def test_a_parameter_value_cannot_change_the_query(bundled_store):
    hostile = 'x")) } SELECT * WHERE { ?s ?p ?o } #'
    assert answer(bundled_store, "status-history", name=hostile) == []


# --- formats ----------------------------------------------------------------------------------


def _result(store: Store, text: str) -> catalogue.Result:
    return catalogue.execute(store, text, {}, [])


SMALL = """PREFIX skg: <https://w3id.org/smelterkg/ontology#>
SELECT ?source ?year ?missing WHERE { ?d skg:fileName ?source ; skg:reportingYear ?year . FILTER(?year < 2017) }
ORDER BY ?year"""


def test_table_is_plain_text(bundled_store):
    out = catalogue.format_result(_result(bundled_store, SMALL), "table")
    assert out.splitlines() == [
        "source                   year  missing",
        "-----------------------  ----  -------",
        "qualys-2013-form-sd.txt  2013",
        "qualys-2014-form-sd.txt  2014",
        "(2 rows)",
    ]


def test_table_aligns_by_display_width():
    rows = [[Literal("Cendres & Me\u0301taux"), Literal("1", datatype=NamedNode(XSD_INTEGER))], [Literal("AB"), Literal("10", datatype=NamedNode(XSD_INTEGER))]]
    lines = catalogue.format_table(["label", "n"], rows).splitlines()
    assert lines[2] == "Cendres & Me\u0301taux   1"
    assert lines[3] == "AB                10"


def test_csv_and_json_results(bundled_store):
    text = catalogue.format_result(_result(bundled_store, SMALL), "csv")
    assert list(csv.reader(io.StringIO(text))) == [
        ["source", "year", "missing"],
        ["qualys-2013-form-sd.txt", "2013", ""],
        ["qualys-2014-form-sd.txt", "2014", ""],
    ]
    data = json.loads(catalogue.format_result(_result(bundled_store, SMALL), "json"))
    assert data["head"] == {"vars": ["source", "year", "missing"]}
    assert data["results"]["bindings"][0] == {
        "source": {"type": "literal", "value": "qualys-2013-form-sd.txt"},
        "year": {"type": "literal", "value": "2013", "datatype": XSD_INTEGER},
    }
    labelled = _result(bundled_store, "SELECT ?c ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } LIMIT 1")
    (binding,) = json.loads(catalogue.format_result(labelled, "json"))["results"]["bindings"]
    assert binding["c"]["type"] == "uri" and binding["l"]["xml:lang"] == "en"


def test_ask_and_construct(bundled_store):
    ask = _result(bundled_store, "ASK { ?s a <https://w3id.org/smelterkg/ontology#Facility> }")
    assert catalogue.format_result(ask, "table") == "true\n"
    assert json.loads(catalogue.format_result(ask, "json")) == {"head": {}, "boolean": True}
    construct = "PREFIX skg: <https://w3id.org/smelterkg/ontology#>\nCONSTRUCT { ?d skg:year ?y } WHERE { ?d skg:reportingYear ?y }"
    turtle = catalogue.format_result(_result(bundled_store, construct), "table", construct)
    assert "@prefix skg: <https://w3id.org/smelterkg/ontology#> ." in turtle
    assert turtle.count("skg:year") == 5
    with pytest.raises(QueryError, match="written as Turtle"):
        catalogue.format_result(_result(bundled_store, construct), "csv", construct)


# --- the command ------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["query", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str, *needles: str) -> None:
    assert code != 0
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("smelterkg: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_query_by_name_with_params(capsys, bundled_store_path):
    code, out, err = run(capsys, "yearly-universe", "--param", "year=2019", "--param", "metal=tin", "--store", str(bundled_store_path), "--format", "csv")
    assert (code, err) == (0, "")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["year"], row["metal"], row["facilities"], row["conformant"]) == ("2019", "tin", "82", "73")


def test_query_a_file_and_an_expression(capsys, bundled_store_path, tmp_path):
    query = tmp_path / "mine.rq"
    query.write_text((QUERIES_DIR / "status-history.rq").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, str(query), "--param", "name=Luna Smelter, Ltd.", "--store", str(bundled_store_path))
    assert code == 0 and "Luna Smelter, Ltd." in out and "(2 rows)" in out  # 2017 as Phoenix Metal Ltd.
    code, out, _ = run(capsys, "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?o a <https://w3id.org/smelterkg/ontology#StatusObservation> }", "--store", str(bundled_store_path), "--format", "json")
    assert code == 0
    # 1,326 rows; 2013 lists Shandong Zhaojin twice, 2014 lists H.C. Starck GmbH (tungsten), Met-Mex Penoles,
    # Metalor (Switzerland / Technologies SA) and Solikamsk (Metal / Magnesium Works) twice
    assert json.loads(out)["results"]["bindings"] == [{"n": {"type": "literal", "value": "1321", "datatype": XSD_INTEGER}}]


def test_store_from_environment(capsys, bundled_store_path, monkeypatch):
    monkeypatch.setenv("SMELTERKG_STORE", str(bundled_store_path))
    code, out, _ = run(capsys, "covered-countries", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 3  # header + Luna Smelter (ex Phoenix Metal) + Zambia


def test_list_shows_every_query_with_its_defaults(capsys):
    code, out, err = run(capsys, "--list")
    assert (code, err) == (0, "")
    for name in ANSWERED:
        assert re.search(rf"^{re.escape(name)}$", out, re.MULTILINE)
    assert '--param name="Asaka Riken Co., Ltd."  (string) a facility name, any spelling' in out
    assert "--param year=2017  (integer) the reporting year" in out


def test_error_query_syntax(capsys, bundled_store_path):
    code, out, err = run(capsys, "-e", "SELECT ?s WHERE { ?s ?p }", "--store", str(bundled_store_path))
    assert_one_line_error(code, out, err, "query syntax error", "1:")


def test_error_missing_store(capsys, tmp_path):
    code, out, err = run(capsys, "lineage", "--store", str(tmp_path / "nowhere"))
    assert_one_line_error(code, out, err, "no smelterkg store here", "smelterkg build")


def test_error_unknown_saved_query(capsys, bundled_store_path):
    code, out, err = run(capsys, "status-histroy", "--store", str(bundled_store_path))
    assert_one_line_error(code, out, err, "no saved query named 'status-histroy'", "did you mean status-history")


def test_error_missing_query_file(capsys, bundled_store_path, tmp_path):
    code, out, err = run(capsys, str(tmp_path / "absent.rq"), "--store", str(bundled_store_path))
    assert_one_line_error(code, out, err, "absent.rq: no such query file")


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["lineage", "--param", "nmae=x"], ["unknown parameter 'nmae'", "declares: name"]),
        (["lineage", "--param", "name"], ["bad --param 'name'", "NAME=VALUE"]),
        (["yearly-universe", "--param", "year=twenty"], ["year='twenty' is not an integer"]),
        (["lineage", "--param", "name=a", "--param", "name=b"], ["more than once"]),
        (["-e", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--param", "x=1"], ["unknown parameter 'x'", "declares: none"]),
    ],
)
def test_error_bad_params(capsys, tmp_path, argv, needles):
    # Parameters are checked before the store is opened: no store is needed to see the error.
    code, out, err = run(capsys, *argv, "--store", str(tmp_path / "nowhere"))
    assert_one_line_error(code, out, err, *needles)


def test_error_no_query_given(capsys):
    code, out, err = run(capsys)
    assert_one_line_error(code, out, err, "give one query")


def _console_script() -> str:
    beside = Path(sys.executable).parent / ("smelterkg.exe" if os.name == "nt" else "smelterkg")
    found = str(beside) if beside.exists() else shutil.which("smelterkg")
    if not found:
        pytest.fail("the smelterkg console script is not installed (pip install -e .)")
    return found


def test_cli_smoke_in_a_subprocess(bundled_store_path):
    done = subprocess.run(
        [_console_script(), "query", "status-history", "--param", "name=asaka riken co ltd", "--store", str(bundled_store_path), "--format", "csv"],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["year"], r["line"]) for r in rows] == [("2013", "152"), ("2014", "187"), ("2017", "149"), ("2019", "157"), ("2022", "147")]
    failed = subprocess.run(
        [_console_script(), "query", "-e", "SELEKT", "--store", str(bundled_store_path)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert failed.returncode != 0
    assert len(failed.stderr.splitlines()) == 1 and "Traceback" not in failed.stderr
