"""The chart of ``smelterkg stats --chart``: per metal, one stacked bar per reporting year with
the shares of facilities by canonical status, and the number of facilities listed above it.
Deterministic bytes, as the timeline (same settings)."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.figure import Figure

from smelterkg.pictures.palette import BUCKET_COLOURS, INK, MUTED
from smelterkg.pictures.timeline import PNG_DPI, RC
from smelterkg.queries.stats import BUCKETS, Stats

LEGEND = {"Neither": "Neither (known not conformant)", "Unknown": "Unknown (no status read)"}


def figure(stats: Stats) -> Figure:
    metals = sorted({s.metal for s in stats.shares}) or ["(none)"]
    columns = min(len(metals), 2)
    rows = (len(metals) + columns - 1) // columns
    fig = Figure(figsize=(5.2 * columns, 3.2 * rows + 0.9), dpi=PNG_DPI, facecolor="white")
    axes = fig.subplots(rows, columns, squeeze=False, sharey=True)
    for index, metal in enumerate(metals):
        ax = axes[index // columns][index % columns]
        shares = [s for s in stats.shares if s.metal == metal]
        labels = [str(s.year) for s in shares]
        bottom = [0.0] * len(shares)
        for bucket in BUCKETS:
            values = [s.share(bucket) for s in shares]
            ax.bar(labels, values, bottom=bottom, color=BUCKET_COLOURS[bucket], edgecolor="white",
                   linewidth=0.6, label=LEGEND.get(bucket, bucket), width=0.7)
            bottom = [b + v for b, v in zip(bottom, values)]
        for x, share in enumerate(shares):
            ax.text(x, 101.5, f"n={share.facilities}", ha="center", va="bottom", fontsize=7.5, color=MUTED)
        ax.set_title(metal, fontsize=10, fontweight="bold", color=INK, loc="left")
        ax.set_ylim(0, 110)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_yticklabels(["0%", "25%", "50%", "75%", "100%"], fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for index in range(len(metals), rows * columns):  # an odd number of metals leaves a panel empty
        axes[index // columns][index % columns].set_axis_off()
    handles, names = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=len(BUCKETS), frameon=False, fontsize=8.5)
    fig.suptitle("Facilities listed per reporting year: share by canonical status", fontsize=11,
                 fontweight="bold", color=INK, x=0.02, ha="left")
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    return fig


def render_chart(stats: Stats, fmt: str) -> bytes:
    """The chart as "png" or "svg" bytes."""
    out = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig = figure(stats)
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Title": "smelterkg stats"})
        else:
            fig.savefig(out, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return out.getvalue()
