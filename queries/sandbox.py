"""What a user's SPARQL may do here: read the store, nothing else.

pyoxigraph (and the ``oxigraph`` server) run ``SERVICE <iri> { … }`` by sending an HTTP request
to that IRI, so a query could make this machine call any address it can reach (SSRF), and there
is no switch to turn it off. This module finds the ``SERVICE`` keyword itself, with a small
SPARQL tokenizer: comments, string literals (short and triple-quoted), ``<IRIs>``, variables,
blank node labels, prefixed names (``ex:SERVICE``) and language tags are tokens of their own, so
only a bare keyword counts. The same tokens tell an update (``INSERT``, ``DELETE``, ``LOAD``…)
from a query, to refuse it with a clear message instead of a syntax error.

``check(text)`` is used by every path that runs a user's query: ``smelterkg query`` (``-e``, a
file, a saved query) and the ``smelterkg serve`` endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

SERVICE_DISABLED = "SERVICE (federated queries) is disabled; pass --allow-service to allow it"
UPDATE_REFUSED = "updates are not allowed: the store is read-only (rebuild it with `smelterkg build`)"

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
PROLOGUE_KEYWORDS = frozenset({"BASE", "PREFIX"})

_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?#@%-]"
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | (?P<string>\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\"
               | '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
               | \"(?:[^\"\\\r\n]|\\.)*\"
               | '(?:[^'\\\r\n]|\\.)*')
    | (?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)
    | (?P<variable>[?$]\w+)
    | (?P<blank>_:\w(?:[\w.-]*[\w-])?)
    | (?P<pname>(?:[^\W\d_](?:[\w.-]*[\w-])?)?:(?:(?:[\w:]|"""
    + _PLX
    + r""")(?:(?:[\w.:-]|"""
    + _PLX
    + r""")*(?:[\w:-]|"""
    + _PLX
    + r"""))?)?)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class SandboxError(Exception):
    """A query that is not allowed here; ``str()`` is the one-line reason."""


def keywords(text: str) -> Iterator[str]:
    """The bare words of a query (keywords, ``a``, ``true``…), upper-cased, in order; never a
    word inside a comment, a string, an IRI or a prefixed name."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            yield match.group().upper()


def _unescaped(text: str) -> str:
    """The text with SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes decoded (the spec allows them
    anywhere; Oxigraph decodes them in strings and IRIs only): both readings are checked."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()

    return _CODEPOINT.sub(decode, text)


def _readings(text: str) -> list[str]:
    decoded = _unescaped(text)
    return [text] if decoded == text else [text, decoded]


def uses_service(text: str) -> bool:
    """Whether the query has a ``SERVICE`` clause (a federated query: an HTTP request)."""
    return any("SERVICE" in keywords(reading) for reading in _readings(text))


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL update: its first keyword after the prologue is an update
    operation (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``CREATE``, ``DROP``, ``COPY``,
    ``MOVE``, ``ADD``, or ``WITH`` of a modify)."""
    for reading in _readings(text):
        for word in keywords(reading):
            if word not in PROLOGUE_KEYWORDS:
                if word in UPDATE_KEYWORDS:
                    return True
                break
    return False


def check(text: str, allow_service: bool = False) -> None:
    """Raise ``SandboxError`` for an update, or for ``SERVICE`` unless ``allow_service``."""
    if is_update(text):
        raise SandboxError(UPDATE_REFUSED)
    if not allow_service and uses_service(text):
        raise SandboxError(SERVICE_DISABLED)
