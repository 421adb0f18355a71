"""Strict and lax precision, recall and F1 of beads against gold (Sennrich & Volk 2011).

The definition is the one Bleualign, Vecalign and Bertalign report:

* Beads are compared as (source id tuple, target id tuple).
* Precision counts over all test beads, insertions and deletions included; recall counts over
  the gold beads with both sides non-empty (test beads with an empty side are dropped too).
* Strict: the bead is exactly in gold. Lax: one of its source sentences is aligned in gold to
  one of its target sentences.
* Counts are summed over all documents, then P, R and F1 computed; a division by zero gives 0.

Rico Sennrich and Martin Volk (2011), "Iterative, MT-based sentence alignment of parallel
texts", NODALIDA. https://aclanthology.org/W11-4624/
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.errors import InputError
from aligner.types import Alignment, Bead

Pair = tuple[tuple[int, ...], tuple[int, ...]]
BeadLike = Bead | Pair


@dataclass(frozen=True)
class Counts:
    """True and false positives for one direction (precision, or recall read backwards)."""

    strict_tp: int = 0
    strict_fp: int = 0
    lax_tp: int = 0
    lax_fp: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.strict_tp + other.strict_tp,
            self.strict_fp + other.strict_fp,
            self.lax_tp + other.lax_tp,
            self.lax_fp + other.lax_fp,
        )


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1, with the counts behind them."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float
    precision_counts: Counts
    recall_counts: Counts

    def as_dict(self) -> dict[str, float]:
        """The six figures, keyed ``strict_precision`` … ``lax_f1``."""
        return {
            "strict_precision": self.strict_precision,
            "strict_recall": self.strict_recall,
            "strict_f1": self.strict_f1,
            "lax_precision": self.lax_precision,
            "lax_recall": self.lax_recall,
            "lax_f1": self.lax_f1,
        }


def _as_pairs(beads: Alignment | Iterable[BeadLike]) -> list[Pair]:
    items = beads.beads if isinstance(beads, Alignment) else beads
    out: list[Pair] = []
    for b in items:
        src, tgt = (b.src, b.tgt) if isinstance(b, Bead) else b
        if src or tgt:
            out.append((tuple(src), tuple(tgt)))
    return out


def _count(test: Sequence[Pair], gold: Sequence[Pair]) -> Counts:
    """Score ``test`` beads against ``gold``: precision as called, recall with arguments swapped."""
    gold_set = set(gold)
    linked: dict[int, set[int]] = {}
    for src, tgt in gold:
        for s in src:
            linked.setdefault(s, set()).update(tgt)
    strict_tp = strict_fp = lax_tp = lax_fp = 0
    for src, tgt in test:
        if (src, tgt) in gold_set:
            strict_tp += 1
            lax_tp += 1
            continue
        strict_fp += 1
        targets = set(tgt)
        if any(linked.get(s, set()) & targets for s in src):
            lax_tp += 1
        else:
            lax_fp += 1
    return Counts(strict_tp, strict_fp, lax_tp, lax_fp)


def count(
    test: Alignment | Iterable[BeadLike], gold: Alignment | Iterable[BeadLike]
) -> tuple[Counts, Counts]:
    """Precision counts and recall counts of one document."""
    test_pairs, gold_pairs = _as_pairs(test), _as_pairs(gold)
    precision = _count(test_pairs, gold_pairs)
    test_full = [p for p in test_pairs if p[0] and p[1]]
    gold_full = [p for p in gold_pairs if p[0] and p[1]]
    recall = _count(gold_full, test_full)
    return precision, recall


def _ratio(tp: int, fp: int) -> float:
    return tp / (tp + fp) if tp + fp else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores_from_counts(precision: Counts, recall: Counts) -> Scores:
    """Turn summed counts into P, R and F1, strict and lax."""
    sp = _ratio(precision.strict_tp, precision.strict_fp)
    sr = _ratio(recall.strict_tp, recall.strict_fp)
    lp = _ratio(precision.lax_tp, precision.lax_fp)
    lr = _ratio(recall.lax_tp, recall.lax_fp)
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr), precision, recall)


def evaluate(test: Alignment | Iterable[BeadLike], gold: Alignment | Iterable[BeadLike]) -> Scores:
    """Score one document's beads against its gold beads.

    >>> s = evaluate([((0,), (0,)), ((1,), (1, 2))], [((0,), (0,)), ((1,), (1,)), ((), (2,))])
    >>> round(s.strict_precision, 2), round(s.lax_precision, 2)
    (0.5, 1.0)
    """
    return evaluate_documents([(test, gold)])


def evaluate_documents(
    documents: Iterable[tuple[Alignment | Iterable[BeadLike], Alignment | Iterable[BeadLike]]],
) -> Scores:
    """Score several documents' (test, gold) pairs, summing counts before dividing."""
    precision, recall = Counts(), Counts()
    for test, gold in documents:
        p, r = count(test, gold)
        precision, recall = precision + p, recall + r
    return scores_from_counts(precision, recall)


def parse_beads(text: str, name: str = "<beads>") -> list[Pair]:
    """Read beads written as ``[0]:[0, 1]`` or ``[3]:[]:0.912``, one per line.

    Gold files may list sentences out of order; only the form is checked here.
    """
    out: list[Pair] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.split(":")
        if len(parts) not in (2, 3):
            raise InputError(f"{name}:{lineno}: expected '[i, …]:[j, …]' beads, got {line!r}")
        try:
            src, tgt = (ast.literal_eval(p.strip()) for p in parts[:2])
            if len(parts) == 3:
                float(parts[2])
        except (ValueError, SyntaxError):
            raise InputError(f"{name}:{lineno}: cannot read bead {line!r}") from None
        if not (isinstance(src, list) and isinstance(tgt, list)) or not all(
            isinstance(i, int) and i >= 0 for i in src + tgt
        ):
            raise InputError(f"{name}:{lineno}: bead sides must be lists of indices: {line!r}")
        out.append((tuple(src), tuple(tgt)))
    return out
