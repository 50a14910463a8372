"""Plain-text reports (text extracted from PDFs by many tools): decode (``reading``), then parse
line by line (``parse``). Every row's locator is its line numbers.

When the line parser finds no smelter row, or only rows poor in values (fewer than
:data:`POOR_VALUES` of metal, country, status and smelter ID per row on average: the bundled reports
give 2.8 to 3.0, aligned dumps read line by line 0 to 2), the text may be an aligned dump (``pdftotext
-layout``, ``w3m -dump``, ``lynx -dump``: columns aligned with runs of spaces, or drawn with box
characters): each line becomes positioned words (x = character column; ``│``/``|`` are vertical
rules, a line of only rule characters is a separator, a form feed starts a page) and is read by
``readers.layout`` like a PDF's text layer. That fallback is bounded: text over
:data:`MAX_ALIGNED_CHARS` is not searched (one warning says so). The bundled reports have rows,
so they never reach it. The aligned reading replaces the line parser's only when its rows carry
more values.

The catch-all reader: it claims every file no more specific reader claimed, and reports binary
content (with what it looks like, when known) as one clear error.
"""

from __future__ import annotations

import re
from pathlib import Path

from smelterkg.ingest.parse import ParsedReport, parse_source
from smelterkg.ingest.reading import source_text
from smelterkg.ingest.readers.layout import read_lines
from smelterkg.ingest.tables.positioned import Line, Word

MAX_ALIGNED_CHARS = 8 * 1024 * 1024
POOR_VALUES = 2.5
WIDE = 2.0  # two spaces or more between words: a column break for sure
_BOX = "─━═│┃║┌┐└┘├┤┬┴┼╋╬┏┓┗┛┣┫┳┻╔╗╚╝╠╣╦╩╤╧╪╫╒╓╕╖╘╙╛╜╞╡╥╨"
_TOKEN = re.compile(rf"[^\s|{_BOX}]+")
_RULES = re.compile(r"[│┃║|┼╋╬├┤┠┨╟╢]")
_SEPARATOR = re.compile(rf"^[\s\-=_+|{_BOX}]*$")
_SUPERSCRIPT = re.compile(r"\^(\(?\d{1,2}\)?|\*+)")  # w3m prints <sup>1</sup> as ^1 / ^(1)


def aligned_lines(lines: list[str]) -> list[Line]:
    """Text lines -> positioned lines (1-based file line numbers; pages from form feeds)."""
    out = []
    page = 1
    for number, raw in enumerate(lines, start=1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        raw = _SUPERSCRIPT.sub(lambda m: m.group(1) if m.group(1).startswith("(") else f"({m.group(1)})" if m.group(1).isdigit() else m.group(1), raw.expandtabs(8))
        separator = bool(raw.strip()) and bool(_SEPARATOR.match(raw))
        words = () if separator else tuple(Word(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(raw))
        rules = tuple(float(m.start()) + 0.5 for m in _RULES.finditer(raw)) if words else ()
        out.append(Line(words, number, page, rules, separator))
    return out


# A line the aligned reading can split into two cells or more: two words with two or more
# non-word characters between them (spaces, a tab, rules), or two vertical rules. A table needs
# two such lines (``positioned.blocks``); text without them (prose, random words) is not searched.
# Both are searched in the whole text at once (no line break inside a match): fast on 50 MB.
_WIDE_GAP = re.compile(rf"[^\s|{_BOX}](?:[^\S\n]|[|{_BOX}]){{2,}}[^\s|{_BOX}]")
_TWO_RULES = re.compile(r"[│┃║|┼╋╬├┤┠┨╟╢][^\n]*[│┃║|┼╋╬├┤┠┨╟╢]")


def _column_lines(lines: list[str], enough: int = 2) -> bool:
    """Whether at least ``enough`` lines could hold two aligned cells."""
    text = "\n".join(lines)
    found: set[int] = set()
    for pattern in (_WIDE_GAP, _TWO_RULES):
        pos, line = 0, 0
        while (match := pattern.search(text, pos)) is not None:
            line += text.count("\n", pos, match.start())
            found.add(line)
            if len(found) >= enough:
                return True
            pos = text.find("\n", match.end())  # one match per line is enough
            if pos < 0:
                break
    return False


def _values(report: ParsedReport) -> int:
    return sum(bool(r.metal) + bool(r.country_code) + bool(r.status_code) + bool(r.smelter_id) for r in report.rows)


class TextReader:
    name = "text"

    def claims(self, path: Path, head: bytes) -> bool:
        return True

    def read(self, path: Path, data: bytes) -> ParsedReport:
        source = source_text(path, data)
        report = parse_source(source)
        if _values(report) >= POOR_VALUES * len(report.rows) > 0:
            return report
        if not _column_lines(source.lines):
            return report  # no two lines with aligned cells: no table for the aligned reading
        if sum(len(line) for line in source.lines) > MAX_ALIGNED_CHARS:
            report.warnings.append(f"{source.name}: aligned-column reading skipped (over {MAX_ALIGNED_CHARS // 1048576} MB of text)")
            return report
        aligned = read_lines(source.name, aligned_lines(source.lines), source.sha256, WIDE, paged=False)
        if _values(aligned) <= _values(report):
            return report
        aligned.path = source.path
        aligned.warnings[:0] = source.warnings
        return aligned
