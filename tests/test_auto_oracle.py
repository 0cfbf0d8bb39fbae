"""--oracle auto: the candidates measured facts give (pure, on made-up facts) and whole runs
that pick the oracle a triage engineer would have named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reducer.commands.auto_oracle import Side, candidates, diagnostic_pattern
from reducer.elf import R_X86_64_32S, ObjectInfo, Relocation, Symbol
from tests.conftest import LARGE_O0, REPRODUCER, require_tool

R_X86_64_64 = 1  # the ELF x86-64 psABI number


def relocation(rtype: int, symbol: str) -> Relocation:
    return Relocation(".ltext", 0x10, rtype, symbol, "x", 0, "f", True)


def side(
    returncode: int = 0,
    stderr: str = "",
    relocations: tuple[Relocation, ...] = (),
    symbols: tuple[Symbol, ...] = (),
    sections: tuple[str, ...] = (".text",),
    asm: str = "",
) -> Side:
    return Side(returncode, stderr, ObjectInfo(relocations, sections, sections, symbols), asm)


def words(affected: Side, fixed: Side, text: str = "int x;") -> list[list[str]]:
    return [w for w, _ in candidates(affected, fixed, text)]


def test_a_crash_comes_first_and_is_pinned_to_its_signature() -> None:
    got = words(side(returncode=70, stderr="fatal error: error in backend: boom"), side())
    assert got[0] == ["--oracle", "crash", "-X", "pin=signature"]


def test_a_relocation_only_the_affected_object_has_names_its_symbol() -> None:
    affected = side(relocations=(relocation(R_X86_64_32S, "regions"),))
    fixed = side(relocations=(relocation(R_X86_64_64, "regions"),))
    assert words(affected, fixed) == [["--oracle", "r_x86_64_32s", "--symbol", "regions"]]
    assert words(affected, affected) == []


def test_symbols_and_sections() -> None:
    strlen = Symbol("strlen", "UND", "STT_NOTYPE", "STB_GLOBAL")
    affected = side(symbols=(strlen,), sections=(".text", ".ltext"))
    assert words(affected, side()) == [["--oracle", "symbol:strlen"], ["--oracle", "sections"]]


def test_a_program_comes_before_an_asm_difference() -> None:
    affected = side(asm=_asm("movq\t$g, -16(%rbp)"))
    fixed = side(asm=_asm("movabsq\t$g, %rax"))
    got = words(affected, fixed, "int main(void) { return 0; }")
    assert got[0] == ["--oracle", "miscompile"]
    assert got[1][1].startswith("asm:") and "movq" in got[1][1]
    assert [w[1] for w in words(affected, fixed)] == [got[1][1]]  # no main: asm only


def test_a_diagnostic_pattern_prefers_the_warning_option_and_generalises_numbers() -> None:
    assert diagnostic_pattern("size is 4", "-Wfoo", set()) == r"\[-Wfoo\]"
    assert diagnostic_pattern("size is 4 (x)", "-Wfoo", {"-Wfoo"}) == r"size is \d+ \(x\)"
    stderr = "w.c:1:6: warning: size is 4 [-Wfoo]\n"
    assert words(side(stderr=stderr + "w.c:2:1: warning: unused [-Wbar]\n"), side()) == [
        ["--oracle", r"diag:\[-Wfoo\]"]
    ]
    assert words(side(stderr=stderr), side(stderr=stderr)) == []


def test_a_diagnostic_nothing_else_accompanies_is_kept_quiet() -> None:
    # A false warning: the affected compiler says only it, the fixed one nothing at all.
    stderr = "w.c:1:6: warning: size is 4 [-Wfoo]\nw.c:1:6: note: here\n"
    quiet = ["--oracle", r"diag:\[-Wfoo\]", "-X", "quiet=yes"]
    assert words(side(stderr=stderr), side()) == [quiet]
    # Something else from either side, and the reduction may not insist on silence.
    other = "w.c:3:1: warning: unused [-Wbar]\n"
    assert words(side(stderr=stderr), side(stderr=other)) == [quiet[:2]]
    assert words(side(stderr=stderr + other), side(stderr=other)) == [quiet[:2]]


def _asm(instruction: str) -> str:
    return (
        "\t.globl\tf\n\t.type\tf,@function\nf:                                      # @f\n"
        "# %bb.0:\n\tpushq\t%rbp\n"
        f"\t{instruction}\n\tpopq\t%rbp\n\tretq\n.Lfunc_end0:\n\t.size\tf, .Lfunc_end0-f\n"
    )


def _reduce(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reducer", *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_auto_names_the_founding_relocation_and_reduces_with_it(tmp_path: Path) -> None:
    require_tool("clang-19", "clang-19")
    require_tool("clang-22", "clang-22")
    (tmp_path / "r.c").write_text(REPRODUCER)
    result = _reduce(
        tmp_path, "--json", "--oracle", "auto", "--good-cc", "clang-22", "r.c", "--",
        "clang-19", *LARGE_O0,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "oracle auto: --oracle r_x86_64_32s --symbol a (only the affected" in result.stderr
    summary = json.loads(result.stdout)
    assert summary["oracle"].startswith("r_x86_64_32s"), summary["oracle"]
    assert (tmp_path / "r.reduced.c").is_file()


def test_auto_refuses_without_a_fixed_compiler_or_with_options(tmp_path: Path) -> None:
    require_tool("clang-19", "clang-19")
    (tmp_path / "r.c").write_text(REPRODUCER)
    alone = _reduce(tmp_path, "--oracle", "auto", "r.c", "--", "clang-19", *LARGE_O0)
    assert alone.returncode == 2 and "give it with --good-cc" in alone.stderr
    options = _reduce(
        tmp_path, "--oracle", "auto", "-X", "pin=signature", "--good-cc", "clang-22", "r.c",
        "--", "clang-19", *LARGE_O0,
    )  # fmt: skip
    assert options.returncode == 2 and "picks its own options" in options.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.c"]


def test_auto_says_when_nothing_separates_the_compilers(tmp_path: Path) -> None:
    require_tool("clang-19", "clang-19")
    (tmp_path / "r.c").write_text("int same(int x) { return x + 1; }\n")
    result = _reduce(
        tmp_path, "--oracle", "auto", "--good-cc", "clang-19", "r.c", "--", "clang-19", "-c"
    )
    assert result.returncode == 4, result.stderr
    assert "nothing the built-in oracles measure separates" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# clang 19's false -Wformat-truncation ('+' counted on top of the width: llvm-project#143951),
# in a file that needs <stdio.h>; clang 22 says nothing about it.
SIGNED_WIDTH = """#include <stdio.h>
static double clamp(double v) { return v > 99.9 ? 99.9 : v < -99.9 ? -99.9 : v; }
int show(char *out, double t, int n) {
  snprintf(out, 7, "%+6.1f", clamp(t));
  return n + 1;
}
"""


def test_auto_keeps_a_false_warning_quiet_and_emits_its_test(tmp_path: Path) -> None:
    require_tool("clang-19", "clang-19")
    require_tool("clang-22", "clang-22")
    (tmp_path / "w.c").write_text(SIGNED_WIDTH)
    result = _reduce(
        tmp_path, "--oracle", "auto", "--good-cc", "clang-22", "--emit", "t", "w.c", "--",
        "clang-19", "--target=x86_64-linux-gnu", "-O2", "-Wall", "-c",
    )  # fmt: skip
    # Emission used to re-read "--oracle auto" after the reduction and stop (exit 2).
    assert result.returncode == 0, result.stderr + result.stdout
    assert r"oracle auto: --oracle diag:\[-Wformat-truncation\] -X quiet=yes" in result.stderr
    test = (tmp_path / "t" / "w.c").read_text()
    assert "#include" not in test and test.rstrip().endswith("// expected-no-diagnostics")
    rows = [line for line in result.stdout.splitlines() if line.startswith("| w.c")]
    assert len(rows) == 4 and all(line.rstrip(" |").endswith("yes") for line in rows), rows
