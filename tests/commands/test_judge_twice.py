"""Recording the same judgement twice adds it once: a ledger with a duplicated row is refused by
the next build, so `smelterkg judge` must never write one."""

from __future__ import annotations

from smelterkg.cli import main
from smelterkg.ingest.resolution.ledger import read_ledger


def test_the_same_judgement_twice_is_recorded_once(bundled_store_path, tmp_path, capsys):
    ledger = tmp_path / "judgements.csv"
    argv = ["judge", "Dowa", "Kazzinc", "different", "--evidence", "site visit 2026", "--ledger", str(ledger),
            "--store", str(bundled_store_path)]
    assert main(argv) == 0
    assert main(argv) == 0
    assert "already recorded" in capsys.readouterr().err
    assert len(read_ledger(ledger)) == 1
    assert main([*argv[:4], "--evidence", "another source", *argv[6:]]) == 0
    assert len(read_ledger(ledger)) == 2
