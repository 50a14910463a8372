"""The records that flow through the reader: typed fragments of lines, rows, quarantine entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """What a piece of a table cell is."""

    METAL = "metal"
    NAME = "name"
    COUNTRY = "country"
    STATUS = "status"
    SMELTER_ID = "smelter_id"
    STRAY = "stray"  # a mark with no content: '-', '· r', 'l'
    JUNK = "junk"  # unreadable text where a metal, country or status belongs (OCR damage)


class LineKind(str, Enum):
    BLANK = "blank"
    HEADER = "header"
    PROSE = "prose"
    HEADING = "heading"
    ARTEFACT = "artefact"  # page numbers, rules
    CONTENT = "content"


@dataclass
class Fragment:
    """One typed piece of a line: a metal, a name, a country, a status...

    ``value`` is the canonical reading (metal name, ISO country code, folded status label);
    ``partial`` marks a country cell that only begins a country name (wrapped onto the next line).
    """

    kind: Kind
    text: str
    line: int
    column: int
    value: str = ""
    partial: bool = False
    extra_lines: tuple[int, ...] = ()  # lines whose text was joined into this fragment


@dataclass
class TypedLine:
    number: int
    raw: str
    tabbed: bool
    kind: LineKind
    fragments: list[Fragment] = field(default_factory=list)

    def of(self, kind: Kind) -> list[Fragment]:
        return [f for f in self.fragments if f.kind is kind]


@dataclass
class QuarantineEntry:
    """A line (or a piece of one) that did not become part of a row, and why."""

    source: str
    line: int
    reason: str
    text: str


@dataclass
class MentionRow:
    """One row of a report's smelter table: a mention of a facility by a filer in a year.

    ``name``, ``country`` and ``status`` are as printed (whitespace-normalised), empty when the
    report does not support a value; ``*_code`` are the normalised readings.
    """

    source: str
    line: int
    lines: tuple[int, ...]
    year: int | None
    metal: str
    name: str
    country: str
    status: str
    country_code: str = ""
    status_code: str = ""
    status_scheme: str = ""
    smelter_id: str = ""
    filer: str = ""
    notes: tuple[str, ...] = ()
