"""No compile the product runs leaves clang's crash reproducers (a preprocessed .c and a
.sh per crash) in $TMPDIR: each test points TMPDIR at a private directory, makes clang
crash through a product path, and finds the directory empty afterwards (reduce's own
private directories are removed when it ends)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.emit.ir_gen import generate_ir
from reducer.errors import CompilerError
from tests.conftest import require_tool

pytestmark = pytest.mark.compilers

# Crashes clang 19 and 22 in Sema (InitializationSequence::Perform), with -c too.
CRASHES_CLANG = "a = {{},0x68EFL};\n"


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    yield tmp
    tempfile.tempdir = None


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "crash.c"
    source.write_text(CRASHES_CLANG)
    return source


def test_the_input_crashes_clang_and_clang_litters_without_the_flag(
    tmp_path: Path, private_tmp: Path
) -> None:
    """The premise: clang-19 crashes on the input and, left alone, writes reproducers."""
    clang = require_tool("clang-19", "clang-19")
    source = _source(tmp_path)
    result = subprocess.run(
        [clang, "-c", source.name, "-o", "crash.o"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        env={**os.environ, "TMPDIR": str(private_tmp)},
        check=False,
    )
    assert result.returncode != 0 and b"PLEASE submit a bug report" in result.stderr
    assert sorted(p.suffix for p in private_tmp.iterdir()) == [".c", ".sh"]


def test_a_driver_compile_leaves_nothing(tmp_path: Path, private_tmp: Path) -> None:
    require_tool("clang-19", "clang-19")
    source = _source(tmp_path)
    command = CompileCommand.from_user(["clang-19", "-c"], 60.0, tmp_path)
    result = command.compile(source, tmp_path / "crash.o")
    assert result.returncode != 0
    (tmp_path / "ir").mkdir()
    with pytest.raises(CompilerError):
        generate_ir(["clang-19", "-c"], source, tmp_path / "ir", 60.0)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("oracle", ["crash", "r_x86_64_32s", "miscompile"])
def test_reduce_leaves_nothing(tmp_path: Path, oracle: str) -> None:
    """A whole run: the crash oracle reduces the crash; a relocation or the miscompile
    oracle stops on it (the compiler fails on the original)."""
    require_tool("clang-19", "clang-19")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    source = _source(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "reducer", "-q", "--oracle", oracle, str(source), "--", "clang-19", "-c"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(tmp)},
        check=False,
    )
    expected = 0 if oracle == "crash" else 5
    assert result.returncode == expected, result.stderr
    assert list(tmp.iterdir()) == []


def test_a_killed_compile_and_link_leaves_its_object_in_the_private_directory(
    tmp_path: Path, private_tmp: Path
) -> None:
    """clang -o exe input.c keeps input-XXXXXX.o in $TMPDIR until it links: a build that
    is killed (a timeout, a cancelled speculative candidate) left them in /tmp (measured:
    ~80 in a session of miscompile runs). The miscompile oracle's builds point TMPDIR at
    the candidate's directory, as every compile does."""
    from reducer.compiler import private_env
    from reducer.process import run_program

    require_tool("clang-19", "clang-19")
    work = tmp_path / "candidate"
    work.mkdir()
    # Big enough that -O2 takes longer than the timeout.
    body = "".join(f"int f{i}(int x) {{ return x * {i} + (x >> 3); }}\n" for i in range(20000))
    (work / "input.c").write_text(body + "int main(void) { return f1(2); }\n")
    argv = ["clang-19", "-O2", "-o", str(work / "a.exe"), str(work / "input.c")]
    killed = run_program(argv, timeout=0.5, cwd=work, env=private_env(work))
    assert killed.timed_out, "the build finished before it could be killed: make it bigger"
    assert list(private_tmp.iterdir()) == []  # nothing in the TMPDIR the test set


def test_the_miscompile_builds_run_with_the_private_tmpdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reducer.oracles import miscompile
    from reducer.process import ProcessResult

    seen: list[dict[str, str] | None] = []

    def fake_run(argv, *, timeout, cwd=None, env=None, stdin=None):  # type: ignore[no-untyped-def]
        seen.append(env)
        return ProcessResult(tuple(argv), 1, b"", b"", 0.0)

    monkeypatch.setattr(miscompile, "run_program", fake_run)
    oracle = miscompile.make_miscompile_oracle(
        miscompile.OracleSpec.parse("miscompile"), CompileCommand(("clang-19", "-O2", "-c"))
    )
    candidate = tmp_path / "input.c"
    candidate.write_text("int main(void) { return 0; }\n")
    oracle.build(("clang-19", "-O2"), candidate, "bad")
    assert seen and seen[0] is not None and seen[0]["TMPDIR"] == str(tmp_path.absolute())
