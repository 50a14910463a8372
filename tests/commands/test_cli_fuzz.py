"""Hypothesis over the CLI's argument space: whatever argument vector a user types, ``smelterkg``
answers with an exit code and short messages, never a Python traceback.

The argument vectors are made of the real subcommand names (``COMMAND_MODULES``) and their real
options, read from the argparse parser (``build_parser()``), with values drawn from junk: odd and
unicode strings (no NUL: argv cannot hold one), negative, huge and non-finite numbers, missing
values, unknown options, paths that do not exist, a directory where a file is expected, an empty
store directory, a file that is not a store. Commands run for real, in-process, on a store built
once for this module from the three-row ``tiny`` report.

What is allowed: ``main()`` returns an int among ``EXIT_CODES`` (0 done, 1 error, 2 usage or a
refused output, 124 query time limit), or argparse ends it with ``SystemExit`` 0 (``--help``) or 2
(usage); stderr holds no traceback and every error line is argparse's or smelterkg's own
(``smelterkg...: error: ...``).

Safety, so that fuzzing writes nothing outside a temporary directory and never blocks:

* ``serve`` is never run (it starts a server and blocks until a signal), nor ``fetch`` (it makes
  HTTP requests to SEC EDGAR, with retries and backoff: network, unbounded time); their argument
  parsing is fuzzed with ``parse_args`` only, with the other commands';
* every example runs in a fresh temporary working directory, and the junk strings hold no ``/`` or
  ``\\`` and are never ``.`` or ``..``: a junk output path or store lands in that directory;
* ``build`` never gets the shared store (its default ``$SMELTERKG_STORE`` is a fresh path) and
  ``parse``/``build`` always get at least one report path, so the five bundled reports (seconds
  each) are not read for every example;
* ``--timeout`` values stay below 1e9 s here; a larger one is refused in one line
  (``test_query_timeout_too_large_is_one_line``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smelterkg import pipeline
from smelterkg.cli import build_parser, main
from smelterkg.commands import COMMAND_MODULES
from smelterkg.store import STORE_ENV

TINY_REPORT = Path(__file__).resolve().parents[1] / "data" / "reports" / "tiny-2019.txt"
EXIT_CODES = {0, 1, 2, 124}
NOT_RUN = {"serve", "fetch"}  # serve blocks until a signal; fetch makes HTTP requests to EDGAR: parse_args only
RUN = tuple(name for name in COMMAND_MODULES if name not in NOT_RUN)
PLACEHOLDERS = ("@store", "@nostore", "@emptydir", "@notastore", "@report", "@newfile", "@dir.svg", "@missing/x.csv")
NUMBERS = ("-1", "0", "-0", "1", "0.000001", "1e-300", "nan", "-inf", "inf", "1e309", "99999999999999999999999", "12x", "", "0x10", "١٢")
NAMES = ("Minsur", "MINSUR", "asaka riken co., ltd.", "A.L.M.T. Corp.", "Gold", "tin", "Tungsten", "yearly-universe",
         "appeared-disappeared", "nope.rq", "SELECT * { ?s ?p ?o } LIMIT 1", "ASK {}", "INSERT DATA {}",
         "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }", "mentions", "graph", "same", "different", "-")  # fmt: skip

BUDGET = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PARSE_BUDGET = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/\\"), max_size=24
).filter(lambda s: s not in (".", ".."))


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


SUBPARSERS = _subparsers()


def _options(name: str) -> list[argparse.Action]:
    return [a for a in SUBPARSERS[name]._actions if a.option_strings and not isinstance(a, argparse._HelpAction)]


def _positionals(name: str) -> list[argparse.Action]:
    return [a for a in SUBPARSERS[name]._actions if not a.option_strings]


def _value(action: argparse.Action | None) -> st.SearchStrategy[str]:
    """A value for an option or a positional: its choices, numbers for a typed one, else paths,
    known names and junk."""
    pools: list[st.SearchStrategy[str]] = [junk_text, st.sampled_from(PLACEHOLDERS), st.sampled_from(NAMES)]
    if action is not None and action.choices:
        pools.insert(0, st.sampled_from(sorted(map(str, action.choices))))
    if action is not None and action.type in (int, float) or action is not None and "--port" in action.option_strings:
        pools.insert(0, st.sampled_from(NUMBERS))
        pools.insert(0, st.integers(-(10**30), 10**30).map(str))
    return st.one_of(pools)


@st.composite
def argv_of(draw: st.DrawFn, name: str) -> list[str]:
    """An argument vector for one subcommand: positionals and real options in any order, some
    without their value, some unknown, some repeated."""
    words = [name]
    positionals = _positionals(name)
    options = _options(name)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(("positional", "option", "option", "flag-no-value", "unknown", "help")))
        if kind == "positional":
            action = draw(st.sampled_from(positionals)) if positionals else None
            words.append(draw(_value(action)))
        elif kind == "option" and options:
            action = draw(st.sampled_from(options))
            words.append(draw(st.sampled_from(action.option_strings)))
            if action.nargs != 0:
                words.append(draw(_value(action)))
        elif kind == "flag-no-value" and options:
            action = draw(st.sampled_from(options))
            words.append(draw(st.sampled_from(action.option_strings)))  # a value-taking option left without one
        elif kind == "unknown":
            words.append(draw(st.sampled_from(("--bogus", "-z", "--store=", "--", "--format=", "-"))))
        elif kind == "help" and draw(st.integers(0, 5)) == 0:
            words.append("--help")
    return words


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of the tiny report, built once; the commands here only read it."""
    inputs = tmp_path_factory.mktemp("fuzz-inputs")
    report = inputs / "example-2019-form-sd.txt"
    report.write_bytes(TINY_REPORT.read_bytes())
    target = tmp_path_factory.mktemp("fuzz-stores") / "tiny"
    result = pipeline.build([report], target, progress=None, user_ledger=inputs / "no-ledger.csv")
    assert result.reports and not result.errors
    return target


