"""Layout never changes what is read: the same smelter rows, laid out with columns in any order,
empty spacer columns, header rows repeated after 'page breaks' and the metal as a column or as
group heading rows, read to exactly those rows (none lost, none invented)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from smelterkg.ingest.tables.grid import SourceCell, build_grid
from smelterkg.ingest.tables.understand import understand

METALS = ("Gold", "Tin", "Tantalum", "Tungsten")
NAMES = ("Asaka Riken Co., Ltd.", "Minsur", "Kazzinc", "Metalor Technologies SA", "Thaisarco", "Xiamen Tungsten Co., Ltd.",
         "Argor-Heraeus S.A.", "Mitsubishi Materials Corporation")  # fmt: skip
COUNTRIES = ("JAPAN", "PERU", "KAZAKHSTAN", "SWITZERLAND", "THAILAND", "CHINA", "GERMANY")
STATUSES = ("Conformant", "Active", "Non-Conformant")
HEADERS = {"name": "Smelter Name", "country": "Country", "smelter_id": "Smelter ID", "status": "Status", "metal": "Metal"}

smelter = st.tuples(st.sampled_from(METALS), st.sampled_from(NAMES), st.sampled_from(COUNTRIES),
                    st.integers(1, 3000).map(lambda n: f"CID{n:06d}"), st.sampled_from(STATUSES))  # fmt: skip


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[tuple[str, ...]], list[list[SourceCell]]]:
    rows = draw(st.lists(smelter, min_size=1, max_size=12))
    headings = draw(st.booleans())  # metal as heading rows (rows grouped by metal) or as a column
    if headings:
        rows.sort(key=lambda r: METALS.index(r[0]))
    roles = ["name", "country", "smelter_id", "status"] + ([] if headings else ["metal"])
    order = draw(st.permutations(roles))
    spacers = draw(st.lists(st.integers(0, len(order)), max_size=4))
    layout: list[str] = list(order)
    for at in sorted(spacers, reverse=True):
        layout.insert(at, "")
    repeat_every = draw(st.integers(2, 6))

    def cells(values: dict[str, str]) -> list[SourceCell]:
        return [SourceCell(values.get(role, "") if role else "", i + 1) for i, role in enumerate(layout)]

    header = cells(HEADERS)
    grid_rows = [header]
    last_metal = ""
    for n, (metal, name, country, cid, status) in enumerate(rows):
        if n and n % repeat_every == 0:
            grid_rows.append(header)
        if headings and metal != last_metal:
            title = draw(st.sampled_from([metal, f"{metal} (continued)", f"{metal} smelters and refiners"]))
            grid_rows.append([SourceCell(title, 1, colspan=len(layout))])
            last_metal = metal
        grid_rows.append(cells({"metal": metal, "name": name, "country": country, "smelter_id": cid, "status": status}))
    return rows, grid_rows


@settings(max_examples=150, deadline=None)
@given(layouts())
def test_layout_never_loses_or_invents_a_row(case: tuple[list[tuple[str, ...]], list[list[SourceCell]]]) -> None:
    rows, grid_rows = case
    reading = understand(build_grid(1, grid_rows))
    got = Counter((r.metal, r.name, r.country, r.smelter_id, r.status) for r in reading.rows)
    assert reading.smelter_table, reading.reason
    assert got == Counter(rows), reading.issues
