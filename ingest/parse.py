"""One report end to end: lines -> typed lines -> table regions -> rows + quarantine + facts.

The text reader (``ingest.readers.text``) reads reports through this module; readers of other
formats build a :class:`ParsedReport` too, with their own locators on the rows.

Every line of a table region ends up in exactly one place: in the ``lines`` of a row, in the
quarantine with its reason, or blank. Table-like lines outside the regions (a countries-of-origin
annex) are listed in the quarantine too, so an analyst can see what was not read as smelters.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smelterkg.ingest.cells import infer_roles, markup_like
from smelterkg.ingest.models import Kind, LineKind, MentionRow, QuarantineEntry, TypedLine
from smelterkg.ingest.normalise import normalise_country, normalise_status, report_scheme
from smelterkg.ingest.reading import InputError, SourceText
from smelterkg.ingest.reconstruct import DraftRow, reconstruct
from smelterkg.ingest.region import Region, find_regions, lone_metal_line
from smelterkg.ingest.report_facts import ReportFacts, extract_report_facts
from smelterkg.ingest.typed_lines import TypedLines
from smelterkg.ingest.vocabulary import vocabulary

COMPLIANT_CODES = frozenset({"full_compliant", "conformant"})


@dataclass
class ParsedReport:
    source: str
    sha256: str
    facts: ReportFacts
    rows: list[MentionRow]
    quarantine: list[QuarantineEntry]
    regions: list[tuple[int, int]]  # 1-based inclusive line spans of the smelter table
    line_count: int
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None
    references: list = field(default_factory=list)  # reference lists the document carries (a CMRT's Smelter Look-up)
    kind: str = "report"  # or "facility list" (an RMI/CFSI list of smelters by status), "cmrt" (a supplier's CMRT)
    stored_nquads: list[str] | None = None  # a document read back from a store (build --add): its graph as it is there

    def region_lines(self) -> list[int]:
        return [n for start, end in self.regions for n in range(start, end + 1)]

    def rows_per_metal(self) -> Counter[str]:
        return Counter(row.metal for row in self.rows)

    def read_counts(self) -> dict[str, int]:
        """The report's own count categories, as read from its rows."""
        compliant = sum(1 for r in self.rows if r.status_code in COMPLIANT_CODES)
        active = sum(1 for r in self.rows if r.status_code == "active")
        unknown = sum(1 for r in self.rows if not r.status_code)
        return {
            "stated_total": len(self.rows),
            "stated_compliant": compliant,
            "stated_active": active,
            "stated_remaining": len(self.rows) - compliant - active - unknown,
        }


def _region_quarantine(source: str, lines: Sequence[TypedLine], regions: list[Region], tabbed: Sequence[int]) -> list[QuarantineEntry]:
    """Table-like lines outside every region: listed so nothing read as a table goes unseen.
    ``tabbed``: indices of lines that include every tabbed one (only those can be listed)."""
    inside = {i for region in regions for i in range(region.start, region.end + 1)}
    entries = []
    for index in tabbed:
        if index in inside or not regions or index < regions[0].start:
            continue
        line = lines[index]
        kinds = line.kinds
        if not line.tabbed or not kinds & {Kind.METAL, Kind.COUNTRY, Kind.STATUS}:
            continue
        what = "a list of countries (countries of origin), not smelters" if kinds <= {Kind.COUNTRY, Kind.STRAY} else "table-like line"
        entries.append(QuarantineEntry(source, line.number, f"outside the smelter table: {what}", line.raw.strip()))
    return entries


LONE_METAL_LINE = "a lone line starting with a metal word, no table around it (no country, status, ID or header): not read as a smelter"
MARKUP_KEPT_NOTE = "markup-like text in the name kept as printed"


