"""Filer, reporting year, the smelter counts a Form SD report states in its own prose, and the
EDGAR CIK and accession number its text prints.

The filer is read, in this order, from the cover caption "(Exact name of registrant as specified
in its charter)", from ``Qualys, Inc. ("Qualys" ...)`` in the prose, from the report's title
("This Conflict Minerals Report of X, Inc. ...", "X CORP. – Conflict Minerals Report"), and from a
title-block line that is only a company name ending in a legal form. Counts: "an aggregate of /
a total of N smelters", "N ... compliant/active", "the remaining N", "we identified N smelters."
(nothing narrowing it), "N of which are conformant". A summary table's numbers are never counts.

The facts are read with rules only: a blank English spaCy pipeline (tokenizer only, no
statistical model) and ``Matcher`` rules. Nothing is guessed: a fact the
report does not state plainly stays ``None``, and every fact found carries the line and
the sentence (or phrase) that states it.

Speed (the whole parser must do >= 200 reports/s on one core, so this gets well under
1 ms): spaCy never sees the whole report. ``str.find`` over the joined text locates the
few places that can state a fact (a facility word with a number just before it, a
"reporting period"/"calendar year" phrase), only those lines are tokenized and matched,
and the scan stops as soon as every fact is known.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, count, groupby, islice
from operator import add
from typing import NamedTuple

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads in about a second: only the commands that read reports pay it
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

__all__ = ["Evidence", "ReportFacts", "extract_report_facts"]


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated."""

    line: int  # 1-based line number in the report (in the file for "header"; 0 for "file name")
    text: str  # the sentence/phrase that states the fact (<= 200 chars)
    origin: str = "text"  # "text" (the report's lines), "header" (an EDGAR submission header), "file name"


@dataclass(frozen=True)
class ReportFacts:
    """What a report says about itself; ``None`` where it does not say it."""

    filer: str | None
    year: int | None  # end year of the reporting period
    stated_total: int | None
    stated_compliant: int | None
    stated_active: int | None
    stated_remaining: int | None
    # Left out of the hash (a dict is not hashable) so the facts stay usable as keys.
    evidence: Mapping[str, Evidence] = field(hash=False)
    # EDGAR identity (None when unknown): the CIK as 10 digits, the accession as NNNNNNNNNN-YY-NNNNNN.
    cik: str | None = None
    accession: str | None = None


COUNT_FACTS = ("stated_total", "stated_compliant", "stated_active", "stated_remaining")

_EVIDENCE_MAX = 200

# --- numbers ---------------------------------------------------------------------------

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip


_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _to_int(text: str) -> int | None:
    """``"322"``, ``"1,322"``, ``"seven"``, ``"twenty-one"`` -> int; anything else -> None."""
    t = text.strip().lower()
    if t[:1].isdigit():
        return int(t.replace(",", "")) if _DIGITS.fullmatch(t) else None
    if t in _SMALL:
        return _SMALL[t]
    if t in _TENS:
        return _TENS[t]
    tens, _, unit = t.partition("-")
    if tens in _TENS and unit in _SMALL and 0 < _SMALL[unit] < 10:
        return _TENS[tens] + _SMALL[unit]
    return None


# --- cheap prefilters -----------------------------------------------------------------