@contextlib.contextmanager
def sandbox(shared_store: Path, command: str) -> Iterator[dict[str, Path]]:
    """A fresh working directory holding the placeholder paths, with the environment pointing
    the default store and ledger into it (build's default store is a fresh path, never the shared one)."""
    saved_env = {k: os.environ.get(k) for k in (STORE_ENV, pipeline.USER_LEDGER_ENV)}
    with tempfile.TemporaryDirectory(prefix="A-cli-fuzz-") as scratch:
        root = Path(scratch)
        (root / "empty").mkdir()
        (root / "dir.svg").mkdir()
        (root / "notastore").write_text("not a store\n", encoding="utf-8")
        (root / "report-2019-form-sd.txt").write_bytes(TINY_REPORT.read_bytes())
        places = {
            "@store": shared_store if command != "build" else root / "built",
            "@nostore": root / "nowhere",
            "@emptydir": root / "empty",
            "@notastore": root / "notastore",
            "@report": root / "report-2019-form-sd.txt",
            "@newfile": root / "new.out",
            "@dir.svg": root / "dir.svg",
            "@missing/x.csv": root / "missing" / "x.csv",
        }
        os.environ[STORE_ENV] = str(shared_store if command != "build" else root / "default-store")
        os.environ[pipeline.USER_LEDGER_ENV] = str(root / "ledger.csv")
        try:
            with contextlib.chdir(root):
                yield places
        finally:
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def run_cli(argv: list[str]) -> tuple[int, str]:
    """``main(argv)`` in-process: its exit code (argparse's SystemExit included) and its stderr."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
            assert stop.code in (0, 2), f"{argv!r}: SystemExit({stop.code!r})"
            code = stop.code
    assert isinstance(code, int) and not isinstance(code, bool), f"{argv!r}: returned {code!r}"
    return code, stderr.getvalue()


PYTHON_ERROR = re.compile(r"^(Traceback|\w+(Error|Exception|Warning)\b.*:)")


def check_answer(argv: list[str], code: int, err: str) -> None:
    assert code in EXIT_CODES, f"{argv!r}: exit code {code}\n{err}"
    for line in err.splitlines():
        assert not PYTHON_ERROR.match(line), f"{argv!r}: a Python error reached the user:\n{err}"
        if "error:" in line:
            assert line.startswith("smelterkg"), f"{argv!r}: an error line that is not smelterkg's or argparse's: {line!r}"
            assert "\n" not in line and len(line) < 400 + sum(map(len, argv)) * 2, f"{argv!r}: error line too long"
    if code not in (0,) and err:
        assert any(line.startswith(("smelterkg", "usage:")) for line in err.splitlines()), f"{argv!r}: {err}"


def substitute(argv: list[str], places: dict[str, Path]) -> list[str]:
    return [str(places[w]) if w in places else w for w in argv]


def with_inputs(argv: list[str], places: dict[str, Path]) -> list[str]:
    """parse and build get a report path first, so that the bundled reports are not the default."""
    if argv[0] in ("parse", "build"):
        return [argv[0], str(places["@report"]) if len(argv) % 2 else str(places["@nostore"]), *argv[1:]]
    return argv


# --------------------------------------------------------------------------------------------


@PARSE_BUDGET
@given(st.sampled_from(COMMAND_MODULES).flatmap(argv_of))
@example(["serve", "--port", "99999999999999999999999"])
@example(["query", "--timeout", "nan"])
@example(["stats", "--top", "1e309"])
def test_argument_parsing_gives_a_namespace_or_a_usage_error(argv: list[str]) -> None:
    """Every command's parser (serve's too): a namespace with a handler, or argparse's usage exit."""
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as stop:
            assert stop.code in (0, 2)
            assert stop.code == 0 or stderr.getvalue().startswith("usage:"), stderr.getvalue()
            return
    assert callable(args.handler)


