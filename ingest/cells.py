"""One line of a report -> typed fragments (metal, name, country, status, stray mark, junk).

Cells are classified by what they contain (gazetteers of metals, countries and statuses) rather
than by where they sit, because PDF extraction shifts cells between columns and lines. The column
a cell sits in is used only to read text that no gazetteer recognises: in the name column it is a
name, in a metal, country or status column it is junk (OCR damage).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from collections.abc import Sequence

from smelterkg.ingest.countries import could_start_country, is_country_prefix, is_country_text, segment_countries
from smelterkg.ingest.models import Fragment, Kind, LineKind, TypedLine
from smelterkg.ingest.term_gate import may_hold_terms
from smelterkg.ingest.vocabulary import Term, Vocabulary, vocabulary, words

# Converter leftovers: emphasis a markdown converter wraps a whole cell in ('**Boliden AB**',
# '<u>Metal</u>'; a wrap may open on one line and close on the next). Only these, and only at the
# edges of a cell, are removed: markup-looking text anywhere else ('<script>', '<b>' inside a
# name, '&amp;') is part of the text as printed, kept, and noted on its row (markup_like).
_LEFTOVER_OPEN = re.compile(r"^(?:\s*(?:\*\*|__|<u>))+")
_LEFTOVER_CLOSE = re.compile(r"(?:(?:\*\*|__|</u>)\s*)+$")
_MARKUP_LIKE = re.compile(r"</?[a-zA-Z][^>]*>|\*\*|__|&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#x[0-9a-fA-F]+);")
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s*")
_SPACE = re.compile(r"\s+")
_SMELTER_ID = re.compile(r"^CID\d{6}$", re.IGNORECASE)
_ARTEFACT = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$|^[-_=*·.]{3,}$", re.IGNORECASE)
_SECTION = re.compile(r"^(?:annex|appendix|exhibit|schedule|section|item)\b", re.IGNORECASE)

Roles = dict[int, Kind]


def clean(text: str) -> str:
    """Strip converter leftovers (emphasis around the whole cell, a heading mark) and normalise
    whitespace (including no-break spaces). Markup-looking text inside the cell is kept.

    >>> clean("**Boliden AB**"), clean("<u></u>"), clean("## **Section 1**")
    ('Boliden AB', '', 'Section 1')
    >>> clean("Acme <b>Gold</b> &amp; Co <script>x</script>")
    'Acme <b>Gold</b> &amp; Co <script>x</script>'
    """
    text = _HEADING_MARK.sub("", text)
    text = _LEFTOVER_CLOSE.sub("", _LEFTOVER_OPEN.sub("", text))
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def markup_like(text: str) -> bool:
    """Whether a cleaned text still holds something that looks like markup (a tag, '**', an
    entity): kept as printed, and worth a note, since a reader may expect it to be rendered."""
    return bool(_MARKUP_LIKE.search(text))


def is_stray(text: str) -> bool:
    """A mark with at most one letter or digit: '-', '· r', 'l', '*'."""
    return len(text) <= 4 and sum(ch.isalnum() for ch in text) <= 1


def _terms_fragments(terms: list[Term], kind: Kind, line: int, column: int) -> list[Fragment]:
    return [Fragment(kind, t.text, line, column, t.value) for t in terms]


def _country_fragments(text: str, line: int, column: int, allow_junk: bool) -> list[Fragment] | None:
    """Countries in ``text`` (several may be run together). Unrecognised stretches become junk
    when ``allow_junk``; otherwise a text that is not entirely countries gives None."""
    if is_country_prefix(text):
        return [Fragment(Kind.COUNTRY, text, line, column, "", partial=True)]
    if not allow_junk and not is_country_text(text):
        return None
    fragments = []
    covered = 0
    for span in segment_countries(text):
        gap = text[covered : span.start].strip()
        if gap:
            fragments.append(Fragment(Kind.STRAY, gap, line, column))
        kind = Kind.COUNTRY if span.code else Kind.JUNK
        fragments.append(Fragment(kind, span.text, line, column, span.code or ""))
        covered = span.end
    tail = text[covered:].strip()
    if tail:
        fragments.append(Fragment(Kind.STRAY, tail, line, column))
    return fragments or None


def content_fragments(text: str, line: int, column: int, vocab: Vocabulary) -> list[Fragment] | None:
    """Type a cell by content alone: a run of metals, statuses or countries, an ID, a stray mark.
    None when the cell is free text (a name, or junk, depending on its column)."""
    typed = _classify(text, vocab)
    if typed is None:
        return None
    return [Fragment(kind, piece, line, column, value, partial) for kind, piece, value, partial in typed]


@lru_cache(maxsize=1 << 16)
def _classify(text: str, vocab: Vocabulary) -> tuple[tuple[Kind, str, str, bool], ...] | None:
    """The content typing of a cell text, cached: the same cells repeat across thousands of rows."""
    if is_stray(text):
        return ((Kind.STRAY, text, "", False),)
    if _SMELTER_ID.match(text):
        return ((Kind.SMELTER_ID, text.upper(), text.upper(), False),)
    for table, kind in ((vocab.metals, Kind.METAL), (vocab.statuses, Kind.STATUS)):
        terms = table.terms(text)
        if terms:
            return tuple((kind, t.text, t.value, False) for t in terms)
    if not could_start_country(text):
        return None  # most cells are names: spare them the segmentation
    countries = _country_fragments(text, 0, 0, allow_junk=False)
    if countries is None:
        return None
    return tuple((f.kind, f.text, f.value, f.partial) for f in countries)


def _peel_status_suffix(text: str, vocab: Vocabulary) -> tuple[str, list[Term]]:
    """Split trailing status words off an untabbed line: 'X Ltd. Full Compliant'."""
    tokens = words(text)
    for i in range(max(0, len(tokens) - 12), len(tokens)):
        tail = text[tokens[i][0] :]
        terms = vocab.statuses.terms(tail)
        if terms:
            offset = tokens[i][0]
            return text[:offset].rstrip(), [Term(t.start + offset, t.end + offset, t.text, t.value) for t in terms]
    return text, []


def _peel_country_suffix(text: str) -> tuple[str, str]:
    tokens = words(text)
    for i in range(1, len(tokens)):
        tail = text[tokens[i][0] :].strip()
        if is_country_text(tail):
            return text[: tokens[i][0]].rstrip(" ,"), tail
    return text, ""


def _untabbed_fragments(text: str, line: int, vocab: Vocabulary) -> list[Fragment]:
    """A line with no tabs: a lone cell ('KOREA (REPUBLIC OF)', 'Indeterminable'), a name, or a
    row flattened with spaces ('Gold SOE Shyolkovsky Factory ...'). At most one leading metal is
    peeled (names may start with a metal word: 'Gold Refinery of Zijin ...'); a trailing country
    is peeled only after a trailing status (names may end with one: '... Metals Thailand')."""
    typed = content_fragments(text, line, -1, vocab)
    if typed:
        return typed
    fragments: list[Fragment] = []
    tokens = words(text)
    rest = text
    if len(tokens) > 1 and vocab.metals.terms(text[: tokens[0][1]]):
        fragments.append(Fragment(Kind.METAL, text[: tokens[0][1]], line, -1, vocab.metals.terms(text[: tokens[0][1]])[0].value))
        rest = text[tokens[0][1] :].strip()
    rest, statuses = _peel_status_suffix(rest, vocab)
    country = ""
    if statuses:
        rest, country = _peel_country_suffix(rest)
    if rest:
        fragments.append(Fragment(Kind.NAME, rest, line, -1))
    if country:
        fragments.extend(_country_fragments(country, line, -1, allow_junk=False) or [])
    fragments.extend(_terms_fragments(statuses, Kind.STATUS, line, -1))
    return fragments


def _holds_no_term(text: str, vocab: Vocabulary) -> bool:
    """An untabbed text that is not empty, a page artefact, a stray mark or an ID, and has no
    gazetteer word (``term_gate``): typing can only find a name or free text in it."""
    return bool(text) and not (_ARTEFACT.match(text) or is_stray(text) or _SMELTER_ID.match(text)) and not may_hold_terms(text, vocab)


def line_kind(raw: str, cells: Sequence[str], vocab: Vocabulary) -> LineKind:
    """Blank, header row, page artefact, or content; untabbed free text may also be prose or a
    section heading (decided in :func:`type_line`, once its cells are known not to be typed)."""
    text = " ".join(c for c in cells if c)
    if not text:
        return LineKind.MARKUP if raw.strip() else LineKind.BLANK
    if _ARTEFACT.match(text):
        return LineKind.ARTEFACT
    if len(words(text)) >= 2 and all(vocab.headers.terms(c) for c in cells if c):
        return LineKind.HEADER
    return LineKind.CONTENT


def _looks_like_sentence(text: str) -> bool:
    """Cheap pre-check that spares long paragraphs the gazetteer lookups."""
    tokens = text.split()
    return sum(1 for t in tokens if t[:1].islower()) / len(tokens) >= 0.4


def _free_text_kind(raw: str, text: str) -> LineKind:
    """Prose or a heading, for an untabbed line that no gazetteer reads."""
    tokens = text.split()
    lower = sum(1 for t in tokens if t[:1].islower())
    if len(tokens) >= 16 or (len(tokens) >= 8 and lower / len(tokens) >= 0.4):
        return LineKind.PROSE
    if raw.lstrip().startswith("#") or _SECTION.match(text):
        return LineKind.HEADING
    return LineKind.CONTENT


def split_cells(raw: str) -> list[str]:
    return [clean(cell) for cell in raw.split("\t")]


def infer_roles(raw_lines: Sequence[str], vocab: Vocabulary | None = None) -> Roles:
    """Which column holds metals, names, countries, statuses: the majority content type of each
    column over the tabbed lines; the column with the most free text is the name column."""
    vocab = vocab or vocabulary()
    tally = Counter(pair for raw in raw_lines if "\t" in raw for pair in _column_kinds(raw, vocab))
    votes: dict[int, Counter[Kind]] = {}
    for (column, kind), count in tally.items():
        votes.setdefault(column, Counter())[kind] = count
    roles: Roles = {}
    for column, counter in votes.items():
        kind, _ = counter.most_common(1)[0]
        if kind is not Kind.NAME:
            roles[column] = kind
    if votes:
        name_column = max(votes, key=lambda c: (votes[c][Kind.NAME], -c))
        if votes[name_column][Kind.NAME]:
            roles[name_column] = Kind.NAME
    return roles


@lru_cache(maxsize=1 << 16)
def _column_kinds(raw: str, vocab: Vocabulary) -> tuple[tuple[int, Kind], ...]:
    """(column, content kind) of each filled cell of a tabbed line with two or more cells."""
    cells = split_cells(raw)
    if sum(1 for c in cells if c) < 2:
        return ()
    kinds = []
    for column, cell in enumerate(cells):
        if not cell or is_stray(cell):
            continue
        typed = content_fragments(cell, 0, column, vocab)
        kinds.append((column, typed[0].kind if typed else Kind.NAME))
    return tuple(kinds)


def type_line(number: int, raw: str, roles: Roles, vocab: Vocabulary | None = None) -> TypedLine:
    """Classify one line and type its cells."""
    return type_lines([raw], roles, vocab, first=number)[0]


def type_lines(raw_lines: Sequence[str], roles: Roles, vocab: Vocabulary | None = None, first: int = 1) -> list[TypedLine]:
    """Classify and type every line of a report (``raw_lines[0]`` is line ``first``)."""
    vocab = vocab or vocabulary()
    key = tuple(sorted(roles.items()))
    typed_lines = []
    for number, raw in enumerate(raw_lines, start=first):
        kind, typed = _type_text(raw, key, vocab)
        typed_lines.append(TypedLine(number, raw, "\t" in raw, kind, typed))
    return typed_lines


_Typed = tuple[tuple[Kind, str, int, str, bool], ...]


@lru_cache(maxsize=1 << 16)
def _type_text(raw: str, role_items: tuple[tuple[int, Kind], ...], vocab: Vocabulary) -> tuple[LineKind, _Typed]:
    """The typing of a line's text, cached: the same rows recur in report after report."""
    roles = dict(role_items)
    cells = split_cells(raw)
    if "\t" not in raw and _holds_no_term(cells[0], vocab):
        kind = _free_text_kind(raw, cells[0])  # what the lookups below would conclude, without them
        return kind, ((Kind.NAME, cells[0], -1, "", False),) if kind is LineKind.CONTENT else ()
    kind = line_kind(raw, cells, vocab)
    if kind is not LineKind.CONTENT:
        return kind, ()
    fragments: list[Fragment] = []
    if "\t" not in raw:
        if len(cells[0]) > 80 and _looks_like_sentence(cells[0]) and _free_text_kind(raw, cells[0]) is LineKind.PROSE:
            return LineKind.PROSE, ()
        fragments = _untabbed_fragments(cells[0], 0, vocab)
        if all(f.kind is Kind.NAME for f in fragments):
            kind = _free_text_kind(raw, cells[0])
            if kind is not LineKind.CONTENT:
                return kind, ()
    else:
        for column, cell in enumerate(cells):
            if not cell:
                continue
            role = roles.get(column)
            by_content = content_fragments(cell, 0, column, vocab)
            if by_content:
                fragments.extend(by_content)
            elif role is Kind.COUNTRY:
                fragments.extend(_country_fragments(cell, 0, column, allow_junk=True) or [])
            elif role in (Kind.METAL, Kind.STATUS, Kind.SMELTER_ID):
                fragments.append(Fragment(Kind.JUNK, cell, 0, column))
            else:
                fragments.append(Fragment(Kind.NAME, cell, 0, column))
    return kind, tuple((f.kind, f.text, f.column, f.value, f.partial) for f in fragments)


def fold_name(text: str) -> str:
    """Comparison form of a name: folded words joined by single spaces."""
    return " ".join(word for _, _, word in words(text))


__all__ = ["Roles", "clean", "content_fragments", "fold_name", "infer_roles", "is_stray", "line_kind", "markup_like", "split_cells", "type_line", "type_lines"]