# Facility words are found with str.find in the original text (lower-casing the whole
# report would cost more than everything else); the stems skip the first letter so
# "Smelters" and "smelters" both hit.
_FACILITY_STEMS = ("acilit", "melter", "efiner", "SOR")  # "SOR": "250 SORs" (smelters or refiners)
# The year phrases come early in a report, so a regex search stops soon.
_YEAR_CUE = re.compile(r"reporting\s+period|calendar\s+year|year\s+ended", re.IGNORECASE)
_REGISTRANT = re.compile(r"\(?\s*exact\s+name\s+of\s+(?:the\s+)?registrant", re.IGNORECASE)
# The same cues for lower-cased ASCII text, searched case-sensitively: Python's regex engine
# skips ahead to a literal start only without IGNORECASE (a 50 MB text: 0.04-0.3 s instead of
# 1.4-1.8 s per cue). _REGISTRANT's optional "(" and spaces are added back by _Report.cue_starts.
_YEAR_CUE_LOWER = re.compile(r"reporting\s+period|calendar\s+year|year\s+ended")
_REGISTRANT_LOWER = re.compile(r"exact\s+name\s+of\s+(?:the\s+)?registrant")
_FILER_CUE = re.compile(
    r"\b(?:Inc|Corp|Corporation|Company|Co|Ltd|Limited|LLC|plc|N\.V|S\.A|AG|SE|L\.P)"
    r"\.?\s*\(\s*[\"“]"
)
# _FILER_CUE in two steps, each fast on a long text: its "(" and quote, then the legal form ending
# right before it (the form's letters, a dot, spaces: at most _FORM_REACH characters).
_QUOTE_OPEN = re.compile(r"\(\s*[\"“]")
_FORM_BEFORE = re.compile(r"\b(?:Inc|Corp|Corporation|Company|Co|Ltd|Limited|LLC|plc|N\.V|S\.A|AG|SE|L\.P)\.?\s*\Z")
_FORM_REACH = len("Corporation.")
_WORD_EDGES = "\"'“”‘’()[],;:.*_"
# "This Conflict Minerals Report of Example Widgets, Inc. is ..." and "ACME CORP. – Conflict Minerals Report".
_REPORT_TITLE = re.compile(r"conflict\s+minerals\s+report", re.IGNORECASE)
_REPORT_TITLE_LOWER = re.compile(r"conflict\s+minerals\s+report")
# A line that ends with a legal form: the only first-page lines tokenized to look for a company line.
_ENDS_WITH_FORM = re.compile(
    r"\b(?:Inc|Corp|Corporation|Company|Co|Ltd|Limited|LLC|plc|N\.V|S\.A|AG|SE|L\.P|Incorporated)\.?\W*\Z", re.IGNORECASE
)
_YEAR_REACH = 100  # a year phrase ("reporting period from September 30, 2016 to ...") is shorter than this
_NAME_REACH = 120  # "Conflict Minerals Report of <name>, Inc.": the name may wrap onto the next line
_FIRST_PAGE_LINES = 12  # non-empty lines read for a standalone company line (the title block)
_TITLE_BLOCK_ENDS = ("melter", "MELTER", "efiner", "EFINER", "acilit", "ACILIT")  # a line naming facilities ends it
_TITLE_LINES = 20  # lines holding "Conflict Minerals Report" read for a name stated with it
# The EDGAR identity a cover page or a pasted submission header prints. "Commission File Number" is not
# the CIK and is never read as one.
_CIK_CUES = ("central index key", "cik")
_CIK_AT = re.compile(r"(?:central\s+index\s+key|cik)(?:\s*\(cik\))?(?:\s*(?:no\.?|number|#))?\s*[:#.-]?\s*([0-9]{1,10})(?![0-9-])")
_ACCESSION_CUE = "accession n"
_IDENTITY_HITS = 200  # a cover or header prints them early: at most this many mentions of each are examined
_ACCESSION_AT = re.compile(r"accession\s+(?:number|no\.?)\s*[:#.-]?\s*([0-9]{10}-[0-9]{2}-[0-9]{6})(?![0-9])")


def _positions(text: str, needle: str) -> Iterator[int]:
    """Offsets of ``needle`` in ``text``, lazily and in order (C-speed ``str.find``)."""
    i = text.find(needle)
    while i != -1:
        yield i
        i = text.find(needle, i + 1)


def _number_just_before(text: str, pos: int) -> bool:
    """Whether one of the three words before ``pos`` looks like a number: "322
    facilities", "seven more smelters" (three words cover the optional modifier)."""
    for word in text[max(0, pos - 40) : pos].split()[-3:]:
        w = word.strip(_WORD_EDGES).lower()
        if w[:1].isdigit() or w in _SMALL or w.partition("-")[0] in _TENS:
            return True
    return False


_MARKDOWN = re.compile(r"\*\*|__|^\s*#+\s*|\\(?=[^\w\s])")


def _clean(line: str) -> str:
    """Drop markdown emphasis/heading marks and normalise whitespace."""
    if "*" in line or "_" in line or "#" in line or "\\" in line:
        line = _MARKDOWN.sub("", line)
    return " ".join(line.split())


# --- the spaCy pipeline ----------------------------------------------------------------

_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.",
    "nov.", "dec.",
]  # fmt: skip
_FACILITY_NOUNS = [
    "facility", "facilities", "smelter", "smelters", "refiner", "refiners",
    "refinery", "refineries", "sor", "sors",
]  # fmt: skip
# Words allowed between the number and the facility noun ("seven more smelters").
_MODIFIERS = [
    "more", "other", "additional", "unique", "distinct", "different", "identified",
    "known", "compliant", "conformant", "active", "remaining", "smelting", "processing",
]  # fmt: skip
_LEGAL_FORMS = [
    "inc.", "inc", "incorporated", "corp.", "corp", "corporation", "company", "co.",
    "ltd.", "ltd", "limited", "llc", "plc", "n.v.", "s.a.", "ag", "se", "l.p.",
]  # fmt: skip

