"""A newline inside a table cell: the lines it split are joined back into one row.

A text export that keeps a cell's line break ('Gold<TAB>Advanced Chemical' / 'Company<TAB>UNITED
STATES OF AMERICA<TAB>Full Compliant') cuts one row into lines that each have too few cells. The
continuation either starts flush left (the rest of the cell, then the row's remaining cells) or
is indented with tabs under the column it continues. Read apart, the halves look like a row that
lost its tail and a garbled line; read together they are exactly one well-formed row.

The join is accepted only on that evidence, so a wrapped cell is never matched to an unrelated
row: the lines are adjacent in the file, the wrapped cell's two parts are both non-empty, no line
of the run is a complete row by itself, and the joined cells are exactly the table's columns,
each read as its column's kind (a metal in the metal column, a country the gazetteer knows in
the country column, a status of the vocabulary in the status column, free text in the name
column). Two wraps leave one complete-looking line, and are joined on narrower terms: a wrapped
first cell leaves its head alone above the rest of the row (:func:`_head_of_next`), a wrapped
last cell its tail alone below (:func:`_tail_of_last_cell`). Anything else is left to the other
repairs of :mod:`smelterkg.ingest.reconstruct`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from smelterkg.ingest.cells import Roles, content_fragments, infer_roles, split_cells, type_line
from smelterkg.ingest.garble import legal_form_boundaries
from smelterkg.ingest.models import Fragment, Kind, LineKind, TypedLine
from smelterkg.ingest.vocabulary import Vocabulary, fold

Continues = Callable[[str | None, str], bool]  # (name above or None, lone name text) -> continues it
MAX_WRAP_LINES = 3  # lines one row may be spread over (two cells wrapped, or one cell twice)
MIN_COLUMN_SHARE = 0.05  # share of the tabbed lines that fill a column of the table


@dataclass(frozen=True)
class _Table:
    """The columns rows of this region are expected to fill."""

    roles: Roles  # column -> kind, every column 0..width-1
    width: int


@dataclass
class WrappedCells:
    """The lines with each wrapped row joined into one line, and a note per joined line."""

    lines: list[TypedLine]
    notes: dict[int, list[str]]  # joined line's number -> what was joined
    parts: dict[int, list[TypedLine]]  # joined line's number -> the lines it was joined from


def _table(lines: Sequence[TypedLine], vocab: Vocabulary) -> _Table | None:
    """The region's columns and their roles; None when some column has no role or the table has
    no single name column. The width is the last column that rows fill, not the most common
    cell count: in a narrow export most rows may be wrapped."""
    tabbed = [line for line in lines if line.tabbed and line.kind is LineKind.CONTENT]
    filled: Counter[int] = Counter(c for line in tabbed for c, cell in enumerate(split_cells(line.raw)) if cell)
    needed = max(2, MIN_COLUMN_SHARE * len(tabbed))  # a cell or two past the table's edge is not a column
    width = 1 + max((c for c, count in filled.items() if count >= needed), default=-1)
    if width < 2:
        return None
    roles = infer_roles([line.raw for line in lines], vocab)
    if any(column not in roles for column in range(width)) or [roles[c] for c in range(width)].count(Kind.NAME) != 1:
        return None
    return _Table({c: roles[c] for c in range(width)}, width)


def _is_row(line: TypedLine, table: _Table) -> bool:
    """Exactly one well-formed row: one cell per column, each read as its column's kind (stray
    marks aside)."""
    if line.kind is not LineKind.CONTENT or line.raw.count("\t") + 1 != table.width:
        return False
    by_column: dict[int, list[Fragment]] = {}
    for fragment in line.fragments:
        if fragment.kind is not Kind.STRAY:  # a stray mark beside a cell's text ('- Japan') is noted, not read
            by_column.setdefault(fragment.column, []).append(fragment)
    for column, kind in table.roles.items():
        cell = by_column.get(column, [])
        if len(cell) != 1 or cell[0].kind is not kind or cell[0].partial:
            return False
    return len(by_column) == table.width


def _join(head: list[str], following: list[str]) -> tuple[list[str], int] | None:
    """The cells of ``head`` with ``following`` continuing its last cell, and the index of the
    joined cell; None when ``following`` cannot be the rest of that cell (it starts in another
    column, or one part of the cell is empty)."""
    lead = next((i for i, cell in enumerate(following) if cell), len(following))
    rest = following[lead:]
    if not rest or not head[-1] or lead not in (0, len(head) - 1):
        return None
    return [*head[:-1], f"{head[-1]} {rest[0]}", *rest[1:]], len(head) - 1


def _try_run(run: Sequence[TypedLine], table: _Table, vocab: Vocabulary) -> tuple[TypedLine, list[str]] | None:
    """The one row ``run`` (adjacent lines) reads as when joined, with its notes, or None."""
    cells = split_cells(run[0].raw)
    # origin[c] = the lines column c of the joined cells was read from
    origin: list[list[int]] = [[run[0].number] for _ in cells]
    notes = []
    for line in run[1:]:
        joined = _join(cells, split_cells(line.raw))
        if joined is None or len(joined[0]) > table.width:
            return None
        cells, wrapped = joined
        tail = len(cells) - wrapped - 1
        origin = [*origin[:wrapped], [*origin[wrapped], line.number], *([[line.number]] * tail)]
        notes.append(f"{table.roles[wrapped].value} cell wrapped onto line {line.number} joined")
    if len(cells) != table.width:
        return None
    first = run[0]
    joined_line = type_line(first.number, "\t".join(cells), table.roles, vocab)
    if not _is_row(joined_line, table):
        return None
    for fragment in joined_line.fragments:
        lines = origin[fragment.column]
        fragment.line, fragment.extra_lines = lines[0], tuple(lines[1:])
    return joined_line, notes


@dataclass
class _Context:
    """What deciding a join needs to know about the region, computed once."""

    table: _Table
    vocab: Vocabulary
    continues: Continues
    lines: Sequence[TypedLine]
    spaced: bool  # no line is tabbed: a table printed with spaces
    complete: dict[int, bool] = field(default_factory=dict)  # line number -> a complete row by itself
    _edges: tuple[Counter[str], Counter[str]] | None = None  # first and last words of the names

    def is_complete(self, line: TypedLine) -> bool:
        if line.number not in self.complete:
            self.complete[line.number] = _is_row(line, self.table)
        return self.complete[line.number]

    def ends_names(self, word: str) -> bool:
        """Whether a legal form ends names ('Ltd.') rather than begins them ('PT', 'CV'), by how
        this table's own names use it; with no evidence, it ends them (most legal forms do)."""
        if self._edges is None:
            first: Counter[str] = Counter()
            last: Counter[str] = Counter()
            for line in self.lines:
                for fragment in line.of(Kind.NAME):
                    tokens = fragment.text.split()
                    if len(tokens) > 1:
                        first[fold(tokens[0])] += 1
                        last[fold(tokens[-1])] += 1
            self._edges = (first, last)
        word = fold(word)
        return self._edges[0][word] <= self._edges[1][word]


