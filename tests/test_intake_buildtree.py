"""End to end from a real (small, kernel-like) build tree, tests/buildtree.py: the
purgatory's command pasted from ``make``, from compile_commands.json (``bear -- make``),
from its Kbuild ``.o.cmd`` and found automatically; with the live clang-19 bug
(R_X86_64_32S for an explicit-section global at -O0 in the large code model).

Every run starts from an unrelated current directory, writes its output outside the tree,
and the tree's files are hashed before and after: nothing may be written into it.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.oracles import OracleSpec
from tests.buildtree import PURGATORY, build_tree, make_command, tree_digest, write_tree
from tests.conftest import require_tool

pytestmark = [pytest.mark.compilers, pytest.mark.slow]

# The flags the bug needs, measured (the tree's command has 58 flag units):
# - --target=x86_64-linux-gnu: never dropped (the bug is for that target);
# - -mcmodel=large: in the default small model clang-19 stores the address with movabsq
#   (R_X86_64_64). The tree-wide -mcmodel=kernel would show R_X86_64_32S too (correctly,
#   for that model), but it comes first in the command and goes in the first halving;
# - -fno-pic: Debian's clang defaults to PIE, and PIC large-model code reaches the global
#   through the GOT (R_X86_64_GOTOFF64), never with an absolute 32-bit relocation;
# - no -O: the bug is at -O0, the default. -O2 (tree-wide) and -O0 (the purgatory's) both
#   go: -O0 alone leaves -O2 in effect, where clang-19 uses R_X86_64_64;
# - -c: never dropped. Everything else (-nostdinc, -I, -include, -D, -W, -std, -m, -f,
#   -g) the reduced, self-contained file does not need.
MINIMAL_FLAGS = ["--target=x86_64-linux-gnu", "-mcmodel=large", "-fno-pic", "-c"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("clang-19", "clang-19")
    require_tool("make", "make")
    require_tool("bear", "bear")
    top = write_tree(tmp_path_factory.mktemp("build") / "linux")
    build_tree(top)
    assert (top / "compile_commands.json").is_file()
    assert (top / "arch/x86/purgatory/.purgatory.o.cmd").is_file()
    return top


@pytest.fixture(scope="module")
def kbuild_only_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same tree built with plain make: .o.cmd files, no compile_commands.json."""
    require_tool("make", "make")
    top = write_tree(tmp_path_factory.mktemp("build") / "linux")
    subprocess.run(["make", "-s"], cwd=top, check=True, capture_output=True)
    assert not (top / "compile_commands.json").exists()
    return top


def reduce_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reducer", *args], cwd=cwd, capture_output=True, text=True
    )


def still_shows_the_bug(argv: list[str], source: Path, workdir: Path) -> bool:
    """``source`` compiled alone in an empty directory with ``argv`` (no include paths)."""
    workdir.mkdir()
    copy = workdir / source.name
    shutil.copyfile(source, copy)
    command = CompileCommand.from_user(argv)
    return OracleSpec.parse("r_x86_64_32s").build(command).check(copy).interesting


INTAKES = {
    "pasted make command": lambda top: ["-C", str(top), "--", *make_command(top)],
    "-p": lambda top: ["-p", str(top)],
    "--kbuild-cmd": lambda top: ["--kbuild-cmd", str(top / "arch/x86/purgatory/.purgatory.o.cmd")],
    "found compile_commands.json": lambda top: [],
}


def run_reduction(top: Path, intake: list[str], tmp_path: Path) -> tuple[dict[str, object], Path]:
    before = tree_digest(top)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    out = tmp_path / "out" / "purgatory.reduced.c"
    out.parent.mkdir()
    # The intake's own options go before FILE, a pasted command after it.
    cut = intake.index("--") if "--" in intake else len(intake)
    words, after_dash = intake[:cut], intake[cut:]
    result = reduce_cli(
        ["--oracle", "r_x86_64_32s", "-q", "--json", "-j", "2", "-o", str(out), *words,
         str(top / PURGATORY), *after_dash],
        elsewhere,
    )
    assert result.returncode == 0, result.stderr
    assert tree_digest(top) == before, "something was written into the build tree"
    assert list(elsewhere.iterdir()) == [], "something was written into the current directory"
    return json.loads(result.stdout), out


@pytest.mark.parametrize("how", sorted(INTAKES))
def test_reduce_from_the_build_tree(how: str, tree: Path, tmp_path: Path) -> None:
    summary, out = run_reduction(tree, INTAKES[how](tree), tmp_path)
    minimal = summary["minimal_command"]
    assert isinstance(minimal, list)
    assert Path(minimal[0]).name == "clang-19"  # bear records /usr/bin/clang-19
    assert minimal[1:] == MINIMAL_FLAGS
    assert out.with_suffix(".cmd").read_text() == shlex.join([*minimal, str(out)]) + "\n"
    reduced = out.read_text()
    # Headers inlined without --preprocess: nothing left to include, so it stands alone.
    assert "#include" not in reduced
    assert "kexec-purgatory" not in reduced or "section" in reduced
    assert still_shows_the_bug(minimal, out, tmp_path / "alone")
    assert summary["final_bytes"] < 150  # type: ignore[operator]


