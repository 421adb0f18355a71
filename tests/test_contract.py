"""The library's contract from Python: one error family, checked input, what the writers need."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest

import aligner
from aligner import AlignerError, InputError, UsageError

ROOT = Path(__file__).resolve().parent.parent
ARMISTICE = ROOT / "texts" / "armistice-1917"


def _sentences(lang: str) -> list[str]:
    text = (ARMISTICE / f"{lang}.txt").read_text(encoding="utf-8")
    return list(aligner.segment(text, lang).texts)


def test_error_family() -> None:
    assert issubclass(UsageError, AlignerError) and issubclass(UsageError, ValueError)
    assert issubclass(InputError, AlignerError) and issubclass(InputError, ValueError)


@pytest.mark.parametrize(
    "call",
    [
        lambda: aligner.align("Une phrase.", "A sentence."),
        lambda: aligner.align(["Une phrase."], ["A sentence."], src_lang="xx"),
        lambda: aligner.align(["Une phrase."], ["A sentence."], tgt_lang=7),  # type: ignore[arg-type]
        lambda: aligner.align(["Une phrase.", 3], ["A sentence."]),  # type: ignore[list-item]
        lambda: aligner.align(["a"], ["b"], config={"max_bead": 3}),  # type: ignore[arg-type]
        lambda: aligner.align_texts(["Une phrase."], "A sentence."),  # type: ignore[arg-type]
        lambda: aligner.align_documents("fr.txt", "en.txt"),  # type: ignore[arg-type]
        lambda: aligner.segment(["Une phrase."], "fr"),  # type: ignore[arg-type]
        lambda: aligner.segment("Une phrase.", "klingon"),
        lambda: aligner.train_lexicon([(["a"], ["b"])], src_lang="xx", tgt_lang="en"),
        lambda: aligner.Bead((), ()),
        lambda: aligner.Bead((0, 2), (0,)),
        lambda: aligner.Bead((0,), (0,), confidence=1.5),
        lambda: aligner.AlignConfig(max_bead=0),
        lambda: aligner.merge([]),
        lambda: aligner.write(aligner.align(["a"], ["b"], src_lang="fr", tgt_lang="en"), "doc"),
    ],
)
def test_bad_input_is_an_aligner_error(call: object) -> None:
    with pytest.raises(AlignerError):
        call()  # type: ignore[operator]


def test_render_html_threshold_is_an_aligner_error() -> None:
    alignment = aligner.align(["Une phrase."], ["A sentence."], src_lang="fr", tgt_lang="en")
    with pytest.raises(AlignerError):
        aligner.render_html(aligner.merge([alignment]), threshold=2.0)


def test_language_names_and_three_letter_codes_give_the_same_beads() -> None:
    fr, ru = _sentences("fr"), _sentences("ru")
    short = aligner.align(fr, ru, src_lang="fr", tgt_lang="ru")
    long = aligner.align(fr, ru, src_lang="fra", tgt_lang="rus")
    named = aligner.align(fr, ru, src_lang="French", tgt_lang="Russian")
    assert (long.src_lang, long.tgt_lang) == ("fr", "ru") == (named.src_lang, named.tgt_lang)
    assert long.beads == short.beads == named.beads


def test_alignment_warnings_for_lopsided_texts() -> None:
    fr = _sentences("fr")
    lopsided = aligner.align(fr, fr[:2], src_lang="fr", tgt_lang="fr")
    assert any(w.startswith("lopsided input") for w in lopsided.warnings)
    fine = aligner.align(fr, _sentences("en"), src_lang="fr", tgt_lang="en")
    assert fine.warnings == ()


def test_save_and_write_take_the_format_from_a_file_name(tmp_path: Path) -> None:
    alignment = aligner.align(_sentences("fr"), _sentences("en"), src_lang="fr", tgt_lang="en")
    saved = aligner.save(alignment, tmp_path / "fr-en.tsv")
    assert saved.paths == (tmp_path / "fr-en.tsv",)
    assert (tmp_path / "fr-en.tsv").read_text(encoding="utf-8") == aligner.write(alignment, "tsv")
    assert aligner.write(alignment, "fr-en.jsonl") == aligner.write(alignment, "jsonl")
    with pytest.raises(UsageError, match="file name ending in"):
        aligner.save(alignment, tmp_path / "fr-en.docx")
    assert not (tmp_path / "fr-en.docx").exists()


def test_epub_keeps_the_chapters_the_alignment_carries() -> None:
    fr = aligner.segment((ARMISTICE / "fr.txt").read_text(encoding="utf-8"), "fr")
    en = aligner.segment((ARMISTICE / "en.txt").read_text(encoding="utf-8"), "en")
    middle = len(fr.sentences) // 2
    fr = replace(fr, chapters=(0, middle))
    alignment = aligner.align_documents(fr, en)
    assert alignment.src_chapters == (0, middle)
    book = zipfile.ZipFile(BytesIO(aligner.write_bytes(alignment, "epub")))
    chapters = [n for n in book.namelist() if n.endswith(".xhtml") and "nav" not in n]
    assert len(chapters) == 2


def test_line_files_leave_one_sided_beads_out(tmp_path: Path) -> None:
    fr, ru = _sentences("fr"), _sentences("ru")
    alignment = aligner.align(fr, ru, src_lang="fr", tgt_lang="ru")
    assert any(not b.src or not b.tgt for b in alignment.beads)  # a partial translation
    saved = aligner.save(alignment, "lines", tmp_path / "corpus")
    texts = [p.read_text(encoding="utf-8").splitlines() for p in saved.paths]
    assert len(texts[0]) == len(texts[1]) == sum(1 for b in alignment.beads if b.src and b.tgt)
    assert all(line for text in texts for line in text)
    kept = aligner.save(alignment, "lines", tmp_path / "all", keep_partial=True)
    assert len(kept.paths[0].read_text(encoding="utf-8").splitlines()) == len(alignment.beads)


def test_public_names_are_exported() -> None:
    assert callable(aligner.read_pins) and callable(aligner.train_lexicon)
    assert "lines" in aligner.FORMATS and aligner.Lexicon.__name__ == "Lexicon"


def test_guillemet_abbreviation_stays_in_its_sentence() -> None:
    # Punkt's own word-start pattern takes « as part of the next word, so "«M." is not seen as
    # the abbreviation "M." and the sentence is cut after it (punkt.SegmenterLanguageVars).
    sentences = aligner.segment("Il a vu «M. Dupont» hier soir. Puis il est parti.", "fr")
    assert sentences.texts == ("Il a vu «M. Dupont» hier soir.", "Puis il est parti.")


def _modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(aligner.__path__, "aligner.")
        if not m.name.startswith("aligner.corpus.dask")
    )


def test_doctests() -> None:
    """Every docstring example of the package runs and prints what it shows."""
    attempted = 0
    for name in _modules():
        module = importlib.import_module(name)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
        assert result.failed == 0, f"doctest failed in {name}"
        attempted += result.attempted
    assert attempted >= 5


def test_cli_line_files_leave_one_sided_beads_out_unless_asked(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from aligner.cli import cli

    fr, ru = str(ARMISTICE / "fr.txt"), str(ARMISTICE / "ru.txt")
    runner = CliRunner()
    plain = runner.invoke(cli, ["align", fr, ru, "-f", "lines", "-o", str(tmp_path / "a"), "-q"])
    assert plain.exit_code == 0, plain.output
    kept = runner.invoke(
        cli,
        ["align", fr, ru, "-f", "lines", "-o", str(tmp_path / "b"), "-q", "--keep-partial"],
    )
    assert kept.exit_code == 0, kept.output
    short = (tmp_path / "a.ru").read_text(encoding="utf-8").splitlines()
    full = (tmp_path / "b.ru").read_text(encoding="utf-8").splitlines()
    assert short and all(short) and "" in full
    assert [line for line in full if line] != full and len(full) > len(short)
