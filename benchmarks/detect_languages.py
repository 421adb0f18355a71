"""Language detectors on short texts: ours (aligner.detect) against maintained ones that ship
their model.

Samples, each a sentence (20-250 characters) and a window of three consecutive ones:
* UD dev sets (fr_gsd, fr_sequoia, en_ewt, en_gum, ru_gsd, ru_taiga) and Text+Berg dev (de),
  from ``--data`` (default /work/shared/data);
* Debian Reference (``apt-get install debian-reference-{en,fr,de,es,it,pt}``): the paragraphs
  of each translation that differ from the English paragraph at the same place (untranslated
  ones are left out), split into sentences;
* benchmarks/data/detect_samples.tsv: sentences written for this benchmark in es, it, pt, nl,
  uk, ca, ro, pl, sv and bg.

For each detector: accuracy by language, the share of texts in a language other than fr, en,
ru and de that it takes for one of those four (the error that matters: such a text is then
split with the wrong rules, silently), refusals, and time per text. Needs the detectors:
``pip install py3langid lingua-language-detector langdetect``. Run:
``python benchmarks/detect_languages.py [--per-language 300] [--only ours py3langid]``.

Figures (2 cores; "wrong" = a text in another language taken for fr/en/ru/de; accuracy on
single sentences / on windows of three):

=====================  ================  ================  ===============  ==========
detector               UD+Text+Berg      Debian Ref.       written          wrong
                       fr en ru de       fr de es it pt    es it pt nl uk…  (Debian)
=====================  ================  ================  ===============  ==========
ours, before           0.939 / 0.986     0.338 / 0.383     0.136 / 0.150    0.44 / 0.38
ours, now (py3langid   0.926 / 0.993     0.825 / 0.967     1.000 / 1.000    0.009/0.008
+ confirmation)
py3langid alone        0.963 / 0.997     0.929 / 0.986     1.000 / 1.000    0.018/0.010
lingua (high acc.)     0.963 / 0.997     0.913 / 0.975     0.964 / 1.000    0.036/0.016
lingua (low acc.)      0.924 / 0.994     0.847 / 0.959     0.936 / 1.000    0.041/0.018
langdetect             0.950 / 0.995     0.909 / 0.973     0.957 / 1.000    0.030/0.016
=====================  ================  ================  ===============  ==========

"Ours, now" refuses the rest (UD 7.0 % of sentences, 0.7 % of windows; Debian 16 % / 2.4 %).
Its remaining "wrong" answers on Debian Reference are English sentences left untranslated
inside translated paragraphs (labelled es/it/pt by their paragraph), so rightly English.
Time per text: py3langid 0.07-0.4 ms, lingua 1-11 ms, langdetect 2-11 ms; loading:
py3langid 0.5-0.7 s, lingua with all models 13 s and about 1.4 GB, langdetect 0.3-0.7 s.
Wheels: py3langid 4.4 MB (BSD-3-Clause, needs numpy), lingua-language-detector 92 MB
(Apache-2.0), langdetect 1 MB sdist (not released since 2021).
"""

from __future__ import annotations

import argparse
import random
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from aligner.errors import UsageError
from aligner.readers.dispatch import read_file
from aligner.segmentation.detect import detect_language
from aligner.segmentation.sentences import segment

HERE = Path(__file__).resolve().parent
SEGMENTED = frozenset({"fr", "en", "ru", "de"})
DEBIAN = Path("/usr/share/debian-reference")
MIN_CHARS, MAX_CHARS = 20, 250
WINDOW = 3

Detector = Callable[[str], str]


