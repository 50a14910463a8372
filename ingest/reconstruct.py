"""Typed lines of a table region -> rows, repairing what PDF extraction did to the table.

The mechanism, in order:

1. Lines that cannot hold row data leave first, each with its reason: header rows, prose, page
   artefacts, stray marks. A row that a newline inside a cell spread over adjacent lines is
   joined back into one line (:mod:`smelterkg.ingest.wrapped_cells`); then garbled OCR copies
   of another row leave.
2. A country cell wrapped over two lines is joined ("MACEDONIA, THE FORMER YUGOSLAV" +
   "REPUBLIC OF").
3. A line holding exactly one metal, name, country and status is a row.
4. Every other line is damaged. Damaged lines close to each other (at most ``MAX_GAP`` intact
   lines apart) form a block, intact lines between them included. In a block the cells of each
   kind are read as a stream in reading order (metals, names, countries, statuses) and the
   streams are zipped into rows. This one rule repairs cells shifted to a neighbouring line, rows
   printed one cell per line, rows printed column by column and two rows merged on one line.
5. Names are the flexible stream: a name-only line may continue the previous name (a wrapped
   name) or start a row, and a name cell may hold two names run together; the reading that makes
   the name count match the block's row count at the least cost wins.
6. A stream whose count does not match the block's row count cannot be aligned: that field is
   left empty for the block's rows and the cells are quarantined. Nothing is guessed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from rapidfuzz import fuzz

from smelterkg.ingest.cells import fold_name
from smelterkg.ingest.countries import country_code
from smelterkg.ingest.garble import garbled_prefix, is_garbled_copy, legal_form_boundaries, name_words, support, word_counts
from smelterkg.ingest.models import Fragment, Kind, LineKind, QuarantineEntry, TypedLine
from smelterkg.ingest.vocabulary import Vocabulary, vocabulary
from smelterkg.ingest.wrapped_cells import join_wrapped_cells

MAX_GAP = 2  # intact lines that may sit between two damaged lines of one block
COPY_WINDOW = 60  # lines around a name searched for its garbled copies
EXPECTED_SHARE = 0.3  # a field is part of the table when this share of its lines carry it
_FIELDS = (Kind.METAL, Kind.COUNTRY, Kind.STATUS)
_OPENERS = {"of", "and", "the", "de", "do", "da", "du", "des", "del", "y", "e", "&", "+", "for", "und"}

_LINE_REASONS = {
    LineKind.HEADER: "header row",
    LineKind.PROSE: "prose inside the table region",
    LineKind.HEADING: "heading inside the table region",
    LineKind.ARTEFACT: "page artefact",
    LineKind.MARKUP: "markup leftover with no text",
}


@dataclass
class DraftRow:
    """A reconstructed row: the fragments it was built from, before normalisation."""

    metal: Fragment | None = None
    name: str = ""
    country: Fragment | None = None
    status: Fragment | None = None
    smelter_id: Fragment | None = None
    lines: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return min(self.lines)


@dataclass
class _Name:
    fragment: Fragment
    name_only: bool  # nothing else on its line: may continue the previous name


class _CopyIndex:
    """Finds, for a line, the line whose name it is a garbled copy of.

    A copy has the same number of words as its original and keeps the words OCR did not damage
    (words other names of the report also use) at the same positions, so candidates are looked
    up by (word count, position, word) instead of comparing every pair of names. Every original
    is in each of a copy's lookup lists, and each list is in line order, so only the stretch of
    the shortest list within ``COPY_WINDOW`` lines is compared (found by bisection): a common
    word ('Ltd.') makes long lists, and scanning them whole made large tables quadratic."""

    def __init__(self, content: list[TypedLine], counts):
        self.counts = counts
        self.content = content
        self._by_slot: dict[tuple[int, int, str], list[tuple[int, str]]] | None = None
        self._by_length: dict[int, list[tuple[int, str]]] = {}

    def _build(self) -> dict[tuple[int, int, str], list[tuple[int, str]]]:
        """Built on first use: most reports have no name that could be a copy."""
        by_slot: dict[tuple[int, int, str], list[tuple[int, str]]] = {}
        for line in self.content:
            for fragment in line.of(Kind.NAME):
                words_ = name_words(fragment.text)
                entry = (line.number, fragment.text)
                self._by_length.setdefault(len(words_), []).append(entry)
                for slot, word in enumerate(words_):
                    if self.counts[word] > 1:  # lookups are by words a copy keeps intact
                        by_slot.setdefault((len(words_), slot, word), []).append(entry)
        return by_slot

    def original_of(self, line: TypedLine) -> int | None:
        own = line.of(Kind.NAME)
        if len(own) != 1:
            return None
        name = own[0].text
        words_ = name_words(name)
        unique = [w for w in words_ if self.counts[w] <= 1]
        if len(unique) < 2:
            return None  # a copy has at least two damaged words, and damaged words are unique
        if self._by_slot is None:
            self._by_slot = self._build()
        kept = [(slot, w) for slot, w in enumerate(words_) if self.counts[w] > 1]
        if kept:
            lists = [self._by_slot.get((len(words_), slot, w), []) for slot, w in kept]
        else:
            lists = [self._by_length.get(len(words_), [])]
        candidates = min((_near(entries, line.number) for entries in lists), key=len)
        for number, other in candidates:
            if number == line.number:
                continue
            if is_garbled_copy(name, other, self.counts) and support(name, self.counts) < support(other, self.counts):
                return number
        return None


def _near(entries: list[tuple[int, str]], number: int) -> list[tuple[int, str]]:
    """The entries (in line order) at most ``COPY_WINDOW`` lines from line ``number``."""
    start = bisect_left(entries, number - COPY_WINDOW, key=itemgetter(0))
    end = bisect_right(entries, number + COPY_WINDOW, lo=start, key=itemgetter(0))
    return entries[start:end]


@dataclass
class _Plan:
    block: list[TypedLine]
    rows: int
    texts: list[tuple[str, list[int]]]  # names in row order; a leading NUL continues ``previous``
    streams: dict[Kind, list[Fragment]]
    previous: DraftRow | None


@dataclass
class Reconstruction:
    rows: list[DraftRow]
    quarantine: list[QuarantineEntry]


class _Reconstructor:
    def __init__(self, source: str, lines: Sequence[TypedLine], vocab: Vocabulary):
        self.source = source
        self.lines = list(lines)
        self.vocab = vocab
        self.quarantine: list[QuarantineEntry] = []
        self.rows: list[DraftRow] = []
        self.wrap_notes: dict[int, list[str]] = {}  # line -> cells wrapped onto following lines, joined
        self.wrapped_parts: dict[int, list[TypedLine]] = {}  # joined line -> the lines it was read from

    # -- quarantine helpers -------------------------------------------------------------
    def _drop_line(self, line: TypedLine, reason: str) -> None:
        for part in self.wrapped_parts.get(line.number, (line,)):  # a joined line: each line it was read from
            self.quarantine.append(QuarantineEntry(self.source, part.number, reason, part.raw.strip()))
        line.fragments = []

    def _drop_fragment(self, fragment: Fragment, reason: str) -> None:
        self.quarantine.append(QuarantineEntry(self.source, fragment.line, reason, fragment.text))

    # -- step 1: lines that hold no row data --------------------------------------------
    def _remove_non_rows(self) -> list[TypedLine]:
        content: list[TypedLine] = []
        seen_header = False
        for line in self.lines:
            if line.kind is LineKind.BLANK:
                continue
            if line.kind is LineKind.HEADER:
                self._drop_line(line, "repeated header row" if seen_header else "header row")
                seen_header = True
                continue
            if line.kind is not LineKind.CONTENT:
                self._drop_line(line, _LINE_REASONS[line.kind])
                continue
            strays = line.of(Kind.STRAY)
            if strays and len(strays) == len(line.fragments):
                self._drop_line(line, "stray mark")
                continue
            content.append(line)
        return content

    def _remove_garbled(self, content: list[TypedLine]) -> list[TypedLine]:
        names = [f.text for line in content for f in line.of(Kind.NAME)]
        counts = word_counts(names)
        index = _CopyIndex(content, counts)
        kept: list[TypedLine] = []
        for position, line in enumerate(content):
            groups = line.by_kind()
            junk = groups.get(Kind.JUNK, ())
            unreadable = len(junk) >= 2 or bool(junk and Kind.NAME not in groups and Kind.METAL not in groups)
            original = index.original_of(line)
            if original is None and unreadable:
                original = self._best_match(position, content)
            if unreadable or original is not None:
                where = f" of line {original}" if original is not None else ""
                self._drop_line(line, f"garbled OCR copy{where}")
                continue
            kept.append(line)
        return kept

    def _best_match(self, index: int, content: list[TypedLine]) -> int | None:
        """For an unreadable line: the readable line nearby it most resembles (for the reason)."""
        line = content[index]
        text = " ".join(f.text for f in line.fragments)
        best, best_score = None, 55.0
        for other in content:
            if other is line or abs(other.number - line.number) > COPY_WINDOW or other.of(Kind.JUNK):
                continue
            score = fuzz.ratio(text, " ".join(f.text for f in other.fragments), score_cutoff=best_score)
            if score > best_score:
                best, best_score = other.number, score
        return best

    # -- step 2: wrapped country cells --------------------------------------------------
    def _join_wrapped_countries(self, content: list[TypedLine]) -> None:
        for index, line in enumerate(content):
            for fragment in line.of(Kind.COUNTRY):
                if not fragment.partial:
                    continue
                for following in content[index + 1 : index + 3]:
                    pieces = [f for f in following.fragments if f.kind in (Kind.COUNTRY, Kind.JUNK) and (f.column == fragment.column or f.column < 0)]
                    if not pieces:
                        continue
                    joined = f"{fragment.text} {pieces[0].text}"
                    code = country_code(joined)
                    if code:
                        fragment.text, fragment.value, fragment.partial = joined, code, False
                        fragment.extra_lines += (following.number,)
                        following.remove(pieces[0])
                    break

    def _drop_emptied(self, content: list[TypedLine]) -> list[TypedLine]:
        """Lines whose cells all went to a neighbour's wrapped cell, leaving at most a stray."""
        kept = []
        for line in content:
            if line.fragments and all(f.kind is Kind.STRAY for f in line.fragments):
                for stray in line.fragments:
                    self._drop_fragment(stray, "stray mark")
            elif line.fragments:
                kept.append(line)
        return kept

    # -- steps 3-6 ----------------------------------------------------------------------
    def _expected_fields(self, content: list[TypedLine]) -> tuple[Kind, ...]:
        with_name = [line for line in content if line.of(Kind.NAME)] or content
        expected = []
        for kind in _FIELDS:
            share = sum(1 for line in with_name if line.of(kind)) / max(len(with_name), 1)
            if share >= EXPECTED_SHARE:
                expected.append(kind)
        return tuple(expected)

    def _is_intact(self, line: TypedLine, expected: tuple[Kind, ...]) -> bool:
        groups = line.by_kind()
        if Kind.JUNK in groups or len(groups.get(Kind.NAME, ())) != 1 or len(groups.get(Kind.SMELTER_ID, ())) > 1:
            return False
        for kind in _FIELDS:
            if len(groups.get(kind, ())) != (kind in expected):
                return False
        return not (Kind.COUNTRY in groups and groups[Kind.COUNTRY][0].partial)

    def _row_from_line(self, line: TypedLine) -> DraftRow:
        groups = line.by_kind()
        name = groups[Kind.NAME][0]
        row = DraftRow(
            metal=_one(groups.get(Kind.METAL, ())),
            name=name.text,
            country=_one(groups.get(Kind.COUNTRY, ())),
            status=_one(groups.get(Kind.STATUS, ())),
            smelter_id=_one(groups.get(Kind.SMELTER_ID, ())),
            lines={line.number, *name.extra_lines},
            notes=list(self.wrap_notes.get(line.number, ())),
        )
        self._absorb_fragment_lines(row)
        self._note_strays(row, line)
        return row

    def _absorb_fragment_lines(self, row: DraftRow) -> None:
        for fragment in (row.metal, row.country, row.status, row.smelter_id):
            if fragment is not None:
                row.lines.add(fragment.line)
                row.lines.update(fragment.extra_lines)

    def _note_strays(self, row: DraftRow, line: TypedLine) -> None:
        for stray in line.of(Kind.STRAY):
            row.notes.append(f"stray mark {stray.text!r} on line {stray.line} ignored")

    def run(self) -> Reconstruction:
        content = self._remove_non_rows()
        wrapped = join_wrapped_cells(content, self.vocab, continues_name_above)
        content, self.wrap_notes, self.wrapped_parts = wrapped.lines, wrapped.notes, wrapped.parts
        content = self._remove_garbled(content)
        self._join_wrapped_countries(content)
        content = self._drop_emptied(content)
        expected = self._expected_fields(content)
        intact = [self._is_intact(line, expected) for line in content]
        from_line: dict[int, DraftRow] = {}
        index = 0
        while index < len(content):
            if intact[index]:
                row = self._row_from_line(content[index])
                from_line[content[index].number] = row
                self.rows.append(row)
                index += 1
                continue
            end = index
            probe = index + 1
            while probe < len(content) and probe - end - 1 <= MAX_GAP:
                if not intact[probe]:
                    end = probe
                probe += 1
            end = self._resolve_block(content, index, end, intact, expected, from_line)
            index = end + 1
        self._strip_garbled_prefixes()
        return Reconstruction(self.rows, self.quarantine)

    # -- block alignment ----------------------------------------------------------------
    def _plan(self, block: list[TypedLine], expected: tuple[Kind, ...]) -> _Plan | None:
        """How a damaged block reads as rows, or None when its names cannot be aligned."""
        streams = {kind: [f for line in block for f in line.of(kind)] for kind in (*_FIELDS, Kind.SMELTER_ID)}
        names = [
            _Name(f, name_only=all(g.kind in (Kind.NAME, Kind.STRAY) for g in line.fragments))
            for line in block
            for f in line.of(Kind.NAME)
        ]
        previous = self._previous_row_for(block[0])
        counts = [len(streams[kind]) for kind in expected]
        best: tuple[tuple[int, int, int, int], _Plan] | None = None
        for rows in sorted(set(counts) | {0}, reverse=True):
            reading = _read_names(names, rows, previous.name if previous else None, self.vocab)
            if reading is None or (rows == 0 and any(counts)):
                continue
            cost, texts = reading
            key = (sum(1 for c in counts if c == rows), int(len(streams[Kind.METAL]) == rows), -cost, rows)
            if best is None or key > best[0]:
                best = (key, _Plan(block, rows, texts, streams, previous))
        return best[1] if best else None

    def _resolve_block(
        self, content: list[TypedLine], start: int, end: int, intact: list[bool], expected: tuple[Kind, ...],
        from_line: dict[int, DraftRow],
    ) -> int:
        """Align ``content[start:end+1]``; when its names cannot be aligned, try again with the
        intact line just before and/or after it (a name run together with the next row's name
        can sit on a line that looks intact). Returns the index of the block's last line."""
        plan = self._plan(content[start : end + 1], expected)
        if plan is None:
            before = start > 0 and intact[start - 1] and self.rows and from_line.get(content[start - 1].number) is self.rows[-1]
            after = end + 1 < len(content) and intact[end + 1]
            for use_before, use_after in ((True, False), (False, True), (True, True)):
                if (use_before and not before) or (use_after and not after):
                    continue
                popped = self.rows.pop() if use_before else None
                widened = self._plan(content[start - use_before : end + 1 + use_after], expected)
                if widened is not None:
                    plan, end = widened, end + use_after
                    break
                if popped is not None:
                    self.rows.append(popped)
        if plan is None:
            self._fail_block(content[start : end + 1], expected)
        else:
            self._apply(plan, expected)
        return end

    def _fail_block(self, block: list[TypedLine], expected: tuple[Kind, ...]) -> None:
        span = f"lines {block[0].number}-{block[-1].number}"
        names = sum(len(line.of(Kind.NAME)) for line in block)
        summary = ", ".join(f"{sum(len(line.of(k)) for line in block)} {k.value}s" for k in expected)
        for line in block:
            self._drop_line(line, f"could not align damaged block ({span}: {names} names, {summary})")

    def _apply(self, plan: _Plan, expected: tuple[Kind, ...]) -> None:
        block, rows, streams, previous = plan.block, plan.rows, plan.streams, plan.previous
        span = f"lines {block[0].number}-{block[-1].number}"
        drafts = [DraftRow() for _ in range(rows)]
        for kind in (*expected, Kind.SMELTER_ID):
            stream = streams[kind]
            if len(stream) == rows:
                for draft, fragment in zip(drafts, stream):
                    _assign(draft, kind, fragment)
            elif stream:
                for fragment in stream:
                    self._drop_fragment(
                        fragment,
                        f"{len(stream)} {kind.value} cells for {rows} rows ({span}): "
                        f"cannot tell which row each belongs to; left empty",
                    )
        for kind in _FIELDS:
            if kind not in expected:
                for fragment in streams[kind]:
                    self._drop_fragment(fragment, f"{kind.value} cell where the table has no {kind.value} column")
        for fragment in (f for line in block for f in line.of(Kind.JUNK)):
            self._drop_fragment(fragment, f"unreadable text in {_column_word(fragment)} ({span})")
        name_index = 0
        for text, lines in plan.texts:
            if text.startswith("\x00"):
                assert previous is not None
                previous.name = _join_name(previous.name, text[1:])
                previous.lines.update(lines)
                continue
            drafts[name_index].name = text
            drafts[name_index].lines.update(lines)
            name_index += 1
        for draft in drafts:
            self._absorb_fragment_lines(draft)
            draft.notes.extend(note for number in sorted(draft.lines) for note in self.wrap_notes.get(number, ()))
            if len(draft.lines) > 1 or len(drafts) > 1:
                draft.notes.append(f"reassembled from damaged {span}")
        for line in block:
            for stray in line.of(Kind.STRAY):
                owner = next((d for d in drafts if stray.line in d.lines), drafts[0] if drafts else previous)
                if owner is not None:
                    owner.notes.append(f"stray mark {stray.text!r} on line {stray.line} ignored")
        self.rows.extend(drafts)

    def _previous_row_for(self, first: TypedLine) -> DraftRow | None:
        """The row a continuation at the top of a block would extend: the last row, when it
        ended on one of the few lines just above."""
        if not self.rows:
            return None
        last = self.rows[-1]
        return last if first.number - max(last.lines) <= 3 else None

    # -- garbled name prefixes ------------------------------------------------------------
    def _strip_garbled_prefixes(self) -> None:
        for index, row in enumerate(self.rows):
            for neighbour_index in (index - 1, index + 1):
                if not 0 <= neighbour_index < len(self.rows):
                    continue
                neighbour = self.rows[neighbour_index]
                offset = garbled_prefix(row.name, neighbour.name, self.vocab)
                if offset is None:
                    continue
                copy = row.name[:offset].strip()
                self.quarantine.append(
                    QuarantineEntry(
                        self.source,
                        row.first_line,
                        f"garbled OCR copy of line {neighbour.first_line}'s name, glued before this row's name",
                        copy,
                    )
                )
                row.notes.append(f"removed garbled copy {copy!r} of the neighbouring name")
                row.name = row.name[offset:].strip()
                break


