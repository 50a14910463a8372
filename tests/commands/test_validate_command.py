"""`smelterkg validate`: the SHACL check as users run it."""

from __future__ import annotations

from smelterkg.cli import main


def test_validate_reports_warnings_and_conforms_on_the_bundled_graph(bundled_store_path, capsys):
    assert main(["validate", "--store", str(bundled_store_path)]) == 0
    out, err = capsys.readouterr()
    assert "Warning: 39 x No status" in out
    assert "Violation" not in out
    assert err.strip().startswith("graph conforms: 0 violations")


def test_validate_without_a_store_is_one_clear_line(tmp_path, capsys):
    assert main(["validate", "--store", str(tmp_path / "missing")]) == 1
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and "no smelterkg store here" in err and "Traceback" not in err
