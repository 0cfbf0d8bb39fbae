"""bench/miscompile_bench.py: the shell mirrors of the miscompile and asm: oracles say what
the oracles say (on the cases' reduced files and on a UB variant), and its pure helpers."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
_spec = importlib.util.spec_from_file_location(
    "miscompile_bench", REPO / "bench" / "miscompile_bench.py"
)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["miscompile_bench"] = bench  # its dataclasses look their module up
_spec.loader.exec_module(bench)

needs_clangs = pytest.mark.skipif(
    not (shutil.which("clang-19") and shutil.which("clang-22")), reason="clang-19/22 missing"
)


def test_posix_regex_matches_what_the_python_regex_matches() -> None:
    pattern = bench.posix_regex(r"^\s+shlq\s+\$63, %r")
    assert pattern == r"^[[:space:]]+shlq[[:space:]]+\$63, %r"
    text = "\tshlq\t$62, %rax\n\tshlq\t$63, %rcx\n"
    found = subprocess.run(
        ["grep", "-Eo", pattern], input=text, capture_output=True, text=True, timeout=10
    )
    assert found.stdout.strip() == "shlq\t$63, %r"


def test_posix_regex_refuses_what_grep_cannot_mean() -> None:
    with pytest.raises(SystemExit):
        bench.posix_regex(r"(?<=x)y")


def test_pass_seconds_charges_each_line_until_the_next() -> None:
    stderr = (
        "compiler: clang-19\n"
        "[   0.5s] pass slice      size    10 B  calls 1 (2.0/s)\n"
        "[   2.0s] pass comments   size     9 B  calls 3 (1.5/s)\n"
        "[   7.0s] pass slice      size     8 B  calls 9 (1.3/s)\n"
    )
    assert bench.pass_seconds(stderr, 10.0) == {"slice": 4.5, "comments": 5.0}


def test_ratio_is_an_upper_bound_when_the_faster_tool_was_capped() -> None:
    rows = [
        bench.Row("c", "reduce", wall_seconds=50.0),
        bench.Row("c", "cvise", status="capped", wall_seconds=400.0),
        bench.Row("c", "creduce", status="capped", wall_seconds=420.0),
    ]
    assert bench.ratio(rows, "c") == "< 0.125 vs cvise (open)"
    rows[1] = bench.Row("c", "cvise", wall_seconds=1000.0)  # creduce, capped, may be faster
    assert bench.ratio(rows, "c") == "< 0.119 vs creduce (open)"
    rows[2] = bench.Row("c", "creduce", wall_seconds=2000.0)
    assert bench.ratio(rows, "c") == "0.050 vs cvise (met)"
    rows[1] = bench.Row("c", "cvise", wall_seconds=100.0)
    assert bench.ratio(rows, "c") == "0.500 vs cvise (MISSED)"


def _script_on(case_name: str, text: str, tmp_path: Path) -> int:
    case = bench.load_case(case_name)
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "input.c").write_text(text)
    script = tmp_path / "test.sh"
    bench.write_script(case, script, tmp_path / "calls.txt")
    done = subprocess.run([str(script)], cwd=tmp_path, capture_output=True, timeout=300)
    assert (tmp_path / "calls.txt").read_text() == ".\n"
    return done.returncode


@needs_clangs
def test_miscompile_script_accepts_the_reduced_case(tmp_path: Path) -> None:
    reduced = (REPO / "lit-tests" / "instcombine-fshl-range" / "reduced.c").read_text()
    assert _script_on("instcombine-fshl-range", reduced, tmp_path) == 0


# Signed overflow: -O0 wraps (prints 0), -O2 folds x + 1 > x to 1. No compiler bug.
OVERFLOW = """#include <stdio.h>
int big = 2147483647;
int f(int x) { return x + 1 > x; }
int main(void) { printf("%d\\n", f(big)); return 0; }
"""


@needs_clangs
def test_miscompile_script_screens_ubsan_after_the_difference(tmp_path: Path) -> None:
    assert _script_on("instcombine-fshl-range", OVERFLOW, tmp_path) == 1
    assert (tmp_path / "affected.ref2.rc").is_file()  # the difference was seen
    assert "runtime error:" in (tmp_path / "affected.san.err").read_text()
    assert not (tmp_path / "affected.msan").exists()  # UBSan decided, MSan never built


@needs_clangs
def test_miscompile_script_runs_the_warnings_screen_with_the_reference_build(
    tmp_path: Path,
) -> None:
    text = OVERFLOW + "int g(void) {}\n"  # missing return: -Werror=return-type
    assert _script_on("instcombine-fshl-range", text, tmp_path) == 1
    assert "[-Werror,-Wreturn-type]" in (tmp_path / "affected.ref.log").read_text()
    assert not (tmp_path / "affected.bad").exists()  # refused before the bad build


@needs_clangs
def test_asm_script_wants_the_affected_match_only(tmp_path: Path) -> None:
    reduced = (REPO / "lit-tests" / "x86-fp80-pow2-asm" / "reduced.c").read_text()
    assert _script_on("x86-fp80-pow2-asm", reduced, tmp_path) == 0
    plain = "long double f(unsigned n) { return 1000.0L / n; }\n"
    assert _script_on("x86-fp80-pow2-asm", plain, tmp_path / "plain") == 1
