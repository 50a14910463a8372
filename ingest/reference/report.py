"""A facility list as a source document: each row a status observation by its publisher as of the
list's date.

The rows become mention rows like a report's (metal, name, country, status, smelter ID, locator),
so resolution puts each on the facility of its smelter ID and the graph holds RMI's status of that
facility for the list's year next to what filers reported. The publisher is the one the list's
status wording belongs to (:data:`PUBLISHERS`: CFSI's "Compliant" era, RMI's "Conformant" era);
the year is the list date's (none when the list states no date: its rows then carry no year).
"""

from __future__ import annotations

from smelterkg.ingest.models import Locator, MentionRow, QuarantineEntry
from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.reference.models import FacilityList
from smelterkg.ingest.report_facts import Evidence, ReportFacts

# Who publishes a list, by the status scheme of its wording ("CFSI (RMI's former name)":
# ../shared/reference/README.md; the scheme eras: data/gazetteers/table_vocabulary.csv).
FACILITY_LIST = "facility list"  # ParsedReport.kind
PUBLISHERS = {"cfsp": "Conflict-Free Sourcing Initiative (CFSI)", "rmi": "Responsible Minerals Initiative (RMI)"}


def _position(locator: Locator) -> int:
    return locator.row or (locator.lines[0] if locator.lines else 0)


def facility_list_report(facility_list: FacilityList) -> ParsedReport:
    """The list as a parsed report: rows, quarantine, publisher and year."""
    source = facility_list.source
    publisher = PUBLISHERS.get(facility_list.status_scheme)
    year = int(facility_list.list_date[:4]) if facility_list.list_date[:4].isdigit() else None
    evidence: dict[str, Evidence] = {}
    if year is not None:
        origin = "file name" if facility_list.list_date_basis == "file name" else "text"
        evidence["year"] = Evidence(0, (facility_list.list_date_evidence or facility_list.list_date)[:200], origin)
    facts = ReportFacts(publisher, year, None, None, None, None, evidence=evidence)
    rows = [
        MentionRow(
            source=source, line=_position(row.locator), lines=row.locator.lines, year=year, metal=row.metal,
            name=row.name, country=row.country, status=row.status, country_code=row.country_code,
            status_code=row.status_code, status_scheme=facility_list.status_scheme if row.status_code else "",
            smelter_id=row.cid, filer=publisher or "", locator=row.locator,
        )
        for row in facility_list.rows
    ]  # fmt: skip
    quarantine = [QuarantineEntry(source, _position(q.locator), q.reason, q.text, q.locator) for q in facility_list.quarantine]
    report = ParsedReport(source, facility_list.sha256, facts, rows, quarantine, [], len(rows) + len(quarantine), list(facility_list.warnings))
    report.kind = FACILITY_LIST
    return report


__all__ = ["FACILITY_LIST", "PUBLISHERS", "facility_list_report"]
