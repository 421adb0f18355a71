"""The result values check their own invariants."""

from __future__ import annotations

import pytest

from aligner.types import Alignment, Bead, Document, Sentence, check_partition


def test_bead_kind_and_checks() -> None:
    assert Bead((0,), (0, 1), 0.5).kind == "1-2"
    assert Bead((), (3,)).kind == "0-1"
    with pytest.raises(ValueError, match="at least one"):
        Bead((), ())
    with pytest.raises(ValueError, match="consecutive"):
        Bead((0, 2), (1,))
    with pytest.raises(ValueError, match="confidence"):
        Bead((0,), (0,), 1.5)
    with pytest.raises(ValueError, match="negative"):
        Bead((-1,), (0,))


def test_partition_accepts_complete_ordered_beads() -> None:
    check_partition([Bead((0,), (0,)), Bead((1, 2), ()), Bead((), (1,))], 3, 2)


@pytest.mark.parametrize(
    ("beads", "message"),
    [
        ([Bead((0,), (0,)), Bead((2,), (1,))], "expected 1"),
        ([Bead((0,), (0,))], "cover 1 source"),
        ([Bead((0,), (1,))], "expected 0"),
    ],
)
def test_partition_rejects_gaps_and_losses(beads: list[Bead], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_partition(beads, 3, 2)


def test_alignment_pairs_counts_and_mean() -> None:
    a = Alignment(
        src=("A.", "B.", "C."),
        tgt=("a.", "bc."),
        beads=(Bead((0,), (0,), 1.0), Bead((1, 2), (1,), 0.5)),
        src_lang="fr",
        tgt_lang="en",
    )
    assert a.pairs()[1][:2] == ("B. C.", "bc.")
    assert a.counts() == {"1-1": 1, "2-1": 1}
    assert a.mean_confidence == pytest.approx(0.75)
    with pytest.raises(ValueError, match="cover"):
        Alignment(("A.",), ("a.",), (), "fr", "en")
    with pytest.raises(ValueError, match="src_paragraphs"):
        Alignment(("A.",), ("a.",), (Bead((0,), (0,)),), "fr", "en", src_paragraphs=(0, 1))


def test_document_groups_and_checks_spans() -> None:
    text = "Un. Deux.\n\nTrois."
    doc = Document(
        text,
        "fr",
        (Sentence("Un.", 0, 3, 0), Sentence("Deux.", 4, 9, 0), Sentence("Trois.", 11, 17, 1)),
    )
    assert doc.texts == ("Un.", "Deux.", "Trois.")
    assert doc.paragraph_of == (0, 0, 1)
    assert [len(p) for p in doc.paragraphs] == [2, 1]
    with pytest.raises(ValueError, match="overlaps"):
        Document(text, "fr", (Sentence("Un.", 0, 3, 0), Sentence("n.", 1, 3, 0)))
    with pytest.raises(ValueError, match="earlier paragraph"):
        Document(text, "fr", (Sentence("Un.", 0, 3, 1), Sentence("Deux.", 4, 9, 0)))


def test_quality_is_the_mean_confidence_of_paired_beads_and_coverage_counts_them() -> None:
    a = Alignment(
        src=("A.", "B.", "C.", "D."),
        tgt=("a.", "bc.", "x."),
        beads=(
            Bead((0,), (0,), 0.9),
            Bead((1, 2), (1,), 0.5),
            Bead((3,), (), 0.1),
            Bead((), (2,), 0.2),
        ),
        src_lang="fr",
        tgt_lang="en",
    )
    # Unaligned sentences count neither for nor against the quality.
    assert a.quality == pytest.approx(0.7)
    assert a.coverage == pytest.approx((0.75, 2 / 3))


def test_quality_and_coverage_without_paired_beads() -> None:
    a = Alignment(("A.",), ("a.", "b."), (Bead((0,), (), 1.0), Bead((), (0, 1), 1.0)), "fr", "en")
    assert a.quality == 0.0
    assert a.coverage == (0.0, 0.0)
    empty = Alignment((), (), (), "fr", "en")
    assert (empty.quality, empty.coverage) == (0.0, (0.0, 0.0))
