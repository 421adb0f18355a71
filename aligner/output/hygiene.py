"""Text hygiene for outputs: a sentence on one line, its white space normalised."""

from __future__ import annotations

import re

__all__ = ["clean_sentence"]

# Characters no output should carry: control characters other than the white space ones (tab,
# line breaks and the C0 separators become spaces below), lone surrogates and the
# non-characters U+FFFE/U+FFFF, which XML forbids and most tools choke on.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_sentence(text: str) -> str:
    """``text`` on one line: every run of white space (line breaks, tabs, no-break and other
    Unicode spaces) one plain space, none at either end, control characters removed.

    Only what is written changes: sentence spans still point at the document's characters.

    >>> clean_sentence("  Le pas\\n   décisif\\u00a0 est\\tfait. ")
    'Le pas décisif est fait.'
    """
    # Already clean (most sentences): printable means no control, separator or invisible
    # character but the plain space, so only runs of spaces and spaces at the ends are left.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(_INVISIBLE_RE.sub("", text).split())
