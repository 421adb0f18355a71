"""Pins and structure cuts constrain one search over the whole text: real structure, real pins.

The EPUB and the Markdown file are built here from the armistice of 1917 (French and English),
cut into sections under translated headings; the pins are beads of the unpinned alignment.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from books import make_epub
from hypothesis import example, given, settings
from hypothesis import strategies as st

import aligner
from aligner.documents import load_document
from aligner.pipeline import _structure_cuts
from aligner.types import Alignment, Bead, Document

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"
#: Sections of the armistice (two paragraphs each, as short as a manual's) and their headings.
SECTIONS = 10
HEADING = {"fr": "Partie {}", "en": "Part {}"}


def _paragraphs(lang: str) -> list[str]:
    text = (ARMISTICE / f"{lang}.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _sections(lang: str) -> list[tuple[str, list[str]]]:
    """The armistice's paragraphs after its title, in :data:`SECTIONS` headed sections."""
    body = _paragraphs(lang)[1:]
    size = -(-len(body) // SECTIONS)
    return [(HEADING[lang].format(k + 1), body[k * size : (k + 1) * size]) for k in range(SECTIONS)]


def _epub(lang: str) -> bytes:
    """An EPUB 3: a title page, then one spine document per section, each opened by an
    ``<h1>``."""
    sections = [(_paragraphs(lang)[0], []), *_sections(lang)]
    return make_epub(
        lang,
        [f"<h1>{h}</h1>" + "".join(f"<p>{p}</p>" for p in ps) for h, ps in sections],
    )


def _markdown(lang: str) -> bytes:
    """A Markdown file: the title as ``#``, each section under a ``##`` heading."""
    title = _paragraphs(lang)[0]
    parts = [f"# {title}"]
    for heading, paragraphs in _sections(lang):
        parts += [f"## {heading}", *paragraphs]
    return ("\n\n".join(parts) + "\n").encode()


@cache
def _documents(kind: str) -> tuple[Document, Document]:
    make = {"epub": _epub, "md": _markdown}[kind]
    fr, en = (load_document(make(lang), f"armistice.{lang}.{kind}", lang) for lang in ("fr", "en"))
    return fr.document, en.document


def _heading_beads(alignment: Alignment, document: Document) -> list[Bead]:
    starts = {i for i, _ in document.headings} | set(document.chapters)
    return [b for b in alignment.beads if b.src and b.tgt and b.src[0] in starts]


@pytest.mark.parametrize("kind", ["epub", "md"])
def test_heading_beads_keep_the_confidence_of_the_whole_text(kind: str) -> None:
    fr, en = _documents(kind)
    cuts = _structure_cuts(fr, en)
    assert len(cuts) >= SECTIONS - 1  # the structure is found and used
    structured = aligner.align_documents(fr, en)
    heads = _heading_beads(structured, fr)
    # Every heading pairs with its translation, no less sure than the text around it.
    assert len(heads) >= SECTIONS
    titles = {HEADING["en"].format(k + 1) for k in range(SECTIONS)} | {_paragraphs("en")[0]}
    for bead in heads:
        assert en.texts[bead.tgt[0]] in titles
        assert bead.confidence >= 0.9, bead
    assert structured.quality >= 0.95
    # The cuts hold: each is a bead boundary of the result.
    boundaries = {(0, 0)}
    i = j = 0
    for bead in structured.beads:
        i, j = i + len(bead.src), j + len(bead.tgt)
        boundaries.add((i, j))
    assert set(cuts) <= boundaries


def _armistice() -> Alignment:
    fr = aligner.read_document(ARMISTICE / "fr.txt", "fr").document
    en = aligner.read_document(ARMISTICE / "en.txt", "en").document
    return aligner.align_documents(fr, en)


@cache
def _free() -> Alignment:
    return _armistice()


def _pinned(pins: list[Bead]) -> Alignment:
    fr = aligner.read_document(ARMISTICE / "fr.txt", "fr").document
    en = aligner.read_document(ARMISTICE / "en.txt", "en").document
    return aligner.align_documents(fr, en, pins=pins)


def _check_pins_kept(result: Alignment, pins: list[Bead]) -> None:
    wanted = {(p.src, p.tgt) for p in pins}
    for bead in result.beads:
        if (bead.src, bead.tgt) in wanted:
            assert bead.pinned and bead.confidence == 1.0
        else:
            assert not bead.pinned
    assert {(b.src, b.tgt) for b in result.beads if b.pinned} == wanted
    # Every sentence exactly once, in order.
    assert [i for b in result.beads for i in b.src] == list(range(len(result.src)))
    assert [j for b in result.beads for j in b.tgt] == list(range(len(result.tgt)))


def test_a_bead_between_two_pins_keeps_its_confidence() -> None:
    free = _free()
    pins = [free.beads[1], free.beads[3]]
    result = _pinned(pins)
    _check_pins_kept(result, pins)
    middle = result.beads[2]
    assert (middle.src, middle.tgt) == (free.beads[2].src, free.beads[2].tgt)
    assert abs(middle.confidence - free.beads[2].confidence) <= 0.05


def test_every_other_bead_pinned_keeps_the_quality() -> None:
    free = _free()
    pins = list(free.beads[::2])
    result = _pinned(pins)
    _check_pins_kept(result, pins)
    assert result.quality >= 0.95
    assert result.coverage == free.coverage
    for mine, theirs in zip(result.beads[1::2], free.beads[1::2], strict=True):
        assert (mine.src, mine.tgt) == (theirs.src, theirs.tgt)
        assert abs(mine.confidence - theirs.confidence) <= 0.05


def test_pins_at_the_first_and_last_sentences() -> None:
    free = _free()
    pins = [free.beads[0], free.beads[-1]]
    result = _pinned(pins)
    _check_pins_kept(result, pins)
    assert result.beads[0].pinned and result.beads[-1].pinned
    inner = list(zip(result.beads[1:-1], free.beads[1:-1], strict=True))
    assert all((a.src, a.tgt) == (b.src, b.tgt) for a, b in inner)
    assert max(abs(a.confidence - b.confidence) for a, b in inner) <= 0.05


def test_a_pin_wider_than_any_bead_is_kept_and_spares_its_neighbours() -> None:
    free = _free()
    # Seven sentences a side in one bead: wider than the search's widest (max_bead 5).
    wide = Bead(
        tuple(i for b in free.beads[5:12] for i in b.src),
        tuple(j for b in free.beads[5:12] for j in b.tgt),
    )
    assert len(wide.src) > 5 and len(wide.tgt) > 5
    result = _pinned([wide])
    _check_pins_kept(result, [wide])
    others = [b for b in result.beads if not b.pinned]
    expected = [b for k, b in enumerate(free.beads) if not 5 <= k < 12]
    assert [(b.src, b.tgt) for b in others] == [(b.src, b.tgt) for b in expected]
    assert result.quality >= 0.95
    assert min(b.confidence for b in others if b.src and b.tgt) >= 0.5


def test_sentences_pinned_alone_leave_the_rest_to_the_whole_text() -> None:
    free = _free()
    # Each side's sentence of bead 4 declared untranslated: they become two lone beads and
    # the beads around them keep their places and confidences.
    bead = free.beads[4]
    pins = [Bead(bead.src, ()), Bead((), bead.tgt)]
    result = _pinned(pins)
    _check_pins_kept(result, pins)
    rest = [b for b in result.beads if not b.pinned]
    expected = [b for k, b in enumerate(free.beads) if k != 4]
    assert [(b.src, b.tgt) for b in rest] == [(b.src, b.tgt) for b in expected]
    assert max(abs(a.confidence - b.confidence) for a, b in zip(rest, expected, strict=True)) <= (
        0.05
    )


@st.composite
def _pins(draw: st.DrawFn) -> tuple[int, int, list[Bead]]:
    """Texts of a few sentences and pins of any shape: n-m (wider than any bead too), n-0, 0-m."""
    n_src, n_tgt = draw(st.integers(1, 14)), draw(st.integers(1, 14))
    pins: list[Bead] = []
    i = j = 0
    while i < n_src or j < n_tgt:
        skip_i, skip_j = draw(st.integers(0, 3)), draw(st.integers(0, 3))
        a, b = draw(st.integers(0, 7)), draw(st.integers(0, 7))
        i, j = min(i + skip_i, n_src), min(j + skip_j, n_tgt)
        a, b = min(a, n_src - i), min(b, n_tgt - j)
        if a or b:
            pins.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
        if not draw(st.booleans()):
            break
    return n_src, n_tgt, pins


@settings(max_examples=40, deadline=None)
@given(_pins())
# One pin wider than any bead covering both texts: nothing is left for the model to read.
@example((1, 6, [Bead((0,), (0, 1, 2, 3, 4, 5))]))
def test_pins_of_every_shape_are_kept_exactly_and_every_sentence_once(
    case: tuple[int, int, list[Bead]],
) -> None:
    n_src, n_tgt, pins = case
    src = [f"Phrase {k} à Berlin en {1900 + k}." for k in range(n_src)]
    tgt = [f"Sentence {k} in Berlin in {1900 + k}." for k in range(n_tgt)]
    result = aligner.align(src, tgt, src_lang="fr", tgt_lang="en", pins=pins)
    _check_pins_kept(result, pins)


def test_pins_against_an_empty_text_are_kept_whole() -> None:
    src = [f"Phrase {k} à Berlin." for k in range(5)]
    pins = [Bead((1, 2), ()), Bead((4,), ())]
    result = aligner.align(src, [], src_lang="fr", tgt_lang="en", pins=pins)
    _check_pins_kept(result, pins)
