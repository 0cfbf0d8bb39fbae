"""Where oracle calls run: the interface the engine submits to. The engine only submits
candidate texts and collects verdicts, so a distributed executor (executors/dask.py) can
replace the local pool (executors/local.py) without touching passes or oracles; the
command layer chooses one.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Protocol

from reducer.oracles.base import Oracle
from reducer.verdict import Verdict


class Executor(Protocol):
    """Runs oracle calls. ``submit`` returns a future that stays cancellable until the
    call's verdict is in: ``future.cancel()`` on a running call stops it (the local pool
    kills its compiler) and the future never gets a result."""

    @property
    def capacity(self) -> int:
        """How many candidates it can usefully test at once."""
        ...

    def submit(self, text: str) -> Future[Verdict]: ...

    def submit_check(self, oracle: Oracle, text: str) -> Future[Verdict]:
        """Another oracle than the executor's own on a text (matrix: one per compiler)."""
        ...

    def close(self) -> None: ...


class WithOracle:
    """`inner`'s workers, every call made with `oracle` instead of the one `inner` was
    made with: what was learnt about the oracle after the executor started (the parse
    prefilter, decided by a call on the original) needs no second pool or cluster."""

    def __init__(self, inner: Executor, oracle: Oracle) -> None:
        self.inner = inner
        self.oracle = oracle

    @property
    def capacity(self) -> int:
        return self.inner.capacity

    def submit(self, text: str) -> Future[Verdict]:
        return self.inner.submit_check(self.oracle, text)

    def submit_check(self, oracle: Oracle, text: str) -> Future[Verdict]:
        return self.inner.submit_check(oracle, text)

    def close(self) -> None:
        self.inner.close()