def _column_word(fragment: Fragment) -> str:
    return "an untabbed line" if fragment.column < 0 else f"column {fragment.column + 1}"


def _one(fragments: Sequence[Fragment]) -> Fragment | None:
    return fragments[0] if fragments else None


_DRAFT_FIELD = {Kind.METAL: "metal", Kind.COUNTRY: "country", Kind.STATUS: "status", Kind.SMELTER_ID: "smelter_id"}


def _assign(draft: DraftRow, kind: Kind, fragment: Fragment) -> None:
    setattr(draft, _DRAFT_FIELD[kind], fragment)


def _join_name(head: str, tail: str) -> str:
    if head.endswith("-") and tail[:1].isalpha():
        return head + tail
    return f"{head} {tail}"


def _left_open(name: str) -> bool:
    """A name that cannot end where it does: a trailing joiner, an open bracket, 'of'/'and'..."""
    return (
        name.rstrip()[-1:] in {",", "&", "-", "(", "/", "+"}
        or name.count("(") > name.count(")")
        or fold_name(name).rsplit(" ", 1)[-1] in _OPENERS
    )


def continues_name_above(above: str | None, text: str) -> bool:
    """Whether a lone name text, printed on a line of its own, can only be the end of the name
    above it: it starts in lower case or closes a bracket, or the name above is left open. (A
    leading legal form is no such cue: 'PT', 'CV', 'OJSC' begin names.)"""
    return text[:1].islower() or text.count(")") > text.count("(") or (above is not None and _left_open(above))


