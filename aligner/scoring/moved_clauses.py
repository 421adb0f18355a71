"""Split options of the boundary refinement where no clause moved across the cut holds the bead.

The refinement (:mod:`aligner.scoring.refine`) offers to cut a bead in two where IBM Model 1's
likelihood ratio prefers the two beads, and (:mod:`aligner.scoring.uncrossed_splits`) where no
sentence links across the cut beyond chance. One word linking across the cut beyond chance is
worth some 8 nats under the test and keeps the bead whole, whether a translator really moved a
clause across the sentence boundary (the bead is right) or two parallel verses repeat a word
(the bead is two verse pairs). The two read differently in the sentences: a moved clause is
written at the edge of the sentence next to the cut (the end of the first sentence before it,
the start of the second after it) and translated at the facing edge of the other side's
sentence across the cut, while a repeated word links from anywhere in both. So a cut is held
by a moved clause only where, for a pair of sentences meeting at the cut across it (the last
source sentence before it and the first target sentence after it, or the reverse), one of them
links into the other part beyond chance and the words linking across stand nearer the cut than
the sentence's own words (linked within its part) in both sentences: their mean position,
weighted by the words' rarity, later in the earlier sentence and earlier in the later one (a
weighted mean, not each word, because competitive linking also pairs function words, which a
whole clause outweighs). A word whose translation is written on both sides of the cut among
the sentences it could link to is left out of both counts: the linking put it on one side by
the table's value and the diagonal, not by where the text writes it. Where no pair holds the
cut so, the split is offered too and the bead costs, with the lengths at the cut
(:mod:`aligner.scoring.cuts`), decide as for every other option. Nothing is fitted: the order
of the words is read from the sentences, the chance level is the model's; ``mean=False`` and
``unambiguous=False`` keep the stricter run (each crossing word beyond each own word) and every
word, for comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aligner.features.tokens import text_keys
from aligner.scoring.cost import Model
from aligner.scoring.linking import Candidate, WordLink, link_in_order
from aligner.scoring.uncrossed_splits import uncrossed_splits
from aligner.types import Shape

Span = tuple[int, int, int, int]  # i0, i1, j0, j1
#: Sentences tokenised at once when word positions are read: one, as the sentences whose
#: positions are read (a pair at a cut crossed beyond chance) lie apart, so a block tokenised
#: mostly sentences nobody read; a block of hundreds tokenised (and held) a whole book's.
BLOCK = 1


class Linker(Protocol):
    """What the refinement's scorer gives: its model and the exclusive pass's candidates."""

    model: Model

    def _candidates(self, span: Span) -> list[Candidate]:
        """The exclusive pass's candidates (:data:`~aligner.scoring.linking.Candidate`)."""
        ...

    def links(self, span: Span) -> LinkMass:
        """The bead's exclusive links as linked mass per sentence pair."""
        ...


class LinkMass(Protocol):
    """``linking.Links``: a source sentence's linked mass into some target sentences."""

    def src_mass(self, k: int, targets: Collection[int]) -> float:
        """Source sentence ``k``'s mass linked into ``targets``."""
        ...

    def tgt_mass(self, m_: int, sources: Collection[int]) -> float:
        """Target sentence ``m_``'s mass linked into ``sources``."""
        ...


def word_links(
    cands: Sequence[Candidate], s_weight: Sequence[float], t_weight: Sequence[float]
) -> list[WordLink]:
    """Competitive linking (Melamed 2000) over the candidates, as ``Scorer._exclusive`` links
    them (strongest first, each occurrence in at most one link): the links themselves."""
    made: list[WordLink] = []
    link_in_order(sorted(cands), s_weight, t_weight, made)
    return made


@dataclass
class _Positions:
    """Where each word key is written in each sentence of one side: first and last index among
    the sentence's words (numbers and punctuation, listed first by the tokeniser, left out)."""

    sentences: Sequence[str]
    cache: dict[int, dict[str, tuple[int, int]]] = field(default_factory=dict)

    def __call__(self, k: int) -> dict[str, tuple[int, int]]:
        got = self.cache.get(k)
        if got is None:
            first = k - k % BLOCK
            block = self.sentences[first : first + BLOCK]
            sent, keys = text_keys(block)
            per: list[dict[str, tuple[int, int]]] = [{} for _ in block]
            seen = [0] * len(block)
            for i, key in zip(sent.tolist(), keys, strict=True):
                if not key[:1].isalpha():
                    continue
                at = seen[i]
                seen[i] += 1
                was = per[i].get(key)
                per[i][key] = (at, at) if was is None else (was[0], at)
            for i, d in enumerate(per):
                self.cache[first + i] = d
            got = self.cache[k]
        return got


def _run(
    own: dict[str, float],
    crossing: dict[str, float],
    pos: dict[str, tuple[int, int]],
    end: bool,
    mean: bool,
) -> bool:
    """Whether the ``crossing`` words (key: weight) stand at the sentence's end (``end``) or
    start, beyond its ``own`` words (linked within its part): each of them beyond each own word,
    or (``mean``) their weighted mean position beyond the own words'; a word not found is no
    evidence."""
    cross = [(pos[w], v) for w, v in crossing.items() if w in pos]
    if not cross:
        return False
    stay = [(pos[w], v) for w, v in own.items() if w in pos and w not in crossing]
    if not stay:
        return True
    if mean:
        at_c = sum((p[0] + p[1]) * v for p, v in cross) / max(sum(v for _, v in cross), 1e-12)
        at_s = sum((p[0] + p[1]) * v for p, v in stay) / max(sum(v for _, v in stay), 1e-12)
        return at_c > at_s if end else at_c < at_s
    if end:
        return min(p[1] for p, _ in cross) > max(p[1] for p, _ in stay)
    return max(p[0] for p, _ in cross) < min(p[0] for p, _ in stay)


