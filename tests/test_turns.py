"""Dialogue turns: which sentences open an utterance, and the costs learned from a path."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.config import AlignConfig
from aligner.features.turns import bead_starts, opens_turn, turn_costs
from aligner.pipeline import align


def test_opens_turn_reads_each_convention() -> None:
    sentences = [
        '" Not at all , sir .',  # English double quote
        "-- Mais la route doit être détrempée .",  # French dash
        "« Bonjour », dit-il.",  # guillemets
        "»Komm!«, rief er.",  # German reversed guillemets
        "' Well ! ' thought Alice .",  # British single quote before a space
        "'Tis the season.",  # single quote before a capital
        "'em all, he said.",  # elision: not a turn
        "He said nothing.",
        "   “Indented,” she said.",
        "",
    ]
    assert opens_turn(sentences).tolist() == [1, 1, 1, 1, 1, 1, 0, 0, 1, 0]


def test_turn_costs_reward_agreement_and_penalise_disagreement() -> None:
    # Turns are rarer than narration, as in a novel: agreeing on one is the stronger evidence.
    src = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0])
    tgt = src.copy()
    costs = turn_costs(src, tgt, [(k, k) for k in range(8)])
    assert costs.shape == (2, 2)
    assert costs[0, 0] == 0.0
    assert costs[1, 1] < 0
    assert costs[1, 0] > 0 and costs[0, 1] > 0


def test_turn_costs_are_zero_without_dialogue() -> None:
    none = np.zeros(20)
    costs = turn_costs(none, none, [(k, k) for k in range(20)])
    # Only (0, 0) is ever seen, and it is the only cell a bead of these texts can reach.
    assert costs[0, 0] == 0.0


def test_bead_starts_keep_beads_with_both_sides() -> None:
    assert bead_starts([(0, 1, 0, 2), (1, 1, 2, 3), (1, 3, 3, 4)]) == [(0, 0), (1, 3)]


def test_turn_weight_is_validated() -> None:
    with pytest.raises(ValueError, match="turn_weight"):
        AlignConfig(turn_weight=-1.0)


def test_align_with_dialogue_turns_keeps_one_to_one() -> None:
    """A dialogue whose turns agree on both sides aligns one to one with the turn cost on."""
    src = [
        "-- Le repas était prêt depuis longtemps déjà .",
        "-- Vraiment ?",
        "Je ne le savais pas .",
        "-- Oui , depuis une heure au moins .",
        "-- Alors allons manger tout de suite .",
    ] * 6
    tgt = [
        '" The meal had been ready for a long while already .',
        '" Really ?',
        "I did not know that .",
        '" Yes , for an hour at least .',
        '" Then let us go and eat at once .',
    ] * 6
    with_turns = align(src, tgt, src_lang="fr", tgt_lang="en")
    assert AlignConfig().turn_weight > 0
    beads = {(tuple(b.src), tuple(b.tgt)) for b in with_turns.beads}
    assert all((k,) == s and (k,) == t for k, (s, t) in enumerate(sorted(beads)))
