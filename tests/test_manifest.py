"""Corpus manifests (aligner.corpus.manifest): parsing, output names, language codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.corpus.manifest import (
    JOURNAL_NAME,
    SUMMARY_NAME,
    DocumentPair,
    known_language,
    output_names,
    parse_manifest,
)
from aligner.errors import InputError
from aligner.output import FORMATS
from aligner.output.files import write_atomic

BASE = Path("/corpus/books")

# --- parse_manifest ------------------------------------------------------------------------------


def test_two_and_four_fields() -> None:
    pairs = parse_manifest("Emma.fr\tEmma.en\nfr/1.txt\ten/1.txt\tfr\ten\n", BASE)
    assert pairs == (
        DocumentPair(BASE / "Emma.fr", BASE / "Emma.en", None, None, line=1),
        DocumentPair(BASE / "fr/1.txt", BASE / "en/1.txt", "fr", "en", line=2),
    )


def test_comments_and_blank_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    text = "# a comment\n\n   \n  # indented comment\na.txt\tb.txt\n\t\n\nc.txt\td.txt\n"
    # "\t" alone is blank: white space only.
    pairs = parse_manifest(text, BASE)
    assert [(p.source.name, p.target.name, p.line) for p in pairs] == [
        ("a.txt", "b.txt", 5),
        ("c.txt", "d.txt", 8),
    ]


def test_fields_are_stripped_and_windows_line_ends_accepted() -> None:
    pairs = parse_manifest(" a.txt \t b.txt \t fr \t en \r\n", BASE)
    assert pairs[0].source == BASE / "a.txt" and pairs[0].target == BASE / "b.txt"
    assert (pairs[0].src_lang, pairs[0].tgt_lang) == ("fr", "en")


def test_relative_paths_against_the_base_absolute_paths_kept() -> None:
    pairs = parse_manifest("sub/a.txt\t/data/en/a.txt\n../up.txt\tb.txt\n", BASE)
    assert pairs[0].source == BASE / "sub" / "a.txt"
    assert pairs[0].target == Path("/data/en/a.txt")
    assert pairs[1].source == BASE / ".." / "up.txt"
    assert all(p.source.is_absolute() and p.target.is_absolute() for p in pairs)


def test_a_path_with_spaces_is_one_field() -> None:
    pairs = parse_manifest("Guerre et paix.txt\tWar and Peace.txt\n", BASE)
    assert pairs[0].source.name == "Guerre et paix.txt"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("only-one-field.txt", "got 1"),
        ("a.txt\tb.txt\tfr", "got 3"),
        ("a.txt\tb.txt\tfr\ten\textra", "got 5"),
        ("a.txt\t", "empty field"),
        ("\tb.txt", "empty field"),
        ("a.txt\tb.txt\t\ten", "empty field"),
        ("a.txt\tb.txt\txx1\ten", "xx1"),
        ("a.txt\tb.txt\tfr\tklingon", "klingon"),
    ],
)
def test_a_bad_line_names_the_manifest_and_its_line_number(line: str, problem: str) -> None:
    text = f"# header\na.txt\tb.txt\n\n{line}\nc.txt\td.txt\n"
    with pytest.raises(InputError) as caught:
        parse_manifest(text, BASE, "pairs.tsv")
    message = str(caught.value)
    assert message.startswith("pairs.tsv, line 4:"), message
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n# comments\n", "  \n\t\n"])
def test_a_manifest_without_pairs_is_an_error(text: str) -> None:
    with pytest.raises(InputError, match="no pairs"):
        parse_manifest(text, BASE, "pairs.tsv")


def test_the_default_name_is_manifest() -> None:
    with pytest.raises(InputError, match=r"^manifest, line 1:"):
        parse_manifest("a.txt\n", BASE)


def test_read_manifest_paths_are_relative_to_its_folder(tmp_path: Path) -> None:
    from aligner.corpus.manifest import read_manifest

    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "pairs.tsv").write_text("fr/a.txt\ten/a.txt\n", encoding="utf-8")
    (pair,) = read_manifest(folder / "pairs.tsv")
    assert pair.source == folder / "fr" / "a.txt" and pair.target == folder / "en" / "a.txt"


# --- known_language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"), [("fr", "fr"), ("FR", "fr"), ("fra", "fr"), ("en-GB", "en"), ("ru", "ru")]
)
def test_known_language_normalises_codes(given: str, code: str) -> None:
    assert known_language(given, "pairs.tsv, line 3") == code


def test_a_code_without_rules_is_still_known() -> None:
    assert known_language("it", "here") == "it"


@pytest.mark.parametrize("bad", ["xx1", "klingon", "", "f"])
def test_an_unknown_language_is_an_input_error_naming_where(bad: str) -> None:
    with pytest.raises(InputError) as caught:
        known_language(bad, "pairs.tsv, line 3")
    assert str(caught.value).startswith("pairs.tsv, line 3: ")


# --- output_names -------------------------------------------------------------------------------

EXTENSIONS = sorted({f.extension for f in FORMATS.values()})
_SAFE = re.compile(r"[\w.\-]+")

# Stems with case variants, separators, shell metacharacters, dots, non-Latin letters, and
# the summary's own names.
STEM = st.one_of(
    st.sampled_from(
        (
            *("Emma", "emma", "EMMA", "summary", "Summary", "summary.jsonl", "fr", "en", "-"),
            *("pair", "a b", "a_b", "a;b", "$HOME", "..", ".hidden", "Война", "война"),
            *("ΣΊΣΥΦΟΣ", "σίσυφος"),
        )
    ),
    st.text(alphabet=st.characters(blacklist_characters="/\x00"), min_size=1, max_size=12),
)


@st.composite
def pair_lists(draw: st.DrawFn) -> list[DocumentPair]:
    n = draw(st.integers(1, 12))
    pairs = []
    for _ in range(n):
        src, tgt = draw(STEM), draw(STEM)
        ext_s, ext_t = draw(st.sampled_from(["", ".txt", ".fr", ".en", ".jsonl"])), ".txt"
        pairs.append(DocumentPair(BASE / f"{src}{ext_s}", BASE / "other" / f"{tgt}{ext_t}"))
    return pairs


@settings(max_examples=200, deadline=None)
@given(pairs=pair_lists(), ext=st.sampled_from([*EXTENSIONS, ".partial"]))
def test_output_names_are_distinct_safe_and_never_the_summary(
    pairs: list[DocumentPair], ext: str
) -> None:
    names = output_names(pairs, ext)
    assert len(names) == len(pairs)
    folded = [n.casefold() for n in names]
    assert len(set(folded)) == len(folded), names
    assert SUMMARY_NAME.casefold() not in folded and JOURNAL_NAME.casefold() not in folded
    for name in names:
        assert name.endswith(ext)
        assert _SAFE.fullmatch(name), name
        assert not name.startswith("."), name  # not a hidden file
    assert output_names(pairs, ext) == names  # deterministic
    assert output_names(pairs[:-1], ext) == names[:-1]  # a name depends on the pairs before


def test_names_follow_the_stems() -> None:
    pairs = [
        DocumentPair(Path("fr/Emma.txt"), Path("en/Emma.txt")),
        DocumentPair(Path("fr/emma.txt"), Path("en/EMMA.txt")),
        DocumentPair(Path("fr.txt"), Path("en.txt")),
        DocumentPair(Path("a b;c.txt"), Path("d.txt")),
    ]
    assert output_names(pairs, ".tsv") == ("Emma.tsv", "emma-2.tsv", "fr-en.tsv", "a_b_c-d.tsv")


def test_the_summary_names_are_never_taken() -> None:
    pairs = [
        DocumentPair(Path("summary.txt"), Path("summary.txt")),
        DocumentPair(Path("Summary"), Path("SUMMARY")),
    ]
    assert output_names(pairs, ".jsonl") == ("summary-2.jsonl", "Summary-3.jsonl")
    journal = DocumentPair(Path("summary.jsonl.fr"), Path("summary.jsonl.en"))
    assert output_names([journal], ".partial") == ("summary.jsonl-2.partial",)


def test_an_empty_or_unsafe_only_stem_still_gets_a_name() -> None:
    pairs = [DocumentPair(Path("..."), Path("...")), DocumentPair(Path("$$$.txt"), Path("$$$.txt"))]
    names = output_names(pairs, ".tsv")
    assert names == ("pair.tsv", "pair-2.tsv")


# Regression: two long file names that are each valid make an output name longer
# than a file name may be (255 bytes on Linux, macOS and Windows file systems): the pair's
# output cannot be written ("File name too long"), although both of its inputs exist.
@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Война_и_мир_" * 10 + ".txt", "Guerre_et_paix_" * 10 + ".txt"),  # 2 x ~180 bytes
        ("a" * 200 + ".fr", "b" * 200 + ".en"),
    ],
)
def test_an_output_name_can_be_written_when_its_inputs_could(
    tmp_path: Path, source: str, target: str
) -> None:
    for name in (source, target):  # each input name is a valid file name here
        (tmp_path / name).write_text("x", encoding="utf-8")
    (name,) = output_names([DocumentPair(tmp_path / source, tmp_path / target)], ".tsv")
    write_atomic(tmp_path / name, "ok\n")
    assert (tmp_path / name).read_text(encoding="utf-8") == "ok\n"
