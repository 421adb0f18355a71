"""Exceptions the library raises for bad input; the CLI turns them into one line on stderr."""

from __future__ import annotations


class AlignerError(Exception):
    """Base class: a problem with the user's input or request, not a bug."""


class InputError(AlignerError, ValueError):
    """A file or text that cannot be read or used (missing, binary, bad encoding, empty).

    Also a ``ValueError``: the data given is wrong, whichever part of the library read it.
    """


class DecodeError(InputError):
    """Bytes that are not valid in the encoding they were read with."""


class UsageError(AlignerError, ValueError):
    """A request that does not make sense (unknown language, unknown format, bad option).

    Also a ``ValueError``, so code written against the standard library's convention for a
    bad argument catches it too.
    """
