"""The dev documents with gold beads that calibration is fitted and checked on, and mismatched
pairs built from them.

Three families, each cut into documents so that whole documents can be held out:

* ``textberg``: the Text+Berg de-fr dev set, cut into :data:`TEXTBERG_PIECES` pieces at gold
  bead boundaries (it is one file of several yearbook articles);
* ``transread``: the five TransRead fr-en dev books;
* ``bible``: Old Testament passages fr-en and fr-ru re-cut with merged and dropped verses
  (``recut.py``).

Gold null beads that list several sentences (TransRead's ``[]:[16, 17, 18]``) are split into one
bead per sentence: the aligner writes each unaligned sentence as its own bead, and such a bead is
right when its sentence has no counterpart in gold.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recut import passages

from aligner.evaluation import parse_beads

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BOOKS = (
    "AlicesAdventuresInWonderland",
    "Emma",
    "LaFauteDeLAbbeMouret",
    "LesTravailleursDeLaMer",
    "VoyageAuCentreDeLaTerre",
)
#: Text+Berg dev is cut into this many documents of about equal size.
TEXTBERG_PIECES = 4
#: Seed of the Bible passages and of the mismatched pairings.
SEED = 12
#: Re-cut Bible passages per target language.
BIBLE_DOCS = 8
#: Verses of the unedited Bible check (``bible_verses``).
BIBLE_LINES = 2000
#: Shares of the gold beads a partial translation keeps (the target is cut after them).
PARTIAL_SHARES = (0.5, 0.3)

Bead = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Doc:
    """A document pair with gold beads (empty gold: an unrelated pair, nothing aligns)."""

    name: str
    family: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    src_lang: str
    tgt_lang: str
    gold: tuple[Bead, ...]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def split_nulls(gold: Sequence[Bead]) -> tuple[Bead, ...]:
    """Gold beads with every multi-sentence null bead split into one bead per sentence."""
    out: list[Bead] = []
    for s, t in gold:
        if s and t:
            out.append((s, t))
        else:
            out += [((i,), ()) for i in s] + [((), (j,)) for j in t]
    return tuple(out)


def _cut_points(gold: Sequence[Bead], pieces: int) -> list[int]:
    """Bead indices where the gold can be cut: every bead before lies wholly before every bead
    after on both sides; the ``pieces - 1`` such points nearest equal shares are returned."""
    n = len(gold)
    ok: list[int] = []
    max_s = max_t = -1
    min_after_s = [10**9] * (n + 1)
    min_after_t = [10**9] * (n + 1)
    for k in range(n - 1, -1, -1):
        s, t = gold[k]
        min_after_s[k] = min([min_after_s[k + 1], *s])
        min_after_t[k] = min([min_after_t[k + 1], *t])
    for k in range(1, n):
        s, t = gold[k - 1]
        max_s, max_t = max([max_s, *s]), max([max_t, *t])
        if max_s < min_after_s[k] and max_t < min_after_t[k] and gold[k][0] and gold[k][1]:
            ok.append(k)
    return [min(ok, key=lambda c: abs(c - n * p / pieces)) for p in range(1, pieces)]


def cut_at_gold(
    name: str,
    family: str,
    src: Sequence[str],
    tgt: Sequence[str],
    langs: tuple[str, str],
    gold: Sequence[Bead],
    pieces: int,
) -> list[tuple[Doc, int, int]]:
    """A document cut into ``pieces`` at gold bead boundaries (:func:`_cut_points`): each
    piece as a document ``{name}-{k}`` (gold renumbered, multi-sentence nulls split) with the
    lines where its source and target start in the whole."""
    cuts = [0, *_cut_points(gold, pieces), len(gold)]
    out: list[tuple[Doc, int, int]] = []
    for k, (a, b) in enumerate(itertools.pairwise(cuts)):
        part = gold[a:b]
        s0 = min(i for s, _ in part for i in s)
        t0 = min(j for _, t in part for j in t)
        # Lines no gold bead lists (two French lines of Text+Berg) go with the piece they
        # sit in.
        s1 = min((i for s, _ in gold[b:] for i in s), default=len(src))
        t1 = min((j for _, t in gold[b:] for j in t), default=len(tgt))
        shifted = [(tuple(i - s0 for i in s), tuple(j - t0 for j in t)) for s, t in part]
        doc = Doc(
            f"{name}-{k}",
            family,
            tuple(src[s0:s1]),
            tuple(tgt[t0:t1]),
            *langs,
            split_nulls(shifted),
        )
        out.append((doc, s0, t0))
    return out


def textberg(data: Path = DATA) -> list[Doc]:
    """Text+Berg dev, cut into :data:`TEXTBERG_PIECES` documents at gold bead boundaries."""
    folder = data / "textberg_de-fr_dev"
    src, tgt = _lines(folder / "dev.de"), _lines(folder / "dev.fr")
    gold = parse_beads((folder / "dev.defr").read_text(encoding="utf-8"))
    pieces = cut_at_gold("textberg", "textberg", src, tgt, ("de", "fr"), gold, TEXTBERG_PIECES)
    return [doc for doc, _, _ in pieces]


def textberg_whole(data: Path = DATA) -> Doc:
    """Text+Berg dev in one piece (gold as given, multi-sentence nulls split)."""
    folder = data / "textberg_de-fr_dev"
    gold = parse_beads((folder / "dev.defr").read_text(encoding="utf-8"))
    return Doc(
        "textberg-whole",
        "textberg",
        tuple(_lines(folder / "dev.de")),
        tuple(_lines(folder / "dev.fr")),
        "de",
        "fr",
        split_nulls(gold),
    )


def transread(data: Path = DATA) -> list[Doc]:
    """The five TransRead fr-en dev books."""
    folder = data / "transread_fr-en_literary_dev"
    docs: list[Doc] = []
    for book in BOOKS:
        d = folder / book
        gold = parse_beads((d / f"{book}.fren").read_text(encoding="utf-8"))
        docs.append(
            Doc(
                f"transread-{book}",
                "transread",
                tuple(_lines(d / f"{book}.fr")),
                tuple(_lines(d / f"{book}.en")),
                "fr",
                "en",
                split_nulls(gold),
            )
        )
    return docs


def bible(data: Path = DATA, seed: int = SEED, count: int = BIBLE_DOCS) -> list[Doc]:
    """Re-cut Old Testament passages, ``count`` fr-en and ``count`` fr-ru."""
    docs: list[Doc] = []
    for lang in ("en", "ru"):
        for r in passages(seed, count, lang, data=data / "bible_fr-en-ru_verse_OT"):
            docs.append(Doc(r.name, "bible", r.src, r.tgt, "fr", lang, r.gold))
    return docs


def bible_verses(data: Path = DATA, lines: int = BIBLE_LINES) -> list[Doc]:
    """The first ``lines`` Old Testament verses as they are, fr-en and fr-ru (gold: verse i with
    verse i), as ``benchmarks/accuracy.py`` scores them."""
    folder = data / "bible_fr-en-ru_verse_OT"
    fr = tuple(_lines(folder / "OT.fr")[:lines])
    gold = tuple(((i,), (i,)) for i in range(len(fr)))
    return [
        Doc(
            f"bible-{lang}-first-{lines}",
            "bible",
            fr,
            tuple(_lines(folder / f"OT.{lang}")[:lines]),
            "fr",
            lang,
            gold,
        )
        for lang in ("en", "ru")
    ]


def dev_documents(data: Path = DATA) -> list[Doc]:
    """Every dev document of the three families."""
    return [*textberg(data), *transread(data), *bible(data)]


def mismatched(docs: Sequence[Doc], seed: int = SEED) -> list[Doc]:
    """Each document's source with another document's target of the same family and language
    pair (a seeded derangement), gold empty: no sentence of one translates one of the other."""
    rng = random.Random(seed)
    out: list[Doc] = []
    groups: dict[tuple[str, str, str], list[Doc]] = {}
    for d in docs:
        groups.setdefault((d.family, d.src_lang, d.tgt_lang), []).append(d)
    for group in groups.values():
        if len(group) < 2:
            continue
        shift = rng.randrange(1, len(group))
        for k, d in enumerate(group):
            other = group[(k + shift) % len(group)]
            out.append(
                Doc(
                    f"{d.name}~{other.name}",
                    f"{d.family}-mismatched",
                    d.src,
                    other.tgt,
                    d.src_lang,
                    d.tgt_lang,
                    (),
                )
            )
    return out


def extremes(data: Path = DATA) -> list[Doc]:
    """Degenerate unrelated pairs: one line against 5,000 verses, 4 sentences against 42."""
    verses_en = _lines(data / "bible_fr-en-ru_verse_OT" / "OT.en")
    tb = data / "textberg_de-fr_dev"
    de, fr = _lines(tb / "dev.de"), _lines(tb / "dev.fr")
    emma = _lines(data / "transread_fr-en_literary_dev" / "Emma" / "Emma.fr")
    return [
        Doc("one-line~5000-verses", "extreme", (emma[3],), tuple(verses_en[:5000]), "fr", "en", ()),
        Doc("4-sentences~42", "extreme", tuple(de[200:204]), tuple(fr[:42]), "de", "fr", ()),
    ]


def partial(docs: Sequence[Doc], share: float = 0.3) -> list[Doc]:
    """Each document with its target cut to the first ``share`` of the gold beads: the rest of
    the source has no translation (a translation of the first chapters only)."""
    out: list[Doc] = []
    for d in docs:
        n_pairs = sum(1 for s, t in d.gold if s and t)
        keep = max(1, round(share * n_pairs))
        seen = 0
        last_t = -1
        for s, t in d.gold:
            if s and t:
                seen += 1
            last_t = max([last_t, *t])
            if seen >= keep:
                break
        tgt = d.tgt[: last_t + 1]
        gold: list[Bead] = []
        for s, t in d.gold:
            if t and max(t) > last_t:
                gold += [((i,), ()) for i in s]
            else:
                gold.append((s, t))
        out.append(
            Doc(
                f"{d.name}-partial",
                f"{d.family}-partial",
                d.src,
                tgt,
                d.src_lang,
                d.tgt_lang,
                split_nulls(gold),
            )
        )
    return out


#: The Old Testament with joined and dropped verses (``../shared/data/<name>/SOURCE.md``).
PERTURBED_OT = ("bible_ot_perturbed_fr-ru", "bible_ot_perturbed_fr-en")


def perturbed_ot(data: Path = DATA) -> list[Doc]:
    """The whole Old Testament, French against Russian and English, with adjacent verses
    joined on either side and 1 % of the target's dropped: exact gold, mostly 1-1 with 2-1,
    1-2, 2-2, wider beads and 1-0 beads (one document per language pair)."""
    docs: list[Doc] = []
    for name in PERTURBED_OT:
        folder = data / name
        gold = parse_beads((folder / "gold").read_text(encoding="utf-8"))
        docs.append(
            Doc(
                name,
                "bible-perturbed",
                tuple(_lines(folder / "src.txt")),
                tuple(_lines(folder / "tgt.txt")),
                "fr",
                name.rsplit("-", 1)[1],
                split_nulls(gold),
            )
        )
    return docs