# Counts stated in other words, as rule data (each a Matcher pattern family; see _rules):
# "We identified 318 smelters." / "our suppliers identified 6 smelters and refiners in our supply chain":
# a verb of finding right before the number states the total, when nothing after the noun narrows it
# (the noun phrase ends the clause, or "in our supply chain" follows); "identified 3 smelters located in
# Covered Countries" is not a total.
_FOUND_VERBS = ["identified", "reported"]
_CLAUSE_ENDS = [".", ",", ";", ":"]
_SUPPLY_CHAIN = [{"LOWER": "in"}, {"LOWER": {"IN": ["our", "its", "the", "their"]}}, {"LOWER": "supply"},
                 {"LOWER": {"IN": ["chain", "chains"]}}]  # fmt: skip
# "250 of which are conformant", "of which 7 were active": the count of a status among facilities named
# just before (the line must have a facility count to be read at all).
_OF_WHICH_STATUS = {"conformant": "stated_compliant", "compliant": "stated_compliant", "active": "stated_active"}
_OF_WHICH_ADVERBS = ["deemed", "considered", "currently", "now", "fully", "rmi"]
# The words without which neither family can match: the matcher only runs on a few tokens around them
# (a bundled report's counts paragraph is a 1,000-token line).
_OTHER_WORDING_ANCHORS = [*_FOUND_VERBS, "which"]
_ANCHOR_REACH = (5, 14)  # tokens before/after an anchor that the longest pattern can span

_BACK_REFERENCE = {"these", "those", "such"}  # "Of these 322 facilities": a restatement
_NEGATION = {"not", "n't", "no", "non", "never"}
_LEFT_WINDOW = 4  # tokens before the number kept in a clipped evidence phrase
_RIGHT_WINDOW = 12  # tokens after the facility noun searched for "compliant"/"active"


class _Rules(NamedTuple):
    nlp: Language
    year: Matcher  # PERIOD and CALENDAR_YEAR
    count: Matcher  # a number + facility noun (COUNT)
    other: Matcher  # "identified N smelters." (FOUND), "N of which are conformant" (OF_WHICH)
    filer: Matcher  # fallback: Qualys, Inc. ("Qualys" ...)
    period_id: int
    found_id: int
    of_which_id: int
    company: Matcher  # COMPANY (a whole line), REPORT_OF, TITLED: names stated around the report's title
    company_labels: dict[int, str]


