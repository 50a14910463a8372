"""A synthetic Form SD corpus for benchmarks: the bundled reports' smelter rows, resampled.

The rows of the five bundled reports (read with the real parser) are the pool. Each synthetic
report gets a cover page naming a fictional filer, a reporting year (2013-2023), the due-diligence
paragraph stating its smelter counts (computed from its own table, so the stated total matches the
rows) and a tab-separated smelter table of 150-350 rows drawn from the pool with replacement,
grouped by metal as real reports are, with the column header repeated after simulated page breaks.

Realistic noise:

* ~15% of the names get one spelling change: case (UPPER/lower/Title), a legal-form variant
  ("Co., Ltd." / "Co Ltd" / "Co. Ltd." / "Company Limited", "Inc." / "Inc", "Corp." /
  "Corporation", "S.A." / "SA" ...), accents dropped, a doubled space, or a one-letter typo.
* countries in the report's own casing (UPPER or Title, chosen per report) and in several
  spellings ("KOREA, REPUBLIC OF" / "Korea (Republic of)" / "South Korea", "USA" / "United States
  of America", "Viet Nam" / "Vietnam", ...), every one of which the country gazetteer knows.
* status wording of the report's era: "Yes"/"No" (2013-2014), CFSP ("Full Compliant" /
  "Active" / "Indeterminable", 2015-2017 and some later filers) or RMI ("Conformant" / "Active" /
  "Non-Conformant", 2018 on); the pool's statuses are mapped onto that era.

Deterministic: report ``i`` of seed ``s`` depends on (s, i) only, so ``generate(n, s)`` is a
prefix of ``generate(n + k, s)``.

API:  ``generate(n, seed=0) -> Iterator[(source name, lines)]``
CLI:  ``python benchmarks/synthetic.py N OUTDIR [--seed S]`` writes N ``.txt`` files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

YEARS = range(2013, 2024)
ROWS = (150, 350)
NOISE_SHARE = 0.15
METAL_ORDER = {"Gold": 0, "Tantalum": 1, "Tin": 2, "Tungsten": 3}

FILERS = [
    "Arbordale Systems, Inc.", "Northwind Circuits Corporation", "Bluehaven Networks, Inc.",
    "Cobalt Ridge Technologies, Inc.", "Halvorsen Medical Devices Corp.", "Pinecrest Instruments, Inc.",
    "Stellan Semiconductor Corporation", "Meridian Audio Labs, Inc.", "Quarry Point Industries, Inc.",
    "Tessellate Robotics Corp.", "Larkspur Optical Company", "Granite Harbor Electronics, Inc.",
    "Vantor Automotive Systems, Inc.", "Oakmere Appliance Corporation", "Silverline Telecom Holdings, Inc.",
    "Redfern Power Solutions, Inc.", "Calloway Precision Tools Corp.", "Westbrook Data Storage, Inc.",
    "Ironwood Aerospace Corporation", "Brightwater Consumer Products, Inc.", "Kestrel Imaging Systems, Inc.",
    "Alder & Finch Jewelry Company", "Summit Lake Controls, Inc.", "Corvane Software Appliances, Inc.",
    "Halcyon Wearables, Inc.", "Marlow Industrial Sensors Corp.", "Foxglove Lighting Corporation",
    "Ashgrove Battery Technologies, Inc.", "Tidewater Marine Electronics, Inc.", "Everly Dental Systems, Inc.",
    "Juniper Falls Manufacturing Co.", "Norrland Connectors, Inc.", "Palisade Security Devices, Inc.",
    "Quillon Printing Solutions Corporation", "Rowan Hill Instruments, Inc.", "Sable Creek Components, Inc.",
    "Thornbury Gaming Hardware, Inc.", "Umbra Display Technologies Corp.", "Valemont HVAC Systems, Inc.",
    "Wexford Surgical Products, Inc.", "Yarrow Point Networks, Inc.", "Zephyr Drone Works, Inc.",
    "Brennock Tool & Die Company", "Castellan Storage Arrays, Inc.", "Dunmore Hearing Technologies, Inc.",
    "Emberline Kitchen Appliances Corp.", "Fairhaven Lab Equipment, Inc.", "Glenrock Motion Control, Inc.",
    "Hollis Bay Fiber Optics Corporation", "Innisfree Smart Home, Inc.",
]  # fmt: skip
STATES = ["Delaware", "California", "Nevada", "New York", "Texas", "Massachusetts", "Minnesota", "Ohio"]
CITIES = [
    "Foster City, California 94404", "Austin, Texas 78701", "Boston, Massachusetts 02110",
    "Minneapolis, Minnesota 55402", "Columbus, Ohio 43215", "San Jose, California 95134",
]  # fmt: skip
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

# Country spellings by ISO code; the report's casing is applied on top. Every spelling is one the
# country gazetteer resolves (checked by ``_self_check``).
COUNTRY_VARIANTS = {
    "KR": ["KOREA, REPUBLIC OF", "Korea (Republic of)", "South Korea", "Korea, Republic of", "Republic of Korea"],
    "US": ["UNITED STATES OF AMERICA", "United States", "USA"],
    "VN": ["Viet Nam", "Vietnam"],
    "RU": ["Russian Federation", "Russia"],
    "TW": ["Taiwan", "Taiwan, Province of China"],
    "BO": ["Bolivia", "Bolivia (Plurinational State of)"],
    "CZ": ["Czech Republic", "Czechia"],
}

# Legal-form variants: each group is interchangeable; the first pattern found is swapped for
# another member of its group.
LEGAL_FORMS = [
    ["Co., Ltd.", "Co Ltd", "Co. Ltd.", "Co., Ltd", "Company Limited", "CO., LTD."],
    ["Inc.", "Inc", "Incorporated"],
    ["Corp.", "Corporation", "Corp"],
    ["S.A.", "SA", "S.A"],
    ["Limited", "Ltd.", "Ltd"],
    ["GmbH", "GMBH", "G.m.b.H."],
    ["AG", "A.G."],
    ["LLC", "L.L.C."],
    ["Ltda.", "LTDA", "Ltda"],
]
_LEGAL_RE = [
    (group, re.compile(r"(?<![\w.])(" + "|".join(re.escape(f) for f in sorted(group, key=len, reverse=True)) + r")(?![\w])"))
    for group in LEGAL_FORMS
]

ERAS = {
    # scheme: (column header of the status column, compliant, active, other)
    "designation": ('"Conflict Free" Designation', "Yes", None, "No"),
    "cfsp": ("CFSP Status", "Full Compliant", "Active", "Indeterminable"),
    "rmi": ("RMI Status", "Conformant", "Active", "Non-Conformant"),
}
_COMPLIANT = {"yes", "full_compliant", "conformant"}


@dataclass(frozen=True)
class PoolRow:
    metal: str
    name: str
    code: str  # ISO alpha-2 ('' if the parser could not read the country)
    country: str  # as printed in the bundled report
    status: str  # a normalised code: compliant / active / other / '' (none printed)


@cache
def pool() -> tuple[PoolRow, ...]:
    """Every table row of the bundled reports, as the real parser reads them."""
    from smelterkg.data import bundled_reports
    from smelterkg.ingest.parse import parse_file

    rows = []
    for path in bundled_reports():
        for row in parse_file(path).rows:
            if not (row.metal and row.name):
                continue
            code = row.status_code
            status = "compliant" if code in _COMPLIANT else "active" if code == "active" else "other" if code else ""
            rows.append(PoolRow(row.metal, row.name, row.country_code, row.country, status))
    return tuple(rows)


# --- noise ------------------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _legal_variant(name: str, rng: random.Random) -> str | None:
    for group, pattern in _LEGAL_RE:
        m = pattern.search(name)
        if m:
            others = [form for form in group if form != m.group(1)]
            return name[: m.start(1)] + rng.choice(others) + name[m.end(1) :]
    return None


def _typo(name: str, rng: random.Random) -> str | None:
    spots = [m for m in re.finditer(r"[A-Za-z]{4,}", name)]
    if not spots:
        return None
    word = rng.choice(spots)
    i = rng.randrange(word.start() + 1, word.end() - 1)  # never the first letter of a word
    op = rng.choice(("swap", "drop", "double", "replace"))
    if op == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if op == "drop":
        return name[:i] + name[i + 1 :]
    if op == "double":
        return name[:i] + name[i] + name[i:]
    letter = rng.choice("aeioulnrst".replace(name[i].lower(), ""))
    return name[:i] + (letter.upper() if name[i].isupper() else letter) + name[i + 1 :]


def _case(name: str, rng: random.Random) -> str:
    return rng.choice((str.upper, str.lower, str.title))(name)


def _double_space(name: str, rng: random.Random) -> str | None:
    spaces = [i for i, c in enumerate(name) if c == " "]
    if not spaces:
        return None
    i = rng.choice(spaces)
    return name[:i] + "  " + name[i + 1 :]


def noisy_name(name: str, rng: random.Random) -> str:
    """One realistic spelling change (always a change when one applies)."""
    kinds = ["legal", "case", "typo", "space"]
    if _strip_accents(name) != name:
        kinds.append("accents")
        kinds.append("accents")
    for kind in rng.sample(kinds, len(kinds)):
        if kind == "legal":
            out = _legal_variant(name, rng)
        elif kind == "case":
            out = _case(name, rng)
        elif kind == "typo":
            out = _typo(name, rng)
        elif kind == "space":
            out = _double_space(name, rng)
        else:
            out = _strip_accents(name)
        if out and out != name:
            return out
    return name


def _title(text: str) -> str:
    """'KOREA, REPUBLIC OF' -> 'Korea, Republic of'."""
    titled = text.title().replace("’S", "’s").replace("'S", "'s")
    return titled[:1] + re.sub(r"\b(Of|The|And)\b", lambda m: m.group(1).lower(), titled[1:])


def country_text(row: PoolRow, upper: bool, rng: random.Random) -> str:
    variants = COUNTRY_VARIANTS.get(row.code)
    text = rng.choice(variants) if variants else row.country
    if upper:
        return text.upper()
    if text.isupper() and len(text) > 3:  # the pool's UPPER spellings, in Title case
        return _title(text)
    return text


# --- one report -------------------------------------------------------------------------------


def _era(year: int, rng: random.Random) -> str:
    if year <= 2014:
        return "designation"
    if year <= 2017:
        return "cfsp"
    return "rmi" if rng.random() < 0.6 else "cfsp"  # some filers kept the CFSP wording


def _status_text(status: str, era: str, rng: random.Random) -> str:
    _, compliant, active, other = ERAS[era]
    if status == "":
        return "" if rng.random() < 0.5 else other
    if status == "compliant":
        return compliant
    if status == "active":
        return active or other
    return other


def _number(n: int, rng: random.Random) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) and rng.random() < 0.7 else str(n)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def report(index: int, seed: int = 0) -> tuple[str, list[str]]:
    """Synthetic report ``index`` of ``seed``: (source file name, lines)."""
    name, lines, _ = report_with_truth(index, seed)
    return name, lines


def report_with_truth(index: int, seed: int = 0) -> tuple[str, list[str], list[tuple[str, str, str, str]]]:
    """Synthetic report ``index`` of ``seed``: (source file name, lines, truth), where truth holds,
    for each table row, (metal, name as printed, country code, name in the bundled report it was
    drawn from): what a resolution benchmark scores against."""
    rng = random.Random(f"smelterkg-synthetic:{seed}:{index}")
    rows_pool = pool()
    filer = rng.choice(FILERS)
    short = filer.split(",")[0].split(" ")[0]
    year = rng.choice(YEARS)
    era = _era(year, rng)
    upper_countries = rng.random() < 0.6
    header_status, _, _, _ = ERAS[era]
    count = rng.randint(*ROWS)
    drawn = sorted((rng.choice(rows_pool) for _ in range(count)), key=lambda r: (METAL_ORDER.get(r.metal, 9), r.name.casefold()))

    table: list[str] = []
    statuses: list[str] = []
    truth: list[tuple[str, str, str, str]] = []
    for row in drawn:
        name = noisy_name(row.name, rng) if rng.random() < NOISE_SHARE else row.name
        truth.append((row.metal, name, row.code, row.name))
        status = _status_text(row.status, era, rng)
        statuses.append(status)
        table.append("\t".join([row.metal, name, country_text(row, upper_countries, rng), status]).rstrip("\t"))

    _, compliant_word, active_word, _ = ERAS[era]
    compliant = sum(1 for s in statuses if s == compliant_word)
    active = sum(1 for s in statuses if active_word and s == active_word)
    remaining = count - compliant - active
    header = f"Metal\tSmelter or Refiner Facility Name\t{'Location' if rng.random() < 0.5 else 'Country'}\t{header_status}"

    lines = [
        "UNITED STATES",
        "SECURITIES AND EXCHANGE COMMISSION",
        "Washington, D.C. 20549",
        "",
        "FORM SD",
        "",
        "SPECIALIZED DISCLOSURE REPORT",
        "",
        filer.upper(),
        "",
        "(Exact name of registrant as specified in its charter)",
        "",
        f"{rng.choice(STATES)} (State or other jurisdiction of incorporation or organization) "
        f"001-{rng.randint(10000, 99999)} (Commission File Number)",
        "",
        f"{rng.randint(1, 9999)} {rng.choice(['Main Street', 'Technology Drive', 'Harbor Boulevard', 'Park Avenue'])}, "
        f"{rng.choice(CITIES)} (Address of principal executive offices) (Zip Code)",
        "",
        "Check the appropriate box to indicate the rule pursuant to which this form is being filed, and provide the "
        "period to which the information in this form applies:",
        "",
        f"Rule 13p-1 under the Securities Exchange Act (17 CFR 240.13p-1) for the reporting period from January 1 to "
        f"December 31, {year}.",
        "",
        "SECTION 1 – CONFLICT MINERALS DISCLOSURE",
        "",
        "Item 1.01 Conflict Minerals Disclosure and Report",
        "",
        f"{filer} Conflict Minerals Report For the Reporting Period from January 1, {year} to December 31, {year}",
        "",
        f'This Conflict Minerals Report (this "Report") of {filer} ("we," "{short}" or the "Company") has been prepared '
        'pursuant to Rule 13p-1 and Form SD (the "Rule") promulgated under the Securities Exchange Act of 1934, as '
        f'amended, for the reporting period from January 1, {year} to December 31, {year} (the "Reporting Period").',
        "",
        "Description of the Company's Reasonable Country of Origin Inquiry",
        "",
        f"We requested from our {_number(rng.randint(2, 12), rng)} contract manufacturers that they complete the CMRT, "
        "and we received a 100% response rate. Based on the smelter lists provided by our suppliers via the CMRTs, an "
        f"aggregate of {count} facilities or smelters were used by our contract manufacturers to fulfill their "
        f"requirements for Conflict Minerals. Of these {count} facilities and smelters, we have identified {compliant} "
        "facilities or smelters that are deemed to be compliant with the applicable audit program. There are "
        f'{_number(active, rng)} other smelters or refiners that are deemed "active". The remaining {remaining} '
        "facilities or smelters identified by our contract manufacturers are not on the lists for compliant or active "
        "smelters.",
        "",
        "Findings and Conclusions",
        "",
        "Based on the information that was provided by our contract manufacturers and otherwise obtained through the "
        "due diligence process, we believe that, to the extent reasonably determinable, the facilities that were used "
        "to process the Conflict Minerals contained in the Covered Products included the smelters and refiners listed "
        "in Annex I below.",
        "",
        "Annex I",
        "",
        header,
    ]
    page = rng.randint(6, 9)
    next_break = rng.randint(40, 60)
    for i, line in enumerate(table, start=1):
        lines.append(line)
        if i == next_break and i < len(table):
            lines += ["", str(page), "", header]  # a page break: number, blank, header repeated
            page += 1
            next_break += rng.randint(40, 60)
    lines += ["", str(page), ""]
    name = f"synthetic-{seed}-{index:06d}-{_slug(short)}-{year}.txt"
    return name, lines, truth


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, list[str]]]:
    """``n`` synthetic reports: (source name, lines), deterministic in ``seed``."""
    for index in range(n):
        yield report(index, seed)


def write(n: int, outdir: Path | str, seed: int = 0) -> list[Path]:
    """Write ``n`` reports as UTF-8 files into ``outdir`` (created); return their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, lines in generate(n, seed):
        path = outdir / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _self_check() -> None:
    from smelterkg.ingest.countries import country_code

    for code, variants in COUNTRY_VARIANTS.items():
        for text in variants:
            for form in (text, text.upper()):
                assert country_code(form) == code, (form, country_code(form), code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic Form SD reports resampled from the bundled ones.")
    parser.add_argument("n", type=int, metavar="N")
    parser.add_argument("outdir", type=Path, metavar="OUTDIR")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    paths = write(args.n, args.outdir, args.seed)
    print(f"wrote {len(paths)} reports to {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
