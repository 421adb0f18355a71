"""Words a thinned Model 1 sample left without a translation, paired by co-occurrence
(aligner.features.unseen_pairs) and added to the learned table (lexicon.learned_table)."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.features.lexicon import learned_table
from aligner.features.tokens import build_side
from aligner.features.unseen_pairs import unseen_pairs

#: Filler words of the synthetic text: each in many sentences, all translated word for word.
FILLERS = [("alpha", "amma"), ("beta", "bemma"), ("gamma", "gemma"), ("delta", "demma")]


def text() -> tuple[list[str], list[str]]:
    """Forty sentence pairs of filler words; ``zorvex`` / ``mekluf`` (translations of each
    other) in sentences 5 and 30 only, ``zorqin`` alone in 12 and 20 with ``mekdol``."""
    src, tgt = [], []
    for k in range(40):
        pick = [FILLERS[k % 4], FILLERS[(k + 1) % 4]]
        s, t = [a for a, _ in pick], [b for _, b in pick]
        if k in (5, 30):
            s.append("zorvex")
            t.append("mekluf")
        if k in (12, 20):
            s.append("zorqin")
            t.append("mekdol")
        src.append(" ".join(s) + ".")
        tgt.append(" ".join(t) + ".")
    return src, tgt


def test_pairs_words_without_a_translation_by_their_shared_beads() -> None:
    src, tgt = text()
    s_side, t_side = build_side(src), build_side(tgt)
    beads = [(k, k + 1, k, k + 1) for k in range(len(src))]
    none = np.zeros(0, np.int64)
    s, t, v = unseen_pairs(s_side, t_side, beads, (none, none), always=True)
    found = {
        (s_side.vocab[a], t_side.vocab[b]) for a, b in zip(s.tolist(), t.tolist(), strict=True)
    }
    assert ("zorvex", "mekluf") in found and ("zorqin", "mekdol") in found
    assert ("zorvex", "mekdol") not in found
    k = next(
        i
        for i, p in enumerate(zip(s.tolist(), t.tolist(), strict=True))
        if (s_side.vocab[p[0]], t_side.vocab[p[1]]) == ("zorvex", "mekluf")
    )
    # Dice 2 * 2 / (2 + 2) = 1, shrunk by two beads of evidence: 2 / 3.
    assert v[k] == pytest.approx(2 / 3)
    # Model 1 saw every bead (the bound is far): nothing to add.
    assert unseen_pairs(s_side, t_side, beads, (none, none))[0].size == 0


def test_a_thinned_sample_still_translates_its_rare_words(monkeypatch: pytest.MonkeyPatch) -> None:
    src, tgt = text()
    s_side, t_side = build_side(src), build_side(tgt)
    beads = [(k, k + 1, k, k + 1) for k in range(len(src))]
    # A bound that keeps one bead in four: sentences 5 and 30 cannot both be in the sample.
    monkeypatch.setattr("aligner.features.ibm1.MAX_TRAINING_PAIRS", 40)
    table = learned_table(s_side, t_side, beads)
    pairs = {
        (s_side.vocab[a], t_side.vocab[b])
        for a, b in zip(table.src.tolist(), table.tgt.tolist(), strict=True)
    }
    assert ("zorvex", "mekluf") in pairs
