"""The match model is reproducible from its labelled pairs, and names are taken apart as the
scorer needs (qualifiers kept, legal forms and punctuation set aside)."""

from __future__ import annotations

import pytest

from smelterkg.ingest.resolution.names import structure
from smelterkg.ingest.resolution.scoring import COMPARISONS, MODEL_FILE, load_model
from smelterkg.ingest.resolution.training import bundled_groups, read_pairs, train


def test_the_committed_model_is_what_training_on_the_labelled_pairs_gives():
    """Run `python -m smelterkg.ingest.resolution.training` after changing the pairs or the
    comparisons; this fails while data/resolution/model.json is stale."""
    assert train(read_pairs(), bundled_groups()).to_json() == MODEL_FILE.read_text(encoding="utf-8")


def test_every_level_has_trained_parameters_and_sister_signals_weigh_against():
    model = load_model()
    for comparison, levels in COMPARISONS.items():
        for label, _ in levels:
            parameters = model.parameters[comparison][label]
            assert 0 < parameters["m"] <= 1 and 0 < parameters["u"] <= 1, (comparison, label)
    conflict = model.parameters["qualifier"]["qualifier conflict"]
    assert conflict["m"] < conflict["u"]
    assert model.review_threshold < model.merge_threshold < 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Asaka Riken Co Ltd", "Asaka Riken Co., Ltd."),
        ("Cendres & Métaux SA", "Cendres + Metaux S.A."),
        ("Kazzinc Ltd", "Kazzinc"),
        ("H.C. Starck Smelting GmbH & Co.KG", "H.C. Starck Smelting GmbH & Co. KG"),
        ("Gejiu Yunxin Non-Ferrous Electrolysis", "Gejiu Yunxin Nonferrous Electrolysis"),
        ("L' azurde Company For Jewelry", "L'azurde Company For Jewelry"),
        ("T.C.A S.p.A", "T.C.A SpA"),
    ],
)
def test_spelling_differences_share_a_key(a, b):
    assert structure(a).key == structure(b).key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Eco-System Recycling Co., Ltd. North Plant", "Eco-System Recycling Co., Ltd. West Plant"),
        ("Metalor Technologies (Hong Kong) Ltd", "Metalor Technologies (Singapore) Pte. Ltd."),
        ("H.C. Starck GmbH Goslar", "H.C. Starck GmbH Laufenburg"),
        ("PT Timah Tbk Kundur", "PT Timah Tbk Mentok"),
        ("H.C. Starck Group", "H.C. Starck GmbH"),
    ],
)
def test_qualifiers_are_never_dropped(a, b):
    assert structure(a).key != structure(b).key


def test_qualifiers_and_acronyms_are_recorded():
    assert structure("Eco-System Recycling Co., Ltd. North Plant").qualifiers == ("north plant",)
    assert structure("Metalor Technologies (Hong Kong) Ltd").qualifiers == ("hong kong",)
    assert structure("H.C. Starck GmbH Goslar").qualifiers == ("goslar",)
    assert structure("DSC (Do Sung Corporation)").qualifiers == ()  # a bracketed expansion, not a place
    assert "dsc" in structure("Do Sung Corporation").acronyms
    assert structure("Western Australian Mint trading as The Perth Mint").legal_forms == ()  # "as" is a word here
