"""The languages the sentence splitter has its own rules for, without loading the splitter.

Kept apart from :mod:`aligner.segmentation.punkt`, which imports nltk (a sixth of a second of
CPU): checking a language code, as every alignment does, should not pay for it.
"""

from __future__ import annotations

# Languages with their own shipped lists; any other valid code gets GENERIC.
SUPPORTED_LANGUAGES = ("de", "en", "fr", "ru")
GENERIC = "generic"
