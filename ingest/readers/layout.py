"""Positioned lines (a PDF's text layer, an aligned-text dump) -> the parsed report: tables from
word positions (``ingest.tables.positioned``), table understanding (``ingest.tables.understand``),
report facts and footnote legends from the lines' text, as the HTML reader does for the DOM.

Locators: a PDF row is ``page P lines L...`` (the lines on the row's first page); a text row is
its file line numbers. ``MentionRow.line`` orders rows and quarantine in reading order.
"""

from __future__ import annotations

from collections.abc import Sequence

from smelterkg.ingest.models import Locator, QuarantineEntry
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.report_facts import extract_report_facts
from smelterkg.ingest.tables.grid import GridTooLarge, build_grid
from smelterkg.ingest.tables.mentions import Placed, mention_rows
from smelterkg.ingest.tables.positioned import Line, furniture, tables
from smelterkg.ingest.tables.understand import legend_of, understand
from smelterkg.ingest.vocabulary import vocabulary


def line_text(line: Line) -> str:
    return " ".join(w.text for w in sorted(line.words, key=lambda w: (w.row, w.x0)))


def _locator(where: Sequence[tuple[int | None, int]], paged: bool) -> Locator:
    if not paged:
        return Locator(lines=tuple(n for _, n in where))
    page = where[0][0]
    return Locator(page=page, lines=tuple(n for p, n in where if p == page))


def read_lines(source: str, lines: Sequence[Line], sha256: str, wide: float, paged: bool) -> ParsedReport:
    """The report read from positioned lines. ``paged``: locators name pages (a PDF)."""
    vocab = vocabulary()
    texts = [line_text(ln) for ln in lines]
    order = {(ln.page, ln.number): i + 1 for i, ln in enumerate(lines)}
    facts = extract_report_facts(texts)
    legend = legend_of(texts)
    drafts: list[Placed] = []
    quarantine: list[QuarantineEntry] = []
    found = False
    furnished = furniture(lines)
    spans: list[tuple[int, int]] = []
    for index, table in enumerate(tables(lines, wide, vocab), start=1):
        first = order[table.lines[0][0]] if table.lines else 0
        try:
            grid = build_grid(index, table.rows)
        except GridTooLarge as exc:
            quarantine.append(QuarantineEntry(source, first, str(exc), "", _locator(table.lines[0], paged)))
            continue
        reading = understand(grid, legend, vocab)
        found |= reading.smelter_table
        spans.append((order[table.lines[0][0]], max(order[w] for ws in table.lines for w in ws)))
        for row in reading.rows:
            where = table.lines[row.row - 1]
            drafts.append((order[where[0]], () if paged else tuple(n for _, n in where), _locator(where, paged), row))
        for issue in reading.issues:
            where = table.lines[issue.row - 1]
            quarantine.append(QuarantineEntry(source, order[where[0]], issue.reason, issue.text, _locator(where, paged)))
    for line in lines:  # running headers and footers between a table's first and last line
        at = order[(line.page, line.number)]
        if (line.page, line.number) in furnished and any(a <= at <= b for a, b in spans):
            reason = "page furniture (running header, footer or page number) inside a table"
            quarantine.append(QuarantineEntry(source, at, reason, line_text(line), _locator([(line.page, line.number)], paged)))
    quarantine.sort(key=lambda q: q.line)
    rows = mention_rows(source, facts, drafts, vocab)
    warnings = [] if found else [f"{source}: no smelter table found"]
    return ParsedReport(source, sha256, facts, rows, quarantine, [], len(lines), warnings)


__all__ = ["line_text", "read_lines"]
