"""Entity resolution: which facility each mention is about (see resolver.py for the layers)."""

from smelterkg.ingest.resolution.ledger import LedgerEntry, LedgerError
from smelterkg.ingest.resolution.resolver import Resolution, ResolutionResult, resolve_reports

__all__ = ["LedgerEntry", "LedgerError", "Resolution", "ResolutionResult", "resolve_reports"]
