"""The chain as one self-contained HTML page: the timeline as inline SVG, hover text for every
year (the source rows and lines behind it), event and lane, and the text tree below.

Offline by construction: no scripts, styles, fonts or images are fetched, and the page contains
no web address at all. The SVG's namespace declarations, DOCTYPE and metadata (which name W3C
and Dublin Core URLs) are dropped (HTML parses inline SVG without them), and the web addresses
in the text (evidence sources, facility IRIs) are shown without their scheme, as plain text.
"""

from __future__ import annotations

import html
import json
import re

from smelterkg.pictures.layout import Scene
from smelterkg.pictures.palette import FONT, INK, MUTED
from smelterkg.pictures.timeline import render_svg

_SCHEME = re.compile(r"\b(?:https?|ftp)://", re.IGNORECASE)
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_TITLE = re.compile(r"\s*<title>.*?</title>", re.DOTALL)  # a native tooltip over the whole picture
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')

STYLE = f"""
body {{ font-family: '{FONT}', 'Verdana', sans-serif; color: {INK}; margin: 1.5rem; }}
figure {{ margin: 0; overflow-x: auto; }}
figure svg {{ max-width: 100%; height: auto; }}
svg [id^="cell-"], svg [id^="event-"], svg [id^="lane-"] {{ cursor: help; }}
svg [id^="text_"] {{ pointer-events: none; }}  /* names over a year let the hover through to it */
#tip {{ position: fixed; display: none; max-width: 36rem; padding: .5rem .7rem; background: #fffffe;
       border: 1px solid #888; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,.2);
       font-size: .8rem; white-space: pre-wrap; pointer-events: none; z-index: 10; }}
details {{ margin-top: 1rem; }}
pre {{ font-size: .75rem; overflow-x: auto; }}
.hint, .warning {{ color: {MUTED}; font-size: .85rem; }}
.warning {{ color: #a93226; }}
"""

SCRIPT = """
(function () {
  var tips = JSON.parse(document.getElementById('tips').textContent);
  var box = document.getElementById('tip');
  function place(e) {
    var x = e.clientX + 14, y = e.clientY + 14;
    var w = box.offsetWidth, h = box.offsetHeight;
    if (x + w > window.innerWidth - 8) { x = Math.max(8, e.clientX - w - 14); }
    if (y + h > window.innerHeight - 8) { y = Math.max(8, e.clientY - h - 14); }
    box.style.left = x + 'px'; box.style.top = y + 'px';
  }
  Object.keys(tips).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.addEventListener('mouseenter', function (e) { box.textContent = tips[id]; box.style.display = 'block'; place(e); });
    el.addEventListener('mousemove', place);
    el.addEventListener('mouseleave', function () { box.style.display = 'none'; });
  });
})();
"""


def offline(text: str) -> str:
    """Web addresses as plain text: the scheme is dropped, so nothing in the page is a link."""
    return _SCHEME.sub("", text)


def inline_svg(svg: str, label: str) -> str:
    """An SVG document as an element to put inside HTML, labelled for screen readers."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg, count=1)
    svg = _TITLE.sub("", svg, count=1)
    head, rest = svg.split(">", 1)
    return _NAMESPACES.sub("", head) + f' role="img" aria-label="{html.escape(label)}">' + rest


def render_html(scene: Scene, details: str, warnings: list[str]) -> bytes:
    """The page; ``details`` is the text tree shown under the picture."""
    svg = inline_svg(render_svg(scene, titles=False).decode("utf-8"), scene.title)
    tips = {gid: offline(text) for gid, text in sorted(scene.tips.items())}
    payload = json.dumps(tips, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    title = html.escape(scene.title)
    warning_html = "".join(f'<p class="warning">warning: {html.escape(offline(w))}</p>\n' for w in warnings)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<figure>
{svg}
</figure>
<p class="hint">Hover a year to see the source rows and lines it was read from; hover an arrow
for the event and its evidence, a facility's name for its names by year.</p>
{warning_html}<details>
<summary>The chain as text</summary>
<pre>{html.escape(offline(details))}</pre>
</details>
<div id="tip" role="tooltip"></div>
<script type="application/json" id="tips">{payload}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
    return page.encode("utf-8")
