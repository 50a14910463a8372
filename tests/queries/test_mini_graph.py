"""Saved queries and the lineage analysis on the hand-made graph (tests/data/graph/mini.nq): each
expected answer follows from the facts written in that file's header, not from a previous run."""

from __future__ import annotations

import pytest

from smelterkg.queries import catalogue
from smelterkg.queries.chains import chain_of

F = "https://w3id.org/smelterkg/id/facility/gold/"


def ask(store, query_name: str, **params: str) -> list[dict[str, str]]:
    query = catalogue.saved_queries()[query_name]
    result = catalogue.execute(store, query.text, params, query.params)
    return [dict(zip(result.variables, map(catalogue.plain, row))) for row in result.rows]


def test_lineage_finds_the_renamed_facility_by_its_old_name_with_both_names_by_year(mini_store) -> None:
    rows = ask(mini_store, "lineage", name="old alpha refinery")
    assert {row["facility"] for row in rows} == {F + "alpha-us"}
    assert {(row["reportedName"], row["years"]) for row in rows} == {
        ("Old Alpha Refinery", "2014"),
        ("New Alpha Refining Ltd.", "2017"),
    }


def test_lineage_of_an_absorbed_facility_names_what_it_merged_into(mini_store) -> None:
    rows = {row["facility"]: row for row in ask(mini_store, "lineage", name="Beta Gold Inc.")}
    assert set(rows) == {F + "beta-ca", F + "gamma-ca"}
    assert (rows[F + "beta-ca"]["mergedInto"], rows[F + "beta-ca"]["mergedFrom"]) == (F + "gamma-ca", "")
    assert rows[F + "gamma-ca"]["mergedFrom"] == F + "beta-ca"


def test_status_history_reads_both_wording_eras_through_the_canonical_scheme(mini_store) -> None:
    rows = ask(mini_store, "status-history", name="New Alpha Refining Ltd.")
    assert [(r["year"], r["status"], r["canonical"], r["source"], r["line"], r["printedName"]) for r in rows] == [
        ("2014", "Yes", "Conformant", "example-2014-form-sd.txt", "40", "Old Alpha Refinery"),
        ("2017", "Full Compliant", "Conformant", "example-2017-form-sd.txt", "60", "New Alpha Refining Ltd."),
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 2014: Yes, No, Yes -> two conformant, one neither ("No" maps broadly to not conformant)
        ("2014", ("3", "2", "0", "1", "0")),
        # 2017: Full Compliant x2, Active (in progress), Indeterminable (neither)
        ("2017", ("4", "2", "1", "1", "0")),
    ],
)
def test_yearly_universe_counts_each_facility_once_by_canonical_status(mini_store, year, expected) -> None:
    (row,) = ask(mini_store, "yearly-universe", year=year, metal="gold")
    assert (row["facilities"], row["conformant"], row["inProgress"], row["neither"], row["unknown"]) == expected


def test_appeared_disappeared_between_the_two_reporting_years(mini_store) -> None:
    rows = ask(mini_store, "appeared-disappeared", year="2017", previous="2014")
    assert [(r["change"], r["facility"]) for r in rows] == [("appeared", F + "delta-pe")]
    assert ask(mini_store, "appeared-disappeared", year="2014", previous="2017") == [
        {**rows[0], "change": "disappeared", "year": "2014", "previous": "2017"}
    ]


def test_stale_names_flags_the_absorbed_facility_listed_after_the_stated_year_only(mini_store) -> None:
    rows = {r["kind"]: r for r in ask(mini_store, "stale-names")}
    assert set(rows) == {"rename", "absorption"}
    assert (rows["absorption"]["oldName"], rows["absorption"]["lastUsed"], rows["absorption"]["stale"]) == (
        "Beta Gold Inc.",
        "2017",
        "true",
    )
    assert (rows["rename"]["oldName"], rows["rename"]["lastUsed"], rows["rename"]["stale"]) == (
        "Old Alpha Refinery",
        "2014",
        "false",
    )


def test_chain_of_the_absorbed_facility_joins_it_to_its_successor(mini_store) -> None:
    chain, refs = chain_of(mini_store, "beta gold inc.")
    assert [ref.iri for ref in refs] == [F + "beta-ca"]
    assert [history.label for history in chain.facilities] == ["Beta Gold Inc.", "Gamma Metals Corp."]
    (event,) = chain.events
    assert (event.kind, event.original, event.resulting) == ("absorption", F + "beta-ca", (F + "gamma-ca",))
    assert event.bracket() == "between 2014 and 2017 (stated 2015)"
    assert [e.source for e in event.evidence] == ["https://example.org/gamma-buys-beta"]
    assert chain.years == (2014, 2017)


def test_chain_of_the_renamed_facility_is_one_facility_with_its_rename(mini_store) -> None:
    chain, _ = chain_of(mini_store, "New Alpha Refining Ltd.")
    assert [history.label for history in chain.facilities] == ["New Alpha Refining Ltd."]
    (event,) = chain.events
    assert (event.kind, event.old_name, event.new_name) == ("rename", "Old Alpha Refinery", "New Alpha Refining Ltd.")
