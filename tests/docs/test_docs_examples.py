"""The console examples of README.md and docs/*.md print what they say (tools/docs_examples.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _runner():
    spec = importlib.util.spec_from_file_location("docs_examples", ROOT / "tools" / "docs_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("docs_examples", module)
    spec.loader.exec_module(module)
    return module


docs_examples = _runner()

PAGE = """# A page

```console
$ echo one
one
$ printf 'a\\nb\\n' \\
    | tail -1
b
```

```sh
$ smelterkg serve
blocks
```

```console
$ echo "took 0.84 s"
took 2.58 s
```
"""


def test_only_console_blocks_are_examples_with_their_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    found = docs_examples.examples(page)
    assert [(e.line, e.command, e.expected) for e in found] == [
        (4, "echo one", ("one",)),
        (6, "printf 'a\\nb\\n' \\\n    | tail -1", ("b",)),
        (17, 'echo "took 0.84 s"', ("took 2.58 s",)),
    ]


def test_wall_clock_figures_are_masked_but_other_numbers_are_not() -> None:
    assert docs_examples.first_difference(["resolver 0.84 s, 12 ms"], ["resolver 2.18 s, 3 ms"]) is None
    assert docs_examples.first_difference(["435 facilities"], ["437 facilities"]) == 0
    assert docs_examples.first_difference(["a", "b"], ["a"]) == 1


def test_update_rewrites_outputs_and_check_then_passes(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    assert docs_examples.update([page], build_store=False) == 1  # the other outputs were right
    text = page.read_text(encoding="utf-8")
    assert "$ echo one\none\n" in text and "took 0.84 s\n```" in text and "blocks" in text
    assert docs_examples.check([page], build_store=False) == []
    page.write_text(text.replace("took 0.84 s\n", "took 0.84 s\nextra\n"), encoding="utf-8")
    (difference,) = docs_examples.check([page], build_store=False)
    assert (difference.example.line, difference.index, difference.expected, difference.actual) == (17, 1, "extra", None)
    assert str(difference).startswith(f"{page}:17: ")


@pytest.mark.integration
def test_every_console_example_prints_what_the_docs_say() -> None:
    differences = docs_examples.check(docs_examples.documented_files())
    assert not differences, "console examples drifted (python tools/docs_examples.py --update):\n" + "\n".join(
        map(str, differences)
    )
