"""Every command module is part of the command: one that fails to import is an error (one line
naming the module and why), not a command silently missing from ``smelterkg --help``."""

from __future__ import annotations

import argparse

import pytest

from smelterkg import cli
from smelterkg.commands import COMMAND_MODULES, add_store_option, open_store
from smelterkg.store import StoreError


def test_a_command_module_that_fails_to_import_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("parse", "nosuchcommand", "query"))
    assert cli.main(["--help"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("smelterkg: error: command 'nosuchcommand': "), err
    assert "smelterkg.commands.nosuchcommand" in err and "ModuleNotFoundError" in err


def test_a_broken_dependency_of_a_command_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(name: str):
        raise ImportError(f"cannot import name 'gone' from 'smelterkg.somewhere' (while importing {name})")

    monkeypatch.setattr(cli.importlib, "import_module", broken)
    assert cli.main(["parse"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"smelterkg: error: command '{COMMAND_MODULES[0]}': cannot import smelterkg.commands.")
    assert "ImportError: cannot import name 'gone'" in err and err.count("\n") == 1


def test_every_command_module_registers_its_command() -> None:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(COMMAND_MODULES)


def test_store_option_is_the_default_store_unless_given(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    parser = argparse.ArgumentParser()
    add_store_option(parser)
    monkeypatch.setenv("SMELTERKG_STORE", str(tmp_path / "from-env"))
    with pytest.raises(StoreError, match="from-env: no smelterkg store here"):
        open_store(parser.parse_args([]))
    with pytest.raises(StoreError, match="given: no smelterkg store here"):
        open_store(parser.parse_args(["--store", str(tmp_path / "given")]))
