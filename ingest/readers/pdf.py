"""PDF exhibits: the text layer with positions (pypdfium2, PDFium's C library: fast, bounded) ->
words -> lines -> ``readers.layout`` (tables from word positions, table understanding, report
facts), as for an aligned-text dump. Claimed by content (``%PDF-`` near the start), whatever the
file is called.

Characters -> words: a word ends at a space, a line break, a jump back or up/down, a new text object
(a table cell), or a gap wider than a quarter of the character's height; a word printed smaller than the page's body text and raised is a superscript
(a footnote mark, kept apart from the cell's text). Words -> lines: words whose middle bands
(70% of their height) overlap the middle band of the line's top word are one line (no chaining,
so a label centred between two rows joins the upper one and does not glue the rows together); a
cell's second printed line under a vertically centred neighbour is then a wrapped line, which
``positioned`` joins to its row. A line printed less than half the page's usual gap under the
line above is ``tight``: a cell's next printed line, not a new row.
Locators: ``page P lines L...`` (line numbers count the page's lines from its top).

Bad PDFs give one line: encrypted, damaged (truncated), no text layer (a scan: OCR it first), over
:data:`MAX_PDF_BYTES`, :data:`MAX_PAGES` or :data:`MAX_CHARS`.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from smelterkg.ingest.parse import ParsedReport
from smelterkg.ingest.reading import InputError
from smelterkg.ingest.readers.layout import read_lines
from smelterkg.ingest.tables.positioned import Line, Word

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_PAGES = 2000
MAX_CHARS = 5_000_000
WIDE_SPACES = 1.6  # a gap of this many spaces between words on a line: a column break for sure
SUPERSCRIPT_SIZE = 0.85  # a word this much smaller than the page's body text, and raised
_MARK = re.compile(r"^(\*+|[†‡§¶]+|\(?\d{1,2}\)?|\[\d{1,2}\]|\(?[a-z]\)?)$")
_PDF = re.compile(rb"%PDF-\d")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    baseline: float
    size: float


def _mark(text: str) -> str:
    return text if text.startswith(("(", "[")) or not text[0].isalnum() else f"({text.strip('()')})"


def _page_words(textpage: object, raw: object, limit: int) -> tuple[list[_Word], list[float]]:
    """The page's words (content order) and the widths of its printed spaces."""
    count = min(raw.FPDFText_CountChars(textpage), limit)
    words: list[_Word] = []
    spaces: list[float] = []
    chars: list[str] = []
    box = [0.0, 0.0, 0.0, 0.0]
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    rect = raw.FS_RECTF()
    base = size = 0.0
    last_right = 0.0
    obj = None

    def flush() -> None:
        if chars:
            words.append(_Word("".join(chars), box[0], box[2], box[1], box[3], base, size))
            chars.clear()

    for i in range(count):
        code = raw.FPDFText_GetUnicode(textpage, i)
        char = chr(code) if 0 < code < 0x110000 else ""
        raw.FPDFText_GetCharOrigin(textpage, i, x, y)
        if not char or char.isspace() or raw.FPDFText_IsGenerated(textpage, i) == 1 or code < 32:
            if char == " " and raw.FPDFText_IsGenerated(textpage, i) != 1:
                raw.FPDFText_GetCharBox(textpage, i, left, right, bottom, top)
                if right.value > left.value:
                    spaces.append(right.value - left.value)
            flush()
            continue
        raw.FPDFText_GetLooseCharBox(textpage, i, rect)
        char_size = raw.FPDFText_GetFontSize(textpage, i)
        height = max(rect.top - rect.bottom, 1e-3)
        handle = ctypes.cast(raw.FPDFText_GetTextObject(textpage, i), ctypes.c_void_p).value
        if chars and (
            (handle != obj and rect.left - last_right > 0.02 * height) or abs(y.value - base) > 0.3 * height or rect.left < last_right - 0.5 * height
            or rect.left - last_right > 0.25 * height or abs(char_size - size) > 0.05 * max(size, 1)
        ):  # fmt: skip
            flush()
        if not chars:
            box[:] = [rect.left, rect.bottom, rect.right, rect.top]
            base, size = y.value, char_size
        else:
            box[0], box[1], box[2], box[3] = min(box[0], rect.left), min(box[1], rect.bottom), max(box[2], rect.right), max(box[3], rect.top)
        chars.append(char)
        last_right = rect.right
        obj = handle
    flush()
    return words, spaces