@cache
def _rules() -> _Rules:
    """The blank English pipeline and the rules; built once, on first use.

    One matcher per fact family, so a line is only run through the rules its cue asked
    for (the FILER regex predicate in particular is costly on every token).
    """
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    month = {"LOWER": {"IN": _MONTHS}}
    day = {"IS_DIGIT": True}
    year = {"SHAPE": "dddd"}
    comma = {"ORTH": ","}
    to = {"LOWER": {"IN": ["to", "through", "until", "-", "–", "—"]}}

    year_m = Matcher(nlp.vocab)
    year_m.add(
        "PERIOD",  # "reporting period (from) January 1(, 2017) to December 31, 2017"
        [
            [{"LOWER": "reporting"}, {"LOWER": "period"}, {"LOWER": "from", "OP": "?"},
             month, day, {**comma, "OP": "?"}, {**year, "OP": "?"}, to,
             month, day, comma, year],
        ],
    )  # fmt: skip
    year_m.add(
        "CALENDAR_YEAR",  # "calendar year 2013", "the year ended December 31, 2013"
        [
            [{"LOWER": "calendar"}, {"LOWER": "year"}, year],
            [{"LOWER": "year"}, {"LOWER": "ended"}, month, day, comma, year],
        ],
    )

    count_m = Matcher(nlp.vocab)
    number = {"LIKE_NUM": True}
    tail = [{"LOWER": {"IN": _MODIFIERS}, "OP": "?"}, {"LOWER": {"IN": _FACILITY_NOUNS}}]
    count_m.add(
        "COUNT",
        [[number, *tail], [number, {"ORTH": "-"}, number, *tail]],
        greedy="LONGEST",  # "twenty-one smelters" over "one smelters"
    )
    noun = {"LOWER": {"IN": _FACILITY_NOUNS}}
    noun_phrases = [tail, [*tail, {"LOWER": {"IN": ["and", "or"]}}, noun]]  # "smelters and refiners"
    ends = [[{"ORTH": {"IN": _CLAUSE_ENDS}}], _SUPPLY_CHAIN]
    other_m = Matcher(nlp.vocab)  # only run on lines holding one of its words (_OTHER_WORDING_CUES)
    other_m.add(
        "FOUND",
        [[{"LOWER": {"IN": _FOUND_VERBS}}, number, *phrase, *end] for phrase in noun_phrases for end in ends],
        greedy="LONGEST",
    )
    be = {"LOWER": {"IN": ["are", "were", "is", "was"]}}
    adverb = {"LOWER": {"IN": _OF_WHICH_ADVERBS}, "OP": "?"}
    status = {"LOWER": {"IN": list(_OF_WHICH_STATUS)}}
    of_which = [{"LOWER": "of"}, {"LOWER": "which"}]
    numbers = [[number], [number, {"ORTH": "-"}, number]]  # "250", "twenty - one"
    other_m.add(
        "OF_WHICH",
        [[*n, *of_which, be, adverb, status] for n in numbers] + [[*of_which, *n, be, adverb, status] for n in numbers],
        greedy="LONGEST",
    )

    filer_m = Matcher(nlp.vocab)
    filer_m.add(
        "FILER",
        [
            [{"TEXT": {"REGEX": r"^(?:[A-Z][\w&'.-]*|\d+[A-Za-z][\w&]*)$"}, "OP": "+"},
             {**comma, "OP": "?"}, {"LOWER": {"IN": _LEGAL_FORMS}},
             {"ORTH": "("}, {"IS_QUOTE": True}],
        ],
        greedy="LONGEST",
    )  # fmt: skip
    name = {"TEXT": {"REGEX": r"^(?:[A-Z][\w&'.-]*|\d+[A-Za-z][\w&]*|&)$"}, "OP": "+"}
    form = [{**comma, "OP": "?"}, {"LOWER": {"IN": _LEGAL_FORMS}}, {"ORTH": ".", "OP": "?"}]
    title = [{"LOWER": "conflict"}, {"LOWER": "minerals"}, {"LOWER": "report"}]
    company_m = Matcher(nlp.vocab)
    company_m.add("COMPANY", [[name, *form]], greedy="LONGEST")  # a line that is only this
    company_m.add(
        "REPORT_OF",  # "Conflict Minerals Report of X, Inc." / "... Report of X (the "Company")"
        [[*title, {"LOWER": "of"}, name, *form],
         [*title, {"LOWER": "of"}, name, {"ORTH": "("}, {"LOWER": "the", "OP": "?"}, {"IS_QUOTE": True}]],
        greedy="LONGEST",
    )  # fmt: skip
    company_m.add(
        "TITLED",  # "X CORP. Conflict Minerals Report", "X LTD. – CONFLICT MINERALS REPORT"
        [[name, *form, {"ORTH": {"IN": ["-", "–", "—", ":", "|"]}, "OP": "?"}, *title]],
        greedy="LONGEST",
    )
    strings = nlp.vocab.strings
    return _Rules(
        nlp, year_m, count_m, other_m, filer_m, strings["PERIOD"], strings["FOUND"], strings["OF_WHICH"], company_m,
        {strings[k]: k for k in ("COMPANY", "REPORT_OF", "TITLED")},
    )


def _sentence_ends(doc: Doc) -> list[int]:
    """Token indices just after each ".", "!" or "?" token.

    Cheaper than a sentencizer pass: one vectorised look at the token ids. "Inc." and
    "U.S." are single tokens, so abbreviations do not end sentences.
    """
    import numpy
    from spacy.attrs import ORTH

    orth = doc.to_array(ORTH)
    stop, bang, ask = _sentence_end_ids(doc.vocab)
    return (numpy.flatnonzero((orth == stop) | (orth == bang) | (orth == ask)) + 1).tolist()


@cache
def _sentence_end_ids(vocab: Vocab) -> tuple[int, int, int]:
    stop, bang, ask = (vocab.strings.add(p) for p in (".", "!", "?"))
    return stop, bang, ask


def _other_wording(doc: Doc) -> list[tuple[int, int, int]]:
    """The FOUND and OF_WHICH matches of ``doc``, found in small windows around their anchor words."""
    import numpy
    from spacy.attrs import LOWER

    anchors = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _anchor_ids(doc.vocab))).tolist()
    before, after = _ANCHOR_REACH
    found: set[tuple[int, int, int]] = set()
    for t in anchors:
        window = doc[max(0, t - before) : t + after]
        found.update((m, window.start + s, window.start + e) for m, s, e in _rules().other(window))
    return sorted(found, key=lambda m: (m[1], m[2]))


