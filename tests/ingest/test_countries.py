"""Country gazetteer and segmentation (smelterkg.ingest.countries)."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smelterkg.ingest.countries import (
    ALIASES_PATH,
    CountrySpan,
    country_code,
    is_country_prefix,
    is_country_text,
    load_aliases,
    segment_countries,
)

# Line 228 of qualys-2022-form-sd.txt: a whole country column dumped onto one line.
RUN_TOGETHER = (
    "KOREA, REPUBLIC OF UNITED STATES OF AMERICA JAPAN SOUTH AFRICA CHINA SINGAPORE CHINA "
    "SWITZERLAND UNITED STATES OF AMERICA MEXICO JAPAN JAPAN INDIA TURKEY UZBEKISTAN KOREA, "
    "REPUBLIC OF JAPAN AUSTRIA JAPAN SWITZERLAND CHILE INDONESIA SWITZERLAND SOUTH AFRICA "
    "NETHERLANDS CANADA FRANCE ITALY CZECHIA KOREA, REPUBLIC OF COLOMBIA SPAIN CHINA CHINA "
    "CHINA TAIWAN, PROVINCE OF CHINA TAIWAN, PROVINCE OF CHINA JAPAN KOREA, REPUBLIC OF"
)
RUN_TOGETHER_SPANS = [
    ("KOREA, REPUBLIC OF", "KR"), ("UNITED STATES OF AMERICA", "US"), ("JAPAN", "JP"),
    ("SOUTH AFRICA", "ZA"), ("CHINA", "CN"), ("SINGAPORE", "SG"), ("CHINA", "CN"),
    ("SWITZERLAND", "CH"), ("UNITED STATES OF AMERICA", "US"), ("MEXICO", "MX"),
    ("JAPAN", "JP"), ("JAPAN", "JP"), ("INDIA", "IN"), ("TURKEY", "TR"),
    ("UZBEKISTAN", "UZ"), ("KOREA, REPUBLIC OF", "KR"), ("JAPAN", "JP"), ("AUSTRIA", "AT"),
    ("JAPAN", "JP"), ("SWITZERLAND", "CH"), ("CHILE", "CL"), ("INDONESIA", "ID"),
    ("SWITZERLAND", "CH"), ("SOUTH AFRICA", "ZA"), ("NETHERLANDS", "NL"), ("CANADA", "CA"),
    ("FRANCE", "FR"), ("ITALY", "IT"), ("CZECHIA", "CZ"), ("KOREA, REPUBLIC OF", "KR"),
    ("COLOMBIA", "CO"), ("SPAIN", "ES"), ("CHINA", "CN"), ("CHINA", "CN"), ("CHINA", "CN"),
    ("TAIWAN, PROVINCE OF CHINA", "TW"), ("TAIWAN, PROVINCE OF CHINA", "TW"),
    ("JAPAN", "JP"), ("KOREA, REPUBLIC OF", "KR"),
]


def codes(text: str) -> list[str | None]:
    return [span.code for span in segment_countries(text)]


def test_run_together_line_segments_into_39_printed_countries() -> None:
    spans = segment_countries(RUN_TOGETHER)
    assert len(spans) == 39
    assert [(s.text, s.code) for s in spans] == RUN_TOGETHER_SPANS
    assert all(RUN_TOGETHER[s.start:s.end] == s.text for s in spans)
    assert is_country_text(RUN_TOGETHER)
    assert country_code(RUN_TOGETHER) is None  # many countries, not one


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("KOREA (REPUBLIC OF)", "KR"), ("KOREA, REPUBLIC OF", "KR"), ("Korea, Republic of", "KR"),
        ("Korea", "KR"), ("South Korea", "KR"), ("Republic of Korea", "KR"),
        ("Hong Kong", "HK"), ("Hong Kong SAR", "HK"), ("Macao", "MO"), ("Macau", "MO"),
        ("TAIWAN, PROVINCE OF CHINA", "TW"), ("Taiwan", "TW"),
        ("VIET NAM", "VN"), ("Vietnam", "VN"), ("Viet Nam", "VN"),
        ("BOLIVIA (PLURINATIONAL STATE OF)", "BO"), ("BOLIVIA (PLURINATIONAL STATE OF", "BO"),
        ("Bolivia", "BO"),
        ("RUSSIAN FEDERATION", "RU"), ("Russian Federation", "RU"), ("Russia", "RU"),
        ("United States", "US"), ("UNITED STATES OF AMERICA", "US"), ("USA", "US"),
        ("U.S.A.", "US"),
        ("MACEDONIA, THE FORMER YUGOSLAV REPUBLIC OF", "MK"), ("Macedonia", "MK"),
        ("North Macedonia", "MK"),
        ("CZECH REPUBLIC", "CZ"), ("CZECHIA", "CZ"),
        ("TURKEY", "TR"), ("Türkiye", "TR"), ("TURKIYE", "TR"),
        ("Britain", "GB"), ("Great Britain", "GB"), ("UK", "GB"), ("United Kingdom", "GB"),
        ("Iran", "IR"), ("Syria", "SY"), ("Laos", "LA"), ("Tanzania", "TZ"),
        ("Democratic Republic of the Congo", "CD"), ("DRC", "CD"),
        ("Congo, Democratic Republic of the", "CD"), ("Congo (Kinshasa)", "CD"),
        ("Congo, The Democratic Republic of the", "CD"), ("Congo-Kinshasa", "CD"),
        ("Republic of the Congo", "CG"), ("Republic of Congo", "CG"),
        ("Congo (Brazzaville)", "CG"), ("Congo", "CG"),
        ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"), ("COTE D’IVOIRE", "CI"),
        ("Swaziland", "SZ"), ("Eswatini", "SZ"), ("Burma", "MM"), ("Myanmar", "MM"),
        ("Moldova", "MD"), ("Venezuela", "VE"), ("Korea, Democratic People's Republic of", "KP"),
    ],
)
def test_printed_forms_map_to_their_code(text: str, code: str) -> None:
    assert country_code(text) == code
    [span] = segment_countries(text)
    assert span.text == text.strip()


def test_ambiguous_words_are_not_aliases() -> None:
    assert country_code("US") is None
    assert country_code("America") is None
    assert country_code("IN") is None  # alpha-2 codes are not entries


def test_ocr_damage_leaves_unrecognised_spans() -> None:
    spans = segment_countries("JAPAN LINITED STATES OF AMERICA")
    assert spans[0] == CountrySpan(0, 5, "JAPAN", "JP")
    assert any(s.code is None for s in spans)
    assert not is_country_text("JAPAN LINITED STATES OF AMERICA")
    assert segment_countries("ROSSIANTEDERATION") == [
        CountrySpan(0, 17, "ROSSIANTEDERATION", None)
    ]


def test_consecutive_unrecognised_tokens_form_one_span() -> None:
    spans = segment_countries("Full Compliant JAPAN Full Compliant")
    assert [(s.text, s.code) for s in spans] == [
        ("Full Compliant", None), ("JAPAN", "JP"), ("Full Compliant", None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SWITZERLAND SOUTH AFRICA", ["CH", "ZA"]),
        ("UNITED STATES OF AMERICA CHINA", ["US", "CN"]),
        ("CHINA CHINA", ["CN", "CN"]),
        ("KOREA, REPUBLIC OF UNITED STATES OF AMERICA", ["KR", "US"]),
        ("TAIWAN, PROVINCE OF CHINA JAPAN", ["TW", "JP"]),
    ],
)
def test_short_run_together_lines(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_ties_go_to_the_longest_first_span() -> None:
    # "Republic of Colombia" is CO's official name, so KR("KOREA") + CO(...) costs the same;
    # reports print the inverted ISO form, so the printed split must win.
    spans = segment_countries("KOREA, REPUBLIC OF COLOMBIA")
    assert [(s.text, s.code) for s in spans] == [("KOREA, REPUBLIC OF", "KR"), ("COLOMBIA", "CO")]


def test_punctuation_only_tokens_belong_to_no_span() -> None:
    assert segment_countries("- Japan") == [CountrySpan(2, 7, "Japan", "JP")]
    assert segment_countries("Japan · China") == [
        CountrySpan(0, 5, "Japan", "JP"), CountrySpan(8, 13, "China", "CN")
    ]
    assert segment_countries(" - · ") == []
    assert country_code("") is None and not is_country_text("")


def test_wrapped_name_is_a_prefix_and_joins_to_a_country() -> None:
    assert is_country_prefix("MACEDONIA, THE FORMER YUGOSLAV")
    assert country_code("MACEDONIA, THE FORMER YUGOSLAV" + " " + "REPUBLIC OF") == "MK"
    assert is_country_prefix("KOREA, REPUBLIC")
    assert is_country_prefix("TAIWAN, PROVINCE OF")
    assert is_country_prefix("UNITED")
    assert not is_country_prefix("UNITED STATES")  # complete already
    assert not is_country_prefix("MACEDONIA")  # a country in its own right
    assert not is_country_prefix("CHINA")
    assert not is_country_prefix("Full Compliant")
    assert not is_country_prefix("")


def test_results_are_cached_but_not_shared_mutably() -> None:
    first = segment_countries("Japan China")
    first.clear()
    assert codes("Japan China") == ["JP", "CN"]


# --- the alias table ----------------------------------------------------------------


def test_bundled_alias_table_loads_with_evidence() -> None:
    rows = load_aliases(ALIASES_PATH)
    assert rows
    known = {c.alpha_2 for c in pycountry.countries}
    for row in rows:
        assert row.source and row.date and row.alpha2 in known
    assert {r.alias for r in rows} >= {"Korea", "Turkey", "Burma", "DRC", "Swaziland"}
    assert not {"US", "America"} & {r.alias for r in rows}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,alpha2,source,date\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Korea,KR,,2026-11-21\n", "empty 'source'"),
        ("Korea,KR,common exonym,\n", "empty 'date'"),
        ("Korea,KR,common exonym,21/11/2026\n", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("Korea,KR,common exonym,2026-02-30\n", "not a calendar date"),
        ("Burma,MM,listed again,2026-11-21\n", "duplicates line 2"),
        ("Korea,XX,common exonym,2026-11-21\n", "unknown ISO 3166-1 alpha-2"),
        ("--,KR,common exonym,2026-11-21\n", "no word token"),
        ("BURMA.,KP,b,2026-11-21\n", "two codes"),
    ],
)
def test_alias_row_without_evidence_is_rejected(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, "Burma,MM,former English name,1989-06-18\n" + body)
    with pytest.raises(ValueError, match=message) as info:
        load_aliases(path)
    assert f"{path}:3" in str(info.value)  # file and line of the offending row


def test_alias_table_with_wrong_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,alpha2\nKorea,KR\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected columns"):
        load_aliases(path)


def test_alias_may_not_remap_a_pycountry_name(tmp_path: Path) -> None:
    from smelterkg.ingest.countries import _build

    path = _write(tmp_path, "Congo,CD,wishful thinking,2026-11-21\n")
    with pytest.raises(ValueError, match=rf"{path.name}:2: .*conflicts"):
        _build(load_aliases(path), path)


# --- properties -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_segmentation_never_raises_and_spans_are_ordered(text: str) -> None:
    spans = segment_countries(text)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert span.text == text[span.start:span.end]
        previous_end = span.end
    # every word character lies inside some span
    covered = set().union(*(range(s.start, s.end) for s in spans)) if spans else set()
    assert all(i in covered for i, ch in enumerate(text) if ch.isalnum())
    # consecutive unrecognised stretches are merged
    assert not any(a.code is None and b.code is None for a, b in zip(spans, spans[1:]))


_NAMES = sorted({c.name for c in pycountry.countries} | {"Korea", "Turkey", "Russia", "USA"})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=12),
       st.sampled_from([" ", "  ", "\t", " - ", "\n"]))
def test_joined_country_names_are_all_recognised(names: list[str], sep: str) -> None:
    spans = segment_countries(sep.join(names))
    assert all(span.code is not None for span in spans)
    assert len(spans) <= len(names)  # the DP never does worse than the true split
