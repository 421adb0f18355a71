"""The bead cost model (aligner.scoring.cost) tested directly, without the passes around it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.config import AlignConfig
from aligner.features import matching
from aligner.features.length import LengthModel
from aligner.features.lexicon import Table, learned_table, spelling_table
from aligner.scoring import cost
from aligner.scoring.cost import MatchCache, Model, Texts, factory, make_matches, path_band
from aligner.search import Band, CostFunction, Step, search, widen
from aligner.segmentation.sentences import segment
from aligner.types import Shape

ROOT = Path(__file__).resolve().parent.parent
ARMISTICE = ROOT / "texts" / "armistice-1917"

# Six unrelated English sentences and their French translations: the names, numbers and
# cognates they share are the only lexical evidence the spelling table can find.
EN = (
    "The delegation arrived in Brest-Litovsk on 20 November 1917.",
    "General Hoffmann received the Russian officers at the station.",
    "Trotsky read the declaration to the assembly in Petrograd.",
    "The telegraph operators worked through the night without rest.",
    "Negotiations about the Baltic islands continued until December.",
    "Nobody expected the armistice to hold for more than a month.",
)
FR = (
    "La délégation arriva à Brest-Litovsk le 20 novembre 1917.",
    "Le général Hoffmann reçut les officiers russes à la gare.",
    "Trotsky lut la déclaration devant l'assemblée à Petrograd.",
    "Les télégraphistes travaillèrent toute la nuit sans repos.",
    "Les négociations sur les îles de la Baltique durèrent jusqu'en décembre.",
    "Personne ne croyait que l'armistice tiendrait plus d'un mois.",
)


def make_model(
    src: Sequence[str],
    tgt: Sequence[str],
    config: AlignConfig | None = None,
    src_paragraphs: Sequence[int] = (),
    tgt_paragraphs: Sequence[int] = (),
    table: Table | None = None,
) -> Model:
    """A pass-1 model: length ratio of the totals, spelling table, no baseline."""
    texts = Texts.of(src, tgt, src_paragraphs, tgt_paragraphs)
    length = LengthModel.estimate(texts.src.lengths, texts.tgt.lengths)
    if table is None:
        table = spelling_table(texts.src, texts.tgt)
    return Model.of(texts, length, table, config or AlignConfig())


def full_cost(model: Model) -> CostFunction:
    """The cost function over the whole matrix."""
    return factory(model)(Band.full(model.texts.src.n, model.texts.tgt.n))


def cell(fn: CostFunction, shape: Shape, i: int, j: int) -> float:
    """The cost of one bead ending at ``(i, j)``."""
    return float(fn(shape, np.array([i], np.int64), np.array([j], np.int64))[0])


def bonus(src: Sequence[str], tgt: Sequence[str], shape: Shape, i: int, j: int) -> float:
    """The lexical bonus of a bead: its cost without lexical weight minus its cost with it."""
    with_lex = make_model(src, tgt)
    without = replace(with_lex, config=replace(with_lex.config, lexical_weight=0.0))
    return cell(full_cost(without), shape, i, j) - cell(full_cost(with_lex), shape, i, j)


def all_cells(n_src: int, n_tgt: int, shape: Shape) -> tuple[np.ndarray, np.ndarray]:
    """Every end cell ``(i, j)`` of the matrix a bead of ``shape`` can end at."""
    a, b = shape
    i, j = np.meshgrid(np.arange(a, n_src + 1), np.arange(b, n_tgt + 1), indexing="ij")
    return i.ravel().astype(np.int64), j.ravel().astype(np.int64)


@pytest.fixture(scope="module")
def armistice() -> Model:
    """fr-en armistice texts, with a lexicon learned from the diagonal (lexical evidence)."""
    fr = segment((ARMISTICE / "fr.txt").read_text(encoding="utf-8"), "fr")
    en = segment((ARMISTICE / "en.txt").read_text(encoding="utf-8"), "en")
    texts = Texts.of(fr.texts, en.texts, fr.paragraph_of, en.paragraph_of)
    diagonal = [(k, k + 1, k, k + 1) for k in range(min(texts.src.n, texts.tgt.n))]
    table = spelling_table(texts.src, texts.tgt) | learned_table(texts.src, texts.tgt, diagonal)
    return make_model(fr.texts, en.texts, None, fr.paragraph_of, en.paragraph_of, table)


# --- translations against unrelated sentences ----------------------------------------------


@pytest.mark.parametrize("k", range(len(EN)))
def test_a_translation_costs_less_than_any_unrelated_sentence(k: int) -> None:
    fn = full_cost(make_model(EN, FR))
    own = cell(fn, (1, 1), k + 1, k + 1)
    others = [cell(fn, (1, 1), k + 1, j + 1) for j in range(len(FR)) if j != k]
    assert own < min(others)


@pytest.mark.parametrize("k", range(len(EN)))
def test_a_translation_earns_more_lexical_bonus_than_an_unrelated_sentence(k: int) -> None:
    own = bonus(EN, FR, (1, 1), k + 1, k + 1)
    assert own > 0
    for j in range(len(FR)):
        if j != k:
            assert bonus(EN, FR, (1, 1), k + 1, j + 1) < own


def test_the_right_one_to_two_bead_costs_less_than_a_wrong_one() -> None:
    # Sentence 3 of the French split in two: the 1-2 bead over both halves wins against one
    # over a half and the next sentence.
    halves = ("Les télégraphistes travaillèrent toute la nuit.", "Ils restèrent sans repos.")
    fr = (*FR[:3], *halves, *FR[4:])
    fn = full_cost(make_model(EN, fr))
    right = cell(fn, (1, 2), 4, 5)
    assert right < cell(fn, (1, 2), 4, 6)
    assert right < cell(fn, (1, 2), 4, 4)


# --- shared rare keys ------------------------------------------------------------------------

# Filler sentences of distinct words: no key is shared across the two sides.
FILLER_SRC = (
    "Quiet morning over the harbour.",
    "Somebody whistled outside.",
    "Leaves covered every bench.",
    "Coffee went cold again.",
    "Trains stopped running early.",
)
FILLER_TGT = (
    "Matinée calme sur le port.",
    "Quelqu'un sifflait dehors.",
    "Feuilles partout sur les bancs.",
    "Café refroidi encore.",
    "Les convois arrêtés tôt.",
)
NUMBERS = ("4711", "8839", "1066", "2048", "3141")


@pytest.mark.parametrize("extra", ["", "Monday"])
def test_the_lexical_bonus_grows_with_each_shared_rare_key(extra: str) -> None:
    # Numbers found once in each text, added one by one to a pair of sentences (with and
    # without a word that matches nothing).
    bonuses = []
    for k in range(len(NUMBERS) + 1):
        keys = " ".join(NUMBERS[:k])
        src = (f"Records counted {keys} {extra} items.", *FILLER_SRC)
        tgt = (f"Registres comptaient {keys} objets.", *FILLER_TGT)
        bonuses.append(bonus(src, tgt, (1, 1), 1, 1))
    assert all(b < c for b, c in itertools.pairwise(bonuses)), bonuses


def test_a_key_shared_by_every_sentence_adds_no_bonus() -> None:
    # "#1917" in every sentence of both sides is too frequent to weigh anything.
    src = (f"Records counted {NUMBERS[0]} items.", *FILLER_SRC)
    tgt = (f"Registres comptaient {NUMBERS[0]} objets.", *FILLER_TGT)
    with_common = bonus([s + " 1917" for s in src], [t + " 1917" for t in tgt], (1, 1), 1, 1)
    assert with_common == pytest.approx(bonus(src, tgt, (1, 1), 1, 1), abs=1e-9)


def test_an_insertion_or_deletion_earns_no_lexical_bonus() -> None:
    for shape, i, j in (((1, 0), 1, 0), ((0, 1), 0, 1), ((1, 0), 3, 2)):
        assert bonus(EN, FR, shape, i, j) == 0.0


# --- paragraph crossings ---------------------------------------------------------------------

PARAGRAPHS = (0, 0, 0, 1, 1, 1)


def paragraph_models(
    src_paragraphs: Sequence[int], tgt_paragraphs: Sequence[int]
) -> tuple[CostFunction, CostFunction, float]:
    """Cost functions with the default paragraph penalty and with none, and the penalty."""
    model = make_model(EN, FR, None, src_paragraphs, tgt_paragraphs)
    free = replace(model, config=replace(model.config, paragraph_penalty=0.0))
    return full_cost(model), full_cost(free), model.config.paragraph_penalty


@pytest.mark.parametrize(
    ("shape", "i", "j"),
    [
        ((2, 1), 4, 3),  # source sentences 2-3 across the boundary, one target sentence
        ((1, 2), 3, 4),  # target sentences 2-3 across the boundary, one source sentence
        ((2, 2), 4, 2),  # source crosses, target sentences 0-1 do not
        ((3, 1), 5, 5),
        ((1, 3), 2, 4),
    ],
)
def test_a_bead_crossing_a_boundary_on_one_side_pays_the_penalty(
    shape: Shape, i: int, j: int
) -> None:
    penalised, free, penalty = paragraph_models(PARAGRAPHS, PARAGRAPHS)
    assert penalty > 0
    assert cell(penalised, shape, i, j) - cell(free, shape, i, j) == pytest.approx(penalty)


@pytest.mark.parametrize(
    ("shape", "i", "j"),
    [
        ((2, 1), 3, 3),  # source sentences 1-2: one paragraph
        ((2, 2), 4, 4),  # both sides cross: the paragraphs agree
        ((1, 1), 4, 3),  # one sentence a side crosses nothing
        ((1, 0), 4, 3),
        ((0, 1), 3, 4),
        ((2, 2), 6, 6),
    ],
)
def test_a_bead_within_paragraphs_or_crossing_on_both_sides_pays_nothing(
    shape: Shape, i: int, j: int
) -> None:
    penalised, free, _ = paragraph_models(PARAGRAPHS, PARAGRAPHS)
    assert cell(penalised, shape, i, j) == pytest.approx(cell(free, shape, i, j), abs=1e-12)


def test_no_penalty_when_one_side_has_no_paragraphs() -> None:
    penalised, free, _ = paragraph_models(PARAGRAPHS, ())
    assert cell(penalised, (2, 1), 4, 3) == pytest.approx(cell(free, (2, 1), 4, 3), abs=1e-12)


def test_headings_stand_in_for_missing_paragraphs() -> None:
    # Without paragraph indices a heading starts a block: a bead taking the heading with the
    # prose after it, on one side only, pays the penalty.
    src = ("CHAPTER ONE", *EN[:3])
    tgt = ("CHAPITRE UN", *FR[:3])
    model = make_model(src, tgt)
    free = replace(model, config=replace(model.config, paragraph_penalty=0.0))
    crossing = cell(full_cost(model), (2, 1), 2, 1) - cell(full_cost(free), (2, 1), 2, 1)
    assert crossing == pytest.approx(model.config.paragraph_penalty)


# --- finiteness and band independence --------------------------------------------------------


def test_costs_are_finite_for_every_allowed_shape_and_cell(armistice: Model) -> None:
    fn = full_cost(armistice)
    n, m = armistice.texts.src.n, armistice.texts.tgt.n
    for shape in armistice.config.shapes:
        i, j = all_cells(n, m, shape)
        assert np.all(np.isfinite(fn(shape, i, j))), shape


WORDS = st.sampled_from(
    (
        *("Paris", "Moscou", "Moscow", "1917", "42", "peace", "paix", "war", "guerre", "the"),
        *("la", "a", "?", "!", "«", "»", ":", "(", ")", "Lénine", "Lenin", "", "  "),
    )
)
SENTENCES = st.lists(st.lists(WORDS, max_size=8).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(src=SENTENCES, tgt=SENTENCES, max_bead=st.integers(1, 4))
def test_costs_are_finite_on_any_small_text(src: list[str], tgt: list[str], max_bead: int) -> None:
    # Blank sentences, sentences of punctuation only, one side without any key: still finite.
    model = make_model(src, tgt, AlignConfig(max_bead=max_bead))
    fn = full_cost(model)
    for shape in model.config.shapes:
        i, j = all_cells(len(src), len(tgt), shape)
        if i.size:
            assert np.all(np.isfinite(fn(shape, i, j))), shape


def band_cells(band: Band, shape: Shape) -> tuple[np.ndarray, np.ndarray]:
    """Cells of ``band`` a search may ask for: the cell and its predecessor in the band."""
    a, b = shape
    rows, cols = [], []
    for i in range(a, band.n_src + 1):
        for j in range(max(b, int(band.lo[i])), int(band.hi[i]) + 1):
            if band.contains(i - a, j - b):
                rows.append(i)
                cols.append(j)
    return np.array(rows, np.int64), np.array(cols, np.int64)


@pytest.mark.parametrize("width", [0, 1, 2, 4])
@pytest.mark.parametrize("slope", [1.0, 0.5])
def test_a_cells_cost_does_not_depend_on_the_band(
    armistice: Model, width: int, slope: float
) -> None:
    n, m = armistice.texts.src.n, armistice.texts.tgt.n
    band = Band.around(np.minimum(np.arange(n + 1) * slope * m / n, m), m, width)
    narrow, whole = factory(armistice)(band), full_cost(armistice)
    asked = 0
    for shape in armistice.config.shapes:
        i, j = band_cells(band, shape)
        if i.size:
            asked += i.size
            np.testing.assert_array_equal(narrow(shape, i, j), whole(shape, i, j))
    assert asked > n  # the band held cells of every row, not only the corners


def test_cached_matches_give_the_same_costs(armistice: Model) -> None:
    n, m = armistice.texts.src.n, armistice.texts.tgt.n
    wide = Band.around(np.linspace(0, m, n + 1), m, 6)
    narrow = Band.around(np.linspace(0, m, n + 1), m, 2)
    cache = MatchCache(armistice)
    factory(armistice, cache)(wide)
    first = cache.last
    cached = factory(armistice, cache)(narrow)
    assert cache.last is first  # the wide band's matches served the narrow one
    fresh = factory(armistice)(narrow)
    for shape in armistice.config.shapes:
        i, j = band_cells(narrow, shape)
        np.testing.assert_array_equal(cached(shape, i, j), fresh(shape, i, j))


@pytest.mark.parametrize("chunk", [None, 64])
def test_a_widened_band_joins_only_its_changed_rows_to_the_same_matches(
    armistice: Model, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    if chunk is not None:  # chunk edges splitting rows: each part is rounded to float32 apart
        monkeypatch.setattr(matching, "JOIN_CHUNK", chunk)
        monkeypatch.setattr(matching, "JOIN_PIECE", chunk)
    n, m = armistice.texts.src.n, armistice.texts.tgt.n
    band = Band.around(np.linspace(0, m, n + 1), m, 2)
    pressed = np.zeros(n + 1, np.bool_)
    pressed[n // 2] = True
    wider = widen(band, pressed, pressed, 5)
    joined: list[int] = []

    def counting(*args: object) -> np.ndarray:
        only = args[7] if len(args) > 7 else None
        joined.append(len(args[5].lo) if only is None else int(np.sum(only)))  # type: ignore[arg-type]
        return matching.window_matches(*args)  # type: ignore[arg-type]

    cache = MatchCache(armistice)
    cache(band)
    monkeypatch.setattr(cost, "window_matches", counting)
    got = cache(wider)
    # Both sides joined again, each for the rows the widening changed only.
    assert len(joined) == 2 and 0 < joined[0] < n and 0 < joined[1] < m
    monkeypatch.setattr(cost, "window_matches", matching.window_matches)
    fresh = make_matches(armistice, wider)
    for a, b in [(got.band, fresh.band), (got.band_t, fresh.band_t)]:
        np.testing.assert_array_equal(a.lo, b.lo)
        np.testing.assert_array_equal(a.hi, b.hi)
    assert got.src.any() and got.tgt.any()
    np.testing.assert_array_equal(got.src, fresh.src)
    np.testing.assert_array_equal(got.tgt, fresh.tgt)


# --- path_band ---------------------------------------------------------------------------------


def test_search_on_the_model_pairs_translations_one_to_one() -> None:
    model = make_model(EN, FR)
    steps = search(len(EN), len(FR), model.config.shapes, factory(model))
    assert [s.shape for s in steps] == [(1, 1)] * len(EN)


def steps_of(shapes: Sequence[Shape]) -> list[Step]:
    """The steps of a path of beads from (0, 0)."""
    steps, i, j = [], 0, 0
    for a, b in shapes:
        steps.append(Step(i, i + a, j, j + b, 0.0))
        i, j = i + a, j + b
    return steps


#: A path with insertions, deletions and wide beads, no run of insertions longer than two.
MIXED = ((1, 1), (0, 1), (0, 1), (2, 1), (1, 0), (1, 3), (1, 1), (3, 2), (1, 0), (1, 1))
#: A 1-1 bead, then ten target sentences left unaligned (an untranslated passage), then 1-1.
LONG_INSERTION_RUN = ((1, 1), (1, 1), *[(0, 1)] * 10, (1, 1), (1, 1))


@pytest.mark.parametrize(
    ("shapes", "width"),
    [
        (MIXED, 3),
        (MIXED, 6),
        (((1, 1),) * 5, 1),
        # Regression: the row of the bead before the run is centred on the run's
        # end, so with the width confidences use (max_bead + 2 = 6) the band starts 5 columns
        # past the bead's own end cell and the path leaves the band.
        pytest.param(LONG_INSERTION_RUN, AlignConfig().max_bead + 2, id="bug-long-insertion-run"),
    ],
)
def test_path_band_holds_every_cell_the_path_visits(shapes: Sequence[Shape], width: int) -> None:
    steps = steps_of(shapes)
    n_src, n_tgt = steps[-1].i1, steps[-1].j1
    band = path_band(steps, n_src, n_tgt, width)
    assert band.n_src == n_src and band.n_tgt == n_tgt
    outside = [(s.i1, s.j1) for s in steps if not band.contains(s.i1, s.j1)]
    assert outside == [], f"path cells outside the band: {outside}; lo={band.lo.tolist()}"
    for s in steps:
        # ``width`` columns beyond the path in every row it reaches.
        assert band.contains(s.i1, min(s.j1 + width, n_tgt))
