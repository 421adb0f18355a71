"""What the confidences do not read of the passes' state, let go before they run.

The confidences' lattice holds its own tables beside everything the passes left alive: on
four copies of the Old Testament that was the run's peak. Each side's tokens keep their
occurrences sorted for the next band's join (:attr:`~aligner.features.tokens.Side.by_token`
and :attr:`~aligner.features.tokens.Side.live`, some 44 MB on four copies); the confidences
read matches already joined, so the index is let go before them (a join after all would
compute it again, the same).
"""

from __future__ import annotations

from aligner.features.tokens import Side

#: The cached properties of :class:`~aligner.features.tokens.Side` that only a join reads
#: (:func:`aligner.features.matching.window_matches`).
JOIN_INDEX = ("live", "by_token")


def release_join_index(side: Side) -> None:
    """Let go of the occurrences ``side`` keeps sorted for joins (:data:`JOIN_INDEX`)."""
    cached = vars(side)  # a cached property lives in the instance's dict, frozen or not
    for name in JOIN_INDEX:
        cached.pop(name, None)
