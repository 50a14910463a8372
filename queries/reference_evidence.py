"""What the RMI reference lists in the store say of a facility's smelter IDs (CIDs), for
`smelterkg facility`, `chain` and `explain`.

A facility built with ``--reference`` carries ``skg:smelterId`` and ``skg:referenceFacility``
links to one node per reference list that has the ID (``skg:ReferenceFacility``, in the list's
named graph). Each statement here is what one or more lists say of one ID: the standard name, the
city, the state or province and the country. Lists saying the same thing are one statement (their
releases and list dates listed in date order), so a standard name that changed between releases
reads as two statements. A store built without reference lists has no such links: every facility
gets an empty ``FacilityReference``, and the commands print what they printed before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store, Variable

from smelterkg.ontology.iris import ONTOLOGY

PREFIXES = f"""
PREFIX skg:  <{ONTOLOGY}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct:  <http://purl.org/dc/terms/>
"""


@dataclass(frozen=True)
class ListedIn:
    """One reference list: its release (``6.5``), list date (ISO, may be empty) and file name."""

    release: str
    list_date: str
    file_name: str

    def describe(self) -> str:
        """``RMI CMRT 6.5 (2025-03-05)``: the release (else the file name) and the list date."""
        name = f"RMI CMRT {self.release}" if self.release else self.file_name
        return f"{name} ({self.list_date})" if self.list_date else name


def describe_lists(lists: Iterable[ListedIn]) -> str:
    """``RMI CMRT 6.01 (2020-03-03), 6.5 (2025-03-05)``: "RMI CMRT" said once.

    >>> describe_lists([ListedIn("6.01", "2020-03-03", "a.xlsx"), ListedIn("6.5", "", "b.xlsx"), ListedIn("", "", "c.xlsx")])
    'RMI CMRT 6.01 (2020-03-03), 6.5, c.xlsx'
    """
    parts, named = [], False
    for listed in lists:
        text = listed.describe()
        if listed.release and named:
            text = text.removeprefix("RMI CMRT ")
        named = named or bool(listed.release)
        parts.append(text)
    return ", ".join(parts)


@dataclass(frozen=True)
class ReferenceStatement:
    """What the lists ``lists`` (oldest first) say of the smelter ID ``cid``."""

    cid: str
    standard_name: str
    city: str
    state_province: str
    country: str
    lists: tuple[ListedIn, ...]

    def place(self) -> str:
        """``Konan, Kochi, JP``: the parts the lists give, in that order."""
        return ", ".join(part for part in (self.city, self.state_province, self.country) if part)

    def describe(self) -> str:
        """``CID002100 'Yamakin Co., Ltd.' (Konan, Kochi, JP) in RMI CMRT 6.01 (2020-03-03), 6.5
        (2025-03-05)``: the ID, the standard name and place the lists give, and the lists (list dates)."""
        name = f" '{self.standard_name}'" if self.standard_name else ""
        place = f" ({self.place()})" if self.place() else ""
        return f"{self.cid}{name}{place} in {describe_lists(self.lists)}"


@dataclass
class FacilityReference:
    """A facility's smelter IDs (sorted), the city and state it carries (the latest list's), and
    the lists' statements about its IDs."""

    smelter_ids: list[str] = field(default_factory=list)
    city: str = ""
    state_province: str = ""
    statements: list[ReferenceStatement] = field(default_factory=list)
    removed_in: list[ListedIn] = field(default_factory=list)  # the first list without the ID after one with it

    def __bool__(self) -> bool:
        return bool(self.smelter_ids or self.statements or self.removed_in)


IDS_QUERY = PREFIXES + """
SELECT DISTINCT ?f ?cid ?city ?state WHERE {
  ?f a skg:Facility ; skg:smelterId ?cid .
  OPTIONAL { ?f skg:city ?city }
  OPTIONAL { ?f skg:stateProvince ?state }
}"""
STATEMENTS_QUERY = PREFIXES + """
SELECT DISTINCT ?f ?cid ?name ?city ?state ?country ?release ?date ?file WHERE {
  ?f a skg:Facility ; skg:referenceFacility ?entry .
  ?entry dct:identifier ?cid ; skg:inReferenceList ?list .
  ?list skg:fileName ?file .
  OPTIONAL { ?list skg:release ?release }
  OPTIONAL { ?list skg:listDate ?date }
  OPTIONAL { ?entry skg:standardName ?name }
  OPTIONAL { ?entry skg:city ?city }
  OPTIONAL { ?entry skg:stateProvince ?state }
  OPTIONAL { ?entry skg:country/skos:notation ?country }
}"""

REMOVED_QUERY = PREFIXES + """
SELECT DISTINCT ?f ?release ?date ?file WHERE {
  ?f a skg:Facility ; skg:removedInList ?list .
  ?list skg:fileName ?file .
  OPTIONAL { ?list skg:release ?release }
  OPTIONAL { ?list skg:listDate ?date }
}"""


def _value(solution, name: str) -> str:
    term = solution[name]
    return "" if term is None else term.value


BOUND_LOOKUPS = 50  # up to this many facilities, one bound query each; more: one scan of all


def _solutions(store: Store, query: str, wanted: set[str] | None):
    """The query's solutions for the facilities ``wanted`` (all when None)."""
    if wanted is not None and len(wanted) <= BOUND_LOOKUPS:
        for iri in sorted(wanted):
            yield from store.query(query, substitutions={Variable("f"): NamedNode(iri)}, use_default_graph_as_union=True)
        return
    for s in store.query(query, use_default_graph_as_union=True):
        if wanted is None or s["f"].value in wanted:
            yield s


