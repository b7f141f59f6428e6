"""How the API process uses Python's cyclic garbage collector.

A sync runs in the API's process and holds its working set (entities, planned writes, bulk
results: 700,000 objects for a 10,000-item push) for seconds. With the interpreter's defaults,
the collector makes a full collection each time that set has grown by a quarter; a full
collection visits every tracked object with the GIL held, and each one held the event loop for
0.4 to 1.5 s (six of them, 6 s in all, during one 10,000-item push: bench.loop_lag), the p99 of
every poll meanwhile. So, while the server runs:

- what exists once startup is done (modules, the GraphQL schemas) is
  moved out of the collector's reach (`gc.freeze`): a full collection no longer visits it;
- a full collection waits for FULL_AFTER young (generation 1) collections instead of 10, about
  7 million net allocations instead of 70,000, so a run no longer triggers one as its working
  set grows. Cycles that die young, the usual kind in a server (a task and its exception,
  a request's objects), are still found by the young collections, which stay as frequent as
  before and take milliseconds; only cycles that outlived two young collections wait longer.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_AFTER = 1000


@contextmanager
def server_collector() -> Iterator[None]:
    """The server's collector policy for the block (a server's lifespan); restored after it."""
    young, middle, full = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, middle, max(full, FULL_AFTER))
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)
