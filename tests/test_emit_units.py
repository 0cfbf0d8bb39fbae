"""The pure parts of reducer.emit: asm scrubbing, check lines (shared prefixes), relocation
checks, IR clean-up transforms, cc1 flag selection, lit outcome classification."""

from __future__ import annotations

import argparse
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reducer.commands.cases import KNOWN_BUGS, Case, major_of
from reducer.elf import R_X86_64_32, R_X86_64_32S, Relocation
from reducer.emit import c_test, ir_cleanup, ll_test, reloc_checks, utc, verify
from reducer.emit.driver import Cc1Command, CodegenSettings, driver_flags, parse_cc1_line
from reducer.emit.header import Header, join_sections, without_xfail
from reducer.emit.ir_oracle import IrOracleSpec, _ub_counts, judge_text
from reducer.emit.litsupport import LitTools, word
from reducer.emit.mode import Mode, choose_mode
from reducer.emit.reloc_expectation import describe
from reducer.emit.toolchain import toolchain_for_llvm
from reducer.errors import ReducerError, UsageError
from reducer.oracles import OracleSpec
from reducer.oracles.ir_undefined import undefined_behaviour, undefined_behaviour_counts

# llc-19 -O0 -code-model=large output for `store ptr @a, ptr %p` (trimmed file header).
ASM_19 = """\t.text
\t.file\t"<stdin>"
\t.section\t.ltext,"axl",@progbits
\t.globl\tf                               # -- Begin function f
\t.p2align\t4, 0x90
\t.type\tf,@function
f:                                      # @f
\t.cfi_startproc
# %bb.0:
\tmovq\t$a, -8(%rsp)
\tretq
.Lfunc_end0:
\t.size\tf, .Lfunc_end0-f
\t.cfi_endproc
                                        # -- End function
"""

ASM_22 = ASM_19.replace("\tmovq\t$a, -8(%rsp)\n", "\tmovabsq\t$a, %rax\n\tmovq\t%rax, -8(%rsp)\n")

ASM_LOOP = """\t.type\tg,@function
g:                                      # @g
\t.cfi_startproc
# %bb.0:                                # %entry
\tpushq\t%rbp
\t.cfi_def_cfa_offset 16
\tmovq\t%rsp, %rbp
\tmovq\t%rdi, -8(%rbp)                  # 8-byte Spill
.LBB0_1:                                # %loop
                                        # =>This Inner Loop Header: Depth=1
\tjmp\t.LBB0_1
.Lfunc_end0:
\t.size\tg, .Lfunc_end0-g
"""

CC1_LINE = (
    ' "/usr/lib/llvm-19/bin/clang" "-cc1" "-triple" "x86_64-unknown-linux-gnu" "-emit-obj" '
    '"-disable-free" "-clear-ast-before-backend" "-disable-llvm-verifier" "-discard-value-names" '
    '"-main-file-name" "x.c" "-mrelocation-model" "static" "-mframe-pointer=all" "-fmath-errno" '
    '"-ffp-contract=on" "-fno-rounding-math" "-mconstructor-aliases" "-funwind-tables=2" '
    '"-mcmodel=large" "-mlarge-data-threshold=0" "-target-cpu" "x86-64" "-tune-cpu" "generic" '
    '"-debugger-tuning=gdb" "-fdebug-compilation-dir=/tmp/x" "-fcoverage-compilation-dir=/tmp/x" '
    '"-resource-dir" "/usr/lib/llvm-19/lib/clang/19" "-internal-isystem" '
    '"/usr/lib/llvm-19/lib/clang/19/include" "-internal-externc-isystem" "/usr/include" "-O0" '
    '"-ferror-limit" "19" "-fgnuc-version=4.2.1" "-fskip-odr-check-in-gmf" "-faddrsig" '
    '"-D__GCC_HAVE_DWARF2_CFI_ASM=1" "-o" "x.o" "-x" "c" "x.c"'
)

