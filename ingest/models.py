"""The records that flow through the reader: typed fragments of lines, rows, quarantine entries."""

from __future__ import annotations

from dataclasses import dataclass
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
    MARKUP = "markup"  # only markdown/HTML leftovers ('**', '<u></u>', '#'): no text at all
    CONTENT = "content"


@dataclass(slots=True)
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


_Typed = tuple[tuple["Kind", str, int, str, bool], ...]


class TypedLine:
    """A line of a report with its typed fragments.

    Fragments are built on first use from the (cached, shared) typing of the line's text, so the
    many lines outside a smelter table never pay for them; ``kinds`` answers "what is on this
    line" without building them. ``of(kind)`` is cached per kind and refreshed whenever the
    fragments are replaced or one is removed."""

    __slots__ = ("number", "raw", "tabbed", "kind", "_typed", "_fragments", "_by_kind")

    def __init__(self, number: int, raw: str, tabbed: bool, kind: LineKind, typed: _Typed = ()):
        self.number = number
        self.raw = raw
        self.tabbed = tabbed
        self.kind = kind
        self._typed = typed
        self._fragments: list[Fragment] | None = None
        self._by_kind: dict[Kind, list[Fragment]] | None = None

    @property
    def kinds(self) -> frozenset[Kind]:
        if self._fragments is not None:
            return frozenset(f.kind for f in self._fragments)
        return frozenset(item[0] for item in self._typed)

    @property
    def fragments(self) -> list[Fragment]:
        if self._fragments is None:
            n = self.number
            self._fragments = [Fragment(k, text, n, column, value, partial) for k, text, column, value, partial in self._typed]
        return self._fragments

    @fragments.setter
    def fragments(self, fragments: list[Fragment]) -> None:
        self._fragments = fragments
        self._by_kind = None

    def remove(self, fragment: Fragment) -> None:
        self.fragments.remove(fragment)
        self._by_kind = None

    def by_kind(self) -> dict[Kind, list[Fragment]]:
        """The fragments grouped by kind (for code that asks about several kinds at once)."""
        if self._by_kind is None:
            self._by_kind = {}
            for fragment in self.fragments:
                self._by_kind.setdefault(fragment.kind, []).append(fragment)
        return self._by_kind

    def of(self, kind: Kind) -> list[Fragment]:
        return self.by_kind().get(kind, [])

    def __repr__(self) -> str:
        return f"TypedLine({self.number}, {self.kind.value}, {self.fragments!r})"


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in its document a row (or a quarantined piece) was read: the part of the page an
    analyst opens to check it. Each reader sets the fields its format has:

    * text: ``lines`` (the line numbers an editor shows; a repaired row has several);
    * PDF: ``page`` and the ``lines`` on that page;
    * spreadsheet: ``sheet``, ``row`` (1-based, as the spreadsheet shows it), ``column`` letters;
    * HTML: ``table`` and ``row`` (1-based), ``column`` = the cell's 1-based index as text.

    ``str()`` is the human form, e.g. ``lines 178 180 182 184`` or ``sheet 'Smelter List' row 12``.
    """

    lines: tuple[int, ...] = ()
    page: int | None = None
    sheet: str = ""
    table: int | None = None
    row: int | None = None
    column: str = ""

    @property
    def is_text_lines(self) -> bool:
        """Only line numbers: a row of a plain-text report (the RDF says it with skg:sourceLine)."""
        return bool(self.lines) and self.page is None and not self.sheet and self.table is None and self.row is None and not self.column

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.lines:
            parts.append(("line " if len(self.lines) == 1 else "lines ") + " ".join(map(str, self.lines)))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"{'cell' if self.table is not None and not self.sheet else 'column'} {self.column}")
        return " ".join(parts)


# The default locator of a row or quarantine entry: "built from its line numbers" (see their
# __post_init__), so the text reader and older callers need not build one per row themselves.
FROM_LINES = Locator()


@dataclass(slots=True)
class QuarantineEntry:
    """A line (or a piece of one) that did not become part of a row, and why. ``line`` is its line
    (for formats without lines, a sortable 1-based position); ``locator`` defaults to that line."""

    source: str
    line: int
    reason: str
    text: str
    locator: Locator = FROM_LINES

    def __post_init__(self) -> None:
        if self.locator is FROM_LINES:
            self.locator = Locator(lines=(self.line,))


@dataclass(slots=True)
class MentionRow:
    """One row of a report's smelter table: a mention of a facility by a filer in a year.

    ``name``, ``country`` and ``status`` are as printed (whitespace-normalised), empty when the
    report does not support a value; ``*_code`` are the normalised readings.

    ``line`` orders rows within their document: for text, the first of ``lines`` (the line numbers
    the cells came from); for other formats a 1-based position in the document, and ``lines`` may
    be empty. ``locator`` says where the row is in any format; it defaults to ``Locator(lines)``.
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
    locator: Locator = FROM_LINES

    def __post_init__(self) -> None:
        if self.locator is FROM_LINES:
            self.locator = Locator(lines=self.lines)
