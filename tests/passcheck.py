"""Pass tests that state their outcome, as llvm-reduce's lit tests do: reduce this text
under this interestingness predicate (through the real engine), expect this result. A
pass may change how it enumerates candidates without these tests changing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future

from reducer.engine import Engine
from reducer.passes.base import Pass
from reducer.verdict import Verdict


class PredicateExecutor:
    """Answers in the calling thread from a pure predicate over the candidate text."""

    capacity = 1

    def __init__(self, interesting: Callable[[str], bool]) -> None:
        self.interesting = interesting

    def submit(self, text: str) -> Future[Verdict]:
        future: Future[Verdict] = Future()
        future.set_result(Verdict(self.interesting(text), "predicate"))
        return future

    def close(self) -> None:
        pass


def reduce_under(
    passes: Pass | Sequence[Pass], text: str, interesting: Callable[[str], bool]
) -> str:
    """``text`` reduced by ``passes`` to a fixpoint while ``interesting`` holds."""
    assert interesting(text), "the input must be interesting"
    engine = Engine(PredicateExecutor(interesting))
    return engine.reduce(text, [passes] if not isinstance(passes, Sequence) else passes)
