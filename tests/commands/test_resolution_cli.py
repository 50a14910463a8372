"""The ledger's contract and the analyst's loop: review -> judge -> build -> explain."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from smelterkg.cli import main
from smelterkg.ingest.resolution.ledger import COLUMNS, LedgerError, read_ledger

# In the review queue of the bundled build; RMI's look-up 6.5 files both under CID000769 (the first
# spelt "Human Chun-Chang non-ferrous ..."), so the bundled ledger does not settle them.
CHUN_A, CHUN_B = "Hunan Chun-Chang Nonferrous Smelting & Concentrating Co., Ltd.", "Hunan Chunchang Nonferrous Metals Co., Ltd."


def write_ledger(path: Path, *rows: dict[str, str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return path


RENAME = {"kind": "rename", "metal": "Gold", "subject": "A Gold", "object": "B Gold", "source": "https://example.org/x", "date": "2020-01-02"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": ""}, r":2: no evidence: empty 'source'"),
        ({"date": ""}, r":2: no evidence: empty 'date'"),
        ({"source": "", "date": ""}, r"empty 'source and date'"),
        ({"kind": "merger"}, r":2: unknown kind 'merger'"),
        ({"metal": "Silver"}, r":2: unknown metal 'Silver'"),
        ({"date": "21/11/2026"}, r"is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"object": ""}, r"empty 'object'"),
        ({"subject_country": "Germany"}, r"not an ISO 3166 alpha-2 code"),
    ],
)
def test_a_ledger_entry_without_evidence_or_with_a_bad_value_is_rejected(tmp_path, change, message):
    path = write_ledger(tmp_path / "ledger.csv", {**RENAME, **change})
    with pytest.raises(LedgerError, match=message) as caught:
        read_ledger(path)
    assert str(caught.value).startswith(str(path))


def test_the_bundled_ledger_has_evidence_for_every_entry():
    from smelterkg.ingest.resolution.ledger import BUNDLED_LEDGER

    entries = read_ledger(BUNDLED_LEDGER)
    assert len(entries) >= 30
    assert all(e.source and e.date for e in entries)
    assert {e.kind for e in entries} >= {"rename", "split", "absorption", "trade-name"}


def test_build_with_a_bad_ledger_fails_in_one_line_and_keeps_the_previous_store(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", "--store", str(store)]) == 0
    before = sorted((p.relative_to(store), p.stat().st_size) for p in store.rglob("*") if p.is_file())
    bad = write_ledger(tmp_path / "bad.csv", {**RENAME, "source": ""})
    capsys.readouterr()
    assert main(["build", "--store", str(store), "--ledger", str(bad)]) == 1
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and f"{bad}:2: no evidence" in err and "Traceback" not in err
    assert sorted((p.relative_to(store), p.stat().st_size) for p in store.rglob("*") if p.is_file()) == before


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_judge_build_explain_round_trip(tmp_path, capsys, monkeypatch):
    ledger = tmp_path / "judgements.csv"
    monkeypatch.setenv("SMELTERKG_LEDGER", str(ledger))
    store = tmp_path / "store"
    assert run(capsys, "build", "--store", str(store))[0] == 0

    code, out, _ = run(capsys, "explain", CHUN_A, CHUN_B, "--store", str(store))
    assert code == 0 and "DIFFERENT facilities" in out and "match weight" in out

    review = tmp_path / "review.csv"
    code, _, err = run(capsys, "review", "-o", str(review), "--store", str(store))
    assert code == 0 and "uncertain pairs" in err
    with review.open(encoding="utf-8", newline="") as handle:
        items = list(csv.DictReader(handle))
    chun = [r for r in items if {r["name_a"], r["name_b"]} == {CHUN_A, CHUN_B} and r["kind"] == "pair"]
    assert chun and chun[0]["judge"].startswith("smelterkg judge")
    assert any(r["kind"] == "rename-candidate" for r in items)

    # any spelling, any case; the ledger records the printed spelling, today's date and the evidence
    code, _, err = run(capsys, "judge", CHUN_A.upper(), CHUN_B, "same", "--evidence", "RMI CMRT 6.5 look-up: both under CID000769", "--store", str(store))
    assert code == 0 and "rebuild to apply" in err
    (entry,) = read_ledger(ledger)
    assert (entry.kind, entry.subject, entry.object, entry.source) == ("same", CHUN_A, CHUN_B, "RMI CMRT 6.5 look-up: both under CID000769")
    assert entry.date == datetime.date.today().isoformat()

    # and a 'different' judgement keeps a merged pair apart for good
    code, out, _ = run(capsys, "explain", "Dowa", "Dowa Metals & Mining Co., Ltd.", "--store", str(store))
    assert "the SAME facility" in out
    assert run(capsys, "judge", "Dowa", "Dowa Metals & Mining Co., Ltd.", "different", "--evidence", "test", "--store", str(store))[0] == 0

    assert run(capsys, "build", "--store", str(store))[0] == 0
    code, out, _ = run(capsys, "explain", CHUN_A, CHUN_B, "--store", str(store))
    assert "the SAME facility" in out and "ledger same" in out
    code, out, _ = run(capsys, "explain", "Dowa", "Dowa Metals & Mining Co., Ltd.", "--store", str(store))
    assert "DIFFERENT facilities" in out
    code, out, _ = run(capsys, "facility", CHUN_B, "--store", str(store))
    assert code == 0 and CHUN_A in out and CHUN_B in out


def test_judge_needs_evidence(bundled_store_path, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        main(["judge", "Dowa", "Kazzinc", "same", "--store", str(bundled_store_path)])
    assert exit_.value.code == 2
    code, _, err = run(capsys, "judge", CHUN_A, CHUN_B, "same", "--evidence", "  ", "--store", str(bundled_store_path))
    assert code == 1 and "needs its evidence" in err


def test_judge_across_metals_is_refused(bundled_store_path, capsys):
    code, _, err = run(capsys, "judge", "Ulba", "Dowa", "same", "--evidence", "x", "--store", str(bundled_store_path))
    assert code == 1 and "never listed for the same metal" in err


def test_unknown_names_get_close_matches(bundled_store_path, capsys):
    code, _, err = run(capsys, "facility", "Johnson Mathey", "--store", str(bundled_store_path))
    assert code == 1 and "no facility named 'Johnson Mathey'" in err and "'Johnson Matthey Inc'" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "explain", "Zzzz Qqqq", "Dowa", "--store", str(bundled_store_path))
    assert code == 1 and "no facility named 'Zzzz Qqqq'" in err


def test_facility_card_lists_names_by_year_statuses_with_lines_and_events(bundled_store_path, capsys):
    code, out, _ = run(capsys, "facility", "johnson matthey inc", "--store", str(bundled_store_path))
    assert code == 0
    assert "Johnson Matthey Inc  (2013, 2014)" in out and "Asahi Refining USA Inc.  (2017, 2019, 2022)" in out
    assert "qualys-2013-form-sd.txt line 179" in out
    assert "renamed 'Johnson Matthey Inc' -> 'Asahi Refining USA Inc.' (between 2014 and 2017" in out
    code, out, err = run(capsys, "facility", "Mitsubishi Materials Corporation", "--store", str(bundled_store_path))
    assert code == 0 and "[Gold]" in out and "[Tin]" in out and "names 2 facilities" in err


def test_export_mentions_reports_the_resolved_facility(bundled_store_path, capsys):
    code, out, _ = run(capsys, "export", "mentions", "--store", str(bundled_store_path))
    rows = list(csv.DictReader(out.splitlines()))
    johnson = [r for r in rows if r["name"] == "Johnson Matthey Inc"]
    asahi = [r for r in rows if r["name"] == "Asahi Refining USA Inc."]
    assert code == 0 and johnson and asahi
    assert {r["facility"] for r in johnson} == {r["facility"] for r in asahi}
    assert {r["facility_name"] for r in johnson} == {"Asahi Refining USA Inc."}
    assert {r["resolved_by"] for r in asahi} == {"ledger"}
