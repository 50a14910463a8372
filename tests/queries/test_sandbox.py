"""queries.sandbox: SERVICE and updates are found as SPARQL keywords only, never inside a string,
a comment, an IRI or a name."""

from __future__ import annotations

import pytest

from smelterkg.queries import catalogue, sandbox
from smelterkg.queries.sandbox import SandboxError

FEDERATED = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:p ?o . SERVICE SILENT ?o { ?x ?y ?z } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE<http://127.0.0.1:9/>{} }",  # no spaces: `.` ends the pattern
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?s) SERVICE <http://127.0.0.1:9/> {} }",  # `<` is less-than
    "SELECT * WHERE { ?s ?p \"a\\\" b\" SERVICE <http://127.0.0.1:9/> {} }",  # the escaped quote ends nothing
    "# a comment\nSELECT * WHERE {\n  SeRvIcE <http://127.0.0.1:9/> {}\n}",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> {} }",  # a codepoint escape, as the spec allows
]
LOCAL = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> {}" }',
    "SELECT * WHERE { ?s ?p 'service' }",
    'SELECT * WHERE { ?s ?p """a " SERVICE "" <http://127.0.0.1:9/> {}""" }',
    "SELECT * WHERE { ?s ?p '''x\nSERVICE <http://127.0.0.1:9/> {}\n''' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> {}",
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:SERVICE ?o ; ex:a.SERVICE ?o }",
    "PREFIX service: <http://e/> SELECT * WHERE { ?s service:x ?o ; :SERVICE ?o }",
    "SELECT ?service $SERVICE WHERE { ?service ?p _:SERVICE }",
    'SELECT * WHERE { ?s ?p "x"@service }',
]


@pytest.mark.parametrize("text", FEDERATED)
def test_service_is_found(text):
    assert sandbox.uses_service(text)
    with pytest.raises(SandboxError, match=r"SERVICE \(federated queries\) is disabled.*--allow-service"):
        sandbox.check(text)
    sandbox.check(text, allow_service=True)


@pytest.mark.parametrize("text", LOCAL)
def test_service_in_a_string_comment_iri_or_name_is_not_a_service(text):
    assert not sandbox.uses_service(text)
    sandbox.check(text)


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
        "PREFIX ex: <http://e/> delete where { ?s ex:p ?o }",
        "BASE <http://e/> WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "# SELECT\nCLEAR ALL",
        "CREATE GRAPH <urn:g>",
        "DROP DEFAULT",
        "COPY DEFAULT TO <urn:g>",
        "MOVE DEFAULT TO <urn:g>",
        "ADD DEFAULT TO <urn:g>",
    ],
)
def test_updates_are_refused_as_updates(text):
    assert sandbox.is_update(text)
    with pytest.raises(SandboxError, match="updates are not allowed.*read-only.*smelterkg build"):
        sandbox.check(text, allow_service=True)


@pytest.mark.parametrize(
    "text",
    ["# INSERT DATA\nASK {}", 'SELECT ?x WHERE { BIND("DELETE" AS ?x) }', "PREFIX insert: <http://e/> SELECT * { ?s insert:x ?o }"],
)
def test_queries_are_not_updates(text):
    assert not sandbox.is_update(text)


def test_no_saved_query_is_refused():
    for saved in catalogue.saved_queries().values():
        sandbox.check(saved.text)
