"""``llc-asm-snapshot``: the codegen snapshot test upstream writes by hand, for an oracle
without a test kind of its own (a user's script) when a fixed toolchain is known.

The script held on the reduced C, and says nothing an llc can be asked. So the
difference is measured instead: the affected and the fixed llc compile clang's IR of the
reduced C, and the first instruction line the affected llc emits that the fixed one does
not (reducer.emit.asm_diff) becomes an ``asm:`` pattern. From there it is the llc-asm
kind: the IR is reduced with llvm-reduce while the affected llc's assembly matches the
pattern and the fixed llc's does not, and the checks are the fixed llc's function bodies
(FAIL on the affected llc, PASS on the fixed).
"""

from __future__ import annotations

from dataclasses import replace

from reducer.emit.asm_diff import separating_patterns
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.kinds.llc_asm import asm_test
from reducer.emit.llc_ir import llc_asm, starting_ir
from reducer.errors import CompilerError, UsageError
from reducer.oracles import OracleSpec

NAME = "llc-asm-snapshot"


def build(job: EmitJob) -> str:
    if job.fixed is None:
        raise UsageError(
            f"the {job.spec.name} oracle has no test kind of its own: an asm snapshot test "
            "needs a fixed toolchain (--fixed-cc CLANG or --fixed-llvm)"
        )
    probe = job.workdir / "asm-snapshot"
    probe.mkdir()
    ir, flags = starting_ir(job, probe)
    path = probe / "start.ll"
    path.write_text(ir)
    affected_llc, fixed_llc = job.affected.require("llc"), job.fixed.require("llc")
    affected = llc_asm(affected_llc, flags, path, job.timeout)
    fixed = llc_asm(fixed_llc, flags, path, job.timeout)
    candidates = separating_patterns(affected, fixed)
    if not candidates:
        raise CompilerError(
            f"llc {job.affected.major} and llc {job.fixed.major} write the same instructions "
            "for clang's IR of the reduced file: the difference the oracle sees is not in "
            "the backend, so no llc test can show it"
        )
    function, pattern = candidates[0]
    asm_spec = replace(OracleSpec.parse(f"asm:{pattern}"), timeout=job.spec.timeout)
    job.notes.append(
        f"{NAME}: the {job.spec.name} oracle has no test kind; the test follows where "
        f"llc {job.affected.major} and llc {job.fixed.major} differ first: in {function}, "
        f"/{pattern}/ ({len(candidates)} differing line(s) in all)"
    )
    oracle_words = job.spec.text

    def about(asm_job: EmitJob, seen: str) -> list[str]:
        assert job.fixed is not None
        affected, fixed = job.affected.major, job.fixed.major
        return [
            f"Reduced under the oracle {oracle_words}. llc {affected} and llc {fixed} "
            "disagree on this IR's assembly:",
            f"llc {affected} writes what llc {fixed} does not ({seen}).",
            f"The checks are llc {fixed}'s assembly.",
        ]

    return asm_test(replace(job, spec=asm_spec), about)


register_test_kind(
    TestKind(
        NAME,
        ".ll",
        "llc codegen snapshot for an oracle without a kind (a script), from the first "
        "instruction where the affected and fixed llc differ",
        build,
    )
)