def join_wrapped_cells(lines: Sequence[TypedLine], vocab: Vocabulary, continues: Continues) -> WrappedCells:
    """``lines`` (content lines of one table region, in order) with every row that a newline
    inside a cell spread over adjacent lines joined back into one line. ``continues`` tells
    whether a lone name text continues the name of the row above (see :func:`_head_of_next`)."""
    out: list[TypedLine] = []
    notes: dict[int, list[str]] = {}
    parts: dict[int, list[TypedLine]] = {}
    context: _Context | None = None  # built when the first pair of adjacent lines is met
    index = 0
    while index < len(lines):
        found = None
        if index + 1 < len(lines) and lines[index + 1].number == lines[index].number + 1:
            if context is None:
                spaced = not any(line.tabbed for line in lines)
                context = _Context(_table(lines, vocab) or _Table({}, 0), vocab, continues, lines, spaced)
            if context.table.width:
                found = _wrapped_run(lines, index, context)
            elif context.spaced:
                found = _flattened_pair(lines, index, context)
        if found is None:
            out.append(lines[index])
            index += 1
            continue
        joined, used, joined_notes = found
        out.append(joined)
        notes[joined.number] = joined_notes
        parts[joined.number] = list(lines[index : index + used])
        index += used
    return WrappedCells(out, notes, parts)


def _wrapped_run(lines: Sequence[TypedLine], index: int, context: _Context) -> tuple[TypedLine, int, list[str]] | None:
    """The shortest run of adjacent lines from ``index`` that joins into one row, as (joined
    line, lines used, notes); None when there is none. No line of the run may be a complete row
    by itself, except the last one after the head of a wrapped first-column cell."""
    if lines[index].kind is not LineKind.CONTENT:
        return None
    if context.is_complete(lines[index]):
        return _tail_of_last_cell(lines, index, context)
    cells = lines[index].raw.count("\t") + 1
    for end in range(index + 1, min(index + MAX_WRAP_LINES, len(lines))):
        line = lines[end]
        if line.number != lines[end - 1].number + 1 or line.kind is not LineKind.CONTENT:
            return None
        run = lines[index : end + 1]
        if context.is_complete(line):
            if not _head_of_next(lines, index, end, context):
                return None
        else:
            cells += line.raw.count("\t")  # at least the joined cell count: the wrapped cell is shared
            if cells < context.table.width:
                continue  # too few cells yet: the row may go on over the next line
        found = _try_run(run, context.table, context.vocab)
        if found is not None:
            return found[0], len(run), found[1]
        if context.is_complete(line):
            return None
    return None