CLANG_IR = """; ModuleID = 'r.c'
source_filename = "r.c"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@a = dso_local global [1 x i32] zeroinitializer, section "x", align 4
@.str = private unnamed_addr constant [6 x i8] c"a #0 \\00", align 1

; Function Attrs: noinline nounwind optnone uwtable
define dso_local void @f(ptr noundef %0) #0 !dbg !7 {
  %2 = alloca ptr, align 8
  store ptr @a, ptr %2, align 8, !dbg !9
  br label %3

3:                                                ; preds = %1
  ret void
}

attributes #0 = { noinline nounwind optnone uwtable "frame-pointer"="all" "target-cpu"="x86-64" }

!llvm.module.flags = !{!0, !1}
!llvm.ident = !{!5}

!0 = !{i32 1, !"wchar_size", i32 4}
!1 = !{i32 1, !"Code Model", i32 4}
!5 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
"""


def reloc(rtype: int, symbol: str, executable: bool = True) -> Relocation:
    return Relocation(".ltext", 0, rtype, symbol, "x", 0, "f", executable)


# ---------------------------------------------------------------- asm checks (utc)
# update_llc_test_checks.py's format; the golden and upstream-shaped tests are in
# tests/test_utc_checks.py.


def test_scrub_keeps_directives_and_comments_like_the_script() -> None:
    assert utc.scrub_x86("\t.cfi_def_cfa_offset 16") == "  .cfi_def_cfa_offset 16"
    assert utc.scrub_x86("\t.p2align\t4, 0x90") == "  .p2align 4, 0x90"
    loop = "                                        # =>This Inner Loop Header: Depth=1"
    assert utc.scrub_x86(loop) == "  # =>This Inner Loop Header: Depth=1"
    block = "# %bb.1:                                # %for.body"
    assert utc.scrub_x86(block) == "# %bb.1: # %for.body"
    assert utc.scrub_x86(".LBB0_1:                                # %loop") == ".LBB0_1: # %loop"
    spill = "\tmovq\t%rdi, -8(%rbp)                  # 8-byte Spill"
    assert utc.scrub_x86(spill) == "  movq %rdi, {{[-0-9]+}}(%r{{[sb]}}p) # 8-byte Spill"


def test_scrub_stack_pointer_offsets_become_a_regex() -> None:
    assert utc.scrub_x86("\tmovq\t$a, -8(%rsp)") == "  movq $a, -{{[0-9]+}}(%rsp)"
    assert utc.scrub_x86("\tmovl 16(%esp), %eax") == "  movl {{[0-9]+}}(%esp), %eax"


def test_function_bodies_run_from_the_entry_block_to_the_end_label() -> None:
    assert utc.asm_functions(ASM_LOOP) == [
        (
            "g",
            "# %bb.0:                                # %entry\n\tpushq\t%rbp\n"
            "\t.cfi_def_cfa_offset 16\n\tmovq\t%rsp, %rbp\n"
            "\tmovq\t%rdi, -8(%rbp)                  # 8-byte Spill\n"
            ".LBB0_1:                                # %loop\n"
            "                                        # =>This Inner Loop Header: Depth=1\n"
            "\tjmp\t.LBB0_1",
        )
    ]


def test_check_lines_single_run() -> None:
    assert utc.function_check_lines(ASM_22) == {
        "f": [
            "; CHECK-LABEL: f:",
            "; CHECK:       # %bb.0:",
            "; CHECK-NEXT:    movabsq $a, %rax",
            "; CHECK-NEXT:    movq %rax, -{{[0-9]+}}(%rsp)",
            "; CHECK-NEXT:    retq",
        ]
    }


def test_identical_outputs_share_the_common_prefix() -> None:
    table = utc.function_table([(("CHECK", "A"), ASM_22), (("CHECK", "B"), ASM_22)])
    lines, printed = table.check_lines("f")
    assert printed == ["CHECK"] and lines[0] == "; CHECK-LABEL: f:"


def test_different_outputs_get_their_own_prefixes() -> None:
    table = utc.function_table([(("CHECK", "OLD"), ASM_19), (("CHECK", "NEW"), ASM_22)])
    lines, printed = table.check_lines("f")
    assert printed == ["OLD", "NEW"]
    assert lines[lines.index("; NEW-LABEL: f:") - 1] == ";"  # blocks are separated
    assert "; OLD-NEXT:    movq $a, -{{[0-9]+}}(%rsp)" in lines


def test_mixed_sharing_three_runs() -> None:
    runs = [(("CHECK", "X"), ASM_22), (("CHECK", "X"), ASM_22), (("CHECK", "Y"), ASM_19)]
    assert utc.function_table(runs).check_lines("f")[1] == ["X", "Y"]


