"""Column roles of a grid: which grid columns hold the metal, the name, the smelter ID, the
country, a ``City, COUNTRY`` location or the status, and which are notes or empty spacers.

Two kinds of evidence, combined: the header cell over a column (its words, matched against
:data:`HEADER_ROLES`) and what the column's cells hold (CID numbers, countries, status wordings,
metals, locations). Content wins over the header when it is clear (>= :data:`CONTENT_SHARE` of the
filled cells), so a header spanning two columns ("Smelter Name and Location") does not hide a
country column; without any header, content alone decides and the widest text column is the name.
A role may own several adjacent grid columns: Workiva splits one logical cell over spacer
``<td>``\\ s under one ``colspan`` header, and a row's value for the role joins them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from smelterkg.ingest.countries import country_code
from smelterkg.ingest.tables.grid import Cell, Grid, distinct
from smelterkg.ingest.term_gate import may_hold_terms
from smelterkg.ingest.vocabulary import Vocabulary, fold, vocabulary, words

ROLES = ("metal", "name", "smelter_id", "country", "location", "status")

# Header words -> role, first match wins (so "Smelter ID" is an ID, "Smelter Country" a country).
# A phrase matches when its words appear contiguously in the header cell's words.
HEADER_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("smelter_id", ("smelter", "id")), ("smelter_id", ("smelter", "identification")),
    ("smelter_id", ("facility", "id")), ("smelter_id", ("cid",)), ("smelter_id", ("id",)),
    ("smelter_id", ("identification", "number")),
    ("status", ("status",)), ("status", ("designation",)), ("status", ("conformant",)),
    ("status", ("conformance",)), ("status", ("rmap",)), ("status", ("conflict", "free")),
    ("country", ("country",)),
    ("location", ("location",)), ("location", ("city",)), ("location", ("address",)),
    ("metal", ("metal",)), ("metal", ("metals",)), ("metal", ("mineral",)), ("metal", ("3tg",)),
    ("name", ("name",)), ("name", ("smelter",)), ("name", ("refiner",)), ("name", ("smelters",)),
    ("name", ("refiners",)), ("name", ("facility",)), ("name", ("refinery",)),
)  # fmt: skip

# Chemical symbols and old names a metal column or heading uses (source: the periodic table; CMRT
# "Metal" column; filers' headings such as "Gold (Au)"). Only read where a metal is expected.
METAL_ALIASES = {"au": "Gold", "sn": "Tin", "ta": "Tantalum", "w": "Tungsten", "wolfram": "Tungsten"}
_HEADER_FIRST = frozenset(phrase[0] for _, phrase in HEADER_ROLES)
_ALIAS_WORDS = frozenset(METAL_ALIASES)
# Words around a metal in a group heading: "Gold (continued)", "Tantalum smelters and refiners".
HEADING_WORDS = frozenset(
    "smelter smelters refiner refiners refinery refineries and or list continued cont cont'd d facilities "
    "facility processors processing of the".split()
)

CONTENT_SHARE = 0.8
CID = re.compile(r"^\s*(CID)[\s\-_:]*(\d{1,6})\s*$", re.IGNORECASE)
# Characters that print as nothing or as a space and that exports leave around IDs ("\uffa0CID002307")
INVISIBLE = str.maketrans({ch: None for ch in "\u00a0\uffa0\u3164\u200b\u200c\u200d\u2060\ufeff"})
NUMBER = re.compile(r"^[\s\d.,%$()+\-–—]*\d[\s\d.,%$()+\-–—]*$")
FOOTNOTE_MARKS = re.compile(r"(?:\s*(?:\*+|[†‡§¶]+|\(\d{1,2}\)|\[\d{1,2}\]|\((?:[a-z])\)))+\s*$")
_PAREN = re.compile(r"\([^)]*\)")


def split_marks(text: str) -> tuple[str, tuple[str, ...]]:
    """``'Asahi Refining*'`` -> ``('Asahi Refining', ('*',))``: trailing footnote marks apart."""
    match = FOOTNOTE_MARKS.search(text)
    if not match or match.start() == 0:
        return text, ()
    marks = tuple(re.findall(r"\*+|[†‡§¶]+|\(\d{1,2}\)|\[\d{1,2}\]|\([a-z]\)", match.group()))
    return text[: match.start()].rstrip(), marks


def smelter_id(text: str) -> str:
    """``'CID 2549'``, ``'cid-2549'``, ``'\uffa0CID002549'`` -> ``'CID002549'``; '' when the text is not one smelter ID."""
    match = CID.match(text.translate(INVISIBLE))
    return f"CID{int(match.group(2)):06d}" if match else ""


def metal_value(text: str, vocab: Vocabulary | None = None, heading: bool = False) -> str:
    """The metal a cell or a group heading names ('Gold', 'Gold (Au)', 'Au', 'Wolfram',
    'Tin (continued)', 'Tantalum smelters and refiners'), '' when it names none or more."""
    vocab = vocab or vocabulary()
    text, _ = split_marks(text.strip().rstrip(":"))
    inside = [fold(m.group()[1:-1]).strip() for m in _PAREN.finditer(text)]
    bare = _PAREN.sub(" ", text)
    tokens = [w for _, _, w in words(bare)]
    if heading:
        tokens = [w for w in tokens if w not in HEADING_WORDS]
        inside = [i for i in inside if i not in HEADING_WORDS]
    if not tokens:
        return ""
    value = METAL_ALIASES.get(tokens[0], "") if len(tokens) == 1 else ""
    if not value:
        terms = vocab.metals.terms(" ".join(tokens))
        if not terms or len(terms) != 1:
            return ""
        value = terms[0].value
    if any(METAL_ALIASES.get(i, value) != value for i in inside):
        return ""  # "Gold (Sn)": contradicts itself
    return value


def status_text(text: str, vocab: Vocabulary | None = None) -> bool:
    """Whether the whole cell is one status wording of the gazetteer."""
    vocab = vocab or vocabulary()
    terms = vocab.statuses.terms(split_marks(text)[0])
    return bool(terms) and len(terms) == 1


def location_country(text: str) -> tuple[str, str]:
    """``'Tokyo, JAPAN'`` -> ``('Tokyo', 'JAPAN')``; ``'JAPAN'`` -> ``('', 'JAPAN')``; a text whose
    last comma-part is not one country -> ``('', '')`` (no country is guessed)."""
    text = split_marks(text)[0].strip()
    if country_code(text):
        return "", text
    head, sep, last = text.rpartition(",")
    if sep and head.strip() and country_code(last.strip()):
        return head.strip(), last.strip()
    return "", ""


@lru_cache(maxsize=1 << 15)
def content_type(text: str, vocab: Vocabulary) -> str:
    """What one cell holds: smelter_id, metal, status, country, location, number, text or ''."""
    text = text.strip()
    if not text:
        return ""
    if smelter_id(text):
        return "smelter_id"
    if NUMBER.match(text):
        return "number"
    if not may_hold_terms(text, vocab, _ALIAS_WORDS):
        return "text"  # no word begins a metal, status or country: none of the lookups below can match
    if metal_value(text, vocab):
        return "metal"
    if status_text(text, vocab):
        return "status"
    place, country = location_country(text)
    if country:
        return "location" if place else "country"
    return "text"


@lru_cache(maxsize=1 << 12)
def header_role(text: str) -> str:
    """The role a header cell's words name, '' when none."""
    tokens = tuple(w for _, _, w in words(text))
    if _HEADER_FIRST.isdisjoint(tokens):
        return ""
    for role, phrase in HEADER_ROLES:
        n = len(phrase)
        if any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1)):
            return role
    return ""


