"""The mentions table: one record per table row of every source document, with the facility the
resolution linked it to, sorted by source then line (``smelterkg export mentions``).

``locator`` says where the row is in its source: the row's ``skg:locator`` when its reader gave one
(formats other than text), else ``lines`` and the row's source lines (``skg:sourceLine``) in
numeric order, e.g. ``lines 178 180 182 184``.

``smelter_id`` is the RMI smelter ID the row printed (``skg:printedSmelterId``), empty when none;
``facility_smelter_id`` the RMI ID of the facility the row resolved to (``skg:smelterId``, printed
on any of its rows or found in a reference list given with ``build --reference``), empty when the
facility has none. A facility has at most one ID when the build keeps IDs apart; should it have
several, they are listed in order, joined by ``;``. Both are the last columns, so the earlier
columns keep their positions.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from pyoxigraph import Store

from smelterkg.ontology.iris import ONTOLOGY, RESOLUTION_GRAPH

SKG = ONTOLOGY
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

MENTION_COLUMNS = (
    "source", "line", "year", "metal", "name", "country", "status", "facility", "facility_name", "resolved_by",
    "locator", "smelter_id", "facility_smelter_id",
)  # fmt: skip
ID_SEPARATOR = ";"
MENTIONS_QUERY = f"""
PREFIX skg: <{SKG}>
PREFIX rdfs: <{RDFS}>
SELECT ?row ?source ?line ?year ?metal ?name ?country ?status ?facility ?facility_name ?resolved_by ?locator
       ?smelter_id WHERE {{
  GRAPH ?doc {{
    ?row a skg:TableRow ; skg:inDocument ?doc ; skg:line ?line .
    ?doc skg:fileName ?source .
    OPTIONAL {{ ?doc skg:reportingYear ?year }}
    OPTIONAL {{ ?row skg:metal ?metalTerm }}
    OPTIONAL {{ ?row skg:printedName ?name }}
    OPTIONAL {{ ?row skg:printedCountry ?country }}
    OPTIONAL {{ ?row skg:printedStatus ?status }}
    OPTIONAL {{ ?row skg:locator ?locator }}
    OPTIONAL {{ ?row skg:printedSmelterId ?smelter_id }}
  }}
  OPTIONAL {{
    GRAPH <{RESOLUTION_GRAPH}> {{
      ?decision a skg:ResolutionDecision ; skg:row ?row ; skg:facility ?facility ; skg:method ?resolved_by .
      ?facility rdfs:label ?facility_name .
    }}
  }}
  BIND(STRAFTER(STR(?metalTerm), "#") AS ?metal)
}}
ORDER BY ?source ?line STR(?row) STR(?facility)
"""
# Every row's source lines in one scan (a row has a handful), joined to the rows in Python: the
# order of GROUP_CONCAT is not defined, and one lookup per row would be slower.
SOURCE_LINES_QUERY = f"""
PREFIX skg: <{SKG}>
SELECT ?row ?sourceLine WHERE {{ GRAPH ?doc {{ ?row a skg:TableRow ; skg:sourceLine ?sourceLine }} }}
"""
# Every facility's RMI IDs in one scan, joined in Python (a defined order when there are several).
FACILITY_IDS_QUERY = f"""
PREFIX skg: <{SKG}>
SELECT DISTINCT ?facility ?smelterId WHERE {{ GRAPH <{RESOLUTION_GRAPH}> {{ ?facility a skg:Facility ; skg:smelterId ?smelterId }} }}
"""


def lines_locator(lines: Iterable[int]) -> str:
    """The locator of a row of a text report: its lines, in numeric order.

    >>> lines_locator([184, 178, 180, 182])
    'lines 178 180 182 184'
    """
    return "lines " + " ".join(str(n) for n in sorted(lines))


def _source_lines(store: Store) -> dict[str, set[int]]:
    lines: dict[str, set[int]] = defaultdict(set)
    for solution in store.query(SOURCE_LINES_QUERY):
        lines[solution["row"].value].add(int(solution["sourceLine"].value))
    return lines


def _facility_ids(store: Store) -> dict[str, str]:
    """facility IRI -> its RMI smelter IDs, sorted, joined by ID_SEPARATOR."""
    ids: dict[str, set[str]] = defaultdict(set)
    for solution in store.query(FACILITY_IDS_QUERY):
        ids[solution["facility"].value].add(solution["smelterId"].value)
    return {facility: ID_SEPARATOR.join(sorted(found)) for facility, found in ids.items()}


def mention_records(store: Store) -> Iterator[list[str]]:
    """The mentions table, one list of strings per table row (MENTION_COLUMNS), sorted by source
    then line."""
    source_lines = _source_lines(store)
    facility_ids = _facility_ids(store)
    columns = MENTION_COLUMNS[: MENTION_COLUMNS.index("locator")]
    for solution in store.query(MENTIONS_QUERY):
        record = ["" if solution[c] is None else solution[c].value for c in columns]
        locator = solution["locator"]
        if locator is not None:
            record.append(locator.value)
        else:
            lines = source_lines.get(solution["row"].value) or {int(solution["line"].value)}
            record.append(lines_locator(lines))
        facility = solution["facility"]
        record.append("" if solution["smelter_id"] is None else solution["smelter_id"].value)
        record.append("" if facility is None else facility_ids.get(facility.value, ""))
        yield record


def write_mentions_csv(store: Store, out: BinaryIO) -> None:
    """UTF-8 (no BOM), RFC 4180: CRLF line ends, fields quoted only when needed, quotes doubled."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(MENTION_COLUMNS)
        writer.writerows(mention_records(store))
        text.flush()
    finally:
        text.detach()  # leave ``out`` open: it may be stdout