def test_conflicting_run_is_reported() -> None:
    table = utc.function_table([(("CHECK",), ASM_22), (("CHECK",), ASM_19)])
    assert table.check_lines("f") == ([], [])
    assert "RUN #1 (prefixes: CHECK), RUN #2 (prefixes: CHECK)" in table.warnings()[0]


# ---------------------------------------------------------------- relocation checks


def test_reloc_checks_forbid_wrong_type_around_expected_one() -> None:
    exp = reloc_checks.RelocExpectation(
        ("purgatory_sha_regions",), frozenset({R_X86_64_32S}), ((1, "purgatory_sha_regions"),)
    )
    assert reloc_checks.check_lines(exp, "OBJ", ";") == [
        "; OBJ-NOT: R_X86_64_32S purgatory_sha_regions 0x",
        "; OBJ:     R_X86_64_64 purgatory_sha_regions 0x",
        "; OBJ-NOT: R_X86_64_32S purgatory_sha_regions 0x",
    ]


def test_reloc_checks_patterns_for_several_types_and_symbols() -> None:
    exp = reloc_checks.RelocExpectation(
        ("a.b", "c"), frozenset({R_X86_64_32, R_X86_64_32S}), ((1, "a.b"), (1, "c"))
    )
    assert exp.bad_pattern() == "R_X86_64_32{{S?}} {{(a\\.b|c)}} 0x"
    lines = reloc_checks.check_lines(exp, "CHECK", "//")
    assert len(lines) == 5 and lines[1] == "// CHECK:     R_X86_64_64 a.b 0x"


def test_lock_in_has_no_negative_checks() -> None:
    exp = reloc_checks.RelocExpectation(
        ("buf",), frozenset({R_X86_64_32}), ((R_X86_64_32, "buf"),), lock_in=True
    )
    assert reloc_checks.check_lines(exp, "OBJ", ";") == ["; OBJ:     R_X86_64_32 buf 0x"]


def test_good_relocations_first_of_each_kind_in_order_code_only() -> None:
    relocs = [
        reloc(1, "a"),
        reloc(4, "g"),
        reloc(1, "a"),
        reloc(R_X86_64_32S, "a"),
        reloc(1, "a", executable=False),
    ]
    assert reloc_checks.good_relocations(relocs, ["a"]) == ((1, "a"), (R_X86_64_32S, "a"))


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30))
def test_ere_escape_matches_literally(text: str) -> None:
    assert re.fullmatch(reloc_checks.ere_escape(text), text)


# ---------------------------------------------------------------- IR clean-ups


def test_cleanup_transforms_on_clang_output() -> None:
    text = ir_cleanup.drop_module_header(CLANG_IR)
    assert "ModuleID" not in text and "source_filename" not in text
    text = ir_cleanup.drop_metadata(text)
    assert "!" not in text.replace('c"a #0 \\00"', "")
    text = ir_cleanup.drop_attributes(text)
    assert "#0 {" not in text and "attributes" not in text and "Function Attrs" not in text
    assert 'c"a #0 \\00"' in text  # inside a string: not an attribute reference
    text = ir_cleanup.drop_keywords(text, ("dso_local",))
    text = ir_cleanup.drop_keywords(text, ("local_unnamed_addr", "unnamed_addr"))
    text = ir_cleanup.drop_keywords(text, ir_cleanup.KEYWORD_GROUPS["parameter attributes"])
    assert "dso_local" not in text and "noundef" not in text and "unnamed_addr" not in text
    assert ir_cleanup.target_triple(text) == "x86_64-unknown-linux-gnu"
    text = ir_cleanup.drop_target_lines(text)
    assert "target" not in text
    text = ir_cleanup.rename_locals(text)
    assert text == (
        '@a = global [1 x i32] zeroinitializer, section "x", align 4\n'
        '@.str = private constant [6 x i8] c"a #0 \\00", align 1\n'
        "\n"
        "define void @f(ptr %p0) {\n"
        "  %v0 = alloca ptr, align 8\n"
        "  store ptr @a, ptr %v0, align 8\n"
        "  br label %bb0\n"
        "\n"
        "bb0:\n"
        "  ret void\n"
        "}\n"
    )