def _ud(data: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    folder = data / "ud_segmentation_dev"
    for path in sorted(folder.glob("*-dev.sents")):
        lang = path.name[:2]
        out[lang] += path.read_text(encoding="utf-8").splitlines()
    de = data / "textberg_de-fr_dev" / "dev.de"
    if de.exists():
        out["de"] += de.read_text(encoding="utf-8").splitlines()
    return out


def _debian() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if not (DEBIAN / "ch01.en.html").exists():
        return out
    chapters = sorted(p.name.split(".")[0] for p in DEBIAN.glob("ch*.en.html"))
    for lang in ("fr", "de", "es", "it", "pt"):
        for chapter in chapters:
            path = DEBIAN / f"{chapter}.{lang}.html"
            if not path.exists():
                continue
            english = read_file(DEBIAN / f"{chapter}.en.html").paragraphs
            translated = read_file(path).paragraphs
            if len(english) != len(translated):
                continue
            for en, xx in zip(english, translated, strict=True):
                if en != xx and len(xx) >= MIN_CHARS:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        out[lang] += segment(xx, lang).texts
    return out


def _written() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for line in (HERE / "data" / "detect_samples.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, text = line.split("\t", 1)
            out[lang].append(text)
    return out


def _samples(
    sentences: dict[str, list[str]], per_language: int, rng: random.Random
) -> list[tuple[str, str, str]]:
    """(language, kind, text): single sentences and windows of three."""
    out: list[tuple[str, str, str]] = []
    for lang, items in sorted(sentences.items()):
        items = [s.strip() for s in items if MIN_CHARS <= len(s.strip()) <= MAX_CHARS]
        if not items:
            continue
        picks = sorted(rng.sample(range(len(items)), min(per_language, len(items))))
        out += [(lang, "sentence", items[k]) for k in picks]
        windows = [" ".join(items[k : k + WINDOW]) for k in picks if k + WINDOW <= len(items)]
        out += [(lang, "3 sentences", w) for w in windows]
    return out


def _ours(text: str) -> str:
    try:
        return detect_language(text).code
    except UsageError:
        return "refused"


def _detectors() -> dict[str, tuple[Detector, float]]:
    """Each detector and the seconds it took to load."""
    found: dict[str, tuple[Detector, float]] = {"ours": (_ours, 0.0)}
    try:
        start = time.perf_counter()
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.classify("warm up")
        found["py3langid"] = (lambda t: str(ident.classify(t)[0]), time.perf_counter() - start)
    except ImportError:
        pass
    try:
        start = time.perf_counter()
        from lingua import LanguageDetectorBuilder

        for name, builder in (
            ("lingua", LanguageDetectorBuilder.from_all_languages()),
            ("lingua-low", LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()),
        ):
            start = time.perf_counter()
            detector = builder.with_preloaded_language_models().build()

            def lingua_detect(t: str, d: object = detector) -> str:
                language = d.detect_language_of(t)  # type: ignore[attr-defined]
                return "refused" if language is None else language.iso_code_639_1.name.lower()

            found[name] = (lingua_detect, time.perf_counter() - start)
    except ImportError:
        pass
    try:
        start = time.perf_counter()
        from langdetect import DetectorFactory, LangDetectException, detect

        DetectorFactory.seed = 0
        detect("warm up text")

        def langdetect_detect(t: str) -> str:
            try:
                return str(detect(t)).split("-")[0]
            except LangDetectException:
                return "refused"

        found["langdetect"] = (langdetect_detect, time.perf_counter() - start)
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--per-language", type=int, default=300)
    parser.add_argument("--only", nargs="*", help="detectors to run (default: all found)")
    args = parser.parse_args()
    rng = random.Random(13)
    sets = {"UD/Text+Berg": _ud(args.data), "Debian Reference": _debian(), "written": _written()}
    detectors = _detectors()
    if args.only:
        detectors = {k: v for k, v in detectors.items() if k in args.only}
    for set_name, sentences in sets.items():
        samples = _samples(sentences, args.per_language, rng)
        if not samples:
            continue
        langs = sorted({lang for lang, _, _ in samples})
        counts = Counter((lang, kind) for lang, kind, _ in samples)
        print(f"\n## {set_name}: " + ", ".join(f"{k[0]} {k[1]} {n}" for k, n in counts.items()))
        print(
            f"{'detector':12} {'kind':12} {'accuracy':>9} {'other->fr/en/ru/de':>19} "
            f"{'refused':>8} {'ms/text':>8}  per language"
        )
        for name, (detect, _load) in detectors.items():
            for kind in ("sentence", "3 sentences"):
                chosen = [(lang, text) for lang, k, text in samples if k == kind]
                start = time.perf_counter()
                answers = [detect(text) for _, text in chosen]
                elapsed = (time.perf_counter() - start) / max(len(chosen), 1) * 1000
                right = sum(a == lang for a, (lang, _) in zip(answers, chosen, strict=True))
                others = [
                    (a, lang)
                    for a, (lang, _) in zip(answers, chosen, strict=True)
                    if lang not in SEGMENTED
                ]
                wrongly = sum(a in SEGMENTED for a, _ in others)
                refused = sum(a == "refused" for a in answers)
                per = []
                for lang in langs:
                    got = [a for a, (lg, _) in zip(answers, chosen, strict=True) if lg == lang]
                    if got:
                        per.append(f"{lang} {sum(a == lang for a in got) / len(got):.2f}")
                print(
                    f"{name:12} {kind:12} {right / len(chosen):9.3f} "
                    f"{(wrongly / len(others) if others else 0.0):19.3f} "
                    f"{refused / len(chosen):8.3f} {elapsed:8.2f}  {' '.join(per)}"
                )
    print("\nload seconds: " + ", ".join(f"{n} {t:.2f}" for n, (_, t) in detectors.items()))


if __name__ == "__main__":
    main()
