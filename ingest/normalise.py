"""Raw cell values -> normalised codes, keeping the raw value beside the code.

Countries go to ISO 3166-1 alpha-2 (``countries``); statuses go to a code in the wording era of
their report. The era is read off the report's own table: the wordings it uses decide the scheme
('Yes'/'No' -> conflict-free-designation, 'Full Compliant'/'Indeterminable' -> cfsp,
'Conformant'/'Non-Conformant' -> rmi). 'Active' exists in two eras; alone it is read by year
(CFSI became RMI in October 2017, so reports for 2018 on use RMI wording).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from smelterkg.ingest.countries import country_code
from smelterkg.ingest.vocabulary import Vocabulary, vocabulary, words

RMI_FIRST_YEAR = 2018


def normalise_country(printed: str) -> str:
    """ISO alpha-2 for a printed country, '' when it is not one country."""
    return country_code(printed) or "" if printed else ""


def status_key(printed: str) -> str:
    return " ".join(word for _, _, word in words(printed))


def report_scheme(printed_statuses: Iterable[str], year: int | None, vocab: Vocabulary | None = None) -> str:
    """The status scheme (wording era) of a report, from the wordings its table uses."""
    vocab = vocab or vocabulary()
    votes: Counter[str] = Counter()
    for printed in printed_statuses:
        schemes = {w.scheme for w in vocab.status_schemes(status_key(printed))}
        if len(schemes) == 1:
            votes[schemes.pop()] += 1
    if votes:
        return votes.most_common(1)[0][0]
    if year is None:
        return ""
    return "rmi" if year >= RMI_FIRST_YEAR else "cfsp"


def normalise_status(printed: str, scheme: str, vocab: Vocabulary | None = None) -> str:
    """The status code of a printed wording within the report's scheme ('' when unknown)."""
    vocab = vocab or vocabulary()
    wordings = vocab.status_schemes(status_key(printed))
    for wording in wordings:
        if wording.scheme == scheme:
            return wording.code
    return wordings[0].code if len(wordings) == 1 else ""


__all__ = ["normalise_country", "normalise_status", "report_scheme"]
