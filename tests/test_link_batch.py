"""Exclusive word links of many beads at once (aligner.scoring.link_batch): the scorer's links,
float for float."""

from __future__ import annotations

from dataclasses import replace

import pytest
from engine import model_of
from hypothesis import given, settings
from hypothesis import strategies as st

import aligner.scoring.link_batch as link_batch
from aligner.scoring.cost import Model
from aligner.scoring.link_batch import exclusive_links
from aligner.scoring.refine import Scorer, Span

_SRC_WORDS = ["Kathmandu", "Lhotse", "Annapurna", "expedition", "Makalu", "summit", "glacier"]
_TGT_WORDS = ["Kathmandou", "Lhotse", "Annapurna", "expedition", "Makalou", "sommet", "glacier"]


def _sentence(vocab: list[str]) -> st.SearchStrategy[str]:
    # Words repeat within a sentence (written twice, so linked up to twice) and across them
    # (so that sentences compete for a word).
    return st.lists(st.sampled_from(vocab), min_size=1, max_size=5).map(
        lambda ws: " ".join(ws) + "."
    )


def _spans(n_src: int, n_tgt: int) -> list[Span]:
    """Every bead of up to three sentences a side, one-sided ones included."""
    return [
        (i0, i1, j0, j1)
        for i0 in range(n_src)
        for i1 in range(i0, min(n_src, i0 + 3) + 1)
        for j0 in range(n_tgt)
        for j1 in range(j0, min(n_tgt, j0 + 3) + 1)
    ]


def _scorers_links(model: Model, spans: list[Span]) -> list[object]:
    scorer = Scorer(model)
    return [scorer.links(s) for s in spans]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(_sentence(_SRC_WORDS), min_size=1, max_size=5),
    st.lists(_sentence(_TGT_WORDS), min_size=1, max_size=5),
)
def test_the_links_of_many_beads_at_once_equal_the_scorers(src: list[str], tgt: list[str]) -> None:
    model = model_of(src, tgt)
    spans = _spans(len(src), len(tgt))
    want = _scorers_links(model, spans)
    assert exclusive_links(model, spans) == want
    # Blocks of three beads: a block's edge falls between the beads of one text.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(link_batch, "SPAN_BLOCK", 3)
        assert exclusive_links(model, spans) == want


def test_words_not_counted_with_the_tokens_link_once_as_the_scorers() -> None:
    src = ["Kathmandu, Kathmandu expedition.", "Lhotse expedition."]
    tgt = ["Kathmandou expedition.", "Kathmandou Lhotse."]
    model = model_of(src, tgt)
    assert model.texts.src.occ_count is not None
    texts = replace(
        model.texts,
        src=replace(model.texts.src, occ_count=None),
        tgt=replace(model.texts.tgt, occ_count=None),
    )
    uncounted = replace(model, texts=texts)
    spans = _spans(len(src), len(tgt))
    got = exclusive_links(uncounted, spans)
    assert got == _scorers_links(uncounted, spans)
    assert got != exclusive_links(model, spans)  # the counts do change the links here
