"""Tests for smelterkg.ingest.report_facts: the facts a Form SD report states about itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from smelterkg.data import REPORTS_DIR
from smelterkg.ingest import report_facts
from smelterkg.ingest.report_facts import Evidence, ReportFacts, extract_report_facts

COUNTS = ("stated_total", "stated_compliant", "stated_active", "stated_remaining")


def read(name: str) -> list[str]:
    return (REPORTS_DIR / name).read_text(encoding="utf-8").splitlines()


def facts(text: str) -> ReportFacts:
    return extract_report_facts(text.splitlines())


# --- the bundled reports ----------------------------------------------------------------

EXPECTED = {
    # file: (filer, year, total, compliant, active, remaining)
    "qualys-2013-form-sd.txt": ("QUALYS, INC.", 2013, None, None, None, None),
    "qualys-2014-form-sd.txt": ("QUALYS, INC.", 2014, None, None, None, None),
    "qualys-2017-form-sd.txt": ("QUALYS, INC.", 2017, 322, 252, 7, 63),
    "qualys-2019-form-sd.txt": ("QUALYS, INC.", 2019, 318, 260, 2, 56),
    "qualys-2022-form-sd.txt": ("QUALYS, INC.", 2022, 249, 226, 7, 16),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_report_facts(name: str) -> None:
    f = extract_report_facts(read(name))
    got = (f.filer, f.year, f.stated_total, f.stated_compliant, f.stated_active, f.stated_remaining)
    assert got == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bundled_evidence_is_on_its_line(name: str) -> None:
    lines = read(name)
    f = extract_report_facts(lines)
    expected_keys = {"filer", "year"} | {k for k in COUNTS if getattr(f, k) is not None}
    assert set(f.evidence) == expected_keys
    for key, ev in f.evidence.items():
        assert 0 < len(ev.text) <= 200, key
        line = " ".join(lines[ev.line - 1].replace("**", "").split())
        for piece in ev.text.split("…"):
            assert piece.strip() in line, (key, ev)


# (filer line, year line, line of the counts paragraph) checked by hand against the files
EVIDENCE_LINES = {
    "qualys-2013-form-sd.txt": (8, 22, None),
    "qualys-2014-form-sd.txt": (21, 51, None),  # markdown: **QUALYS, INC.**
    "qualys-2017-form-sd.txt": (8, 24, 90),
    "qualys-2019-form-sd.txt": (11, 37, 92),
    "qualys-2022-form-sd.txt": (9, 23, 81),
}


@pytest.mark.parametrize("name", sorted(EVIDENCE_LINES))
def test_bundled_evidence_line_numbers(name: str) -> None:
    filer_line, year_line, counts_line = EVIDENCE_LINES[name]
    ev = extract_report_facts(read(name)).evidence
    assert ev["filer"] == Evidence(filer_line, "QUALYS, INC.")
    assert ev["year"].line == year_line
    assert "reporting period" in ev["year"].text
    for key in COUNTS:
        assert (ev[key].line if key in ev else None) == counts_line


def test_2017_evidence_sentences() -> None:
    ev = extract_report_facts(read("qualys-2017-form-sd.txt")).evidence
    assert "an aggregate of 322 facilities or smelters" in ev["stated_total"].text
    assert ev["stated_compliant"].text.startswith("Of these 322 facilities and smelters, we")
    assert "252 facilities or smelters that are deemed to be compliant" in ev["stated_compliant"].text
    assert ev["stated_active"].text.startswith('There are seven more smelters or refiners that are deemed "active"')
    assert ev["stated_active"].text.endswith("…")  # the sentence is longer than 200 chars
    assert ev["stated_remaining"].text.startswith("The remaining 63 facilities or smelters")


def test_bundled_reports_tokenize_only_a_few_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The speed contract: spaCy sees a handful of lines, never the smelter table."""
    nlp = report_facts._rules().nlp
    seen: list[str] = []
    make_doc = nlp.make_doc

    def spy(text: str):  # type: ignore[no-untyped-def]
        seen.append(text)
        return make_doc(text)

    monkeypatch.setattr(nlp, "make_doc", spy)
    for name in EXPECTED:
        seen.clear()
        lines = read(name)
        extract_report_facts(lines)
        assert 1 <= len(seen) <= 4, name
        assert sum(map(len, seen)) < 0.1 * sum(map(len, lines)), name


