"""A table as a rectangular grid of cells, whatever it was read from.

This is the seam between a format and table understanding: the HTML reader builds
:class:`SourceCell` lists from ``<td>``/``<th>`` elements, a PDF reader would build them from word
positions (one ``SourceCell`` per cluster of words in a row band and a column band, spans where a
word run crosses column bands). :func:`build_grid` expands ``colspan``/``rowspan`` so every
position of the grid holds the cell that covers it, with the cell's own (1-based) row and column
index in the source table as its locator. Spans are clipped to HTML's limits (colspan 1000,
rowspan to the end of the table), and a grid larger than :data:`MAX_GRID_CELLS` is refused, so a
hostile table costs bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_COLSPAN = 1000  # the HTML limit
MAX_GRID_CELLS = 2_000_000


class GridTooLarge(ValueError):
    """The expanded grid would exceed :data:`MAX_GRID_CELLS`."""


@dataclass(frozen=True, slots=True)
class SourceCell:
    """One cell as the format gives it.

    ``text``: visible text, whitespace-normalised (``<br>`` and word runs already joined);
    ``marks``: footnote marks printed as superscripts (``<sup>``) in the cell, kept apart from the
    text; ``column``: the cell's 1-based index among its row's cells (its locator).
    """

    text: str
    column: int
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # a <th>
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    """A grid position: the source cell covering it and where that cell starts."""

    text: str
    row: int  # 1-based source row of the covering cell
    column: int  # the covering cell's 1-based index in its source row
    header: bool = False
    marks: tuple[str, ...] = ()
    spanned: bool = False  # covered by a span from another position (not the cell's first position)
    origin: tuple[int, int] = (0, 0)  # (row, grid column) where the covering cell starts: its identity


EMPTY = Cell("", 0, 0, origin=(-1, -1))  # a position no source cell covers


@dataclass
class Grid:
    """``rows[r][c]``: the cell at grid row ``r`` and grid column ``c`` (0-based); every row has
    ``width`` cells. ``row_numbers[r]`` is the 1-based source row of grid row ``r``."""

    table: int  # 1-based index of the table in its document
    rows: list[list[Cell]]
    row_numbers: list[int]
    width: int
    caption: str = ""
    notes: list[str] = field(default_factory=list)

    def row_text(self, r: int) -> str:
        """The row's distinct cells' texts joined with `` | `` (for quarantine lines)."""
        return " | ".join(cell.text for cell in distinct(self.rows[r]) if cell.text)


def distinct(cells: list[Cell]) -> list[Cell]:
    """The cells of a grid row, each source cell once (a colspan cell covers several positions);
    positions no cell covers are left out."""
    seen: set[tuple[int, int]] = set()
    out = []
    for cell in cells:
        if cell.row == 0 or cell.origin in seen:
            continue
        seen.add(cell.origin)
        out.append(cell)
    return out


def build_grid(table: int, source_rows: list[list[SourceCell]], caption: str = "") -> Grid:
    """Expand spans: ``source_rows[i]`` is source row ``i + 1``'s cells, left to right."""
    n_rows = len(source_rows)
    pending: dict[tuple[int, int], Cell] = {}  # positions filled by rowspans from rows above
    grid_rows: list[list[Cell]] = []
    width = 0
    cells_so_far = 0
    for r, cells in enumerate(source_rows):
        row: dict[int, Cell] = {c: cell for (pr, c), cell in pending.items() if pr == r}
        c = 0
        for source in cells:
            while c in row:
                c += 1
            colspan = max(1, min(source.colspan, MAX_COLSPAN))
            rowspan = max(1, min(source.rowspan, n_rows - r)) if source.rowspan != 0 else n_rows - r
            cells_so_far += colspan * rowspan
            if cells_so_far > MAX_GRID_CELLS:
                raise GridTooLarge(f"table {table}: more than {MAX_GRID_CELLS} grid cells once spans are expanded")
            first = Cell(source.text, r + 1, source.column, source.header, source.marks, False, (r, c))
            for dr in range(rowspan):
                for dc in range(colspan):
                    cell = first if dr == 0 and dc == 0 else Cell(
                        source.text, r + 1, source.column, source.header, source.marks, True, (r, c)
                    )
                    if dr == 0:
                        row[c + dc] = cell
                    else:
                        pending[(r + dr, c + dc)] = cell
            c += colspan
        for key in [k for k in pending if k[0] == r]:
            del pending[key]
        width = max(width, max(row, default=-1) + 1)
        grid_rows.append([row.get(i, EMPTY) for i in range(max(row, default=-1) + 1)])
    for row in grid_rows:
        row.extend([EMPTY] * (width - len(row)))
    return Grid(table, grid_rows, list(range(1, n_rows + 1)), width, caption)


__all__ = ["Cell", "Grid", "GridTooLarge", "MAX_GRID_CELLS", "SourceCell", "build_grid", "distinct"]
