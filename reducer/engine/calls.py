"""The oracle calls of a reduction: submitted to the executor, harvested into the verdict
cache, cancelled; and the counts the run reports.

The cache holds what the oracle said about a text, whoever asked (the procedure or the
speculator): with a deterministic oracle that depends on the text alone, so who asked
first changes when a verdict is known, never what it is.
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from dataclasses import dataclass, field

from reducer.executors.base import Executor
from reducer.verdict import Verdict


@dataclass
class Stats:
    oracle_calls: int = 0
    cache_hits: int = 0
    accepted: int = 0
    per_pass_accepted: dict[str, int] = field(default_factory=dict)
    per_pass_calls: dict[str, int] = field(default_factory=dict)
    # Of the calls, those the parse prefilter answered without a compile.
    prefiltered: int = 0
    per_pass_prefiltered: dict[str, int] = field(default_factory=dict)
    current_pass: str = "initial"
    started: float = field(default_factory=time.monotonic)
    # Calls whose verdict the sequential procedure read (the rest was speculation on a
    # text that was left behind); equal to oracle_calls at -j1.
    used_calls: int = 0
    folds: int = 0  # merges of two or more candidates that were accepted
    fold_failures: int = 0  # merges that were not interesting
    cancelled: int = 0  # speculative calls stopped before their verdict (not in oracle_calls)
    # The verdicts of candidates whose pass noted how it made them (Candidate.note), in
    # the order the procedure read them: pass, bytes, interesting, note.
    notes: list[tuple[str, int, bool, str]] = field(default_factory=list)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class Progress:
    pass_name: str
    size: int
    stats: Stats


class Calls:
    """The executor's calls in flight, and the verdict cache they fill."""

    def __init__(self, executor: Executor, stats: Stats) -> None:
        self.executor = executor
        self.stats = stats
        self.cache: dict[bytes, bool] = {}
        self.inflight: dict[Future[Verdict], tuple[bytes, str]] = {}
        self.pending: set[bytes] = set()
        self.used: set[bytes] = set()  # keys whose verdict the procedure read
        # Read once per pass: a Dask executor asks its scheduler, which is slow (and, once
        # the scheduler is gone, raises the executor's own one-line error).
        self.capacity = 1

    def known(self, key: bytes, default: bool | None = None) -> bool | None:
        """The cached verdict on a text (``default``: not known yet)."""
        return self.cache.get(key, default)

    def running(self, key: bytes) -> bool:
        return key in self.pending

    def full(self) -> bool:
        """Every worker is busy."""
        return len(self.inflight) >= self.capacity

    def submit(self, key: bytes, text: str) -> None:
        self.pending.add(key)
        self.inflight[self.executor.submit(text)] = (key, self.stats.current_pass)

    def harvest(self) -> int:
        """Collect finished calls into the cache; how many there were."""
        finished = [f for f in self.inflight if f.done()]
        for future in finished:
            key, pass_name = self.inflight.pop(future)
            self.pending.discard(key)
            verdict = future.result()  # an oracle error ends the reduction, as before
            self.stats.oracle_calls += 1
            calls = self.stats.per_pass_calls
            calls[pass_name] = calls.get(pass_name, 0) + 1
            if verdict.prefiltered:
                self.stats.prefiltered += 1
                cheap = self.stats.per_pass_prefiltered
                cheap[pass_name] = cheap.get(pass_name, 0) + 1
            self.cache[key] = verdict.interesting
            if key in self.used:
                self.stats.used_calls += 1
        return len(finished)

    def cancel(self, future: Future[Verdict]) -> None:
        """Stop one call and forget it, unless it already finished (then its verdict is
        harvested as usual)."""
        if future.cancel():
            key, _ = self.inflight.pop(future)
            self.pending.discard(key)
            self.stats.cancelled += 1

    def cancel_all(self) -> None:
        for future in list(self.inflight):
            self.cancel(future)