# --- counts -----------------------------------------------------------------------------

PARAGRAPH = (
    "Based on the smelter lists provided by our suppliers, an aggregate of {total} facilities "
    "or smelters were used by our contract manufacturers. Of these {total} facilities and "
    "smelters, we have identified {compliant} facilities or smelters that are deemed to be "
    'compliant with the CFSP. There are {active} other smelters or refiners that are deemed "active" '
    "by the CFSP. The remaining {remaining} facilities or smelters are not on the CFSI lists for "
    "compliant or active smelters. We have assessed these {remaining} facilities."
)


def test_counts_in_digits() -> None:
    f = facts(PARAGRAPH.format(total=322, compliant=252, active=7, remaining=63))
    assert (f.stated_total, f.stated_compliant, f.stated_active, f.stated_remaining) == (322, 252, 7, 63)


def test_counts_in_words() -> None:
    f = facts(PARAGRAPH.format(total="twenty", compliant="eleven", active="seven", remaining="two"))
    assert (f.stated_total, f.stated_compliant, f.stated_active, f.stated_remaining) == (20, 11, 7, 2)


def test_hyphenated_number_words_and_thousands() -> None:
    f = facts(
        "We identified an aggregate of 1,322 smelters. "
        "Of those, twenty-one smelters are conformant with the RMAP."
    )
    assert f.stated_total == 1322
    assert f.stated_compliant == 21


@pytest.mark.parametrize(
    ("word", "value"),
    [("one", 1), ("two", 2), ("seven", 7), ("twelve", 12), ("twenty", 20), ("ninety-nine", 99),
     ("322", 322), ("1,322", 1322), ("the", None), ("first", None), ("twenty-ten", None)],
)
def test_number_words(word: str, value: int | None) -> None:
    assert report_facts._to_int(word) == value


def test_restatement_is_not_taken_and_compliant_wins() -> None:
    """'Of these 322 ...' restates the total; 252 is the compliant count."""
    f = facts(
        "Of these 322 facilities and smelters, we have identified 252 facilities or smelters "
        "that are deemed to be compliant with the Conflict-Free Smelter Program."
    )
    assert f.stated_compliant == 252
    assert f.stated_total is None


def test_only_the_first_statement_counts() -> None:
    f = facts(
        "The remaining 63 facilities or smelters are not on the lists.\n"
        "Later on, the remaining 5 smelters were reviewed again."
    )
    assert f.stated_remaining == 63
    assert f.evidence["stated_remaining"].line == 1


def test_no_counts_all_none() -> None:
    f = facts(
        "We requested from our nine contract manufacturers that they complete this template.\n"
        "Our remaining five contract manufacturers did not provide sufficient information to "
        "determine the facilities used to process the Conflict Minerals.\n"
        "We do not directly purchase Conflict Minerals from mines, smelters or refiners.\n"
    )
    assert all(getattr(f, k) is None for k in COUNTS)
    assert not set(COUNTS) & set(f.evidence)


def test_number_of_something_else_is_not_a_facility_count() -> None:
    f = facts(
        "We requested from our eight contract manufacturers that they complete the CMRT, and "
        "they listed the smelters used. Our remaining three contract manufacturers listed "
        "facilities that are compliant or active."
    )
    assert all(getattr(f, k) is None for k in COUNTS)