def test_rename_leaves_type_names_and_globals_alone() -> None:
    text = (
        "%struct.s = type { i64 }\n\n"
        "define i64 @g(ptr %s, i64 %n) {\n"
        "entry:\n"
        "  %x = getelementptr %struct.s, ptr %s, i64 %n\n"
        "  %y = load i64, ptr %x\n"
        "  ret i64 %y\n"
        "}\n"
    )
    renamed = ir_cleanup.rename_locals(text)
    assert "define i64 @g(ptr %p0, i64 %p1) {" in renamed
    assert "bb0:" in renamed
    assert "%v0 = getelementptr %struct.s, ptr %p0, i64 %p1" in renamed
    assert "ret i64 %v1" in renamed


def test_attribute_groups_and_dropping_one() -> None:
    text = 'attributes #0 = { noinline optnone "frame-pointer"="all" }\n'
    assert ir_cleanup.attribute_groups(text) == {
        "#0": ["noinline", "optnone", '"frame-pointer"="all"']
    }
    assert ir_cleanup.drop_group_attribute(text, "#0", "optnone") == (
        'attributes #0 = { noinline "frame-pointer"="all" }\n'
    )


def test_clean_ir_keeps_only_steps_that_stay_interesting() -> None:
    seen: list[str] = []

    def interesting(state: ir_cleanup.IrState) -> bool:
        seen.append(state.text)
        # pretend the behaviour needs the "Code Model" module flag
        return "Code Model" in state.text

    log = ir_cleanup.CleanupLog()
    result = ir_cleanup.clean_ir(ir_cleanup.IrState(CLANG_IR), interesting, log)
    assert "Code Model" in result.text
    assert "metadata (module flags, ident, debug info)" in log.dropped
    assert "function attributes" in log.applied
    assert result.mtriple == "x86_64-unknown-linux-gnu"
    assert result.llc_flags(("-O0",)) == ("-mtriple=x86_64-unknown-linux-gnu", "-O0")


def test_undefined_behaviour_detection() -> None:
    assert undefined_behaviour("  store ptr @a, ptr null, align 8") != []
    assert undefined_behaviour("  store ptr null, ptr %p, align 8") == []
    assert undefined_behaviour("  ret i32 undef") == ["undef"]
    assert undefined_behaviour("  tail call void (ptr, ...) null(ptr @a)") != []
    assert undefined_behaviour("  call void @f(ptr null)") == []


def test_undefined_behaviour_is_allowed_per_kind_not_in_total() -> None:
    """clang's `ret i32 undef` (a C function falling off its end) must not pay for a call
    through null that llvm-reduce invents."""
    start = "define i32 @b() {\n  call void @a(ptr @g)\n  ret i32 undef\n}\n"
    invented = "define i32 @b() {\n  %v0 = tail call i32 (ptr, ...) null(ptr @g)\n  ret i32 0\n}\n"
    assert undefined_behaviour_counts(start) == (1, 0, 0)
    assert undefined_behaviour_counts(invented) == (0, 0, 1)
    spec = IrOracleSpec(
        OracleSpec("r_x86_64_32", timeout=10.0), "llc-19", None, (), undefined_behaviour_counts(start)
    )
    verdict = judge_text(spec, invented)  # rejected before any llc runs
    assert not verdict.interesting and "null(" in verdict.reason
    assert spec.cli_args()[spec.cli_args().index("--allowed-ub") + 1] == "1,0,0"
    assert _ub_counts("1,0,2") == (1, 0, 2)
    for bad in ("1", "a,b,c", "1,0,-1"):
        with pytest.raises(argparse.ArgumentTypeError):
            _ub_counts(bad)


# ---------------------------------------------------------------- cc1 flags


def test_cc1_settings_from_a_dash_dash_dash_line() -> None:
    cc1 = parse_cc1_line("clang version 19\n" + CC1_LINE + "\n")
    settings = cc1.settings()
    assert settings.triple == "x86_64-unknown-linux-gnu"
    assert settings.relocation_model == "static"
    assert settings.code_model == "large"
    assert settings.large_data_threshold == 0
    assert settings.opt_level == "0"
    assert settings.llc_flags() == [
        "-O0",
        "-code-model=large",
        "-relocation-model=static",
        "-large-data-threshold=0",
    ]