def test_reduce_finds_the_kbuild_cmd_next_to_the_source(
    kbuild_only_tree: Path, tmp_path: Path
) -> None:
    summary, out = run_reduction(kbuild_only_tree, [], tmp_path)
    assert summary["minimal_command"] == ["clang-19", *MINIMAL_FLAGS]
    assert "#include" not in out.read_text()


def test_keep_flags_writes_no_command_file(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "kept.c"
    result = reduce_cli(
        ["--oracle", "r_x86_64_32s", "-q", "--json", "--keep-flags", "-o", str(out),
         "--skip-pass", "tokens", "--skip-pass", "balanced", "-p", str(tree), str(tree / PURGATORY)],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["minimal_command"] is None
    assert not out.with_suffix(".cmd").exists()


def explain(top: Path, words: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return reduce_cli(["explain", "--oracle", "r_x86_64_32s", *words], cwd)


@pytest.mark.parametrize(
    "extra",
    [
        ["-MD", "-MF", "deps/purgatory.d"],  # a depfile in a directory only the tree has
        ["-MMD", "-MT", "x", "-MP"],
        ["-save-temps"],  # would write purgatory.i/.bc/.s into the current directory
        ["-save-temps=obj", "-ftime-trace", "-gsplit-dwarf"],
        ["--serialize-diagnostics", "arch/x86/purgatory/.purgatory.dia"],
    ],
)
def test_pasted_commands_that_write_files(extra: list[str], tree: Path, tmp_path: Path) -> None:
    before = tree_digest(tree)
    command = make_command(tree)
    pasted = [*command[:-1], *extra, command[-1]]
    result = explain(tree, ["-C", str(tree), str(tree / PURGATORY), "--", *pasted], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "verdict: INTERESTING" in result.stdout
    note = next(line for line in result.stderr.splitlines() if "removed from the command" in line)
    assert all(word in note for word in extra), note  # it says what it took out
    assert tree_digest(tree) == before
    assert list(tmp_path.iterdir()) == []


def test_relative_paths_are_from_the_command_directory(tree: Path, tmp_path: Path) -> None:
    pasted = make_command(tree)  # -I./include, -include ./include/linux/kconfig.h, ...
    with_c = explain(tree, ["-C", str(tree), str(tree / PURGATORY), "--", *pasted], tmp_path)
    assert with_c.returncode == 0, with_c.stderr
    # Run from elsewhere without -C, the same words name nothing: the original fails.
    without = explain(tree, [str(tree / PURGATORY), "--", *pasted], tmp_path)
    assert without.returncode == 5
    assert "cannot compile" in without.stderr or "failed" in without.stderr


def test_matrix_from_the_database(tree: Path, tmp_path: Path) -> None:
    require_tool("clang-22", "clang-22")
    result = reduce_cli(["matrix", "--oracle", "r_x86_64_32s", "-p", str(tree), str(tree / PURGATORY)], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[2:]}
    assert "AFFECTED" in rows["clang-19"]
    assert "not affected" in rows["clang-22"]


def test_the_default_result_goes_to_the_current_directory_not_the_build_tree(
    tree: Path, tmp_path: Path
) -> None:
    """Without -o the result and its .cmd would go next to the input, which is in the
    build tree the compile command came from: they go to the current directory."""
    before = tree_digest(tree)
    here = tmp_path / "here"
    here.mkdir()
    result = reduce_cli(
        ["--oracle", "r_x86_64_32s", "-q", "--skip-pass", "tokens", "--skip-pass", "balanced",
         "-p", str(tree), str(tree / PURGATORY)],
        here,
    )
    assert result.returncode == 0, result.stderr
    assert tree_digest(tree) == before, "something was written into the build tree"
    assert sorted(p.name for p in here.iterdir()) == ["purgatory.reduced.c", "purgatory.reduced.cmd"]


@pytest.mark.parametrize("option", ["-o", "--emit"])
def test_nothing_is_written_into_the_build_tree_on_request(
    option: str, tree: Path, tmp_path: Path
) -> None:
    before = tree_digest(tree)
    inside = tree / "arch/x86/purgatory" / ("out.c" if option == "-o" else "tests")
    extra = ["--good-cc", "clang-22"] if option == "--emit" else []
    result = reduce_cli(
        ["--oracle", "r_x86_64_32s", "-q", option, str(inside), *extra, "-p", str(tree),
         str(tree / PURGATORY)],
        tmp_path,
    )
    assert result.returncode == 6, result.stderr
    assert "in the build tree" in result.stderr and len(result.stderr.splitlines()) == 1
    assert tree_digest(tree) == before