@cache
def _anchor_ids(vocab: Vocab) -> list[int]:
    return [vocab.strings.add(word) for word in _OTHER_WORDING_ANCHORS]


def _sentence(doc: Doc, ends: list[int], start: int) -> Span:
    """The sentence holding token ``start``, without leading stray punctuation."""
    k = bisect_right(ends, start)
    a = ends[k - 1] if k else 0
    b = ends[k] if k < len(ends) else len(doc)
    while a < start and doc[a].is_punct:  # the '"' after '."' belongs to the sentence before
        a += 1
    return doc[a:b]


def _evidence(line: int, sent: Span, phrase: Span) -> Evidence:
    """The sentence if it fits in 200 chars, else a word-aligned stretch of it that does
    and still holds ``phrase`` (the number and its cue), marked with ellipses."""
    text = sent.text
    if len(text) <= _EVIDENCE_MAX:
        return Evidence(line, text)
    p0, p1 = phrase.start_char - sent.start_char, phrase.end_char - sent.start_char
    budget = _EVIDENCE_MAX - 2  # room for an ellipsis at each end
    a = 0 if p1 <= budget else min(p0, p1 - budget)  # keep the opening words if we can
    if a > 0 and not text[a - 1].isspace():
        a = min(p0, text.find(" ", a) + 1 or p0)
    b = min(len(text), a + budget)
    if b < len(text):
        cut = text.rfind(" ", max(a, p1), b + 1)
        b = cut if cut > 0 else b
    clipped = ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")
    return Evidence(line, clipped[:_EVIDENCE_MAX])


def _classify(doc: Doc, start: int, end: int, lo: int, hi: int) -> tuple[str, int] | None:
    """Which count the number span ``doc[start:end]`` states, and where its cue ends.

    Total and remaining are read from the words right before the number ("an aggregate
    of 322", "the remaining 63"), so "in the aggregate, 3 smelters" is not a total;
    compliant and active from the words after it. ``lo``/``hi`` bound the context: the
    sentence, cut at the neighbouring counts, so in "Of these 322 facilities ..., we
    have identified 252 facilities ... compliant" the word "compliant" is read for 252
    only (and 322, a restatement after "these", is skipped anyway).
    """
    prev = [t.lower_ for t in doc[max(lo, start - 2) : start]]
    if prev[-1:] and prev[-1] in _BACK_REFERENCE:
        return None
    if prev in (["aggregate", "of"], ["total", "of"]):
        return "stated_total", end
    if prev[-1:] == ["remaining"]:
        return "stated_remaining", end
    for tok in doc[start : min(hi, end + _RIGHT_WINDOW)]:
        word = tok.lower_
        if word in _NEGATION:
            return None
        if word in ("compliant", "conformant"):
            return "stated_compliant", tok.i + 1
        if word == "active":
            return "stated_active", tok.i + 1
        if word == "remaining" and tok.i < end:  # "63 remaining smelters"
            return "stated_remaining", end
    return None


def _of_which(doc: Doc, start: int, end: int) -> tuple[int | None, tuple[str, int]]:
    """The value and fact of an OF_WHICH match ("250 of which are conformant"): the status word ends it."""
    first = next(t.i for t in doc[start:end] if t.like_num)
    last = first + 2 if first + 2 < end and doc[first + 1].text == "-" and doc[first + 2].like_num else first
    return _to_int(doc[first : last + 1].text.replace(" ", "")), (_OF_WHICH_STATUS[doc[end - 1].lower_], end)


def _name(line: str) -> str:
    """A cover-page line as a name: markdown, table pipes and rules dropped."""
    return _clean(line).strip(" |-=_")


def _filer_from_cover(report: _Report) -> tuple[str, Evidence] | None:
    """The name printed above "(Exact name of registrant as specified in its charter)"
    (or before it on the same line)."""
    lines = report.lines
    for start in report.cue_starts(_REGISTRANT, _REGISTRANT_LOWER, back_over="("):
        i = report.line_of(start)
        m = _REGISTRANT.search(lines[i])
        if not m:  # the phrase ran across a line break
            continue
        same_line = _name(lines[i][: m.start()])
        if any(c.isalnum() for c in same_line):
            return same_line, Evidence(i + 1, same_line[:_EVIDENCE_MAX])
        for j in range(i - 1, max(-1, i - 6), -1):  # skip blanks and "---" rules
            name = _name(lines[j])
            if any(c.isalnum() for c in name):
                return name, Evidence(j + 1, name[:_EVIDENCE_MAX])
        return None
    return None