def test_cc1_candidates_drop_paths_actions_and_bookkeeping() -> None:
    candidates = parse_cc1_line(CC1_LINE).test_candidates("x.c")
    flat = [t for unit in candidates for t in unit]
    for gone in ("-emit-obj", "-disable-free", "-main-file-name", "-resource-dir", "-o", "x.c"):
        assert gone not in flat
    assert not any("/usr" in t or "/tmp" in t for t in flat)
    assert ("-triple", "x86_64-unknown-linux-gnu") in candidates
    assert ("-mrelocation-model", "static") in candidates
    assert ("-target-cpu", "x86-64") in candidates
    assert ("-mcmodel=large",) in candidates and ("-O0",) in candidates


def test_minimize_units_keeps_what_matters_and_always_triple_and_opt() -> None:
    candidates = parse_cc1_line(CC1_LINE).test_candidates("x.c")
    needed = {("-mrelocation-model", "static"), ("-mcmodel=large",)}

    def reproduces(units: list[tuple[str, ...]]) -> bool:
        return needed <= set(units)

    assert c_test.minimize_units(candidates, reproduces) == [
        ("-triple", "x86_64-unknown-linux-gnu"),
        ("-mrelocation-model", "static"),
        ("-mcmodel=large",),
        ("-O0",),
    ]


def test_driver_flags_remove_action_and_output() -> None:
    argv = ["clang-19", "-O0", "-c", "-o", "x.o", "-mcmodel=large", "-S", "-emit-llvm"]
    assert driver_flags(argv) == ["-O0", "-mcmodel=large"]


def test_default_cc1_relocation_model_is_pic() -> None:
    assert Cc1Command(("-triple", "x86_64-linux-gnu")).settings().relocation_model == "pic"


# ---------------------------------------------------------------- test files


def test_ll_test_layout_and_source_comment_only_when_short() -> None:
    exp = reloc_checks.RelocExpectation(("a",), frozenset({R_X86_64_32S}), ((1, "a"),))
    base = ll_test.LlTest(
        ir="@a = global i32 0\n\ndefine void @f(ptr %p0) {\n  ret void\n}\n",
        llc_flags=("-mtriple=x86_64", "-O0"),
        runs=(ll_test.AsmRun(("-mtriple=x86_64", "-O0"), ("CHECK",), ASM_22),),
        reloc=exp,
        description=["why"],
        c_source="int a;\n",
        xfail=("llvm-19",),
    )
    text = ll_test.render_ll_test(base)
    lines = text.splitlines()
    assert lines[0] == utc.autogenerated_note()
    assert lines[1] == "; XFAIL: llvm-19"
    assert lines[2] == "; RUN: llc < %s -mtriple=x86_64 -O0 | FileCheck %s"
    assert "; Generated from this C source:" in lines
    assert lines[lines.index("define void @f(ptr %p0) {") + 1] == "; CHECK-LABEL: f:"
    short = ll_test.render_ll_test(ll_test.LlTest(**{**base.__dict__, "c_source": "int a;\n" * 40}))
    assert "Generated from this C source" not in short


def test_c_test_layout() -> None:
    exp = reloc_checks.RelocExpectation(("a",), frozenset({R_X86_64_32S}), ((1, "a"),))
    units = [("-triple", "x86_64-linux-gnu"), ("-mcmodel=large",)]
    header = Header(".c", [c_test.c_test_run(units)], requires=[c_test.REQUIRES_X86])
    text = c_test.render_c_test(header, exp, ["why"], "int a;\n")
    lines = text.splitlines()
    assert lines[0] == "// REQUIRES: x86-registered-target"
    assert lines[1] == (
        "// RUN: %clang_cc1 -triple x86_64-linux-gnu -mcmodel=large -emit-obj -o - %s "
        "| llvm-readobj -r - | FileCheck %s"
    )
    assert lines[-1] == "int a;"


# ---------------------------------------------------------------- lit


