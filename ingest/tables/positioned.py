"""Words with horizontal positions, in lines and pages -> tables of :class:`SourceCell` rows, the
seam table understanding reads (``grid.build_grid`` then ``understand``).

Used for a PDF's text layer (x in points) and for aligned-text dumps (``pdftotext -layout``,
``w3m -dump``: x = character column). Nothing here knows a filer's layout:

* a *block* is a run of lines that holds at least two lines with several phrases (a phrase is a
  run of words closer than ``wide``); blank lines and prose lines (one long phrase) end it; short
  single-phrase lines inside it (metal headings, wrapped names, page numbers, running headers)
  belong to it; page breaks do not end it, nor does the white space around a page's running
  header and footer (page *furniture*: up to three lines at a page's top or bottom set apart by
  white space, on a document of several pages), which is left out of the table (the reader
  quarantines it);
* *column bands* are found from gaps shared down the block: an x-interval no word of a
  multi-phrase line covers, and that is a real column gap: a vertical rule runs there (box
  tables), more lines break wider than a word space across it than narrower, or the words beside
  it are typed content (a smelter ID, a country, a status, a metal...) rather than running text
  (header words naming two roles, "Smelter ID RMI Status", count as neither); a name whose word
  spaces happen to line up in every row is therefore not cut in two;
* a cell is the words of a line inside one band; a word crossing a gap makes a cell spanning the
  bands it covers;
* a line whose only cell sits in one band, directly under a row with a cell in that band, on the
  same page, is that cell wrapped onto the next line (joined; the row's locator names both
  lines), unless it is a metal heading, a number or a footnote legend.

Repeated header lines, page numbers and running headers stay rows of the grid: ``understand``
recognises repeated headers and quarantines single cells across the table with their reason, so
every line of a block is used or quarantined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from smelterkg.ingest.tables.columns import content_type, header_role, metal_value
from smelterkg.ingest.tables.grid import SourceCell
from smelterkg.ingest.tables.understand import LEGEND
from smelterkg.ingest.vocabulary import Vocabulary, vocabulary

PROSE_WORDS = 7  # a single-phrase line of this many words is prose: it ends a table
MAX_INNER_LINES = 8  # single-phrase lines allowed between two multi-phrase lines of one block
MAX_BLOCK_LINES = 20_000
MAX_FURNITURE = 3  # lines of running header or footer a page may have  # a longer block is cut (bounded work on hostile input)
TYPED = frozenset({"smelter_id", "country", "location", "status", "metal", "number"})


@dataclass(frozen=True, slots=True)
class Word:
    """A word (no spaces inside) and its horizontal extent: ``x1`` is where it ends (exclusive for
    character columns). ``superscript``: printed raised and small (a footnote mark)."""

    text: str
    x0: float
    x1: float
    superscript: bool = False
    row: int = 0  # printed line within its line (a PDF line merges a cell wrapped beside a centred one)


@dataclass(frozen=True, slots=True)
class Line:
    """A printed line: its words left to right, its number (on its page for a PDF, in the file for
    text), its page (None for text without page breaks), x positions of vertical rules drawn
    through it (box tables), and whether it is only a rule (``─┼─``: ignored, never ends a table)."""

    words: tuple[Word, ...]
    number: int
    page: int | None = None
    rules: tuple[float, ...] = ()
    separator: bool = False
    tight: bool = False  # printed closer under the line above than rows are: a cell's next line (PDF)


@dataclass
class PositionedTable:
    """One block read as source rows: ``rows[i]`` is source row ``i + 1`` (for ``build_grid``),
    ``lines[i]`` the (page, line) pairs its words came from."""

    rows: list[list[SourceCell]]
    lines: list[list[tuple[int | None, int]]]
    bands: list[tuple[float, float]] = field(default_factory=list)


def phrases(words: Sequence[Word], wide: float) -> list[list[Word]]:
    """Words grouped into runs whose gaps are narrower than ``wide``."""
    out: list[list[Word]] = []
    for word in words:
        if out and word.x0 - out[-1][-1].x1 < wide:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _multi(line: Line, wide: float) -> bool:
    return bool(line.words) and (len(phrases(line.words, wide)) >= 2 or len(line.rules) >= 2)


def _prose(line: Line, wide: float) -> bool:
    groups = phrases(line.words, wide)
    return len(groups) == 1 and len(groups[0]) >= PROSE_WORDS


def furniture(lines: Sequence[Line], most: int = MAX_FURNITURE) -> set[tuple[int | None, int]]:
    """(page, line) of running headers, footers and page numbers: on a document of several pages,
    up to ``most`` lines at a page's top followed by white space, or at its bottom after white
    space."""
    pages: dict[int | None, list[Line]] = {}
    for line in lines:
        if not line.separator:
            pages.setdefault(line.page, []).append(line)
    if len(pages) < 2:
        return set()
    found: set[tuple[int | None, int]] = set()
    for page_lines in pages.values():
        for run in (page_lines, page_lines[::-1]):
            content = []
            for line in run:
                if not line.words:
                    break
                content.append(line)
            else:
                continue
            if 0 < len(content) <= most and len(content) < len(run) - 1:
                found.update((ln.page, ln.number) for ln in content)
    return found


def blocks(lines: Sequence[Line], wide: float) -> list[list[Line]]:
    """Runs of lines that may be tables (see the module docstring). Page furniture is left out, and
    white space only ends a table when the page goes on after it."""
    out: list[list[Line]] = []
    current: list[Line] = []
    pending: list[Line] = []  # single-phrase lines after the last multi-phrase line
    skip = furniture(lines)

    def close() -> None:
        nonlocal current, pending
        if sum(1 for ln in current if _multi(ln, wide)) >= 2:
            out.append(current + pending[:2])  # a last row's wrapped cell may follow it
        current, pending = [], []

    blank_page: object = None  # the page of white space seen since the last content line
    for line in lines:
        if line.separator or (line.page, line.number) in skip:
            continue
        if not line.words:
            if current and blank_page is None:
                blank_page = line.page
            continue
        if blank_page is not None and blank_page == line.page:
            close()
        blank_page = None
        if _multi(line, wide):
            if len(current) + len(pending) >= MAX_BLOCK_LINES:
                close()
            current.extend(pending)
            pending = []
            current.append(line)
        elif current and not _prose(line, wide) and len(pending) < MAX_INNER_LINES:
            pending.append(line)
        elif current:
            close()
    if current:
        close()
    return out


def _gaps(lines: Sequence[Line], wide: float) -> list[tuple[float, float]]:
    """X-intervals no word of a multi-phrase line covers, between the block's left and right ends."""
    spans = sorted((w.x0, w.x1) for ln in lines if _multi(ln, wide) for w in ln.words)
    gaps = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > reach:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return gaps