@BUDGET
@given(st.sampled_from(RUN).flatmap(argv_of))
@example(["query", "--timeout", "-1", "yearly-universe"])
@example(["query", "--timeout", "1e-300", "yearly-universe"])
@example(["query", "-e", "SELECT * { ?s ?p ?o } LIMIT 1", "--store", "@notastore"])
@example(["export", "-o", "@dir.svg"])
@example(["export", "mentions", "--format", "", "-o", "@missing/x.csv"])
@example(["chain", "Minsur", "--format", "png"])
@example(["stats", "--chart", "@dir.svg"])
@example(["stats", "--top", "-99999999999999999999999"])
@example(["judge", "Minsur", "MINSUR", "same", "--evidence", "  "])
@example(["judge", "Minsur", "MINSUR", "same", "--evidence", "x", "--ledger", "@dir.svg"])
@example(["explain", "Minsur", "Minsur", "--ledger", "@notastore"])
@example(["facility", "", "--store", "@emptydir"])
@example(["review", "-o", "@emptydir"])
@example(["build", "--store", "@emptydir"])
@example(["parse", "@emptydir", "--quarantine", "@dir.svg"])
def test_every_command_answers_with_an_exit_code_and_one_line_errors(shared_store: Path, argv: list[str]) -> None:
    """Run for real: an allowed exit code, no traceback, errors as smelterkg's own lines."""
    argv = list(argv)
    if "--timeout" in argv:  # see the module docstring: values >= 1e9 are test_query_timeout_too_large_is_one_line's
        at = argv.index("--timeout") + 1
        if at < len(argv):
            try:
                if abs(float(argv[at])) >= 1e9 and float(argv[at]) != float("inf"):
                    argv[at] = "5"
            except ValueError:
                pass
    with sandbox(shared_store, argv[0]) as places:
        argv = with_inputs(substitute(argv, places), places)
        code, err = run_cli(argv)
        check_answer(argv, code, err)
        if argv[0] == "build":
            assert not (shared_store / ".smelterkg-build").exists()


def test_query_timeout_too_large_is_one_line(shared_store: Path) -> None:
    with sandbox(shared_store, "query") as places:
        argv = ["query", "yearly-universe", "--timeout", "1e300", "--store", str(places["@store"])]
        code, err = run_cli(argv)
    check_answer(argv, code, err)
    assert code == 1 and "--timeout 1e+300: expected a number of seconds from 0 to 1e+06" in err, err


def test_the_checks_catch_a_traceback() -> None:
    """The assertions above are able to fail: a traceback on stderr or an odd exit code is caught."""
    with pytest.raises(AssertionError):
        check_answer(["x"], 1, "Traceback (most recent call last):\n  ...\nOverflowError: too large\n")
    with pytest.raises(AssertionError):
        check_answer(["x"], 1, "ValueError: bad\n")
    with pytest.raises(AssertionError):
        check_answer(["x"], 3, "smelterkg: error: x\n")
    check_answer(["x"], 1, "smelterkg: error: x: no smelterkg store here\n")


def test_only_serve_and_fetch_are_left_to_parse_args() -> None:
    """A new command is run by the fuzzing by default; only serve (it blocks) and fetch (network)
    are left to parse_args."""
    assert "serve" in COMMAND_MODULES and set(COMMAND_MODULES) - set(RUN) <= NOT_RUN


def test_stats_refuses_a_negative_top(shared_store: Path) -> None:
    """`--top -3` listed every renamed facility but the last three; a count is refused below 0."""
    with sandbox(shared_store, "stats") as places:
        argv = ["stats", "--top", "-3", "--store", str(places["@store"])]
        code, err = run_cli(argv)
    assert code == 2 and "argument --top: invalid count '-3' (a whole number >= 0)" in err, err
