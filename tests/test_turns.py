"""Dialogue turns: which sentences open an utterance, and the costs learned from a path."""

from __future__ import annotations

import random

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


def _dialogue(seed: int, units: int = 40) -> tuple[list[str], list[str]]:
    """A made-up dialogue and its "translation": unit k of each side is the same turn or the
    same narrative sentence, in words that match nothing across the sides, with lengths that
    vary as a translation's do. Only length and turns can tell the pairs."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(2))

    def sentence(n: int) -> str:
        return " ".join(word() for _ in range(n)).capitalize() + " ."

    src, tgt = [], []
    for _ in range(units):
        turn = rng.random() < 0.6
        n = rng.randint(2, 12)
        m = max(1, round(n * rng.uniform(0.5, 1.8)))
        src.append(("-- " if turn else "") + sentence(n))
        tgt.append(('" ' if turn else "") + sentence(m))
    return src, tgt


def test_turn_cost_pairs_more_turns_right_where_length_is_unsure() -> None:
    """Over several dialogues whose lengths mislead, the turn cost pairs more units right than
    the same engine without it (turn_weight 0)."""

    def right(weight: float) -> int:
        total = 0
        for seed in range(8):
            src, tgt = _dialogue(seed)
            cfg = AlignConfig(turn_weight=weight, builtin_dictionary=False)
            beads = align(src, tgt, src_lang="fr", tgt_lang="en", config=cfg).beads
            total += sum(1 for b in beads if len(b.src) == len(b.tgt) == 1 and b.src == b.tgt)
        return total

    assert AlignConfig().turn_weight > 0
    assert right(AlignConfig().turn_weight) > right(0.0)
