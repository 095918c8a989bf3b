"""kg/common/collector.py: the garbage collector is paused or kept off long-lived objects only inside the
block, and left exactly as it was found, also when the block raises."""

from __future__ import annotations

import gc
import weakref

import pytest

from kg.common.collector import frozen, paused


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_collector_paused_restores_the_state_it_found():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused():
        assert not gc.isenabled()
        raise RuntimeError("inside")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is not undone
    finally:
        gc.enable()


def test_collector_frozen_spares_old_objects_and_collects_new_ones():
    old = Node()
    old_ref = weakref.ref(old)
    with frozen():
        assert gc.get_freeze_count() > 0
        new = Node()
        new_ref = weakref.ref(new)
        del old, new
        gc.collect()
        assert new_ref() is None  # made inside the block: collected as usual
        assert old_ref() is not None  # frozen on entry: out of the collector's reach
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert old_ref() is None  # unfrozen on exit: collectable again


def test_collector_frozen_unfreezes_when_the_block_raises():
    with pytest.raises(ValueError), frozen():
        raise ValueError("inside")
    assert gc.get_freeze_count() == 0
