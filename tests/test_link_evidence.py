"""Word-link evidence of beads (aligner.scoring.link_evidence) and the inputs it gives the
confidence model (aligner.scoring.confidence)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from engine import model_of, path_of

from aligner.scoring.confidence import calibrated, evidence, next_to_wide, outward
from aligner.scoring.link_evidence import link_evidence

# (English, French) pairs sharing names and numbers: the spelling table links them.
A = (
    "The delegation arrived in Brest-Litovsk on 20 November 1917.",
    "La délégation arriva à Brest-Litovsk le 20 novembre 1917.",
)
B = (
    "General Hoffmann received 4711 Russian officers.",
    "Le général Hoffmann reçut 4711 officiers russes",
)
C = (
    "Trotsky read the declaration in Petrograd.",
    "et Trotsky lut la déclaration à Petrograd.",
)
D = (
    "Kamenev and Joffe signed the protocol at 3 o'clock.",
    "Kamenev et Joffe signèrent le protocole à 3 heures.",
)
SRC = [A[0], B[0], C[0], D[0]]
#: B and C are one French sentence: the gold is 1-1, 2-1, 1-1.
TGT = [A[1], f"{B[1]} {C[1]}", D[1]]


def test_a_sentence_linking_into_the_neighbouring_bead_is_read_on_both_beads() -> None:
    model = model_of(SRC, TGT)
    # B is cut off from its translation: it rides with A, and C holds B's and C's French alone.
    wrong = link_evidence(model, path_of([(2, 1), (1, 1), (1, 1)]))
    right = link_evidence(model, path_of([(1, 1), (2, 1), (1, 1)]))
    assert wrong.outward[0] > 0.1 and wrong.outward[1] > 0.1
    assert right.outward.max() < wrong.outward[:2].min()


def test_a_boundary_between_one_to_one_beads_reads_no_links() -> None:
    # Shifted on purpose: B's sentence sits with A's French and links into the next bead's
    # French, but between two 1-1 beads nothing is read (left to the posterior).
    model = model_of(SRC, TGT)
    got = link_evidence(model, path_of([(1, 0), (1, 1), (1, 1), (1, 1)]))
    assert got.outward[2] == 0.0 and got.outward[3] == 0.0
    assert got.outward[1] > 0.0  # beside the unaligned sentence, which links into it: read


def test_split_and_inside_are_read_only_when_asked() -> None:
    model = model_of(SRC, TGT)
    path = path_of([(1, 1), (2, 1), (1, 1)])
    assert np.all(link_evidence(model, path).split == 0.0)
    within = link_evidence(model, path, within=True)
    # The 2-1 bead holds together: each of its English sentences links into the French one.
    assert within.split[1] > 0.0 and within.inside[1] > 0.0


def test_the_shipped_model_trusts_a_bead_less_when_its_sentence_links_outward() -> None:
    model = model_of(SRC, TGT)
    ev = evidence(model, path_of([(2, 1), (1, 1), (1, 1)]))
    assert ev.links is not None and outward(ev)[0] > 0.0
    quiet = replace(ev, links=replace(ev.links, outward=np.zeros_like(ev.links.outward)))
    assert calibrated(ev)[0] < calibrated(quiet)[0]


def test_next_to_wide_marks_one_to_one_beads_beside_another_shape() -> None:
    ev = evidence(model_of(SRC, TGT), path_of([(1, 1), (2, 1), (1, 1)]))
    assert next_to_wide(ev).tolist() == [1.0, 0.0, 1.0]
