"""PDF text-layer libraries compared on the PDF fixtures: pypdfium2 and pdfplumber (pdfminer.six).

For every fixture PDF (tests/data/exhibits-pdf/*.pdf and tests/data/exhibits-long/*.pdf) and each
library, in a child process per library (so peak RSS is that library's own):

* seconds per document: open, every page, every character with its box, baseline and font size
  (median of ``--runs``, after one warm-up);
* characters and words with positions (words built the same way from each library's characters,
  so the counts compare the text layers, not two word splitters; pdfplumber's own extract_words
  count beside it);
* superscripts: characters set smaller than the character before them and raised above its
  baseline, against the number of <sup> characters in the HTML twin;
* columns: of the HTML twin's expected names, how many appear as one run of words on one line,
  or on wrapped lines (the next line's words starting at the same x), in each library's positions;
* memory: peak RSS of the child after all the work, minus the peak of a child that only imports;
* bad PDFs (scanned, encrypted, truncated): what the library says (an exception, or no text).

Prints a table and writes benchmarks/results-pdf-library.txt (the table and the recommendation).
Usage:  python benchmarks/pdf_library_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import html
import json
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUT = ROOT / "benchmarks" / "results-pdf-library.txt"
LIBRARIES = ("pypdfium2", "pdfplumber")
FOLDERS = ("exhibits", "exhibits-long")
MARKS = {"*", "**", "1", "(1)", "†"}


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    base: float  # baseline, PDF space (y up)
    size: float


def pdfium_pages(path: Path) -> list[list[Char]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages: list[list[Char]] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            textpage = page.get_textpage()
            tp = textpage.raw
            x, y = ctypes.c_double(), ctypes.c_double()
            rect = raw.FS_RECTF()
            chars = []
            for i in range(raw.FPDFText_CountChars(tp)):
                code = raw.FPDFText_GetUnicode(tp, i)
                if code < 32 or raw.FPDFText_IsGenerated(tp, i) == 1:  # pdfium's inferred spaces and line ends
                    chars.append(Char(" ", 0.0, 0.0, 0.0, 0.0))
                    continue
                raw.FPDFText_GetCharOrigin(tp, i, x, y)
                raw.FPDFText_GetLooseCharBox(tp, i, rect)
                chars.append(Char(chr(code), rect.left, rect.right, y.value, raw.FPDFText_GetFontSize(tp, i)))
            pages.append(chars)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages


def plumber_pages(path: Path, native_words: list[int] | None = None) -> list[list[Char]]:
    import pdfplumber

    pages: list[list[Char]] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            pages.append([Char(c["text"], c["x0"], c["x1"], c["matrix"][5], c["size"]) for c in page.chars])
            if native_words is not None:
                native_words.append(len(page.extract_words()))
            page.close()
    return pages


READERS = {"pypdfium2": pdfium_pages, "pdfplumber": plumber_pages}


def words_of(chars: list[Char]) -> list[tuple[str, float, float, float]]:
    """(text, x0, x1, baseline): a new word at a space, a gap over a quarter of the size, a baseline
    jump or a step back; a raised smaller mark stays with its word."""
    words: list[tuple[str, float, float, float]] = []
    cur: list[Char] = []
    for c in chars:
        if c.text.isspace():
            cur and words.append(("".join(k.text for k in cur), cur[0].x0, cur[-1].x1, cur[0].base))
            cur = []
            continue
        if cur:
            p = cur[-1]
            if c.x0 - p.x1 > 0.25 * max(p.size, 1) or c.x0 < p.x1 - 0.5 * p.size or abs(c.base - cur[0].base) > 0.8 * cur[0].size:
                words.append(("".join(k.text for k in cur), cur[0].x0, cur[-1].x1, cur[0].base))
                cur = []
        cur.append(c)
    cur and words.append(("".join(k.text for k in cur), cur[0].x0, cur[-1].x1, cur[0].base))
    return words


def lines_of(words: list[tuple[str, float, float, float]]) -> list[list[tuple[str, float, float, float]]]:
    """Words grouped by baseline (2 pt), top line first, each line left to right."""
    lines: list[list[tuple[str, float, float, float]]] = []
    for w in sorted(words, key=lambda w: -w[3]):
        if lines and abs(lines[-1][0][3] - w[3]) <= 2.0:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w[1]) for line in lines]


def superscripts(chars: list[Char]) -> int:
    """Characters smaller than the character before them (under 85 %) and raised over its baseline."""
    count, prev = 0, None
    for c in chars:
        if c.text.isspace():
            continue
        if prev and c.size < 0.85 * prev.size and c.base - prev.base > 0.15 * prev.size and abs(c.x0 - prev.x1) < prev.size:
            count += 1
            continue
        prev = c
    return count


def token_match(word: str, token: str, last: bool) -> bool:
    return word == token or (last and word.startswith(token) and word[len(token):] in MARKS)


def find_name(name: str, lines: list[list[tuple[str, float, float, float]]]) -> bool:
    """The name as a run of words on one line, or continued on one of the next three lines (a raised
    superscript can be a line of its own between them) starting at the same x."""
    tokens = name.split()
    for li, line in enumerate(lines):
        for wi, w in enumerate(line):
            if not token_match(w[0], tokens[0], len(tokens) == 1):
                continue
            k, j = 1, wi + 1
            while k < len(tokens) and j < len(line) and token_match(line[j][0], tokens[k], k == len(tokens) - 1):
                k, j = k + 1, j + 1
            nxt = li + 1
            while k < len(tokens) and nxt < min(len(lines), li + 4):
                starts = [i for i, v in enumerate(lines[nxt]) if abs(v[1] - w[1]) <= 3.0]
                if starts:
                    j = starts[0]
                    while k < len(tokens) and j < len(lines[nxt]) and token_match(lines[nxt][j][0], tokens[k], k == len(tokens) - 1):
                        k, j = k + 1, j + 1
                    break
                nxt += 1
            if k == len(tokens):
                return True
    return False


def twin(pdf: Path) -> tuple[list[str], int] | None:
    """Expected names and the number of <sup> characters of the PDF's HTML twin."""
    for folder in FOLDERS:
        expected, page = DATA / folder / ".expected" / f"{pdf.stem}.csv", DATA / folder / f"{pdf.stem}.htm"
        if expected.exists() and page.exists():
            with expected.open(encoding="utf-8", newline="") as handle:
                names = [r["name"] for r in csv.DictReader(handle)]
            sups = re.findall(r"<sup>(.*?)</sup>", page.read_text(encoding="utf-8"), flags=re.S)
            return names, sum(len(html.unescape(re.sub("<[^>]+>", "", s)).strip()) for s in sups)
    return None


