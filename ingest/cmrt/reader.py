"""A filled CMRT as an input report: its Smelter List rows become mention rows.

Follows the reader protocol of ``ingest.readers`` (``name``, ``claims``, ``read``). The filer is
the declaring company, the year the declaration's reporting year (empty unless the declaration
states its period: see ``ingest.cmrt.declaration``), each row's locator its sheet and row. Rows the
Smelter List reader set aside, and rows that name no smelter at all (look-up 'Smelter not yet
identified' without an ID), are quarantined with their reason.
"""

from __future__ import annotations

from pathlib import Path

from smelterkg.ingest.cmrt.read import CMRT, read_cmrt
from smelterkg.ingest.cmrt.smelters import mention_name
from smelterkg.ingest.cmrt.workbook import OLE2_MAGIC, ZIP_MAGIC
from smelterkg.ingest.models import MentionRow, QuarantineEntry
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.report_facts import Evidence, ReportFacts

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
NAMES_NO_SMELTER = "names no smelter: look-up 'Smelter not yet identified' and no smelter ID"


def _facts(cmrt: CMRT) -> ReportFacts:
    declaration = cmrt.declaration
    evidence: dict[str, Evidence] = {}
    filer = declaration.company if declaration and declaration.company else None
    year = declaration.reporting_year if declaration else None
    where = dict(declaration.locators) if declaration else {}
    if filer and "company" in where:
        evidence["filer"] = Evidence(where["company"].row or 0, f"{where['company']}: {filer}"[:200], "cell")
    if year is not None and "scope_description" in where:
        evidence["year"] = Evidence(where["scope_description"].row or 0, f"{where['scope_description']}: {declaration.reporting_year_basis}"[:200], "cell")
    return ReportFacts(filer, year, None, None, None, None, evidence=evidence)


def parsed_report(path: Path, cmrt: CMRT) -> ParsedReport:
    source = path.name
    facts = _facts(cmrt)
    rows: list[MentionRow] = []
    quarantine: list[QuarantineEntry] = []
    smelters = cmrt.smelter_list
    for row in smelters.rows if smelters else ():
        name = mention_name(row)
        position = row.locator.row or 0
        if not name and not row.cid:
            quarantine.append(QuarantineEntry(source, position, NAMES_NO_SMELTER, f"{row.metal} | {row.lookup_name}", row.locator))
            continue
        notes = list(row.notes)
        if row.name and row.lookup_name and row.name != row.lookup_name and row.lookup_name.casefold() != "smelter not listed":
            notes.append(f"look-up name {row.lookup_name!r}")
        rows.append(
            MentionRow(
                source=source, line=position, lines=(), year=facts.year, metal=row.metal, name=name,
                country=row.country, status="", country_code=row.country_code, smelter_id=row.cid,
                filer=facts.filer or "", notes=tuple(notes), locator=row.locator,
            )
        )  # fmt: skip
    for entry in smelters.quarantine if smelters else ():
        quarantine.append(QuarantineEntry(source, entry.locator.row or 0, entry.reason, entry.text, entry.locator))
    quarantine.sort(key=lambda q: q.line)
    warnings = list(cmrt.warnings) + (list(cmrt.declaration.warnings) if cmrt.declaration else [])
    if smelters is None:
        warnings.append(f"{source}: no Smelter List sheet found")
    elif not smelters.rows and not smelters.quarantine:
        warnings.append(f"{source}: the Smelter List is blank (a template, or nothing declared)")
    report = ParsedReport(source, cmrt.sha256, facts, rows, quarantine, [], len(rows) + len(quarantine), warnings)
    report.path = path
    report.kind = "cmrt"
    if cmrt.lookup is not None and cmrt.lookup.facilities:
        report.references.append(cmrt.lookup)  # every CMRT carries its release's look-up: reference too
    return report


class CMRTReader:
    """RMI Conflict Minerals Reporting Templates (.xlsx), by content: a ZIP container with Excel
    parts. OLE2 files are claimed only when named like a workbook, to tell a password-protected
    .xlsx or an old .xls apart in one line (other OLE2 files are left to the text reader's hint)."""

    name = "cmrt"

    def claims(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        if head.startswith(ZIP_MAGIC):
            return b"xl/" in head or suffix in WORKBOOK_SUFFIXES
        return head.startswith(OLE2_MAGIC) and suffix in WORKBOOK_SUFFIXES

    def read(self, path: Path, data: bytes) -> ParsedReport:
        path = Path(path)
        return parsed_report(path, read_cmrt(path, data))


__all__ = ["CMRTReader", "NAMES_NO_SMELTER", "parsed_report"]
