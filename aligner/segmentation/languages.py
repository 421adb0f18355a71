"""The sentence splitter's data for each language, read lazily from ``data/``: LanguageRules."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

# Languages with their own shipped lists; any other valid code gets GENERIC.
SUPPORTED_LANGUAGES = ("de", "en", "fr", "ru")
GENERIC = "generic"


@dataclass(frozen=True)
class LanguageRules:
    """The shipped lists of one language, as the splitter uses them.

    ``abbreviations`` never end a sentence by themselves; ``final`` ones may end it before a
    capital; ``final_after_number`` only when they follow a number ("1917 г."); ``before_number``
    are abbreviations only when a number follows ("No. 5"). ``starters`` are words that, with a
    capital after an abbreviation, begin a new sentence. ``weak_starters`` (French "le", "la",
    "l'") begin one only before a lower-case word, since with a capital after them they are
    part of a name ("M. Le Pen"); they are not given to Punkt. The other fields are the
    language's settings in ``data/languages.json`` (its ``_comment`` says what each means).
    """

    lang: str
    abbreviations: frozenset[str]
    final: frozenset[str]
    final_after_number: frozenset[str]
    before_number: frozenset[str]
    starters: frozenset[str]
    weak_starters: frozenset[str]
    closers: str
    lower_case_writer: bool = False
    opener_after_word: bool = False
    capital_inside: frozenset[str] = frozenset()
    ordinal_numbers: bool = False
    street_suffix: str | None = None

    def __post_init__(self) -> None:
        flagged = self.final | self.final_after_number
        if not flagged <= self.abbreviations:
            raise ValueError(f"flagged abbreviations missing from the list: {flagged}")


def _data_lines(name: str) -> list[str]:
    """The non-comment, non-blank lines of a shipped data file."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _parse_abbreviations(name: str) -> dict[str, str]:
    """Read an abbreviation file into {abbreviation: flag}; the flag is "", "+", "+n" or "#"."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        flag = fields[-1] if fields[-1] in {"+", "+n", "#"} else ""
        words = fields[:-1] if flag else fields
        # "av. j.-c" is stored without the space so that it matches "av.J.-C." and "av. J.-C."
        entries["".join(words).lower()] = flag
    return entries


@functools.cache
def _settings() -> dict[str, dict[str, Any]]:
    """Per-language settings of the splitter, from ``data/languages.json``."""
    text = (
        resources.files("aligner.segmentation")
        .joinpath("data")
        .joinpath("languages.json")
        .read_text(encoding="utf-8")
    )
    settings: dict[str, dict[str, Any]] = json.loads(text)
    settings.pop("_comment", None)
    return settings


@functools.cache
def language_rules(lang: str) -> LanguageRules:
    """The rules for a supported language, or the generic ones (union of all lists)."""
    if lang not in SUPPORTED_LANGUAGES and lang != GENERIC:
        raise ValueError(f"no shipped rules for {lang!r}")
    langs = SUPPORTED_LANGUAGES if lang == GENERIC else (lang,)
    settings = _settings()[lang]
    entries: dict[str, str] = {}
    starters: set[str] = set()
    weak: set[str] = set()
    for code in langs:
        entries.update(_parse_abbreviations(f"abbrev_{code}.txt"))
        if lang != GENERIC:
            for line in _data_lines(f"starters_{code}.txt"):
                # "le ~": a weak starter (see LanguageRules).
                word, _, flag = line.lower().partition(" ")
                (weak if flag.strip() == "~" else starters).add(word)
    return LanguageRules(
        lang=lang,
        abbreviations=frozenset(a for a, f in entries.items() if f != "#"),
        final=frozenset(a for a, f in entries.items() if f == "+"),
        final_after_number=frozenset(a for a, f in entries.items() if f == "+n"),
        before_number=frozenset(a for a, f in entries.items() if f == "#"),
        starters=frozenset(starters),
        weak_starters=frozenset(weak),
        closers=settings["closers"],
        lower_case_writer=settings["lower_case_writer"],
        opener_after_word=settings["opener_after_word"],
        capital_inside=frozenset(settings["capital_inside"]),
        ordinal_numbers=settings["ordinal_numbers"],
        street_suffix=settings["street_suffix"],
    )


@functools.cache
def elided_words() -> frozenset[str]:
    """Words written elided before an apostrophe ("l'", "qu'"), from ``data/elided.txt``."""
    return frozenset(line.lower() for line in _data_lines("elided.txt"))


@functools.cache
def web_domains() -> frozenset[str]:
    """Top-level domains that end a web address written with capitals, from ``data/domains.txt``."""
    return frozenset(line.lower() for line in _data_lines("domains.txt"))


@functools.cache
def caption_labels() -> tuple[str, ...]:
    """Words that label a figure or a table ("Figure", "Tableau", "Abb.", "Рис."), in the order of
    ``data/captions.txt``."""
    return tuple(line.lower() for line in _data_lines("captions.txt"))
