"""The resolution layers, cheapest and surest first, behind one protocol.

A layer reads the :class:`~.state.ResolutionState` (the variants, the key groups and what the
earlier layers decided) and adds its own knowledge to it: the key groups themselves (the
normalised-key layer builds the units every other layer links), must-links, cannot-links, pairs
kept apart, scored edges, pairs an analyst marked unsure, events. After the last layer the
clusterer turns the links into facilities (``resolver.py``).

Adding a layer is one module with a class like these and one entry in :data:`LAYERS` (see
``docs/resolution.md``). The order matters: a layer may use what earlier ones added (the score
layer clusters over the must- and cannot-links of the identifier and ledger layers to count how
many facilities print a word).
"""

from __future__ import annotations

from typing import Protocol

from smelterkg.ingest.resolution.layers.identifier import IdentifierLayer
from smelterkg.ingest.resolution.layers.key import NormalisedKeyLayer
from smelterkg.ingest.resolution.layers.ledger import LedgerLayer
from smelterkg.ingest.resolution.layers.reference import ReferenceLayer
from smelterkg.ingest.resolution.layers.score import ScoreLayer
from smelterkg.ingest.resolution.layers.spelling import SpellingLayer
from smelterkg.ingest.resolution.layers.state import ResolutionState


class Layer(Protocol):
    """One source of identity knowledge."""

    name: str  # the layer's name as written on decisions ("identifier", "ledger", ...)

    def apply(self, state: ResolutionState) -> None:
        """Add this layer's knowledge to ``state``."""


LAYERS: tuple[type, ...] = (NormalisedKeyLayer, ReferenceLayer, IdentifierLayer, LedgerLayer, SpellingLayer, ScoreLayer)
"""The layers in the order they run; each is built with ``layer(state)``-independent defaults
and applied in turn."""

__all__ = ["LAYERS", "Layer", "ResolutionState", "IdentifierLayer", "LedgerLayer", "NormalisedKeyLayer", "ReferenceLayer", "ScoreLayer", "SpellingLayer"]
