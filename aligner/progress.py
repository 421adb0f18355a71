"""Progress over a whole job: its stages each take a fixed share of one scale, in order.

A caller's ``progress(done, total)`` then sees one count that only grows, from 0 to
:data:`SCALE`, however many stages, passes and repeated searches the job runs: a bar that
restarts for each pass, or stays still while the texts are prepared, says nothing about how
long is left.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.types import Progress

__all__ = ["SCALE", "Stages"]

#: The total a job's progress counts to.
SCALE = 1000


class Stages:
    """The stages of one job, each a share of :data:`SCALE`, reported to ``report``.

    It holds the highest count reported so far, so that a stage that runs its search again (a
    widened band, a second length model) never moves the count back.
    """

    def __init__(self, report: Progress | None, shares: Sequence[tuple[str, float]]) -> None:
        total = sum(share for _, share in shares)
        if total <= 0 or any(share < 0 for _, share in shares):
            raise ValueError("stage shares must be >= 0 and not all 0")
        self._report = report
        self._span: dict[str, tuple[float, float]] = {}
        start = 0.0
        for name, share in shares:
            end = start + SCALE * share / total
            self._span[name] = (start, end)
            start = end
        self._done = -1

    def _show(self, value: float) -> None:
        count = min(SCALE, round(value))
        if self._report is not None and count > self._done:
            self._done = count
            self._report(count, SCALE)

    def start(self) -> None:
        """Report 0: the job has begun."""
        self._show(0.0)

    def part(self, name: str) -> Progress | None:
        """A ``progress(done, total)`` for stage ``name``: its own counts mapped into its share
        (None when nobody listens, so that the stage need not count)."""
        if self._report is None:
            return None
        lo, hi = self._span[name]

        def report(done: int, total: int) -> None:
            share = done / total if total > 0 else 1.0
            self._show(lo + (hi - lo) * min(max(share, 0.0), 1.0))

        return report

    def finish(self, name: str) -> None:
        """Stage ``name`` is done: the count reaches its end."""
        self._show(self._span[name][1])
