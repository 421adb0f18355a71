"""The small-document harness of ``benchmarks/small_documents.py``: pieces cut at gold-bead
boundaries keep every sentence once, the whole alignment is read back on a piece's sentences,
and the whole's lexicon is read on a piece's words."""

from __future__ import annotations

import numpy as np
from scripts import load_script

from aligner.features.lexicon import Table

sd = load_script("benchmarks/small_documents.py", register=True)

GOLD = [
    ((0,), (0,)),
    ((1, 2), (1,)),
    ((3,), (2, 3)),
    ((4,), ()),
    ((5,), (4,)),
    ((6,), (5,)),
    ((7, 8), (6, 7)),
    ((9,), (8,)),
]
SRC = tuple(f"s{i}" for i in range(10))
TGT = tuple(f"t{j}" for j in range(9))


def test_pieces_hold_every_sentence_once_with_their_gold_renumbered() -> None:
    pieces = sd.cut("toy", SRC, TGT, ("de", "fr"), GOLD, 2)
    assert len(pieces) == 2
    assert sum((p.doc.src for p in pieces), ()) == SRC
    assert sum((p.doc.tgt for p in pieces), ()) == TGT
    for p in pieces:
        back = [(tuple(i + p.s0 for i in s), tuple(j + p.t0 for j in t)) for s, t in p.doc.gold]
        assert all(b in GOLD for b in back)
    assert sum(len(p.doc.gold) for p in pieces) == len(GOLD)


def test_the_whole_alignment_is_clipped_to_a_piece_and_renumbered() -> None:
    piece = sd.Piece(sd.devsets.Doc("p", "toy", SRC[3:7], TGT[2:6], "de", "fr", ()), 3, 2)
    whole = [((0, 1, 2), (0, 1)), ((3,), (2, 3)), ((4,), ()), ((5, 6, 7), (4, 5, 6))]
    got = sd.restricted(whole, piece)
    assert got == [((0,), (0, 1)), ((1,), ()), ((2, 3), (2, 3))]
    assert sd._spans(got) == [(0, 1, 0, 2), (1, 2, 2, 2), (2, 4, 2, 4)]


class _Side:
    def __init__(self, vocab: tuple[str, ...]) -> None:
        self.vocab = vocab


def test_the_whole_lexicon_is_read_on_the_piece_words_by_form() -> None:
    table = Table.build(np.array([0, 1, 2]), np.array([0, 1, 2]), np.array([0.9, 0.5, 0.7]))
    got = sd._mapped(
        table,
        _Side(("berg", "tal", "see")),
        _Side(("montagne", "vallée", "lac")),
        _Side(("see", "berg")),
        _Side(("lac", "vallée", "montagne")),
    )
    assert list(zip(got.src.tolist(), got.tgt.tolist(), got.val.tolist(), strict=True)) == [
        (0, 0, 0.7),
        (1, 2, 0.9),
    ]