@pytest.mark.parametrize(
    "sentence",
    [
        "In the aggregate, 3 smelters were located in Covered Countries.",  # not 'aggregate of'
        "There are four smelters or refiners that may be considered at greater risk.",
        "There are 12 smelters that are not compliant with the RMAP.",  # negated
        "Of these 40 smelters, most are in Asia.",
        "95% of smelters are compliant.",
    ],
)
def test_unclassifiable_counts_stay_none(sentence: str) -> None:
    f = facts(sentence)
    assert all(getattr(f, k) is None for k in COUNTS), sentence


def test_count_modifiers() -> None:
    f = facts("We found 63 remaining smelters. We found 14 compliant refiners.")
    assert f.stated_remaining == 63
    assert f.stated_compliant == 14


def test_markdown_emphasis_does_not_hide_a_count() -> None:
    f = facts("Suppliers reported an aggregate of **322** smelters.")
    assert f.stated_total == 322


# --- year -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("for the reporting period from January 1 to December 31, 2017.", 2017),
        ("for the reporting period January 1, 2014 to December 31, 2014.", 2014),
        ("**For The Reporting Period from January 1, 2014 to December 31, 2014**", 2014),
        ("for the reporting period from July 1, 2016 to June 30, 2017.", 2017),  # end year
        ("completed during calendar year 2013.", 2013),
        ("for the year ended December 31, 2015.", 2015),
    ],
)
def test_year_phrases(text: str, year: int) -> None:
    assert facts(text).year == year


def test_filing_year_is_not_the_reporting_year() -> None:
    assert facts("In 2014, we publicly filed the Form SD and this Report with the SEC.").year is None


def test_filing_year_trap_with_calendar_year() -> None:
    f = facts(
        "In 2014, we publicly filed the Form SD and this Report with the SEC.\n"
        "\n"
        "The manufacture was completed during calendar year 2013.\n"
    )
    assert f.year == 2013
    assert f.evidence["year"] == Evidence(3, "The manufacture was completed during calendar year 2013.")


def test_reporting_period_beats_an_earlier_calendar_year() -> None:
    f = facts(
        "Our products are DRC Conflict Undeterminable with regard to calendar year 2012.\n"
        "This report covers the reporting period January 1, 2013 to December 31, 2013.\n"
    )
    assert f.year == 2013
    assert f.evidence["year"].line == 2


# --- filer ------------------------------------------------------------------------------


def test_filer_from_cover_page_markdown() -> None:
    f = facts("---\n\n**ACME WIDGETS, INC.**\n\n(Exact name of registrant as specified in its charter)\n")
    assert f.filer == "ACME WIDGETS, INC."
    assert f.evidence["filer"] == Evidence(3, "ACME WIDGETS, INC.")


def test_filer_on_the_same_line_as_the_caption() -> None:
    f = facts("Acme   Widgets,  Inc. (Exact name of registrant as specified in its charter)")
    assert f.filer == "Acme Widgets, Inc."


def test_filer_fallback_to_prose() -> None:
    f = facts(
        "Some heading\n"
        'This Report of Acme Widgets, Inc. ("Acme" or the "Company") has been prepared.\n'
    )
    assert f.filer == "Acme Widgets, Inc."
    assert f.evidence["filer"].line == 2


def test_no_filer_stated() -> None:
    f = facts("This report has no cover page and names no company.")
    assert f.filer is None and "filer" not in f.evidence


# --- the value object -------------------------------------------------------------------


def test_empty_report() -> None:
    f = extract_report_facts([])
    assert f == ReportFacts(None, None, None, None, None, None, {})


def test_report_facts_are_frozen_and_hashable() -> None:
    f = extract_report_facts(read("qualys-2017-form-sd.txt"))
    assert hash(f) == hash(extract_report_facts(read("qualys-2017-form-sd.txt")))
    with pytest.raises(AttributeError):
        f.year = 2020  # type: ignore[misc]


