"""The `symbol:NAME[=defined]` oracle: clang 22 turns a hand-written strlen loop into a
call to strlen at -O2 (LoopIdiomRecognize, LLVM 21+); clang 19 keeps the loop."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reducer.compiler import STYLE_CC1, STYLE_LLC, CompileCommand
from reducer.errors import UsageError
from reducer.oracles import OracleSpec
from tests.conftest import require_tool
from tests.oraclecheck import check, oracle_for

STRLEN_LOOP = (
    "typedef __SIZE_TYPE__ size_t;\n"
    "size_t my_len(const char *s) { const char *p = s; while (*p) p++; return p - s; }\n"
)
DIVIDE = "__int128 q(__int128 a, __int128 b) { return a / b; }\n"
O2 = ["--target=x86_64-linux-gnu", "-O2", "-c"]
IR = """\
target triple = "x86_64-unknown-linux-gnu"
declare i64 @strlen(ptr)
define i64 @f(ptr %p) {
  %r = call i64 @strlen(ptr %p)
  ret i64 %r
}
"""


@pytest.mark.parametrize("text", ["symbol:a b", "symbol:=defined", "symbol:x=sometimes"])
def test_bad_arguments_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        oracle_for(text, ["true"], style=STYLE_LLC)


def test_describe_says_what_counts() -> None:
    undefined = oracle_for("symbol:memcpy", ["true"], style=STYLE_LLC)
    assert "an undefined reference to memcpy" in undefined.describe()
    defined = oracle_for("symbol:memcpy=defined", ["true"], style=STYLE_LLC)
    assert "a definition of memcpy" in defined.describe()


@pytest.mark.compilers
def test_clang22_calls_strlen_and_clang19_does_not(
    tmp_path: Path, clang19: str, clang22: str
) -> None:
    verdict = check(tmp_path, STRLEN_LOOP, "symbol:strlen", [clang22, *O2])
    assert verdict.interesting and verdict.reason.startswith("strlen is undefined")
    old = check(tmp_path, STRLEN_LOOP, "symbol:strlen", [clang19, *O2])
    assert not old.interesting and not old.compile_failed
    assert old.reason == "no symbol strlen; undefined symbols: none"


@pytest.mark.compilers
def test_defined_mode(tmp_path: Path, clang22: str) -> None:
    argv = [clang22, *O2]
    assert check(tmp_path, STRLEN_LOOP, "symbol:my_len=defined", argv).interesting
    verdict = check(tmp_path, STRLEN_LOOP, "symbol:strlen=defined", argv)
    assert not verdict.interesting
    assert verdict.reason.startswith("strlen is only referenced (undefined)")
    assert check(tmp_path, STRLEN_LOOP, "symbol:strlen=any", argv).interesting
    assert not check(tmp_path, STRLEN_LOOP, "symbol:my_len", argv).interesting


@pytest.mark.compilers
def test_compiler_rt_libcall_in_a_debug_build(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, DIVIDE, "symbol:__divti3", [clang19, "-O0", "-g", *O2[:1], "-c"])
    assert verdict.interesting
    missing = check(tmp_path, DIVIDE, "symbol:__udivti3", [clang19, *O2])
    assert not missing.interesting and "undefined symbols: __divti3" in missing.reason


@pytest.mark.compilers
def test_compile_failure(tmp_path: Path, clang22: str) -> None:
    verdict = check(tmp_path, "int f( {\n", "symbol:strlen", [clang22, *O2])
    assert not verdict.interesting and verdict.compile_failed


@pytest.mark.compilers
def test_cc1_style_command(tmp_path: Path, clang22: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(STRLEN_LOOP)
    cc1 = [clang22, "-cc1", "-triple", "x86_64-unknown-linux-gnu", "-O2"]
    assert oracle_for("symbol:strlen", cc1, style=STYLE_CC1).check(candidate).interesting


@pytest.mark.compilers
@pytest.mark.parametrize("llc", ["llc-19", "llc-22"])
def test_llc_style_command_on_ir(tmp_path: Path, llc: str) -> None:
    program = require_tool(llc, f"llvm-{llc[-2:]}")
    ir = tmp_path / "t.ll"
    ir.write_text(IR)
    assert oracle_for("symbol:strlen", [program, "-O0"], style=STYLE_LLC).check(ir).interesting
    oracle = oracle_for("symbol:f=defined", [program, "-O0"], style=STYLE_LLC)
    assert oracle.check(ir).reason.startswith("f is defined in .text (STT_FUNC, GLOBAL)")


@pytest.mark.compilers
def test_differential_and_pickling(tmp_path: Path, clang19: str, clang22: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(STRLEN_LOOP)
    spec = OracleSpec.parse("symbol:strlen", good_cc=[clang19])
    oracle = spec.for_reduction(CompileCommand.from_user([clang22, *O2]))
    verdict = pickle.loads(pickle.dumps(oracle)).check(candidate)
    assert verdict.interesting and "clang-19 (good): no symbol strlen" in verdict.reason
