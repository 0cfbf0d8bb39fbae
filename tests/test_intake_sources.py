"""Where a compile command comes from: compile_commands.json, Kbuild .o.cmd files, the
CLI's precedence, and the bad inputs (one line, exit 2, nothing written)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reducer.errors import UsageError
from reducer.intake import compdb, kbuild
from reducer.intake.options import add_intake_arguments, resolve_intake


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "tree" / "lib" / "f.c"
    path.parent.mkdir(parents=True)
    path.write_text("int x;\n")
    return path


def write_db(directory: Path, entries: list[dict[str, object]]) -> Path:
    path = directory / "compile_commands.json"
    path.write_text(json.dumps(entries))
    return path


def namespace(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_intake_arguments(parser)
    return parser.parse_args(list(words))


def test_database_entry_by_arguments_or_by_command(source: Path) -> None:
    tree = source.parent.parent
    db = write_db(
        tree,
        [
            {"directory": str(tree), "file": "lib/other.c", "arguments": ["cc", "-c", "lib/other.c"]},
            {"directory": str(tree), "file": "lib/f.c", "command": "cc -DX='\"a b\"' -c lib/f.c"},
        ],
    )
    found = compdb.command_for(db, source)
    assert found is not None
    assert found.argv == ("cc", '-DX="a b"', "-c", "lib/f.c")
    assert found.directory == tree


def test_database_directory_relative_to_the_database(source: Path) -> None:
    tree = source.parent.parent
    db = write_db(tree, [{"directory": "lib", "file": "f.c", "arguments": ["cc", "-c", "f.c"]}])
    found = compdb.command_for(db, source)
    assert found is not None and found.directory == tree / "lib"


def test_kbuild_saved_command_with_make_escaping(tmp_path: Path) -> None:
    cmd = tmp_path / "top" / "drivers" / "x" / ".y.o.cmd"
    cmd.parent.mkdir(parents=True)
    cmd.write_text(
        "savedcmd_drivers/x/y.o := clang -DNAME='\"y\"' -DCOST=$$5 -DHASH='\\#' -c -o "
        "drivers/x/y.o drivers/x/y.c\n\nsource_drivers/x/y.o := drivers/x/y.c\n"
    )
    found = kbuild.read_cmd_file(cmd)
    assert found.argv == (
        "clang", '-DNAME="y"', "-DCOST=$5", "-DHASH=#", "-c", "-o", "drivers/x/y.o", "drivers/x/y.c"
    )
    assert found.directory == tmp_path / "top"


def test_kbuild_old_style_cmd_line_and_top_level_object(tmp_path: Path) -> None:
    cmd = tmp_path / ".init.o.cmd"
    cmd.write_text("cmd_init.o := gcc -c -o init.o init.c\n")
    found = kbuild.read_cmd_file(cmd)
    assert found.argv[0] == "gcc" and found.directory == tmp_path


def test_kbuild_top_that_cannot_be_derived_asks_for_minus_c(tmp_path: Path) -> None:
    cmd = tmp_path / "elsewhere" / ".y.o.cmd"
    cmd.parent.mkdir()
    cmd.write_text("savedcmd_drivers/x/y.o := clang -c drivers/x/y.c\n")
    with pytest.raises(UsageError, match="-C DIR"):
        kbuild.read_cmd_file(cmd)
    assert kbuild.read_cmd_file(cmd, top=tmp_path).directory == tmp_path
    cmd.write_text("savedcmd_/abs/m/y.o := clang -c /abs/m/y.c\n")
    with pytest.raises(UsageError, match="absolute"):
        kbuild.read_cmd_file(cmd)


def test_precedence_double_dash_then_p_then_kbuild_then_detected(source: Path) -> None:
    tree = source.parent.parent
    write_db(tree, [{"directory": str(tree), "file": "lib/f.c", "arguments": ["db-cc", "-c"]}])
    cmd = source.parent / ".f.o.cmd"
    cmd.write_text("savedcmd_lib/f.o := kb-cc -c -o lib/f.o lib/f.c\n")
    pasted = resolve_intake(namespace("-p", str(tree)), ["cli-cc", "-c"], source)
    assert pasted is not None and pasted.argv == ("cli-cc", "-c")
    from_db = resolve_intake(namespace("-p", str(tree), "--kbuild-cmd", str(cmd)), [], source)
    assert from_db is not None and from_db.argv == ("db-cc", "-c")
    from_kbuild = resolve_intake(namespace("--kbuild-cmd", str(cmd)), [], source)
    assert from_kbuild is not None and from_kbuild.argv == ("kb-cc", "-c")
    assert from_kbuild.directory == tree
    detected = resolve_intake(namespace(), [], source)
    assert detected is not None and detected.argv == ("db-cc", "-c")
    (tree / "compile_commands.json").unlink()
    detected = resolve_intake(namespace(), [], source)
    assert detected is not None and detected.argv == ("kb-cc", "-c")
    assert resolve_intake(namespace(), [], source, auto_detect=False) is None


BAD_INPUTS = {
    "no entry": (lambda t: write_db(t, [{"directory": str(t), "file": "g.c", "command": "cc -c g.c"}]),
                 ["-p", "{tree}"], "compile_commands.json: no entry for"),
    "malformed JSON": (lambda t: (t / "compile_commands.json").write_text("[{"),
                       ["-p", "{tree}"], "compile_commands.json: not valid JSON"),
    "no database": (lambda t: None, ["-p", "{tree}"], "no compile_commands.json in that directory"),
    "no savedcmd": (lambda t: (t / "lib" / ".f.o.cmd").write_text("deps_lib/f.o := \\\n"),
                    ["--kbuild-cmd", "{tree}/lib/.f.o.cmd"], ".f.o.cmd: no 'savedcmd_<target> :='"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["reduce", "explain", "matrix"])
def test_bad_build_tree_input_is_one_line_and_exit_2(case: str, command: str, source: Path) -> None:
    tree = source.parent.parent
    setup, words, message = BAD_INPUTS[case]
    setup(tree)
    before = sorted(p.name for p in tree.rglob("*"))
    argv = [*([] if command == "reduce" else [command]), "--oracle", "r_x86_64_32s",
            *(w.format(tree=tree) for w in words), str(source)]
    # A real process: what the user sees is stderr and the exit status.
    run = subprocess.run([sys.executable, "-m", "reducer", *argv], capture_output=True, text=True)
    assert run.returncode == 2
    err = run.stderr
    assert len(err.splitlines()) == 1, err
    assert err.startswith("reduce: error: ") and message in err
    assert sorted(p.name for p in tree.rglob("*")) == before  # nothing written