def _side_text(line: Line, lo: float, hi: float) -> str:
    return " ".join(w.text for w in line.words if w.x0 >= lo and w.x1 <= hi)


def _typed_beside(
    line: Line, left: str, right: str, sides: tuple[float, float], wide: float, vocab: Vocabulary, given: frozenset[str]
) -> bool:
    """Whether a narrow gap of ``line`` has typed content on one side (``left``/``right``: the texts
    next to it, within ``sides``) that is a cell of its own: a type the line holds nowhere else and
    the document does not give by heading rows (``given``). A country or metal word inside a name
    ("Asahi Refining USA Inc.  JAPAN", "Tantalum  Ningxia Orient Tantalum Industry") repeats a type
    the row has in its own column or under its heading, so it is part of the name."""
    elsewhere = given | {content_type(_text(group)[0], vocab) for group in phrases([w for w in line.words if w.x1 <= sides[0] or w.x0 >= sides[1]], wide)}
    return any(kind in TYPED and kind not in elsewhere for kind in (content_type(left, vocab), content_type(right, vocab)))


def _verdict(
    i: int, candidates: Sequence[tuple[float, float]], multi: Sequence[Line], wide: float, vocab: Vocabulary, given: frozenset[str]
) -> bool | None:
    """Whether candidate gap ``i`` separates columns: True (a rule, wide breaks, or typed content
    beside it), False (the lines beside it say it is a space inside a cell), None (no line has
    words next to it on both sides within the neighbouring candidates: no evidence either way)."""
    lo, hi = candidates[i]
    left_lo = candidates[i - 1][1] if i else float("-inf")
    right_hi = candidates[i + 1][0] if i + 1 < len(candidates) else float("inf")
    narrow: list[Line] = []
    wide_breaks = 0
    for line in multi:
        if any(lo <= r <= hi for r in line.rules):
            return True
        left = [w for w in line.words if left_lo <= w.x0 and w.x1 <= lo]
        right = [w for w in line.words if w.x0 >= hi and w.x1 <= right_hi]
        if not left or not right:
            continue  # nothing next to the gap on one side: no evidence either way
        if right[0].x0 - left[-1].x1 >= wide:
            wide_breaks += 1
        else:
            narrow.append(line)
    if wide_breaks and 2 * len(narrow) <= wide_breaks:
        return True
    if not narrow and not wide_breaks:
        return None
    sides = [(ln, _side_text(ln, left_lo, lo), _side_text(ln, hi, right_hi)) for ln in narrow]
    values = [(ln, a, b) for ln, a, b in sides if not (header_role(a) and header_role(b))]  # "Smelter ID RMI Status"
    return bool(values) and all(_typed_beside(ln, a, b, (left_lo, right_hi), wide, vocab, given) for ln, a, b in values)


