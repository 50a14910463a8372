"""The resolution layers share one protocol: a new layer is one class and one entry in LAYERS, and
its links show in the decisions with its own name and reason (the throwaway layer here stands for
the reference-list layer to come)."""

from __future__ import annotations

from smelterkg.data import bundled_reports
from smelterkg.ingest.parse import parse_file
from smelterkg.ingest.resolution import layers, resolver
from smelterkg.ingest.resolution.clustering import Edge
from smelterkg.ingest.resolution.layers import LAYERS, ResolutionState
from smelterkg.ingest.resolution.variants import GroupIndex


class AliasListLayer:
    """Joins the key groups of two names an outside alias list says are one facility."""

    name = "alias-list"
    aliases = (("Gold", "Heraeus Ltd. Hong Kong", "Heraeus Metals Hong Kong Ltd."),)

    def apply(self, state: ResolutionState) -> None:
        index = GroupIndex(state.groups)
        for metal, a, b in self.aliases:
            (left, *_), (right, *_) = index.find(metal, a), index.find(metal, b)
            state.must.append(Edge(min(left, right), max(left, right), self.name, f"alias list: '{a}' = '{b}'"))


def test_every_layer_has_a_name_and_the_protocol():
    assert [layer.name for layer in LAYERS] == ["normalised-key", "reference", "identifier", "ledger", "spelling", "score"]
    for layer in LAYERS:
        assert callable(getattr(layer(), "apply"))


def test_a_new_layer_is_one_class_and_one_registry_entry(monkeypatch):
    rows = [(r.facts.year, r.rows) for r in (parse_file(p) for p in bundled_reports())]
    before = resolver.resolve_reports(rows)
    monkeypatch.setattr(resolver, "LAYERS", (*layers.LAYERS[:-1], AliasListLayer, layers.LAYERS[-1]))
    after = resolver.resolve_reports(rows)
    by_name = {name: d for d in after.decisions for name in d.names}
    old, new = by_name["Heraeus Ltd. Hong Kong"], by_name["Heraeus Metals Hong Kong Ltd."]
    assert old.facility == new.facility
    joined = old if old.attached_to is not None else new
    assert joined.layer == "alias-list" and joined.reason.startswith("alias list:")
    assert after.merges_per_layer["alias-list"] == 1
    assert len(after.facilities) == len(before.facilities) - 1
