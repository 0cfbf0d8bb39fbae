"""Where a middle-end miscompile enters the IR: the module clang has just before the pass
that makes it wrong, and that pass's ``opt -passes=`` name.

The C-level bisection (reducer.oracles.miscompile_bisect) names the first pass after which
the *program* behaves differently; that pass may only exploit a wrong fact an earlier pass
wrote into the IR (measured on cases/instcombine-fshl-range: the program changes at pass
#432, an InstCombine that folds to poison through the ``range`` an InstCombine at #393 kept
wrongly; the IR after #393 still runs correctly at -O0). So the bisection here is over IR:
clang's IR after the first k passes (``-mllvm -opt-bisect-limit=k -emit-llvm``), built by
the trusted (fixed) clang at -O2 and run, against the unoptimised IR's -O0 run; the first
k where it differs is the pass that wrote the wrong IR, and the IR after k-1 passes is the
test's starting point. About log2(passes) + 3 builds and runs.

That pass may itself be innocent: it can trust a fact an earlier pass wrote wrongly, and
its affected and fixed versions then write the same body (cases/instcombine-fshl-range
once the inline pass had shaped it: CorrelatedValuePropagation adds `nsw` from the stale
`range` an InstCombine left on a funnel shift, as opt 22's does). So the earlier passes on
the same function (``IrStart.earlier``, nearest first) are candidates for a two-pass
pipeline ``-passes=<earlier>,<pass>`` from the IR before the earlier one
(``earlier_start``): the opt-miscompile kind tries a few when the one pass is not
interesting at IR level. Such a test belongs in llvm/test/Transforms/PhaseOrdering.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import NO_CRASH_FILES, private_env
from reducer.emit.ir_miscompile import IrMiscompileSpec, build_and_run
from reducer.errors import CompilerError
from reducer.oracles.miscompile import link_words, same_behaviour
from reducer.oracles.miscompile_bisect import first_differing, parse_bisect_log
from reducer.process import run_program

# The new pass manager's class names and their -passes= names (and upstream test
# directories), for the passes a miscompile is usually blamed on; others are derived from
# the class name and checked with opt -debug-pass-manager.
PASS_NAMES = {
    "InstCombinePass": ("instcombine", "InstCombine"),
    "AggressiveInstCombinePass": ("aggressive-instcombine", "AggressiveInstCombine"),
    "InstSimplifyPass": ("instsimplify", "InstSimplify"),
    "SLPVectorizerPass": ("slp-vectorizer", "SLPVectorizer"),
    "LoopVectorizePass": ("loop-vectorize", "LoopVectorize"),
    "VectorCombinePass": ("vector-combine", "VectorCombine"),
    "GVNPass": ("gvn", "GVN"),
    "SROAPass": ("sroa", "SROA"),
    "EarlyCSEPass": ("early-cse", "EarlyCSE"),
    "SCCPPass": ("sccp", "SCCP"),
    "IPSCCPPass": ("ipsccp", "SCCP"),
    "BDCEPass": ("bdce", "BDCE"),
    "ADCEPass": ("adce", "ADCE"),
    "DSEPass": ("dse", "DeadStoreElimination"),
    "JumpThreadingPass": ("jump-threading", "JumpThreading"),
    "CorrelatedValuePropagationPass": ("correlated-propagation", "CorrelatedValuePropagation"),
    "SimplifyCFGPass": ("simplifycfg", "SimplifyCFG"),
    "ReassociatePass": ("reassociate", "Reassociate"),
    "ConstraintEliminationPass": ("constraint-elimination", "ConstraintElimination"),
    "MemCpyOptPass": ("memcpyopt", "MemCpyOpt"),
    "InferAlignmentPass": ("infer-alignment", "InferAlignment"),
}


def kebab(class_name: str) -> str:
    base = class_name.removesuffix("Pass")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", base).lower()


def transforms_dir(pass_name: str) -> str:
    """The llvm/test/Transforms directory of an ``opt -passes=`` name (a pipeline of
    several: PhaseOrdering, where upstream keeps tests of passes working together)."""
    if "," in pass_name:
        return "PhaseOrdering"
    for name, directory in PASS_NAMES.values():
        if name == pass_name:
            return directory
    return "".join(part.capitalize() for part in pass_name.split("-"))


@dataclass(frozen=True)
class IrStart:
    text: str  # clang's IR just before the pass
    number: int  # the pass's opt-bisect number
    class_name: str  # as clang's BISECT lines print it
    function: str
    total: int
    builds: int
    # Middle-end passes run on the same function before this one, the nearest run of each
    # class, nearest first: (number, class name), for a two-pass pipeline when this pass
    # alone is innocent.
    earlier: tuple[tuple[int, str], ...] = ()

    def describe(self) -> str:
        return (
            f"{self.class_name} on {self.function}, pass #{self.number} of {self.total}, "
            f"writes the IR that runs wrongly ({self.builds} builds)"
        )


def emit_ir(
    argv: Sequence[str], source: Path, limit: int, out: Path, timeout: float
) -> tuple[str, str]:
    """clang's IR after ``limit`` optional passes (-1: all), and the BISECT log."""
    words = [
        *link_words(tuple(argv)),
        *NO_CRASH_FILES,
        "-S",
        "-emit-llvm",
        "-mllvm",
        f"-opt-bisect-limit={limit}",
        "-o",
        str(out),
        str(source.absolute()),  # the command runs in the private directory
    ]
    result = run_program(words, timeout=timeout, cwd=out.parent, env=private_env(out.parent))
    if result.returncode != 0 or not out.is_file():
        raise CompilerError(f"clang -emit-llvm failed: {result.stderr_tail(3)}")
    return out.read_text(encoding="utf-8", errors="surrogateescape"), result.stderr.decode(
        "utf-8", "replace"
    )


