"""The values that flow between stages: sentences, documents, beads and alignments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from aligner.errors import UsageError


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text and its span ``[start, end)`` in the document's normalised text."""

    text: str
    start: int
    end: int
    paragraph: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise UsageError(f"bad span [{self.start}, {self.end})")
        if self.paragraph < 0:
            raise UsageError(f"paragraph index must be >= 0, got {self.paragraph}")


@dataclass(frozen=True)
class Document:
    """A text split into sentences, grouped into paragraphs, with spans into ``text``.

    ``chapters`` are the sentences that open a chapter, ``headings`` the (sentence, level) of
    each heading, when the reader found them (an EPUB's spine, HTML or DOCX headings); the
    aligner pairs those both texts have and searches between them. ``verbatim`` are the
    sentences that are code or preformatted text (a line of a listing): never split, not read
    for the language, and the same on both sides when left untranslated.
    """

    text: str
    lang: str
    sentences: tuple[Sentence, ...]
    chapters: tuple[int, ...] = ()
    headings: tuple[tuple[int, int], ...] = ()
    verbatim: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        last_end, last_par = 0, 0
        for k, s in enumerate(self.sentences):
            if s.start < last_end or s.end > len(self.text):
                raise UsageError(f"sentence {k} span [{s.start}, {s.end}) overlaps or overflows")
            if s.paragraph < last_par:
                raise UsageError(f"sentence {k} goes back to an earlier paragraph")
            last_end, last_par = s.end, s.paragraph
        n = len(self.sentences)
        if any(not 0 <= i < n for i in (*self.chapters, *(h for h, _ in self.headings))):
            raise UsageError("a chapter or heading starts outside the sentences")
        if any(not 0 <= i < n for i in self.verbatim):
            raise UsageError("a verbatim sentence is outside the sentences")

    @property
    def texts(self) -> tuple[str, ...]:
        """The sentences' texts, in order."""
        return tuple(s.text for s in self.sentences)

    @property
    def lengths(self) -> tuple[int, ...]:
        """Each sentence's length in characters."""
        return tuple(s.end - s.start for s in self.sentences)

    @property
    def paragraph_of(self) -> tuple[int, ...]:
        """Paragraph index of each sentence."""
        return tuple(s.paragraph for s in self.sentences)

    @property
    def paragraphs(self) -> tuple[tuple[Sentence, ...], ...]:
        """Sentences grouped by paragraph (paragraphs without sentences are left out)."""
        groups: dict[int, list[Sentence]] = {}
        for s in self.sentences:
            groups.setdefault(s.paragraph, []).append(s)
        return tuple(tuple(g) for _, g in sorted(groups.items()))


@dataclass(frozen=True)
class Bead:
    """Consecutive source sentences aligned to consecutive target sentences.

    Either side may be empty (an insertion or a deletion), not both. ``confidence`` is in
    [0, 1]; the aligner gives the calibrated probability that the bead is exactly right
    (:mod:`aligner.scoring.confidence`).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0
    #: Kept exactly as a user gave it (``pins=``): the aligner did not choose it.
    pinned: bool = False
    #: A person checked it (the editor page's "verify"): carried through a realignment.
    verified: bool = False

    def __post_init__(self) -> None:
        if not self.src and not self.tgt:
            raise UsageError("a bead needs at least one sentence")
        for side in (self.src, self.tgt):
            if any(b != a + 1 for a, b in pairwise(side)):
                raise UsageError(f"bead side {side} is not consecutive")
            if side and side[0] < 0:
                raise UsageError(f"negative sentence index in {side}")
        if not 0.0 <= self.confidence <= 1.0:
            raise UsageError(f"confidence {self.confidence} is outside [0, 1]")

    @property
    def kind(self) -> str:
        """The bead type, such as ``"1-1"`` or ``"2-0"``."""
        return f"{len(self.src)}-{len(self.tgt)}"


def check_partition(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Raise ValueError unless ``beads`` cover ``0..n_src-1`` and ``0..n_tgt-1`` once, in order."""
    next_src = next_tgt = 0
    for k, bead in enumerate(beads):
        if bead.src and bead.src[0] != next_src:
            raise UsageError(f"bead {k} starts at source {bead.src[0]}, expected {next_src}")
        if bead.tgt and bead.tgt[0] != next_tgt:
            raise UsageError(f"bead {k} starts at target {bead.tgt[0]}, expected {next_tgt}")
        next_src += len(bead.src)
        next_tgt += len(bead.tgt)
    if (next_src, next_tgt) != (n_src, n_tgt):
        raise UsageError(
            f"beads cover {next_src} source and {next_tgt} target sentences, "
            f"the texts have {n_src} and {n_tgt}"
        )


