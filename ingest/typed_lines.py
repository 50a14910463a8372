"""A report's lines, typed on demand, with the lines a smelter table can start from.

A table region starts at a header row or at a line carrying a metal (``ingest.region``). Both can
be recognised from a line's words alone, without typing it: a header row has only header words,
and a metal is read at the start of the line or of a tab cell. :attr:`TypedLines.starts` lists the
lines that pass that test (a superset of the real starts: every tabbed line, every line whose first
word begins a metal name, every line of header words only), and a line is typed only when region
finding or table reconstruction looks at it. On a report that is mostly prose the typing is then
paid for the table and the lines around it; on a 50 MB file of random words with no table, for
almost nothing. A line typed on demand is typed exactly as :func:`~smelterkg.ingest.cells.type_line`
types it, so results do not depend on which lines were looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import overload

from smelterkg.ingest.cells import Roles, type_line
from smelterkg.ingest.models import TypedLine
from smelterkg.ingest.term_gate import ASCII_WORD, folded_words
from smelterkg.ingest.vocabulary import Vocabulary

# cells.clean strips these at a cell's edges; of what it strips, only they hold word characters
_EDGE_MARKUP = re.compile(r"</?u>")


@cache
def _start_words(vocab: Vocabulary) -> tuple[frozenset[str], frozenset[str]]:
    """(first words of metal phrases, every word of header phrases), folded."""
    metal_first = frozenset(phrase[0] for phrase in vocab.metals.phrases() if phrase)
    header_words = frozenset(word for phrase in vocab.headers.phrases() for word in phrase)
    return metal_first, header_words


def may_start_table(raw: str, vocab: Vocabulary) -> bool:
    """False only when the line can be neither a header row nor a line carrying a metal."""
    if "\t" in raw:
        return True
    text = _EDGE_MARKUP.sub(" ", raw) if "<" in raw else raw
    metal_first, header_words = _start_words(vocab)
    if text.isascii():  # the first word alone rules out most lines
        first = ASCII_WORD.search(text)
        if first is None:
            return False
        word = first.group().lower()
        if word in metal_first:
            return True
        if word not in header_words:
            return False
    tokens = folded_words(text)
    return bool(tokens) and (tokens[0] in metal_first or (len(tokens) >= 2 and header_words.issuperset(tokens)))


class TypedLines(Sequence[TypedLine]):
    """The typed lines of a report (``raw_lines[0]`` is line ``first``), each typed on first access
    and kept (reconstruction edits a line's fragments in place)."""

    def __init__(self, raw_lines: Sequence[str], roles: Roles, vocab: Vocabulary, first: int = 1):
        self._raw = raw_lines
        self._roles = roles
        self._vocab = vocab
        self._first = first
        self._typed: dict[int, TypedLine] = {}
        self.starts: list[int] = [i for i, raw in enumerate(raw_lines) if may_start_table(raw, vocab)]

    def __len__(self) -> int:
        return len(self._raw)

    def _line(self, index: int) -> TypedLine:
        line = self._typed.get(index)
        if line is None:
            line = self._typed[index] = type_line(index + self._first, self._raw[index], self._roles, self._vocab)
        return line

    @overload
    def __getitem__(self, index: int) -> TypedLine: ...
    @overload
    def __getitem__(self, index: slice) -> list[TypedLine]: ...
    def __getitem__(self, index: int | slice) -> TypedLine | list[TypedLine]:
        if isinstance(index, slice):
            return [self._line(i) for i in range(*index.indices(len(self._raw)))]
        if index < 0:
            index += len(self._raw)
        if not 0 <= index < len(self._raw):
            raise IndexError(index)
        return self._line(index)

    def __iter__(self) -> Iterator[TypedLine]:
        return (self._line(i) for i in range(len(self._raw)))


__all__ = ["TypedLines", "may_start_table"]