def test_classify_lit_outputs() -> None:
    llvm = "t.ll:7:8: error: OBJ: expected string not found in input\n"
    assert verify.classify("FAIL", llvm) == verify.Outcome(
        "FAIL", "FileCheck: expected string not found", True
    )
    pypi = "t.ll:8: error: OBJ-NOT: excluded string found in input ('R_X86_64_32S a 0x')\n"
    assert verify.classify("FAIL", pypi).reason == "FileCheck: excluded string found"
    pypi_missing = 't.ll:3: error: Couldn\'t match "movabsq $a, %rax".\n'
    assert verify.classify("FAIL", pypi_missing).filecheck_mismatch
    crash = llvm + "PLEASE submit a bug report\nStack dump:\n"
    assert not verify.classify("FAIL", crash).filecheck_mismatch
    parse = "llc-19: error: llc-19: <stdin>:3:1: error: expected top-level entity\n"
    assert not verify.classify("FAIL", parse).filecheck_mismatch
    empty = "FileCheck error: '<stdin>' is empty.\n"
    assert not verify.classify("FAIL", empty).filecheck_mismatch
    assert verify.classify("PASS", "").code == "PASS"


def test_row_ok_needs_the_right_reason() -> None:
    right = verify.Outcome("FAIL", "FileCheck: expected string not found", True)
    wrong = verify.Outcome("FAIL", "tool error: Stack dump", False)
    assert verify.Row("t.ll", "affected", "llvm-19", "FileCheck-19", "FAIL", right).ok
    assert verify.Row("t.ll", "affected", "llvm-19", "FileCheck-19", "FAIL", wrong).ok is False
    assert verify.Row("t.ll", "fixed", "none", "-", "PASS", None).ok is None
    table = verify.render_table([verify.Row("t.ll", "fixed", "none", "-", "PASS", None)])
    assert "unknown" in table and table.startswith("| test")


def test_substitutions_only_replace_whole_command_words() -> None:
    tools = LitTools(
        19, "19.1.7", "/x/clang -cc1", {"llc": "/usr/lib/llvm-19/bin/llc"}, "llvm", True
    )
    (cc1_pattern, _), (llc_pattern, llc_path) = tools.substitutions()
    run = "llc < %s -O0 | FileCheck %s"
    assert re.sub(llc_pattern, llc_path, run).startswith("/usr/lib/llvm-19/bin/llc < %s")
    assert re.sub(word("llc"), "X", "/usr/lib/llvm-19/bin/llc") == "/usr/lib/llvm-19/bin/llc"
    assert re.sub(word("not"), "X", "--not-a-flag not") == "--not-a-flag X"
    assert re.sub(cc1_pattern, "CC1", "%clang_cc1 -O0") == "CC1 -O0"
    assert tools.features() == ["llvm-19", "filecheck-llvm", "x86-registered-target"]


# ---------------------------------------------------------------- cases / XFAIL data


def test_xfail_from_known_bugs_and_case_compilers() -> None:
    case = Case(
        "c",
        "r_x86_64_32s",
        (),
        (),
        "clang-19",
        "clang-22",
        ("clang-19",),
        ("clang-22", "clang-16"),
    )
    settings = Cc1Command(
        ("-triple", "x86_64", "-mrelocation-model", "static", "-mcmodel=large", "-O0")
    ).settings()
    source = 'int a __attribute__((section("x")));'
    assert case.xfail(settings, source) == ["llvm-18", "llvm-19", "llvm-20", "llvm-21"]
    assert case.xfail(settings, "int a;") == ["llvm-19"]  # no explicit section: only measured
    control = Case("c", "r_x86_64_32", (), (), "clang-19", "", ("clang-19",), ())
    assert control.xfail(settings, source) == []
    assert KNOWN_BUGS[0].affected_majors == (18, 19, 20, 21)


def test_major_of_compiler_names() -> None:
    assert major_of("clang-19") == 19
    assert major_of("/usr/lib/llvm-22/bin/clang") == 22
    assert major_of("clang") is None


# ---------------------------------------------------------------- modes and wording


def _settings(code_model: str | None, relocation_model: str = "static") -> CodegenSettings:
    return CodegenSettings("x86_64-linux-gnu", relocation_model, code_model, None, "0")


def _mode(expect: str, fixed: bool, settings: CodegenSettings, spec: OracleSpec) -> Mode:
    return choose_mode(
        expect,
        fixed,
        spec.kind.relocations,
        spec.name,
        settings.code_model,
        settings.relocation_model,
    )


