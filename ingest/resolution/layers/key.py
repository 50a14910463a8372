"""The normalised-key layer: variants whose keys and country families agree are one key group.

It builds the units every later layer links: rows -> distinct variants (metal, printed name,
country) -> key groups (variants.py holds the rules)."""

from __future__ import annotations

import time

from smelterkg.ingest.resolution.layers.state import ResolutionState
from smelterkg.ingest.resolution.model import KEY_LAYER
from smelterkg.ingest.resolution.variants import collect_variants, group_by_key


class NormalisedKeyLayer:
    name = KEY_LAYER

    def apply(self, state: ResolutionState) -> None:
        started = time.perf_counter()
        state.variants, state.variant_of_row = collect_variants(state.reports_rows)
        state.groups = group_by_key(state.variants)
        state.timed("keys", time.perf_counter() - started)
