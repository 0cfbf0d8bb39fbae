"""The guilty pass of a miscompile: bisect ``-mllvm -opt-bisect-limit=N`` on the bad build.

clang runs only the first N optional passes with ``-opt-bisect-limit=N`` and, with any
limit, prints one line per pass to stderr: ``BISECT: running pass (7) InstCombinePass on
score`` or ``BISECT: NOT running pass (8) ...``. In LLVM 19 and 22 one counter covers the
IR passes (new pass manager: ``NAME on FUNCTION``) and the codegen passes (legacy pass
manager: ``X86 DAG->DAG Instruction Selection on function (main)``), so one bisection
names the first pass after which the program behaves differently, middle end or back
end (measured: clang-19 -O2 on a 25-line program counts 613 passes, the last 300 or so
codegen). Passes opt-bisect cannot skip (required ones, instruction selection's lowering
itself) are not counted: a difference that survives ``-opt-bisect-limit=0`` is blamed on
them, and said so.

The search is pure (``first_differing``) and tested on a fake; ``find_guilty_pass`` runs
it on an oracle that can build and run the candidate with extra flags (the miscompile
oracle: about log2(passes) + 3 builds and runs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

_BISECT_LINE = re.compile(r"^BISECT: (?:NOT )?running pass \((\d+)\) (.*?) on (.*)$", re.MULTILINE)
# Legacy (codegen) passes print their target as "function (NAME)"; new-PM IR passes as
# "NAME" or "[module]".
_CODEGEN_TARGET = re.compile(r"^function \((.*)\)$")

STAGE_MIDDLE_END, STAGE_BACKEND, STAGE_UNSKIPPABLE = "middle-end", "backend", "unskippable"


@dataclass(frozen=True)
class PassRun:
    number: int
    name: str
    target: str  # the function (or "[module]", "[cgscc]") it ran on
    stage: str  # middle-end (an IR pass) or backend (a codegen pass)


def parse_bisect_log(stderr: str) -> dict[int, PassRun]:
    """The passes a ``-opt-bisect-limit`` compile counted, by number (pure)."""
    runs: dict[int, PassRun] = {}
    for match in _BISECT_LINE.finditer(stderr):
        number, name, target = int(match.group(1)), match.group(2), match.group(3).strip()
        codegen = _CODEGEN_TARGET.match(target)
        stage = STAGE_BACKEND if codegen else STAGE_MIDDLE_END
        runs[number] = PassRun(number, name, codegen.group(1) if codegen else target, stage)
    return runs


def first_differing(low: int, high: int, differs: Callable[[int], bool]) -> int:
    """The smallest limit in (low, high] at which ``differs`` holds, given that it does not
    hold at ``low`` and holds at ``high`` (binary search; pure)."""
    while high - low > 1:
        middle = (low + high) // 2
        if differs(middle):
            high = middle
        else:
            low = middle
    return high


@dataclass(frozen=True)
class GuiltyPass:
    number: int  # the pass's opt-bisect number; 0 when no optional pass is to blame
    name: str
    target: str
    stage: str
    total: int  # optional passes the full build runs
    builds: int  # builds and runs the bisection cost
    note: str = ""

    def describe(self) -> str:
        if self.stage == STAGE_UNSKIPPABLE:
            return (
                f"guilty pass: none of the {self.total} optional passes: the difference "
                f"shows with -opt-bisect-limit=0 ({self.note}; {self.builds} builds)"
            )
        # clang counts IR and codegen passes in one sequence: the first pass after which
        # the program differs may only write IR that a back-end bug then miscompiles
        # (cases/x86-fp80-pow2-fmul: SROAPass, for an X86 DAG combine). Only a fixed
        # toolchain tells (reducer.emit.miscompile_route), so the line says so.
        where = (
            "the back end (codegen)"
            if self.stage == STAGE_BACKEND
            else "the middle end, or it writes IR a back-end bug miscompiles (--emit with "
            "a fixed toolchain tells which)"
        )
        return (
            f"guilty pass: {self.name} on {self.target}, pass #{self.number} of "
            f"{self.total}, in {where} (-mllvm -opt-bisect-limit={self.number - 1} "
            f"hides the difference; {self.builds} builds)"
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class Bisectable(Protocol):
    """What the bisection needs of an oracle: the reference behaviour, and whether the bad
    build with a pass limit behaves differently (None: it could not be built or run),
    with the compile's stderr."""

    def reference_behaviour(self, candidate: Path) -> object | None: ...

    def differs_at(
        self, candidate: Path, limit: int, reference: object
    ) -> tuple[bool | None, str]: ...


class BisectError(Exception):
    pass


def find_guilty_pass(oracle: Bisectable, candidate: Path) -> GuiltyPass:
    reference = oracle.reference_behaviour(candidate)
    if reference is None:
        raise BisectError("the reference build does not run")
    builds = 0

    def differs(limit: int) -> tuple[bool, str]:
        nonlocal builds
        builds += 1
        verdict, log = oracle.differs_at(candidate, limit, reference)
        if verdict is None:
            raise BisectError(f"the build with -opt-bisect-limit={limit} failed")
        return verdict, log

    full, log = differs(-1)  # -1: every pass runs, and each is printed
    passes = parse_bisect_log(log)
    total = max(passes, default=0)
    if not full:
        raise BisectError("the difference does not show again with -opt-bisect-limit=-1")
    if total == 0:
        raise BisectError("the compiler prints no BISECT lines (not clang?)")
    if differs(0)[0]:
        note = "clang's frontend or a pass opt-bisect cannot skip"
        return GuiltyPass(0, "", "", STAGE_UNSKIPPABLE, total, builds, note)
    number = first_differing(0, total, lambda limit: differs(limit)[0])
    found = passes.get(number, PassRun(number, "?", "?", STAGE_MIDDLE_END))
    return GuiltyPass(number, found.name, found.target, found.stage, total, builds)
