"""`reduce emit --llvm-project DIR [--into FILE] [--diff-only]`: upstream paths, splicing a
reduced test into an existing llc test, diffs, refusals (reducer.emit.upstream and
reducer.emit.llvm_project)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reducer.emit import upstream, utc
from reducer.emit.utc_llc import update_test_with_llc
from reducer.errors import ExitCode, OutputError
from reducer.output import write_files

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "lit-tests" / "purgatory-O0-sha256" / "reduced.c"
COMPILE = ["clang-19", "--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
X86 = Path("llvm/test/CodeGen/X86")
INTO = "llvm/test/CodeGen/X86/code-model-elf.ll"

needs_llvm = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("clang-19", "clang-22", "llc-22", "FileCheck-22")),
    reason="needs clang-19, clang-22, llc-22 and FileCheck-22",
)

# --- pure splicing ----------------------------------------------------------------------

EXISTING = """\
; RUN: llc < %s -mtriple=x86_64 | FileCheck %s

@g = global i32 0
@x = external global i32

define i32 @f() #0 {
; CHECK-LABEL: f:
  ret i32 0
}

attributes #0 = { nounwind }
"""


def test_splice_renames_a_clashing_function_and_keeps_the_file() -> None:
    reduced = "define void @f() nounwind {\n; CHECK: old\n  ret void\n}\n"
    merge = upstream.splice(EXISTING, reduced)
    assert merge.renames == {"@f": "@f_1"}
    assert merge.functions == ["f_1"]
    assert "define void @f_1() nounwind {\n  ret void\n}" in merge.text
    assert "; CHECK: old" not in merge.text  # old checks go: the file is regenerated
    # inserted after the last function, before the attribute groups
    lines = merge.text.split("\n")
    assert lines[: merge.insert_line] == EXISTING.split("\n")[: merge.insert_line]
    assert merge.text.index("@f_1") < merge.text.index("attributes #0")
    assert merge.text.endswith("attributes #0 = { nounwind }\n")


def test_splice_shares_an_identical_global_and_renames_a_different_one() -> None:
    reduced = (
        "@x = external global i32\n@g = global i32 7\n\n"
        "define ptr @h() {\n  store i32 1, ptr @x\n  ret ptr @g\n}\n"
    )
    merge = upstream.splice(EXISTING, reduced)
    assert merge.shared == ["@x"]
    assert merge.renames == {"@g": "@g_1"}
    assert merge.text.count("@x = external global i32") == 1
    assert "@g_1 = global i32 7" in merge.text
    assert "ret ptr @g_1" in merge.text and "store i32 1, ptr @x\n" in merge.text


def test_an_identical_global_that_refers_to_a_renamed_one_is_renamed_too() -> None:
    existing = "@g = global i32 0\n@p = global ptr @g\n\ndefine void @k() {\n  ret void\n}\n"
    reduced = "@g = global i32 1\n@p = global ptr @g\n\ndefine ptr @q() {\n  ret ptr @p\n}\n"
    merge = upstream.splice(existing, reduced)
    assert merge.renames == {"@g": "@g_1", "@p": "@p_1"}
    assert "@p_1 = global ptr @g_1" in merge.text and "ret ptr @p_1" in merge.text


def test_rename_is_by_whole_token() -> None:
    text = "call void @a(ptr @ab, ptr @a.b, ptr @a)"
    assert upstream.rename(text, {"@a": "@a_1"}) == "call void @a_1(ptr @ab, ptr @a.b, ptr @a_1)"
    assert upstream.rename("#1 #10", {"#1": "#2"}) == "#2 #10"


def test_suffix_skips_taken_names() -> None:
    existing = "define void @f() {\n  ret void\n}\n\ndefine void @f_1() {\n  ret void\n}\n"
    merge = upstream.splice(existing, "define void @f() {\n  ret void\n}\n")
    assert merge.renames == {"@f": "@f_2"}


def test_intrinsics_are_shared_and_attribute_groups_renumbered() -> None:
    existing = EXISTING.replace(
        "@x = external global i32\n",
        "@x = external global i32\ndeclare void @llvm.trap() #0\n",
    )
    reduced = (
        "declare void @llvm.trap() #1\n\n"
        "define void @t() #0 {\n  call void @llvm.trap()\n  ret void\n}\n\n"
        "attributes #0 = { noinline }\nattributes #1 = { nounwind }\n"
    )
    merge = upstream.splice(existing, reduced)
    assert merge.text.count("declare void @llvm.trap()") == 1
    # #1 is identical to the file's #0; #0 is new and takes the next free number
    assert "define void @t() #1 {" in merge.text
    assert "attributes #1 = { noinline }" in merge.text
    assert merge.text.count("attributes #0 = { nounwind }") == 1


def test_splice_refuses_metadata() -> None:
    reduced = "define void @t() {\n  ret void, !dbg !0\n}\n!0 = !{}\n"
    with pytest.raises(upstream.MergeError, match="metadata"):
        upstream.splice(EXISTING, reduced)


def test_description_leaves_out_foreign_prefixes_and_the_c_source() -> None:
    test = (
        "; NOTE: x\n; RUN: llc < %s | FileCheck %s --check-prefix=LARGE-STATIC\n\n"
        "; Code must use R_X86_64_64.\n; LARGE-STATIC is the bug's configuration.\n;\n"
        "; Generated from this C source:\n; int a;\n\n@a = global i32 0\n"
    )
    assert upstream.description(test, ["LARGE-STATIC"]) == ["Code must use R_X86_64_64."]


def test_comment_follows_renamed_long_names_only() -> None:
    existing = "@buffer = global i32 0\n\ndefine void @a() {\n  ret void\n}\n"
    reduced = "@buffer = global i32 1\n\ndefine ptr @a() {\n  ret ptr @buffer\n}\n"
    merge = upstream.splice(existing, reduced, ["a load of buffer"])
    assert "; a load of buffer_1" in merge.text


def test_unified_diff_new_and_changed() -> None:
    new = upstream.unified_diff(None, "a\nb\n", "llvm/test/CodeGen/X86/t.ll")
    assert new.startswith("--- /dev/null\n+++ b/llvm/test/CodeGen/X86/t.ll\n@@ -0,0 +1,2 @@\n")
    changed = upstream.unified_diff("a\n", "a\nb\n", "x.ll")
    assert changed.startswith("--- a/x.ll\n+++ b/x.ll\n")
    assert changed.endswith("+b\n")


def test_placed_files_are_written_all_or_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.ll"
    good.write_text("old\n")
    with pytest.raises(OutputError):
        write_files({good: "new\n", tmp_path / "missing" / "t.ll": "x\n"})
    assert good.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.ll"]  # no temp file left
    write_files({good: "new\n"})
    assert good.read_text() == "new\n"


# --- the CLI on a stand-in llvm-project tree ----------------------------------------------

FIXTURE = """\
; NOTE: Assertions have been autogenerated by utils/update_llc_test_checks.py UTC_ARGS: --version 6
; RUN: llc < %s -mtriple=x86_64 -relocation-model=static -code-model=small | FileCheck %s --check-prefixes=CHECK,SMALL
; RUN: llc < %s -mtriple=x86_64 -relocation-model=static -code-model=large | FileCheck %s --check-prefixes=CHECK,LARGE

