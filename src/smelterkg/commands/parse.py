"""`smelterkg parse`: read reports into a table of smelter mentions (stdout), summaries to stderr."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from typing import TextIO

from smelterkg.commands import error
from smelterkg.ingest.models import MentionRow, QuarantineEntry
from smelterkg.ingest.parse import ParsedReport
from smelterkg.pipeline import read_inputs

MENTION_COLUMNS = (
    "source", "line", "year", "metal", "name", "country", "status",
    "country_code", "status_code", "status_scheme", "smelter_id", "filer", "lines", "notes", "locator",
)  # fmt: skip
QUARANTINE_COLUMNS = ("source", "line", "reason", "text")


def _mention_record(row: MentionRow) -> dict[str, object]:
    record = asdict(row)
    record["lines"] = list(row.lines)
    record["notes"] = list(row.notes)
    record["locator"] = str(row.locator)  # where the row is, in its format's terms ("lines 178 180")
    return record


def write_mentions_csv(rows: Iterable[MentionRow], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MENTION_COLUMNS)
    for row in rows:
        record = _mention_record(row)
        record["lines"] = " ".join(str(n) for n in row.lines)
        record["notes"] = "; ".join(row.notes)
        record["year"] = "" if row.year is None else row.year
        writer.writerow([record[c] for c in MENTION_COLUMNS])


def write_mentions_jsonl(rows: Iterable[MentionRow], out: TextIO) -> None:
    for row in rows:
        out.write(json.dumps(_mention_record(row), ensure_ascii=False) + "\n")


def write_quarantine_csv(entries: Iterable[QuarantineEntry], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(QUARANTINE_COLUMNS)
    for entry in entries:
        writer.writerow([entry.source, entry.line, entry.reason, entry.text])


def _check(stated: int | None, read: int) -> str:
    if stated is None:
        return f"{read} (not stated)"
    return f"{read}/{stated} {'ok' if stated == read else 'MISMATCH'}"


def report_summary(report: ParsedReport) -> str:
    """A few lines on what was read from one report: for stderr."""
    facts = report.facts
    no_table = f"{report.source}: no smelter table found"
    if not report.rows and no_table in report.warnings:  # a document with no table: one line
        quarantined = f"; {len(report.quarantine)} lines quarantined (see --quarantine)" if report.quarantine else ""
        lines = [
            f"warning: {no_table} in {report.line_count:,} lines (filer {facts.filer or 'unknown'}, reporting year "
            f"{facts.year or 'unknown'}){quarantined}"
        ]
        return "\n".join(lines + [f"  warning: {w}" for w in report.warnings if w != no_table])
    metals = ", ".join(f"{metal or '?'} {n}" for metal, n in sorted(report.rows_per_metal().items()))
    where = "; table at lines " + ", ".join(f"{a}-{b}" for a, b in report.regions) if report.regions else ""
    lines = [
        f"{report.source}: {facts.filer or 'filer unknown'}, reporting year {facts.year or 'unknown'}: "
        f"{len(report.rows)} rows" + (f" ({metals})" if metals else "") + where
    ]
    if facts.cik or facts.accession:
        origins = {facts.evidence[k].origin for k in ("cik", "accession") if k in facts.evidence}
        lines.append(f"  EDGAR: CIK {facts.cik or 'unknown'}, accession {facts.accession or 'unknown'} (from the {' and '.join(sorted(origins))})")
    read = report.read_counts()
    labels = {"stated_total": "total", "stated_compliant": "compliant", "stated_active": "active", "stated_remaining": "remaining"}
    unknown = sum(1 for r in report.rows if not r.status_code)
    stated = [(label, getattr(facts, key), read[key]) for key, label in labels.items()]
    if any(value is not None for _, value, _ in stated):
        checks = ", ".join(f"{label} {_check(value, count)}" for label, value, count in stated)
        lines.append(f"  read/stated: {checks}")
    else:
        lines.append("  the report states no facility counts to check against")
    if unknown:
        lines.append(f"  {unknown} rows with status unknown (left empty; see the quarantine for why)")
    if report.quarantine:
        reasons = Counter(_reason_kind(q.reason) for q in report.quarantine)
        detail = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
        lines.append(f"  quarantined: {len(report.quarantine)} ({detail})")
    lines.extend(f"  warning: {w}" for w in report.warnings)
    return "\n".join(lines)


def _reason_kind(reason: str) -> str:
    return reason.split(" (")[0].split(" of line")[0].split(":")[0]


def run(args: argparse.Namespace) -> int:
    reports, errors, warnings = read_inputs(args.paths)
    for problem in errors:
        error(str(problem))
    for warning in warnings:
        print(f"smelterkg: warning: {warning}", file=sys.stderr)
    rows = [row for report in reports for row in report.rows]
    if args.format == "jsonl":
        write_mentions_jsonl(rows, sys.stdout)
    else:
        write_mentions_csv(rows, sys.stdout)
    if args.quarantine:
        try:
            with open(args.quarantine, "w", encoding="utf-8", newline="") as out:
                write_quarantine_csv((q for r in reports for q in r.quarantine), out)
        except OSError as problem:
            error(f"{args.quarantine}: cannot write quarantine report: {problem.strerror}")
            return 1
    for report in reports:
        print(report_summary(report), file=sys.stderr)
    if len(reports) > 1:
        quarantined = sum(len(r.quarantine) for r in reports)
        print(f"smelterkg: {len(reports)} reports, {len(rows)} rows, {quarantined} quarantined, {len(errors)} unreadable", file=sys.stderr)
    if not reports:
        error("no input could be read")
        return 1
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parse = commands.add_parser(
        "parse",
        help="read reports into a table of smelter mentions (one row per mention, to stdout)",
        description="Read Form SD reports (files or directories; default: the bundled reports) and print one "
        "row per smelter mention. A per-report summary goes to stderr.",
    )
    parse.add_argument("paths", nargs="*", metavar="PATH", help="report files or directories (default: bundled reports)")
    parse.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="output format (default: csv)")
    parse.add_argument("--quarantine", metavar="FILE", help="write the lines not used, with their reasons, as CSV")
    parse.set_defaults(handler=run)
