"""Merge and sentence-end evidence of beads (aligner.scoring.merge_evidence, edge_evidence) and
the inputs they give the confidence model (aligner.scoring.confidence)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine import model_of, path_of

from aligner.pipeline import align_with_evidence
from aligner.scoring.confidence import (
    BEAD_FEATURES,
    bead_features,
    calibrated,
    evidence,
)
from aligner.scoring.edge_evidence import pauses, soft_edges
from aligner.scoring.merge_evidence import merge_evidence
from aligner.search import Step


def _words(word: str, n: int) -> str:
    return " ".join([word] * n) + "."


# Four sentences a side: the middle two cut one translator's sentence elsewhere (the first
# source sentence long, its target short; the second the other way round). Around them, plain
# pairs of equal lengths.
EDGE_SRC = [_words("alpha", 12), _words("beta", 30), _words("gamma", 8), _words("delta", 12)]
EDGE_TGT = [_words("alpha", 12), _words("beta", 8), _words("gamma", 30), _words("delta", 12)]
EVEN_TGT = [_words("alpha", 12), _words("beta", 30), _words("gamma", 8), _words("delta", 12)]


def test_complementary_lengths_gain_when_merged() -> None:
    steps = path_of([(1, 1)] * 4)
    cut = merge_evidence(model_of(EDGE_SRC, EDGE_TGT), steps).length_gain
    even = merge_evidence(model_of(EDGE_SRC, EVEN_TGT), steps).length_gain
    # The two beads that share the moved boundary gain most when merged; even pairs barely.
    assert cut[1] > 5.0 and cut[2] > 5.0
    assert even.max() < 1.0
    assert cut[0] < cut[1] and cut[3] < cut[2]


def test_pauses_read_past_quotes_and_see_lower_case_continuations() -> None:
    sentences = [
        "Le temps finit par s'améliorer ;",  # a semicolon: the sentence goes on
        "Il faisait beau.",
        "et tout le monde se mit au travail.",  # opens in lower case: it goes on
        "Il dit : « Partons. »",  # stops, past the closing guillemet
        "« Oui », répondit-il.",  # opens in upper case, past the opening guillemet
    ]
    assert pauses(sentences).tolist() == [False, True, True, False, False, False]


def test_a_bead_edge_where_one_text_stops_and_the_other_pauses_is_soft() -> None:
    src = ["Das gelang.", "Endlich klarte es auf.", "Man ging ans Werk."]
    tgt = ["Cela réussit.", "Le temps finit par s'améliorer ;", "on se mit au travail."]
    one_to_one = soft_edges(path_of([(1, 1)] * 3), src, tgt)
    # Between the second and third beads the German stops and the French goes on.
    assert one_to_one.tolist() == [0.0, 1.0, 1.0]
    # Merged, the boundary is gone: every edge agrees.
    assert soft_edges(path_of([(1, 1), (2, 2)]), src, tgt).tolist() == [0.0, 0.0]


def test_the_shipped_model_trusts_a_bead_less_at_a_soft_edge() -> None:
    src = ["Das gelang.", "Endlich klarte es auf.", "Man ging ans Werk."]
    tgt = ["Cela réussit.", "Le temps finit par s'améliorer ;", "on se mit au travail."]
    model = model_of(src, tgt)
    ev = evidence(model, path_of([(1, 1)] * 3), sentences=(src, tgt))
    assert ev.soft_edge is not None and ev.soft_edge.tolist() == [0.0, 1.0, 1.0]
    column = bead_features(ev)[:, BEAD_FEATURES.index("soft_edge")]
    assert column.tolist() == [0.0, 1.0, 1.0]
    agreed = replace(ev, soft_edge=np.zeros(3))
    assert calibrated(ev)[1] < calibrated(agreed)[1]
    np.testing.assert_array_equal(calibrated(ev)[0], calibrated(agreed)[0])


def test_the_pipeline_reads_the_sentences_edges() -> None:
    src = ["Le conseil se réunit à Paris.", "Il examine le budget de 2024 ;", "puis il vote."]
    tgt = ["The council meets in Paris.", "It examines the 2024 budget.", "Then it votes."]
    result, ev = align_with_evidence(src, tgt, src_lang="fr", tgt_lang="en")
    assert ev is not None and ev.soft_edge is not None
    steps, i, j = [], 0, 0
    for bead in result.beads:
        steps.append(Step(i, i + len(bead.src), j, j + len(bead.tgt), 0.0))
        i, j = i + len(bead.src), j + len(bead.tgt)
    np.testing.assert_array_equal(ev.soft_edge, soft_edges(steps, src, tgt))
    assert ev.soft_edge.max() == 1.0  # the French pauses where the English stops