def _continuation_cues(previous_text: str | None, text: str, vocab: Vocabulary) -> tuple[int, int]:
    """(cost if this name-only fragment continues the previous name, cost if it starts a row)."""
    first = text.split()[0]
    strong = (
        first[:1].islower()
        or vocab.is_legal_form(first)
        or text.count(")") > text.count("(")
        or (previous_text is not None and _left_open(previous_text))
    )
    if strong:
        return 0, 3
    if len(text.split()) == 1:
        return 1, 1
    return 3, 0


def _read_names(
    names: list[_Name], rows: int, previous_name: str | None, vocab: Vocabulary
) -> tuple[int, list[tuple[str, list[int]]]] | None:
    """The cheapest reading of a block's name cells that yields exactly ``rows`` names.

    Dynamic programming over the cells; state = names produced so far. Each cell either starts
    one name, continues the previous name (name-only lines), or splits into several names at
    legal-form boundaries. A continuation of the row above the block is marked with a leading
    NUL in the returned text."""
    # options per cell: (names added, cost, pieces) where pieces are the texts produced
    INF = 10**9
    best: dict[int, tuple[int, list[tuple[str, list[int]]]]] = {0: (0, [])}
    previous_text = previous_name
    for position, item in enumerate(names):
        text = item.fragment.text
        line = item.fragment.line
        joined_lines = list(item.fragment.extra_lines)  # a name cell wrapped over lines and joined
        options: list[tuple[int, int, list[str], bool]] = []
        cont_cost, sep_cost = _continuation_cues(previous_text, text, vocab) if item.name_only else (INF, 0)
        options.append((1, sep_cost, [text], False))
        if item.name_only and (position > 0 or previous_name is not None):
            options.append((0, cont_cost, [text], True))
        boundaries = legal_form_boundaries(text, vocab)
        for cut in boundaries:
            parts = [text[:cut].strip(), text[cut:].strip()]
            options.append((2, 2, parts, False))
        if len(boundaries) >= 2:
            cuts = [0, *boundaries, len(text)]
            parts = [text[a:b].strip() for a, b in zip(cuts, cuts[1:])]
            options.append((len(parts), 2 * (len(parts) - 1), parts, False))
        nxt: dict[int, tuple[int, list[tuple[str, list[int]]]]] = {}
        for produced, (cost, pieces) in best.items():
            for added, extra, parts, is_continuation in options:
                if extra >= INF:
                    continue
                total = produced + added
                if total > rows:
                    continue
                if is_continuation and pieces:
                    head, head_lines = pieces[-1]
                    marker = "\x00" if head.startswith("\x00") else ""
                    new_pieces = [*pieces[:-1], (marker + _join_name(head.lstrip("\x00"), text), [*head_lines, line, *joined_lines])]
                elif is_continuation:
                    new_pieces = [("\x00" + text, [line, *joined_lines])]
                else:
                    new_pieces = [*pieces, *((part, [line, *joined_lines]) for part in parts)]
                candidate = (cost + extra, new_pieces)
                if total not in nxt or candidate[0] < nxt[total][0]:
                    nxt[total] = candidate
        best = nxt
        previous_text = text
    if rows not in best:
        return None
    return best[rows]


def reconstruct(source: str, lines: Sequence[TypedLine], vocab: Vocabulary | None = None) -> Reconstruction:
    """Rows and quarantine entries for one table region."""
    return _Reconstructor(source, lines, vocab or vocabulary()).run()
