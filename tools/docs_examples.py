"""Run every console example of README.md and docs/*.md, and check or rewrite its output.

A console example is a fenced block tagged ``console``. In it, a line starting with ``$ `` is a
command (a line ending in ``\\`` continues it on the next line) and the lines after it, up to the
next command or the end of the block, are what the command prints, stdout and stderr together.
Commands that cannot run unattended (a server that blocks, ``pip install``, the network) go in a
block tagged otherwise (``sh``) and are not run.

How the examples run, so that they run the same anywhere:

* each Markdown file gets a fresh working directory in a temporary folder, holding a symlink to
  every top-level entry of the repository (so ``data/reports/...`` or ``queries/x.rq`` resolve)
  and its own copy of one store built once from the bundled reports; files an example writes
  (``mentions.csv``, pictures) land there and vanish afterwards;
* ``SMELTERKG_STORE`` is that copy (``smelterkg-store`` in the working directory) and
  ``SMELTERKG_LEDGER`` a file that does not exist until an example writes it;
* commands run with bash, in the order they appear, ``LC_ALL=C.UTF-8``, ``TZ=UTC``.

What is compared, after trailing whitespace is stripped from every line and trailing empty lines
are dropped:

* the working directory's path is shown as nothing (``/tmp/x/smelterkg-store`` reads
  ``smelterkg-store``) and the installed bundled data folder as ``data``;
* wall-clock figures vary from run to run, so a number followed by `` s`` or `` ms``
  (``0.84 s``, ``12 ms``) is masked on both sides; ``--update`` writes the figures measured.

``python tools/docs_examples.py`` checks every example and exits 1 naming the file, the line of
the command and the first line that differs. ``python tools/docs_examples.py --update`` rewrites
each example's output in place from a real run (running it twice changes only the timings).
Both accept Markdown files to limit the run to them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE_NAME = "smelterkg-store"
LEDGER_NAME = "smelterkg-ledger.csv"
TIMEOUT_S = 300
# What a run must not see from the working copy: its own store and ledger, git, virtualenvs.
NOT_LINKED = frozenset({STORE_NAME, LEDGER_NAME})
_FENCE = re.compile(r"^(`{3,})\s*([\w-]*)")
_SECONDS = re.compile(r"\b\d+(?:\.\d+)? (?:s|ms)\b")


@dataclass(frozen=True)
class Example:
    """One command of a console block and the lines it is documented to print."""

    path: Path
    line: int  # 1-based line of the ``$ `` line
    end: int  # 0-based index just past the last command line (where the output starts)
    stop: int  # 0-based index just past the output
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    example: Example
    index: int  # 0-based index of the first differing output line
    expected: str | None
    actual: str | None

    def __str__(self) -> str:
        where = f"{display(self.example.path)}:{self.example.line}"
        return (
            f"{where}: `{self.example.command}`: output line {self.index + 1} (file line "
            f"{self.example.end + self.index + 1}) differs\n"
            f"  documented: {self.expected if self.expected is not None else '(nothing more)'}\n"
            f"  printed:    {self.actual if self.actual is not None else '(nothing more)'}"
        )


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def examples(path: Path) -> list[Example]:
    """The console examples of one Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[Example] = []
    fence: str | None = None
    console = False
    i = 0
    while i < len(lines):
        text = lines[i]
        match = _FENCE.match(text)
        if fence is None:
            if match:
                fence, console = match.group(1), match.group(2) == "console"
            i += 1
            continue
        if text.startswith(fence) and text.strip() == fence:
            fence = None
            i += 1
            continue
        if not (console and text.startswith("$ ")):
            i += 1
            continue
        start = i
        command = [text[2:]]
        while command[-1].endswith("\\") and i + 1 < len(lines):
            i += 1
            command.append(lines[i])
        i += 1
        end = i
        while i < len(lines) and not lines[i].startswith("$ ") and not (lines[i].startswith(fence) and lines[i].strip() == fence):
            i += 1
        found.append(Example(path, start + 1, end, i, "\n".join(command), tuple(lines[end:i])))
    return found


