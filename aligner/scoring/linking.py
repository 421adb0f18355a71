"""Competitive linking of a bead's word candidates, and the linked mass it leaves."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

#: An exclusive link candidate: minus its value, its distance from the bead's diagonal, source
#: sentence, source token, target sentence, target token, the two words' occurrences, and the
#: two occurrences keyed by one number each (sentence times vocabulary plus token).
Candidate = tuple[float, float, int, int, int, int, int, int, int, int]
#: One word link made: source sentence, source token, target sentence, target token.
WordLink = tuple[int, int, int, int]


@dataclass(frozen=True)
class Links:
    """Linked mass between the sentences of a bead: ``src[(k, m_)]`` is the weight of source
    sentence ``k``'s words linked into target sentence ``m_`` (times the link's value), ``tgt``
    the same counted on the target words."""

    src: dict[tuple[int, int], float]
    tgt: dict[tuple[int, int], float]

    def src_mass(self, k: int, targets: Collection[int]) -> float:
        """Source sentence ``k``'s mass linked into ``targets``."""
        return sum(self.src.get((k, m_), 0.0) for m_ in targets)

    def tgt_mass(self, m_: int, sources: Collection[int]) -> float:
        """Target sentence ``m_``'s mass linked into ``sources``."""
        return sum(self.tgt.get((k, m_), 0.0) for k in sources)


def link_in_order(
    cands: Iterable[Candidate],
    s_weight: Sequence[float],
    t_weight: Sequence[float],
    made: list[WordLink] | None = None,
) -> Links:
    """Competitive linking over a bead's candidates, strongest first (as sorted): each word
    occurrence in one link, a word credited once, by its strongest link. A candidate is
    (minus the table's value, its distance from the diagonal, source sentence and token, target
    sentence and token, how often the two words are written there, and the two occurrences
    keyed by one number each: sentence times vocabulary plus token). ``made``: each link made is
    also appended to it, as (source sentence, token, target sentence, token)."""
    src: dict[tuple[int, int], float] = {}
    tgt: dict[tuple[int, int], float] = {}
    used_s: dict[int, int] = {}
    used_t: dict[int, int] = {}
    for neg, _, k, s, m_, t, cs, ct, ks, mt in cands:
        ns, nt = used_s.get(ks, 0), used_t.get(mt, 0)
        if ns >= cs or nt >= ct:
            continue
        used_s[ks], used_t[mt] = ns + 1, nt + 1
        if made is not None:
            made.append((k, s, m_, t))
        if ns == 0:
            src[k, m_] = src.get((k, m_), 0.0) - neg * s_weight[s]
        if nt == 0:
            tgt[k, m_] = tgt.get((k, m_), 0.0) - neg * t_weight[t]
    return Links(src, tgt)
