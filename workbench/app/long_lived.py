"""Start-up without garbage-collector passes over objects that live as long as the app."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_COLLECTION_EVERY = 7000
"""Container allocations between two young collections once the app runs (Python's default is
700). A frame allocates thousands of short-lived objects that reference counting frees; at 700
the collector runs several times a frame and re-examines the frame's caches each time (measured:
about 1 ms less per weight key at 20 drugs)."""


@contextmanager
def long_lived() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then freeze what it allocated.

    Meant for start-up: importing textual, pydantic and the app, loading the profiles and building
    the app allocate a few hundred thousand objects that are kept until exit. Collecting while
    they are allocated, and traversing them in every later full collection, finds nothing to free
    and costs tens of milliseconds before the first frame. Freezing exempts them from cyclic
    collection (reference counting still frees them): cyclic garbage made in the block, or made
    later of objects from it, is never reclaimed; that is bounded by the block, done once, and
    nothing allocated after it is affected. The young generation is then collected every
    `YOUNG_COLLECTION_EVERY` allocations. Only for a process that runs one app (the `app` and
    `screenshot` commands), never in library code.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(YOUNG_COLLECTION_EVERY, older, oldest)
        if was_enabled:
            gc.enable()