def find_ir_start(
    argv: Sequence[str], source: Path, spec: IrMiscompileSpec, workdir: Path
) -> IrStart:
    """Bisect the passes by the IR they leave behind (see the module's doc)."""
    builds = 0
    texts: dict[int, str] = {}

    def ir(limit: int) -> tuple[str, str]:
        out = workdir / f"limit{limit}.ll"
        text, log = emit_ir(argv, source, limit, out, spec.timeout)
        texts[limit] = text
        return text, log

    _, log = ir(-1)
    passes = parse_bisect_log(log)
    total = max(passes, default=0)
    if total == 0:
        raise CompilerError("clang printed no BISECT lines: cannot find the guilty IR pass")
    ir(0)
    reference = build_and_run(spec, workdir / "limit0.ll", "-O0")
    if reference is None or reference.returncode is None:
        raise CompilerError("the unoptimised IR does not build or run with the fixed clang")

    def wrong(limit: int) -> bool:
        nonlocal builds
        builds += 1
        if limit not in texts:
            ir(limit)
        run = build_and_run(spec, workdir / f"limit{limit}.ll", "-O2")
        return run is None or not same_behaviour(run, reference, spec.compare_stderr)

    if wrong(0):
        raise CompilerError(
            "the unoptimised IR already runs wrongly when the fixed clang builds it"
        )
    if not wrong(total):
        raise CompilerError(
            "clang's optimised IR runs correctly when the fixed clang builds it: the bug is "
            "in the back end, not in a middle-end pass (no opt test)"
        )
    number = first_differing(0, total, wrong)
    found = passes.get(number)
    if found is None or found.stage != "middle-end":
        raise CompilerError(f"pass #{number} is not a middle-end pass")
    # The nearest run of each pass class (a class's later runs see what its earlier ones
    # saw, nearly), so a few tries cover many classes.
    nearest: dict[str, int] = {}
    for run in sorted(passes.values(), key=lambda run: -run.number):
        if run.number < number and run.target == found.target and run.stage == "middle-end":
            nearest.setdefault(run.name, run.number)
    earlier = tuple((run_number, name) for name, run_number in nearest.items())
    return IrStart(texts[number - 1], number, found.name, found.target, total, builds, earlier)


def earlier_start(
    argv: Sequence[str], source: Path, number: int, workdir: Path, timeout: float
) -> str:
    """clang's IR just before pass ``number``. (Even where the affected pass leaves that
    IR unchanged the fixed one may not: on the fshl case the nearest InstCombine changes
    nothing in clang 19 and drops the stale `range` in 22.)"""
    text, _ = emit_ir(argv, source, number - 1, workdir / f"limit{number - 1}.ll", timeout)
    return text


def pass_name(class_name: str, opt: str, module: Path, timeout: float) -> str:
    """The ``-passes=`` name of a pass class, checked: opt must run that class with it."""
    known = PASS_NAMES.get(class_name)
    for name in dict.fromkeys([known[0] if known else "", kebab(class_name)]):
        if not name:
            continue
        result = run_program(
            [opt, f"-passes={name}", "-debug-pass-manager", "-disable-output", str(module)],
            timeout=timeout,
        )
        if result.returncode == 0 and f"Running pass: {class_name}" in result.stdout.decode(
            "utf-8", "replace"
        ) + result.stderr.decode("utf-8", "replace"):
            return name
    raise CompilerError(f"no opt -passes= name found for {class_name}")