def is_header_row(cells: Sequence[Cell], vocab: Vocabulary) -> bool:
    """A row of column headers: at least two cells name a role, none holds data (an ID, a
    country, a status, a number), and most filled cells name a role."""
    filled = [c for c in distinct(list(cells)) if c.text]
    if len(filled) < 2:
        return False
    named = [c for c in filled if header_role(c.text)]
    if len(named) < 2 or 2 * len(named) < len(filled):
        return False
    return not any(content_type(c.text, vocab) in {"smelter_id", "country", "location", "number", "status"} for c in filled)


@dataclass
class Columns:
    """``roles[role]``: the grid columns that role owns (left to right); ``notes``: other filled
    columns with their header label (kept as raw cells in each row's notes)."""

    roles: dict[str, list[int]]
    notes: list[tuple[int, str]]
    header_labels: dict[int, str]
    from_header: bool

    def role_of(self, column: int) -> str:
        for role, columns in self.roles.items():
            if column in columns:
                return role
        return ""


def assign_columns(grid: Grid, data_rows: Sequence[int], header_rows: Sequence[int], vocab: Vocabulary) -> Columns:
    """Roles of the grid's columns from the header rows (none, one, or a header printed over
    several rows, whose cells are read top to bottom) and the data rows' content."""
    labels: dict[int, str] = {}
    by_header: dict[int, str] = {}
    for c in range(grid.width):
        texts = [grid.rows[r][c].text for r in header_rows if grid.rows[r][c].text]
        labels[c] = " ".join(dict.fromkeys(texts))
        by_header[c] = header_role(labels[c])
    by_content: dict[int, str] = {}
    filled: dict[int, int] = {}
    length: dict[int, int] = {}
    for c in range(grid.width):
        counts: Counter[str] = Counter()
        for r in data_rows:
            cell = grid.rows[r][c]
            if cell.spanned and cell.origin[0] == r:
                continue  # a colspan cell counts once, in its first column
            kind = content_type(cell.text, vocab)
            if kind:
                counts[kind] += 1
                length[c] = length.get(c, 0) + len(cell.text)
        total = sum(counts.values())
        filled[c] = total
        if total:
            kind, n = counts.most_common(1)[0]
            if kind != "text" and n >= CONTENT_SHARE * total:
                by_content[c] = kind
    final: dict[int, str] = {}
    for c in range(grid.width):
        header, content = by_header.get(c, ""), by_content.get(c, "")
        if not filled[c]:
            final[c] = ""  # spacer
        elif content in ROLES and (content != "location" or header != "name"):
            final[c] = "location" if content == "country" and header == "location" else content
        elif header in ROLES and not (header in {"country", "status", "smelter_id", "metal"} and content == "number"):
            final[c] = header
        else:
            final[c] = ""
    for c in range(grid.width):  # a data column beside the empty column its header sits over
        if filled[c] and not final[c] and not by_header.get(c):
            for b in (c - 1, c + 1):
                if 0 <= b < grid.width and not filled[b] and by_header.get(b) in ROLES and by_header[b] not in final.values():
                    final[c] = by_header[b]
                    labels[c] = labels.get(c) or labels.get(b, "")
                    break
    if "name" not in final.values():
        text_columns = [c for c in range(grid.width) if filled[c] and not final[c] and by_content.get(c) != "number"]
        if text_columns:
            final[max(text_columns, key=lambda c: length.get(c, 0))] = "name"
    roles: dict[str, list[int]] = {}
    notes: list[tuple[int, str]] = []
    for role in ROLES:
        columns = [c for c in range(grid.width) if final[c] == role]
        if not columns:
            continue
        group = [columns[0]]
        for c in columns[1:]:
            if any(final[b] and final[b] != role for b in range(group[-1] + 1, c)):
                break
            group.append(c)
        roles[role] = group
    owned = {c for group in roles.values() for c in group}
    for c in range(grid.width):
        if filled[c] and c not in owned:
            notes.append((c, labels.get(c, "")))
    return Columns(roles, notes, labels, bool(header_rows))


__all__ = [
    "Columns", "HEADER_ROLES", "METAL_ALIASES", "assign_columns", "content_type", "header_role",
    "is_header_row", "location_country", "metal_value", "smelter_id", "split_marks", "status_text",
]  # fmt: skip
