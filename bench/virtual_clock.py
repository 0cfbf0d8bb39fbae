"""A virtual-clock executor: the engine's scheduling measured without sleeping.

Every call costs a fixed virtual time, spread by a deterministic jitter (a hash of the
candidate text), and runs on one of ``capacity`` virtual workers; the clock moves only
when the engine waits. So a scaling run of 341 calls takes about a second instead of
minutes, and is exactly repeatable: the same table every time, for comparing two
scheduling ideas whose real difference is smaller than the machine's noise. What it leaves
out is the engine's own CPU and process start-up (bench/scaling_bench.py without
``--virtual`` measures those). Jitter matters: with every call exactly 0.2 s, calls started
together end together and the engine never has to cancel anything; at +-25% the virtual
table matches the real one within ~3% (bench/RESULTS.md, session 8).

The engine waits with ``concurrent.futures.wait``; ``virtual_waits`` replaces the name
``reducer.engine.wait`` for the duration (a bench-only patch: the engine has no clock of
its own to inject).
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future

from reducer import engine as engine_module
from reducer.verdict import Verdict


class _VirtualFuture(Future[Verdict]):
    def __init__(self, executor: VirtualClockExecutor, verdict: Verdict, cost: float) -> None:
        super().__init__()
        self.executor = executor
        self.verdict = verdict
        self.cost = cost
        self.started: float | None = None

    def cancel(self) -> bool:
        # Like the local pool, a running call can be stopped (its compiler killed).
        if self.done():
            return False
        self.executor._drop(self)
        return super().cancel()

    def result(self, timeout: float | None = None) -> Verdict:
        while not self.done():
            self.executor.advance()
        return super().result()


class VirtualClockExecutor:
    """reducer.executors.base.Executor on a virtual clock; ``predicate`` gives the verdict."""

    def __init__(
        self,
        predicate: Callable[[str], bool],
        capacity: int,
        seconds: float = 0.2,
        jitter: float = 0.25,
        salt: str = "",
    ) -> None:
        self.predicate = predicate
        self.capacity = max(1, capacity)
        self.seconds = seconds
        self.jitter = jitter
        self.salt = salt
        self.clock = 0.0
        self.busy = 0.0  # worker-seconds spent on calls, finished or cancelled
        self._running: list[tuple[float, int, _VirtualFuture]] = []
        self._queued: list[_VirtualFuture] = []
        self._order = itertools.count()

    def _cost(self, text: str) -> float:
        digest = hashlib.blake2b((self.salt + text).encode(), digest_size=4).digest()
        spread = int.from_bytes(digest, "big") / 2**32 * 2 - 1  # in [-1, 1)
        return self.seconds * (1 + self.jitter * spread)

    def submit(self, text: str) -> Future[Verdict]:
        future = _VirtualFuture(self, Verdict(self.predicate(text), "virtual"), self._cost(text))
        self._queued.append(future)
        self._start()
        return future

    def submit_check(self, oracle: object, text: str) -> Future[Verdict]:
        raise NotImplementedError("the virtual clock runs one predicate")

    def _start(self) -> None:
        while self._queued and len(self._running) < self.capacity:
            future = self._queued.pop(0)
            future.started = self.clock
            heapq.heappush(self._running, (self.clock + future.cost, next(self._order), future))

    def _drop(self, future: _VirtualFuture) -> None:
        if future in self._queued:
            self._queued.remove(future)
            return
        for position, (_, _, running) in enumerate(self._running):
            if running is future:
                assert future.started is not None
                self.busy += self.clock - future.started
                self._running.pop(position)
                heapq.heapify(self._running)
                break
        self._start()

    def advance(self) -> None:
        """Move the clock to the next finishing call(s) and give their verdicts."""
        finish = self._running[0][0]
        while self._running and self._running[0][0] <= finish:
            _, _, future = heapq.heappop(self._running)
            assert future.started is not None
            self.busy += finish - future.started
            self.clock = finish
            future.set_result(future.verdict)
        self._start()

    def close(self) -> None:
        self._queued.clear()


def _virtual_wait(
    futures: Iterable[Future[Verdict]], timeout: float | None = None, return_when: str = ""
) -> tuple[set[Future[Verdict]], set[Future[Verdict]]]:
    pending = list(futures)
    assert return_when == FIRST_COMPLETED, "the engine waits for the first one"
    while pending and not any(future.done() for future in pending):
        first = pending[0]
        assert isinstance(first, _VirtualFuture)
        first.executor.advance()
    done = {future for future in pending if future.done()}
    return done, set(pending) - done


@contextlib.contextmanager
def virtual_waits() -> Iterator[None]:
    """The engine's waits move the virtual clock instead of blocking."""
    real = engine_module.wait
    engine_module.wait = _virtual_wait  # type: ignore[assignment]
    try:
        yield
    finally:
        engine_module.wait = real