def _filer_from_prose(report: _Report) -> tuple[str, Evidence] | None:
    """Fallback: ``Qualys, Inc. ("Qualys" or the "Company")`` in the body text."""
    rules = _rules()
    for start in report.filer_cues():
        i = report.line_of(start)
        doc = rules.nlp.make_doc(_clean(report.lines[i]))
        spans = [(s, e) for _, s, e in rules.filer(doc)]
        if spans:
            s, e = min(spans)
            name = doc[s : e - 2].text  # without the '(' and the quote
            return name, Evidence(i + 1, name[:_EVIDENCE_MAX])
    return None


def _company_match(report: _Report, i: int, label: str, wrapped: bool = False) -> tuple[str, Evidence] | None:
    """The name a ``label`` rule (``_rules().company``) reads from line ``i`` (and the next, when
    ``wrapped``); COMPANY and TITLED only from the line's start (COMPANY: the whole line)."""
    rules = _rules()
    doc = rules.nlp.make_doc(report.wrapped(i) if wrapped else _clean(report.lines[i]))
    for mid, s, e in sorted(rules.company(doc), key=lambda m: m[1]):
        kind = rules.company_labels[mid]
        if kind != label or (kind != "REPORT_OF" and s != 0) or (kind == "COMPANY" and e != len(doc)):
            continue
        span = doc[s:e]
        if kind == "REPORT_OF":
            span = doc[s + 4 : e]  # after "Conflict Minerals Report of"
            while span and (span[-1].text in ("(", "the") or span[-1].is_quote):
                span = span[:-1]
        elif kind == "TITLED":
            span = doc[s : e - 3]
            while span and span[-1].text in ("-", "–", "—", ":", "|"):
                span = span[:-1]
        name = span.text
        if name.endswith(" ."):  # "INC ." as tokens: the dot belongs to the legal form
            name = name[:-2] + "."
        return name, Evidence(i + 1, name[:_EVIDENCE_MAX])
    return None


def _filer_from_title(report: _Report) -> tuple[str, Evidence] | None:
    """``This Conflict Minerals Report of Example Widgets, Inc. is ...`` or ``ACME CORP. – Conflict
    Minerals Report`` (the name ending in a legal form, at the start of its line)."""
    titled: tuple[str, Evidence] | None = None
    last, lines_seen = -1, 0
    for start in report.cue_starts(_REPORT_TITLE, _REPORT_TITLE_LOWER):
        i = report.line_of(start)
        if i == last:
            continue
        last, lines_seen = i, lines_seen + 1
        if lines_seen > _TITLE_LINES:
            break  # the title states the name early; a text repeating the phrase is not read to its end
        line = report.lines[i]
        wrapped = report.runs_on(i, start, len("conflict minerals report of"))  # the title wraps
        after = report.text[start : start + 40].lower().split()
        if after[3:4] == ["of"]:
            found = _company_match(report, i, "REPORT_OF", wrapped or report.runs_on(i, start, _NAME_REACH))
            if found:
                return found
        before = line[: start - report.line_start(i)].rstrip(" -–—:|")
        if titled is None and _ENDS_WITH_FORM.search(before):
            titled = _company_match(report, i, "TITLED", wrapped)
    return titled


