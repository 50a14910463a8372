"""`smelterkg stats`: per reporting year and metal, facilities listed and their shares by canonical
status; status transitions between consecutive reporting years; the most renamed facilities; and
optionally a PNG/SVG chart of the yearly shares."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from smelterkg.commands import add_store_option, error, info, open_store
from smelterkg.output import OutputError, output
from smelterkg.queries.stats import BUCKETS, Stats, compute
from smelterkg.store import StoreError

CHART_FORMATS = {".png": "png", ".svg": "svg"}


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) and bool(rows) for i in range(len(header))]
    lines = []
    for row in cells:
        lines.append("  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric)).rstrip())
        if row is header:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def render_text(stats: Stats) -> str:
    out = ["Facilities listed per year and metal, share by canonical status (%)", ""]
    out += _table(
        ["year", "metal", "facilities", *BUCKETS],
        [[s.year, s.metal, s.facilities, *(s.share(b) for b in BUCKETS)] for s in stats.shares],
    )
    out += ["", "Status transitions between consecutive reporting years (facilities; "
            "'(not listed)': appeared or disappeared)", ""]
    out += _table(
        ["from", "to", "from status", "to status", "facilities"],
        [[t.from_year, t.to_year, t.from_status, t.to_status, t.facilities] for t in stats.transitions],
    )
    out += ["", "Most renamed facilities", ""]
    if stats.renamed:
        out += _table(["renames", "facility", "metal", "names (years)"],
                      [[r.renames, r.label, r.metal, r.names] for r in stats.renamed])
    else:
        out.append("(no rename events in the store)")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    chart_format = None
    if args.chart:
        chart_format = CHART_FORMATS.get(Path(args.chart).suffix.lower())
        if chart_format is None:
            error(f"{args.chart}: the chart is written as .png or .svg; name the file accordingly")
            return 2
    try:
        store = open_store(args)
    except StoreError as problem:
        error(str(problem))
        return 1
    stats = compute(store, args.metal, args.top)
    if not stats.shares:
        error("no facility listed in the store" + (f" for {args.metal}" if args.metal else ""))
        return 1
    if args.format == "json":
        json.dump(asdict(stats), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(stats))
    if chart_format:
        from smelterkg.pictures.chart import render_chart

        data = render_chart(stats, chart_format)
        try:
            with output(args.chart) as out:
                out.write(data)
        except (OutputError, OSError) as problem:
            error(str(problem) if isinstance(problem, OutputError) else f"{args.chart}: cannot write the chart ({problem})")
            return 1
        info(f"wrote {args.chart} ({chart_format}, {len(data)} bytes)")
    return 0


def _count(text: str) -> int:
    """A whole number >= 0 (``--top -3`` used to list all but the last three)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count {text!r} (a whole number >= 0)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid count {text!r} (a whole number >= 0)")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "stats",
        help="yearly facility counts and status shares, status transitions, most renamed facilities",
        description="Figures over the whole store: per reporting year and metal, facilities listed and their "
        "shares by canonical status (a facility counts under the most favourable status any source gave it "
        "that year, as in the saved query yearly-universe); status transitions between consecutive reporting "
        "years; the facilities renamed most often. --chart writes the yearly shares as a PNG or SVG chart.",
    )
    parser.add_argument("--metal", help="only this metal")
    parser.add_argument("--top", type=_count, default=10, metavar="N", help="how many renamed facilities to list (default 10)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--chart", metavar="FILE", help="also write the yearly shares as a chart (FILE.png or FILE.svg)")
    add_store_option(parser)
    parser.set_defaults(handler=run)
