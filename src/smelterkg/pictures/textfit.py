"""Fitting labels into boxes: text widths measured with the font the pictures are drawn in (DejaVu
Sans, shipped with matplotlib), so a label that fits here fits in the PNG, and in the SVG too
(viewers that lack DejaVu fall back on narrower sans-serif fonts)."""

from __future__ import annotations

from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from smelterkg.pictures.palette import FONT

POINTS_PER_INCH = 72.0
LINE_SPACING = 1.2
_TEXT_TO_PATH = TextToPath()


@lru_cache(maxsize=4096)
def width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text, in inches."""
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    points, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return points / POINTS_PER_INCH


def line_height(size: float) -> float:
    return size * LINE_SPACING / POINTS_PER_INCH


def wrap(text: str, room: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to lines no wider than ``room`` inches (a word wider than that is cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width(candidate, size, bold) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        while width(word, size, bold) > room and len(word) > 1:  # cut an over-long word
            cut = _longest_prefix(word, room, size, bold)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


NARROWEST_GLYPH = 0.2  # em: no DejaVu Sans character is narrower ('l', 'i', "'" are about 0.27)


def most_chars(room: float, height: float, size: float) -> int:
    """More characters than can show in ``room`` x ``height`` inches at ``size`` (one line more
    than fits, each of the narrowest glyphs): text beyond it is never drawn, so :func:`fit` drops
    it before measuring (measuring and wrapping cost grows with the text, quadratically for a long
    word)."""
    return (int(height // line_height(size)) + 2) * (_chars_per_line(room, size) + 1)


def _chars_per_line(room: float, size: float) -> int:
    """More characters than one line of ``room`` inches holds at ``size``."""
    return int(room / (NARROWEST_GLYPH * size / POINTS_PER_INCH)) + 1


def _longest_prefix(word: str, room: float, size: float, bold: bool) -> int:
    """The length of the longest prefix of ``word`` that fits in ``room`` with a hyphen (at least
    1). A binary search (widths grow with the prefix), over no more characters than a line can
    hold: a few measurements per cut, where trying every length made a 1,000-letter word take
    minutes."""
    low, high = 1, min(len(word), _chars_per_line(room, size))
    while low < high:
        middle = (low + high + 1) // 2
        if width(word[:middle] + "-", size, bold) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def fit(text: str, room: float, height: float, sizes: tuple[float, ...], bold: bool = False) -> tuple[list[str], float]:
    """The largest size at which ``text`` wraps into ``room`` x ``height`` inches; at the smallest
    size, the lines that fit with an ellipsis on the last one."""
    limit = most_chars(room, height, sizes[-1])
    if len(text) > limit:  # cannot fit at any size: the same lines and ellipsis, measured on less text
        text = text[:limit]
    for size in sizes:
        lines = wrap(text, room, size, bold)
        if len(lines) * line_height(size) <= height:
            return lines, size
    size = sizes[-1]
    lines = wrap(text, room, size, bold)
    keep = max(1, int(height // line_height(size)))
    if len(lines) > keep:
        lines = lines[:keep]
        last = lines[-1]
        while last and width(last + "…", size, bold) > room:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return lines, size