def _filer_from_first_page(report: _Report) -> tuple[str, Evidence] | None:
    """A line of the title block that is only a company name ending in a legal form
    (``LONGWAY DEVICES, INC.``, ``SAMPLE DEVICES CORPORATION``). The title block ends at the first
    table row (a tab) or line naming facilities: a smelter list's names are not the filer."""
    seen = 0
    for i, line in enumerate(report.lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _FIRST_PAGE_LINES or "\t" in line or any(stem in line for stem in _TITLE_BLOCK_ENDS):
            return None
        if len(line) <= _EVIDENCE_MAX and _ENDS_WITH_FORM.search(line):
            found = _company_match(report, i, "COMPANY")
            if found:
                return found
    return None


def _find_identity(report: _Report) -> dict[str, tuple[str, Evidence]]:
    """The CIK ("CIK: 320193", "Central Index Key: 0000320193", "CENTRAL INDEX KEY:") and accession
    number ("ACCESSION NUMBER: 0000320193-24-000012") the text prints; the first of each, with its line."""
    found: dict[str, tuple[str, Evidence]] = {}
    lower = report.lower
    for cue in _CIK_CUES:
        for pos in islice(_positions(lower, cue), _IDENTITY_HITS):
            if pos and lower[pos - 1].isalnum():
                continue  # inside a word ("Cikarang")
            m = _CIK_AT.match(lower, pos)
            if m:
                i = report.line_of(pos)
                text = " ".join(report.text[pos : m.end()].split())
                found["cik"] = m.group(1).zfill(10), Evidence(i + 1, text)
                break
        if "cik" in found:
            break
    for pos in islice(_positions(lower, _ACCESSION_CUE), _IDENTITY_HITS):
        m = _ACCESSION_AT.match(lower, pos)
        if m and not (pos and lower[pos - 1].isalnum()):
            i = report.line_of(pos)
            found["accession"] = m.group(1), Evidence(i + 1, " ".join(report.text[pos : m.end()].split()))
            break
    return found


class _Report:
    """The lines joined once, with offset -> line lookup and a per-line ``Doc`` cache."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.text = "\n".join(lines)
        # Line i starts at (sum of the lengths before it) + i; built from C-level
        # iterators because a Python loop over every line costs more than the rest.
        self._starts = list(map(add, accumulate(map(len, lines), initial=0), count()))
        self._docs: dict[int, tuple[Doc, list[int]]] = {}
        self._lower: str | None = None

    def cue_starts(self, cue: re.Pattern[str], lower_cue: re.Pattern[str], back_over: str = "") -> Iterator[int]:
        """Start offsets of the case-insensitive ``cue``'s matches, left to right. ASCII text is
        searched lower-cased with ``lower_cue`` (the same pattern without its optional leading
        spaces and ``back_over`` character), and each start is moved back over those, so the
        offsets are the ones ``cue.finditer`` gives."""
        if not self.text.isascii():
            yield from (m.start() for m in cue.finditer(self.text))
            return
        text, floor = self.text, 0
        for m in lower_cue.finditer(self.lower):
            start = m.start()
            if back_over:
                while start > floor and text[start - 1].isspace():
                    start -= 1
                if start > floor and text[start - 1] == back_over:
                    start -= 1
            floor = m.end()
            yield start

    def filer_cues(self) -> Iterator[int]:
        """Start offsets of :data:`_FILER_CUE`'s matches, as its ``finditer`` gives them: each
        ``("`` is found first, then the legal form right before it is checked (scanning for the
        alternation at every offset costs 1 s per 50 MB)."""
        text, floor = self.text, 0
        for m in _QUOTE_OPEN.finditer(text):
            end = m.start()
            while end > floor and text[end - 1].isspace():
                end -= 1
            form = _FORM_BEFORE.search(text, max(floor, end - _FORM_REACH), m.start())
            if form is not None:
                floor = m.end()
                yield form.start()

    @property
    def lower(self) -> str:
        """The text lower-cased (computed once: lower-casing 50 MB costs a tenth of a second)."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def line_start(self, i: int) -> int:
        """Offset in ``text`` where line ``i`` starts."""
        return self._starts[i]

    def line_of(self, pos: int) -> int:
        """0-based line holding offset ``pos`` of ``text``."""
        return bisect_right(self._starts, pos) - 1

    def doc(self, i: int, wrapped: bool = False) -> tuple[Doc, list[int]]:
        """Line ``i`` cleaned and tokenized, with its sentence ends; ``wrapped``: line ``i`` and the
        next one as one line (a sentence a PDF or text dump wrapped)."""
        key = -i - 1 if wrapped else i
        if key not in self._docs:
            text = self.wrapped(i) if wrapped else _clean(self.lines[i])
            doc = _rules().nlp.make_doc(text)
            self._docs[key] = doc, _sentence_ends(doc)
        return self._docs[key]

    def wrapped(self, i: int) -> str:
        """Line ``i`` and the next as one cleaned line."""
        return _clean(self.lines[i] + " " + self.lines[i + 1]) if i + 1 < len(self.lines) else _clean(self.lines[i])

    def runs_on(self, i: int, pos: int, reach: int) -> bool:
        """Whether a phrase starting at ``pos`` on line ``i`` may run onto the next line: it starts
        within ``reach`` characters of the line's end and the next line has text."""
        nxt = i + 1
        return nxt < len(self.lines) and self._starts[nxt] - pos <= reach and bool(self.lines[nxt].strip())


def _find_year(report: _Report) -> tuple[int, Evidence] | None:
    """End year of the first reporting-period phrase; else of the first "calendar year
    2013" / "year ended December 31, 2013"."""
    rules = _rules()
    fallback: tuple[int, Evidence] | None = None
    last = -1
    for start in report.cue_starts(_YEAR_CUE, _YEAR_CUE_LOWER):
        i = report.line_of(start)
        if i == last:
            continue
        last = i
        doc, ends = report.doc(i)
        matches = rules.year(doc)
        if not matches and report.runs_on(i, start, _YEAR_REACH):  # "... January 1 to December" / "31, 2021."
            doc, ends = report.doc(i, wrapped=True)
            matches = rules.year(doc)
        for mid, start, end in sorted(matches, key=lambda m: m[1]):
            year = _to_int(doc[end - 1].text)  # None for "²⁰¹⁷"-like shapes int() rejects
            if year is None or not 1990 <= year <= 2100:
                continue
            ev = _evidence(i + 1, _sentence(doc, ends, start), doc[start:end])
            if mid == rules.period_id:
                return year, ev
            fallback = fallback or (year, ev)
    return fallback


def _find_counts(report: _Report) -> dict[str, tuple[int, Evidence]]:
    """The first statement of each count, read from lines where a facility word has a
    number just before it."""
    rules = _rules()
    found: dict[str, tuple[int, Evidence]] = {}
    hits = heapq.merge(*(_positions(report.text, stem) for stem in _FACILITY_STEMS))
    for i, line_hits in groupby(hits, key=report.line_of):
        if not any(_number_just_before(report.text, p - 1) for p in line_hits):
            continue
        doc, ends = report.doc(i)
        matches = rules.count(doc) + _other_wording(doc)
        # "identified N smelters." : the numbers (their first token) whose count is a total when
        # nothing else classifies it
        found_totals = {s + 1 for m, s, _ in matches if m == rules.found_id}
        of_which = {s: e for m, s, e in matches if m == rules.of_which_id}
        counts = sorted({(s, e) for m, s, e in matches if m != rules.found_id})
        for k, (start, end) in enumerate(counts):
            sent = _sentence(doc, ends, start)
            # the context of a count stops at its neighbours (see _classify)
            lo = max(sent.start, counts[k - 1][1] if k else 0)
            hi = min(sent.end, counts[k + 1][0] if k + 1 < len(counts) else len(doc))
            if start in of_which:
                value, kind = _of_which(doc, start, end)
            else:
                # the number is what precedes the noun and its optional modifier
                num_end = end - 2 if doc[end - 2].lower_ in _MODIFIERS else end - 1
                value = _to_int(doc[start:num_end].text)
                kind = _classify(doc, start, end, lo, hi) if value is not None else None
                if kind is None and value is not None and start in found_totals:
                    kind = "stated_total", end
            if value is None or kind is None or kind[0] in found:
                continue
            fact, cue_end = kind
            phrase = doc[max(lo, start - _LEFT_WINDOW) : max(end, cue_end)]
            found[fact] = value, _evidence(i + 1, sent, phrase)
        if len(found) == len(COUNT_FACTS):
            break  # the rest of the report (the smelter table) is never searched
    return found


def extract_report_facts(lines: Sequence[str]) -> ReportFacts:
    """Read the filer, reporting year and stated smelter counts from a report's lines.

    The year comes from the reporting-period phrase (its end year); "calendar year 2013"
    or "year ended December 31, 2013" is used only when no such phrase exists, and bare
    years ("In 2014, we publicly filed ...") never count. Each count is the first
    statement of it in the report. Only lines a cheap cue points at are tokenized.
    """
    report = _Report(lines)
    found = _find_counts(report)
    year = _find_year(report)
    if year is not None:
        found["year"] = year
    filer = _filer_from_cover(report) or _filer_from_prose(report) or _filer_from_title(report) or _filer_from_first_page(report)
    identity = _find_identity(report)
    evidence = {k: found[k][1] for k in ("year", *COUNT_FACTS) if k in found}
    if filer is not None:
        evidence = {"filer": filer[1], **evidence}
    evidence.update({k: identity[k][1] for k in ("cik", "accession") if k in identity})

    def value(key: str) -> int | None:
        return found[key][0] if key in found else None

    return ReportFacts(
        filer=filer[0] if filer else None,
        year=value("year"),
        stated_total=value("stated_total"),
        stated_compliant=value("stated_compliant"),
        stated_active=value("stated_active"),
        stated_remaining=value("stated_remaining"),
        evidence=evidence,
        cik=identity["cik"][0] if "cik" in identity else None,
        accession=identity["accession"][0] if "accession" in identity else None,
    )
