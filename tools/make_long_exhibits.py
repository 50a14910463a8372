"""Write the two long exhibits in ../exhibits-long/ (grouped-pages-2019.htm, landscape-metal-first-2017.htm)
and their expected rows in ../exhibits-long/.expected/, from the rows the bundled 2019 and 2017 reports print.

Nothing is made up: names, printed countries and statuses are the report's; a smelter ID is printed
only for a name that a hand-written exhibit in ../exhibits/ already prints with that ID (the bundled
reports print none), else the cell is empty; a city is printed ("City, COUNTRY") only where the
name itself starts with the city (Gejiu, Jiujiang, Ganzhou...) or a hand-written exhibit prints it.

    python tools/make_long_exhibits.py     # then python tools/make_pdf_fixtures.py
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
LONG = DATA / "exhibits-long"
EXPECTED = DATA / "exhibits" / ".expected"
FIELDS = ["metal", "name", "country_code", "status_code", "smelter_id"]
CITY = {"Tokuriki Honten Co., Ltd.": "Tokyo", "Valcambi S.A.": "Balerna", "Global Advanced Metals Boyertown": "Boyertown"}
CITY_WORDS = {w.lower(): w for w in ("Changsha", "Chenzhou", "Chifeng", "Dongguan", "Ganzhou", "Gejiu", "Hangzhou", "Hengyang",
                                     "Jiujiang", "Luoyang", "Tongling", "Xiamen", "Yichun", "Zhuzhou", "Yokohama", "Bangalore")}
STYLE = ("body{font-family:serif;font-size:9pt} table{border-collapse:collapse}"
         " td,th{padding:1px 5px;text-align:left;vertical-align:top;border-bottom:0.5pt solid #999}")
LAYOUTS = {
    # name: (report year, filer, layout, rows per metal)
    "grouped-pages-2019": (2019, "LONGWAY DEVICES, INC.", "A", {"Gold": 70, "Tantalum": 25, "Tin": 35, "Tungsten": 20}),
    "landscape-metal-first-2017": (2017, "BROADSHEET SYSTEMS CORP.", "B", {"Gold": 60, "Tantalum": 30, "Tin": 40, "Tungsten": 20}),
}


def known_ids() -> dict[str, str]:
    ids: dict[str, str] = {}
    for path in EXPECTED.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            ids.update({r["name"]: r["smelter_id"] for r in csv.DictReader(handle) if r["smelter_id"]})
    return ids


def location(row) -> str:  # type: ignore[no-untyped-def]
    city = CITY.get(row.name) or CITY_WORDS.get(row.name.split()[0].lower())
    return f"{city}, {row.country}" if city else row.country


def write(stem: str, year: int, filer: str, layout: str, per: dict[str, int], ids: dict[str, str]) -> None:
    from smelterkg.data import REPORTS_DIR
    from smelterkg.ingest.readers import read_document

    rows = [r for r in read_document(REPORTS_DIR / f"qualys-{year}-form-sd.txt").rows if r.status and r.country_code]
    chosen = [r for metal in ("Gold", "Tantalum", "Tin", "Tungsten") for r in [x for x in rows if x.metal == metal][: per[metal]]]
    run = f"{filer} \\2014  Conflict Minerals Report {year}"
    if layout == "A":
        page = f"@page {{ size: letter; margin: 0.6in 0.5in; @top-right {{ content: '{run}'; font-size: 7pt }} @bottom-center {{ content: 'Page ' counter(page) }} }}"
        head = '<table style="width:6.5in"><thead><tr><th style="width:2.3in">Smelter or Refiner Name</th><th>Smelter Location</th><th>Smelter ID</th><th>RMI Status</th></tr></thead><tbody>'
    else:
        page = f"@page {{ size: letter landscape; margin: 0.6in 0.5in; @top-left {{ content: '{run}'; font-size: 7pt }} @bottom-right {{ content: counter(page) }} }}"
        head = '<table style="width:9.5in"><thead><tr><th>Metal</th><th style="width:3in">Smelter Name</th><th>Smelter Location</th><th>Smelter ID</th><th>Status</th></tr></thead><tbody>'
    out = [f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Exhibit 1.01</title><style>{page} {STYLE}</style></head><body>', "<div>",
           f"<p><b>{filer}</b></p><p>Conflict Minerals Report for the reporting period January 1 to December 31, {year}.</p>",
           f"<p>We identified {len(chosen)} smelters and refiners.</p>", head]
    metal, count, expected = None, 0, []
    for i, r in enumerate(chosen):
        if layout == "A":
            if r.metal != metal:
                metal, count = r.metal, 0
                out.append(f'<tr><td colspan="4"><b>{metal}</b></td></tr>')
            elif count and count % 30 == 0:
                out.append(f'<tr><td colspan="4"><b>{metal} (continued)</b></td></tr>')
        count += 1
        mark = "<sup>*</sup>" if i % 13 == 4 else ("<sup>1</sup>" if i % 17 == 9 else "")
        cid = ids.get(r.name, "")
        cells = [html.escape(r.name) + mark, html.escape(location(r)), cid, html.escape(r.status)]
        if layout == "B":
            cells.insert(0, r.metal)
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        expected.append((r.metal, r.name, r.country_code, r.status_code, cid))
    out.append("</tbody></table><p><sup>*</sup> Smelter also processes recycled material.</p>"
               "<p><sup>1</sup> Name as listed by the Responsible Minerals Initiative at the end of the reporting period.</p></div></body></html>")
    (LONG / f"{stem}.htm").write_text("\n".join(out) + "\n", encoding="utf-8")
    with (LONG / ".expected" / f"{stem}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(expected)


if __name__ == "__main__":
    ids = known_ids()
    for stem, (year, filer, layout, per) in LAYOUTS.items():
        write(stem, year, filer, layout, per, ids)
