"""Confidence filter and quality warnings through the command line (align and batch)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from click.testing import CliRunner

from aligner.cli import cli

ARMISTICE = Path(__file__).resolve().parent.parent / "texts" / "armistice-1917"
UNRELATED_DE = (
    "Der Hund bellt laut im Garten. Die Katze schläft auf dem warmen Dach. Morgen regnet es "
    "wieder in den Bergen. Wir kaufen Brot beim Bäcker an der Ecke.\n"
)


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_min_confidence_leaves_weak_beads_out_and_counts_them() -> None:
    code, out, _ = invoke("align", ARMISTICE / "fr.txt", ARMISTICE / "ru.txt", "-q", "-f", "jsonl")
    assert code == 0
    every = [json.loads(line) for line in out.splitlines()]
    scores = [r["score"] for r in every[1:]]
    # Midway between two written scores (rounded to 3 decimals) that are apart, so that
    # rounding cannot move a bead across it.
    distinct = sorted(set(scores))
    upper = distinct[len(distinct) // 2 :]
    low, high = next((a, b) for a, b in itertools.pairwise(upper) if b - a >= 0.002)
    threshold = (low + high) / 2
    code, out, _ = invoke(
        "align", ARMISTICE / "fr.txt", ARMISTICE / "ru.txt", "-q", "-f", "jsonl",
        "--min-confidence", threshold,
    )  # fmt: skip
    assert code == 0
    header, *beads = [json.loads(line) for line in out.splitlines()]
    assert all(b["score"] >= threshold - 1e-9 for b in beads)
    left_out = sum(s < threshold for s in scores)
    assert left_out > 0 and header["aligner"]["left_out"] == left_out
    assert len(beads) == len(scores) - left_out


def test_the_page_keeps_every_row_under_the_threshold(tmp_path: Path) -> None:
    pages = []
    for x in ("0", "0.99"):
        out = tmp_path / f"p{x}.html"
        code, _, _ = invoke(
            "align", ARMISTICE / "fr.txt", ARMISTICE / "en.txt", "-q", "-o", out,
            "--min-confidence", x,
        )  # fmt: skip
        assert code == 0
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0].count("data-i=") == pages[1].count("data-i=")


def test_unrelated_texts_are_warned_about_in_one_line(tmp_path: Path) -> None:
    de = tmp_path / "de.txt"
    de.write_text(UNRELATED_DE, encoding="utf-8")
    code, _, err = invoke("align", de, ARMISTICE / "fr.txt", "--src-lang", "de", "--tgt-lang", "fr")
    assert code == 0
    lines = [line for line in err.splitlines() if "do not read as translations" in line]
    assert len(lines) == 1 and lines[0].startswith("aligner: warning: ")
    assert any("lopsided input" in line for line in err.splitlines())
    code, _, err = invoke("align", de, ARMISTICE / "fr.txt", "-q", "--src-lang", "de")
    assert "warning" not in err


def test_a_real_translation_is_not_warned_about() -> None:
    code, _, err = invoke("align", ARMISTICE / "fr.txt", ARMISTICE / "en.txt")
    assert code == 0 and "warning" not in err


def test_batch_summary_has_quality_coverage_and_warnings(tmp_path: Path) -> None:
    de = tmp_path / "de.txt"
    de.write_text(UNRELATED_DE, encoding="utf-8")
    manifest = tmp_path / "pairs.tsv"
    fr, en = ARMISTICE / "fr.txt", ARMISTICE / "en.txt"
    manifest.write_text(f"{fr}\t{en}\tfr\ten\n{de}\t{fr}\tde\tfr\n", encoding="utf-8")
    code, _, err = invoke(
        "batch", manifest, "-o", tmp_path / "out", "--jobs", 1, "--min-confidence", "0.5"
    )
    assert code == 0, err
    rows = [
        json.loads(line) for line in (tmp_path / "out" / "summary.jsonl").read_text().splitlines()
    ]
    good, bad = rows
    assert good["quality"] >= 0.5 > bad["quality"]
    assert 0 < good["coverage"]["src"] <= 1 and 0 < good["coverage"]["tgt"] <= 1
    assert good["warnings"] == [] and any("translations" in w for w in bad["warnings"])
    assert f"{bad['output']}: these texts do not read as translations" in err