def fixtures() -> list[Path]:
    return sorted((DATA / "exhibits-pdf").glob("*.pdf")) + sorted((DATA / "exhibits-long").glob("*.pdf"))


def child(library: str, runs: int) -> dict[str, object]:
    """Measure one library on every fixture (run in its own process)."""
    read = READERS[library]
    results = {}
    for path in fixtures():
        row: dict[str, object] = {"bytes": path.stat().st_size}
        try:
            read(path)
        except Exception as exc:  # noqa: BLE001 - the bench reports what each library raises
            row["error"] = f"{type(exc).__name__}: {str(exc)[:70]}"
            results[path.name] = row
            continue
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            pages = read(path)
            times.append(time.perf_counter() - start)
        native: list[int] = []
        if library == "pdfplumber":
            plumber_pages(path, native)
        chars = [c for page in pages for c in page if not c.text.isspace()]
        page_lines = [lines_of(words_of(page)) for page in pages]
        row.update(seconds=statistics.median(times), pages=len(pages), chars=len(chars),
                   words=sum(len(w) for lines in page_lines for w in lines), native_words=sum(native) if native else None,
                   sups=sum(superscripts(page) for page in pages))
        expected = twin(path)
        if expected:
            names, sups = expected
            lines = [line for lines in page_lines for line in lines]
            row.update(names=len(names), found=sum(find_name(n, lines) for n in names), sups_expected=sups)
        results[path.name] = row
    return {"results": results, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def run_child(args: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True, timeout=1200)
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=LIBRARIES)
    parser.add_argument("--baseline", choices=LIBRARIES)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return 0
    if args.baseline:
        __import__(args.baseline)
        print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
        return 0
    import pdfplumber
    import pypdfium2

    versions = {"pypdfium2": getattr(pypdfium2, "PYPDFIUM_INFO", "?"), "pdfplumber": pdfplumber.__version__}
    out = [f"PDF library bench: {platform.python_version()} on {platform.machine()}, median of {args.runs} runs per document",
           f"versions: pypdfium2 {versions['pypdfium2']}; pdfplumber {versions['pdfplumber']}", ""]
    data = {lib: run_child(["--child", lib, "--runs", str(args.runs)]) for lib in LIBRARIES}
    base = {lib: run_child(["--baseline", lib])["peak_kb"] for lib in LIBRARIES}
    header = f"{'fixture':32} {'library':10} {'ms/doc':>8} {'pages':>5} {'chars':>6} {'words':>6} {'native':>6} {'sup':>7} {'names':>9}"
    out += [header, "-" * len(header)]
    for name in data[LIBRARIES[0]]["results"]:
        for lib in LIBRARIES:
            r = data[lib]["results"][name]
            if "error" in r:
                out.append(f"{name:32} {lib:10} {r['error']}")
                continue
            sup = f"{r['sups']}/{r['sups_expected']}" if "sups_expected" in r else str(r["sups"])
            names = f"{r['found']}/{r['names']}" if "names" in r else "-"
            native = "-" if r["native_words"] is None else str(r["native_words"])
            out.append(f"{name:32} {lib:10} {1000 * r['seconds']:8.1f} {r['pages']:5} {r['chars']:6} {r['words']:6} {native:>6} {sup:>7} {names:>9}")
    out.append("")
    for lib in LIBRARIES:
        rows = [r for r in data[lib]["results"].values() if "error" not in r]
        total = sum(r["seconds"] for r in rows)
        pages = sum(r["pages"] for r in rows)
        found = sum(r.get("found", 0) for r in rows)
        names = sum(r.get("names", 0) for r in rows)
        sups = sum(r["sups"] for r in rows if "sups_expected" in r)
        sups_expected = sum(r.get("sups_expected", 0) for r in rows)
        out.append(f"{lib:10}: {total:.3f} s for {len(rows)} documents / {pages} pages ({1000 * total / pages:.1f} ms/page); names found {found}/{names};"
                   f" superscript chars {sups}/{sups_expected}; peak RSS {data[lib]['peak_kb'] / 1024:.0f} MB"
                   f" ({(data[lib]['peak_kb'] - base[lib]) / 1024:.0f} MB over importing it)")
    text = "\n".join(out)
    print(text)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} (add the recommendation paragraph)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