; A stand-in for llvm/test/CodeGen/X86/code-model-elf.ll.

@global_data = dso_local global [10 x i32] [i32 1, i32 2, i32 0, i32 0, i32 0, i32 0, i32 0, i32 0, i32 0, i32 0], align 16
{extra_globals}
define dso_local ptr @lea_global_data() #0 {{
  ret ptr @global_data
}}

define dso_local i32 @{clash}() #0 {{
  %v = load i32, ptr getelementptr inbounds (i8, ptr @global_data, i64 8)
  ret i32 %v
}}

attributes #0 = {{ noinline nounwind }}
"""


def run_emit(*options: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "reducer", "emit", str(SOURCE), "--oracle", "r_x86_64_32s"]
    argv += ["--fixed-cc", "clang-22", *options, "--", *COMPILE]
    return subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=ROOT)


def make_tree(root: Path, *, clang: bool = False) -> Path:
    (root / X86).mkdir(parents=True)
    if clang:
        (root / "clang/test/CodeGen").mkdir(parents=True)
    return root


def defined_functions(text: str) -> list[str]:
    return [n for n in map(utc.ir_function_name, text.split("\n")) if n]


def without_checks(text: str) -> list[str]:
    return [
        line
        for line in text.split("\n")
        if not (line.startswith(";") and utc.check_prefix_of(line) in {"CHECK", "SMALL", "LARGE"})
        and line.strip() != ";"
        and utc.UNUSED_NOTE not in line
    ]


def filecheck_every_run_line(test: Path) -> None:
    """The suite's way: llc < file | FileCheck file, per RUN line, with LLVM 22."""
    for run in utc.llc_run_lines(test.read_text()):
        command = run.command.replace("%s", str(test))
        command = re.sub(r"^llc\b", "llc-22", command).replace("| FileCheck ", "| FileCheck-22 ")
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stderr)


