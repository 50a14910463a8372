"""Colours and line styles shared by every picture, so a status or an event looks the same in the
timeline, the HTML page, the DOT graph and the stats chart.

Status fills are light tints of the Okabe-Ito colour-blind-safe palette (dark text stays readable
on all of them); events are drawn in saturated colours with distinct dash patterns, so they can
be told apart in greyscale too.
"""

from __future__ import annotations

STATUS_COLOURS = {
    "Conformant": "#9ad9bf",  # bluish green
    "In progress": "#f6d38a",  # orange
    "Not conformant": "#eba08a",  # vermillion
    "Failed": "#d9746a",
    "Not enrolled": "#dcb6d3",  # reddish purple
    "Unknown": "#d9d9d9",
}
# The four buckets of the saved queries yearly-universe and status-changes (Failed and Not
# enrolled count as "Neither": known not conformant, not in progress).
BUCKET_COLOURS = {
    "Conformant": STATUS_COLOURS["Conformant"],
    "In progress": STATUS_COLOURS["In progress"],
    "Neither": STATUS_COLOURS["Not conformant"],
    "Unknown": STATUS_COLOURS["Unknown"],
}
EVENT_STYLES = {  # colour, matplotlib dash pattern, DOT style, label
    "rename": ("#0072b2", "solid", "solid", "renamed"),
    "split": ("#6a3d9a", (0, (4, 2)), "dashed", "split into parts"),
    "absorption": ("#8c510a", (0, (1, 1.5)), "dotted", "absorbed into"),
}
LATE_EDGE = "#c0392b"  # outline of a year listed after the facility was absorbed
INK = "#1a1a1a"
MUTED = "#5f5f5f"
LANE_BANDS = ("#ffffff", "#f4f4f4")
FONT = "DejaVu Sans"  # shipped with matplotlib: the same glyph widths, hence the same layout, everywhere


def status_colour(status: str | None) -> str:
    return STATUS_COLOURS.get(status or "Unknown", STATUS_COLOURS["Unknown"])
