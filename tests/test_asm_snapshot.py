"""The asm snapshot test kind: an oracle without a kind of its own (a user's script) and a
fixed toolchain give an llc test that follows where the two llcs' assembly differs."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from reducer.cli import main
from reducer.emit.asm_diff import (
    differing_lines,
    instruction_lines,
    line_pattern,
    separating_patterns,
)
from tests.conftest import require_tool

AFFECTED_ASM = """\
\t.text
\t.globl\tf                               # -- Begin function f
\t.type\tf,@function
f:                                      # @f
# %bb.0:
\tpushq\t%rbp
\tmovq\t$g, -16(%rbp)
\tjmp\t.LBB0_2
.LBB0_1:
\tmovq\t%rax, %rax                 # 8-byte Spill
.LBB0_2:
\tpopq\t%rbp
\tretq
.Lfunc_end0:
\t.size\tf, .Lfunc_end0-f
                                        # -- End function
"""
FIXED_ASM = AFFECTED_ASM.replace("\tmovq\t$g, -16(%rbp)\n", "\tmovabsq\t$g, %rax\n").replace(
    ".LBB0_2", ".LBB0_3"
)


def test_instruction_lines_skip_directives_labels_and_comments() -> None:
    body = "# %bb.0:\n\tpushq\t%rbp\n.LBB0_1:\n\t.p2align\t4\n\tmovq\t%rax,  %rbx # Spill\n"
    assert instruction_lines(body) == ["pushq %rbp", "movq %rax, %rbx"]


def test_only_the_line_the_fixed_llc_lacks_differs() -> None:
    # jmp .LBB0_2 vs .LBB0_3 is a renumbering, not a difference... as text it is one,
    # but its pattern matches both, so it is no candidate.
    assert ("f", "movq $g, -16(%rbp)") in differing_lines(AFFECTED_ASM, FIXED_ASM)
    patterns = separating_patterns(AFFECTED_ASM, FIXED_ASM)
    assert patterns == [("f", line_pattern("movq $g, -16(%rbp)"))]
    assert separating_patterns(AFFECTED_ASM, AFFECTED_ASM) == []


def test_a_pattern_matches_its_line_with_other_blanks_and_label_numbers() -> None:
    pattern = re.compile(line_pattern("jmp .LBB0_2"), re.MULTILINE)
    assert pattern.search("\tjmp\t.LBB7_12   # comment\n")
    assert not pattern.search("\tjmp\t.LBB7_12x\n")
    assert not pattern.search("\tjne\t.LBB0_2\n")


def test_a_line_emitted_more_often_counts() -> None:
    affected = AFFECTED_ASM.replace("\tpopq\t%rbp\n", "\tpopq\t%rbp\n\tpopq\t%rbp\n")
    assert ("f", "popq %rbp") in differing_lines(affected, AFFECTED_ASM)


# The founding bug's sibling (relocation-facts.md): llc 19 at -O0 addresses a global in a
# named section with a 32-bit immediate under the large code model; llc 22 with movabsq.
SECTION_GLOBAL = """\
int regions[4] __attribute__((section(".kexec-purgatory")));
int unrelated(int x) { return x * 3; }
void take(void) { int *e = regions; (void)e; }
"""
SCRIPT = """\
#!/bin/sh
clang-19 --target=x86_64-linux-gnu -O0 -mcmodel=large -fno-pic -fno-crash-diagnostics \\
  -S -o - w.c 2>/dev/null | grep -Eq 'movq[[:space:]]+\\$regions,'
"""


def test_a_script_oracle_with_a_fixed_clang_emits_a_verified_snapshot(tmp_path: Path) -> None:
    for tool in ("clang-19", "clang-22", "llc-19", "llc-22", "llvm-reduce-19", "FileCheck-19"):
        require_tool(tool, "llvm-" + tool.rsplit("-", 1)[1])
    source = tmp_path / "w.c"
    source.write_text(SECTION_GLOBAL)
    script = tmp_path / "t.sh"
    script.write_text(SCRIPT)
    script.chmod(0o755)
    out = tmp_path / "tests"
    argv = [
        "emit", str(source), "--oracle", f"script:{script}", "--fixed-cc", "clang-22",
        "--out", str(out), "--",
        "clang-19", "--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c",
    ]  # fmt: skip
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    report = stdout.getvalue()
    assert code == 0, stderr.getvalue() + report
    assert "llc-asm-snapshot: the script oracle has no test kind" in report
    test = (out / "w.ll").read_text()
    assert "; RUN: llc < %s" in test and "-code-model=large" in test
    assert "movabsq $regions" in test  # llc 22's checks
    assert "@unrelated" not in test  # reduced while the difference held
    rows = [line for line in report.splitlines() if line.startswith("| w.ll")]
    assert len(rows) >= 2 and all(line.rstrip(" |").endswith("yes") for line in rows), report
    assert source.read_text() == SECTION_GLOBAL


def test_a_script_oracle_without_a_fixed_compiler_still_has_no_kind(tmp_path: Path) -> None:
    source = tmp_path / "w.c"
    source.write_text(SECTION_GLOBAL)
    stderr = io.StringIO()
    argv = ["emit", str(source), "--oracle", "script:/bin/true", "--out", str(tmp_path / "o"),
            "--", "clang-19", "-c"]  # fmt: skip
    with contextlib.redirect_stderr(stderr):
        code = main(argv)
    assert code == 2
    assert "with a fixed toolchain (--fixed-cc) an asm snapshot test is emitted" in stderr.getvalue()
    assert not (tmp_path / "o").exists()
