"""Tests for tokens, numbers, transliteration, cognates, windowed matches and the lexicon."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.band import SentenceBand
from aligner.errors import InputError
from aligner.features.lexicon import (
    Table,
    learned_table,
    spelling_table,
    transliteration_forms,
)
from aligner.features.matching import window_matches
from aligner.features.tokens import (
    _NUMBER,
    _PUNCT,
    _PUNCT_RE,
    _ROMAN,
    _WORD,
    Side,
    _by_token,
    build_side,
    canonical_number,
    fold,
    is_cyrillic,
    roman_value,
    text_keys,
)
from aligner.readers.dictionary import read_dictionary


def sentence_keys(text: str) -> list[str]:
    """The tokens of one sentence: numbers, punctuation, then words."""
    return text_keys([text])[1]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("8839,8", "8839.8"), ("8839.8", "8839.8"), ("1 000", "1000"), ("1,000", "1000"),
     ("007", "7"), ("3,5", "3.5"), ("1.000.000", "1000000")],
)  # fmt: skip
def test_numbers_are_canonical(raw: str, canonical: str) -> None:
    assert canonical_number(raw) == canonical


def test_numbers_match_across_conventions() -> None:
    assert "#8839.8" in sentence_keys("Le sommet mesure 8839,8 m.")
    assert "#8839.8" in sentence_keys("The summit is 8839.8 m high.")
    assert "#1000" in sentence_keys("Il y avait 1 000 hommes.")


def test_cyrillic_is_transliterated() -> None:
    assert fold("Крыленко") == "krylenko"
    assert fold("Krylenko") == "krylenko"
    assert fold("Éléphant Œuvre") == "elephant œuvre"


def test_roman_numerals_are_numbers() -> None:
    assert roman_value("XIV") == 14
    assert "#2" in sentence_keys("CHAPTER II")
    assert "#2" in sentence_keys("II")
    assert "#1" not in sentence_keys("I think so")


def test_punctuation_signature() -> None:
    keys = sentence_keys("« Vraiment ? » (dit-il) !")
    assert {'"', "?", "(", "!"} <= set(keys)


def test_rare_tokens_weigh_more() -> None:
    side = build_side(["the cat", "the dog", "the cow", "a Zanzibar"])
    weight = dict(zip(side.vocab, side.weight, strict=True))
    assert weight["zanzibar"] > weight["the"]
    assert side.mass.shape == (4,)


def test_cognates_found_with_rapidfuzz() -> None:
    src = build_side(["Die Himalaya Expedition erreichte Kathmandu."])
    tgt = build_side(["L'expédition himalayenne atteignit Katmandou."])
    table = spelling_table(src, tgt)
    pairs = {(src.vocab[s], tgt.vocab[t]) for s, t in zip(table.src, table.tgt, strict=True)}
    assert ("expedition", "expedition") in pairs
    assert ("kathmandu", "katmandou") in pairs


def test_transliterated_names_match() -> None:
    src = build_side(["Le camarade Krylenko arriva."])
    tgt = build_side(["Товарищ Крыленко прибыл."])
    table = spelling_table(src, tgt)
    pairs = {(src.vocab[s], tgt.vocab[t]) for s, t in zip(table.src, table.tgt, strict=True)}
    assert ("krylenko", "krylenko") in pairs


def _table_pairs(src: list[str], tgt: list[str]) -> set[tuple[str, str]]:
    s, t = build_side(src), build_side(tgt)
    table = spelling_table(s, t)
    return {(s.vocab[a], t.vocab[b]) for a, b in zip(table.src, table.tgt, strict=True)}


def test_names_spelled_apart_across_scripts_match() -> None:
    # Greek beta and theta came into Russian as в and ф; French ch is Russian ш.
    fr = ["Les fils de Moab vinrent à Bethléhem.", "Pouchkine lisait.", "Moab et Ruth."]
    ru = ["Сыны Моава пришли в Вифлеем.", "Пушкин читал.", "Моав и Руфь."]
    pairs = _table_pairs(fr, ru)
    assert {("moab", "moav"), ("bethlehem", "vifleem"), ("pouchkine", "pushkin")} <= pairs
    assert ("ruth", "ruf") in pairs
    # Only names (capitalised words) are compared so loosely, and only across scripts.
    assert ("vinrent", "vifleem") not in pairs and ("lisait", "chital") not in pairs
    latin = _table_pairs(fr, ["Moav's sons came to Vifleem.", "Moav and Vifleem."])
    assert ("moab", "moav") not in latin


def test_transliteration_forms_meet_where_spellings_part() -> None:
    forms = transliteration_forms(["amminadab", "aminadav", "thomas", "foma", "helene", "elena"])
    assert forms == ["aminadav", "aminadav", "fomas", "foma", "elene", "elena"]
    assert transliteration_forms([]) == []


def test_script_and_capitals_of_a_side() -> None:
    assert is_cyrillic(["Товарищ Krylenko прибыл."]) and not is_cyrillic(["Le camarade Крыленко."])
    side = build_side(["Moab dit.", "Il vit Moab.", "Dit-il ?"])
    capital = dict(zip(side.vocab, side.capital.tolist(), strict=True))
    assert capital["moab"] == 1.0 and capital["dit"] == 0.5 and capital["il"] == 0.5


def _brute(
    src_sents: list[set[int]],
    tgt_sents: list[set[int]],
    val: dict[tuple[int, int], float],
    weights: tuple[np.ndarray, np.ndarray],
    i: int,
    j: int,
    width: int,
) -> float:
    """Matched mass of source ``i`` against targets ``j - width + 1 .. j``, pair by pair."""
    w, tw = weights
    total = 0.0
    for s in src_sents[i]:
        best = max(
            (
                val.get((s, t), 0.0)
                for jj in range(j - width + 1, j + 1)
                for t in tgt_sents[jj]
                if tw[t] > 0
            ),
            default=0.0,
        )
        total += w[s] * best
    return total


def test_window_matches_equal_brute_force() -> None:
    rng = np.random.default_rng(3)
    words = [f"word{k}" for k in range(12)]
    src_texts = [" ".join(rng.choice(words, 4)) for _ in range(6)]
    tgt_texts = [" ".join(rng.choice(words, 3)) for _ in range(7)]
    src, tgt = build_side(src_texts), build_side(tgt_texts)
    table = spelling_table(src, tgt)
    band = SentenceBand.of(np.zeros(6, np.int64), np.full(6, 7, np.int64))
    out = window_matches(src, tgt, table.src, table.tgt, table.val, band, 3)
    val = {
        (int(s), int(t)): float(v) for s, t, v in zip(table.src, table.tgt, table.val, strict=True)
    }
    src_sets = [set(src.occ_tok[src.occ_sent == i].tolist()) for i in range(6)]
    tgt_sets = [set(tgt.occ_tok[tgt.occ_sent == j].tolist()) for j in range(7)]
    for i in range(6):
        for j in range(7):
            for width in (1, 2, 3):
                if j - width + 1 < 0:
                    continue
                cell, inside = band.flat(np.array([i]), np.array([j]))
                assert inside[0]
                expected = _brute(src_sets, tgt_sets, val, (src.weight, tgt.weight), i, j, width)
                assert out[width - 1, cell[0]] == pytest.approx(expected, rel=1e-5)


def test_band_transpose_keeps_cells() -> None:
    band = SentenceBand.of(np.array([0, 0, 1, 3]), np.array([2, 3, 4, 5]))
    t = band.transpose(5)
    cells = {(i, j) for i in range(4) for j in range(band.lo[i], band.hi[i])}
    cells_t = {(i, j) for j in range(5) for i in range(t.lo[j], t.hi[j])}
    assert cells == cells_t


def test_learned_lexicon_finds_translations() -> None:
    rng = np.random.default_rng(1)
    fr = ["chat", "chien", "maison", "arbre", "soleil", "riviere", "pomme", "livre"]
    en = ["cat", "dog", "house", "tree", "sun", "river", "apple", "book"]
    src_t, tgt_t = [], []
    for _ in range(80):
        pick = rng.choice(len(fr), 3, replace=False)
        src_t.append(" ".join(fr[k] for k in pick))
        tgt_t.append(" ".join(en[k] for k in rng.permutation(pick)))
    src, tgt = build_side(src_t), build_side(tgt_t)
    table = learned_table(src, tgt, [(k, k + 1, k, k + 1) for k in range(80)])
    best = {}
    for s, t, v in zip(table.src, table.tgt, table.val, strict=True):
        if v > best.get(src.vocab[s], ("", 0.0))[1]:
            best[src.vocab[s]] = (tgt.vocab[t], v)
    assert all(best[f][0] == e for f, e in zip(fr, en, strict=True))


def test_table_keeps_the_best_duplicate() -> None:
    t = Table.build(np.array([1, 0, 1]), np.array([2, 2, 2]), np.array([0.3, 0.5, 0.9]))
    assert t.src.tolist() == [0, 1]
    assert t.val.tolist() == [0.5, 0.9]


def test_read_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "dict.tsv"
    path.write_text("# comment\nchat\tcat\n\nchien\tdog\n", encoding="utf-8")
    assert read_dictionary(path) == (("chat", "cat"), ("chien", "dog"))


@pytest.mark.parametrize("line", ["chat cat", "chat\t", "a\tb\tc"])
def test_read_dictionary_bad_lines(tmp_path: Path, line: str) -> None:
    path = tmp_path / "dict.tsv"
    path.write_text(f"chat\tcat\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dict.tsv:2"):
        read_dictionary(path)


def test_read_dictionary_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_dictionary(tmp_path / "nope.tsv")


def _keys_one_by_one(sentences: list[str]) -> list[list[str]]:
    """Reference for text_keys: every pattern on every sentence on its own."""
    out = []
    for text in sentences:
        keys = ["#" + str(roman_value(r)) for r in _ROMAN.findall(text) if r]
        keys += ["#" + canonical_number(n) for n in _NUMBER.findall(text)]
        keys += [_PUNCT[m] for m in _PUNCT_RE.findall(text)]
        keys += [w if w[0] == "#" else fold(w) for w in _WORD.findall(text)]
        out.append(keys)
    return out


TRICKY = [
    "",
    "II",
    "CHAPTER XIV. I think, said LL of MMXIV (XL)",
    "Il y avait 1 000 hommes; 8839,8 m et 1,000.5\nII\nIV",
    '« Vraiment ? » (dit-il) ! : "oui"',
    "\u0663\u0664 digits and 12",
    "",
    "x\n\ny IX",
    "Ωραίο ΑΣ Ἀθῆναι Крыленко ÉCOLE école",
    "\x00 nul \x00",
]


def test_text_keys_equal_sentence_by_sentence() -> None:
    sentences = TRICKY * 3
    sent, keys = text_keys(sentences)
    expected = _keys_one_by_one(sentences)
    assert sent.tolist() == [k for k, ks in enumerate(expected) for _ in ks]
    assert keys == [key for ks in expected for key in ks]


def test_side_numbers_tokens_in_order_of_appearance() -> None:
    side = build_side(TRICKY)
    _, keys = text_keys(TRICKY)
    assert side.vocab == tuple(dict.fromkeys(keys))
    got = {(int(s), side.vocab[t]) for s, t in zip(side.occ_sent, side.occ_tok, strict=True)}
    sent, _ = text_keys(TRICKY)
    assert got == set(zip(sent.tolist(), keys, strict=True))


def test_flat_gives_the_row_start_outside() -> None:
    band = SentenceBand.of(np.array([0, 2, 2, 5]), np.array([3, 4, 6, 5]))
    i = np.array([0, 0, 1, 1, 1, 2, 3, 3])
    j = np.array([0, 3, 1, 2, 3, 5, 4, 5])
    cell, inside = band.flat(i, j)
    assert inside.tolist() == [True, False, False, True, True, True, False, False]
    assert cell.tolist() == [0, 0, 3, 3, 4, 8, 9, 9]


def _windows_by_sorting(
    src: Side,
    tgt: Side,
    table: Table,
    band: SentenceBand,
    widths: int,
) -> np.ndarray:
    """Reference for window_matches: every (occurrence, run end) listed, sorted and maxed."""
    out = np.zeros((widths, band.cells), np.float32)
    first = np.searchsorted(table.src, src.occ_tok, side="left")
    last = np.searchsorted(table.src, src.occ_tok, side="right")
    hits = []
    for o in np.flatnonzero(src.weight[src.occ_tok] > 0).tolist():
        row = int(src.occ_sent[o])
        for e in range(int(first[o]), int(last[o])):
            for q in np.flatnonzero(tgt.occ_tok == table.tgt[e]).tolist():
                col = int(tgt.occ_sent[q])
                if tgt.weight[tgt.occ_tok[q]] > 0 and band.lo[row] <= col < band.hi[row]:
                    hits.append((o, col, float(table.val[e])))
    span = int(band.hi.max()) + widths + 1
    for w in range(1, widths + 1):
        best: dict[int, float] = {}
        for o, col, v in hits:
            for d in range(w):
                key = o * span + col + d
                best[key] = max(best.get(key, v), v)
        keys = np.array(sorted(best), np.int64)
        if keys.size == 0:
            continue
        vals = np.array([best[k] for k in keys.tolist()])
        o, end = keys // span, keys % span
        row = src.occ_sent[o]
        inside = (end >= band.lo[row]) & (end < band.hi[row])
        cell = band.offsets[row[inside]] + end[inside] - band.lo[row[inside]]
        weights = (vals * src.weight[src.occ_tok[o]])[inside]
        out[w - 1] += np.bincount(cell, weights=weights, minlength=band.cells).astype(np.float32)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_window_matches_bitwise_equal_sorting_every_run(seed: int) -> None:
    # Few words, so a word often recurs in neighbouring sentences (runs overlap), and a narrow
    # band, so runs leave it.
    rng = np.random.default_rng(seed)
    words = [f"mot{k}" for k in range(9)]
    src_texts = [" ".join(rng.choice(words, 3)) for _ in range(30)]
    tgt_texts = [" ".join(rng.choice(words, 2)) for _ in range(34)]
    src, tgt = build_side(src_texts), build_side(tgt_texts)
    table = spelling_table(src, tgt)
    centre = np.arange(30) * 34 // 30
    band = SentenceBand.of(np.maximum(centre - 3, 0), np.minimum(centre + 4, 34))
    for widths in (1, 2, 4):
        got = window_matches(src, tgt, table.src, table.tgt, table.val, band, widths)
        want = _windows_by_sorting(src, tgt, table, band, widths)
        assert np.array_equal(got.view(np.int32), want.view(np.int32))


@pytest.mark.parametrize("big", [False, True])
def test_sort_by_token_alone_sorts_the_keys(big: bool) -> None:
    # Columns rise along each token's entries; ids past 16 bits take the 64-bit sort.
    rng = np.random.default_rng(4)
    tokens = rng.integers(0, 70_000 if big else 300, 5000)
    columns = np.sort(rng.integers(0, 1000, 5000))
    keys = tokens * 1001 + columns
    order = _by_token(tokens, keys)
    assert np.array_equal(keys[order], np.sort(keys))


def test_window_matches_pieces_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks cut into pieces of a few entries (at row starts) give the same bits as whole
    # chunks, and the pieces are really there.
    import aligner.features.matching as matching

    rng = np.random.default_rng(7)
    words = [f"mot{k}" for k in range(9)]
    src_texts = [" ".join(rng.choice(words, 4)) for _ in range(60)]
    tgt_texts = [" ".join(rng.choice(words, 3)) for _ in range(64)]
    src, tgt = build_side(src_texts), build_side(tgt_texts)
    table = spelling_table(src, tgt)
    centre = np.arange(60) * 64 // 60
    band = SentenceBand.of(np.maximum(centre - 4, 0), np.minimum(centre + 5, 64))
    monkeypatch.setattr(matching, "JOIN_CHUNK", 50)
    monkeypatch.setattr(matching, "JOIN_PIECE", 50)
    whole = window_matches(src, tgt, table.src, table.tgt, table.val, band, 4)
    calls = []
    add = matching._add_windows
    monkeypatch.setattr(matching, "_add_windows", lambda *a: calls.append(1) or add(*a))
    monkeypatch.setattr(matching, "JOIN_PIECE", 3)
    pieces = window_matches(src, tgt, table.src, table.tgt, table.val, band, 4)
    assert len(calls) > 2 * (src.live.size * 2 // 50)
    assert np.array_equal(whole.view(np.int32), pieces.view(np.int32))


def test_a_row_longer_than_a_piece_is_kept_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # One source sentence whose entries outnumber a piece: the piece cannot be cut at a row
    # start, so the row is joined whole (it used to raise IndexError).
    import aligner.features.matching as matching

    src, tgt = build_side(["mot1 mot2 mot3 mot1 mot2"]), build_side(["mot1 mot2", "mot3 mot1"])
    table = spelling_table(src, tgt)
    band = SentenceBand.of(np.array([0]), np.array([2]))
    whole = window_matches(src, tgt, table.src, table.tgt, table.val, band, 2)
    monkeypatch.setattr(matching, "JOIN_PIECE", 1)
    pieces = window_matches(src, tgt, table.src, table.tgt, table.val, band, 2)
    assert np.array_equal(whole.view(np.int32), pieces.view(np.int32))
    assert whole.sum() > 0


def test_build_side_in_chunks_of_sentences_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tokens numbered a few sentences at a time get the ids, sentences and spellings of a
    # text read whole (keys first met in a later chunk included).
    import aligner.features.tokens as tokens

    texts = [
        "CHAPITRE II. « Où est Paris ? »",
        "Paris, 1 000 habitants : l'Été.",
        "Les Français et les français.",
        "XIV hommes, (dit-il) 8839,8 km !",
        "",
        "Été, été, ÉTÉ : Paris.",
        "Nouveau mot, nouveaux mots.",
    ]
    whole = build_side(texts)
    monkeypatch.setattr(tokens, "KEY_CHUNK", 2)
    chunked = build_side(texts)
    assert chunked.vocab == whole.vocab
    for name in ("occ_sent", "occ_tok", "weight", "df", "mass", "capital"):
        assert np.array_equal(getattr(chunked, name), getattr(whole, name)), name
    monkeypatch.setattr(tokens, "KEY_CHUNK", 2)
    spellings = tokens._key_ids(texts)[4]
    monkeypatch.setattr(tokens, "KEY_CHUNK", 100)
    assert spellings == tokens._key_ids(texts)[4]
