"""Drawing a scene (``layout``) with matplotlib, as SVG or PNG bytes.

The same scene always gives the same bytes: no dates or software versions in the file's metadata,
a fixed salt for SVG ids, and the DejaVu Sans font that matplotlib ships (the same glyphs on every
machine). Only the object-oriented API is used (no pyplot state), so rendering in a loop or in a
server leaks no figures. In the SVG, text stays text (selectable, searchable) and each hoverable
element carries its hover text as an SVG ``<title>`` (shown as a tooltip by browsers).
"""

from __future__ import annotations

import html
import io
import re

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from smelterkg.pictures.layout import Line, Rect, Scene, Text
from smelterkg.pictures.palette import FONT

PNG_DPI = 150
RC = {
    "svg.hashsalt": "smelterkg",
    "svg.fonttype": "none",
    "svg.id": "smelterkg",
    # DejaVu Sans drawn (PNG) and named first (SVG), then the viewer's sans-serif: narrower
    # fonts than DejaVu, so labels measured with it still fit.
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "hatch.linewidth": 0.8,
    "path.simplify": False,
}
HIT_WIDTH = 9.0  # points: the invisible copy of an event line that takes the hover


def _rect(ax, rect: Rect) -> None:
    common = dict(facecolor=rect.fill, edgecolor=rect.edge, linewidth=rect.linewidth, zorder=rect.zorder)
    if rect.hatch:
        common["hatch"] = rect.hatch
    if rect.rounded:
        patch = FancyBboxPatch((rect.x, rect.y), rect.w, rect.h, boxstyle="round,pad=0,rounding_size=0.03", **common)
    else:
        patch = Rectangle((rect.x, rect.y), rect.w, rect.h, **common)
    if rect.gid:
        patch.set_gid(rect.gid)
    ax.add_patch(patch)


def _line(ax, line: Line) -> None:
    xs, ys = zip(*line.points)
    end = line.points[-1]
    ax.add_line(Line2D(xs, ys, color=line.colour, linestyle=line.dash, linewidth=line.width,
                       solid_capstyle="butt", dash_capstyle="butt", zorder=line.zorder))
    if line.arrow:
        start = line.points[-2]
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, color=line.colour,
                                     linewidth=0, shrinkA=0, shrinkB=0, zorder=line.zorder + 0.1))
    if line.dot:
        ax.add_line(Line2D([line.points[0][0]], [line.points[0][1]], marker="o", markersize=3.5,
                           color=line.colour, linestyle="none", zorder=line.zorder + 0.1))
    if line.gid:
        hit = Line2D(xs, ys, color=line.colour, alpha=0.0, linewidth=HIT_WIDTH, zorder=line.zorder + 0.2)
        hit.set_gid(line.gid)
        ax.add_line(hit)


def _text(ax, text: Text) -> None:
    artist = ax.text(text.x, text.y, text.text, fontsize=text.size, color=text.colour,
                     fontweight="bold" if text.bold else "normal", ha=text.ha, va=text.va,
                     linespacing=1.2, zorder=text.zorder)
    if text.backdrop:
        artist.set_bbox({"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "boxstyle": "round,pad=0.15"})
    if text.gid:
        artist.set_gid(text.gid)


def figure(scene: Scene) -> Figure:
    fig = Figure(figsize=(scene.width, scene.height), dpi=PNG_DPI, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, scene.width)
    ax.set_ylim(scene.height, 0)  # inches, y downwards as in the layout
    ax.set_axis_off()
    for rect in scene.rects:
        _rect(ax, rect)
    for line in scene.lines:
        _line(ax, line)
    for text in scene.texts:
        _text(ax, text)
    return fig


def render_svg(scene: Scene, titles: bool = True) -> bytes:
    """The scene as an SVG document; with ``titles``, each hoverable element gets its tooltip."""
    with matplotlib.rc_context(RC):
        out = io.BytesIO()
        figure(scene).savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Title": scene.title})
    svg = out.getvalue().decode("utf-8")
    if titles:
        svg = add_titles(svg, scene.tips)
    return svg.encode("utf-8")


def render_png(scene: Scene) -> bytes:
    with matplotlib.rc_context(RC):
        out = io.BytesIO()
        figure(scene).savefig(out, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return out.getvalue()


_GROUP = re.compile(r'<g id="([^"]+)">')


def add_titles(svg: str, tips: dict[str, str]) -> str:
    """An SVG <title> as the first child of each group whose id has hover text."""

    def titled(match: re.Match[str]) -> str:
        tip = tips.get(match.group(1))
        return match.group(0) if tip is None else f"{match.group(0)}\n  <title>{html.escape(tip, quote=False)}</title>"

    return _GROUP.sub(titled, svg)
