"""Where the time and the memory of one book-length alignment go, stage by stage.

Each stage of :func:`aligner.pipeline.align` is timed by wrapping the function that does it (in
the pipeline's namespace, for this process only), and the process's peak resident memory
(``VmHWM``) and system CPU time are read when the stage ends (on this machine a page the process
has never held costs several microseconds of system time: a stage that raises the peak pays it).
With ``--tracemalloc`` each stage also reports the peak of Python and numpy allocations above
what was allocated when it began, and what it leaves allocated (tracemalloc slows the run two-
to threefold: its times are not the run's). With ``--cprofile N`` the run is also profiled with
cProfile and the ``N`` functions of largest own time are printed.

Stages: reading (the files, through :func:`aligner.readers.text.read_text`), segmentation (none:
the Bible is one verse a line, aligned pre-split), features (tokens of both sides, lemmas
apart), lemmas (simplemma's tables loaded and read), spelling table, anchors, dictionaries (the
shipped index loaded and matched), recurring words, pass 1, pass 2 (with the learned lexicon, a
widened band's sweep and its extended matches apart), the refinement (with Model 1 of each
boundary's beads, its exact sums, the word links and the moved clauses apart), confidence,
writing (TSV).

Run from the project root::

    python benchmarks/profile_stages.py fr-en
    python benchmarks/profile_stages.py perturbed-fr-ru --tracemalloc
    python benchmarks/profile_stages.py fr-en --copies 4 --cprofile 25
    python benchmarks/profile_stages.py perturbed-fr-ru --cli-allocator
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path("/work/shared/data")


def _status_mb(key: str) -> float:
    """A ``/proc/self/status`` memory line (``VmHWM``, ``VmRSS``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Stage:
    name: str
    wall: float = 0.0
    cpu: float = 0.0
    sys: float = 0.0  # of ``cpu``, the kernel's (page faults of a new peak, mostly)
    calls: int = 0
    hwm_mb: float = 0.0  # process peak RSS when the stage last ended
    traced_peak_mb: float = 0.0  # tracemalloc: peak during the stage above its start
    traced_left_mb: float = 0.0  # tracemalloc: allocated at its end minus at its start


@dataclass
class Recorder:
    traced: bool
    stages: dict[str, Stage] = field(default_factory=dict)
    depth: int = 0
    # Per open stage, the highest traced peak seen in it so far: tracemalloc keeps one peak,
    # reset when a stage opens, so each stage folds its own into its parent's when it ends.
    peaks: list[int] = field(default_factory=list)

    def _enter(self) -> int:
        if not self.traced:
            return 0
        now, peak = tracemalloc.get_traced_memory()
        if self.peaks:
            self.peaks[-1] = max(self.peaks[-1], peak)
        self.peaks.append(now)
        tracemalloc.reset_peak()
        return now

    def _leave(self) -> tuple[int, int]:
        now, peak = tracemalloc.get_traced_memory()
        peak = max(self.peaks.pop(), peak)
        if self.peaks:
            self.peaks[-1] = max(self.peaks[-1], peak)
        tracemalloc.reset_peak()
        return now, peak

    def wrap(self, name: str, fn: Callable[..., Any], light: bool = False) -> Callable[..., Any]:
        """``fn`` timed as the stage ``name``; ``light``: without reading the process's peak
        when it ends (a stage called thousands of times, where the read would cost more than
        the call)."""

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            stage = self.stages.setdefault(name, Stage("  " * self.depth + name))
            before = self._enter()
            w, c = time.perf_counter(), time.process_time()
            k = 0.0 if light else resource.getrusage(resource.RUSAGE_SELF).ru_stime
            self.depth += 1
            try:
                return fn(*args, **kwargs)
            finally:
                self.depth -= 1
                stage.wall += time.perf_counter() - w
                stage.cpu += time.process_time() - c
                stage.calls += 1
                if not light:
                    stage.hwm_mb = _status_mb("VmHWM")
                    stage.sys += resource.getrusage(resource.RUSAGE_SELF).ru_stime - k
                if self.traced:
                    now, peak = self._leave()
                    stage.traced_peak_mb = max(stage.traced_peak_mb, (peak - before) / 2**20)
                    stage.traced_left_mb += (now - before) / 2**20

        return wrapped


def _inputs(pair: str) -> tuple[Path, Path, str, str]:
    if pair.startswith("perturbed-"):
        src_lang, tgt_lang = pair.removeprefix("perturbed-").split("-")
        folder = DATA / f"bible_ot_perturbed_{src_lang}-{tgt_lang}"
        return folder / "src.txt", folder / "tgt.txt", src_lang, tgt_lang
    src_lang, tgt_lang = pair.split("-")
    folder = DATA / "bible_fr-en-ru_verse_OT"
    return folder / f"OT.{src_lang}", folder / f"OT.{tgt_lang}", src_lang, tgt_lang


def _patch(rec: Recorder) -> None:
    """Wrap the functions of each stage where the pipeline (or its callees) look them up."""
    import aligner.features.dictionary as dictionary
    import aligner.features.lemmas as lemmas
    import aligner.features.matching as matching
    import aligner.features.tokens as tokens
    import aligner.pipeline.passes as passes
    import aligner.pipeline.prepare as prepare
    import aligner.pipeline.run as run
    import aligner.scoring.cost as cost

    run._prepare = rec.wrap("prepare (all features)", run._prepare)
    cost.build_side = rec.wrap("tokens of one side", cost.build_side)
    lemmas.lemmatize = rec.wrap("lemmas (simplemma tables)", lemmas.lemmatize)
    lemmas.LemmaTables.release = rec.wrap("lemma tables released", lemmas.LemmaTables.release)
    tokens.lemma_keys = rec.wrap("lemma keys", tokens.lemma_keys)
    prepare.spelling_table = rec.wrap("spelling table", prepare.spelling_table)
    prepare._anchors = rec.wrap("anchors", prepare._anchors)
    prepare.guide_path = rec.wrap("guide path", prepare.guide_path)
    prepare._dictionaries = rec.wrap("dictionaries (index + table)", prepare._dictionaries)
    import aligner.resources as resources

    resources.shipped = rec.wrap("shipped index load", dictionary.shipped)
    prepare.repeat_table = rec.wrap("recurring words", prepare.repeat_table)
    run._first_pass = rec.wrap("pass 1", run._first_pass)
    run._realign = rec.wrap("pass 2 (realign)", run._realign)
    passes.learned_table = rec.wrap("learned lexicon (IBM 1)", passes.learned_table)
    passes.lemma_spread = rec.wrap("lemma spread", passes.lemma_spread)
    passes.Model = _model_class(rec, passes.Model)
    passes.search = rec.wrap("search (sweeps)", passes.search)
    run.confidences = rec.wrap("confidence", run.confidences)
    # A free path's confidences: its evidence (lattice, word links), read by the calibrated model.
    run.evidence = rec.wrap("confidence (evidence)", run.evidence)
    import aligner.scoring.confidence as confidence

    confidence.link_evidence = rec.wrap("word links (confidence)", confidence.link_evidence)
    run.refine = rec.wrap("refinement", run.refine)
    # Inside the refinement: Model 1 of each boundary's two beads (the test's sign), the exact
    # sums where that sign is not clear, the beads' word links, the moved-clause reader.
    import aligner.scoring.model1_block as model1_block
    import aligner.scoring.moved_clauses as moved_clauses
    import aligner.scoring.refine as refine

    model1_block.BlockModel1.__init__ = rec.wrap(
        "Model 1 of a boundary's beads", model1_block.BlockModel1.__init__, light=True
    )
    refine.Scorer.cut_gain = rec.wrap("exact Model 1 sums", refine.Scorer.cut_gain, light=True)
    refine.Scorer._exclusive = rec.wrap("word links (refinement)", refine.Scorer._exclusive, True)
    moved_clauses.MovedClauses.held = rec.wrap(
        "moved clauses", moved_clauses.MovedClauses.held, light=True
    )
    confidence.lattice = rec.wrap("lattice (posteriors)", confidence.lattice)
    confidence.merge_evidence = rec.wrap("merges (confidence)", confidence.merge_evidence)
    confidence.soft_edges = rec.wrap("sentence ends (confidence)", confidence.soft_edges)
    # Inside the passes: the banded joins of the lexical matches, and the programme's sweeps.
    import aligner.search as search
    import aligner.search.programme as programme

    cost.window_matches = rec.wrap("window matches (join)", cost.window_matches)
    matching._add_windows = rec.wrap("runs of columns", matching._add_windows)
    search._sweep = _sweeps(rec, search._sweep)
    cost.extend_matches = rec.wrap("matches extended (widened band)", cost.extend_matches)
    programme._Sweep.block = rec.wrap("bead costs of a block", programme._Sweep.block)
    cost.Matches.coverage = rec.wrap("coverage", cost.Matches.coverage)


def _sweeps(rec: Recorder, sweep: Callable[..., Any]) -> Callable[..., Any]:
    """The programme's sweeps, those of a widened band (reusing the last sweep's rows) apart."""
    plain = rec.wrap("sweep (programme)", sweep)
    widened = rec.wrap("sweep of a widened band", sweep)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        again = kwargs.get("previous") is not None or (len(args) > 4 and args[4] is not None)
        return (widened if again else plain)(*args, **kwargs)

    return wrapped


def _model_class(rec: Recorder, model: Any) -> Any:
    class Wrapped(model):  # type: ignore[misc, valid-type]
        pass

    Wrapped.of = classmethod(rec.wrap("model (chance levels)", model.of.__func__))
    return Wrapped


def run(pair: str, copies: int, traced: bool, top: int) -> None:
    rec = Recorder(traced)
    if traced:
        tracemalloc.start()
    _patch(rec)
    from aligner.output import write
    from aligner.pipeline import align
    from aligner.readers.text import read_text

    src_path, tgt_path, src_lang, tgt_lang = _inputs(pair)
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    read = rec.wrap("reading", lambda: (read_text(src_path), read_text(tgt_path)))
    src_text, tgt_text = read()
    src = src_text.splitlines() * copies
    tgt = tgt_text.splitlines() * copies
    profiler = cProfile.Profile() if top else None
    if profiler:
        profiler.enable()
    result = rec.wrap("align (total)", align)(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang)
    out = rec.wrap("writing (TSV)", lambda: write(result, "tsv"))()
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024
    print(
        f"{pair} x{copies}: {len(src):,} / {len(tgt):,} lines, {len(result.beads):,} beads, "
        f"{len(out):,} characters written; wall {wall:.2f} s, CPU {cpu:.2f} s (process: user "
        f"{usage.ru_utime:.2f} s, system {usage.ru_stime:.2f} s), "
        f"peak RSS {peak:.0f} MB{' (tracemalloc on)' if traced else ''}"
    )
    head = "| stage | calls | wall s | CPU s | of it system s | peak RSS so far MB |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if traced:
        head += " traced peak MB | traced left MB |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    for s in rec.stages.values():
        row = (
            f"| {s.name} | {s.calls} | {s.wall:.2f} | {s.cpu:.2f} | {s.sys:.2f} | {s.hwm_mb:.0f} |"
        )
        if traced:
            row += f" {s.traced_peak_mb:.0f} | {s.traced_left_mb:.0f} |"
        print(row.replace("|  ", "| ·· "))
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pair", help="fr-en, fr-ru, perturbed-fr-ru, perturbed-fr-en")
    parser.add_argument("--copies", type=int, default=1, help="the texts repeated this often")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--cli-allocator",
        action="store_true",
        help="glibc's allocator set as the command line sets it (freed memory kept), as speed.py",
    )
    args = parser.parse_args()
    if args.cli_allocator:
        from aligner.allocator import keep_freed_memory

        keep_freed_memory()
    run(args.pair, args.copies, args.tracemalloc, args.cprofile)


if __name__ == "__main__":
    main()