# --- counts stated in other words --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (total, compliant, active)
        ("We identified 318 smelters.", (318, None, None)),
        ("We identified 6 smelters and refiners in our supply chain.", (6, None, None)),
        ("Our suppliers identified a total of 250 SORs.", (250, None, None)),
        ("We identified 318 smelters, 250 of which are conformant.", (318, 250, None)),
        ("Our suppliers reported 40 smelters, of which 12 were active.", (40, None, 12)),
        ("We identified 40 refiners; 30 of which are deemed compliant and 5 of which are active.", (40, 30, 5)),
        ("We identified forty smelters, twenty-one of which are conformant.", (40, 21, None)),
        ("Suppliers reported 318 smelters, of which twenty-two are active.", (318, None, 22)),
    ],
)
def test_counts_stated_in_other_words(text: str, expected: tuple[int | None, ...]) -> None:
    f = facts(text)
    assert (f.stated_total, f.stated_compliant, f.stated_active) == expected
    for key, value in zip(("stated_total", "stated_compliant", "stated_active"), expected):
        assert (key in f.evidence) == (value is not None)
        if value is not None:
            assert f.evidence[key].line == 1 and f.evidence[key].text == text


def test_identified_is_a_total_only_when_nothing_narrows_it() -> None:
    """'identified N smelters' states the total when the noun phrase ends the clause; a qualifier
    after it ('located in', 'that are not') makes it some other number, never the total."""
    assert facts("In 2019 we identified 318 smelters.").stated_total == 318
    for sentence in (
        "We identified 3 smelters located in the Covered Countries.",
        "We identified 12 smelters that are not conformant.",
    ):
        f = facts(sentence)
        assert all(getattr(f, k) is None for k in COUNTS), sentence
    # "of which 7 are not conformant" is no compliant count; the total before it stands
    f = facts("We identified 318 smelters, of which 7 are not conformant.")
    assert (f.stated_total, f.stated_compliant) == (318, None)
    # a compliance word after the noun still makes it the compliant count (the bundled wording)
    f = facts("Of these 322 smelters, we have identified 252 smelters that are deemed compliant.")
    assert (f.stated_total, f.stated_compliant) == (None, 252)


def test_a_summary_table_of_counts_is_not_a_stated_count() -> None:
    """'Gold | 61 6 9 39 115' counts smelters by metal and status, but no sentence states them."""
    from smelterkg.ingest.readers import read_document

    report = read_document(EXHIBITS / "summary-tables-2020.htm")
    assert report.facts.filer == "TRIAL COMPONENTS LTD."  # the title is read ...
    assert all(getattr(report.facts, k) is None for k in COUNTS)  # ... the table's numbers are not


# --- the registrant as EDGAR exhibits print it --------------------------------------------

EXHIBITS = Path(__file__).parents[1] / "data" / "exhibits"
FIXTURES = Path(__file__).parents[1] / "data"

# every fixture exhibit: (filer, evidence line) as the file prints it
FIXTURE_FILERS = {
    "exhibits/workiva-style-2021.htm": ("Example Widgets, Inc.", 11),  # "This Conflict Minerals Report of X is ..."
    "exhibits/toppan-style-2016.htm": ("MODEL INSTRUMENTS, INC.", 5),  # first-page company line
    "exhibits/donnelley-style-2019.htm": ("SAMPLE DEVICES CORPORATION", 7),  # after "Exhibit 1.01"
    "exhibits/location-no-status-2015.htm": ("NORTHWIND HOLDINGS CORP.", 4),  # "X Conflict Minerals Report ..."
    "exhibits/summary-tables-2020.htm": ("TRIAL COMPONENTS LTD.", 4),  # "X – CONFLICT MINERALS REPORT"
    "exhibits-long/grouped-pages-2019.htm": ("LONGWAY DEVICES, INC.", 5),
    "exhibits-long/landscape-metal-first-2017.htm": ("BROADSHEET SYSTEMS CORP.", 5),
    "exhibits-long/longlist-2022.htm": ("LONGLIST TECHNOLOGIES, INC.", 3),
    "exhibits-pdf/workiva-style-2021.pdf": ("Example Widgets, Inc.", 3),  # "Conflict Minerals Report of X"
    "exhibits-pdf/summary-tables-2020.pdf": ("TRIAL COMPONENTS LTD.", 1),  # the title wraps: "... CONFLICT" / "MINERALS REPORT"
    "exhibits-text/workiva-style-2021.w3m.txt": ("Example Widgets, Inc.", None),
    "exhibits-text/location-no-status-2015.pdftotext.txt": ("NORTHWIND HOLDINGS CORP.", None),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_FILERS))
