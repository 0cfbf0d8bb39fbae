"""The reduction loop: runs passes to a fixpoint, testing candidates through an executor.

Two parts: the procedure (procedure.py: cache reads, decisions, resume states) and the
speculator (speculator.py: read access to the procedure's position and the verdict cache,
submit and cancel), over the calls in flight (calls.py), the streams both read
(streams.py) and the folding rule (folding.py).

Determinism: what the engine accepts is decided by a *sequential* procedure that reads one
verdict at a time, in the order the pass yields candidates; parallelism only prefetches
the verdicts that procedure is about to ask for. Nothing in the procedure depends on
``capacity`` (-j), on the executor, or on which call finishes first, so with a
deterministic oracle -j1 and -jN accept the same texts and produce the same file, and -j1
makes exactly the procedure's calls. -jN only spends extra calls on speculation that
turns out to be on a text that was left behind.

The procedure, per pass:

* a candidate that is not ``foldable`` is tested alone, and the first interesting one (in
  pass order) is accepted, as before;
* ``foldable`` candidates are tested in batches of ``fold_width`` consecutive ones (a
  constant, never -j). All of a batch is tested; the interesting ones are merged in pass
  order, skipping any whose edit overlaps one already taken, and the merge is tested
  (one call, needed only for two or more). If the merge is interesting it is accepted,
  otherwise the first interesting candidate is. So when a pass succeeds often, one batch
  of parallel calls makes several reductions instead of one, and the other calls of the
  window are not thrown away (C-Vise's folding, made independent of the worker count).

Speculation (scheduling only, never results): while the procedure waits on a candidate
that is not foldable, free workers walk the tree of outcomes from it, most likely first:
each candidate fails (the pass's next one) or is accepted (the pass goes on from its
text), with the odds the pass's success rate so far gives, and where a pass ends the next
passes start on that text, into the next round (``_walk``). Once the rest of a batch is
running, they bet on its likely outcome (the merge it would test and what the pass yields
after it), and when the pass's candidates run out, they start the following passes.
Once the procedure accepts a text (and when a pass starts), the calls it can
no longer ask about, those outside every window it may still speculate on, are cancelled:
the executor kills their compilers, so a left-behind compile does not hold a worker to
its end. Only verdicts the procedure would have waited for anyway are ever cached from a
finished call, and a cancelled one is simply asked again if a pass yields its text later,
so cancelling changes calls and time, never results.
"""

from reducer.engine.calls import Progress, Stats
from reducer.engine.procedure import DEFAULT_FOLD_WIDTH, Engine, ImprovementHook, ProgressHook
from reducer.engine.speculator import SPECULATION_ODDS

__all__ = [
    "DEFAULT_FOLD_WIDTH",
    "SPECULATION_ODDS",
    "Engine",
    "ImprovementHook",
    "Progress",
    "ProgressHook",
    "Stats",
]