@dataclass(frozen=True)
class Alignment:
    """Two sentence lists and the beads that pair them, partitioning both sides in order.

    ``src_paragraphs`` / ``tgt_paragraphs`` give each sentence's paragraph index when it is
    known (empty tuple otherwise); writers use them to mark paragraph starts.
    ``src_chapters`` (sentences that open a chapter) and ``src_headings`` ((sentence, level)
    pairs) are the original's structure when its reader found one: the bilingual book's table
    of contents. ``warnings``: one line per thing a user should know before trusting the beads
    (unrelated or lopsided texts, :func:`aligner.quality.alignment_warnings`), the lines the
    command line prints. ``settings``: what made the beads (the engine's settings, a corpus
    lexicon, pins), as the outputs' signature records it.
    """

    src: tuple[str, ...]
    tgt: tuple[str, ...]
    beads: tuple[Bead, ...]
    src_lang: str
    tgt_lang: str
    src_paragraphs: tuple[int, ...] = ()
    tgt_paragraphs: tuple[int, ...] = ()
    src_chapters: tuple[int, ...] = ()
    src_headings: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()
    settings: str = ""

    def __post_init__(self) -> None:
        check_partition(self.beads, len(self.src), len(self.tgt))
        for name, paras, sents in (
            ("src", self.src_paragraphs, self.src),
            ("tgt", self.tgt_paragraphs, self.tgt),
        ):
            if paras and len(paras) != len(sents):
                raise UsageError(f"{name}_paragraphs has {len(paras)} entries for {len(sents)}")

    def pairs(self) -> list[tuple[str, str, Bead]]:
        """Each bead with its source and target text, sentences joined by a space."""
        return [
            (
                " ".join(self.src[i] for i in b.src),
                " ".join(self.tgt[j] for j in b.tgt),
                b,
            )
            for b in self.beads
        ]

    def counts(self) -> dict[str, int]:
        """Number of beads of each type, such as ``{"1-1": 40, "1-2": 3}``."""
        out: dict[str, int] = {}
        for b in self.beads:
            out[b.kind] = out.get(b.kind, 0) + 1
        return out

    @property
    def mean_confidence(self) -> float:
        """Mean bead confidence (0.0 when there are no beads)."""
        if not self.beads:
            return 0.0
        return sum(b.confidence for b in self.beads) / len(self.beads)

    @property
    def quality(self) -> float:
        """Expected share of right beads among those that pair sentences of both sides.

        The mean confidence of the beads with both sides non-empty: confidences are calibrated
        probabilities (:mod:`aligner.scoring.confidence`), and they include the probability that the
        texts are translations of each other at all, so unrelated texts score near 0 however
        neat their beads look. Unaligned sentences do not count: a partial translation keeps a
        high quality and shows its gap in :attr:`coverage`. 0.0 when nothing is paired.
        """
        paired = [b.confidence for b in self.beads if b.src and b.tgt]
        return sum(paired) / len(paired) if paired else 0.0

    @property
    def expected_wrong(self) -> float:
        """Expected number of wrong beads: the sum over beads of ``1 - confidence``.

        Confidences are calibrated probabilities that each bead is exactly right, so this is
        how many rows a reviewer should expect to correct (unaligned sentences included, unlike
        :attr:`quality`); it ranks documents for review by the work they need, where quality
        ranks them by share. 0.0 when there are no beads.
        """
        return float(sum(1.0 - b.confidence for b in self.beads))

    @property
    def coverage(self) -> tuple[float, float]:
        """Share of the source's and of the target's sentences that a bead pairs with the other
        side (0.0 for a side without sentences)."""
        src = sum(len(b.src) for b in self.beads if b.tgt)
        tgt = sum(len(b.tgt) for b in self.beads if b.src)
        return (
            src / len(self.src) if self.src else 0.0,
            tgt / len(self.tgt) if self.tgt else 0.0,
        )


#: A bead's shape ``(a, b)``: ``a`` source and ``b`` target sentences.
Shape = tuple[int, int]
#: ``progress(done, total)``: called as a long stage advances (rows of a search, pairs of a batch).
Progress = Callable[[int, int], None]