def _lines(words: list[_Word], page: int) -> list[Line]:
    """Words -> lines, top of the page first (see the module docstring)."""
    if not words:
        return []
    body = statistics.median(w.size for w in words)

    def band(w: _Word) -> tuple[float, float]:
        middle, half = (w.top + w.bottom) / 2, 0.35 * (w.top - w.bottom)
        return middle - half, middle + half

    groups: list[list[_Word]] = []
    low = high = 0.0
    for word in sorted(words, key=lambda w: -(w.top + w.bottom) / 2):
        lo, hi = band(word)
        if groups and hi > low and lo < high:  # overlaps the line's first word (no chaining)
            groups[-1].append(word)
        else:
            groups.append([word])
            low, high = lo, hi
    lines = []
    mains = [[w for w in g if w.size >= SUPERSCRIPT_SIZE * body] or g for g in groups]  # superscripts left out
    tops = [max(w.top for w in g) for g in mains]
    bottoms = [min(w.bottom for w in g) for g in mains]
    gaps = [bottoms[i - 1] - tops[i] for i in range(1, len(groups))]
    usual = statistics.median(gaps) if gaps else 0.0
    for number, group in enumerate(groups, start=1):
        i = number - 1
        if 0 < i:
            gap, height = gaps[i - 1], tops[i] - bottoms[i]
            around = [g for g in (gaps[i - 2] if i >= 2 else None, gaps[i] if i < len(gaps) else None) if g is not None]
            if gap > 0.9 * height and (not around or gap > 1.6 * max(min(around), 0.0)):
                lines.append(Line((), 0, page))  # white space of a blank line or more: ends a table
        main = [w for w in group if w.size >= SUPERSCRIPT_SIZE * body] or group
        bases = sorted({round(w.baseline, 1) for w in main}, reverse=True)
        rows: list[float] = []
        for b in bases:  # printed lines within the line, top first
            if not rows or rows[-1] - b > 0.5 * body:
                rows.append(b)
        out = []
        for w in sorted(group, key=lambda w: w.x0):
            raised = w.size < SUPERSCRIPT_SIZE * body and any(w.baseline > m.baseline + 0.1 * m.size for m in main)
            sup = raised and bool(_MARK.match(w.text))
            row = min(range(len(rows)), key=lambda r: abs(rows[r] - w.baseline)) if rows else 0
            out.append(Word(_mark(w.text) if sup else w.text, w.x0, w.x1, sup, row))
        tight = 0 < i and usual > 0 and gaps[i - 1] < 0.5 * usual
        lines.append(Line(tuple(out), number, page, tight=tight))
    return lines


def _open(path: Path, data: bytes):  # -> pypdfium2.PdfDocument
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            raise InputError(path, "encrypted PDF (password required); decrypt it first") from None
        reason = text.split("(PDFium:")[-1].strip(" ).") if "PDFium:" in text else text
        raise InputError(path, f"damaged PDF, not readable ({reason.lower()})") from None


def pdf_lines(path: Path, data: bytes) -> tuple[list[Line], float]:
    """The PDF's positioned lines (every page) and its column-break width. Raises InputError."""
    import pypdfium2.raw as raw

    if len(data) > MAX_PDF_BYTES:
        raise InputError(path, f"PDF of {len(data) / 1048576:.1f} MB is over the {MAX_PDF_BYTES // 1048576} MB limit")
    document = _open(path, data)
    try:
        pages = len(document)
        if pages > MAX_PAGES:
            raise InputError(path, f"PDF of {pages} pages is over the {MAX_PAGES}-page limit")
        lines: list[Line] = []
        spaces: list[float] = []
        heights: list[float] = []
        budget = MAX_CHARS
        for index in range(pages):
            page = document[index]
            textpage = page.get_textpage()
            try:
                if raw.FPDFText_CountChars(textpage.raw) > budget:
                    raise InputError(path, f"PDF text over {MAX_CHARS} characters (at page {index + 1})")
                words, page_spaces = _page_words(textpage.raw, raw, budget)
                budget -= raw.FPDFText_CountChars(textpage.raw)
            finally:
                textpage.close()
                page.close()
            spaces.extend(page_spaces)
            heights.extend(w.top - w.bottom for w in words)
            lines.extend(_lines(words, index + 1))
    finally:
        document.close()
    if not lines:
        raise InputError(path, "no text layer; OCR it first")
    space = statistics.median(spaces) if spaces else 0.25 * statistics.median(heights)
    return lines, WIDE_SPACES * space


class PDFReader:
    name = "pdf"

    def claims(self, path: Path, head: bytes) -> bool:
        return bool(_PDF.search(head[:1024]))

    def read(self, path: Path, data: bytes) -> ParsedReport:
        lines, wide = pdf_lines(path, data)
        report = read_lines(path.name, lines, hashlib.sha256(data).hexdigest(), wide, paged=True)
        report.path = path
        return report


__all__ = ["MAX_CHARS", "MAX_PAGES", "MAX_PDF_BYTES", "PDFReader", "pdf_lines"]