def test_fixture_exhibits_name_their_registrant(name: str) -> None:
    from smelterkg.ingest.readers import read_document

    filer, line = FIXTURE_FILERS[name]
    report = read_document(FIXTURES / name)
    assert report.facts.filer == filer
    assert report.facts.evidence["filer"].text == filer
    if line is not None:
        assert report.facts.evidence["filer"].line == line


def test_wrapped_reporting_period_gives_the_year() -> None:
    """A PDF line break inside "January 1 to December" / "31, 2021." still gives the year."""
    f = facts("This report is for the reporting period from January 1 to December\n31, 2021.\n")
    assert f.year == 2021 and f.evidence["year"].line == 1


@pytest.mark.parametrize(
    ("text", "filer", "line"),
    [
        ("Exhibit 1.01\n\nACME WIDGETS CORPORATION\n\nConflict Minerals Report\n", "ACME WIDGETS CORPORATION", 3),
        ("Conflict Minerals Report\nThis Conflict Minerals Report of Acme Widgets, Inc. is for 2019.\n", "Acme Widgets, Inc.", 2),
        ('This Conflict Minerals Report of Johnson & Johnson (the "Company") covers 2019.', "Johnson & Johnson", 1),
        ("ACME WIDGETS LTD. – CONFLICT MINERALS REPORT\n", "ACME WIDGETS LTD.", 1),
        ("Acme Widgets, Inc. Conflict Minerals Report for calendar year 2015\n", "Acme Widgets, Inc.", 1),
    ],
)
def test_registrant_as_exhibits_print_it(text: str, filer: str, line: int) -> None:
    f = facts(text)
    assert f.filer == filer
    assert f.evidence["filer"] == Evidence(line, filer)


@pytest.mark.parametrize(
    ("silent", "stated", "filer"),
    [
        # (a text naming no registrant, the same text printing one, the name)
        ("Conflict Minerals Report\nFor the reporting period January 1 to December 31, 2019.\n",
         "ACME CORP.\nConflict Minerals Report\nFor the reporting period January 1 to December 31, 2019.\n", "ACME CORP."),
        ("This Conflict Minerals Report of the Company is for 2019.",
         "This Conflict Minerals Report of Acme Corp. is for 2019.", "Acme Corp."),
        ("The 2019 Conflict Minerals Report was prepared by the company.",
         "Acme Ltd. Conflict Minerals Report\nThe 2019 Conflict Minerals Report was prepared by the company.", "Acme Ltd."),
        # a list of smelters is not a title block: its names are not the filer
        ("Smelters and refiners\nAsaka Riken Co., Ltd.\nArgor-Heraeus S.A.\n",
         "ACME INC.\nSmelters and refiners\nAsaka Riken Co., Ltd.\nArgor-Heraeus S.A.\n", "ACME INC."),
        ("Gold\tAsaka Riken Co., Ltd.\tJAPAN\n", "ACME INC.\nGold\tAsaka Riken Co., Ltd.\tJAPAN\n", "ACME INC."),
        # a company line far below the title block is not read; in it, it is
        ("\n".join(["Some heading line"] * 12 + ["ACME WIDGETS, INC."]),
         "\n".join(["Some heading line"] * 11 + ["ACME WIDGETS, INC."]), "ACME WIDGETS, INC."),
    ],
)  # fmt: skip
def test_registrant_only_where_stated(silent: str, stated: str, filer: str) -> None:
    f = facts(silent)
    assert f.filer is None and "filer" not in f.evidence
    assert facts(stated).filer == filer


