"""The engine's scheduling on a virtual clock (bench/virtual_clock.py): deterministic.

Calls cost 0.2 virtual seconds +-25% (a hash of the text), so these numbers are exact on
every machine: they check how the engine uses its workers, not how fast this machine is.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Hashable, Iterator
from pathlib import Path
from types import ModuleType

from reducer.engine import Engine
from reducer.passes.balanced import BalancedPass
from reducer.passes.base import Candidate
from reducer.passes.lines import LinesPass
from reducer.passes.schedules import RESTART
from reducer.passes.tokens import TokensPass

REPO = Path(__file__).resolve().parent.parent


def _virtual_clock() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "virtual_clock", REPO / "bench" / "virtual_clock.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# 64 declarations, every 7th needed: the lines pass folds several chunks per batch (so
# batches end in merges), balanced drops parentheses, tokens runs in the last round.
TEXT = "".join(f"int k{i} = ({i});\n" if i % 7 == 0 else f"int v{i} = {i};\n" for i in range(64))


def _needed(text: str) -> bool:
    return all(f"k{i}" in text for i in range(0, 64, 7))


def _reduce(jobs: int, salt: str) -> tuple[str, float, Engine]:
    clock = _virtual_clock()
    executor = clock.VirtualClockExecutor(_needed, jobs, salt=salt)
    with clock.virtual_waits():
        engine = Engine(executor, fold_width=16)
        assert engine.test(TEXT).interesting
        result = engine.reduce(TEXT, [LinesPass(), BalancedPass()], [TokensPass()])
    return result, executor.clock, engine


def test_eight_workers_reduce_at_least_five_point_six_times_faster_and_waste_little() -> None:
    for salt in ("0", "1", "2"):
        one, one_wall, one_engine = _reduce(1, salt)
        many, many_wall, many_engine = _reduce(8, salt)
        assert many == one
        assert many_engine.stats.used_calls == one_engine.stats.used_calls
        # Issue 12's target: >= 70% efficiency at 8 workers.
        assert one_wall / many_wall >= 5.6, (salt, one_wall, many_wall)
        # Once a batch is read, the bets on its other outcomes are cancelled, so almost
        # every call that finishes is one the procedure reads (without it 17-18% were not).
        wasted = many_engine.stats.oracle_calls - many_engine.stats.used_calls
        assert wasted <= 0.1 * many_engine.stats.oracle_calls, (salt, wasted)


class _Narrow:
    """Bisection as the focus pass narrows: keep the first half (fails here), then the
    second half (kept): its decisions alternate, fail then accept."""

    name = "narrow"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        words = text.split()
        half = len(words) // 2
        if half:
            yield Candidate(" ".join(words[:half]), RESTART)
            yield Candidate(" ".join(words[half:]), RESTART)


def _reduce_narrowing(jobs: int, salt: str) -> tuple[str, float, Engine]:
    clock = _virtual_clock()
    text = " ".join(f"w{i}" for i in range(4096))
    executor = clock.VirtualClockExecutor(lambda candidate: "w4095" in candidate, jobs, salt=salt)
    with clock.virtual_waits():
        engine = Engine(executor, fold_width=16)
        assert engine.test(text).interesting
        result = engine.reduce(text, [_Narrow()])
    return result, executor.clock, engine


def test_a_chain_of_alternating_decisions_is_followed_down_its_likely_path() -> None:
    # 12 halvings, 24 decisions one after the other. The odds of a candidate after a
    # failure and after an acceptance are told apart, so free workers follow the
    # alternation several decisions deep (with one rate for the pass: 2.7x at 8 workers).
    for salt in ("0", "1", "2"):
        one, one_wall, one_engine = _reduce_narrowing(1, salt)
        many, many_wall, many_engine = _reduce_narrowing(8, salt)
        assert one == many == "w4095"
        assert many_engine.stats.used_calls == one_engine.stats.used_calls == 25
        assert one_wall / many_wall >= 4.0, (salt, one_wall, many_wall)
