"""Write the facility-list test files under tests/data/facility-lists/ (run from the repository root).

Invented data only (smelters, IDs CID9xxxxx), in the shapes RMI and CFSI have published their lists:

* ``rmi_conformant_utf8_2024-01.csv`` - UTF-8 with a byte-order mark, RMI headings ("Smelter
  Reference List ID", "Country Location", "State / Province", "Conformant Since"...), an unknown
  "Website" column, accented names, a blank line, a row without an ID, a row of another metal, a
  duplicate row, a quoted name spanning two lines, a "Last updated" footer (the date in the name
  differs: the content wins);
* ``cfsi_compliant_cp1252.csv`` - Windows-1252, ';'-separated, the columns in another order,
  CFSI's "Compliant" status, mojibake kept from an earlier round trip ("MÃ©taux"), a byte
  Windows-1252 does not define (0x81), an ID with a no-break space before it; no date anywhere;
* ``rmi_conformant_title.xlsx`` - a title row and an "as of" row above the header (row 4), a
  date cell, a second sheet of notes;
* ``active_no_status.xlsx`` - no status column, the title "Active Smelters & Refiners", locations
  written "City, COUNTRY";
* malformed: ``not_a_list.csv``, ``not_a_list.xlsx``, ``empty.csv``, ``binary.csv``,
  ``truncated.xlsx``, ``header_only.csv``.

Deterministic (fixed timestamps): rerunning the script changes nothing.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

OUT = Path("tests/data/facility-lists")
FIXED = datetime(2026, 1, 1)

RMI_CSV = (
    "Metal,Smelter Reference List ID,Standard Smelter Name,Country Location,State / Province,City,Status,Conformant Since,Website\r\n"
    "Gold,CID900001,Aurelia Métaux Affinage SA,Switzerland,Ticino,Mendrisio,Conformant,2019-05-01,https://aurelia.example\r\n"
    "Gold,CID900002,\"Kinsei Refining Co., Ltd.\",Japan,Saitama,Soka,Conformant,2020-11-30,\r\n"
    "\r\n"
    "Tin,CID 900003,\"PT Timah Contoh\nUnit Dua\",Indonesia,Bangka Belitung,Pangkal Pinang,Active,,\r\n"
    "Tantalum,,Tantalo Nordico AB,Sweden,,Luleå,Conformant,2021-02-02,\r\n"
    "Cobalt,CID900005,Cobalto Demo Refinery,Finland,,Kokkola,Conformant,2022-01-01,\r\n"
    "Tungsten,CID900006,\"Wolfram Beispiel GmbH\",Austria,Tirol,Lienz,Conformant,2018-07-07,\r\n"
    "Tungsten,CID900006,\"Wolfram Beispiel GmbH\",Austria,Tirol,Lienz,Conformant,2018-07-07,\r\n"
    ",,,,,,,,\r\n"
    "Last updated: 15-Mar-2024,,,,,,,,\r\n"
)
CFSI_CSV = (
    "Smelter Name;Location;Metal;Status;Smelter ID\r\n"
    "Córrego Ouro Refinaria Ltda.;Brazil;Gold;Compliant;CID900101\r\n"
    "Cendres & MÃ©taux Exemple SA;Switzerland;Gold;Compliant;CID900102\r\n"
    "Fundição Estanho Modelo;Brazil;Tin;Compliant;\u00a0CID900103\r\n"
    "Tungsten Works \x81 Sample;China;Tungsten;Active;CID900104\r\n"
)


def _deterministic(data: bytes) -> bytes:
    """The same ZIP with fixed member timestamps (openpyxl stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _save(wb: openpyxl.Workbook, name: str) -> bytes:
    wb.properties.created = wb.properties.modified = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    data = _deterministic(buffer.getvalue())
    (OUT / name).write_bytes(data)
    return data


def conformant_title() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Conformant"
    ws.append(["RMI Conformant Smelters & Refiners"])
    ws.append(["List as of March 5, 2025"])
    ws.append([])
    ws.append(["Smelter ID", "Metal", "Standard Smelter Name", "Country", "State / Province", "City", "Status", "Conformant since", "Valid until", "Assessment cycle"])
    ws.append(["CID900201", "Gold", "Nordlicht Gold AG", "Germany", "Hessen", "Hanau", "Conformant", datetime(2016, 4, 1), datetime(2026, 3, 31), "Annual"])
    ws.append(["CID900202", "Tantalum", "Tantal Modelo S.A.", "Brazil", "Minas Gerais", "São João del Rei", "Conformant", datetime(2019, 9, 12), datetime(2025, 9, 11), "Three-year"])
    ws.append(["CID900203", "Tin", "Stannum Example Smelter", "Malaysia", "Perak", "Butterworth", "Non-Conformant", None, None, None])
    notes = wb.create_sheet("Notes")
    notes.append(["This list is published for the examples of smelterkg's tests."])
    return _save(wb, "rmi_conformant_title.xlsx")


def active_no_status() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Active Smelters & Refiners"])
    ws.append([])
    ws.append(["Metal", "Smelter ID", "Smelter Name", "Location"])
    ws.append(["Tungsten", "CID900301", "Ganzhou Sample Tungsten Co., Ltd.", "Ganzhou, CHINA"])
    ws.append(["Gold", "CID900302", "Hanbit Gold Refinery", "Korea, Republic of"])
    ws.append(["Tin", "CID900303", "Estanho Exemplo Ltda.", "Ariquemes, BRAZIL"])
    ws.append(["Tantalum", "CID900304", "Atlantis Tantalum Ltd.", "Atlantis City, ATLANTIS"])
    _save(wb, "active_no_status.xlsx")


def not_a_list() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Region", "Quarter", "Revenue"])
    ws.append(["North", "Q1", 1200])
    _save(wb, "not_a_list.xlsx")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "rmi_conformant_utf8_2024-01.csv").write_bytes(b"\xef\xbb\xbf" + RMI_CSV.encode("utf-8"))
    (OUT / "cfsi_compliant_cp1252.csv").write_bytes(_cp1252(CFSI_CSV))
    good = conformant_title()
    active_no_status()
    not_a_list()
    (OUT / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    (OUT / "not_a_list.csv").write_bytes(b"Region,Quarter,Revenue\r\nNorth,Q1,1200\r\n")
    (OUT / "empty.csv").write_bytes(b"")
    (OUT / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (OUT / "header_only.csv").write_bytes(b"Metal,Smelter ID,Smelter Name,Country\r\n")
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}", file=sys.stderr)
    return 0


def _cp1252(text: str) -> bytes:
    """Windows-1252 bytes; U+0081 (which it does not define) written as the raw byte 0x81."""
    return b"\x81".join(part.encode("cp1252") for part in text.split("\x81"))


if __name__ == "__main__":
    raise SystemExit(main())