@pytest.fixture(scope="module")
def new_test(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = make_tree(tmp_path_factory.mktemp("llvm-project"), clang=True)
    return root, run_emit("--llvm-project", str(root), "--name", "purgatory-sha")


@needs_llvm
def test_llvm_project_writes_new_tests_at_their_upstream_paths(
    new_test: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    root, done = new_test
    assert done.returncode == ExitCode.OK, done.stderr
    ll = root / X86 / "purgatory-sha.ll"
    c = root / "clang/test/CodeGen/purgatory-sha.c"
    assert ll.is_file() and c.is_file()
    diff = done.stdout[done.stdout.index("--- /dev/null") :]
    assert diff.startswith("--- /dev/null\n+++ b/llvm/test/CodeGen/X86/purgatory-sha.ll\n")
    assert "+++ b/clang/test/CodeGen/purgatory-sha.c\n" in diff
    added = [
        line[1:] for line in diff.split("\n") if line.startswith("+") and not line.startswith("+++")
    ]
    assert "\n".join(added).startswith(ll.read_text().split("\n", 1)[0])
    filecheck_every_run_line(ll)
    # nothing beside the two tests
    assert sorted(p.name for p in (root / X86).iterdir()) == ["purgatory-sha.ll"]


@needs_llvm
def test_into_adds_the_function_and_regenerates_every_run_line(
    new_test: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    emitted = (new_test[0] / X86 / "purgatory-sha.ll").read_text()
    name = defined_functions(emitted)[0]
    globals_ = "\n".join(line for line in emitted.split("\n") if line.startswith("@"))
    # The fixture holds a function of the reduced one's name and the same global, and its
    # checks come from llc-22 so that only the added function's checks are new.
    fixture = update_test_with_llc(
        FIXTURE.format(clash=name, extra_globals=globals_ + "\n"), "llc-22", 60
    )
    root = make_tree(tmp_path / "llvm-project")
    target = root / INTO
    target.write_text(fixture)

    dry = run_emit("--llvm-project", str(root), "--into", INTO, "--diff-only")
    assert dry.returncode == ExitCode.OK, dry.stderr
    assert "not written (--diff-only)" in dry.stdout
    assert target.read_text() == fixture

    done = run_emit("--llvm-project", str(root), "--into", INTO)
    assert done.returncode == ExitCode.OK, done.stderr
    merged = target.read_text()
    assert defined_functions(merged) == ["lea_global_data", name, f"{name}_1"]
    assert f"@{name} -> @{name}_1" in done.stdout
    for line in globals_.split("\n"):
        assert merged.count(line) == 1  # the identical global is shared, not repeated
    # Both RUN lines got checks for the added function.
    assert f"; SMALL-LABEL: {name}_1:" in merged and f"; LARGE-LABEL: {name}_1:" in merged
    # Everything before the insertion point (the end of the last function) is unchanged
    # but for check lines; here the fixture's own checks are llc-22's too, so even they are
    # byte-identical. What followed the last function follows the added IR.
    head, tail = fixture.split("\nattributes #0", 1)
    assert without_checks(merged[: len(head)]) == without_checks(head)
    assert merged.startswith(head)
    assert merged.endswith("\nattributes #0" + tail)
    # The diff is the change, and removes nothing.
    diff = done.stdout[done.stdout.index(f"--- a/{INTO}") :]
    assert diff.startswith(f"--- a/{INTO}\n+++ b/{INTO}\n@@ ")
    assert not [line for line in diff.split("\n")[2:] if line.startswith("-")]
    assert dry.stdout[dry.stdout.index(f"--- a/{INTO}") :] == diff
    # lit on the merged file: fails on the affected llc, passes on the fixed one.
    assert re.search(r"code-model-elf\.ll \| fixed: llvm-22 .* PASS +\| yes", done.stdout)
    filecheck_every_run_line(target)


def refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == ExitCode.USAGE, (done.stdout, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr


def test_refuses_a_tree_without_x86_tests(tmp_path: Path) -> None:
    refused(run_emit("--llvm-project", str(tmp_path)), "no llvm/test/CodeGen/X86")
    assert list(tmp_path.iterdir()) == []


def test_refuses_an_existing_target_without_into(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / X86 / "reduced.ll").write_text("keep\n")
    refused(run_emit("--llvm-project", str(root)), "use --into llvm/test/CodeGen/X86/reduced.ll")
    assert (root / X86 / "reduced.ll").read_text() == "keep\n"


def test_refuses_into_without_llvm_project(tmp_path: Path) -> None:
    refused(run_emit("--out", str(tmp_path), "--into", INTO), "--into needs --llvm-project")
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_clang_into_and_a_path_outside(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "llvm-project", clang=True)
    (root / "clang/test/CodeGen/t.c").write_text("x\n")
    refused(run_emit("--llvm-project", str(root), "--into", "clang/test/CodeGen/t.c"), "only .ll")
    (tmp_path / "outside.ll").write_text("x\n")
    refused(run_emit("--llvm-project", str(root), "--into", "../outside.ll"), "inside it")


def test_refuses_out_with_llvm_project(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "llvm-project")
    refused(run_emit("--llvm-project", str(root), "--out", str(tmp_path / "o")), "exclude")
