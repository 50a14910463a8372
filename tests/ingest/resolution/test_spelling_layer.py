"""The spelling layer: a one-off misspelling joins the facility of the well-attested name it is one
edit from — and nothing else does (two attested names, other digits, another country, two
candidates alike, an analyst's "different", names too short)."""

from __future__ import annotations

from smelterkg.ingest.models import MentionRow
from smelterkg.ingest.resolution import resolve_reports
from smelterkg.ingest.resolution.ledger import LedgerEntry
from smelterkg.ingest.resolution.layers.spelling import MIN_SUPPORT, SUPPORT_RATIO, letters


def _report(year: int, *names: str, metal: str = "Gold", country: str = "TR") -> tuple[int, list[MentionRow]]:
    rows = [MentionRow(f"r{year}.txt", i, (i,), year, metal, name, "", "", country_code=country) for i, name in enumerate(names, 1)]
    return year, rows


def _attested(name: str, reports: int, first_year: int = 2014, **where) -> list[tuple[int, list[MentionRow]]]:
    return [_report(first_year + i % 9, name, "Metalor Technologies S.A.", **where) for i in range(reports)]


def _facility_of(resolution, name: str) -> int:
    return next(d.facility for d in resolution.decisions if name in d.names)


def _decision(resolution, name: str):
    return next(d for d in resolution.decisions if name in d.names)


def test_letters_are_the_folded_letters_and_digits_run_together() -> None:
    assert letters("H.C. Starck GmbH") == "hcstarckgmbh"
    assert letters("Élite Métaux (Unit 2)") == "elitemetauxunit2"


def test_a_one_off_misspelling_joins_the_facility_it_misspells() -> None:
    reports = [*_attested("Istanbul Gold Refinery", 8), _report(2020, "Istanbul Glld Refinery")]
    resolution = resolve_reports(reports)
    assert _facility_of(resolution, "Istanbul Glld Refinery") == _facility_of(resolution, "Istanbul Gold Refinery")
    decision = _decision(resolution, "Istanbul Glld Refinery")
    assert decision.layer == "spelling"
    assert "'istanbulglldrefinery' one edit from 'istanbulgoldrefinery'" in decision.reason
    assert "printed by 8 reports against 1" in decision.reason
    assert resolution.merges_per_layer["spelling"] == 1


def test_a_misspelled_legal_form_joins_too() -> None:
    reports = [*_attested("H.C. Starck GmbH", 6, metal="Tungsten", country="DE"), _report(2020, "H.C. Starck GibH", metal="Tungsten", country="DE")]
    resolution = resolve_reports(reports)
    assert _facility_of(resolution, "H.C. Starck GibH") == _facility_of(resolution, "H.C. Starck GmbH")


def test_two_well_attested_names_one_edit_apart_stay_two() -> None:
    # printed by 5 and 2 reports: 5 < SUPPORT_RATIO * 2, so neither is taken for the other's typo
    assert 5 < SUPPORT_RATIO * 2
    reports = [*_attested("Kazan Metal Works", 5), *_attested("Kazan Metal Warks", 2, first_year=2020)]
    resolution = resolve_reports(reports)
    assert _facility_of(resolution, "Kazan Metal Works") != _facility_of(resolution, "Kazan Metal Warks")


def test_too_little_support_joins_nothing() -> None:
    reports = [*_attested("Istanbul Gold Refinery", MIN_SUPPORT - 1), _report(2022, "Istanbul Glld Refinery")]
    resolution = resolve_reports(reports)
    assert _decision(resolution, "Istanbul Glld Refinery").layer != "spelling"


def test_other_digits_are_other_facilities() -> None:
    reports = [*_attested("Emerald Jewel Industry India Limited (Unit 1)", 8, country="IN"),
               _report(2021, "Emerald Jewel Industry India Limited (Unit 2)", country="IN")]  # fmt: skip
    resolution = resolve_reports(reports)
    assert _facility_of(resolution, "Emerald Jewel Industry India Limited (Unit 1)") != _facility_of(
        resolution, "Emerald Jewel Industry India Limited (Unit 2)"
    )


def test_another_country_is_another_facility() -> None:
    reports = [*_attested("Istanbul Gold Refinery", 8), _report(2020, "Istanbul Glld Refinery", country="JP")]
    resolution = resolve_reports(reports)
    assert _decision(resolution, "Istanbul Glld Refinery").layer != "spelling"


def test_a_spelling_between_two_alike_facilities_is_left_alone() -> None:
    # "Kazan Metal Wrks" is one edit from both, printed by 8 and 6 reports: no dominant candidate
    reports = [*_attested("Kazan Metal Works", 8), *_attested("Kazan Metal Warks", 6, first_year=2015),
               _report(2022, "Kazan Metal Wrks")]  # fmt: skip
    resolution = resolve_reports(reports)
    assert _facility_of(resolution, "Kazan Metal Works") != _facility_of(resolution, "Kazan Metal Warks")
    assert _decision(resolution, "Kazan Metal Wrks").layer != "spelling"


def test_an_analysts_different_stops_it() -> None:
    entry = LedgerEntry("different", "Gold", "Istanbul Glld Refinery", "TR", "Istanbul Gold Refinery", "TR", None,
                        "analyst", "2026-12-04", "", "test:1")  # fmt: skip
    reports = [*_attested("Istanbul Gold Refinery", 8), _report(2020, "Istanbul Glld Refinery")]
    resolution = resolve_reports(reports, [entry])
    assert _facility_of(resolution, "Istanbul Glld Refinery") != _facility_of(resolution, "Istanbul Gold Refinery")


def test_short_names_are_not_taken_for_typos() -> None:
    reports = [*_attested("Dowa", 8, country="JP"), _report(2020, "Dwa", country="JP")]
    resolution = resolve_reports(reports)
    assert _decision(resolution, "Dwa").layer != "spelling"
