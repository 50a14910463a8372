"""What a file name written by ``smelterkg fetch`` says of its filing: ``{cik}_{year}_{accession}_{document}``
(``ingest.edgar.download.file_name``), read strictly: a 10-digit CIK, a year of four digits or
``unknown``, an accession ``NNNNNNNNNN-YY-NNNNNN``. A name that only looks like it gives nothing.

:func:`with_file_name_facts` is the one place every reader's report gets these (``read_document``):
the CIK and accession fill what the file's own header did not give; a year that disagrees with the
text's is reported, never used (the text's year stays).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from smelterkg.ingest.report_facts import Evidence

if TYPE_CHECKING:
    from smelterkg.ingest.parse import ParsedReport

_FETCH_NAME = re.compile(r"^([0-9]{10})_([0-9]{4}|unknown)_([0-9]{10}-[0-9]{2}-[0-9]{6})_(.+)$")


class EdgarName(NamedTuple):
    cik: str
    year: int | None
    accession: str


def parse_edgar_name(name: str) -> EdgarName | None:
    """``"0000006951_2023_0001193125-24-146038_d840000dex101.htm"`` -> its CIK, year and accession;
    None when the name does not have fetch's pattern exactly."""
    m = _FETCH_NAME.fullmatch(name)
    if m is None:
        return None
    return EdgarName(m.group(1), None if m.group(2) == "unknown" else int(m.group(2)), m.group(3))


def with_file_name_facts(report: ParsedReport, path: Path) -> ParsedReport:
    """The report with the CIK and accession its file name carries, where the file itself gave none;
    disagreements become warnings (the file's own value is kept)."""
    named = parse_edgar_name(path.name)
    if named is None:
        return report
    facts = report.facts
    evidence = dict(facts.evidence)
    values = {}
    for key, value in (("cik", named.cik), ("accession", named.accession)):
        current = getattr(facts, key)
        if current is None:
            values[key] = value
            evidence[key] = Evidence(0, path.name, "file name")
        elif current != value:
            report.warnings.append(f"{report.source}: the file name says {key} {value}, the file says {current}; kept the file's")
    if named.year is not None and facts.year is not None and named.year != facts.year:
        report.warnings.append(
            f"{report.source}: the file name says reporting year {named.year}, the text says {facts.year}; kept the text's"
        )
    if values:
        report.facts = replace(facts, **values, evidence=evidence)
    return report


__all__ = ["EdgarName", "parse_edgar_name", "with_file_name_facts"]