def test_mode_choice() -> None:
    reloc = OracleSpec.parse("r_x86_64_32s")
    assert _mode("auto", True, _settings("large"), reloc) is Mode.FIXED
    assert _mode("auto", False, _settings("large"), reloc) is Mode.ASSUMED
    assert _mode("auto", False, _settings(None), reloc) is Mode.LOCK_IN
    assert _mode("auto", False, _settings("small"), reloc) is Mode.LOCK_IN
    assert _mode("lock-in", False, _settings("large"), reloc) is Mode.LOCK_IN
    for settings in (_settings("medium"), _settings("large", "pic")):
        with pytest.raises(UsageError):
            _mode("auto", False, settings, reloc)
    with pytest.raises(UsageError):
        _mode("fixed", False, _settings("large"), reloc)
    with pytest.raises(UsageError):
        _mode("nonsense", False, _settings("large"), reloc)


def test_mode_without_fixed_toolchain_is_lock_in_for_non_relocation_oracles() -> None:
    # Only relocation oracles know the right output without a fixed toolchain: a crash,
    # section or assembly test can only lock today's behaviour in (and pass on it).
    for text in ("asm:movq", "sections", "crash", "symbol:strlen"):
        spec = OracleSpec.parse(text)
        assert _mode("auto", False, _settings("large"), spec) is Mode.LOCK_IN
        with pytest.raises(UsageError):
            _mode("assumed", False, _settings("large"), spec)


def test_mode_side_rules() -> None:
    assert Mode.LOCK_IN.affected_outcome == "PASS"
    assert Mode.FIXED.affected_outcome == Mode.ASSUMED.affected_outcome == "FAIL"
    assert {mode.fixed_outcome for mode in Mode} == {"PASS"}
    assert Mode.FIXED.expected("affected", "fixed") == "fixed"
    assert Mode.FIXED.expected("affected", None) == "affected"
    assert Mode.LOCK_IN.expected("affected", "fixed") == "affected"
    assert not Mode.ASSUMED.checks_output and Mode.FIXED.checks_output


def test_description_wording() -> None:
    exp = reloc_checks.RelocExpectation(("a", "b"), frozenset({R_X86_64_32S}), ((1, "a"),))
    assert describe(_settings("large"), exp, Mode.FIXED) == [
        "Code must address a and b with R_X86_64_64,",
        "not R_X86_64_32S (large code model, static relocation model, -O0).",
    ]
    none = reloc_checks.RelocExpectation(("a",), frozenset({R_X86_64_32S}), ())
    assert (
        describe(_settings("large"), none, Mode.FIXED)[0]
        == "Code must not address a with R_X86_64_32S"
    )


def test_unknown_llvm_suffix_is_a_clear_error() -> None:
    with pytest.raises(ReducerError):
        toolchain_for_llvm("7")
    with pytest.raises(UsageError):
        toolchain_for_llvm("not-a-version")


def test_bug_urls_follow_the_header() -> None:
    header = Header(
        ".ll",
        ["llc < %s | FileCheck %s"],
        note="; NOTE: x",
        bug_urls=["https://github.com/llvm/llvm-project/issues/1"],
    )
    out = join_sections(header.lines(), header.comments(["why"]), ["define void @f() {"])
    assert out.splitlines()[:7] == [
        "; NOTE: x",
        "; RUN: llc < %s | FileCheck %s",
        "",
        "; Bug: https://github.com/llvm/llvm-project/issues/1",
        "",
        "; why",
        "",
    ]
    c = Header(".c", ["%clang_cc1 %s"], requires=["x86-registered-target"], bug_urls=["u1", "u2"])
    assert join_sections(c.lines(), ["int a;"]) == (
        "// REQUIRES: x86-registered-target\n// RUN: %clang_cc1 %s\n\n"
        "// Bug: u1\n// Bug: u2\n\nint a;\n"
    )
    assert "Bug" not in "\n".join(Header(".c", ["%clang_cc1 %s"]).lines())


def test_header_order_and_continued_run_lines() -> None:
    header = Header(
        ".ll", ["llc < %s \\\n  | FileCheck %s", "not llc < %s"], "; NOTE: n", ["x86"], ["llvm-19"]
    )
    assert header.lines() == [
        "; NOTE: n",
        "; REQUIRES: x86",
        "; XFAIL: llvm-19",
        "; RUN: llc < %s \\",
        "; RUN:   | FileCheck %s",
        "; RUN: not llc < %s",
    ]
    text = join_sections(header.lines(), ["define void @f() {"])
    assert "XFAIL" not in without_xfail(text)
    assert without_xfail(text).splitlines()[2] == "; RUN: llc < %s \\"
