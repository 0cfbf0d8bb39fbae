"""The pure clean-up of a pasted compile command (reducer.intake.commandline) and the
path handling it relies on (absolute_paths / CompileCommand.from_user with a directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.compiler import CompileCommand, absolute_paths
from reducer.intake.commandline import clean_command


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "f.c").write_text("int x;\n")
    return tmp_path


def clean(words: str, tree: Path, source: str = "src/f.c") -> tuple[list[str], list[str]]:
    result = clean_command(words.split(), tree / source, tree)
    return list(result.argv), list(result.removed)


def test_output_and_source_go_and_c_stays_once(tree: Path) -> None:
    argv, removed = clean("clang -O0 -c -o src/f.o src/f.c -c", tree)
    assert argv == ["clang", "-O0", "-c"]
    assert removed == ["-o src/f.o", "src/f.c", "-c (repeated)"]


def test_joined_output_and_absolute_source(tree: Path) -> None:
    argv, removed = clean(f"clang -c -osrc/f.o {tree}/src/f.c", tree)
    assert argv == ["clang", "-c"]
    assert removed == ["-osrc/f.o", f"{tree}/src/f.c"]


def test_source_seen_from_the_command_directory_not_ours(tree: Path) -> None:
    # `f.c` relative to src/ (where the command ran) is the file; `../f.c` is not.
    result = clean_command(["clang", "-c", "f.c"], tree / "src" / "f.c", tree / "src")
    assert result.argv == ("clang", "-c")


def test_a_copy_of_the_source_elsewhere_is_still_recognised(tree: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy" / "f.c"
    copy.parent.mkdir()
    copy.write_text("int x;\n")
    result = clean_command(["clang", "-c", "src/f.c"], copy, tree)
    assert result.argv == ("clang", "-c")


def test_missing_c_is_added_and_said(tree: Path) -> None:
    result = clean_command(["clang", "-O2", "src/f.c"], tree / "src/f.c", tree)
    assert result.argv == ("clang", "-O2", "-c")
    assert result.describe() == "removed from the command: src/f.c; added: -c"


def test_flag_values_are_not_taken_for_the_source(tree: Path) -> None:
    argv, removed = clean("clang -include src/f.c -x c -c src/f.c", tree)
    assert argv == ["clang", "-include", "src/f.c", "-x", "c", "-c"]
    assert removed == ["src/f.c"]


@pytest.mark.parametrize(
    "flags",
    [
        "-MD -MF deps/f.d -MT f.o -MQ f.o -MP",
        "-MMD -MFdeps/f.d -MTf.o",
        "-M -MM -MG -MJ db/f.json",
        "-save-temps -save-temps=obj --save-temps",
        "-ftime-trace -ftime-trace=t.json -ftime-trace-granularity=10",
        "-fdump-record-layouts -fsave-optimization-record -fsave-optimization-record=yaml",
        "-foptimization-record-file=r.yaml -foptimization-record-passes=inline",
        "-gsplit-dwarf -gsplit-dwarf=single --serialize-diagnostics d.dia",
        "-fcrash-diagnostics-dir=crash",
    ],
)
def test_flags_that_write_files_go(tree: Path, flags: str) -> None:
    argv, removed = clean(f"clang -O1 {flags} -c", tree)
    assert argv == ["clang", "-O1", "-c"]
    assert " ".join(removed) == flags


def test_only_the_depfile_part_of_a_wp_list_goes(tree: Path) -> None:
    argv, removed = clean("clang -Wp,-MMD,dir/.f.o.d -Wp,-DX=1,-MD,a.d,-UY -Wp,-MP -c", tree)
    assert argv == ["clang", "-Wp,-DX=1,-UY", "-c"]
    assert removed == ["-Wp,-MMD,dir/.f.o.d", "-Wp,-MD,a.d", "-Wp,-MP"]


def test_flags_that_only_read_or_change_code_stay(tree: Path) -> None:
    words = "clang -fprofile-instr-generate -fstack-usage -Wall -DA=-o -g -c"
    argv, removed = clean(words, tree)
    assert argv == words.split()
    assert removed == []


def test_relative_paths_resolve_against_the_command_directory(tmp_path: Path) -> None:
    flags = ["-I./include", "-isystem", "sys", "-include", "cfg.h", "-Wall", "-I/abs"]
    assert absolute_paths(flags, tmp_path) == [
        f"-I{tmp_path}/include",
        "-isystem",
        f"{tmp_path}/sys",
        "-include",
        f"{tmp_path}/cfg.h",
        "-Wall",
        "-I/abs",
    ]


def test_from_user_takes_paths_and_a_relative_program_from_the_directory(
    tmp_path: Path, clang19: str
) -> None:
    import shutil

    bin_dir = tmp_path / "tools"
    bin_dir.mkdir()
    (bin_dir / "cc").symlink_to(shutil.which(clang19) or clang19)
    command = CompileCommand.from_user(["tools/cc", "-Iinc", "-c"], directory=tmp_path)
    assert command.argv == (f"{tmp_path}/tools/cc", f"-I{tmp_path}/inc", "-c")