def _to_mention(draft: DraftRow, source: str, facts: ReportFacts, scheme: str) -> MentionRow:
    country = draft.country.text if draft.country else ""
    status = draft.status.text if draft.status else ""
    return MentionRow(
        source=source,
        line=draft.first_line,
        lines=tuple(sorted(draft.lines)),
        year=facts.year,
        metal=draft.metal.value if draft.metal else "",
        name=draft.name,
        country=country,
        status=status,
        country_code=normalise_country(country),
        status_code=normalise_status(status, scheme) if status else "",
        status_scheme=scheme if status else "",
        smelter_id=draft.smelter_id.value if draft.smelter_id else "",
        filer=facts.filer or "",
        notes=tuple(draft.notes) + ((MARKUP_KEPT_NOTE,) if markup_like(draft.name) else ()),
    )


def _account_for_every_line(
    source: str, lines: Sequence[TypedLine], regions: list[Region], rows: list[MentionRow], quarantine: list[QuarantineEntry]
) -> None:
    """Safety net for the 'nothing lost' promise: a region line neither used nor quarantined is
    quarantined here (it would mean a reconstruction gap, and says so)."""
    used = {n for row in rows for n in row.lines} | {q.line for q in quarantine}
    for region in regions:
        for line in lines[region.start : region.end + 1]:
            if line.kind is LineKind.BLANK or line.number in used:
                continue
            quarantine.append(QuarantineEntry(source, line.number, "not used by any row (no row needed its cells)", line.raw.strip()))


def parse_lines(source: str, raw_lines: Sequence[str], sha256: str = "") -> ParsedReport:
    """Parse a report given as its lines (``raw_lines[0]`` is line 1)."""
    vocab = vocabulary()
    sha256 = sha256 or hashlib.sha256("\n".join(raw_lines).encode("utf-8")).hexdigest()
    facts = extract_report_facts(raw_lines)
    roles = infer_roles(raw_lines, vocab)
    typed = TypedLines(raw_lines, roles, vocab)
    regions = find_regions(typed, typed.starts)
    lone = [r for r in regions if lone_metal_line(r, typed)]
    regions = [r for r in regions if r not in lone]
    drafts: list[DraftRow] = []
    quarantine: list[QuarantineEntry] = []
    for region in regions:
        result = reconstruct(source, typed[region.start : region.end + 1], vocab)
        drafts.extend(result.rows)
        quarantine.extend(result.quarantine)
    drafts = [d for d in drafts if d.name or d.metal or d.country or d.status]
    scheme = report_scheme((d.status.text for d in drafts if d.status), facts.year, vocab)
    rows = [_to_mention(d, source, facts, scheme) for d in drafts]
    rows.sort(key=lambda r: r.line)
    quarantine.extend(_region_quarantine(source, typed, regions, typed.starts))
    quarantine.extend(QuarantineEntry(source, typed[r.start].number, LONE_METAL_LINE, typed[r.start].raw.strip()) for r in lone)
    _account_for_every_line(source, typed, regions, rows, quarantine)
    quarantine.sort(key=lambda q: q.line)
    warnings = []
    if not regions:
        warnings.append(f"{source}: no smelter table found")
    return ParsedReport(
        source=source,
        sha256=sha256,
        facts=facts,
        rows=rows,
        quarantine=quarantine,
        regions=[(typed[r.start].number, typed[r.end].number) for r in regions],
        line_count=len(raw_lines),
        warnings=warnings,
    )


def parse_text(source: str, text: str) -> ParsedReport:
    return parse_lines(source, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def parse_source(source: SourceText) -> ParsedReport:
    report = parse_lines(source.name, source.lines, source.sha256)
    report.path = source.path
    report.warnings[:0] = source.warnings
    return report


def parse_file(path: Path | str) -> ParsedReport:
    """Read one report file in whatever format it is (the reader is picked by its content, see
    ``ingest.readers``). Raises :class:`InputError` when it cannot be read."""
    from smelterkg.ingest.readers import read_document  # the readers build on this module

    return read_document(path)


__all__ = ["InputError", "ParsedReport", "parse_file", "parse_lines", "parse_source", "parse_text"]
