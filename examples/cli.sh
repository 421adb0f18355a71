#!/usr/bin/env bash
# The command line: the README's page, the other formats, and scoring against gold beads.
# Usage: examples/cli.sh [OUTPUT_DIR]   (default: a new temporary folder)
set -euo pipefail
texts="$(cd "$(dirname "$0")/.." && pwd)/texts/armistice-1917"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

# The side-by-side page of the original and its two translations (languages are detected).
aligner align "$texts/fr.txt" "$texts/en.txt" "$texts/ru.txt" -o "$out/armistice.html"

# One translation, languages given: a TMX for a CAT tool (the format follows the extension).
aligner align "$texts/fr.txt" "$texts/en.txt" --src-lang fr --tgt-lang en -o "$out/fr-en.tmx"

# JSON Lines on stdout for scripts: with two translations, one record per merged row.
aligner align "$texts/fr.txt" "$texts/en.txt" "$texts/ru.txt" -q -f jsonl > "$out/all.jsonl"

# Vecalign-style beads, scored against themselves (a perfect 1.0) to show `aligner evaluate`.
aligner align "$texts/fr.txt" "$texts/en.txt" -q -o "$out/fr-en.txt"
aligner evaluate --test "$out/fr-en.txt" --gold "$out/fr-en.txt"

# Sentences, one per line, as the aligner sees them.
aligner split "$texts/ru.txt" --lang ru | head -n 3

ls "$out"
