"""Regenerate the PDF fixtures in tests/data/exhibits-pdf/ (the tests never run this: it needs
Chromium, and qpdf for the encrypted one).

Every HTML exhibit in tests/data/exhibits/ and tests/data/exhibits-long/ (the two long layouts
written for the PDF reader live there, beside longlist-2022) is printed to NAME.pdf with headless
Chromium without its own header and footer (the long exhibits print their own running header and
page numbers). Then the bad ones: scanned.pdf (a screenshot wrapped in a PDF with no text layer),
encrypted.pdf (a user password, qpdf) and truncated.pdf (a good PDF cut at half its bytes).

    python tools/make_pdf_fixtures.py            # all of them
    python tools/make_pdf_fixtures.py --only grouped-pages-2019
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SOURCES = (DATA / "exhibits", DATA / "exhibits-long")
SKIP = {"longlist-2022"}  # already printed, with Chromium's own header and footer, in exhibits-long/
OUT = DATA / "exhibits-pdf"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
SCANNED_FROM = DATA / "exhibits" / "toppan-style-2016.htm"
TRUNCATED_FROM = "donnelley-style-2019.pdf"
USER_PASSWORD = "smelter"


def chromium(*args: str) -> None:
    """Run headless Chromium once with a throw-away profile (no network, no first-run state)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        sys.exit("make_pdf_fixtures: chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="pdf-fixtures-") as profile:
        subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def print_pdf(html: Path, pdf: Path) -> None:
    """Print, then let qpdf repack it (object streams, flate level 9): same pages, text and fonts,
    a quarter of Chromium's size for the long exhibits."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.pdf"
        chromium("--no-pdf-header-footer", f"--print-to-pdf={raw}", html.resolve().as_uri())
        subprocess.run(["qpdf", "--object-streams=generate", "--recompress-flate", "--compression-level=9",
                        "--deterministic-id", str(raw), str(pdf)], check=True)


def scanned(pdf: Path) -> None:
    """A page as an image only: a PNG screenshot saved as a PDF by Pillow (no text layer)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        chromium(f"--screenshot={png}", "--window-size=816,700", SCANNED_FROM.resolve().as_uri())
        with Image.open(png) as image:
            image.convert("L").save(pdf, "PDF", resolution=96.0)


def encrypted(source: Path, pdf: Path) -> None:
    subprocess.run(["qpdf", "--encrypt", USER_PASSWORD, "owner-" + USER_PASSWORD, "256", "--", str(source), str(pdf)], check=True)


def truncated(source: Path, pdf: Path) -> None:
    data = source.read_bytes()
    pdf.write_bytes(data[: len(data) // 2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="exhibit stem(s) to print (default: all)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for folder in SOURCES:
        for html in sorted(folder.glob("*.htm")):
            if html.stem in SKIP or (args.only and html.stem not in args.only):
                continue
            print_pdf(html, OUT / f"{html.stem}.pdf")
            print(f"{html.stem}.pdf <- {html.relative_to(ROOT)}", file=sys.stderr)
    if not args.only:
        scanned(OUT / "scanned.pdf")
        encrypted(OUT / TRUNCATED_FROM, OUT / "encrypted.pdf")
        truncated(OUT / TRUNCATED_FROM, OUT / "truncated.pdf")
        print("scanned.pdf, encrypted.pdf, truncated.pdf", file=sys.stderr)
    for pdf in sorted(OUT.glob("*.pdf")):
        print(f"{pdf.name}\t{pdf.stat().st_size}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