def column_gaps(lines: Sequence[Line], wide: float, vocab: Vocabulary, given: frozenset[str] = frozenset()) -> list[tuple[float, float]]:
    """The candidate gaps that separate columns (rule, wide break, or typed content beside it).

    Each gap is judged on the words between it and its neighbouring candidates. A space inside a
    cell ("Communication Suspended") is a candidate too, and while it stands it hides that cell
    from the next gap ("Suspended" | "CID000058" looks like no evidence); so the gaps judged to be
    spaces inside cells are dropped and the rest judged again, until no more are dropped.
    ``given``: the content types the document gives by heading rows (see :func:`heading_types`)."""
    candidates = _gaps(lines, wide)
    multi = [ln for ln in lines if _multi(ln, wide)]
    while True:
        verdicts = [_verdict(i, candidates, multi, wide, vocab, given) for i in range(len(candidates))]
        if False not in verdicts:
            return [gap for gap, verdict in zip(candidates, verdicts) if verdict]
        candidates = [gap for gap, verdict in zip(candidates, verdicts) if verdict is not False]


def _bands(lines: Sequence[Line], gaps: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    left = min(w.x0 for ln in lines for w in ln.words)
    right = max(w.x1 for ln in lines for w in ln.words)
    edges = [left] + [x for gap in gaps for x in gap] + [right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _band_of(x: float, gaps: Sequence[tuple[float, float]]) -> int:
    """The band a position falls in (a position inside a gap goes to the band on its left)."""
    for i, (lo, hi) in enumerate(gaps):
        if x < hi:
            return i if x <= lo or x < (lo + hi) / 2 else i + 1
    return len(gaps)


def _cells(line: Line, gaps: Sequence[tuple[float, float]]) -> list[tuple[int, int, list[Word]]]:
    """(first band, last band, words) of each cell of the line, left to right."""
    cells: list[tuple[int, int, list[Word]]] = []
    for word in line.words:
        first, last = _band_of(word.x0, gaps), _band_of(word.x1 - 1e-6, gaps)
        if cells and cells[-1][1] >= first:
            start, end, words = cells[-1]
            cells[-1] = (start, max(end, last), words + [word])
        else:
            cells.append((first, last, [word]))
    return cells


def _text(words: Sequence[Word]) -> tuple[str, tuple[str, ...]]:
    words = sorted(words, key=lambda w: (w.row, w.x0))
    marks = tuple(w.text for w in words if w.superscript)
    return " ".join(w.text for w in words if not w.superscript), marks


def _joins(cell_text: str, vocab: Vocabulary) -> bool:
    """Whether a lone cell under a row may be that row's cell wrapped onto the next line."""
    if metal_value(cell_text, vocab, heading=True) or LEGEND.match(cell_text):
        return False
    return content_type(cell_text, vocab) not in {"number", "smelter_id"}


def _centred_labels(
    rows: list[dict[int, tuple[int, list[Word]]]], where: list[list[tuple[int | None, int]]], vocab: Vocabulary
) -> tuple[dict[tuple[int, int], int], set[tuple[int, int]]]:
    """A metal printed once for the rows it spans, vertically centred between two of them (an HTML
    ``rowspan`` cell in a text dump): a line whose only cell is a metal, in a band empty in the rows
    just above and below, spans the rows around it, as many above as below, never past another
    label, a heading or a row with that band filled. The label's row is removed (its line joins the
    first spanned row); returns (row, band) -> rowspan and the (row, band) positions it covers."""
    spans: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()
    r = 1
    while r < len(rows) - 1:
        row = rows[r]
        band = next(iter(row)) if len(row) == 1 else -1
        if band < 0 or row[band][0] != band or content_type(_text(row[band][1])[0], vocab) != "metal":
            r += 1
            continue

        def free(i: int) -> bool:
            return 0 <= i < len(rows) and len(rows[i]) >= 2 and band not in rows[i] and (i, band) not in covered

        up = 0
        while free(r - 1 - up):
            up += 1
        down = 0
        while free(r + 1 + down):
            down += 1
        k = min(up, down)
        if not k:
            r += 1
            continue
        first = r - k
        label = rows.pop(r)
        where[first].extend(where.pop(r))
        rows[first][band] = label[band]
        spans[(first, band)] = 2 * k
        covered.update((i, band) for i in range(first + 1, first + 2 * k))
        r = first + 2 * k
    return spans, covered


def _key_band(cells_of: Sequence[list[tuple[int, int, list[Word]]]], vocab: Vocabulary) -> int:
    """The band of the names: the one holding the most running-text cells in multi-cell lines."""
    counts: dict[int, int] = {}
    for cells in cells_of:
        if len(cells) >= 2:
            for first, last, words in cells:
                if first == last and content_type(_text(words)[0], vocab) == "text":
                    counts[first] = counts.get(first, 0) + 1
    return max(counts, key=lambda b: (counts[b], -b)) if counts else -1


def _header_like(cells: list[tuple[int, int, list[Word]]]) -> bool:
    return len(cells) >= 2 and all(header_role(_text(words)[0]) for _, _, words in cells)


def read_block(lines: Sequence[Line], wide: float, vocab: Vocabulary | None = None, given: frozenset[str] = frozenset()) -> PositionedTable:
    """One block -> its source rows (bands, cells, spans, wrapped cells joined).

    A line continues the row above (its words join that row's cells, the row's locator names both
    lines) when its cells each sit in one band where the row above has a cell, none is a metal
    heading, a number or a footnote legend, and: it has one cell and the row above is a
    multi-cell row on the same page; or it is ``tight`` (a PDF printed it at a cell's line pitch,
    closer than rows are); or it has no cell in the names' band (it cannot be a row) and follows
    the row directly, or after a page break with only repeated headers, running headers and page
    numbers between.
    """
    vocab = vocab or vocabulary()
    gaps = column_gaps(lines, wide, vocab, given)
    line_cells = [_cells(line, gaps) for line in lines]
    key = _key_band(line_cells, vocab)
    rows: list[dict[int, tuple[int, list[Word]]]] = []  # first band -> (last band, words)
    where: list[list[tuple[int | None, int]]] = []
    previous_multi: Line | None = None
    last_data: Line | None = None  # the last multi-cell, non-header line made a row
    between_only_headers = False  # since last_data: only header-like or single-cell lines
    for line, cells in zip(lines, line_cells):
        under = bool(rows) and all(
            first == last and first in rows[-1] and rows[-1][first][0] == first and _joins(_text(words)[0], vocab)
            for first, last, words in cells
        )  # fmt: skip
        nameless = key >= 0 and all(first != key for first, _, _ in cells)
        joins = under and (
            (len(cells) == 1 and previous_multi is not None and previous_multi.page == line.page)
            or (line.tight and previous_multi is not None and previous_multi.page == line.page)
            or (nameless and previous_multi is not None and previous_multi.page == line.page)
        )
        if not joins and nameless and last_data is not None and last_data.page != line.page and between_only_headers:
            target = max(i for i in range(len(rows)) if where[i][0] == (last_data.page, last_data.number))
            if all(f == l and f in rows[target] and rows[target][f][0] == f and _joins(_text(w)[0], vocab) for f, l, w in cells):
                for first, _, words in cells:
                    last, old = rows[target][first]
                    below = max(w.row for w in old) + 1
                    rows[target][first] = (last, old + [replace(w, row=w.row + below) for w in words])
                where[target].append((line.page, line.number))
                between_only_headers = False
                continue
        if joins:
            for first, _, words in cells:
                last, old = rows[-1][first]
                below = max(w.row for w in old) + 1  # the wrapped words print under the row's
                rows[-1][first] = (last, old + [replace(w, row=w.row + below) for w in words])
            where[-1].append((line.page, line.number))
            continue
        rows.append({first: (last, words) for first, last, words in cells})
        where.append([(line.page, line.number)])
        previous_multi = line if len(cells) >= 2 else None
        if len(cells) >= 2 and not _header_like(cells):
            last_data, between_only_headers = line, True
        elif len(cells) >= 2:
            between_only_headers = between_only_headers and _header_like(cells)
    spans, covered = _centred_labels(rows, where, vocab)
    source_rows: list[list[SourceCell]] = []
    n_bands = len(gaps) + 1
    for r, row in enumerate(rows):
        out: list[SourceCell] = []
        band = 0
        while band < n_bands:
            if (r, band) in covered:
                band += 1
            elif band in row:
                last, words = row[band]
                text, marks = _text(words)
                out.append(SourceCell(text, len(out) + 1, colspan=last - band + 1, rowspan=spans.get((r, band), 1), marks=marks))
                band = last + 1
            else:
                out.append(SourceCell("", len(out) + 1))
                band += 1
        source_rows.append(out)
    return PositionedTable(source_rows, where, _bands(lines, gaps))


def tables(lines: Sequence[Line], wide: float, vocab: Vocabulary | None = None) -> list[PositionedTable]:
    """Every block of the document read as a table (understanding decides which are smelter lists)."""
    vocab = vocab or vocabulary()
    given = heading_types(lines, wide, vocab)
    return [read_block(block, wide, vocab, given) for block in blocks(lines, wide)]


_HEADING_WORDS = 6  # "Tantalum smelters and refiners (continued)": a heading is short


def heading_types(lines: Sequence[Line], wide: float, vocab: Vocabulary) -> frozenset[str]:
    """{"metal"} when some line of the document is a metal heading alone ("Gold", "Tin (continued)"):
    its rows then get their metal from headings, and a metal word in a row is part of a name."""
    for line in lines:
        if 0 < len(line.words) <= _HEADING_WORDS and len(phrases(line.words, wide)) == 1 and metal_value(_text(line.words)[0], vocab, heading=True):
            return frozenset({"metal"})
    return frozenset()


__all__ = ["Line", "PositionedTable", "Word", "blocks", "furniture", "column_gaps", "phrases", "read_block", "tables"]
