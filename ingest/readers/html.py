"""HTML exhibits (EDGAR Exhibit 1.01 as Workiva, Donnelley, Toppan Merrill... publish it) and EDGAR
full-submission ``.txt`` files: the DOM -> grids of cells (``ingest.tables.grid``) + the visible
text, then table understanding (``ingest.tables.understand``) and the report facts on the text.

Locators: a row is ``table T row R cell C`` (1-based: the T-th ``<table>`` of the document, its
R-th ``<tr>``, the name cell's index in that row); ``MentionRow.line`` is the row's position among
all table rows of the document, so rows and quarantine sort in reading order. Report-fact evidence
lines are lines of the visible text (block elements and ``<br>`` break lines).

Bounded: an HTML body over :data:`MAX_HTML_BYTES` is refused with one line; lxml parses without
``huge_tree`` (libxml2's depth and text-node limits stay on); the DOM is walked without recursion;
span expansion is capped (``grid.MAX_GRID_CELLS``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree, html

from smelterkg.ingest.models import Locator, QuarantineEntry
from smelterkg.ingest.parse import ParsedReport, parse_lines
from smelterkg.ingest.reading import InputError
from smelterkg.ingest.report_facts import Evidence, extract_report_facts
from smelterkg.ingest.tables.grid import GridTooLarge, SourceCell, build_grid
from smelterkg.ingest.tables.mentions import Placed, mention_rows
from smelterkg.ingest.tables.understand import legend_of, understand
from smelterkg.ingest.vocabulary import vocabulary

MAX_HTML_BYTES = 32 * 1024 * 1024

_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html[^>]*>\s*)?(?:<!--.*?-->\s*)*<html[\s>]",
    re.IGNORECASE | re.DOTALL,
)
_DOCTYPE = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<!doctype\s+html", re.IGNORECASE)
_SUBMISSION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:-----BEGIN PRIVACY-ENHANCED MESSAGE-----.*?)?<SEC-(?:DOCUMENT|HEADER)>", re.DOTALL)
_DOCUMENT = re.compile(rb"<DOCUMENT>(.*?)</DOCUMENT>", re.DOTALL)
_TEXT = re.compile(rb"<TEXT>(.*?)</TEXT>", re.DOTALL)
_TAG_LINE = {"TYPE": re.compile(rb"<TYPE>([^\r\n<]*)"), "FILENAME": re.compile(rb"<FILENAME>([^\r\n<]*)")}
_HEADER_FACTS = {
    "cik": re.compile(rb"CENTRAL INDEX KEY:\s*(\d+)"),
    "accession": re.compile(rb"ACCESSION NUMBER:\s*([\d-]+)"),
    "filer": re.compile(rb"COMPANY CONFORMED NAME:[ \t]*([^\r\n]*\S)"),
}

BLOCK = frozenset(
    "p div br tr table li ul ol h1 h2 h3 h4 h5 h6 section article header footer blockquote pre hr dl dt dd "
    "caption thead tbody tfoot center form address".split()
)
SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_MARK = re.compile(r"^\s*(\*+|[†‡§¶]+|\(?\d{1,2}\)?|\[\d{1,2}\]|\(?[a-z]\)?)\s*$")


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _hidden(el: etree._Element) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None


def _span(value: str | None) -> int:
    try:
        return int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1


@dataclass
class Submission:
    """What an EDGAR full-submission header says (empty when the file is not one)."""

    cik: str = ""
    accession: str = ""
    cik_line: int = 0  # 1-based line of the file each was read from (0: not read)
    accession_line: int = 0
    filer: str = ""  # COMPANY CONFORMED NAME: used only when the documents print no registrant name
    filer_line: int = 0


def cell_text(cell: etree._Element) -> tuple[str, tuple[str, ...]]:
    """A cell's visible text (span runs joined, ``<br>`` and blocks -> spaces, entities decoded)
    and the footnote marks printed as ``<sup>`` in it. Nested tables are left out (read on their own)."""
    parts: list[str] = []
    marks: list[str] = []
    skip = 0
    sup: list[str] | None = None
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if el is not cell and (tag == "table" or tag in SKIP or _hidden(el)):
                skip += 1
            if skip:
                continue
            if tag == "sup" and sup is None:
                sup = []
            if tag in BLOCK:
                parts.append(" ")
            if tag:
                (sup if sup is not None else parts).append(el.text or "")
        else:
            if el is not cell and (tag == "table" or tag in SKIP or _hidden(el)):
                skip -= 1
                if skip == 0 and el.tail:
                    (sup if sup is not None else parts).append(el.tail)
                continue
            if skip:
                continue
            if tag == "sup" and sup is not None:
                text = _squash("".join(sup))
                if _MARK.match(text):
                    marks.append(text if text.startswith(("(", "[")) or not text[0].isalnum() else f"({text.strip('()')})")
                else:
                    parts.append(text)
                sup = None
            if tag in BLOCK:
                parts.append(" ")
            if el is not cell and el.tail:
                (sup if sup is not None else parts).append(el.tail)
    return _squash("".join(parts)), tuple(marks)


def visible_lines(root: etree._Element) -> list[str]:
    """The document's visible text as lines: block elements and ``<br>`` break lines, table cells
    are separated by tabs; hidden elements, scripts and styles are left out."""
    out: list[str] = []
    skip = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        hiding = tag in SKIP or (bool(tag) and _hidden(el))
        if event == "start":
            if hiding:
                skip += 1
            if skip:
                continue
            if tag in BLOCK:
                out.append("\n")
            elif tag in {"td", "th"}:
                out.append("\t")
            if tag == "sup" and len(el) == 0 and (el.text or "").strip().isdigit() and len(el.text.strip()) <= 2:
                out.append(f"({el.text.strip()})")  # a footnote number, written as its legend is matched
            elif tag:
                out.append(el.text or "")
        else:
            if hiding:
                skip -= 1
                if not skip and el.tail:
                    out.append(el.tail)
                continue
            if skip:
                continue
            if tag in BLOCK:
                out.append("\n")
            if el is not root and el.tail:
                out.append(el.tail)
    lines = []
    for line in "".join(out).split("\n"):
        cells = [_squash(c) for c in line.split("\t")]
        lines.append("\t".join(c for c in cells if c))
    return lines


def _own(el: etree._Element, table: etree._Element) -> bool:
    """Whether ``el`` belongs to ``table`` itself, not to a table nested in it."""
    parent = el.getparent()
    while parent is not None and parent is not table:
        if parent.tag == "table":
            return False
        parent = parent.getparent()
    return parent is table


def table_cells(table: etree._Element) -> list[list[SourceCell]]:
    rows = []
    for tr in table.iter("tr"):
        if not _own(tr, table) or _hidden(tr):
            continue
        cells = []
        for index, td in enumerate((c for c in tr if c.tag in {"td", "th"}), start=1):
            text, marks = cell_text(td)
            cells.append(SourceCell(text, index, _span(td.get("colspan")), _span(td.get("rowspan")), td.tag == "th", marks))
        rows.append(cells)
    return rows


def parse_html(data: bytes, where: Path) -> etree._Element:
    if len(data) > MAX_HTML_BYTES:
        raise InputError(where, f"HTML document of {len(data) / 1048576:.1f} MB is over the {MAX_HTML_BYTES // 1048576} MB limit")
    try:
        data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "windows-1252"
    parser = html.HTMLParser(encoding=encoding, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(where, f"not readable as HTML: {exc}") from None
    for error in parser.error_log:  # libxml2 stops reading at a limit (depth 256...) without raising
        if error.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in error.message:
            reason = error.message.split(",")[0].strip()
            raise InputError(where, f"HTML not read past a parser limit ({reason}); the rest of the document would be lost", error.line)
    return root


def split_submission(data: bytes) -> tuple[Submission, list[tuple[str, bytes]]]:
    """An EDGAR full-submission file -> its header facts and its documents' (type, body) pairs."""
    head = data[: data.find(b"<DOCUMENT>")] if b"<DOCUMENT>" in data else data[:65536]
    found: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, rx in _HEADER_FACTS.items():
        m = rx.search(head)
        found[key] = m.group(1).decode("utf-8", "replace").strip() if m else ""
        lines[key] = head.count(b"\n", 0, m.start()) + 1 if m else 0
    documents = []
    for match in _DOCUMENT.finditer(data):
        body = match.group(1)
        kind = (m.group(1).strip().decode("ascii", "replace") if (m := _TAG_LINE["TYPE"].search(body[:2048])) else "")
        text = _TEXT.search(body)
        documents.append((kind, text.group(1) if text else b""))
    submission = Submission(found["cik"], found["accession"], lines["cik"], lines["accession"], found["filer"], lines["filer"])
    return submission, documents


