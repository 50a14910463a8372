"""The reference layer: a key group whose normalised key is the key of one RMI smelter ID's
standard name or look-up alias (in a compatible country) stands for that CID; so does one whose
key is one edit from the names of exactly one CID (``ReferenceIndex.near_cid``: spelling noise
anchored to the reference).

It only records the CID (``state.reference_ids``); the identifier layer, which runs next, joins
the groups that stand for one CID and keeps groups of different CIDs apart, printed or looked up
alike. Without reference lists the layer does nothing.
"""

from __future__ import annotations

import time

from smelterkg.ingest.resolution.layers.state import ResolutionState


class ReferenceLayer:
    name = "reference"

    def apply(self, state: ResolutionState) -> None:
        if not state.reference:
            return
        started = time.perf_counter()
        for index, group in enumerate(state.groups):
            exact = state.reference.cid_of(group.metal, group.key, group.country)
            found = exact or state.reference.near_cid(group.metal, group.key, group.country)
            if found is not None:
                state.reference_ids[index] = found
                if exact is None:
                    state.reference_near.add(index)
        state.timed("reference", time.perf_counter() - started)
