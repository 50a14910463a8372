"""Entity resolution: which facility each mention is about (see resolver.py for the stage, layers/
for the layers, model.py for what it returns, oracle.py for why two names are one facility)."""

from smelterkg.ingest.resolution.ledger import LedgerEntry, LedgerError
from smelterkg.ingest.resolution.model import Decision, Facility, FacilityEvent, Resolution
from smelterkg.ingest.resolution.resolver import resolve_reports

__all__ = ["Decision", "Facility", "FacilityEvent", "LedgerEntry", "LedgerError", "Resolution", "resolve_reports"]
