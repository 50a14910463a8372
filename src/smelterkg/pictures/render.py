"""One entry point for every picture or export of a chain: ``render_chain(chain, fmt)`` -> bytes.

The drawing modules (matplotlib) are imported only for the formats that need them, so the text
tree stays quick to print.
"""

from __future__ import annotations

from smelterkg.queries.chains import Chain

CHAIN_FORMATS = ("text", "svg", "png", "html", "dot", "mermaid", "graphml")
BINARY_FORMATS = frozenset({"png"})
EXTENSION_FORMATS = {
    ".txt": "text", ".svg": "svg", ".png": "png", ".html": "html", ".htm": "html", ".dot": "dot",
    ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".graphml": "graphml",
}


def render_chain(chain: Chain, fmt: str) -> bytes:
    if fmt == "text":
        from smelterkg.pictures.tree import render_text

        return render_text(chain).encode("utf-8")
    if fmt in ("svg", "png", "html"):
        from smelterkg.pictures.layout import layout

        scene = layout(chain)
        if fmt == "svg":
            from smelterkg.pictures.timeline import render_svg

            return render_svg(scene)
        if fmt == "png":
            from smelterkg.pictures.timeline import render_png

            return render_png(scene)
        from smelterkg.pictures.page import render_html
        from smelterkg.pictures.tree import render_text

        return render_html(scene, render_text(chain), [p.message for p in chain.problems])
    if fmt == "dot":
        from smelterkg.pictures.graphs import render_dot

        return render_dot(chain)
    if fmt == "mermaid":
        from smelterkg.pictures.graphs import render_mermaid

        return render_mermaid(chain)
    if fmt == "graphml":
        from smelterkg.pictures.graphs import render_graphml
        from smelterkg.queries.network import build_network

        return render_graphml(build_network({f.iri: f for f in chain.facilities}, chain.events))
    raise ValueError(f"unknown chain format {fmt!r}")
