"""glibc's allocator told to keep freed memory, for a process that aligns and then exits.

By default glibc's ``malloc`` returns large freed blocks to the system at once (``mmap``) and
trims the top of its heap, so the next large numpy array faults its pages in again. An
alignment allocates and frees blocks of some megabytes thousands of times: on the Old Testament
fr-en that was some 145,000 page faults and 0.5-0.8 s of system CPU time, against 47,000 faults
and about 0.1 s with the memory kept (``benchmarks/RESULTS.md``, round five); the peak resident
memory stays the same. Kept memory is not given back until the process ends, so only the
command line asks for this, never the library: a long-lived process importing ``aligner``
keeps the allocator's defaults.
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
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and ok)
