"""How identifiers are minted. Every IRI is derived from the input itself (a document's checksum,
a row's line, a facility's metal and key), so rebuilding the same inputs yields the same IRIs."""

from __future__ import annotations

import hashlib
import re

from smelterkg.ingest.vocabulary import fold

BASE = "https://w3id.org/smelterkg/"
"""The one base IRI: every smelterkg IRI (vocabulary, status schemes, data) starts with it."""
ONTOLOGY = BASE + "ontology#"
ID = BASE + "id/"
STATUS = BASE + "status/"
CANONICAL_STATUS = STATUS + "canonical/"
ONTOLOGY_GRAPH = ID + "graph/ontology"
RESOLUTION_GRAPH = ID + "graph/resolution"
REFERENCE_GRAPH = ID + "graph/reference"
LEDGER_GRAPH = ID + "graph/ledger"
YEARLY_GRAPH = ID + "graph/yearly"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_PLAIN_KEY = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
MAX_SLUG_WORDS = 120  # characters of words in a slug (the longest bundled name: 87); cut at a word


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-', readable in an IRI. When the text is not plain
    lower-case ASCII words separated by single spaces, the slug could lose what tells two texts
    apart ("l'azurde" / "l azurde", non-Latin letters), so a short hash of the text is added:
    two different keys never share an IRI. The words are bounded (:data:`MAX_SLUG_WORDS`
    characters, cut at a word boundary) so that a 10 kB name does not make a 10 kB IRI; a cut
    slug always carries the hash of the whole text, so two long texts with one beginning differ.

    >>> slug("asakariken jp")
    'asakariken-jp'
    >>> slug("Gold")
    'gold'
    >>> slug("l'azurde"), slug("l azurde")
    ('l-azurde-37b10bd7', 'l-azurde')
    >>> slug("東京")
    'h681ee300'
    >>> long = slug("golden " * 1000 + "refinery")
    >>> long[:21], long[-15:], len(long) <= MAX_SLUG_WORDS + 9, long != slug("golden " * 1000 + "smelter")
    ('golden-golden-golden-', 'golden-825fb3e8', True, True)
    """
    folded = fold(text)
    words = _NOT_SLUG.sub("-", folded).strip("-")
    if len(words) > MAX_SLUG_WORDS:
        cut = words[: MAX_SLUG_WORDS + 1]
        words = (cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_SLUG_WORDS]).strip("-")
    elif _PLAIN_KEY.match(folded):
        return words
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}" if words else f"h{digest}"


def document_iri(sha256: str) -> str:
    """A document by the first 16 hex digits of its SHA-256: the same file, the same IRI.

    >>> document_iri("0123456789abcdef" * 4)
    'https://w3id.org/smelterkg/id/document/0123456789abcdef'
    """
    return f"{ID}document/{sha256[:16]}"


def row_iri(document: str, line: int, ordinal: int) -> str:
    """A row by its first line; ``ordinal`` (1, 2...) tells apart rows that start on one line."""
    return f"{document}/row/{line}" + (f"-{ordinal}" if ordinal > 1 else "")


def stated_count_iri(document: str, category: str) -> str:
    return f"{document}/stated/{category}"


def quarantine_iri(document: str, index: int) -> str:
    return f"{document}/quarantine/{index}"


def filer_iri(name: str, cik: str | None = None) -> str:
    """A filer by its EDGAR CIK when known (stable across the names it prints), else by its name."""
    return f"{ID}filer/cik/{cik}" if cik else f"{ID}filer/{slug(name)}"


def facility_iri(metal: str, key: str, smelter_id: str = "") -> str:
    """A facility's IRI: from its RMI smelter ID when it has exactly one (stable across renames and
    new inputs), else from the metal and the key group it is named after."""
    if smelter_id:
        return f"{ID}facility/{slug(metal)}/{smelter_id.lower()}"
    return f"{ID}facility/{slug(metal)}/{slug(key)}"


def reference_list_iri(sha256: str) -> str:
    """A reference list (one CMRT's Smelter Look-up), by its workbook's checksum; also the name of its graph."""
    return f"{ID}reference-list/{sha256}"


def reference_facility_iri(list_sha256: str, smelter_id: str) -> str:
    return f"{ID}reference-list/{list_sha256}/{smelter_id.lower()}"


def decision_iri(metal: str, key: str) -> str:
    """The resolution decision for one distinct key (metal + normalised name)."""
    return f"{ID}resolution/{slug(metal)}/{slug(key)}"


def observation_iri(document: str, facility: str) -> str:
    return f"{document}/observation/{facility.rsplit('/facility/', 1)[-1]}"


def country_iri(code: str) -> str:
    return f"{ID}country/{code}"


def status_iri(scheme: str, code: str) -> str:
    return f"{STATUS}{scheme}/{code}"


def facility_name_iri(facility: str, name: str) -> str:
    """A printed name of a facility; names that differ only in case or punctuation are distinct
    names ("Dowa" / "DOWA"), so the exact text's hash is part of the IRI."""
    return f"{facility}/name/{slug(name)}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def event_iri(kind: str, metal: str, subject_key: str, object_key: str = "") -> str:
    """An event by its kind and the keys of the facilities (or name groups) it joins."""
    tail = f"{slug(subject_key)}--{slug(object_key)}" if object_key else slug(subject_key)
    return f"{ID}event/{kind}/{slug(metal)}/{tail}"


def ledger_entry_iri(*fields: str) -> str:
    """A curated entry by its content: the same fact from any ledger file has one IRI."""
    return f"{ID}ledger/{hashlib.sha1(chr(31).join(fields).encode('utf-8')).hexdigest()[:16]}"


def review_iri(metal: str, left_key: str, right_key: str) -> str:
    return f"{ID}review/{slug(metal)}/{slug(left_key)}--{slug(right_key)}"


def rename_candidate_iri(metal: str, old_key: str, new_key: str) -> str:
    return f"{ID}rename-candidate/{slug(metal)}/{slug(old_key)}--{slug(new_key)}"


def facility_year_iri(facility: str, year: int) -> str:
    return f"{facility}/year/{year}"


def name_sighting_iri(facility: str, name: str) -> str:
    """The sightings of one printed name (``facility_name_iri``) of a facility, over all sources."""
    return f"{facility_name_iri(facility, name)}/sighting"


def facility_country_iri(facility: str, country_code: str) -> str:
    return f"{facility}/country/{country_code.lower()}"


def reporting_year_iri(year: int) -> str:
    return f"{ID}year/{year}"


def filer_year_iri(filer: str, year: int) -> str:
    return f"{filer}/year/{year}"


def name_use_iri(facility: str, name: str, filer: str | None) -> str:
    """One filer's use of one printed name (``facility_name_iri``) of a facility."""
    who = slug(filer.rsplit("/filer/", 1)[-1]) if filer else "no-filer"
    return f"{facility_name_iri(facility, name)}/use/{who}"


def tally_iri(document: str, category: str) -> str:
    return f"{document}/tally/{category}"
