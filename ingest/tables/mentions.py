"""Smelter rows read from tables (HTML cells, positioned words) -> the report's mention rows.

The same last step for every format that goes through table understanding: the country and the
status normalised, the status scheme chosen once for the whole report from its statuses and year.
Each reader says where its rows are: their reading-order position, their line numbers (text only)
and their locator in the format's terms.
"""

from __future__ import annotations

from collections.abc import Sequence

from smelterkg.ingest.models import Locator, MentionRow
from smelterkg.ingest.normalise import normalise_country, normalise_status, report_scheme
from smelterkg.ingest.report_facts import ReportFacts
from smelterkg.ingest.tables.understand import TableRow
from smelterkg.ingest.vocabulary import Vocabulary

Placed = tuple[int, tuple[int, ...], Locator, TableRow]  # (position, line numbers, locator, row)


def mention_rows(source: str, facts: ReportFacts, placed: Sequence[Placed], vocab: Vocabulary) -> list[MentionRow]:
    scheme = report_scheme((row.status for *_, row in placed if row.status), facts.year, vocab)
    return [
        MentionRow(
            source=source, line=position, lines=lines, year=facts.year, metal=row.metal, name=row.name,
            country=row.country, status=row.status, country_code=normalise_country(row.country),
            status_code=normalise_status(row.status, scheme, vocab) if row.status else "",
            status_scheme=scheme if row.status else "", smelter_id=row.smelter_id, filer=facts.filer or "",
            notes=tuple(row.notes), locator=locator,
        )
        for position, lines, locator, row in placed
    ]  # fmt: skip


__all__ = ["Placed", "mention_rows"]
