"""glibc's allocator told to keep freed memory, for a process that aligns and then exits.

By default glibc's ``malloc`` returns large freed blocks to the system at once (``mmap``) and
trims the top of its heap, so the next large numpy array faults its pages in again. An
alignment allocates and frees blocks of some megabytes thousands of times: on the Old Testament
fr-en that was some 145,000 page faults and 0.5-0.8 s of system CPU time, against 47,000 faults
and about 0.1 s with the memory kept (``benchmarks/RESULTS.md``, round five); the peak resident
memory stays the same. Kept memory is not given back until the process ends, so only the
command line asks for this, never the library: a long-lived process importing ``aligner``
keeps the allocator's defaults. The command line also tells numpy not to ask for huge pages
(:func:`small_pages`).
"""

from __future__ import annotations

import ctypes
import platform

#: ``mallopt`` parameters (glibc's ``malloc.h``).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: Blocks below this come from the heap, not from ``mmap`` (glibc's largest allowed value).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free memory at the top of the heap kept up to this much instead of trimmed.
TRIM_THRESHOLD = 1024 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Ask glibc's ``malloc`` to keep freed memory for reuse; False where there is no glibc.

    Setting either parameter turns off glibc's own adjustment of both, so both are set.
    """
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    small_pages()
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and ok)


def small_pages() -> bool:
    """Tell numpy not to ask the kernel for huge pages for its large arrays; False where this
    numpy has no such switch.

    numpy advises huge pages (``madvise(MADV_HUGEPAGE)``) for every array of 4 MB or more, and
    where the kernel honours the advice only (``transparent_hugepage`` set to ``madvise``) it
    gathers a free 2 MB page at the first touch, compacting memory when there is none: on a
    busy machine that doubled the system CPU time of a book's alignment, while arrays whose
    memory is kept for reuse (:func:`keep_freed_memory`) gain nothing measurable from huge
    pages afterwards (``benchmarks/RESULTS.md``, round ten).
    """
    import importlib

    for name in ("numpy._core.multiarray", "numpy.core.multiarray"):  # numpy 2, numpy 1
        try:
            switch = getattr(importlib.import_module(name), "_set_madvise_hugepage", None)
        except ImportError:
            continue
        if switch is not None:
            switch(False)
            return True
    return False  # pragma: no cover - numpy moved its switch
