"""Write the CMRT-like test workbooks under tests/data/cmrt/ (run from the repository root).

Nothing here is copied from a real CMRT: the smelters, IDs (CID9xxxxx), companies and people are
invented. The workbooks have the shape of RMI's template (sheet order, the order of the smelter
table columns, the Declaration's label/answer columns and scope choices, a Revision history), so
the reader is tested on the structure it relies on:

* ``cmrt_en.xlsx`` - release 6.31 shape, English headers, filled Declaration with real-looking
  (fake) contact data NOT redacted, a Smelter List with every kind of row (see ROWS below);
* ``cmrt_garbled.xlsx`` - the same data with every header, label and sheet name replaced by
  garbled text (a UI language the reader does not know), the effective date typed as text;
* ``cmrt_old_layout.xlsx`` - the columns in the positions of an older release: no ID input column
  on the Smelter List (metal in column A), the look-up shifted right by one column, headers on
  other rows, release 5.12;
* malformed files: ``not_cmrt.xlsx`` (an ordinary sales workbook), ``encrypted.xlsx`` (an OLE2
  compound file holding EncryptionInfo + EncryptedPackage, as Excel writes a password-protected
  workbook), ``truncated.xlsx`` (the first half of cmrt_en.xlsx), ``old_binary.xls`` (an OLE2
  compound file with a Workbook stream, as Excel 97-2003 writes), ``no_workbook.xlsx`` (a ZIP
  without xl/workbook.xml).

The files are deterministic (fixed timestamps) so rerunning the script changes nothing.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

OUT = Path("tests/data/cmrt")
FIXED = datetime(2026, 1, 1)

# --- invented reference data -------------------------------------------------------------
# (metal, look-up name, standard name, country, CID, source, street, city, state)
LOOKUP = [
    ("Gold", "Aurora Bullion Refining AG", "Aurora Bullion Refining AG", "SWITZERLAND", "CID900001", "RMI", "", "Mendrisio", "Ticino"),
    ("Gold", "Aurora Refinery", "Aurora Bullion Refining AG", "SWITZERLAND", "CID900001", "RMI", "", "Mendrisio", "Ticino"),
    ("Gold", "Kitami Precious Metal Co., Ltd.", "Kitakin Co., Ltd.", "JAPAN", "CID900002", "RMI", "", "Kitami", "Hokkaido"),
    ("Gold", "Kitakin Co., Ltd.", "Kitakin Co., Ltd.", "JAPAN", "CID900002", "RMI", "", "Kitami", "Hokkaido"),
    ("Gold", "Smelter not listed", "", "", "", "", "", "", ""),
    ("Gold", "Smelter not yet identified", "Unknown", "Unknown", "", "", "", "", ""),
    ("Tantalum", "Lumen Tantalum Materials Co., Ltd.", "Lumen Tantalum Materials Co., Ltd.", "CHINA", "CID900010", "RMI", "", "Jiujiang", "Jiangxi Sheng"),
    ("Tantalum", "Smelter not listed", "", "", "", "", "", "", ""),
    ("Tantalum", "Smelter not yet identified", "Unknown", "Unknown", "", "", "", "", ""),
    ("Tin", "PT Bukit Contoh", "PT Bukit Contoh Tbk", "INDONESIA", "CID900020", "RMI", "", "Pangkalpinang", "Kepulauan Bangka Belitung"),
    ("Tin", "Bukit Contoh Kundur", "PT Bukit Contoh Tbk", "INDONESIA", "CID900020", "RMI", "", "Pangkalpinang", "Kepulauan Bangka Belitung"),
    ("Tin", "Rio Exemplo Estanho Ltda.", "Rio Exemplo Estanho Ltda.", "BRAZIL", "CID900021", "", "", "Ariquemes", "Rondônia"),
    ("Tin", "Smelter not listed", "", "", "", "", "", "", ""),
    ("Tin", "Smelter not yet identified", "Unknown", "Unknown", "", "", "", "", ""),
    ("Tungsten", "Nordwolfram GmbH", "Nordwolfram GmbH", "GERMANY", "CID900030", "RMI", "", "Goslar", "Niedersachsen"),
    ("Tungsten", "Nordwolfram", "Nordwolfram GmbH", "AUSTRIA", "CID900030", "RMI", "", "Goslar", "Niedersachsen"),  # conflicting country
    ("Tungsten", "Orphan Tungsten Works", "Orphan Tungsten Works", "CHINA", "", "RMI", "", "Ganzhou", "Jiangxi Sheng"),  # no CID
    ("Tungsten", "Smelter not listed", "", "", "", "", "", "", ""),
    ("Tungsten", "Smelter not yet identified", "Unknown", "Unknown", "", "", "", "", ""),
]

# Fake personal data: must never come out of the reader.
PEOPLE = {
    "contact": "Maria Ortega-Lindqvist",
    "contact_email": "maria.ortega@acme-metals.example",
    "contact_phone": "+1 (480) 555-0142",
    "authorizer": "Jonathan P. Whitaker",
    "authorizer_title": "Director Supply Chain Compliance",
    "authorizer_email": "j.whitaker@acme-metals.example",
    "authorizer_phone": "+1 (480) 555-0199",
    "smelter_contact": "Chen Xiaoming",
    "smelter_contact_email": "chen.xm@lumen-tantalum.example",
}

# Smelter List rows: (id input, metal, look-up, name, country, CID, source, street, city, state,
# smelter contact, smelter contact e-mail, mine, mine country, recycled, comments)
P = PEOPLE
ROWS = [
    ("CID900001", "Gold", "Aurora Bullion Refining AG", "", "SWITZERLAND", "CID900001", "RMI", 0, "Mendrisio", "Ticino", "", "", "", "", "", ""),
    ("", "Gold", "Kitami Precious Metal Co., Ltd.", "", "JAPAN", "CID900002", "RMI", 0, "Kitami", "Hokkaido", "", "", "", "", "", ""),
    ("CID900010", "Tantalum", "Lumen Tantalum Materials Co., Ltd.", "", "CHINA", "", "RMI", 0, "Jiujiang", "Jiangxi Sheng", P["smelter_contact"], P["smelter_contact_email"], "Example Mine", "RWANDA", "No", "via distributor"),
    ("", "Tin", "Smelter not listed", "Pulau Contoh Smelting", "MALAYSIA", "", "", "", "Butterworth", "Pulau Pinang", "", "", "", "", "", ""),
    ("", "Tin", "Smelter not yet identified", "Unknown", "Unknown", "", "", "", "", "", "", "", "", "", "", ""),
    ("", "", "", "Nameless Metals Trading", "CHINA", "", "", "", "", "", "", "", "", "", "", ""),  # no metal
    ("", "Cobalt", "Smelter not listed", "Katanga Cobalt Refinery", "CONGO, DEMOCRATIC REPUBLIC OF THE", "", "", "", "", "", "", "", "", "", "", ""),
    ("", "Tungsten", "", "", "", "", "", "", "", "", "", "", "", "", "", "ask supplier"),  # no smelter named
    ("", "", "", "", "", "", "", "", "", "", P["smelter_contact"], P["smelter_contact_email"], "", "", "", "see e-mail"),  # only unread columns
    ("", "Tungsten", "Nordwolfram GmbH", "", "GERMANY", "CID900030", "RMI", 0, "Goslar", "Niedersachsen", "", "", "", "", "", ""),
]
BLANK_TEMPLATE_ROWS = 30

LIST_HEADERS = [
    "Smelter Identification Number Input Column", "Metal (*)", "Smelter Look-up (*)", "Smelter Name (1)",
    "Smelter Country (*)", "Smelter Identification", "Source of Smelter Identification Number", "Smelter Street",
    "Smelter City", "Smelter Facility Location: State / Province", "Smelter Contact Name", "Smelter Contact Email",
    "Name of Mine(s)", "Location (Country) of Mine(s)", "Does 100% of the smelter's feedstock originate from recycled or scrap sources?",
    "Comments", "Standard Smelter Name", "Country Code", "State / Province Code",
]  # fmt: skip
LOOKUP_HEADERS = [
    "Metal", "Smelter Look-up (*)", "Standard Smelter Names", "Smelter Facility Location: Country", "Smelter ID",
    "Source of Smelter Identification Number", "Smelter Street", "Smelter City", "Smelter Facility Location: State / Province",
    "METAL+Alias",
]  # fmt: skip
DECLARATION_LABELS = [
    "Company Name (*):", "Declaration Scope or Class (*):", "Description of Scope:", "", "Company Unique ID:",
    "Company Unique ID Authority:", "Address:", "Contact Name (*):", "Email – Contact (*):", "Phone – Contact (*):",
    "Authorizer (*):", "Title - Authorizer:", "Email - Authorizer (*):", "Phone - Authorizer:", "Effective Date (*):",
]  # fmt: skip
SCOPE_CHOICES = ["A. Company", "B. Product (or List of Products)", "C. User defined [Specify in 'Description of scope']"]
REVISIONS = [
    (5.12, datetime(2019, 4, 26), "February 27, 2019"),
    (6, datetime(2020, 5, 13), "March 3, 2020"),
    (6.01, datetime(2020, 5, 19), "March 3, 2020"),
    (6.1, datetime(2021, 4, 28), "February 19, 2021"),
    (6.22, datetime(2022, 5, 11), "February 24, 2022"),
    (6.3, datetime(2023, 5, 5), "March 20, 2023"),
    (6.31, datetime(2023, 5, 26), "March 20, 2023"),
]


def garble(text: str) -> str:
    """A deterministic stand-in for a header in an unknown language (never the English words)."""
    if not text:
        return text
    return "".join(chr(0x4E00 + (ord(ch) * 7 + i) % 2000) if ch.isalpha() else ch for i, ch in enumerate(text))


def _label(text: str, garbled: bool) -> str:
    return garble(text) if garbled else text


def _revision_sheet(wb, title: str, revisions, garbled: bool) -> None:
    ws = wb.create_sheet(title)
    ws["B2"] = _label("DOCUMENT TITLE", garbled)
    ws["B3"] = _label("Conflict Minerals Reporting Template", garbled)
    for col, head in zip("BCDEF", ("REVISION", "ORIGINATOR", "RELEASE DATE", "DESCRIPTION OF FUNCTIONAL CHANGE", "UPDATES TO SMELTER LIST")):
        ws[f"{col}12"] = _label(head, garbled)
    for row, (rev, released, listed) in enumerate(revisions, start=13):
        ws.cell(row, 2, rev)
        ws.cell(row, 3, "Example MRT Team")
        ws.cell(row, 4, released)
        ws.cell(row, 5, "1. Corrections to all bugs and errors")
        ws.cell(row, 6, f"This version incorporates a few changes to the smelter list as reflected in the Standard Smelter List as of {listed}.  The latest version is on the RMI website.")


def _instructions_sheet(wb, title: str, garbled: bool) -> None:
    ws = wb.create_sheet(title)
    lines = [
        "Introduction",
        "Instructions for completing Company Information questions (rows 8 - 22).",
        "1. Insert your company's Legal Name.",
        "13. Please enter the Date of Completion for this form using the format DD-MMM-YYYY.  This field is mandatory.",
    ]
    for row, line in enumerate(lines, start=1):
        ws.cell(row, 1, _label(line, garbled))


def _declaration_sheet(wb, title: str, garbled: bool, answers: dict[str, object]) -> None:
    ws = wb.create_sheet(title)
    ws["D2"] = _label("Conflict Minerals Reporting Template (CMRT)", garbled)
    ws["B3"] = _label("Select Language Preference Here:", garbled)
    ws["D3"] = "English" if not garbled else garble("English")
    ws["B7"] = _label("Company Information", garbled)
    order = ["company", "scope", "description", "", "unique_id", "authority", "address", "contact", "contact_email",
             "contact_phone", "authorizer", "authorizer_title", "authorizer_email", "authorizer_phone", "effective"]  # fmt: skip
    for row, (label, key) in enumerate(zip(DECLARATION_LABELS, order), start=8):
        if label:
            ws.cell(row, 2, _label(label, garbled))
        if key and answers.get(key) not in (None, ""):
            ws.cell(row, 4, answers[key])
    for col, choice in enumerate(SCOPE_CHOICES, start=16):
        ws.cell(9, col, choice)  # the dropdown's source cells: English in every UI language
    ws["B24"] = _label("Answer the following questions 1 - 8 based on the declaration scope indicated above", garbled)
    ws["B25"] = _label("1) Is any 3TG intentionally added or used in the product(s) or in the production process? (*)", garbled)
    ws["D25"] = _label("Answer", garbled)
    for row, metal in enumerate(("Tantalum", "Tin", "Gold", "Tungsten"), start=26):
        ws.cell(row, 2, _label(f"{metal}  (*)", garbled))
        ws.cell(row, 4, "Yes")


def _lookup_sheet(wb, title: str, garbled: bool, first_col: int, header_row: int) -> None:
    ws = wb.create_sheet(title)
    ws.cell(1, first_col, _label("The following list represents the latest smelter name/alias information as of this templates release.", garbled))
    for offset, head in enumerate(LOOKUP_HEADERS):
        ws.cell(header_row, first_col + offset, _label(head, garbled))
    for row, values in enumerate(LOOKUP, start=header_row + 1):
        for offset, value in enumerate(values):
            if value:
                ws.cell(row, first_col + offset, value)
        ws.cell(row, first_col + 9, values[0] + values[1])  # the METAL+Alias helper column


def _smelter_list_sheet(wb, title: str, garbled: bool, with_input: bool, header_row: int, banner: str) -> None:
    ws = wb.create_sheet(title)
    headers = LIST_HEADERS if with_input else LIST_HEADERS[1:]
    ws.cell(2, 2, _label("TO BEGIN:", garbled))
    ws.cell(header_row - 1, 17, banner)
    for col, metal in enumerate(("Tantalum", "Tin", "Tungsten", "Gold"), start=23):
        ws.cell(header_row - 1, col, metal)  # the metal dropdown's source cells
    for col, head in enumerate(headers, start=1):
        ws.cell(header_row, col, _label(head, garbled))
    row = header_row + 1
    for values in ROWS:
        values = values if with_input else values[1:]
        for col, value in enumerate(values, start=1):
            if value != "":
                ws.cell(row, col, value)
        row += 1
    for _ in range(BLANK_TEMPLATE_ROWS):  # template rows: the formulas' cached results of blank input
        ws.cell(row, len(headers) + 3, "#N/A")
        ws.cell(row, len(headers) + 5, 0)
        row += 1


def _save(wb, name: str) -> Path:
    wb.properties.created = wb.properties.modified = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic_zip(buffer.getvalue(), OUT / name)


def _deterministic_zip(data: bytes, path: Path) -> Path:
    """Rewrite a ZIP with fixed member timestamps (openpyxl stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time as modified
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            target.writestr(fixed, body)
    path.write_bytes(out.getvalue())
    return path


def make_cmrt(name: str, *, garbled: bool = False, old_layout: bool = False, answers: dict[str, object]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = ["Revision", "Instructions", "Declaration", "Smelter List", "Smelter Look-up"]
    if garbled:
        names = [garble(n) for n in names]
    revisions = REVISIONS[:1] + [(5.1, datetime(2017, 12, 1), "September 29, 2017"), (5.11, datetime(2018, 4, 27), "March 6, 2018")] if old_layout else REVISIONS
    if old_layout:
        revisions = sorted(revisions, key=lambda r: r[0])
    _revision_sheet(wb, names[0], revisions, garbled)
    _instructions_sheet(wb, names[1], garbled)
    _declaration_sheet(wb, names[2], garbled, answers)
    banner = f"Revision {max(r[0] for r in revisions)}\n{max(r[1] for r in revisions):%B %d, %Y}"
    _smelter_list_sheet(wb, names[3], garbled, with_input=not old_layout, header_row=3 if old_layout else 4, banner=banner)
    _lookup_sheet(wb, names[4], garbled, first_col=2 if old_layout else 1, header_row=2 if old_layout else 4)
    return _save(wb, name)


def make_not_cmrt() -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sales"
    ws.append(["Region", "Quarter", "Revenue"])
    for region, quarter, revenue in (("North", "Q1", 1200.5), ("South", "Q1", 980.0), ("North", "Q2", 1420.25)):
        ws.append([region, quarter, revenue])
    return _save(wb, "not_cmrt.xlsx")


# --- a minimal OLE2 compound file (MS-CFB version 3, 512-byte sectors) -----------------------
FREE, END, FAT_SECTOR, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """A compound file holding ``streams`` (each padded to >= 4096 bytes, so no mini stream).
    Enough for what tells an encrypted .xlsx or an .xls apart: the magic and the stream names."""
    sector = 512
    bodies = [data.ljust(4096, b"\0") for _, data in streams]
    chains: list[tuple[int, int]] = []  # (start sector, sector count) per stream
    next_free = 1  # sector 0: the FAT; then the directory; then the streams
    directory_start = next_free
    next_free += 1
    for body in bodies:
        count = -(-len(body) // sector)
        chains.append((next_free, count))
        next_free += count
    fat = [FAT_SECTOR, END]
    for start, count in chains:
        fat.extend(list(range(start + 1, start + count)) + [END])
    fat.extend([FREE] * (sector // 4 - len(fat)))
    if len(fat) > sector // 4:
        raise ValueError("fixture streams too large for one FAT sector")

    def entry(name: str, kind: int, start: int, size: int, child: int = NOSTREAM, right: int = NOSTREAM) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", NOSTREAM, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IIi", start, size, 0)
        )  # fmt: skip

    entries = [entry("Root Entry", 5, END, 0, child=1)]
    for index, ((name, _), (start, _count), body) in enumerate(zip(streams, chains, bodies), start=1):
        entries.append(entry(name, 2, start, len(body), right=index + 1 if index < len(streams) else NOSTREAM))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<IIIIIIII", 0, 1, directory_start, 0, 4096, END, 0, END) + struct.pack("<I", 0)
    )  # fmt: skip
    header += struct.pack("<I", 0) + struct.pack("<108I", *([FREE] * 108))
    header = header[:76] + struct.pack("<I", 0) + header[80:]  # DIFAT[0] = sector 0 (the FAT)
    header = header.ljust(sector, b"\0")
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(body.ljust(-(-len(body) // sector) * sector, b"\0") for body in bodies)


def make_malformed(good: Path) -> None:
    (OUT / "encrypted.xlsx").write_bytes(
        compound_file([("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00<encryption/>"), ("EncryptedPackage", bytes(range(256)) * 16)])
    )
    (OUT / "old_binary.xls").write_bytes(compound_file([("Workbook", b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\0" * 100)]))
    data = good.read_bytes()
    (OUT / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=(2026, 1, 1, 0, 0, 0)), "<document/>")
    (OUT / "no_workbook.xlsx").write_bytes(out.getvalue())


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    filled = {
        "company": "Acme Metals Components Inc.", "scope": SCOPE_CHOICES[2],
        "description": "Connector product line, calendar year 2023", "unique_id": "123456789",
        "authority": "DUNS", "address": "1 Example Way, Tempe, AZ 85284", "contact": P["contact"],
        "contact_email": P["contact_email"], "contact_phone": P["contact_phone"], "authorizer": P["authorizer"],
        "authorizer_title": P["authorizer_title"], "authorizer_email": P["authorizer_email"],
        "authorizer_phone": P["authorizer_phone"], "effective": datetime(2024, 5, 2),
    }  # fmt: skip
    english = make_cmrt("cmrt_en.xlsx", answers=filled)
    garbled = dict(filled, scope=SCOPE_CHOICES[1], description="", effective="02-May-2024")
    make_cmrt("cmrt_garbled.xlsx", garbled=True, answers=garbled)
    old = dict(filled, scope=SCOPE_CHOICES[0], description="", effective="2019-06-30")
    make_cmrt("cmrt_old_layout.xlsx", old_layout=True, answers=old)
    make_not_cmrt()
    make_malformed(english)
    for path in sorted(OUT.iterdir()):
        print(f"{path} {path.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