def _one_side(sentences: Collection[int], cut: int) -> bool:
    """Whether the ``sentences`` all stand before ``cut`` or all from it on."""
    return all(k < cut for k in sentences) or all(k >= cut for k in sentences)


class MovedClauses:
    """Whether a bead's cut is held by a clause moved across it (memoised per bead)."""

    def __init__(
        self,
        linker: Linker,
        src: Sequence[str],
        tgt: Sequence[str],
        mean: bool = True,
        unambiguous: bool = True,
    ) -> None:
        self.linker = linker
        self.mean = mean
        self.src_weight = linker.model.texts.src.weight.tolist()
        self.tgt_weight = linker.model.texts.tgt.weight.tolist()
        self.model = linker.model
        self.src_vocab = linker.model.texts.src.vocab
        self.tgt_vocab = linker.model.texts.tgt.vocab
        self.src_pos = _Positions(src)
        self.tgt_pos = _Positions(tgt)
        self.unambiguous = unambiguous
        self._links: dict[Span, list[WordLink]] = {}
        self._reach: dict[Span, tuple[dict[tuple[int, int], set[int]], ...]] = {}

    def links(self, span: Span) -> list[WordLink]:
        """The bead's exclusive word links (memoised)."""
        got = self._links.get(span)
        if got is None:
            cands = self.linker._candidates(span)
            got = word_links(cands, self.src_weight, self.tgt_weight)
            self._links[span] = got
            src: dict[tuple[int, int], set[int]] = {}
            tgt: dict[tuple[int, int], set[int]] = {}
            for _, _, k, s, m_, t, *_ in cands:
                src.setdefault((k, s), set()).add(m_)
                tgt.setdefault((m_, t), set()).add(k)
            self._reach[span] = (src, tgt)
        return got

    def _clear(self, span: Span, x: int, y: int, before: bool) -> tuple[set[int], set[int]]:
        """The source words of ``x`` and target words of ``y`` whose translation is written
        only on one side of the cut among the sentences their links could take (with
        ``unambiguous``; else all): competitive linking puts a word that could link on both
        sides by the table's value and the diagonal, not by where the text writes it."""
        src, tgt = self._reach[span]
        ci, cj = (x + 1, y) if before else (x, y + 1)
        loose = not self.unambiguous
        keep_s = {s for (k, s), at in src.items() if k == x and (loose or _one_side(at, cj))}
        keep_t = {t for (m_, t), at in tgt.items() if m_ == y and (loose or _one_side(at, ci))}
        return keep_s, keep_t

    def held(self, span: Span, ci: int, cj: int) -> bool:
        """Whether a pair of sentences meeting across the cut at source ``ci`` and target
        ``cj`` links across it beyond chance by a run of words at both sentences' edges."""
        i0, i1, j0, j1 = span
        m = self.model
        # (source sentence, target sentence, whether the source one is before the cut).
        for x, y, before in ((ci - 1, cj, True), (ci, cj - 1, False)):
            if not (i0 <= x < i1 and j0 <= y < j1):
                continue
            other = range(cj, j1) if before else range(j0, cj)
            mine = range(j0, cj) if before else range(cj, j1)
            # Beyond chance as ``Scorer.links_across`` reads it, from either sentence.
            mass = self.linker.links(span)
            back = range(i0, ci) if before else range(ci, i1)
            if not (
                mass.src_mass(x, other) > m.src_chance[len(other) - 1, x]
                or mass.tgt_mass(y, back) > m.tgt_chance[len(back) - 1, y]
            ):
                continue
            # The words' links read only where the cut is crossed beyond chance (most are not).
            links = self.links(span)
            sv, tv, sw, tw = self.src_vocab, self.tgt_vocab, self.src_weight, self.tgt_weight
            ks, kt = self._clear(span, x, y, before)
            xs = [(s, m_) for k, s, m_, _ in links if k == x and s in ks]
            own_x = {sv[s]: sw[s] for s, m_ in xs if m_ in mine}
            cross_x = {sv[s]: sw[s] for s, m_ in xs if m_ == y}
            # ``y``'s own part: the source sentences on its side of the cut.
            parts_y = range(ci, i1) if before else range(i0, ci)
            ys = [(t, k) for k, _, m_, t in links if m_ == y and t in kt]
            own_y = {tv[t]: tw[t] for t, k in ys if k in parts_y}
            cross_y = {tv[t]: tw[t] for t, k in ys if k == x}
            if _run(own_x, cross_x, self.src_pos(x), before, self.mean) and _run(
                own_y, cross_y, self.tgt_pos(y), not before, self.mean
            ):
                return True
        return False


def edge_splits(
    a: Span, b: Span, shapes: Collection[Shape], held: Callable[[Span, int, int], bool]
) -> list[tuple[Span, ...]]:
    """The two adjacent beads ``a`` and ``b`` with either one cut in two, at each inner cut
    that no moved clause holds (``held``); only parts of a searched shape (the cuts of
    :func:`~aligner.scoring.uncrossed_splits.uncrossed_splits`, another test holding them)."""
    return uncrossed_splits(a, b, shapes, held)