_CIK = re.compile(r"[0-9]{1,10}")
_ACCESSION = re.compile(r"[0-9]{10}-[0-9]{2}-[0-9]{6}")


def with_header_facts(report: ParsedReport, submission: Submission) -> ParsedReport:
    """The report's facts with the CIK and accession number of its submission header (when well formed)."""
    values: dict[str, str] = {}
    evidence = dict(report.facts.evidence)
    for key, value, line, label, pattern in (
        ("cik", submission.cik, submission.cik_line, "CENTRAL INDEX KEY", _CIK),
        ("accession", submission.accession, submission.accession_line, "ACCESSION NUMBER", _ACCESSION),
    ):
        if value and pattern.fullmatch(value):
            values[key] = value.zfill(10) if key == "cik" else value
            evidence[key] = Evidence(line, f"{label}: {value}", "header")
    if report.facts.filer is None and submission.filer:
        values["filer"] = submission.filer
        evidence["filer"] = Evidence(submission.filer_line, f"COMPANY CONFORMED NAME: {submission.filer}"[:200], "header")
    if values:
        report.facts = replace(report.facts, **values, evidence=evidence)
    return report


class HTMLReader:
    name = "html"

    def claims(self, path: Path, head: bytes) -> bool:
        return bool(_HTML_START.match(head) or _DOCTYPE.match(head) or _SUBMISSION.match(head))

    def read(self, path: Path, data: bytes) -> ParsedReport:
        source = path.name
        sha256 = hashlib.sha256(data).hexdigest()
        submission = Submission()
        if _SUBMISSION.match(data[:8192]):
            submission, documents = split_submission(data)
            bodies = [body for kind, body in documents if _HTML_START.match(body.lstrip()[:4096]) or b"<html" in body[:4096].lower()]
            exhibits = [body for kind, body in documents if kind.upper().startswith("EX-1.01")]
            if not bodies:
                texts = [body for kind, body in documents if body and not body.lstrip().startswith(b"begin ")]
                if not texts:
                    raise InputError(path, "EDGAR submission with no HTML or text document")
                text = b"\n".join(texts).decode("utf-8", "replace")
                report = parse_lines(source, text.replace("\r\n", "\n").split("\n"), sha256)
                report.path = path
                return with_header_facts(report, submission)
            bodies = [b for b in bodies if b in exhibits] + [b for b in bodies if b not in exhibits] if exhibits else bodies
        else:
            bodies = [data]
        roots = [parse_html(body, path) for body in bodies]
        report = read_roots(source, roots, sha256)
        report.path = path
        return with_header_facts(report, submission)


