"""The ledger layer: curated renames and trade names join key groups; absorptions, splits and an
analyst's "different" keep them apart; "unsure" sends the pair to review. Events (renames,
absorptions, splits) are kept with the groups they name."""

from __future__ import annotations

import time

from smelterkg.ingest.resolution.clustering import Edge
from smelterkg.ingest.resolution.layers.state import LedgerMatch, ResolutionState
from smelterkg.ingest.resolution.ledger import SAME_FACILITY
from smelterkg.ingest.resolution.variants import GroupIndex


class LedgerLayer:
    name = "ledger"

    def apply(self, state: ResolutionState) -> None:
        started = time.perf_counter()
        index = GroupIndex(state.groups)
        for entry in state.ledger:
            subjects = index.find(entry.metal, entry.subject, entry.subject_country)
            objects = index.find(entry.metal, entry.object, entry.object_country)
            if not subjects or not objects:
                state.unmatched_ledger.append(entry)
                continue
            state.ledger_matches.append(LedgerMatch(entry, tuple(subjects), tuple(objects)))
            rule = f"ledger {entry.kind}: '{entry.subject}' / '{entry.object}' ({entry.source}, {entry.date})"
            for a in subjects:
                for b in objects:
                    if a == b:
                        continue
                    pair = (min(a, b), max(a, b))
                    if entry.kind in SAME_FACILITY:
                        state.must.append(Edge(*pair, self.name, rule))
                    elif entry.kind == "unsure":
                        state.unsure.add(pair)
                    else:
                        state.cannot.append((a, b, rule))
        state.timed("ledger", time.perf_counter() - started)
