"""The interface every reduction pass implements.

A pass is pure: given the current text (and where to resume), it yields candidate texts in
a fixed order. The engine tests them and, when one is interesting, calls the pass again on
the accepted text with that candidate's ``resume`` state, so a pass continues where it
was instead of starting over. Passes never see the oracle. The orders and their resume
states are shared, in reducer.passes.schedules: a pass lists its units and edits.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Protocol

# Above this size only the coarse passes run (issue 12 §3): on a 9.5 MB input one call
# is ~5 s, and a pass with one candidate per token, occurrence or function made 0.3%
# progress in 200 s. The engine repeats rounds until nothing changes, so a guarded pass
# runs in the first round that starts on a small enough text.
FINE_MAX_BYTES = 200_000


@dataclass(frozen=True)
class Candidate:
    text: str
    resume: Hashable  # handed back to the pass if this candidate is accepted (a schedule's state)
    # Larger than the text it came from, on purpose (a header inlined so the next passes
    # can reduce it); the engine otherwise only accepts smaller candidates.
    grows: bool = False
    # One local edit whose ``resume`` depends only on the text before the first character
    # it changes. The engine may then test it in a batch with its neighbours and accept
    # several such candidates of one text at once (merging their edits), handing the pass
    # the state of a candidate earlier in the text than all of them. The state says up to
    # where it depends on the text (schedules.foldable_promise_holds checks it).
    foldable: bool = False
    # What sort of edit this is (a pass's own label, e.g. balanced's "contents"), for
    # scheduling only: the engine keeps a success rate per pass and kind, and speculates
    # on the outcomes that rate makes likely. Never part of what is accepted.
    kind: str = ""
    # How the pass made this candidate, when that is worth a line in --json's log with
    # the verdict (focus: the first cut, and what its repair kept). Never part of what
    # is accepted.
    note: str = ""


class Pass(Protocol):
    name: str

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]: ...
