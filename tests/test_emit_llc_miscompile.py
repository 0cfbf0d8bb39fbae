"""The llc-miscompile test kind's parts: the IR-level miscompile oracle with llc as the step
(real llc-19/llc-22 and clang-22) on IR written for this project after
llvm/llvm-project#128528: an X86 DAG combine turns an x86_fp80 multiply by a power of two
made from an integer into an integer add to the exponent, with IEEE's mantissa width.
The whole kind, route included, runs in the lit-tests case x86-fp80-pow2-fmul
(python -m reducer.commands.cases --check)."""

from __future__ import annotations

import pytest

from reducer.emit.ir_miscompile import STEP_LLC, IrMiscompileSpec, asm_bodies_differ, judge_text
from reducer.emit.kinds import test_kind as find_kind
from reducer.emit.miscompile_route import route_kinds
from reducer.oracles.ir_undefined import undefined_behaviour_counts

MODULE = """@steps = global i32 4
@fmt = constant [4 x i8] c"%d\\0A\\00"

define i32 @main() {
  %n = load i32, ptr @steps, align 4
  %p = shl i32 1, %n
  %f = uitofp i32 %p to x86_fp80
  %m = fmul x86_fp80 %f, 0xK4001A000000000000000
  %i = fptosi x86_fp80 %m to i32
  %r = call i32 (ptr, ...) @printf(ptr @fmt, i32 %i)
  ret i32 0
}

declare i32 @printf(ptr, ...)
"""


def _spec(text: str) -> IrMiscompileSpec:
    return IrMiscompileSpec(
        "",
        "/usr/bin/llc-19",
        "/usr/bin/llc-22",
        "/usr/bin/clang-22",
        60,
        allowed_ub=undefined_behaviour_counts(text),
        step=STEP_LLC,
        llc_flags=("-mtriple=x86_64--",),
    )


def test_the_kind_is_registered() -> None:
    kind = find_kind("llc-miscompile")
    assert kind.suffix == ".ll" and not kind.fails_by_crash


def test_asm_bodies_compare_as_the_checks_do() -> None:
    def asm(body: str, end: str = "Lfunc_end0") -> str:
        return f"main:  # @main\n# %bb.0:\n{body}\tretq\n.{end}:\n\t.size\tmain, .{end}-main\n"

    spill = "\tmovq\t%rax, 16(%rsp) # 8-byte Spill\n\tfmuls\t.LCPI0_0(%rip)\n"
    # another spill offset, constant-pool label and end label: the same checks
    other = spill.replace("16(", "8(").replace("LCPI0_0", "LCPI3_1")
    assert not asm_bodies_differ(asm(spill), asm(other, "Lfunc_end7"))
    assert asm_bodies_differ(asm(spill), asm(spill.replace("fmuls", "fmull")))


def test_the_route_leaves_other_oracles_alone() -> None:
    class Spec:
        name = "crash"

    class Job:
        spec = Spec()
        fixed = None
        ir_input = False

    kinds = [find_kind("llc-crash")]
    assert route_kinds(Job(), kinds) == kinds  # type: ignore[arg-type]


@pytest.mark.compilers
def test_the_llc_oracle_keeps_the_bug() -> None:
    verdict = judge_text(_spec(MODULE), MODULE)
    assert verdict.interesting, verdict.reason
    assert "built '20', reference '80'" in verdict.reason


@pytest.mark.compilers
def test_the_llc_oracle_refuses_what_is_not_the_bug() -> None:
    # a double multiply: the llcs' code differs, but both programs print 80
    double = MODULE.replace("x86_fp80 %f, 0xK4001A000000000000000", "double %f, 5.0")
    double = double.replace("to x86_fp80", "to double").replace("fptosi x86_fp80", "fptosi double")
    assert "output behaves as the reference" in judge_text(_spec(double), double).reason
    # a void main: its exit status is whatever printf left in %eax
    void = MODULE.replace("define i32 @main()", "define void @main()").replace(
        "ret i32 0", "ret void"
    )
    assert "i32 main() without parameters" in judge_text(_spec(void), void).reason
    # a shift by more than the width (poison) that llvm-reduce might write
    poison = MODULE.replace("shl i32 1, %n", "shl i32 1, 40")
    assert not judge_text(_spec(poison), poison).interesting


@pytest.mark.compilers
def test_the_llc_oracle_refuses_a_null_string_for_percent_s() -> None:
    # The bug with a NULL pointer printed by %s beside it (llvm-reduce's shape for the
    # shipped case): glibc prints "(null)", C leaves it undefined; the libc screen stops
    # the reference run and the module is refused.
    null = (
        MODULE.replace('c"%d\\0A\\00"', 'c"%s%d\\0A\\00"')
        .replace("[4 x i8]", "[6 x i8]")
        .replace("(ptr @fmt, i32 %i)", "(ptr @fmt, ptr null, i32 %i)")
    )
    verdict = judge_text(_spec(null), null)
    assert not verdict.interesting
    assert verdict.reason.startswith("IR UB screen libc: runtime error: null pointer"), verdict
    named = null.replace("ptr null", "ptr @name").replace(
        "@steps =", '@name = constant [2 x i8] c"x\\00"\n@steps ='
    )
    assert judge_text(_spec(named), named).interesting  # a real string: the bug again
