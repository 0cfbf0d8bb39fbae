"""Cancelling oracle calls: a left-behind compile stops and frees its worker (issue 12).

The oracle here runs a real program (`sleep`), as a compiler would, so the kill goes
through the same path as a compile: the executor's cancel event, run_program's poll, the
process group.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path

from reducer.engine import Engine
from reducer.executors.local import LocalPoolExecutor
from reducer.oracles.base import Verdict
from reducer.passes.base import Candidate
from reducer.process import run_program


class SleepThenPredicate:
    """Sleeps `slow` seconds in a subprocess for texts `is_slow` picks (else `fast`),
    then: interesting while the text still has the word "x"."""

    name = "sleep-then-predicate"

    def __init__(self, slow: float, fast: float, is_slow: Callable[[list[str]], bool]) -> None:
        self.slow = slow
        self.fast = fast
        self.is_slow = is_slow

    def check(self, candidate: Path) -> Verdict:
        words = candidate.read_text(encoding="utf-8").split()
        delay = self.slow if self.is_slow(words) else self.fast
        run_program(["sleep", f"{delay:g}"], timeout=120)
        return Verdict("x" in words, "sleep")


def says_slow(words: list[str]) -> bool:
    return "slow" in words


def test_cancelling_a_running_call_frees_its_worker() -> None:
    executor = LocalPoolExecutor(SleepThenPredicate(60, 0, says_slow), "t.c", 1)
    try:
        stuck = executor.submit("slow x")
        time.sleep(0.5)  # it is running now: its sleep has started
        started = time.monotonic()
        assert stuck.cancel()
        # The only worker is free again long before the 60 s sleep would have ended.
        assert executor.submit("x").result(timeout=20).interesting
        assert time.monotonic() - started < 20
        assert stuck.cancelled()
    finally:
        executor.close()


def test_closing_stops_running_calls() -> None:
    executor = LocalPoolExecutor(SleepThenPredicate(60, 0, says_slow), "t.c", 2)
    calls = [executor.submit("slow x") for _ in range(3)]
    time.sleep(0.5)
    started = time.monotonic()
    executor.close()
    assert time.monotonic() - started < 20
    assert all(call.cancelled() for call in calls)


class DropWords:
    """Remove one word at a time, first word first; not foldable (tested one by one)."""

    name = "drop-words"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        words = text.split()
        for index in range(len(words)):
            yield Candidate(" ".join(words[:index] + words[index + 1 :]), None)


def reduce_text(jobs: int) -> tuple[str, Engine, float, list[int]]:
    # Every candidate that keeps "x" is interesting, so the engine accepts the first
    # candidate of each stream and speculation on the later ones is left behind. Those
    # are the only texts that keep "a1" and lose another word: they sleep 30 s, the
    # texts the procedure reads 0.2 s.
    def left_behind(words: list[str]) -> bool:
        return "a1" in words and len(words) < 4

    executor = LocalPoolExecutor(SleepThenPredicate(30, 0.2, left_behind), "t.c", jobs)
    try:
        engine = Engine(executor)
        # How many calls had been cancelled at each acceptance (before the end, where
        # everything still running is cancelled anyway).
        seen: list[int] = []
        engine.on_improvement = lambda text: seen.append(engine.stats.cancelled)
        text = "a1 a2 a3 x"
        started = time.monotonic()
        assert engine.test(text).interesting
        result = engine.reduce(text, [DropWords()])
        return result, engine, time.monotonic() - started, seen
    finally:
        executor.close()


def test_the_engine_cancels_speculation_on_texts_it_left_behind() -> None:
    one, serial, _, _ = reduce_text(1)
    many, parallel, wall, seen = reduce_text(4)
    assert one == many == "x"
    assert serial.stats.cancelled == 0
    # Cancelled as soon as the text moved on, not only when the reduction ended.
    assert max(seen) > 0
    # Had the engine waited for the speculative calls on "a1 ..." texts, or let them
    # hold the workers, the run would take 30 s or more.
    assert wall < 20
    assert parallel.stats.used_calls == serial.stats.used_calls