def facility_references(store: Store, facilities: Iterable[str] | None = None) -> dict[str, FacilityReference]:
    """facility IRI -> its FacilityReference, for ``facilities`` (every facility when None);
    facilities the store says nothing of are left out."""
    wanted = None if facilities is None else set(facilities)
    found: dict[str, FacilityReference] = defaultdict(FacilityReference)
    for s in _solutions(store, IDS_QUERY, wanted):
        iri = _value(s, "f")
        ref = found[iri]
        ref.smelter_ids.append(_value(s, "cid"))
        ref.city, ref.state_province = ref.city or _value(s, "city"), ref.state_province or _value(s, "state")
    grouped: dict[str, dict[tuple[str, ...], set[ListedIn]]] = defaultdict(lambda: defaultdict(set))
    for s in _solutions(store, STATEMENTS_QUERY, wanted):
        iri = _value(s, "f")
        said = tuple(_value(s, k) for k in ("cid", "name", "city", "state", "country"))
        grouped[iri][said].add(ListedIn(_value(s, "release"), _value(s, "date"), _value(s, "file")))
    for iri, statements in grouped.items():
        ref = found[iri]
        ref.statements = sorted(
            (ReferenceStatement(*said, tuple(sorted(lists, key=_list_order))) for said, lists in statements.items()),
            key=lambda st: (st.cid, _list_order(st.lists[0]), st.standard_name),
        )
    for s in _solutions(store, REMOVED_QUERY, wanted):
        found[_value(s, "f")].removed_in.append(ListedIn(_value(s, "release"), _value(s, "date"), _value(s, "file")))
    for ref in found.values():
        ref.smelter_ids = sorted(set(ref.smelter_ids))
        ref.removed_in.sort(key=_list_order)
    return dict(found)


def _list_order(listed: ListedIn) -> tuple[str, str, str]:
    return listed.list_date or "9999", listed.release, listed.file_name


def facility_reference(store: Store, facility: str) -> FacilityReference:
    """One facility's FacilityReference (empty when the store has no reference for it)."""
    return facility_references(store, [facility]).get(facility, FacilityReference())


def reference_lines(reference: FacilityReference, indent: str = "  ") -> list[str]:
    """The text lines `facility`, `chain` and `explain` print for a facility's RMI IDs: none when
    the store has no reference for it (their output is then as without reference lists).

    >>> listed = ListedIn("6.5", "2025-03-05", "RMI_CMRT_6.5.xlsx")
    >>> said = ReferenceStatement("CID002100", "Yamakin Co., Ltd.", "Konan", "Kochi", "JP", (listed,))
    >>> print("\\n".join(reference_lines(FacilityReference(["CID002100"], "Konan", "Kochi", [said]))))
      RMI smelter ID: CID002100 (Konan, Kochi)
      reference lists: CID002100 'Yamakin Co., Ltd.' (Konan, Kochi, JP) in RMI CMRT 6.5 (2025-03-05)
    >>> reference_lines(FacilityReference())
    []
    """
    if not reference:
        return []
    lines = []
    if reference.smelter_ids:
        place = ", ".join(part for part in (reference.city, reference.state_province) if part)
        label = "RMI smelter ID" if len(reference.smelter_ids) == 1 else "RMI smelter IDs"
        lines.append(f"{indent}{label}: {', '.join(reference.smelter_ids)}" + (f" ({place})" if place else ""))
    statements = [statement.describe() for statement in reference.statements]
    if len(statements) == 1:
        lines.append(f"{indent}reference lists: {statements[0]}")
    elif statements:
        lines.append(f"{indent}reference lists:")
        lines.extend(f"{indent}  {text}" for text in statements)
    if reference.removed_in:
        lines.append(f"{indent}removed: not in {describe_lists(reference.removed_in)}, a later list")
    return lines


NAME_QUERY = PREFIXES + """
SELECT DISTINCT ?f ?name ?cid ?role ?release ?date ?file WHERE {
  ?f a skg:Facility ; skg:referenceFacility ?entry .
  ?entry dct:identifier ?cid ; skg:inReferenceList ?list .
  { ?entry skg:standardName ?given BIND("standard name" AS ?role) }
  UNION { ?entry skg:lookupName ?given BIND("look-up name" AS ?role) }
  FILTER(LCASE(STR(?given)) = LCASE(STR(?name)))
  ?list skg:fileName ?file .
  OPTIONAL { ?list skg:release ?release }
  OPTIONAL { ?list skg:listDate ?date }
}"""


def name_evidence(store: Store, facility: str, name: str) -> list[str]:
    """Where the reference lists linked to the facility give ``name`` (any case) for its ID:
    ``'Yamakin Co., Ltd.' is the standard name of CID002100 in RMI CMRT 6.01 (2020-03-03), 6.5
    (2025-03-05)``, one line per ID and role; empty when no list gives it."""
    roles: dict[tuple[str, str], set[ListedIn]] = defaultdict(set)
    bound = {Variable("f"): NamedNode(facility), Variable("name"): Literal(name.strip())}
    for s in store.query(NAME_QUERY, substitutions=bound, use_default_graph_as_union=True):
        roles[_value(s, "cid"), _value(s, "role")].add(ListedIn(_value(s, "release"), _value(s, "date"), _value(s, "file")))
    for (cid, role), lists in list(roles.items()):  # a standard name is among the look-up names too
        if role == "look-up name":
            lists -= roles.get((cid, "standard name"), set())
            if not lists:
                del roles[cid, role]
    article = {"standard name": "the", "look-up name": "a"}
    return [
        f"'{name.strip()}' is {article[role]} {role} of {cid} in {describe_lists(sorted(lists, key=_list_order))}"
        for (cid, role), lists in sorted(roles.items(), key=lambda item: (item[0][0], item[0][1] != "standard name"))
    ]
