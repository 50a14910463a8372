"""The Declaration: company, scope, effective date; the reporting year only when stated."""

from __future__ import annotations

from datetime import date

from smelterkg.ingest.cmrt import read_declaration
from smelterkg.ingest.cmrt.declaration import NO_PERIOD, stated_year
from smelterkg.ingest.models import Locator

from .conftest import RMI, SUPPLIERS, shared_file


def test_english_declaration(fixture_path) -> None:
    d = read_declaration(fixture_path("cmrt_en.xlsx"))
    assert (d.company, d.scope, d.scope_description) == ("Acme Metals Components Inc.", "user_defined", "Connector product line, calendar year 2023")
    assert d.effective_date == date(2024, 5, 2)
    assert dict(d.locators)["effective_date"] == Locator(sheet="Declaration", row=22)
    assert d.release == "6.31"


def test_a_stated_period_gives_the_reporting_year_and_says_where(fixture_path) -> None:
    d = read_declaration(fixture_path("cmrt_en.xlsx"))
    assert d.reporting_year == 2023 and "calendar year 2023" in d.reporting_year_basis


def test_without_a_stated_period_the_year_is_empty_not_the_effective_dates(fixture_path) -> None:
    d = read_declaration(fixture_path("cmrt_old_layout.xlsx"))
    assert d.effective_date == date(2019, 6, 30)
    assert d.reporting_year is None and d.reporting_year_basis == NO_PERIOD


def test_garbled_labels_and_a_typed_date(fixture_path) -> None:
    d = read_declaration(fixture_path("cmrt_garbled.xlsx"))
    assert (d.company, d.scope, d.scope_text) == ("Acme Metals Components Inc.", "product", "B. Product (or List of Products)")
    assert (d.effective_date, d.effective_date_text) == (date(2024, 5, 2), "02-May-2024")


def test_stated_year_wordings() -> None:
    assert stated_year("Electronic Materials, reporting year 2022")[0] == 2022
    assert stated_year("CY2023 declaration")[0] == 2023
    assert stated_year("from January 1 to December 31, 2021")[0] == 2021
    assert stated_year("renamed ... as of January 1, 2024")[0] is None


def test_real_supplier_declarations() -> None:
    honeywell = read_declaration(shared_file(SUPPLIERS, "CMRT6.4_Honeywell_HEM_2024-05_redacted.xlsx"))
    assert honeywell.company == "Honeywell International"
    assert honeywell.scope == "user_defined" and honeywell.scope_description.startswith("Honeywell Performance Materials")
    assert honeywell.effective_date == date(2024, 5, 2) and honeywell.reporting_year is None
    merck = read_declaration(shared_file(SUPPLIERS, "CMRT6.4_Merck_EMD_WF6_2024-04_redacted.xlsx"))
    assert (merck.company, merck.scope, merck.effective_date) == ("EMD Electronics, a business of Merck KGaA, Darmstadt, Germany", "product", date(2024, 4, 30))
    assert merck.scope_description == ""  # the product list link is not a description


def test_blank_and_english_ui_templates() -> None:
    blank = read_declaration(shared_file(RMI, "RMI_CMRT_6.5.xlsx"))
    assert (blank.company, blank.scope, blank.effective_date) == ("", "", None)
    abc = read_declaration(shared_file(RMI, "RMI_CMRT_6.22_english_ui.xlsx"))
    assert (abc.company, abc.scope, abc.effective_date) == ("ABC", "company", date(2022, 5, 21))


def _with_effective_date(source, target, value):
    import openpyxl

    book = openpyxl.load_workbook(source)
    book["Declaration"]["D22"] = value
    book.save(target)
    return target


def test_an_ambiguous_date_is_not_guessed(fixture_path, tmp_path) -> None:
    d = read_declaration(_with_effective_date(fixture_path("cmrt_en.xlsx"), tmp_path / "ambiguous.xlsx", "03/04/2024"))
    assert (d.effective_date, d.effective_date_text) == (None, "03/04/2024")
    assert any("not an unambiguous date" in w for w in d.warnings)


def test_a_non_date_in_the_effective_date_row_is_not_read(fixture_path, tmp_path) -> None:
    d = read_declaration(_with_effective_date(fixture_path("cmrt_en.xlsx"), tmp_path / "phone.xlsx", "+1 (480) 555-0142"))
    assert (d.effective_date, d.effective_date_text) == (None, "")
    assert "555-0142" not in repr(d)
