"""Where the smelter table is in a report.

A region starts at a table header or at the first line that carries a metal (with a name, or in
a tabbed row), backs up over lone country/status cells that PDF extraction printed above it,
and runs until prose or a section heading, ending at the last line that still looks like table
content. A report may hold several regions (a table interrupted by prose).

A region of one line whose only typed cell is its metal ("Tin Minsur", and as often a line of
prose or of random words that happens to start with "tin") is no table: nothing but the metal
word says so. Such lone lines are set apart (:func:`lone_metal_lines`) and reported, not read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from smelterkg.ingest.models import Kind, LineKind, TypedLine

_TYPED = {Kind.METAL, Kind.COUNTRY, Kind.STATUS, Kind.SMELTER_ID}
_MAX_UNTYPED_RUN = 8  # this many content lines in a row with no metal/country/status ends a region


@dataclass(frozen=True)
class Region:
    start: int  # index into the line list (0-based), inclusive
    end: int  # inclusive


def _is_anchor(line: TypedLine) -> bool:
    if line.kind is LineKind.HEADER:
        return True
    if line.kind is not LineKind.CONTENT or Kind.METAL not in line.kinds:
        return False
    return line.tabbed or Kind.NAME in line.kinds


def _is_tableish(line: TypedLine) -> bool:
    """Content that only a table produces: a header, a tabbed line, or a typed cell."""
    if line.kind is LineKind.HEADER:
        return True
    if line.kind is not LineKind.CONTENT:
        return False
    return line.tabbed or bool(line.kinds & _TYPED)


def _lone_cells(line: TypedLine) -> bool:
    """A line holding only countries and/or statuses (a cell printed on a line of its own)."""
    kinds = line.kinds
    return line.kind is LineKind.CONTENT and bool(kinds) and kinds <= {Kind.COUNTRY, Kind.STATUS, Kind.STRAY}


def find_regions(lines: Sequence[TypedLine], starts: Sequence[int] | None = None) -> list[Region]:
    """The table regions. ``starts``: sorted indices of the only lines that may start one (see
    ``ingest.typed_lines``); the others are then never looked at unless a region reaches them."""
    regions: list[Region] = []
    i = 0
    while i < len(lines):
        if starts is not None:
            k = bisect_left(starts, i)
            if k == len(starts):
                break
            i = starts[k]
        if not _is_anchor(lines[i]):
            i += 1
            continue
        start = i
        back = i - 1
        while back >= 0 and (lines[back].kind is LineKind.BLANK or _lone_cells(lines[back])):
            if _lone_cells(lines[back]):
                start = back
            back -= 1
        if regions and start <= regions[-1].end:
            start = regions[-1].end + 1
        end = i
        untyped_run = 0
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.kind in (LineKind.PROSE, LineKind.HEADING):
                break
            if _is_tableish(line):
                end = j
                untyped_run = 0
            elif line.kind is LineKind.CONTENT:
                untyped_run += 1
                if untyped_run > _MAX_UNTYPED_RUN:
                    break
            j += 1
        regions.append(Region(start, end))
        i = end + 1
    return regions


_SUPPORT = {Kind.COUNTRY, Kind.STATUS, Kind.SMELTER_ID}


def lone_metal_line(region: Region, lines: Sequence[TypedLine]) -> bool:
    """A one-line region with no header and no country, status or ID: only its first word, a
    metal, makes it look like a table row."""
    if region.start != region.end:
        return False
    line = lines[region.start]
    return line.kind is not LineKind.HEADER and not line.kinds & _SUPPORT
