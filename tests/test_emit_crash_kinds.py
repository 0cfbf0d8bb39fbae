"""The crash route and its clang kinds on reduced files (real clang-19, fixed clang-22):
a crash on invalid code becomes a -verify test with the fixed clang's errors, a backend
error whose clang IR llc rejects a %clang_cc1 -emit-llvm test; each verified FAIL (by the
crash) on 19 and PASS on 22."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.emit.kinds.clang_crash_codegen import ir_checks
from reducer.emit.pipeline import emit_tests
from reducer.oracles import OracleSpec
from tests.conftest import require_tool

pytestmark = pytest.mark.compilers

# llvm/llvm-project#102218 (clang 16-19 crash in format checking; the error comes first).
INVALID = 'int printf(const char *, ...);\nint f(void) {\n  return printf("\\x{}");\n}\n'
# clang 19 extends half to bfloat (fpext, invalid IR); 22 rounds through float.
BFLOAT = "__bf16 to_bf(_Float16 x) { return (__bf16)x; }\n"


def _emit(tmp_path: Path, text: str, options: list[str], flags: list[str]) -> tuple[str, object]:
    require_tool("clang-19", "clang-19")
    require_tool("clang-22", "clang-22")
    source = tmp_path / "r.c"
    source.write_text(text)
    spec = OracleSpec.parse("crash", options=options)
    compile = CompileCommand.from_user(["clang-19", *flags], 30.0, tmp_path)
    fixed = compile.with_program("clang-22")
    report = emit_tests(source, spec, compile, tmp_path / "out", fixed_compile=fixed)
    assert report.ok and report.rows, report.table()
    assert {row.outcome.code for row in report.rows if row.role == "affected"} == {"FAIL"}
    return report.path(".c").read_text(), report


def test_a_crash_on_invalid_code_gets_a_verify_test(tmp_path: Path) -> None:
    options = ["invalid=yes", "signature=killed by SIGSEGV", "errors=1"]
    text, report = _emit(tmp_path, INVALID, options, ["-c"])
    assert any("crash route: clang-crash-verify" in n for n in report.notes)
    assert "%clang_cc1 -triple x86_64-pc-linux-gnu -fsyntax-only -verify %s" in text
    assert (
        'printf("\\x{}"); // expected-error {{delimited escape sequence cannot be empty}}' in text
    )


def test_a_backend_error_llc_cannot_show_gets_a_codegen_test(tmp_path: Path) -> None:
    flags = ["--target=x86_64-linux-gnu", "-O2", "-c"]
    text, report = _emit(tmp_path, BFLOAT, [], flags)
    assert any("crash route: clang-crash-codegen" in n and "llc" in n for n in report.notes)
    assert "-emit-llvm -o - %s | FileCheck %s" in text
    assert "// CHECK-NEXT:    %{{.*}} = fptrunc float %{{.*}} to bfloat" in text


def test_ir_checks_pattern_values_and_drop_metadata() -> None:
    ir = (
        "define dso_local i32 @g(ptr %p) #0 {\nentry:\n"
        "  %0 = load i32, ptr %p, align 4, !tbaa !3\n  ret i32 %0\n}\n"
    )
    assert ir_checks(ir) == [
        "// CHECK-LABEL: define {{.*}}@g(",
        "// CHECK:    %{{.*}} = load i32, ptr %{{.*}}, align 4",
        "// CHECK-NEXT:    ret i32 %{{.*}}",
    ]
