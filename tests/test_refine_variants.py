"""The refinement-variant harness of ``benchmarks/refine_variants.py``: its copy of the
refinement's loop gives the shipped refinement's beads, its oracle takes the gold's nulls, its
linker with no late sentence is the refinement's exclusive linking."""

from __future__ import annotations

import random
from typing import Any

import pytest
from scripts import load_script

from aligner.config import AlignConfig
from aligner.scoring import refine as R
from aligner.search import Step

rv = load_script("benchmarks/refine_variants.py", register=True)

SUBJECTS = [
    ("Le chat", "The cat"),
    ("Le chien", "The dog"),
    ("La femme", "The woman"),
    ("L'homme", "The man"),
    ("Le roi", "The king"),
    ("La reine", "The queen"),
    ("Le garçon", "The boy"),
    ("La fille", "The girl"),
]
VERBS = [("mange", "eats"), ("voit", "sees"), ("aime", "loves"), ("vend", "sells")]
OBJECTS = [("le pain", "the bread"), ("la pomme", "the apple"), ("le livre", "the book")]
PLACES = [
    ("dans le jardin", "in the garden"),
    ("près de la rivière", "near the river"),
    ("sur la montagne", "on the mountain"),
    ("dans la ville", "in the town"),
]


def _doc() -> Any:
    """Sixty French sentences, their English with some pairs joined into one sentence and some
    dropped (gold 2-1 and 1-0 beads)."""
    r = random.Random(3)
    pairs = []
    for _ in range(60):
        s, v, o, p = (r.choice(x) for x in (SUBJECTS, VERBS, OBJECTS, PLACES))
        pairs.append((f"{s[0]} {v[0]} {o[0]} {p[0]}.", f"{s[1]} {v[1]} {o[1]} {p[1]}."))
    src: list[str] = []
    tgt: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i = 0
    while i < len(pairs):
        if i % 9 == 4 and i + 1 < len(pairs):
            second = pairs[i + 1][1]
            src += [pairs[i][0], pairs[i + 1][0]]
            tgt.append(f"{pairs[i][1][:-1]} and {second[0].lower()}{second[1:]}")
            gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
            i += 2
        elif i % 13 == 7:
            src.append(pairs[i][0])
            gold.append(((len(src) - 1,), ()))
            i += 1
        else:
            src.append(pairs[i][0])
            tgt.append(pairs[i][1])
            gold.append(((len(src) - 1,), (len(tgt) - 1,)))
            i += 1
    return rv.devsets.Doc("syn", "syn", tuple(src), tuple(tgt), "fr", "en", tuple(gold))


def _merged_nulls(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """The path with each 1-0 bead joined to the 1-1 bead after it (the dropped sentence
    merged into its neighbour's bead, the error the null options are for)."""
    out = list(steps)
    q = 0
    while q < len(out) - 1:
        a, b = out[q], out[q + 1]
        if a.shape == (1, 0) and b.shape == (1, 1):
            out[q : q + 2] = [Step(a.i0, b.i1, b.j0, b.j1, a.cost + b.cost)]
        q += 1
    return tuple(out)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, tuple[Step, ...]]:
    doc = _doc()
    model, steps = rv.pass_two(doc, AlignConfig(), tmp_path_factory.mktemp("cache"))
    merged = _merged_nulls(steps)
    assert sum(s.shape == (1, 0) for s in merged) == 0 < sum(s.shape == (1, 0) for s in steps)
    return doc, model, merged


def _spans(steps: tuple[Step, ...]) -> list[tuple[int, int, int, int]]:
    return [(s.i0, s.i1, s.j0, s.j1) for s in steps]


def test_the_harness_loop_gives_the_shipped_refinements_beads_null_options_included(
    case: tuple[Any, Any, tuple[Step, ...]],
) -> None:
    doc, model, merged = case
    shipped = R.refine(model, merged, doc.src, doc.tgt, own_priors=False, relative=False)
    without = R.refine(
        model, merged, doc.src, doc.tgt, nulls=False, own_priors=False, relative=False
    )
    assert _spans(shipped) != _spans(without)  # the null options decide something here
    assert _spans(rv.refine_with(model, merged, doc)) == _spans(shipped)


def test_the_oracle_takes_every_gold_null_it_is_offered(
    case: tuple[Any, Any, tuple[Step, ...]],
) -> None:
    doc, model, merged = case
    got = rv.VARIANTS["oracle-all"](model, merged, doc)
    nulls = {(tuple(range(s.i0, s.i1)), ()) for s in got if s.shape == (1, 0)}
    assert nulls == {b for b in doc.gold if not b[1]}


def test_the_linker_with_no_late_sentence_is_the_refinements_exclusive_linking(
    case: tuple[Any, Any, tuple[Step, ...]],
) -> None:
    doc, model, merged = case
    sc = R.Scorer(model, True, doc.src, doc.tgt)
    for span in _spans(merged):
        if span[0] < span[1] and span[2] < span[3]:
            assert rv.mate_links(sc, span, None, None) == sc.links(span)


def _text_nulls(translated: list[float]) -> Any:
    """The harness's link evidence over 300 one-to-one beads of ten-word sentences whose linked
    share is ``translated`` (cycled) against the counterpart and 0.1 against its neighbour."""

    def share(src: bool, k: int, others: range) -> tuple[float, float]:
        own = others.start == k
        return (10 * (translated[k % len(translated)] if own else 0.1), 10.0)

    return rv.TextNulls.of(share, [(i, i + 1, i, i + 1) for i in range(300)], 300, 300)


def test_the_link_evidence_weighs_an_unlinked_sentence_by_the_texts_own_translations() -> None:
    literal = _text_nulls([0.7, 0.8, 0.6, 0.75])
    free = _text_nulls([0.7, 0.0, 0.6, 0.1, 0.8, 0.0])
    # A sentence linking nothing looks untranslated, one linking most looks translated.
    assert literal.evidence(True, 1, (0.0, 10.0)) > 0 > literal.evidence(True, 1, (7.0, 10.0))
    # A text whose translated sentences often link nothing gives that less evidence.
    assert 0 < free.evidence(True, 1, (0.0, 10.0)) < literal.evidence(True, 1, (0.0, 10.0))
