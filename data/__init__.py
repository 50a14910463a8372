"""Bundled data: the default report corpus and the curated tables the reader relies on.

``reports/``    Form SD reports bundled as the default corpus (byte-identical copies).
``gazetteers/`` curated tables (country aliases, status wordings, legal forms...), each
                row carrying its evidence (a source and a date).
``ledger/``     curated facts about facilities: renames, absorptions, splits, trade names and
                analysts' judgements, each with its evidence.
``resolution/`` the entity resolver's labelled name pairs and the match model trained on them.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
REPORTS_DIR = DATA_DIR / "reports"
GAZETTEERS_DIR = DATA_DIR / "gazetteers"
LEDGER_DIR = DATA_DIR / "ledger"
RESOLUTION_DIR = DATA_DIR / "resolution"


def bundled_reports() -> list[Path]:
    """The bundled reports, sorted by file name (which sorts them by filer and year)."""
    return sorted(REPORTS_DIR.glob("*.txt"))
