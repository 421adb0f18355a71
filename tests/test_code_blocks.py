"""Code and preformatted text as verbatim units; detection that reads the prose; books whose
chapters are in several languages. Every document is written here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from books import make_epub
from click.testing import CliRunner

from aligner.cli import cli
from aligner.documents import load_document
from aligner.pipeline import align_documents
from aligner.readers.dispatch import read_source
from aligner.readers.verbatim import listing_lines
from aligner.segmentation.detect import detect_language

FR_PROSE = (
    "Ce guide explique comment construire un paquet pour la distribution. Vous devez "
    "d'abord installer les outils nécessaires, puis lire la documentation qui les accompagne. "
    "Ensuite, la commande suivante prépare le répertoire de travail et vérifie que tout est en "
    "ordre avant de commencer."
)
EN_PROSE = (
    "This guide explains how to build a package for the distribution. You must first install "
    "the tools you need, then read the documentation that comes with them. Then the following "
    "command prepares the working directory and checks that everything is in order before you "
    "begin."
)
RU_PROSE = (
    "Это руководство объясняет, как собрать пакет для дистрибутива. Сначала установите нужные "
    "инструменты, а затем прочитайте документацию к ним."
)
CODE = [
    "$ dh_make --createorig -p gentoo_0.9.12. Then check it",
    "$ dpkg-buildpackage -us -uc; cd ../gentoo-0.9.12/debian/patches/",
    "export DEB_BUILD_MAINT_OPTIONS = hardening=+all",
]


def _html(prose: str, lang: str, numbered: bool = False) -> bytes:
    if numbered:  # a highlighter's table: the line numbers in a column of their own
        code = (
            '<table><tr><td class="linenos"><pre>1\n2\n3</pre></td><td><pre>'
            + "\n".join(CODE)
            + "</pre></td></tr></table>"
        )
    else:
        code = "<pre>" + "\n".join(f"{k + 10}  {line}" for k, line in enumerate(CODE)) + "</pre>"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><body><h1>Titre</h1><p>{prose}</p>{code}'
        f"<p>{prose}</p></body></html>"
    ).encode()


def _verbatim_texts(data: bytes, name: str, lang: str) -> list[str]:
    document = load_document(data, name, lang).document
    return [document.sentences[i].text for i in document.verbatim]


@pytest.mark.parametrize("numbered", [False, True])
def test_html_pre_lines_are_verbatim_units_without_line_numbers(numbered: bool) -> None:
    document = load_document(_html(FR_PROSE, "fr", numbered), "page.html", "fr").document
    assert [document.sentences[i].text for i in document.verbatim] == CODE
    # "…gentoo_0.9.12. Then check it" would be two sentences as prose.
    assert not any(t in ("1", "2", "3", "10", "Then check it") for t in document.texts)


def test_listing_lines_keep_numbers_that_are_data() -> None:
    assert listing_lines(["10  a", "11  b", "", "12 c"]) == ["a", "b", "c"]
    assert listing_lines(["1", "2", "3"]) == []
    assert listing_lines(["3 apples", "7 pears"]) == ["3 apples", "7 pears"]


def test_markdown_fenced_and_indented_blocks_are_verbatim() -> None:
    text = (
        f"# Titre\n\n{FR_PROSE}\n\n```\n{CODE[0]}\n{CODE[1]}\n```\n\n{FR_PROSE}\n\n"
        f"    {CODE[2]}\n\n- an item\n\n    its second paragraph. Not code.\n"
    )
    source = read_source(text.encode(), "doc.md")
    verbatim = [source.text[s:].split("\n\n")[0] for s in source.verbatim]
    assert verbatim == CODE
    assert "its second paragraph. Not code." in source.paragraphs


def test_docx_code_style_is_verbatim() -> None:
    docx = pytest.importorskip("docx")
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph(FR_PROSE)
    style = document.styles.add_style("Source Code", 1)  # 1: a paragraph style
    paragraph = document.add_paragraph(style=style)
    for k, line in enumerate(CODE):
        run = paragraph.add_run(line)
        if k < len(CODE) - 1:
            run.add_break(WD_BREAK.LINE)
    buffer = io.BytesIO()
    document.save(buffer)
    assert _verbatim_texts(buffer.getvalue(), "doc.docx", "fr") == CODE


def test_identical_code_lines_pair_with_their_counterpart() -> None:
    fr = load_document(_html(FR_PROSE, "fr"), "fr.html", "fr").document
    en = load_document(_html(EN_PROSE, "en"), "en.html", "en").document
    assert len(fr.verbatim) == len(en.verbatim) == len(CODE)
    alignment = align_documents(fr, en)
    for bead in alignment.beads:
        for i in bead.src:
            if i in fr.verbatim:
                assert [alignment.tgt[j] for j in bead.tgt] == [alignment.src[i]]


def test_code_does_not_outweigh_the_prose_in_detection() -> None:
    # A listing whose comments are English prose, longer than the French text around it.
    code = "\n".join(
        f"make -j{k}  # build the package again and install it where the tests will find it"
        for k in range(12)
    )
    page = f"<html><body><p>{FR_PROSE}</p><pre>{code}</pre><p>{FR_PROSE}</p></body></html>"
    loaded = load_document(page.encode(), "page.html")
    assert loaded.detection is not None and loaded.detection.code == "fr"
    # The same text read code and all is taken for English.
    assert detect_language(read_source(page.encode(), "page.html").text).code == "en"


RU_TECH = (
    "Запустите команду dpkg-buildpackage в каталоге debian, затем проверьте пакет "
    "программой lintian и прочитайте её отчёт."
)


def test_untranslated_paragraphs_do_not_outvote_the_translation() -> None:
    text = "\n\n".join([RU_TECH, EN_PROSE, RU_TECH, RU_TECH])
    found = detect_language(text)
    assert (found.code, found.method) == ("ru", "paragraph by paragraph")


def _epub(chapters: list[str]) -> bytes:
    return make_epub("en", chapters)


def _book() -> bytes:
    english = [f"<h1>Chapter {k}</h1><p>{EN_PROSE}</p><p>{EN_PROSE}</p>" for k in range(3)]
    french = [f"<h1>Chapitre {k}</h1><p>{FR_PROSE}</p>" for k in range(2)]
    return _epub([*english, *french])


def test_a_book_in_several_languages_gets_a_warning() -> None:
    loaded = load_document(_book(), "guide.epub")
    assert loaded.detection is not None and loaded.detection.code == "en"
    notes = [w for w in loaded.warnings if "several languages" in w]
    assert len(notes) == 1
    assert "en 7" in notes[0] and "fr 2" in notes[0] and "3 en, 2 fr" in notes[0]


def test_a_book_in_one_language_gets_none() -> None:
    english = [f"<h1>Chapter {k}</h1><p>{EN_PROSE}</p>" for k in range(3)]
    loaded = load_document(_epub(english), "guide.epub")
    assert not any("several languages" in w for w in loaded.warnings)


def test_only_lang_leaves_out_the_other_chapters(tmp_path: Path) -> None:
    loaded = load_document(_book(), "guide.epub", "en", only_lang=True)
    assert "Chapitre" not in loaded.document.text
    assert loaded.document.text.count("Chapter") == 3
    assert len(loaded.document.chapters) == 3
    kept = load_document(_book(), "guide.epub", "fr", only_lang=True).document
    assert "Chapter" not in kept.text and kept.text.count("Chapitre") == 2
    path = tmp_path / "guide.epub"
    path.write_bytes(_book())
    result = CliRunner().invoke(cli, ["split", str(path), "--lang", "fr", "--only-lang"])
    assert result.exit_code == 0, result.output
    assert "Chapitre 0" in result.output and "Chapter 0" not in result.output
