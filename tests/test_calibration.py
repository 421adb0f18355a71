"""Calibrated confidence: the evidence behind it, the shipped weights, and its bounds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from aligner.output import write
from aligner.pipeline import align, align_with_evidence
from aligner.scoring import calibration
from aligner.scoring.confidence import (
    BEAD_FEATURES,
    DOCUMENT_FEATURES,
    MATCHED_COVERAGE,
    Evidence,
    bead_features,
    calibrated,
    translation_probability,
)

FR = [
    "Le conseil se réunit le lundi 3 mars à Paris.",
    "Il examine le budget de 2024 et les comptes de 2023.",
    "Le président ouvre la séance à neuf heures.",
    "Trois membres sont absents et excusés.",
    "La séance est levée à midi.",
]
EN = [
    "The council meets on Monday 3 March in Paris.",
    "It examines the 2024 budget and the 2023 accounts.",
    "The president opens the meeting at nine o'clock.",
    "Three members are absent and excused.",
    "The meeting closes at noon.",
]


def test_shipped_weights_match_the_features() -> None:
    # A feature added or renamed without rerunning tools/fit_calibration.py fails here.
    assert set(calibration.BEAD_WEIGHTS) == {*BEAD_FEATURES, "bias"}
    assert set(calibration.DOCUMENT_WEIGHTS) == {*DOCUMENT_FEATURES, "bias"}


def test_align_with_evidence_returns_the_evidence_behind_each_confidence() -> None:
    result, ev = align_with_evidence(FR, EN, src_lang="fr", tgt_lang="en")
    assert ev is not None
    assert ev.margin.size == len(result.beads)
    assert bead_features(ev).shape == (len(result.beads), len(BEAD_FEATURES))
    assert [b.confidence for b in result.beads] == calibrated(ev).tolist()
    assert result == align(FR, EN, src_lang="fr", tgt_lang="en")
    # The lattice's posteriors are part of it: one per bead, probabilities, and these plain
    # 1-1 translations are likely.
    assert ev.posterior is not None and ev.boundary is not None and ev.alternative is not None
    assert np.all((ev.posterior >= 0) & (ev.posterior <= ev.boundary + 1e-9))
    assert ev.posterior.min() > 0.5
    # No path is scored when a side is empty.
    empty, none = align_with_evidence(FR, [], src_lang="fr", tgt_lang="en")
    assert none is None and len(empty.beads) == len(FR)


def test_expected_wrong_sums_the_doubt_and_reaches_the_jsonl_summary() -> None:
    result = align(FR, [*EN[:3], "Nothing to do with anything here at all."], src_lang="fr")
    want = sum(1.0 - b.confidence for b in result.beads)
    assert result.expected_wrong == pytest.approx(want)
    assert 0.0 < result.expected_wrong < len(result.beads)
    header = json.loads(write(result, "jsonl").splitlines()[0])["aligner"]
    assert header["expected_wrong"] == [round(want, 4)]


def _evidence(coverage: np.ndarray, paired: np.ndarray, margin: np.ndarray) -> Evidence:
    n = coverage.size
    src = np.where(paired, 1, np.arange(n) % 2).astype(np.int64)
    tgt = np.where(paired, 1, 1 - src).astype(np.int64)
    return Evidence(
        margin=margin,
        coverage=np.where(paired, coverage, 0.0),
        length_misfit=np.abs(margin) % 7,
        shape_log_prior=np.full(n, -0.5),
        src_size=src,
        tgt_size=tgt,
        n_src=int(src.sum()),
        n_tgt=int(tgt.sum()),
    )


arrays = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.float64, n, elements=st.floats(-1.0, 2.0)),
        hnp.arrays(np.bool_, n),
        hnp.arrays(np.float64, n, elements=st.floats(-200.0, 200.0)),
    )
)


@settings(max_examples=60, deadline=None)
@given(arrays)
def test_confidences_are_probabilities(data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    ev = _evidence(*data)
    conf = calibrated(ev)
    assert conf.shape == ev.margin.shape
    assert np.all((conf >= 0.0) & (conf <= 1.0))
    # A paired bead is never surer than the texts being translations at all.
    related = translation_probability(ev)
    assert np.all(conf[ev.paired > 0] <= related + 1e-12)


def test_unmatched_texts_leave_sentences_unaligned_with_confidence() -> None:
    n = 20
    paired = np.arange(n) % 2 == 0
    ev = _evidence(np.full(n, MATCHED_COVERAGE / 2), paired, np.full(n, 30.0))
    assert ev.matched_share == 0.0
    conf = calibrated(ev)
    # Nothing matches: paired beads are likely wrong, unaligned sentences likely right.
    assert conf[paired].max() < 0.5
    assert conf[~paired].min() > 0.5
