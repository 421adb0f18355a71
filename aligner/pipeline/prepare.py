"""Two texts prepared once: their features, spelling and dictionary tables, anchors and guide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aligner.arrays import FloatArray
from aligner.config import AlignConfig
from aligner.features.anchors import find_anchors, guide_path
from aligner.features.dictionary import base_language, index_pairs
from aligner.features.lexicon import Table, dictionary_table, index_table, spelling_table
from aligner.features.repeats import guide_partners, repeat_table
from aligner.features.tokens import Side
from aligner.pinned import Constraints
from aligner.resources import Resources
from aligner.scoring.cost import Texts

#: A key anchors two sentences when it occurs in at most this many distinct sentences of each
#: text (a sentence repeated verbatim counts once, see :func:`~aligner.features.anchors.
#: candidate_pairs`): rarer keys make a coincidental match unlikely, and a key found twice still
#: pins a pair.
ANCHOR_MAX_SENTENCES = 2


def _anchor_keys(side: Side, shared: npt.NDArray[np.bool_]) -> list[list[int]]:
    """Per sentence, its rare tokens that also occur (spelled alike) in the other text."""
    keep = shared[side.occ_tok] & (side.distinct_df[side.occ_tok] <= ANCHOR_MAX_SENTENCES)
    out: list[list[int]] = [[] for _ in range(side.n)]
    for i, t in zip(side.occ_sent[keep].tolist(), side.occ_tok[keep].tolist(), strict=True):
        out[i].append(t)
    return out


def _anchors(texts: Texts, spelling: Table) -> list[tuple[int, int]]:
    """Sentence pairs sharing a rare, identically spelled key, as one monotone chain."""
    exact = spelling.val >= 1.0
    s_tok, t_tok = spelling.src[exact], spelling.tgt[exact]
    s_shared = np.zeros(len(texts.src.vocab), np.bool_)
    t_shared = np.zeros(len(texts.tgt.vocab), np.bool_)
    s_shared[s_tok] = True
    t_shared[t_tok] = True
    # Keys must be equal across sides: map the target token to its source twin's id.
    t_to_s = np.full(len(texts.tgt.vocab), -1, np.int64)
    t_to_s[t_tok] = s_tok
    src_keys = _anchor_keys(texts.src, s_shared)
    tgt_keys = [[int(t_to_s[t]) for t in ks] for ks in _anchor_keys(texts.tgt, t_shared)]
    return find_anchors(
        src_keys,
        tgt_keys,
        max_occurrences=ANCHOR_MAX_SENTENCES,
        src_copy_of=_copies(texts.src),
        tgt_copy_of=_copies(texts.tgt),
    )


def _copies(side: Side) -> list[int] | None:
    """Per sentence, the first sentence written like it (None: no sentence repeats)."""
    return None if side.copy_of is None else side.copy_of.tolist()


def _dictionaries(
    texts: Texts, src_lang: str, tgt_lang: str, cfg: AlignConfig, resources: Resources
) -> Table:
    """Translations from the shipped dictionary of the pair and the user's, by form or lemma.

    Every pair counts fully. Weighting the shipped pairs by how specific they are in the texts
    (``1 / sqrt(n_s * n_t)``, n the translations a lemma has among the other text's lemmas) was
    measured and left out: strict F1 Text+Berg 0.927 either way and TransRead 0.947 against
    0.946 without (``benchmarks/accuracy.py``), but with the target cut after 30 % of its gold
    beads 9 of 25 dev documents came out aligned wholly wrong against 6 without, and after 50 %
    2 against none (``devsets.partial``): the weaker first pass loses partial translations.
    """
    table = Table.empty()
    if cfg.builtin_dictionary:
        shipped = resources.dictionary(src_lang, tgt_lang)
        table = table | index_table(shipped, texts.src, texts.tgt)
    if cfg.dictionary:
        table = table | index_table(index_pairs(cfg.dictionary), texts.src, texts.tgt)
    return table


@dataclass(frozen=True)
class _Prepared:
    """Two texts' features and the tables that do not depend on a pass."""

    texts: Texts
    spelling: Table  # identity, cognates, and the user's dictionary as given
    dictionary: Table  # shipped and user dictionaries, matched by form or lemma
    anchors: list[tuple[int, int]]
    guide: FloatArray  # the path through the anchors (features.anchors.guide_path)
    constraints: Constraints | None = None  # pins and cuts every pass's path keeps to


def _prepare(
    src: tuple[str, ...],
    tgt: tuple[str, ...],
    src_lang: str,
    tgt_lang: str,
    src_paragraphs: Sequence[int],
    tgt_paragraphs: Sequence[int],
    cfg: AlignConfig,
    resources: Resources | None = None,
    release_lemmas: bool = False,
) -> _Prepared:
    """Tokenise (and, when a dictionary is used, lemmatise) both texts; build the tables.

    With ``release_lemmas`` the lemma tables are let go as soon as both texts are lemmatised,
    before the tables below are built (the Russian one is some 130 MB). Without
    ``resources``, a set of this call's own, let go that way.
    """
    if resources is None:
        resources, release_lemmas = Resources(), True
    lemmas = cfg.builtin_dictionary or bool(cfg.dictionary)
    texts = Texts.of(
        src,
        tgt,
        src_paragraphs,
        tgt_paragraphs,
        base_language(src_lang) if lemmas else None,
        base_language(tgt_lang) if lemmas else None,
        resources.lemma_tables,
    )
    if release_lemmas:
        resources.release_lemmas()
    spelling = spelling_table(texts.src, texts.tgt)
    if cfg.dictionary:
        spelling = spelling | dictionary_table(cfg.dictionary, texts.src, texts.tgt)
    # Anchors come from spellings alone: a dictionary pair is a translation, not a sure mark.
    anchors = _anchors(texts, spelling)
    dictionary = _dictionaries(texts, src_lang, tgt_lang, cfg, resources)
    # Words recurring where the anchors' guide puts them together (Fung & Church's K-vec).
    guide = guide_path(texts.src.n, texts.tgt.n, anchors)
    dictionary = dictionary | repeat_table(
        texts.src, texts.tgt, *guide_partners(guide, texts.tgt.n)
    )
    return _Prepared(texts, spelling, dictionary, anchors, guide)