def test_header_conformed_name_when_the_documents_print_none(tmp_path) -> None:
    """An EDGAR submission whose documents print no name: the header's COMPANY CONFORMED NAME."""
    from smelterkg.ingest.readers import read_document

    data = (EXHIBITS / "edgar-submission-2022.txt").read_bytes()
    data = data.replace(b"<p><b>EXAMPLE SENSORS INC.</b></p><p>(Exact name of registrant as specified in its charter)</p>", b"")
    data = data.replace(b"Conflict Minerals Report of Example Sensors Inc. for", b"This report covers")
    path = tmp_path / "submission.txt"
    path.write_bytes(data)
    f = read_document(path).facts
    assert f.filer == "EXAMPLE SENSORS INC"
    assert f.evidence["filer"] == Evidence(12, "COMPANY CONFORMED NAME: EXAMPLE SENSORS INC", "header")
    # a name the documents print wins over the header's
    assert read_document(EXHIBITS / "edgar-submission-2022.txt").facts.filer == "EXAMPLE SENSORS INC."


# --- CIK and accession printed in the text ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cik", "line"),
    [
        ("Apple Inc.\nCIK: 0000320193\n", "0000320193", 2),
        ("Central Index Key: 320193", "0000320193", 1),
        ("Central Index Key (CIK) No. 320193.", "0000320193", 1),
        ("FILER:\n\tCOMPANY DATA:\n\t\tCENTRAL INDEX KEY:\t\t\t0000999999\n", "0000999999", 3),
    ],
)
def test_cik_printed_in_the_text(text: str, cik: str, line: int) -> None:
    f = facts(text)
    assert f.cik == cik
    assert f.evidence["cik"].line == line and f.evidence["cik"].origin == "text"
    assert cik.lstrip("0") in f.evidence["cik"].text


@pytest.mark.parametrize(
    ("silent", "stated", "cik"),
    [
        # (no CIK stated, the same with one, the CIK): a Commission File Number is not a CIK
        ("Commission File Number: 001-36743", "Commission File Number: 001-36743\nCIK: 1418091", "0001418091"),
        ("PT Cikarang Metal 123 smelters", "PT Cikarang Metal 123 smelters (CIK 1418091)", "0001418091"),
        ("CIK: none", "CIK: 1418091", "0001418091"),
        ("CIK: 12345678901", "CIK: 1234567890", "1234567890"),  # 11 digits are no CIK
    ],
)
def test_cik_only_where_stated(silent: str, stated: str, cik: str) -> None:
    f = facts(silent)
    assert f.cik is None and "cik" not in f.evidence
    assert facts(stated).cik == cik


def test_accession_printed_in_the_text() -> None:
    f = facts("x\nACCESSION NUMBER:\t\t0000320193-24-000012\nAccession No. 0000320193-25-000001\n")
    assert f.accession == "0000320193-24-000012"  # the first
    assert f.evidence["accession"] == Evidence(2, "ACCESSION NUMBER: 0000320193-24-000012")
    for malformed in ("Accession number: 0000320193-24-12", "Accession number: 320193-24-000012"):
        assert facts(malformed).accession is None


def test_title_rules_read_only_the_first_title_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text repeating "Conflict Minerals Report" on every line: the name stated with an early one
    is read, and spaCy sees a bounded number of those lines, not all of them."""
    nlp = report_facts._rules().nlp
    seen: list[str] = []
    make_doc = nlp.make_doc
    monkeypatch.setattr(nlp, "make_doc", lambda text: seen.append(text) or make_doc(text))
    lines = ["This Conflict Minerals Report of the Company is long."] * 5000
    f = extract_report_facts(["Exhibit 1.01", "This Conflict Minerals Report of Acme Corp. is for 2019.", *lines])
    assert f.filer == "Acme Corp."
    seen.clear()
    assert extract_report_facts(lines).filer is None
    assert len(seen) <= 25
