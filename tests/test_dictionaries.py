"""Tests for the shipped dictionaries, lemmas, dictionary-primed learning and the corpus lexicon."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from scripts import load_script

from aligner.features.dictionary import (
    available_pairs,
    base_language,
    index_pairs,
    pair_files,
    shipped,
)
from aligner.features.ibm1 import EVIDENCE_PSEUDOCOUNT
from aligner.features.lemmas import lemmatize, supported
from aligner.features.lexicon import (
    LEMMA_SPREAD,
    Lexicon,
    Table,
    index_table,
    learned_table,
    lemma_spread,
)
from aligner.features.matching import chance_mass
from aligner.features.tokens import build_side
from aligner.pipeline import AlignConfig, align, align_texts, train_lexicon
from aligner.resources import Resources
from aligner.types import Alignment

ROOT = Path(__file__).resolve().parent.parent


def _pairs_of(table: Table, src: object, tgt: object) -> set[tuple[str, str]]:
    s_vocab, t_vocab = src.vocab, tgt.vocab  # type: ignore[attr-defined]
    return {(s_vocab[a], t_vocab[b]) for a, b in zip(table.src, table.tgt, strict=True)}


def test_shipped_pairs_and_licences_are_in_the_package() -> None:
    pairs = available_pairs()
    for pair in ("de-fr", "en-fr", "fr-ru", "en-ru"):
        assert pair in pairs
        folder = ROOT / "aligner" / "features" / "dictionaries"
        source = (folder / f"{pair}.SOURCE.txt").read_text(encoding="utf-8")
        assert "Licence:" in source and "FreeDict" in source


def test_shipped_is_folded_both_ways_and_empty_for_unknown_pairs() -> None:
    fr_ru = shipped("fr", "ru")
    assert "narod" in fr_ru["peuple"]  # народ, folded like the texts' keys
    assert "peuple" in shipped("ru", "fr")["narod"]
    assert "peuple" in shipped("DE", "fr_FR")["volk"]
    assert len(shipped("fr", "xx")) == 0
    assert len(shipped("fr", "fr")) == 0
    assert all(" " not in k and all(" " not in t for t in v) for k, v in fr_ru.items())


def test_base_language() -> None:
    assert base_language("fr") == base_language("FR") == base_language("fr_CA") == "fr"
    assert base_language(" de-AT ") == "de"


def test_index_pairs_folds_and_skips_phrases() -> None:
    index = index_pairs([("Völker", "peuples"), ("vouloir dire", "besagen"), ("Hund", "chien")])
    assert index == {"volker": ("peuples",), "hund": ("chien",)}


def test_lemmatize_known_and_unknown_languages() -> None:
    assert lemmatize(["peuples", "народам", "Häuser"], "fr")[0] == "peuple"
    assert lemmatize(["народам"], "ru") == ["народ"]
    assert lemmatize(["Häuser"], "de") == ["Haus"]
    assert not supported("xx")
    assert lemmatize(["peuples"], "xx") == ["peuples"]


def test_resources_load_on_first_use_and_let_go_on_close() -> None:
    import simplemma

    words = ["народам", "Царь", "говорит", "домами", "xyzzy", "по-русски"]
    expected = [simplemma.lemmatize(w, lang="ru") for w in words]
    with Resources() as res:
        assert res.loaded == ()
        assert res.lemmatize(words, "ru") == expected
        assert "narod" in res.dictionary("fr_FR", "ru")["peuple"]
        assert set(res.loaded) == {"lemmas:ru", "dictionary:fr-ru"}
        res.release_lemmas()
        assert res.loaded == ("dictionary:fr-ru",)
        assert res.lemmatize(words[::-1], "ru") == expected[::-1]  # loaded again
    assert res.loaded == ()
    assert res.lemmatize(words, "ru") == expected  # a closed set loads again on demand


def test_align_shares_a_callers_resources_and_lets_its_own_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import aligner.features.lemmas as lemmas_module

    loads: list[str] = []
    real = lemmas_module.LemmaTables.get_dictionary

    def counted(self: lemmas_module.LemmaTables, lang: str) -> object:
        if lang not in self.loaded:
            loads.append(lang)
        return real(self, lang)

    monkeypatch.setattr(lemmas_module.LemmaTables, "get_dictionary", counted)
    src, tgt = ["Les peuples alliés."], ["Союзные народы."]
    with Resources() as res:
        for _ in range(3):
            align(src, tgt, src_lang="fr", tgt_lang="ru", resources=res)
        assert loads == ["fr", "ru"]  # read once for three pairs
        assert set(res.loaded) == {"lemmas:fr", "lemmas:ru", "dictionary:fr-ru"}
    loads.clear()
    for _ in range(2):
        align(src, tgt, src_lang="fr", tgt_lang="ru")
    assert loads == ["fr", "ru", "fr", "ru"]  # each call's own set, let go after it


@pytest.mark.parametrize("pair", [("fr", "ru"), ("ru", "fr"), ("en", "fr"), ("fr", "en")])
def test_shipped_index_folds_like_one_line_at_a_time(pair: tuple[str, str]) -> None:
    from aligner.features.dictionary import _data_file
    from aligner.features.tokens import fold

    src, tgt = pair
    stem = "-".join(sorted(pair))
    raw = "".join(
        gzip.decompress(_data_file(name).read_bytes()).decode("utf-8") for name in pair_files(stem)
    )
    expected: dict[str, list[str]] = {}
    for line in raw.splitlines():
        a, _, b = fold(line).partition("\t")
        if a and b and " " not in a and " " not in b:
            s, t = (b, a) if src > tgt else (a, b)
            if t not in expected.setdefault(s, []):
                expected[s].append(t)
    index = shipped(src, tgt)
    assert list(index) == list(expected)
    assert all(index[k] == tuple(v) for k, v in expected.items())


def test_build_side_lemmas_only_with_a_language() -> None:
    side = build_side(["Aux peuples alliés, 1917 !"], "fr")
    lemma = dict(zip(side.vocab, side.lemma, strict=True))
    assert lemma["peuples"] == "peuple" and lemma["allies"] == "allie"
    assert lemma["#1917"] == "#1917" and lemma["!"] == "!"
    assert build_side(["Aux peuples alliés"]).lemma == ()


def test_dictionary_matches_inflected_forms_through_lemmas() -> None:
    src_text = ["Nous nous adressons aux peuples alliés et à leurs masses."]
    tgt_text = ["Мы обращаемся к союзным народам и к их массам."]
    index = shipped("fr", "ru")
    with_lemmas = index_table(index, build_side(src_text, "fr"), build_side(tgt_text, "ru"))
    pairs = _pairs_of(with_lemmas, build_side(src_text), build_side(tgt_text))
    assert ("peuples", "narodam") in pairs
    assert ("masses", "massam") in pairs
    plain_src, plain_tgt = build_side(src_text), build_side(tgt_text)
    without = index_table(index, plain_src, plain_tgt)
    assert ("peuples", "narodam") not in _pairs_of(without, plain_src, plain_tgt)


def test_lemma_spread_reaches_the_other_forms_of_both_lemmas() -> None:
    src = build_side(["Le peuple chante.", "Les peuples chantent."], "fr")
    tgt = build_side(["The people sings.", "The peoples sing."], "en")
    s, t = src.vocab.index("peuples"), tgt.vocab.index("peoples")
    learned = Table.build(np.array([s]), np.array([t]), np.array([0.8]))
    spread = lemma_spread(learned, src, tgt)
    values = {(a, b): v for a, b, v in zip(spread.src, spread.tgt, spread.val, strict=True)}
    assert values[(s, t)] == 0.8  # the learned pair keeps its own value
    other = (src.vocab.index("peuple"), tgt.vocab.index("people"))
    assert values[other] == pytest.approx(0.8 * LEMMA_SPREAD)
    assert len(spread) == 4  # two forms of each lemma, each against each
    # Without lemmas (no language given) nothing spreads.
    plain_src, plain_tgt = build_side(["Le peuple", "Les peuples"]), build_side(["people"])
    one = Table.build(np.array([0]), np.array([0]), np.array([0.5]))
    assert lemma_spread(one, plain_src, plain_tgt) is one


def test_lexicon_learned_on_lemmas_reaches_forms_the_beads_lack() -> None:
    src = build_side(["Les peuples chantent.", "Les peuples dansent.", "Le peuple rit."], "fr")
    tgt = build_side(["The peoples sing.", "The peoples dance.", "The people laughs."], "en")
    beads = [(0, 1, 0, 1), (1, 2, 1, 2)]
    learned = learned_table(src, tgt, beads)
    pairs = _pairs_of(learned, src, tgt)
    assert ("peuples", "peoples") in pairs
    # "peuple" and "people" are in no training bead: their lemmas' pair covers them.
    assert ("peuple", "people") in pairs
    # Learned from two beads, the value is shrunk by the evidence: 2 / (2 + pseudocount).
    assert learned.val.max() <= 2 / (2 + EVIDENCE_PSEUDOCOUNT) + 1e-12


def test_config_builtin_dictionary_switch() -> None:
    assert AlignConfig().builtin_dictionary is True
    with pytest.raises(ValueError, match="builtin_dictionary"):
        AlignConfig(builtin_dictionary="no")  # type: ignore[arg-type]
    # French and Russian share few spellings: the shipped dictionary is what makes the
    # armistice's two versions read as translations of each other.
    folder = ROOT / "texts" / "armistice-1917"
    fr = (folder / "fr.txt").read_text(encoding="utf-8")
    ru = (folder / "ru.txt").read_text(encoding="utf-8")
    shipped_on = align_texts(fr, ru, src_lang="fr", tgt_lang="ru")
    shipped_off = align_texts(
        fr, ru, src_lang="fr", tgt_lang="ru", config=AlignConfig(builtin_dictionary=False)
    )
    assert shipped_on.quality > 0.8
    assert shipped_on.quality > shipped_off.quality + 0.3


def test_user_dictionary_adds_to_the_shipped_one() -> None:
    # Two sentences of the same length and shape, one translation: only the user's made-up word
    # pair (no shipped dictionary holds either word) says which sentence it translates.
    src = ["Il a vu le zorglub hier.", "Il a vu le vlimpax hier."]
    tgt = ["He saw the blarfoo yesterday."]
    for word, partner in (("zorglub", 0), ("vlimpax", 1)):
        cfg = AlignConfig(dictionary=((word, "blarfoo"),))
        result = align(src, tgt, src_lang="fr", tgt_lang="en", config=cfg)
        paired = [b.src for b in result.beads if b.tgt]
        assert paired == [(partner,)], word


def _armistice(lang: str) -> Alignment:
    folder = ROOT / "texts" / "armistice-1917"
    fr = (folder / "fr.txt").read_text(encoding="utf-8")
    other = (folder / f"{lang}.txt").read_text(encoding="utf-8")
    return align_texts(fr, other, src_lang="fr", tgt_lang=lang)


def test_armistice_fr_ru_partial_translation_every_bead() -> None:
    # Read from both texts: the Russian title is the French title and address together (a
    # retitled heading block, issue 20); the French paragraph "De la réponse…" (11) is not in
    # the Russian extract, which ends with French 14's appeal to the Allied peoples; French
    # 15-41 (16-42 counted from 1) are untranslated.
    result = _armistice("ru")
    paired = [(b.src, b.tgt) for b in result.beads if b.tgt]
    expected = [((0, 1), (0,))] + [((j + 1,), (j,)) for j in range(1, 10)]
    expected += [((12,), (10,)), ((13,), (11,))]
    assert paired == [*expected, ((14,), (12,))]
    untranslated = [i for b in result.beads if not b.tgt for i in b.src]
    assert untranslated == [11, *range(15, 42)]


def test_armistice_fr_en_every_bead() -> None:
    # Read from both texts: the English cuts French 3 in two and joins French 4 and 5, splits
    # French 16 (the address, then the peace proposed), so French 17-25 each sit one English
    # sentence later, and joins French 26 and 27 ("On December 2 …; if the Allied peoples …").
    result = _armistice("en")
    shifted = [((i,), (i + 1,)) for i in range(17, 26)]
    expected = [
        *[((i,), (i,)) for i in range(3)],
        ((3,), (3, 4)),
        ((4, 5), (5,)),
        *[((i,), (i,)) for i in range(6, 16)],
        ((16,), (16, 17)),
        *shifted,
        ((26, 27), (27,)),
        *[((i,), (i,)) for i in range(28, 42)],
    ]
    assert [(b.src, b.tgt) for b in result.beads] == expected


def test_prior_lets_a_dictionary_pair_seen_once_in(tmp_path: Path) -> None:
    src = build_side(["chat noir", "chien blanc", "chat", "oiseau"])
    tgt = build_side(["black cat", "white dog", "cat", "bird"])
    beads = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 4, 3, 4)]
    s_id, t_id = src.vocab.index("chien"), tgt.vocab.index("dog")
    plain = learned_table(src, tgt, beads)
    assert (s_id, t_id) not in set(zip(plain.src.tolist(), plain.tgt.tolist(), strict=True))
    prior = Table.build(np.array([s_id]), np.array([t_id]), np.ones(1))
    primed = learned_table(src, tgt, beads, prior=prior)
    assert (s_id, t_id) in set(zip(primed.src.tolist(), primed.tgt.tolist(), strict=True))


def test_chance_among_w_sentences_is_below_w_times_one() -> None:
    side = build_side(["a cat sat", "a dog ran", "the bird", "cat and dog"])
    other = build_side(["un chat", "un chien", "l'oiseau", "chat et chien"])
    table = Table.build(np.array([1, 2]), np.array([1, 3]), np.array([1.0, 1.0]))
    chance = chance_mass(side, other, table.src, table.tgt, table.val, 3)
    assert chance.shape == (3, side.n)
    assert np.all(np.diff(chance, axis=0) >= -1e-12)
    assert np.all(chance[2] <= 3 * chance[0] + 1e-12)


def _book(k: int) -> tuple[list[str], list[str]]:
    names = ["Paris", "Lyon", "Nantes", "Lille", "Brest", "Dijon"]
    src = [f"Le voyageur {k} arriva à {n} avec {i + k} malles." for i, n in enumerate(names)]
    tgt = [f"The traveller {k} reached {n} with {i + k} trunks." for i, n in enumerate(names)]
    return src, tgt


def test_train_lexicon_is_deterministic_and_usable() -> None:
    pairs = [_book(1), _book(2), _book(3)]
    lex = train_lexicon(pairs, src_lang="fr", tgt_lang="en")
    again = train_lexicon(pairs, src_lang="fr", tgt_lang="en")
    assert lex == again and len(lex) > 0
    assert pickle.loads(pickle.dumps(lex)) == lex
    assert ("malles", "trunks") in set(zip(lex.src, lex.tgt, strict=True))
    for src, tgt in pairs:
        result = align(src, tgt, src_lang="fr", tgt_lang="en", lexicon=lex)
        assert [(b.src, b.tgt) for b in result.beads] == [((i,), (i,)) for i in range(len(src))]
    src, tgt = pairs[0]
    doc = align_texts("\n\n".join(src), "\n\n".join(tgt), src_lang="fr", tgt_lang="en", lexicon=lex)
    assert [(b.src, b.tgt) for b in doc.beads] == [((i,), (i,)) for i in range(len(src))]


def test_train_lexicon_skips_empty_pairs_and_checks_paragraphs() -> None:
    empty = train_lexicon([([], ["x"])], src_lang="fr", tgt_lang="en")
    assert len(empty) == 0
    with pytest.raises(ValueError, match="paragraphs"):
        train_lexicon([_book(1)], src_lang="fr", tgt_lang="en", paragraphs=[((), ()), ((), ())])


def test_lexicon_table_keeps_entries_of_the_texts() -> None:
    lex = Lexicon("fr", "en", ("chat", "chien"), ("cat", "dog"), (0.9, 0.8))
    src, tgt = build_side(["le chat"]), build_side(["the cat"])
    table = lex.table(src, tgt)
    assert _pairs_of(table, src, tgt) == {("chat", "cat")}
    with pytest.raises(ValueError):
        Lexicon("fr", "en", ("a",), (), ())


def _build_module() -> ModuleType:
    return load_script("tools/build_dictionaries.py", register=True)


def _b64(n: int) -> str:
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = ""
    while True:
        out = digits[n % 64] + out
        n //= 64
        if not n:
            return out


def test_build_script_reads_dictd_entries(tmp_path: Path) -> None:
    build = _build_module()
    bodies = [
        ("00databaseinfo", "Test dictionary\nEdition: 1\n"),
        ("chat", "chat /ʃa/ <n, masc>\n1. cat, tomcat\nPetit félin\n2. chat (online)\n"),
        ("abeille", "abeille /a.bɛj/ <n>\nbee 2.\nInsecte à miel\n 3.\nInsecte\n"),
        ("faire", "faire <v>\nto make something happen over a long time\n"),
        ("ставить", "ста́вить <v>\nput\n"),
    ]
    data, index, pos = b"", [], 0
    for head, body in bodies:
        raw = body.encode("utf-8")
        index.append(f"{head}\t{_b64(pos)}\t{_b64(len(raw))}")
        data += raw
        pos += len(raw)
    (tmp_path / "freedict-fra-eng.dict.dz").write_bytes(gzip.compress(data))
    (tmp_path / "freedict-fra-eng.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    pairs = build.pairs_of("fra-eng", tmp_path)
    assert pairs == {
        ("chat", "cat"),
        ("chat", "tomcat"),
        ("chat", "chat"),
        ("abeille", "bee"),
        ("ставить", "put"),
    }
    assert "Edition: 1" in build.info("fra-eng", tmp_path)


def test_pivot_composition_keeps_only_pairs_two_pivot_words_support() -> None:
    build = _build_module()
    # German "loben" (praise) and "mieten" (rent) both translate French "louer": through one
    # pivot word, "louer" would reach "hvalit'" and "snimat'" alike; "chat" reaches "koshka"
    # through two German words, "chien" through German and Polish.
    fr_de = [("louer", "loben"), ("louer", "mieten"), ("chat", "Katze"), ("chat", "Mieze")]
    de_ru = [("loben", "хвалить"), ("mieten", "снимать"), ("katze", "кошка"), ("Mieze", "кошка")]
    bridges = {
        "deu": ([*fr_de, ("chien", "Hund")], [*de_ru, ("Hund", "собака")]),
        "pol": ([("chien", "pies"), ("chat", "kot")], [("pies", "собака"), ("kot", "кошка")]),
    }
    assert build.compose(bridges) == {("chat", "кошка"), ("chien", "собака")}
    assert build.compose(bridges, by="languages") == {("chat", "кошка"), ("chien", "собака")}
    # Two German words support "chat" but one language: counted by languages it still passes
    # through Polish; without Polish only the paths count keeps it.
    german = {"deu": (fr_de, de_ru)}
    assert build.compose(german) == {("chat", "кошка")}
    assert build.compose(german, by="languages") == set()
    assert ("louer", "хвалить") in build.compose(bridges, min_support=1)


def test_pivot_lists_are_read_with_their_pair_under_their_own_licence() -> None:
    folder = ROOT / "aligner" / "features" / "dictionaries"
    assert "fr-ru.pivot" not in available_pairs()
    for stem in ("fr-ru", "en-ru"):
        assert pair_files(stem) == [f"{stem}.tsv.gz", f"{stem}.pivot.tsv.gz"]
        source = (folder / f"{stem}.pivot.SOURCE.txt").read_text(encoding="utf-8")
        licences = {line for line in source.splitlines() if line.startswith("Licence: ")}
        assert licences == {"Licence: CC-BY-SA-3.0"}  # never a GPL edition composed
        assert "Edition: 2022.11.18" in source
    direct = gzip.decompress((folder / "fr-ru.tsv.gz").read_bytes()).decode("utf-8")
    assert not any(line.startswith("natation\t") for line in direct.splitlines())
    assert "plavanie" in shipped("fr", "ru")["natation"]  # from fr-ru.pivot.tsv.gz
