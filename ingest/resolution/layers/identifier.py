"""The identifier layer: key groups printed with the same RMI smelter ID (CID) are one facility;
groups with different IDs are never one."""

from __future__ import annotations

import time
from collections import defaultdict

from smelterkg.ingest.resolution.clustering import Edge
from smelterkg.ingest.resolution.layers.state import ResolutionState


class IdentifierLayer:
    name = "identifier"

    def apply(self, state: ResolutionState) -> None:
        started = time.perf_counter()
        groups = state.groups
        ids = {i: {s for v in g.variants for s in v.smelter_ids} for i, g in enumerate(groups)}
        by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, group in enumerate(groups):
            for smelter_id in sorted(ids[index]):
                by_id[(group.metal, smelter_id)].append(index)
        state.must.extend(
            Edge(members[0], other, self.name, f"same smelter ID {smelter_id}")
            for (_, smelter_id), members in sorted(by_id.items())
            for other in members[1:]
        )
        by_metal: dict[str, list[int]] = defaultdict(list)
        for i in (i for i, s in ids.items() if s):
            by_metal[groups[i].metal].append(i)
        for members in by_metal.values():
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    if not ids[a] & ids[b]:
                        state.cannot.append((a, b, f"different smelter IDs {sorted(ids[a])[0]} / {sorted(ids[b])[0]}"))
        state.timed("ledger", time.perf_counter() - started)
