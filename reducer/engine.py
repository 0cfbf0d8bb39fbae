"""The reduction loop: runs passes to a fixpoint, testing candidates through an executor.

Determinism: candidates are tested in windows of `capacity` in the order the pass yields
them, and the first interesting one *in that order* is accepted, never the first to
finish. With a deterministic oracle, -j1 and -jN therefore accept the same sequence of
candidates and produce the same file; -jN only spends extra calls on speculation.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from reducer.executor import Executor
from reducer.oracles.base import Verdict
from reducer.passes.base import Candidate, Pass


@dataclass
class Stats:
    oracle_calls: int = 0
    cache_hits: int = 0
    accepted: int = 0
    per_pass_accepted: dict[str, int] = field(default_factory=dict)
    per_pass_calls: dict[str, int] = field(default_factory=dict)
    current_pass: str = "initial"
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class Progress:
    pass_name: str
    size: int
    stats: Stats


ImprovementHook = Callable[[str], None]
ProgressHook = Callable[[Progress], None]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class Engine:
    def __init__(
        self,
        executor: Executor,
        on_improvement: ImprovementHook | None = None,
        on_progress: ProgressHook | None = None,
    ) -> None:
        self.executor = executor
        self.on_improvement = on_improvement or (lambda text: None)
        self.on_progress = on_progress or (lambda progress: None)
        self.stats = Stats()
        self._cache: dict[bytes, bool] = {}

    # -- oracle access -------------------------------------------------------------------

    def test(self, text: str) -> Verdict:
        """One direct oracle call (used for the initial and final checks)."""
        self.stats.oracle_calls += 1
        verdict = self.executor.submit(text).result()
        self._cache[_digest(text)] = verdict.interesting
        return verdict

    def _first_interesting(self, candidates: Iterator[Candidate], size: int) -> Candidate | None:
        """Test candidates in windows; return the earliest (in pass order) interesting one."""
        window: list[tuple[Candidate, bytes, bool | Future[Verdict]]] = []
        exhausted = False
        while not exhausted:
            window.clear()
            submitted = 0
            while submitted < self.executor.capacity:
                candidate = next(candidates, None)
                if candidate is None:
                    exhausted = True
                    break
                if len(candidate.text) >= size and not candidate.grows:
                    continue  # never accept something larger or equal (unless it says so)
                key = _digest(candidate.text)
                known = self._cache.get(key)
                if known is not None:
                    self.stats.cache_hits += 1
                    window.append((candidate, key, known))
                    if known:
                        break  # nothing after an interesting one in this window can win
                    continue
                if any(key == pending_key for _, pending_key, _ in window):
                    continue
                window.append((candidate, key, self.executor.submit(candidate.text)))
                submitted += 1
            winner: Candidate | None = None
            for candidate, key, outcome in window:
                if isinstance(outcome, bool):
                    interesting = outcome
                else:
                    if winner is not None:
                        outcome.cancel()
                        if not outcome.cancelled():
                            # Already running: let it finish so the cache learns from it.
                            self._record(key, outcome.result())
                        continue
                    interesting = self._record(key, outcome.result())
                if interesting and winner is None:
                    winner = candidate
            if winner is not None:
                return winner
        return None

    def _record(self, key: bytes, verdict: Verdict) -> bool:
        self.stats.oracle_calls += 1
        calls = self.stats.per_pass_calls
        calls[self.stats.current_pass] = calls.get(self.stats.current_pass, 0) + 1
        self._cache[key] = verdict.interesting
        return verdict.interesting

    # -- the loop --------------------------------------------------------------------------

    def run_pass(self, reduction_pass: Pass, text: str) -> str:
        resume = None
        self.stats.current_pass = reduction_pass.name
        while True:
            self.on_progress(Progress(reduction_pass.name, len(text), self.stats))
            winner = self._first_interesting(reduction_pass.candidates(text, resume), len(text))
            if winner is None:
                return text
            text, resume = winner.text, winner.resume
            self.stats.accepted += 1
            counts = self.stats.per_pass_accepted
            counts[reduction_pass.name] = counts.get(reduction_pass.name, 0) + 1
            self.on_improvement(text)

    def reduce(self, text: str, passes: Sequence[Pass]) -> str:
        """Run every pass in turn until a whole round changes nothing."""
        while True:
            before = text
            for reduction_pass in passes:
                text = self.run_pass(reduction_pass, text)
            if text == before:
                return text
