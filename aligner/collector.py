"""Python's cyclic garbage collector paused over a call that makes many objects and no cycles.

An alignment allocates hundreds of thousands of small containers (token lists, steps, beads)
that live until it returns, and the collector's passes over them cost CPU time for little: the
only cycles a book's alignment leaves are simplemma's lemmatiser objects and some 27,000 tuples
(about 12 MB of peak memory on the Old Testament, freed by the first collection after the call),
against some 0.2-0.3 s of CPU in the collector (``benchmarks/RESULTS.md``, round five). The
collector is switched back on when the call ends, however it ends, unless the caller had
switched it off already.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Run the ``with`` block with automatic garbage collection off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
