"""The `asm:REGEX` oracle: at -O0 with -mcmodel=large clang 19 stores a global's address
with a sign-extended 32-bit immediate (`movq $a, ...`: R_X86_64_32S); clang 22 uses
movabsq."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from reducer.compiler import STYLE_CC1, STYLE_LLC, CompileCommand
from reducer.errors import UsageError
from reducer.oracles import OracleSpec
from reducer.oracles.asm import search_assembly
from tests.conftest import LARGE_O0, REPRODUCER, require_tool
from tests.oraclecheck import check, oracle_for

IMM32 = r"asm:^\s+movq\s+\$a, -?\d+\(%r[bs]p\)"
IR = """\
target triple = "x86_64-unknown-linux-gnu"
declare i64 @strlen(ptr)
define i64 @f(ptr %p) {
  %r = call i64 @strlen(ptr %p)
  ret i64 %r
}
"""


def test_search_is_multiline_and_says_where() -> None:
    text = "f:\n\tpushq %rbp\n\tcallq g\n\tpopq %rbp\n\tretq\n"
    verdict = search_assembly(re.compile(r"^\tcallq g\n\tpopq", re.MULTILINE), text)
    assert verdict.interesting and verdict.reason == "assembly line 3: callq g | popq %rbp"
    verdict = search_assembly(re.compile(r"^\tjmp", re.MULTILINE), text)
    assert not verdict.interesting and "in 5 lines of assembly" in verdict.reason


def test_bad_regex_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="bad regular expression"):
        oracle_for("asm:movq (", ["true"], style=STYLE_LLC)


@pytest.mark.compilers
def test_clang19_imm32_and_clang22_movabs(tmp_path: Path, clang19: str, clang22: str) -> None:
    verdict = check(tmp_path, REPRODUCER, IMM32, [clang19, *LARGE_O0])
    assert verdict.interesting and "movq\t$a, -8(%rbp)" in verdict.reason
    fixed = check(tmp_path, REPRODUCER, IMM32, [clang22, *LARGE_O0])
    assert not fixed.interesting and not fixed.compile_failed
    assert check(
        tmp_path, REPRODUCER, r"asm:movabsq\s+\$a, %rax\n", [clang22, *LARGE_O0]
    ).interesting


@pytest.mark.compilers
def test_debug_build(tmp_path: Path, clang19: str) -> None:
    assert check(tmp_path, REPRODUCER, IMM32, [clang19, *LARGE_O0, "-g"]).interesting


@pytest.mark.compilers
def test_compile_failure(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, "int f( {\n", IMM32, [clang19, *LARGE_O0])
    assert not verdict.interesting and verdict.compile_failed


@pytest.mark.compilers
def test_cc1_style_command(tmp_path: Path, clang19: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(REPRODUCER)
    cc1 = [clang19, "-cc1", "-triple", "x86_64-unknown-linux-gnu", "-mcmodel=large"]
    cc1 += ["-mrelocation-model", "static", "-O0"]
    assert oracle_for(IMM32, cc1, style=STYLE_CC1).check(candidate).interesting


@pytest.mark.compilers
def test_llc_style_command_on_ir(tmp_path: Path) -> None:
    llc = require_tool("llc-22", "llvm-22")
    ir = tmp_path / "t.ll"
    ir.write_text(IR)
    oracle = oracle_for(r"asm:^\s+callq\s+strlen@PLT$", [llc, "-O2"], style=STYLE_LLC)
    assert oracle.check(ir).interesting
    assert not oracle_for(r"asm:jmp\s+strlen", [llc, "-O2"], style=STYLE_LLC).check(ir).interesting


@pytest.mark.compilers
def test_differential_and_pickling(tmp_path: Path, clang19: str, clang22: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(REPRODUCER)
    spec = OracleSpec.parse(IMM32, good_cc=[clang22])
    oracle = spec.for_reduction(CompileCommand.from_user([clang19, *LARGE_O0]))
    verdict = pickle.loads(pickle.dumps(oracle)).check(candidate)
    assert verdict.interesting and "clang-22 (good): no match" in verdict.reason