def _tail_of_last_cell(lines: Sequence[TypedLine], index: int, context: _Context) -> tuple[TypedLine, int, list[str]] | None:
    """A complete-looking row whose last cell goes on over the next line, which holds that one
    cell's rest: 'UNITED STATES' / 'OF AMERICA' in a table whose last column is the country.
    Not for a last column of names: a lone name line after a row is read by the name
    continuation rule of :mod:`smelterkg.ingest.reconstruct`."""
    following = lines[index + 1]
    if context.table.roles[context.table.width - 1] is Kind.NAME or following.kind is not LineKind.CONTENT:
        return None
    if sum(1 for cell in split_cells(following.raw) if cell) != 1:
        return None
    found = _try_run(lines[index : index + 2], context.table, context.vocab)
    return (found[0], 2, found[1]) if found else None


_FLAT_ROW = sorted([Kind.METAL, Kind.NAME, Kind.COUNTRY, Kind.STATUS])


def _is_flat_row(line: TypedLine) -> bool:
    """An untabbed line read as one whole row: a leading metal, one name, country and status."""
    fragments = [f for f in line.fragments if f.kind is not Kind.STRAY]
    kinds = sorted(f.kind for f in fragments)
    return kinds == _FLAT_ROW and fragments[0].kind is Kind.METAL and not any(f.partial for f in fragments)


def _legal_forms_only(name: str, vocab: Vocabulary) -> bool:
    return all(vocab.is_legal_form(token) for token in name.split())


def _flattened_pair(lines: Sequence[TypedLine], index: int, context: _Context) -> tuple[TypedLine, int, list[str]] | None:
    """In a table printed with spaces instead of tabs (no tabbed columns in the region), two
    adjacent lines that each hold part of a row and together read as exactly one row: the first
    starts with the metal and has no status, the second has no metal and is no row by itself
    ('Gold Advanced Chemical' / 'Company UNITED STATES OF AMERICA Full Compliant'). A metal
    word opening the second line belongs to the name when the rest of that name is legal forms
    only ('Xiamen' / 'Tungsten Co., Ltd China No'). Not when the two lines' names meet where one
    name could end and another begin ('X Co.' / 'Y Ltd. JAPAN ...'): two rows that each lost
    cells are not one row."""
    first, following = lines[index], lines[index + 1]
    if first.tabbed or following.tabbed or first.kind is not LineKind.CONTENT or following.kind is not LineKind.CONTENT:
        return None
    head = [f.kind for f in first.fragments if f.kind is not Kind.STRAY]
    if head[:1] != [Kind.METAL] or Kind.STATUS in head or _is_flat_row(first):
        return None
    if Kind.METAL in following.kinds or _is_flat_row(following):
        tail_names = following.of(Kind.NAME)
        if following.fragments[0].kind is not Kind.METAL or len(following.of(Kind.METAL)) != 1:
            return None
        if len(tail_names) != 1 or not _legal_forms_only(tail_names[0].text, context.vocab):
            return None
    joined = type_line(first.number, f"{first.raw.strip()} {following.raw.strip()}", {}, context.vocab)
    if not _is_flat_row(joined):
        return None
    head_names = first.of(Kind.NAME)
    name = joined.of(Kind.NAME)[0].text
    if len(head_names) == 1 and name.startswith(head_names[0].text + " "):  # the two lines' names meet
        meeting = len(head_names[0].text) + 1
        if meeting in legal_form_boundaries(name, context.vocab) and context.ends_names(head_names[0].text.split()[-1]):
            return None
    for fragment in joined.fragments:  # untabbed: which line each word came from is not kept
        fragment.extra_lines = (following.number,)
    return joined, 2, [f"row wrapped onto line {following.number} joined"]


def _lone_part(text: str, vocab: Vocabulary) -> bool:
    """A cell text that can only be part of a cell: free text, or a country that only begins
    ('UNITED'). Typed as one cell: an untabbed line would be read as a flattened row."""
    typed = content_fragments(text, 0, 0, vocab)
    return typed is None or (len(typed) == 1 and typed[0].partial)


def _head_of_next(lines: Sequence[TypedLine], index: int, end: int, context: _Context) -> bool:
    """Whether ``lines[index:end]`` can be the first part of the first cell of the complete-looking
    row ``lines[end]``: a table whose first column holds the names wraps a name that way
    ('Aida Chemical' / 'Industries Co. Ltd.<TAB>Gold<TAB>No<TAB>Japan'). Each head line is one
    untabbed cell that can only be part of a cell (a lone 'Yes' or 'Japan' is a cell printed on
    a line of its own), and a head name must not read as the end of the name above it ('Ltd.'
    after '... Co.,' continues that name)."""
    head = lines[index:end]
    texts = [split_cells(line.raw)[0] for line in head]
    if any(line.tabbed or not _lone_part(text, context.vocab) for line, text in zip(head, texts)):
        return False
    if context.table.roles.get(0) is not Kind.NAME:
        return True
    above = lines[index - 1] if index > 0 and lines[index - 1].number == lines[index].number - 1 else None
    above_names = above.of(Kind.NAME) if above is not None else []
    previous = above_names[0].text if len(above_names) == 1 else None
    text = texts[0]
    if _legal_forms_only(text, context.vocab) and context.ends_names(text.split()[0]):
        return False
    return not context.continues(previous, text)