def normalise(output: str, workdir: Path) -> list[str]:
    """What a run printed, as it is written in the docs (paths made relative, see the module)."""
    from smelterkg import data as bundled

    text = output.replace(str(workdir) + os.sep, "").replace(str(workdir), ".")
    text = text.replace(str(Path(bundled.__file__).resolve().parent), "data")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def mask(lines: Iterable[str]) -> list[str]:
    return [_SECONDS.sub("<seconds>", line) for line in lines]


def first_difference(expected: Sequence[str], actual: Sequence[str]) -> int | None:
    expected_m, actual_m = mask(expected), mask(actual)
    for index in range(max(len(expected_m), len(actual_m))):
        left = expected_m[index] if index < len(expected_m) else None
        right = actual_m[index] if index < len(actual_m) else None
        if left != right:
            return index
    return None


def _environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SMELTERKG_STORE=str(workdir / STORE_NAME),
        SMELTERKG_LEDGER=str(workdir / LEDGER_NAME),
        LC_ALL="C.UTF-8",
        TZ="UTC",
        COLUMNS="100",
    )
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def _build_store(into: Path) -> None:
    """The store every file starts from: the bundled reports with the bundled ledger only."""
    into.mkdir(parents=True)
    result = subprocess.run(
        ["smelterkg", "build"], cwd=into, env=_environment(into), capture_output=True, text=True, timeout=TIMEOUT_S
    )
    if result.returncode != 0:
        raise RuntimeError(f"smelterkg build failed:\n{result.stdout}{result.stderr}")


def _workdir(parent: Path, name: str, store: Path) -> Path:
    workdir = parent / name
    workdir.mkdir()
    for entry in ROOT.iterdir():
        if entry.name.startswith(".") or entry.name in NOT_LINKED:
            continue
        (workdir / entry.name).symlink_to(entry)
    shutil.copytree(store, workdir / STORE_NAME, symlinks=True)
    return workdir


def run_file(path: Path, store: Path, parent: Path) -> list[tuple[Example, list[str]]]:
    """Run the examples of one file in a fresh working directory; what each printed."""
    found = examples(path)
    if not found:
        return []
    workdir = _workdir(parent, re.sub(r"\W", "_", display(path)), store)
    env = _environment(workdir)
    results = []
    for example in found:
        run = subprocess.run(
            ["bash", "-c", example.command.replace("\\\n", "")],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT_S,
        )
        results.append((example, normalise(run.stdout, workdir)))
    return results


def documented_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def run(paths: Sequence[Path], build_store: bool = True) -> dict[Path, list[tuple[Example, list[str]]]]:
    """Run the examples of ``paths``; ``build_store=False`` gives them an empty store directory
    (for pages whose examples need no graph)."""
    with tempfile.TemporaryDirectory(prefix="smelterkg-docs-") as tmp:
        parent = Path(tmp)
        if not any(examples(path) for path in paths):
            return {path: [] for path in paths}
        store = parent / "base" / STORE_NAME
        if build_store:
            _build_store(store.parent)
        else:
            store.mkdir(parents=True)
        return {path: run_file(path, store, parent) for path in paths}


def check(paths: Sequence[Path], build_store: bool = True) -> list[Difference]:
    differences = []
    for results in run(paths, build_store).values():
        for example, actual in results:
            index = first_difference(example.expected, actual)
            if index is not None:
                differences.append(
                    Difference(
                        example,
                        index,
                        example.expected[index] if index < len(example.expected) else None,
                        actual[index] if index < len(actual) else None,
                    )
                )
    return differences


def update(paths: Sequence[Path], build_store: bool = True) -> int:
    """Rewrite each example's output from a real run; the number of examples whose output changed."""
    changed = 0
    for path, results in run(paths, build_store).items():
        if not results:
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        for example, actual in reversed(results):  # from the end, so earlier indexes stay valid
            if list(example.expected) != actual:
                changed += 1
            lines[example.end : example.stop] = actual
        path.write_text("\n".join(lines), encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--update", action="store_true", help="rewrite every example's output from a real run")
    parser.add_argument("files", nargs="*", type=Path, help="Markdown files (default: README.md and docs/*.md)")
    options = parser.parse_args(argv)
    paths = [path.resolve() for path in options.files] or documented_files()
    if options.update:
        changed = update(paths)
        print(f"docs_examples: {changed} example outputs rewritten", file=sys.stderr)
        return 0
    differences = check(paths)
    for difference in differences:
        print(difference, file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
