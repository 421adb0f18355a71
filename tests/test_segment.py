"""Sentence splitting: traps per language, span invariants, the bundled texts, pre-split input."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import UsageError
from aligner.segmentation.sentences import (
    SUPPORTED_LANGUAGES,
    check_language,
    normalize,
    read_presplit,
    segment,
)
from aligner.types import Document

TEXTS = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"


def sentences(text: str, lang: str) -> list[str]:
    return list(segment(text, lang).texts)


# (text, expected sentences) per language: the traps found when Punkt was tried, and their like.
FRENCH = [
    ("Il dit. « Bonjour. » Puis il part.", ["Il dit.", "« Bonjour. »", "Puis il part."]),
    ("Il attendit… Personne ne vint.", ["Il attendit…", "Personne ne vint."]),
    ("Il hésita... puis partit.", ["Il hésita... puis partit."]),
    ("Il hésita… puis partit. Fin.", ["Il hésita… puis partit.", "Fin."]),
    (
        "Selon l'art. 49 de la Constitution, le gouvernement agit. Il le fait.",
        ["Selon l'art. 49 de la Constitution, le gouvernement agit.", "Il le fait."],
    ),
    ("Selon l’art. 49, il agit.", ["Selon l’art. 49, il agit."]),
    ("C'est de l'art. Il aime ça.", ["C'est de l'art.", "Il aime ça."]),
    ("La cote est 8481 m. L'écart est grand.", ["La cote est 8481 m.", "L'écart est grand."]),
    ("Sources de l'expédition : a) Les articles ; b) Les livres.", None),
    (
        "C'était un vol. Marie porta plainte. Voir vol. 2.",
        ["C'était un vol.", "Marie porta plainte.", "Voir vol. 2."],
    ),
    ("Le texte est signé par V. I. Lénine et L. Trotsky.", None),
    ("Par radiogramme du 28 novembre 1917, 5 heures 20 du matin, le gouvernement a écrit.", None),
    (
        "« Vous venez ? » murmura-t-elle. Il acquiesça.",
        ["« Vous venez ? » murmura-t-elle.", "Il acquiesça."],
    ),
    ("Ah ! mon Dieu ! quelle histoire.", None),
    ("Voici le plan : 1. Introduction ; 2. Méthode.", None),
    (
        "M. Dupont et Mme Durand sont arrivés. MM. Martin aussi.",
        ["M. Dupont et Mme Durand sont arrivés.", "MM. Martin aussi."],
    ),
    (
        "Il aime les poires, etc. Le reste lui déplaît.",
        ["Il aime les poires, etc.", "Le reste lui déplaît."],
    ),
    ("Voir p. 12 et chap. 3. Le reste suit.", ["Voir p. 12 et chap. 3.", "Le reste suit."]),
    (
        "Il est né en 1917. Sa mère était institutrice.",
        ["Il est né en 1917.", "Sa mère était institutrice."],
    ),
    ("Qu'a-t-il dit ? Rien ! Absolument rien.", ["Qu'a-t-il dit ?", "Rien !", "Absolument rien."]),
    ("En 300 av. J.-C. Rome grandit.", None),
    (
        "Il a lu le chapitre, c.-à-d. la fin. Puis il dort.",
        ["Il a lu le chapitre, c.-à-d. la fin.", "Puis il dort."],
    ),
    ("Il vit à Paris ; Il aime la ville.", ["Il vit à Paris ;", "Il aime la ville."]),
    ("question : Etes-vous prêts ? Oui ou non ?", ["question : Etes-vous prêts ?", "Oui ou non ?"]),
]

RUSSIAN = [
    ("Столица России, т. е. Москва, большой город.", None),
    ("Он купил хлеб и т. д. Потом ушёл.", ["Он купил хлеб и т. д.", "Потом ушёл."]),
    ("Он купил хлеб и т.п. Потом ушёл.", ["Он купил хлеб и т.п.", "Потом ушёл."]),
    ("В 1930-е гг. в СССР шла индустриализация.", None),
    (
        "Это было в 1930-е гг. Затем началась война.",
        ["Это было в 1930-е гг.", "Затем началась война."],
    ),
    ("В 1918 г. Ленин переехал в Москву.", None),
    ("— Ты придёшь? — спросил он. — Да.", ["— Ты придёшь? — спросил он.", "— Да."]),
    (
        "Он жил на ул. Ленина, д. 5. Там было тихо.",
        ["Он жил на ул. Ленина, д. 5.", "Там было тихо."],
    ),
    ("Пробежал 400 м. Однако устал.", ["Пробежал 400 м.", "Однако устал."]),
    ("Барри Гордон (род. 21 декабря 1948 г.) — актёр.", None),
    ("Это мой муж. Николай врач.", ["Это мой муж.", "Николай врач."]),
    (
        "Собрали А. Ф. Гильфердинг и Н. Э. Ончуков в 300 г. до н. э. Это важно.",
        ["Собрали А. Ф. Гильфердинг и Н. Э. Ончуков в 300 г. до н. э.", "Это важно."],
    ),
    ("Звоните по тел. 8 800 500 47 09.", None),
    (
        "Это сделал В. И. Ленин. Он был председателем.",
        ["Это сделал В. И. Ленин.", "Он был председателем."],
    ),
    ("Он сказал: «Иди!» И ушёл.", ["Он сказал: «Иди!»", "И ушёл."]),
    ("Да или нет! Мы ждём.", ["Да или нет!", "Мы ждём."]),
    (
        "Красиво! 😍😍😍 Зато холодно)) Пойдём домой.",
        ["Красиво! 😍😍😍", "Зато холодно))", "Пойдём домой."],
    ),
]

ENGLISH = [
    ("Mr. Smith arrived at 5 a.m. and left for the U.S. embassy.", None),
    (
        "He arrived at 5 a.m. The others came later.",
        ["He arrived at 5 a.m.", "The others came later."],
    ),
    (
        "He moved to the U.S. The climate suited him.",
        ["He moved to the U.S.", "The climate suited him."],
    ),
    ('She said, "Stop." Then she left.', ['She said, "Stop."', "Then she left."]),
    ("It costs $5.50. That is cheap.", ["It costs $5.50.", "That is cheap."]),
    (
        "See fig. 3 for details. Dr. Jones agrees, e.g. in No. 5 of it.",
        ["See fig. 3 for details.", "Dr. Jones agrees, e.g. in No. 5 of it."],
    ),
    ("I met John F. Kennedy Jr. in 1960.", None),
    (
        "He was born in 1805. [6] He studied at Harrow.",
        ["He was born in 1805. [6]", "He studied at Harrow."],
    ),
    (
        "The rights were kept. 4 Even so, it failed.",
        ["The rights were kept. 4", "Even so, it failed."],
    ),
    ("He won. 5 Americans died.", ["He won.", "5 Americans died."]),
    (
        "It ended with World War I. The peace came.",
        ["It ended with World War I.", "The peace came."],
    ),
    ("Wait... what? No way!", ["Wait... what?", "No way!"]),
    (
        "They sell apples, pears, etc. The shop is small.",
        ["They sell apples, pears, etc.", "The shop is small."],
    ),
    ("(See the note.) The rest follows.", ["(See the note.)", "The rest follows."]),
    ("He said it at McDonald's. It was late.", ["He said it at McDonald's.", "It was late."]),
    ("The film by J.A. Howe was shown.", None),
]

GERMAN = [
    ("Am 3. Oktober 1990 wurde Deutschland vereint.", None),
    ("Das ist z. B. ein Haus. Es ist groß.", ["Das ist z. B. ein Haus.", "Es ist groß."]),
    ("Er kam im 19. Jh. nach Berlin.", None),
    ("Dr. Müller kam usw. Dann ging er.", ["Dr. Müller kam usw.", "Dann ging er."]),
    ("Er sagte: »Komm.« Dann ging er.", ["Er sagte: »Komm.«", "Dann ging er."]),
    ("Er sagte: „Komm.“ Dann ging er.", ["Er sagte: „Komm.“", "Dann ging er."]),
    ("Er sagte: «Komm.» Dann ging er.", ["Er sagte: «Komm.»", "Dann ging er."]),
    (
        "Sie wohnt in der Goethestr. 5 in Berlin. Das ist schön.",
        ["Sie wohnt in der Goethestr. 5 in Berlin.", "Das ist schön."],
    ),
    ("Das war 1989. Die Mauer fiel.", ["Das war 1989.", "Die Mauer fiel."]),
    ("Der Krieg begann. 5 Soldaten starben.", ["Der Krieg begann.", "5 Soldaten starben."]),
    ("Siehe S. 12 bzw. Nr. 4 im Anhang.", None),
]


# Sentences run together without final punctuation (flattened headings, captions, list items,
# web text), one group per rule, each with the look-alikes that must stay whole.
RUN_TOGETHER = [
    # A heading in capitals before a sentence; not acronyms, not a title in title case.
    ("fr", "MODE D'EMPLOI Avant de commencer, lisez la notice.", 1),
    ("en", "SAFETY INSTRUCTIONS Read them before you start.", 1),
    ("ru", "ВАЖНОЕ ОБЪЯВЛЕНИЕ Завтра школа будет закрыта.", 1),
    ("en", "The FBI CIA Director spoke to the press.", 0),
    ("en", "CHAPTER VII The Mad Tea-Party", 0),
    ("fr", "La SNCF et la RATP, DEUX ENTREPRISES, Elles aussi.", 0),
    # A sentence end glued to the next sentence; not abbreviations, initials or addresses.
    ("en", "The food was great.The service was slow.", 1),
    ("en", "We waited an hour!!!Never again.", 1),
    ("ru", "Помогите пожалуйста!!!Звоните вечером.", 1),
    ("en", "Mr.Smith and St.John arrived.", 0),
    ("en", "Write to jane.Doe@example.com or visit Example.Com today.", 0),
    ("en", "He worked for the U.S.Army and J.R.R.Tolkien.", 0),
    ("ru", "Он жил на ул.Ленина в г.Москве.", 0),
    # A short title with no final punctuation before a usual sentence opener.
    ("fr", "Biographie Il est né à Lyon en 1901.", 1),
    ("fr", "Voir aussi Les villes de la région sont nombreuses.", 1),
    ("en", "Early life He was born in Ohio.", 1),
    ("fr", "Il lit La peste chaque été.", 0),
    ("fr", "Attardons-nous sur la Une du journal.", 0),
    ("en", "Stephen read The Times every day.", 0),
    # A capitalised sentence opener after a plain word (en, fr); not names, titles of works,
    # the polite "Vous", verse lines opened by a conjunction, or section numbers.
    ("fr", "Le film est sorti en 2001 Il a eu un grand succès.", 1),
    ("en", "He won the race twice He was very happy.", 1),
    ("fr", "Les enfants jouent dans le parc Quel bonheur de les voir !", 1),
    ("fr", "Les doses sont décrites plus loin Chez les enfants, la dose est réduite.", 1),
    ("fr", "Dose maximale 500 mg Pour les enfants, demandez l'avis du médecin.", 1),
    ("fr", "Guerre de Cent Ans (1337-1453) L'affaire fut longue.", 1),
    ("fr", "Il lit Le Monde chaque matin.", 0),
    ("fr", "Ajouter 2 L d'eau et 5 D de sel.", 0),
    ("fr", "Il est venu avec Le Corbusier en 1930 La Rochelle l'attendait.", 0),
    ("fr", "Il a sorti l'album Un homme pressé en 2001.", 0),
    ("fr", "Je vous prie de croire, Madame, que Vous avez raison.", 0),
    ("fr", "Que Dieu te donne la rosée du ciel Et la graisse de la terre.", 0),
    ("en", "1.1 What is Government?", 0),
    ("ru", "Колесницы фараона ввергнул Он в море.", 0),
    # After a semicolon: a starter, or an article before a lower-case word; not a name.
    ("fr", "Il pleuvait ; Le vent soufflait fort.", 1),
    ("fr", "Il rentra ; L'orage éclata.", 1),
    ("fr", "Il vit en Suisse ; Cet endroit lui plaît.", 1),
    ("fr", "Il a voté ; Le Pen aussi.", 0),
    ("fr", "Il aimait Rome ; Paris l'ennuyait.", 0),
    # A list item opened by a spaced dash after a semicolon, its capital in any script.
    ("fr", "Il cite deux noms ; - Jules Roy, écrivain.", 1),
    ("fr", "Il cite deux noms ; - Štefan Banič, inventeur.", 1),
    ("ru", "Он назвал два имени ; - Єва Коваль, поэтесса.", 1),
    ("fr", "Il cite deux noms ; - et d'autres encore.", 0),
    # English written without capitals: a short word, "?" or "!" before a lower-case word ends
    # a sentence, in a paragraph that begins in lower case; not after an abbreviation.
    ("en", "are you kidding? why would you want one? they bite.", 2),
    ("en", "don't tell val. the weekend is mine.", 1),
    ("en", "i saw him at 5 p.m. and e.g. the dog too.", 0),
    ("en", "And he said, What hast thou done? the voice of thy brother crieth.", 0),
    ("ru", "если делаешь доброе, то не поднимаешь ли лица? а если не делаешь.", 0),
    # The number of a caption that opens a paragraph.
    ("en", "Figure 1.5 Residents of the town gather in the hall.", 1),
    ("fr", "Tableau 3 : Les résultats sont présentés ici.", 1),
    ("en", "Table 2 shows the results.", 0),
]


@pytest.mark.parametrize(("lang", "text", "cuts"), RUN_TOGETHER)
def test_run_together_sentences(lang: str, text: str, cuts: int) -> None:
    got = sentences(text, lang)
    assert len(got) == cuts + 1, got
    # Nothing is lost or reordered.
    assert " ".join(got).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Spaced (tokenised) typography leaves a closing quote alone at the end of a line.
        ("en", "' What is the use of a book ? ' thought Alice ' without pictures ? '", None),
        ("fr", "Il cria : « Tombe , tombe ! »", None),
        ("en", "He left . ' Fine . '", ["He left .", "' Fine . '"]),
    ],
)
def test_no_sentence_is_punctuation_only(lang: str, text: str, expected: list[str] | None) -> None:
    assert sentences(text, lang) == (expected if expected is not None else [text])


def test_run_together_cuts_fall_where_a_reader_marks_them() -> None:
    assert sentences("MODE D'EMPLOI Avant de commencer, lisez.", "fr") == [
        "MODE D'EMPLOI",
        "Avant de commencer, lisez.",
    ]
    assert sentences("The food was great.The service was slow.", "en") == [
        "The food was great.",
        "The service was slow.",
    ]
    assert sentences("Biographie Il est né à Lyon.", "fr") == ["Biographie", "Il est né à Lyon."]
    assert sentences("Figure 1.5 Residents gather.", "en") == ["Figure 1.5", "Residents gather."]
    assert sentences("Il pleuvait ; Le vent soufflait.", "fr") == [
        "Il pleuvait ;",
        "Le vent soufflait.",
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [("fr", t, e) for t, e in FRENCH]
    + [("ru", t, e) for t, e in RUSSIAN]
    + [("en", t, e) for t, e in ENGLISH]
    + [("de", t, e) for t, e in GERMAN],
)
def test_traps(lang: str, text: str, expected: list[str] | None) -> None:
    # None: the text is one sentence.
    assert sentences(text, lang) == (expected if expected is not None else [text])


def test_blank_lines_end_paragraphs() -> None:
    doc = segment("Un titre\n\nPremière phrase. Deuxième phrase.\n\n\n  \nFin", "fr")
    assert doc.texts == ("Un titre", "Première phrase.", "Deuxième phrase.", "Fin")
    assert doc.paragraph_of == (0, 1, 1, 2)


def test_wrapped_lines_are_spaces_in_the_document_text() -> None:
    doc = segment("Il partit\nvers la gare. Il\nattendit.", "fr")
    assert doc.texts == ("Il partit vers la gare.", "Il attendit.")
    assert doc.text == "Il partit vers la gare. Il attendit."
    assert all(doc.text[s.start : s.end] == s.text for s in doc.sentences)


def test_a_line_in_capitals_is_a_heading() -> None:
    doc = segment(
        "CHAPITRE PREMIER\nLe jour se leva sur la\nville. Le NKVD\nl'arrêta.\nXIV\nFin.", "fr"
    )
    assert doc.texts == (
        "CHAPITRE PREMIER",
        "Le jour se leva sur la ville.",
        "Le NKVD l'arrêta.",
        "XIV",
        "Fin.",
    )


def test_dialogue_dash_and_list_lines_start_sentences() -> None:
    doc = segment("Il demanda\n— Tu viens\n— Oui, dit-elle\n1. premier point\n2. second", "fr")
    assert doc.texts == (
        "Il demanda",
        "— Tu viens",
        "— Oui, dit-elle",
        "1. premier point",
        "2. second",
    )
    assert len(set(doc.paragraph_of)) == 1


def test_normalize() -> None:
    text = "\ufeffA\r\nB\rC\u00a0?\u202f!  \n \t\nD\u2029E e\u0301"
    assert normalize(text) == "A\nB\nC ? !  \n\nD\n\nE é"


def test_no_break_spaces_stay_inside_french_sentences() -> None:
    doc = segment("Vous venez\u00a0? Oui\u202f!", "fr")
    assert doc.texts == ("Vous venez ?", "Oui !")


def test_spans_point_into_the_normalised_text() -> None:
    doc = segment("\ufeffLe pas est fait.\r\nLa paix\u00a0!\r\n\r\nFin.", "fr")
    assert doc.text == "Le pas est fait. La paix !\n\nFin."
    assert [(s.start, s.end) for s in doc.sentences] == [(0, 16), (17, 26), (28, 32)]


# --- invariants ---------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"abcXYZ éÀжЖ",
        ". ",
        "? ",
        "! ",
        "…",
        "...",
        " « ",
        " » ",
        '"',
        "— ",
        "\n",
        "\n\n",
        "etc. ",
        "M. ",
        "т. е. ",
        "1. ",
        "(",
        ")",
        "; ",
        "\u00a0",
        "\r\n",
        "😍",
        "[6] ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.sampled_from([*SUPPORTED_LANGUAGES, "it"]))
def test_spans_cover_the_text_in_order(text: str, lang: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = segment(text, lang)
    assert isinstance(doc, Document)
    covered = [False] * len(doc.text)
    last_end = 0
    for s in doc.sentences:
        assert s.text and s.text == doc.text[s.start : s.end]
        assert "\n" not in s.text and s.text == s.text.strip()
        assert s.start >= last_end
        assert not doc.text[last_end : s.start].strip()  # only white space between sentences
        covered[s.start : s.end] = [True] * (s.end - s.start)
        last_end = s.end
    assert not doc.text[last_end:].strip()
    assert all(c or ch.isspace() for c, ch in zip(covered, doc.text, strict=True))
    assert list(doc.paragraph_of) == sorted(doc.paragraph_of)


# --- the bundled texts --------------------------------------------------------------------


def _bundled(lang: str) -> Document:
    return segment((TEXTS / f"{lang}.txt").read_text(encoding="utf-8"), lang)


def _per_paragraph(doc: Document) -> list[int]:
    return [len(p) for p in doc.paragraphs]


def test_french_leaflet() -> None:
    doc = _bundled("fr")
    assert _per_paragraph(doc) == [1, 1, 1, 1, 2, 5, 1, 2, 1, 2, 3, 1, 4, 5, 4, 3, 1, 1, 1, 1, 1]
    texts = doc.texts
    assert texts[:2] == (
        "Proposition d'armistice et de paix immédiate",
        "Aux peuples des pays belligérants !",
    )
    assert texts[-5:] == (
        "Signé :",
        "Le commissaire chargé des Affaires étrangères :",
        "Trotzky.",
        "Le Président du Conseil des Commissaires du Peuple :",
        "Uljanoff Lénine.",
    )
    question = [t for t in texts if "question : Etes-vous" in t]
    assert len(question) == 1 and question[0].endswith("une paix générale ?")
    assert "Oui ou non ?" in texts
    allies = [
        t for t in texts if t.startswith("Nous, le Conseil des Commissaires du Peuple, adressons")
    ]
    assert allies == [
        "Nous, le Conseil des Commissaires du Peuple, adressons cette question aux gouvernements "
        "de nos Alliés : La France, l'Angleterre, l'Italie, les Etats-Unis, la Belgique, "
        "la Serbie, la Roumanie, le Japon, la Chine."
    ]
    assert (
        texts[texts.index("Vive la paix et la fraternité des Peuples !") - 2]
        == "A bas la campagne d'hiver !"
    )


def test_english_translation() -> None:
    doc = _bundled("en")
    assert _per_paragraph(doc) == [1, 1, 1, 2, 1, 5, 1, 2, 1, 3, 3, 1, 4, 4, 4, 3, 1, 1, 1, 1, 1]
    assert doc.texts[1] == "To the peoples of the belligerent countries!"
    assert doc.texts[-1] == "Ulyanov (Lenin)."
    assert "Yes or no?" in doc.texts


def test_russian_original() -> None:
    doc = _bundled("ru")
    assert _per_paragraph(doc) == [1, 4, 5, 2, 1]
    assert doc.texts[0] == "Обращение Совета Народных Комиссаров к народам воюющих стран"
    assert "Да или нет!" in doc.texts
    assert doc.texts[-1].endswith("гибели всей европейской культуры?")


# --- pre-split input and language codes ---------------------------------------------------


def test_read_presplit() -> None:
    doc = read_presplit("\n  Première phrase.  \nDeuxième.\n\n\n\nTroisième.\n", "fr")
    assert doc.texts == ("Première phrase.", "Deuxième.", "Troisième.")
    assert doc.paragraph_of == (0, 0, 1)
    assert all(doc.text[s.start : s.end] == s.text for s in doc.sentences)
    assert doc.lang == "fr"


def test_read_presplit_keeps_each_line_whole() -> None:
    assert read_presplit("Un. Deux.\r\nTrois", "en").texts == ("Un. Deux.", "Trois")


@pytest.mark.parametrize(
    ("given_code", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-FR", "fr"),
        ("fr_CA", "fr"),
        ("fra", "fr"),
        ("ger", "de"),
        ("rus", "ru"),
        (" en ", "en"),
        ("en-Latn-US", "en"),
        ("it", "it"),
    ],
)
def test_check_language_normalises(given_code: str, expected: str) -> None:
    assert check_language(given_code) == expected


@pytest.mark.parametrize("bad", ["xx1", "xx", "", "frenchy", "f", "12", "fr--", "zzz", "posix"])
def test_check_language_rejects_unknown_codes(bad: str) -> None:
    with pytest.raises(UsageError, match="unknown language code"):
        check_language(bad)


def test_unknown_language_is_a_usage_error_in_segment_and_presplit() -> None:
    with pytest.raises(UsageError):
        segment("Bonjour.", "xx1")
    with pytest.raises(UsageError):
        read_presplit("Bonjour.", "xx1")


def test_unsupported_language_warns_once_and_uses_generic_rules() -> None:
    with pytest.warns(UserWarning, match="generic") as record:
        doc = segment("Il Dr. Rossi è arrivato. Poi è partito. Ecco.", "it")
    assert len(record) == 1
    assert doc.lang == "it"
    assert doc.texts == ("Il Dr. Rossi è arrivato.", "Poi è partito.", "Ecco.")


def test_supported_languages_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lang in SUPPORTED_LANGUAGES:
            segment("A. B.", lang)


def test_empty_text_has_no_sentences() -> None:
    assert segment("", "fr").sentences == ()
    assert segment(" \n\n \t", "en").sentences == ()
