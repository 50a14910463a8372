"""The identifier layer: key groups that stand for the same RMI smelter ID (CID) — printed on
their rows, or looked up in a reference list by the reference layer — are one facility; groups
whose IDs differ are never one (``state.ids``, checked per cluster by the clusterer)."""

from __future__ import annotations

import time
from collections import defaultdict

from smelterkg.ingest.resolution.clustering import Edge
from smelterkg.ingest.resolution.layers.state import ResolutionState
from smelterkg.ingest.resolution.reference import list_label


class IdentifierLayer:
    name = "identifier"

    def apply(self, state: ResolutionState) -> None:
        started = time.perf_counter()
        groups = state.groups
        printed = [frozenset(s for v in g.variants for s in v.smelter_ids) for g in groups]
        looked_up = state.reference_ids
        state.ids = [printed[i] | ({looked_up[i][0]} if i in looked_up else set()) for i in range(len(groups))]

        def why(group: int, cid: str) -> tuple[str, str]:
            """(layer, rule) that puts ``group`` under ``cid``."""
            if cid in printed[group]:
                return self.name, f"same smelter ID {cid}"
            _, name = looked_up[group]
            kind = "the standard name" if name.standard else "a look-up alias"
            if group in state.reference_near:
                spelled = groups[group].names[0]
                return "reference", f"'{spelled}' is one letter from '{name.name}', {kind} of {cid} in {list_label(name.source)}"
            return "reference", f"'{name.name}' is {kind} of {cid} in {list_label(name.source)}"

        by_id: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, group in enumerate(groups):
            for smelter_id in sorted(state.ids[index]):
                by_id[(group.metal, smelter_id)].append(index)
        for (_, smelter_id), members in sorted(by_id.items()):
            first = members[0]
            for other in members[1:]:
                (layer_a, rule_a), (layer_b, rule_b) = why(first, smelter_id), why(other, smelter_id)
                if layer_a == layer_b == self.name:
                    state.must.append(Edge(first, other, self.name, rule_a))
                else:
                    rules = [r for r in dict.fromkeys((rule_a, rule_b)) if r != f"same smelter ID {smelter_id}"]
                    state.must.append(Edge(first, other, "reference", "; ".join(rules)))
        state.timed("identifier", time.perf_counter() - started)