def read_roots(source: str, roots: list[etree._Element], sha256: str) -> ParsedReport:
    """Parsed HTML documents (one exhibit, or the HTML documents of one submission) -> the report."""
    vocab = vocabulary()
    lines: list[str] = []
    tables: list[etree._Element] = []
    for root in roots:
        lines.extend(visible_lines(root))
        tables.extend(t for t in root.iter("table") if not _hidden(t))
    facts = extract_report_facts(lines)
    legend = legend_of(lines)
    drafts: list[Placed] = []
    quarantine: list[QuarantineEntry] = []
    position = 0
    found_smelters = False
    for index, element in enumerate(tables, start=1):
        cells = table_cells(element)
        try:
            grid = build_grid(index, cells)
        except GridTooLarge as exc:
            position += 1
            quarantine.append(QuarantineEntry(source, position, str(exc), "", Locator(table=index)))
            continue
        reading = understand(grid, legend, vocab)
        found_smelters |= reading.smelter_table
        at = {n: position + n for n in grid.row_numbers}
        position += len(grid.row_numbers)
        for row in reading.rows:
            locator = Locator(table=row.table, row=row.row, column=str(row.column) if row.column else "")
            drafts.append((at[row.row], (), locator, row))
        for issue in reading.issues:
            quarantine.append(QuarantineEntry(source, at[issue.row], issue.reason, issue.text, Locator(table=index, row=issue.row)))
    rows = mention_rows(source, facts, drafts, vocab)
    warnings = [] if found_smelters else [f"{source}: no smelter table found"]
    return ParsedReport(source, sha256, facts, rows, quarantine, [], len(lines), warnings)


__all__ = ["HTMLReader", "MAX_HTML_BYTES", "Submission", "cell_text", "read_roots", "split_submission", "visible_lines"]
