"""Keeping CPython's cyclic garbage collector off data that lives as long as a build.

The collector makes a full pass whenever the objects that survived earlier passes have grown by a
quarter. Building the phrase tables (~90 000 entries, all kept), or holding a chunk of facts beside
the loaded model and tables, makes it pass again and again over the same million objects, none of
which can be garbage: a tenth of a build went that way (docs/performance.md, figures behind
the code's choices).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block: for building a structure that makes no reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """Every object that exists on entry (the model, the tables) is left out of collections until
    the block ends; objects made inside are collected as usual. Forked workers inherit the freeze,
    which also spares the pages they share with this process from the collector's writes."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
