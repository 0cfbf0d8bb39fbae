"""Region markers (reducer.passes.markers): lines that only invoke a pragma-making macro
stay, as items of their own, in the focus cut."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.passes.focus import FocusPass
from reducer.passes.markers import marker_line, pragma_macros

# CRoaring's shape: the push and pop are defined in a header the text only includes, and
# a region holds several functions, the first one glued to the push.
HEADER = """#define REGION(T) _Pragma(T)
#define TARGET_AVX2 REGION("clang attribute push(__attribute__((target(\\"avx2\\"))), apply_to=function)")
#define UNTARGET_AVX2 _Pragma("clang attribute pop")
#define EXPORT __attribute__((visibility("default")))
"""
TEXT = """#include "regions.h"
int table[4] __attribute__((section(".kexec-purgatory")));
int later(int x);

TARGET_AVX2
int first(int x) { return x * 2; }

int second(int x) { return later(x) + table[x]; }
UNTARGET_AVX2

int later(int x) { return x - 1; }

EXPORT
int third(int x) { return x - 1; }
"""


def test_pragma_macros_follow_the_definitions() -> None:
    found = pragma_macros(HEADER + "#define PLAIN 1\n#define USES_TARGET TARGET_AVX2 int\n")
    assert found.names == {"REGION", "TARGET_AVX2", "UNTARGET_AVX2", "USES_TARGET"}
    # which of them push and which pop, through the macros they use
    assert found.pushing == {"TARGET_AVX2", "USES_TARGET"}
    assert found.popping == {"UNTARGET_AVX2"}


def test_a_marker_line_is_the_invocation_alone_on_its_line() -> None:
    pattern = marker_line(frozenset({"TARGET_AVX2", "REGION"}))
    assert pattern is not None
    assert pattern.match("TARGET_AVX2\nint f(void);")
    assert pattern.match('REGION("x") // why\n')
    assert not pattern.match("TARGET_AVX2 int f(void);\n")
    assert not pattern.match("TARGET_AVX2X\n")
    assert marker_line(frozenset()) is None


def test_the_focus_cut_keeps_a_regions_markers_and_compiles(tmp_path: Path, clang19: str) -> None:
    (tmp_path / "regions.h").write_text(HEADER)
    command = CompileCommand.from_user([clang19, "-O0", "-c"], source_dir=tmp_path)
    markers = pragma_macros(command.macro_definitions(TEXT, "roaring.c")).names
    assert {"TARGET_AVX2", "UNTARGET_AVX2"} <= markers and "EXPORT" not in markers

    def compiles(text: str) -> bool:
        (tmp_path / "cut.c").write_text(text)
        argv = [clang19, "-O0", "-c", "-o", str(tmp_path / "cut.o"), str(tmp_path / "cut.c")]
        return subprocess.run(argv, capture_output=True, timeout=60).returncode == 0

    with_markers = next(iter(FocusPass(frozenset({"second"}), markers=markers).candidates(TEXT)))
    assert "first" not in with_markers.text and "third" not in with_markers.text
    assert "TARGET_AVX2" in with_markers.text and "UNTARGET_AVX2" in with_markers.text
    assert compiles(with_markers.text)
    # Without them the push went with `first` and the pop stayed with `later`: the cut
    # did not compile.
    without = next(iter(FocusPass(frozenset({"second"})).candidates(TEXT)))
    assert not compiles(without.text)


def test_the_pragmas_pass_removes_marker_lines_all_at_once_then_by_pairs() -> None:
    from reducer.passes.pragmas import RemovePragmasPass

    macros = pragma_macros(HEADER)
    text = "TARGET_AVX2\nint f(void);\nUNTARGET_AVX2\nTARGET_AVX2\nint g(void);\nUNTARGET_AVX2\n"
    candidates = [c.text for c in RemovePragmasPass(macros).candidates(text)]
    assert candidates == [
        "int f(void);\nint g(void);\n",
        "int f(void);\nTARGET_AVX2\nint g(void);\nUNTARGET_AVX2\n",
        "TARGET_AVX2\nint f(void);\nUNTARGET_AVX2\nint g(void);\n",
    ]
