"""Which test a miscompile gets: an opt test (a middle-end pass writes the wrong IR) or an
llc test (the back end writes the wrong code), measured on the reduced file.

The C-level bisection (reducer.oracles.miscompile_bisect) cannot tell them apart: clang
counts the IR and the codegen passes in one sequence, and a limit that skips a middle-end
pass skips every codegen pass after it too, so the first pass after which the program
differs is often the middle-end pass that merely exposes a back-end bug (measured on
cases/x86-fp80-pow2-fmul: SROAPass, pass #7, while the wrong code comes from an X86 DAG
combine on x86_fp80 that runs even where opt-bisect skips instruction selection). So the
route asks the question each test answers: clang's optimised IR (what enters codegen),
compiled by the affected llc and by the fixed one, assembled, linked and run, against the
unoptimised IR's run (reducer.emit.ir_miscompile with llc as the step). If the affected
llc's program is wrong and the fixed llc's right, the back end is guilty ->
``llc-miscompile``; otherwise the IR is already wrong -> ``opt-miscompile``. One note line
says which and why.
"""

from __future__ import annotations

from collections.abc import Sequence

from reducer.emit.ir_miscompile import judge_text
from reducer.emit.job import EmitJob, TestKind
from reducer.emit.kinds.llc_miscompile import codegen_ir
from reducer.oracles.miscompile import NAME as MISCOMPILE

OPT, LLC = "opt-miscompile", "llc-miscompile"
ROUTED = frozenset({OPT, LLC})


def choose(job: EmitJob) -> tuple[str, str]:
    """(the kind, why) for the miscompile ``job`` is about."""
    start, spec = codegen_ir(job, "miscompile-route")
    verdict = judge_text(spec, start)
    flags = " ".join(spec.llc_flags)
    if verdict.interesting:
        return LLC, (
            f"the back end: clang's optimised IR built by llc {job.affected.major} ({flags}) "
            f"runs wrongly, by llc {job.fixed.major if job.fixed else '?'} as the "
            f"unoptimised IR does ({verdict.reason})"
        )
    return OPT, f"a middle-end pass: the llc check on clang's optimised IR says: {verdict.reason}"


def route_kinds(job: EmitJob, kinds: Sequence[TestKind]) -> list[TestKind]:
    """``kinds`` with the miscompile kinds narrowed to the one the route picks (a note
    says which and why); other oracles' kinds pass through. Without a fixed toolchain
    neither test can be built, and the kinds say so themselves."""
    if job.spec.name != MISCOMPILE or job.fixed is None or job.ir_input:
        return list(kinds)
    if not any(kind.name in ROUTED for kind in kinds):
        return list(kinds)
    kind, why = choose(job)
    job.notes.append(f"miscompile route: {kind}: {why}")
    return [k for k in kinds if k.name not in ROUTED or k.name == kind]
