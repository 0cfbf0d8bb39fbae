"""The opt-miscompile test kind's parts: pass names and upstream places (pure), and the IR
oracle it reduces under (real opt-19/opt-22 and clang-22) on IR written for this project
after llvm/llvm-project#124387: InstCombine keeps a funnel shift's ``range`` when it
simplifies the shift's operand by demanded bits. The whole kind runs in the lit-tests case
instcombine-fshl-range (python -m reducer.commands.cases --verify)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.emit.ir_miscompile import IrMiscompileSpec, bodies_differ, judge_text
from reducer.emit.kinds import test_kind as find_kind
from reducer.emit.opt_pass import kebab, transforms_dir
from reducer.emit.upstream import upstream_path
from reducer.oracles import oracle_kind
from reducer.oracles.ir_undefined import undefined_behaviour_counts
from tests.conftest import require_tool

ROOT = Path("/llvm-project")


def test_the_kind_is_registered_for_the_miscompile_oracle() -> None:
    assert oracle_kind("miscompile").test_kinds == ("opt-miscompile", "llc-miscompile")
    assert find_kind("opt-miscompile").suffix == ".ll"


def test_pass_names_and_upstream_directories() -> None:
    assert kebab("LoopUnrollPass") == "loop-unroll"
    assert kebab("SLPVectorizerPass") == "slpvectorizer"  # not slp-vectorizer: why the table exists
    assert transforms_dir("instcombine") == "InstCombine"
    assert transforms_dir("slp-vectorizer") == "SLPVectorizer"
    assert transforms_dir("loop-unroll") == "LoopUnroll"
    opt_test = "; XFAIL: llvm-19\n; RUN: opt < %s -passes=instcombine -S | FileCheck %s\n"
    assert upstream_path(ROOT, ".ll", "t", opt_test) == ROOT / (
        "llvm/test/Transforms/InstCombine/t.ll"
    )
    llc_test = "; RUN: llc < %s | FileCheck %s\n"
    assert upstream_path(ROOT, ".ll", "t", llc_test) == ROOT / "llvm/test/CodeGen/X86/t.ll"
    # A two-pass pipeline (an earlier pass wrote the wrong fact the named one trusts):
    # upstream keeps tests of passes working together in PhaseOrdering.
    assert transforms_dir("instcombine,correlated-propagation") == "PhaseOrdering"
    pipeline = opt_test.replace("-passes=instcombine", "-passes=instcombine,correlated-propagation")
    assert upstream_path(ROOT, ".ll", "t", pipeline) == ROOT / (
        "llvm/test/Transforms/PhaseOrdering/t.ll"
    )


def test_bodies_compare_without_metadata_numbers() -> None:
    a = "define i32 @f() {\n  %1 = load i32, ptr @g, align 4, !tbaa !5\n  ret i32 %1\n}\n"
    b = "define i32 @f() {\n  %1 = load i32, ptr @g, align 4, !tbaa !9\n  ret i32 %1\n}\n"
    assert not bodies_differ(a, b)
    assert bodies_differ(a, b.replace("ret i32 %1", "ret i32 0"))


MODULE = """target triple = "x86_64-pc-linux-gnu"

@flag = global i32 0
@fmt = constant [4 x i8] c"%d\\0A\\00"

define i32 @main() {
  %f = load i32, ptr @flag, align 4
  %low = and i32 %f, 1
  %or = or i32 %low, -2
  %r = call range(i32 -4, 2) i32 @llvm.fshl.i32(i32 %or, i32 -2, i32 1)
  %t = trunc i32 %r to i8
  %s = sext i8 %t to i32
  %p = call i32 (ptr, ...) @printf(ptr @fmt, i32 %s)
  ret i32 0
}

declare i32 @printf(ptr, ...)
declare i32 @llvm.fshl.i32(i32, i32, i32)
"""


def _spec(text: str) -> IrMiscompileSpec:
    return IrMiscompileSpec(
        "instcombine",
        "/usr/bin/opt-19",
        "/usr/bin/opt-22",
        "/usr/bin/clang-22",
        60,
        allowed_ub=undefined_behaviour_counts(text),
    )


@pytest.mark.compilers
def test_the_ir_oracle_keeps_the_bug() -> None:
    verdict = judge_text(_spec(MODULE), MODULE)
    assert verdict.interesting, verdict.reason
    assert "reference '-3'" in verdict.reason


@pytest.mark.compilers
def test_the_ir_oracle_refuses_what_is_not_the_bug() -> None:
    # main with parameters (llvm-reduce's operands-to-args would read start-up registers)
    with_args = MODULE.replace("define i32 @main() {", "define i32 @main(i32 %a) {")
    assert "i32 main() without parameters" in judge_text(_spec(with_args), with_args).reason
    # no range attribute: both opts agree
    plain = MODULE.replace("call range(i32 -4, 2) i32", "call i32")
    assert not judge_text(_spec(plain), plain).interesting
    # an undef llvm-reduce might invent
    undef = MODULE.replace("%low = and i32 %f, 1", "%low = and i32 undef, 1")
    assert "undefined behaviour" in judge_text(_spec(MODULE), undef).reason


def test_emit_ir_takes_a_path_relative_to_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `reduce emit out.c ...` names the file relative to the user's directory; clang runs
    # in the kind's private directory (it failed: "no such file or directory: 'out.c'").
    from reducer.emit.opt_pass import emit_ir

    require_tool("clang-19", "clang-19")
    (tmp_path / "out.c").write_text("int f(int x) { return x + 1; }\n")
    private = tmp_path / "private"
    private.mkdir()
    monkeypatch.chdir(tmp_path)
    text, _ = emit_ir(["clang-19", "-O2", "-c"], Path("out.c"), -1, private / "o.ll", 60.0)
    assert "define" in text and "@f(" in text
