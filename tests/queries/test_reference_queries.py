"""The saved queries over RMI reference data (issue 12, item 5), on a store built from fixtures
with `build --reference` (tests/conftest.py: reference_store): statuses filers report against
RMI's, entries RMI does not know or no longer lists, and the supplier roll-up."""

from __future__ import annotations

from smelterkg.queries import catalogue


def answer(store, name: str, **params: str) -> list[dict[str, str]]:
    query = catalogue.find(name)
    result = catalogue.execute(store, query.text, params, query.params)
    return [dict(zip(result.variables, map(catalogue.plain, row))) for row in result.rows]


def test_a_status_a_filer_reports_against_rmis_list_for_that_year_is_flagged(reference_store) -> None:
    rows = answer(reference_store, "misreported-statuses")
    # the report prints "Kitami Precious Metal" (a look-up alias of CID900002) as Active; RMI's 2024 list says Conformant
    assert [(r["facilityName"], r["smelterId"], r["year"], r["reportedStatus"], r["rmiStatus"], r["source"], r["line"], r["filer"]) for r in rows] == [
        ("Kitami Precious Metal Co., Ltd.", "CID900002", "2024", "In progress", "Conformant", "example-2024.txt", "7", "Example Devices Corp.")
    ]


def test_agreeing_statuses_and_stores_without_lists_give_nothing(reference_store, bundled_store) -> None:
    names = {r["facilityName"] for r in answer(reference_store, "misreported-statuses")}
    assert "Aurelia Métaux Affinage SA" not in names and "Aurora Refinery" not in names  # Conformant on both sides
    assert answer(bundled_store, "misreported-statuses") == []


def test_entries_rmi_does_not_know_are_listed_with_their_row(reference_store, bundled_store) -> None:
    rows = answer(reference_store, "unlisted-entries")
    assert {(r["printedName"], r["problem"], r["source"], r["line"]) for r in rows} == {
        ("Unheard-of Example Refinery", "no RMI smelter ID", "example-2024.txt", "9"),
        ("Pulau Contoh Smelting", "no RMI smelter ID", "cmrt_en.xlsx", "8"),
    }
    assert answer(bundled_store, "unlisted-entries") == []  # no reference list: nothing can be said


def test_the_supplier_roll_up_gives_every_declared_smelter_with_rmis_status(reference_store) -> None:
    rows = {r["smelterId"] or r["smelter"]: r for r in answer(reference_store, "supplier-rollup")}
    assert set(rows) == {"CID900001", "CID900002", "CID900010", "Pulau Contoh Smelting", "CID900030"}
    assert (rows["CID900002"]["rmiStatus"], rows["CID900002"]["rmiYear"], rows["CID900002"]["suppliers"]) == ("Conformant", "2024", "Acme Metals Components Inc.")
    assert rows["CID900010"]["rmiStatus"] == ""  # no facility list has it: not "not conformant"
    assert all(r["declarations"] == "1" for r in rows.values())
    assert {key: r["country"] for key, r in rows.items()} == {
        "CID900001": "CH", "CID900002": "JP", "CID900010": "CN", "Pulau Contoh Smelting": "MY", "CID900030": "DE"
    }
