"""The Smelter Look-up as reference facilities: grouped by CID, placeholders skipped, release and
list date from the Revision sheet, the same reading whatever the UI language or column positions."""

from __future__ import annotations

from datetime import date

import pytest

from smelterkg.ingest.cmrt import read_lookup
from smelterkg.ingest.models import Locator

from .conftest import RMI, SUPPLIERS, shared_file

FIXTURES = ("cmrt_en.xlsx", "cmrt_garbled.xlsx", "cmrt_old_layout.xlsx")


def _facts(reference):
    return {
        f.cid: (f.metal, f.standard_name, f.aliases, f.country, f.country_code, f.city, f.state, f.source)
        for f in reference.facilities
    }


def test_lookup_rows_are_grouped_by_cid_with_every_alias(fixture_path) -> None:
    reference = read_lookup(fixture_path("cmrt_en.xlsx"))
    facts = _facts(reference)
    assert facts["CID900002"] == ("Gold", "Kitakin Co., Ltd.", ("Kitami Precious Metal Co., Ltd.", "Kitakin Co., Ltd."), "JAPAN", "JP", "Kitami", "Hokkaido", "RMI")
    assert facts["CID900020"][2] == ("PT Bukit Contoh", "Bukit Contoh Kundur")
    assert facts["CID900021"][-1] == ""  # a blank source stays blank
    kitakin = next(f for f in reference.facilities if f.cid == "CID900002")
    assert kitakin.locators == (Locator(sheet="Smelter Look-up", row=7), Locator(sheet="Smelter Look-up", row=8))
    assert set(facts) == {"CID900001", "CID900002", "CID900010", "CID900020", "CID900021", "CID900030"}


def test_placeholders_and_rows_without_id_are_skipped_with_a_reason(fixture_path) -> None:
    reference = read_lookup(fixture_path("cmrt_en.xlsx"))
    reasons = [s.reason for s in reference.skipped]
    assert sum("Smelter not listed" in r for r in reasons) == 4
    assert sum("Smelter not yet identified" in r for r in reasons) == 4
    orphan = [s for s in reference.skipped if "Orphan Tungsten Works" in s.text]
    assert orphan and orphan[0].reason.startswith("no smelter ID") and orphan[0].locator.row == 21


def test_a_cid_whose_rows_disagree_keeps_its_first_row_and_says_so(fixture_path) -> None:
    reference = read_lookup(fixture_path("cmrt_en.xlsx"))
    assert _facts(reference)["CID900030"][3] == "GERMANY"
    assert any("CID900030" in w and "country" in w for w in reference.warnings)


def test_release_and_list_date_come_from_the_revision_sheet(fixture_path) -> None:
    reference = read_lookup(fixture_path("cmrt_en.xlsx"))
    assert (reference.release, reference.release_date, reference.list_date) == ("6.31", date(2023, 5, 26), date(2023, 3, 20))
    assert len(reference.sha256) == 64
    old = read_lookup(fixture_path("cmrt_old_layout.xlsx"))
    assert (old.release, old.list_date) == ("5.12", date(2019, 2, 27))


@pytest.mark.parametrize("name", FIXTURES[1:])
def test_headers_in_another_language_or_columns_elsewhere_read_the_same(fixture_path, name: str) -> None:
    assert _facts(read_lookup(fixture_path(name))) == _facts(read_lookup(fixture_path("cmrt_en.xlsx")))


# --- the real templates (third-party, ../shared/reference) ---------------------------------

RELEASES = {
    "RMI_CMRT_6.01.xlsx": ("6.01", date(2020, 3, 3)),
    "RMI_CMRT_6.22.xlsx": ("6.22", date(2022, 2, 24)),
    "RMI_CMRT_6.22_english_ui.xlsx": ("6.22", date(2022, 2, 24)),
    "RMI_CMRT_6.5.xlsx": ("6.5", date(2025, 3, 5)),
}


@pytest.mark.parametrize("name", sorted(RELEASES))
def test_rmi_templates_give_their_release_list_date_and_facilities(name: str) -> None:
    reference = read_lookup(shared_file(RMI, name))
    assert (reference.release, reference.list_date) == RELEASES[name]
    assert len(reference.facilities) > 300
    assert {f.metal for f in reference.facilities} == {"Gold", "Tantalum", "Tin", "Tungsten"}
    assert all(f.cid.startswith("CID") and f.standard_name and f.aliases for f in reference.facilities)
    assert len({f.cid for f in reference.facilities}) == len(reference.facilities)
    assert len(reference.skipped) == 8 and all("placeholder" in s.reason for s in reference.skipped)
    assert sum(bool(f.country_code) for f in reference.facilities) / len(reference.facilities) > 0.95


def test_chinese_and_english_ui_of_one_release_read_the_same() -> None:
    chinese = read_lookup(shared_file(RMI, "RMI_CMRT_6.22.xlsx"))
    english = read_lookup(shared_file(RMI, "RMI_CMRT_6.22_english_ui.xlsx"))
    assert _facts(chinese) == _facts(english)


def test_rmi_renames_show_as_aliases_of_one_cid() -> None:
    reference = read_lookup(shared_file(RMI, "RMI_CMRT_6.5.xlsx"))
    yamakin = [f for f in reference.facilities if any(a.casefold().startswith("yamamoto precious metal") for a in f.aliases)]
    assert len(yamakin) == 1 and "Yamakin" in yamakin[0].standard_name


def test_a_supplier_cmrt_carries_its_release_lookup() -> None:
    reference = read_lookup(shared_file(SUPPLIERS, "CMRT6.4_Honeywell_HEM_2024-05_redacted.xlsx"))
    assert (reference.release, reference.list_date) == ("6.4", date(2024, 2, 28))
    assert len(reference.facilities) > 300


def test_sheet_order_and_names_do_not_decide(fixture_path, tmp_path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(fixture_path("cmrt_garbled.xlsx"))
    for sheet in list(book.worksheets):  # each to the front: the (garbled-name) sheets end reversed
        book.move_sheet(sheet, offset=-book.index(sheet))
    target = tmp_path / "reordered.xlsx"
    book.save(target)
    assert openpyxl.load_workbook(target, read_only=True).sheetnames[-1] == openpyxl.load_workbook(fixture_path("cmrt_garbled.xlsx"), read_only=True).sheetnames[0]
    assert _facts(read_lookup(target)) == _facts(read_lookup(fixture_path("cmrt_en.xlsx")))
