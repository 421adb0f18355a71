"""Work the alignment no longer repeats or loads: each test fails if the saving is undone.

Speed itself is measured in ``benchmarks/`` (``speed.py``, ``profile_stages.py``); these tests
check the behaviour that buys it, and that it changes no result.
"""

from __future__ import annotations

import gc
import platform
import subprocess
import sys
from dataclasses import fields, is_dataclass

import numpy as np
import pytest
from engine import SOLOMON_SRC, SOLOMON_TGT, model_of

import aligner.scoring.cost as cost
from aligner.config import AlignConfig
from aligner.pipeline import align
from aligner.scoring.confidence import evidence
from aligner.scoring.cost import MatchCache, factory, path_band
from aligner.search import search

SRC, TGT = SOLOMON_SRC, SOLOMON_TGT


def test_the_confidences_read_the_last_passes_matches_instead_of_joining_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = model_of(SRC, TGT)
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    steps = search(n_src, n_tgt, model.config.shapes, factory(model))
    fresh = evidence(model, steps)
    # The pass's matches, over a band wider than the one the confidences read.
    cache = MatchCache(model)
    cache(path_band(steps, n_src, n_tgt, AlignConfig().realign_band_width))
    calls = []
    real = cost.window_matches
    monkeypatch.setattr(cost, "window_matches", lambda *a: calls.append(1) or real(*a))
    reused = evidence(model, steps, cache)
    assert calls == []
    assert _same(fresh, reused)


def _same(a: object, b: object) -> bool:
    """Equal arrays, field by field, through nested dataclasses."""
    if is_dataclass(a) and is_dataclass(b):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    return bool(np.array_equal(np.asarray(a), np.asarray(b)))


def test_aligning_sentences_already_split_does_not_load_the_sentence_splitter() -> None:
    code = (
        "import sys\n"
        "from aligner.pipeline import align\n"
        "align(['Le roi régna 40 ans.'], ['The king reigned 40 years.'],"
        " src_lang='fr', tgt_lang='en')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nltk'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_coverage_of_cells_inside_the_band_skips_the_masked_loop_and_gives_the_same_sums(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = model_of(SRC, TGT)
    n_src, n_tgt = model.texts.src.n, model.texts.tgt.n
    steps = search(n_src, n_tgt, model.config.shapes, factory(model))
    band = path_band(steps, n_src, n_tgt, 3)
    matches = cost.make_matches(model, band)
    rng = np.random.default_rng(7)
    shapes = [(1, 1), (2, 1), (1, 3), (3, 2)]
    cells = {}
    for a, b in shapes:
        rows = np.repeat(np.arange(band.n_src + 1), band.widths)
        cols = np.concatenate(
            [np.arange(lo, hi + 1) for lo, hi in zip(band.lo, band.hi, strict=True)]
        )
        keep = (rows >= a) & (cols >= b)
        pick = rng.choice(np.flatnonzero(keep), size=min(50, int(keep.sum())), replace=False)
        cells[a, b] = (rows[pick], cols[pick])
    # The masked loop through SentenceBand.flat, forced: the reference sums.
    with monkeypatch.context() as patched:
        patched.setattr(cost.Matches, "_inside", lambda *_: False)
        reference = {s: matches.coverage(model, *cells[s], *s) for s in shapes}
    # The cells of a search's band all read inside the matches' band: no masked loop.
    monkeypatch.setattr(cost.SentenceBand, "flat", lambda *_: pytest.fail("masked loop ran"))
    for s in shapes:
        assert np.array_equal(matches.coverage(model, *cells[s], *s), reference[s])


def test_the_garbage_collector_is_paused_during_an_alignment_and_restored_after() -> None:
    seen: list[bool] = []
    src = [f"Le roi régna {n} ans." for n in range(1, 30)]
    tgt = [f"The king reigned {n} years." for n in range(1, 30)]
    assert gc.isenabled()
    align(src, tgt, src_lang="fr", tgt_lang="en", progress=lambda *_: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()
    # A caller that switched it off keeps it off.
    gc.disable()
    try:
        align(src, tgt, src_lang="fr", tgt_lang="en")
        assert not gc.isenabled()
    finally:
        gc.enable()


FAULTS = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from aligner.allocator import keep_freed_memory
    assert keep_freed_memory()
np.ones(20 * 2**17).sum()  # 20 MB, allocated and freed
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
np.ones(20 * 2**17).sum()  # the same again
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the allocator setting is glibc's (mallopt)",
)
def test_the_command_lines_allocator_setting_reuses_freed_memory_instead_of_faulting_it_in() -> (
    None
):
    def faults(mode: str) -> int:
        run = [sys.executable, "-c", FAULTS, mode]
        return int(subprocess.run(run, capture_output=True, text=True, check=True).stdout)

    # glibc's defaults map the second 20 MB afresh (hundreds of faults, fewer where numpy's
    # huge pages take); with the setting they come from the heap the first one left.
    assert faults("default") > 100
    assert faults("keep") < 50


def test_the_command_line_sets_the_allocator_before_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import aligner.allocator
    import aligner.cli

    calls: list[str] = []
    monkeypatch.setattr(aligner.allocator, "keep_freed_memory", lambda: calls.append("kept"))
    monkeypatch.setattr(aligner.cli, "cli", lambda **_: calls.append("ran"))
    aligner.cli.main()
    assert calls == ["kept", "ran"]
