"""The `sections` and `section:[!]NAME` oracles: under -mcmodel=large clang 18+ puts C in
.ltext while a file-scope asm() block stays in .text; clang 16 puts both in .text."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reducer.compiler import STYLE_CC1, STYLE_LLC, CompileCommand
from reducer.errors import UsageError
from reducer.oracles import OracleSpec
from tests.conftest import require_tool
from tests.oraclecheck import check, oracle_for

MIXED = '__asm__(".text\\nentry: call main_c\\n");\nint main_c(void) { return 0; }\n'
LARGE = ["--target=x86_64-linux-gnu", "-O2", "-mcmodel=large", "-fno-pic", "-c"]
IR = """\
target triple = "x86_64-unknown-linux-gnu"
module asm ".text"
module asm "entry: ret"
define i32 @f() {
  ret i32 0
}
"""


@pytest.mark.parametrize("text", ["section:!", "section:a b", "sections:.text"])
def test_bad_arguments_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        oracle_for(text, ["true"], style=STYLE_LLC)


def test_describe() -> None:
    assert "more than one executable section" in oracle_for("sections", ["true"]).describe()
    assert "no section named .ltext" in oracle_for("section:!.ltext", ["true"]).describe()


@pytest.mark.compilers
def test_clang19_has_two_code_sections_and_clang16_one(tmp_path: Path, clang19: str) -> None:
    clang16 = require_tool("clang-16", "clang-16")
    verdict = check(tmp_path, MIXED, "sections", [clang19, *LARGE])
    assert verdict.interesting and verdict.reason == "2 executable sections: .text, .ltext"
    old = check(tmp_path, MIXED, "sections", [clang16, *LARGE])
    assert not old.interesting and old.reason == "one executable section: .text"


@pytest.mark.compilers
def test_section_by_name(tmp_path: Path, clang19: str) -> None:
    clang16 = require_tool("clang-16", "clang-16")
    assert check(tmp_path, MIXED, "section:.ltext", [clang19, *LARGE]).interesting
    assert not check(tmp_path, MIXED, "section:!.ltext", [clang19, *LARGE]).interesting
    verdict = check(tmp_path, MIXED, "section:.ltext", [clang16, *LARGE])
    assert not verdict.interesting and verdict.reason.startswith("has no section .ltext;")
    assert check(tmp_path, MIXED, "section:!.ltext", [clang16, *LARGE]).interesting


@pytest.mark.compilers
def test_debug_sections_are_not_code(tmp_path: Path, clang22: str) -> None:
    small = ["--target=x86_64-linux-gnu", "-O0", "-g", "-c"]
    verdict = check(tmp_path, MIXED, "sections", [clang22, *small])
    assert not verdict.interesting and verdict.reason == "one executable section: .text"
    assert check(tmp_path, MIXED, "section:.debug_info", [clang22, *small]).interesting
    assert check(tmp_path, MIXED, "sections", [clang22, *LARGE, "-g"]).interesting


@pytest.mark.compilers
def test_compile_failure(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, "int f( {\n", "sections", [clang19, *LARGE])
    assert not verdict.interesting and verdict.compile_failed


@pytest.mark.compilers
def test_cc1_style_command(tmp_path: Path, clang19: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(MIXED)
    cc1 = [clang19, "-cc1", "-triple", "x86_64-unknown-linux-gnu", "-mcmodel=large"]
    cc1 += ["-mrelocation-model", "static", "-O2"]
    assert oracle_for("sections", cc1, style=STYLE_CC1).check(candidate).interesting


@pytest.mark.compilers
@pytest.mark.parametrize("llc", ["llc-19", "llc-22"])
def test_llc_style_command_on_ir(tmp_path: Path, llc: str) -> None:
    program = require_tool(llc, f"llvm-{llc[-2:]}")
    ir = tmp_path / "t.ll"
    ir.write_text(IR)
    large = oracle_for("sections", [program, "-O0", "-code-model=large"], style=STYLE_LLC)
    assert large.check(ir).interesting
    small = oracle_for("sections", [program, "-O0"], style=STYLE_LLC)
    assert not small.check(ir).interesting


@pytest.mark.compilers
def test_differential_and_pickling(tmp_path: Path, clang19: str) -> None:
    clang16 = require_tool("clang-16", "clang-16")
    candidate = tmp_path / "t.c"
    candidate.write_text(MIXED)
    spec = OracleSpec.parse("sections", good_cc=[clang16])
    oracle = spec.for_reduction(CompileCommand.from_user([clang19, *LARGE]))
    verdict = pickle.loads(pickle.dumps(oracle)).check(candidate)
    assert verdict.interesting
    assert "clang-16 (good): one executable section: .text" in verdict.reason
