"""Running hunalign (Varga et al. 2005) beside the aligner, for the benchmarks' comparisons.

hunalign is not a dependency and is not shipped: build it from its public source
(danielvarga/hunalign on GitHub, ``make`` in ``src/hunalign``, outside this repository) and
point the environment variable :data:`ENV` at the binary, e.g.
``HUNALIGN=/path/to/hunalign python benchmarks/speed.py``. Without it the benchmarks say so
in one line (:func:`missing`) and measure the aligner alone.

hunalign wants tokenised text, one sentence a line, and no blank lines; it writes
``translate.txt`` into its working directory, so each run gets a temporary one. Its input is
prepared here (lower-cased, words and punctuation marks separated by spaces, an empty sentence
written as a lone ``.``) and its ladder output (rungs ``(i, j)``: the first ``i`` source
sentences go with the first ``j`` target ones) is turned back into beads. Its dictionary
format is one ``target phrase @ source phrase`` a line: :func:`dictionary_text` converts the
shipped list of the pair (``aligner/features/dictionaries/*.tsv.gz``), which is what makes the
comparison fair.
"""

from __future__ import annotations

import gzip
import itertools
import os
import re
import resource
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The environment variable naming the hunalign binary.
ENV = "HUNALIGN"
ROOT = Path(__file__).resolve().parent.parent
DICTIONARIES = ROOT / "aligner" / "features" / "dictionaries"
_TOKEN = re.compile(r"\w+|[^\w\s]")

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


def binary() -> Path | None:
    """The hunalign binary named by :data:`ENV`, or None when unset or not executable."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    path = Path(value)
    return path if path.is_file() and os.access(path, os.X_OK) else None


def missing() -> str:
    """The line printed when hunalign cannot be run."""
    value = os.environ.get(ENV, "").strip()
    if value:
        return f"hunalign: not run ({ENV}={value} is not an executable file)"
    return (
        f"hunalign: not run ({ENV} is not set; build it from danielvarga/hunalign with make "
        f"in src/hunalign and set {ENV}=/path/to/hunalign to compare in the same run)"
    )


def tokenised(sentence: str) -> str:
    """A sentence as hunalign reads it: lower-cased, tokens separated by single spaces."""
    return " ".join(_TOKEN.findall(sentence.lower())) or "."


def dictionary_text(src_lang: str, tgt_lang: str) -> str:
    """The shipped dictionary of the pair in hunalign's format (empty when none is shipped)."""
    stem = "-".join(sorted((src_lang, tgt_lang)))
    path = DICTIONARIES / f"{stem}.tsv.gz"
    if src_lang == tgt_lang or not path.is_file():
        return ""
    lines = []
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        first, _, second = line.partition("\t")
        if not first.strip() or not second.strip():
            continue
        src, tgt = (first, second) if stem.startswith(src_lang) else (second, first)
        lines.append(f"{tokenised(tgt)} @ {tokenised(src)}")
    return "\n".join(lines) + "\n"


def ladder_beads(ladder: str, n_src: int, n_tgt: int) -> Beads:
    """Beads from hunalign's ladder output (first two columns: rungs ``i j``)."""
    rungs = [(0, 0)]
    for line in ladder.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            rung = (int(parts[0]), int(parts[1]))
            if rung != rungs[-1]:
                rungs.append(rung)
    if rungs[-1] != (n_src, n_tgt):
        rungs.append((n_src, n_tgt))
    return [
        (tuple(range(i0, i1)), tuple(range(j0, j1)))
        for (i0, j0), (i1, j1) in itertools.pairwise(rungs)
    ]


@dataclass(frozen=True)
class Run:
    """One hunalign run: its beads, wall and CPU seconds, and peak RSS."""

    beads: Beads
    wall: float
    cpu: float
    rss_mb: float


def run(
    exe: Path, src: Sequence[str], tgt: Sequence[str], dictionary: str = "", realign: bool = False
) -> Run:
    """Align with hunalign in a temporary directory; ``dictionary`` in its format, or empty.

    Time and memory are hunalign's alone (its process, not the preparation of its files). The
    peak RSS is the largest of this process's finished children: call it from a process that
    runs no other child (the benchmarks measure in a fresh subprocess).
    """
    with tempfile.TemporaryDirectory(prefix="hunalign-") as tmp:
        folder = Path(tmp)
        (folder / "src.txt").write_text("".join(tokenised(s) + "\n" for s in src), "utf-8")
        (folder / "tgt.txt").write_text("".join(tokenised(t) + "\n" for t in tgt), "utf-8")
        (folder / "dict.txt").write_text(dictionary, "utf-8")
        args = [str(exe), *(["-realign"] if realign else []), "dict.txt", "src.txt", "tgt.txt"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run(args, cwd=folder, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    beads = ladder_beads(out.stdout, len(src), len(tgt))
    return Run(beads, wall, cpu, after.ru_maxrss / 1024)
