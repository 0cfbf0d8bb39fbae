"""Reducing LLVM IR with llvm-reduce, its candidates judged by an oracle in this process.

llvm-reduce knows IR (its delta passes remove functions, blocks, instructions, operands,
attributes, metadata, ...) and asks an interestingness test about every candidate. The
test it runs is the resident oracle's client (reducer.engine.interestingness_server), so
the judging is ours: the user's oracle value, differential with a fixed tool, the same
``check_text`` call as for C. llvm-reduce runs with ``-j 1``: with a deterministic oracle
the same input always gives the same output.

Its candidates and temporary files go to a private directory (its ``TMPDIR``), never to
/tmp. The smallest interesting candidate seen is handed to ``on_improvement`` as soon as
it is seen, so an interrupted run still leaves its best result behind.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reducer.engine.interestingness_server import ResidentOracle
from reducer.process import run_for_output
from reducer.scratch import read_candidate
from reducer.verdict import Verdict

TextJudge = Callable[[str], Verdict]

# Operands become function arguments, not constants: a test on `canonicalize(float 0.0)`
# or `lrint(float 0.0)` can be constant-folded away by tomorrow's compiler before the code
# it is about runs; one on `canonicalize(float %x)` keeps testing it. llvm-reduce's
# operands-zero/-one/-nan run before operands-to-args and would win, so they are skipped.
PREFER_ARGUMENTS = ("--skip-delta-passes=operands-zero,operands-one,operands-nan",)


@dataclass(frozen=True)
class LlvmReduceRun:
    text: str  # llvm-reduce's result
    calls: int  # candidates judged (the oracle was run for each)
    cache_hits: int  # candidates llvm-reduce asked about again
    interesting: int  # of the calls, those that kept the behaviour
    seconds: float


class _CountingJudge:
    """Judge candidate files by their text: cached by digest, counted, and the smallest
    interesting one reported."""

    def __init__(self, judge: TextJudge, best: str, on_improvement: Callable[[str], None] | None):
        self.judge = judge
        self.best_size = len(best.encode())
        self.on_improvement = on_improvement
        self.verdicts: dict[bytes, Verdict] = {}
        self.calls = self.cache_hits = self.interesting = 0
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> Verdict:
        text = read_candidate(path)
        key = hashlib.sha256(text.encode("utf-8", "surrogateescape")).digest()
        with self._lock:
            known = self.verdicts.get(key)
            if known is not None:
                self.cache_hits += 1
                return known
        verdict = self.judge(text)
        with self._lock:
            self.verdicts[key] = verdict
            self.calls += 1
            if verdict.interesting:
                self.interesting += 1
                size = len(text.encode("utf-8", "surrogateescape"))
                if size < self.best_size:
                    self.best_size = size
                    if self.on_improvement is not None:
                        self.on_improvement(text)
        return verdict


def run_llvm_reduce(
    text: str,
    judge: TextJudge,
    llvm_reduce: str,
    workdir: Path,
    timeout: float,
    on_improvement: Callable[[str], None] | None = None,
    extra_args: tuple[str, ...] = PREFER_ARGUMENTS,
) -> LlvmReduceRun:
    """llvm-reduce's result for ``text`` (which the caller has found interesting), every
    candidate judged by ``judge`` in this process. ``workdir`` must be private."""
    started = time.monotonic()
    source = workdir / "input.ll"
    source.write_text(text, encoding="utf-8", errors="surrogateescape")
    output = workdir / "reduced.ll"
    scratch = workdir / "tmp"
    scratch.mkdir(exist_ok=True)
    counting = _CountingJudge(judge, text, on_improvement)
    env = {**os.environ, "TMPDIR": str(scratch)}
    with ResidentOracle(counting) as oracle:
        test = oracle.write_test(workdir)
        argv = [llvm_reduce, "-j", "1", *extra_args, f"--test={test}", "-o", str(output)]
        result = run_for_output(
            [*argv, str(source)], output, "llvm-reduce", timeout=timeout, cwd=workdir, env=env
        )
    return LlvmReduceRun(
        result,
        counting.calls,
        counting.cache_hits,
        counting.interesting,
        time.monotonic() - started,
    )
