"""Long exhibit: names from the bundled 2022 report, a table over several printed pages (thead
repeated), running header and page numbers, metal headings, a wrapped long name, footnote marks."""
import csv, html, sys
from smelterkg.ingest.readers import read_document
from smelterkg.data import REPORTS_DIR
rows = read_document(REPORTS_DIR / "qualys-2022-form-sd.txt").rows
pick = [r for r in rows if r.status and r.country_code]
by = {}
for r in pick: by.setdefault(r.metal, []).append(r)
chosen = []
for metal in ("Gold", "Tantalum", "Tin", "Tungsten"):
    chosen += by[metal][:18]
out = ['<!DOCTYPE html><html><head><title>Exhibit 1.01 Conflict Minerals Report</title><style>@page { size: letter; margin: 0.6in } body{font-family:serif;font-size:10pt}'
       ' td,th{padding:2px 6px;text-align:left;vertical-align:top} .run{position:fixed;top:-0.4in;right:0;font-size:8pt}</style></head><body>',
       '<p><b>LONGLIST TECHNOLOGIES, INC.</b></p><p>Conflict Minerals Report for the reporting period January 1 to December 31, 2022.</p>',
       f'<p>We identified {len(chosen)} smelters and refiners.</p>',
       '<table><thead><tr><th>Smelter or Refiner Name</th><th>Country</th><th>RMI Status</th></tr></thead><tbody>']
metal = None
expected = []
for i, r in enumerate(chosen):
    if r.metal != metal:
        metal = r.metal
        out.append(f'<tr><td colspan="3"><b>{metal}</b></td></tr>')
    mark = '<sup>*</sup>' if i % 11 == 3 else ''
    out.append(f'<tr><td>{html.escape(r.name)}{mark}</td><td>{html.escape(r.country)}</td><td>{html.escape(r.status)}</td></tr>')
    expected.append((r.metal, r.name, r.country_code, r.status_code, ""))
out.append('</tbody></table><p>* Smelter also processes recycled material.</p></body></html>')
open(sys.argv[1], "w").write("\n".join(out))
with open(sys.argv[2], "w", newline="") as h:
    w = csv.writer(h); w.writerow(["metal", "name", "country_code", "status_code", "smelter_id"]); w.writerows(expected)
