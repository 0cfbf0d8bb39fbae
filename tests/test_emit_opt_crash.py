"""The opt-crash test kind on a real crash: opt 19's loop-versioning on a loop whose exit
block is not in LCSSA form (an LCSSA phi of a loop value plus a direct use of it) leaves
the direct use pointing into the original loop, and the verifier stops opt with "Broken
module found" (llvm/llvm-project#36998, fixed in LLVM 20); opt 22 runs it. The IR is
lit-tests/loop-versioning-non-lcssa/reduced.ll (our own, reduced by the product)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.emit import upstream
from reducer.emit.kinds.opt_crash import opt_arguments, single_passes, split_pipeline
from reducer.emit.pipeline import emit_tests
from reducer.errors import CompilerError, UsageError
from reducer.oracles import OracleSpec
from tests.conftest import require_tool, run_reduce

REPO = Path(__file__).resolve().parents[1]
REDUCED = REPO / "lit-tests" / "loop-versioning-non-lcssa" / "reduced.ll"
ANNOTATE = "-loop-version-annotate-no-alias=false"


def test_the_pipeline_splits_into_single_passes() -> None:
    assert split_pipeline("a,function(b,c<x;y>),d<p,q>") == ["a", "function(b,c<x;y>)", "d<p,q>"]
    assert single_passes("loop-simplify,function<eager-inv>(sroa,loop-mssa(licm)),sroa") == [
        "loop-simplify",
        "sroa",
        "licm",
    ]
    pipeline, units = opt_arguments(["-passes=a,b", "-S", "-mtriple", "x86_64", "-k=1"])
    assert pipeline == "a,b" and units == [("-mtriple", "x86_64"), ("-k=1",)]
    with pytest.raises(UsageError, match="-passes="):
        opt_arguments(["-O2", "-S"])


def _emit(tmp_path: Path, flags: list[str], fixed: bool = True, oracle: str = "crash"):
    require_tool("opt-19", "llvm-19")
    if fixed:
        require_tool("opt-22", "llvm-22")
    source = tmp_path / "bug.ll"
    source.write_text(REDUCED.read_text())
    compile = CompileCommand.from_user(["opt-19", *flags], 30.0, tmp_path)
    return emit_tests(
        source,
        OracleSpec.parse(oracle),
        compile,
        tmp_path / "out",
        fixed_compile=compile.with_program("opt-22") if fixed else None,
    )


@pytest.mark.compilers
def test_a_crash_in_one_pass_gets_a_transforms_test_verified_on_19_and_22(
    tmp_path: Path,
) -> None:
    # loop-simplify does not crash alone, loop-versioning does; -aa-pipeline=basic-aa
    # changes nothing for the crash or the checks; the annotate option keeps metadata out
    # of the fixed opt's output, which the checks could not hold without it.
    flags = ["-passes=loop-simplify,loop-versioning", "-aa-pipeline=basic-aa", ANNOTATE, "-S"]
    report = _emit(tmp_path, flags)
    text = report.path(".ll").read_text()
    lines = text.splitlines()
    assert lines[0].endswith("utils/update_test_checks.py UTC_ARGS: --version 6")
    assert lines[1] == f"; RUN: opt < %s -passes=loop-versioning {ANNOTATE} -S | FileCheck %s"
    assert "; CHECK-LABEL: define i64 @scale_copy(" in lines
    # the fixed opt's fix: the exit's direct use reads an LCSSA phi of both loop copies
    assert any(line.startswith("; CHECK-NEXT:    store i32 [[SCALED2_LCSSA]]") for line in lines)
    assert report.ok, report.table()
    outcomes = {(row.role, row.outcome.code) for row in report.rows if row.outcome}
    assert outcomes == {("affected", "FAIL"), ("fixed", "PASS")}
    assert all(row.outcome.crashed for row in report.rows if row.role == "affected")
    assert len(report.rows) == 4  # each toolchain with FileCheck-N and the PyPI filecheck
    notes = "\n".join(report.notes)
    assert "crash route: opt-crash" in notes and "-passes=loop-versioning crashes alone" in notes
    root = tmp_path / "llvm-project"
    target = upstream.upstream_path(root, ".ll", "lver-lcssa", text)
    assert target == root / "llvm/test/Transforms/LoopVersioning/lver-lcssa.ll"


@pytest.mark.compilers
def test_without_a_fixed_opt_the_crash_is_locked_in(tmp_path: Path) -> None:
    report = _emit(tmp_path, ["-passes=loop-versioning", ANNOTATE, "-S"], fixed=False)
    text = report.path(".ll").read_text()
    # the option neither the crash nor (without a fixed opt) any check needs is gone
    assert "; RUN: not --crash opt < %s -passes=loop-versioning -disable-output 2>&1" in text
    assert "; CHECK: LLVM ERROR: Broken module found, compilation aborted!" in text
    assert report.ok and {r.outcome.code for r in report.rows if r.outcome} == {"PASS"}


@pytest.mark.compilers
def test_checks_the_script_rules_do_not_cover_are_refused_not_guessed(tmp_path: Path) -> None:
    # Without the option opt 22 writes !alias.scope metadata, which utc_opt does not
    # write checks for (update_test_checks.py checks the nodes at the end of the file).
    with pytest.raises(CompilerError, match=r"alias\.scope"):
        _emit(tmp_path, ["-passes=loop-versioning", "-S"])
    assert not (tmp_path / "out" / "bug.ll").exists()


def test_opt_ir_has_a_test_kind_for_the_crash_oracle_only(tmp_path: Path) -> None:
    require_tool("opt-19", "llvm-19")
    with pytest.raises(UsageError, match="crash oracle only"):
        _emit(tmp_path, ["-passes=loop-versioning", "-S"], fixed=False, oracle="asm:scevgep")


def test_reduce_refuses_another_oracle_for_opt_before_reducing(tmp_path: Path) -> None:
    require_tool("opt-19", "llvm-19")
    (tmp_path / "bug.ll").write_text(REDUCED.read_text())
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    argv = ["--oracle", "asm:scevgep", "--emit", "out", "bug.ll", "--", "opt-19"]
    result = run_reduce([*argv, "-passes=loop-versioning", "-S"], tmp_path, scratch, 60)
    assert result.returncode == 2, result.stderr
    assert "crash oracle only" in result.stderr and "original is" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bug.ll", "tmp"]
    assert not any(scratch.iterdir())
