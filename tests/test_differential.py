"""The differential oracle wrapper: bad compiler shows it, good compiler does not."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.errors import CompilerNotFound, UsageError
from reducer.oracles import OracleSpec
from tests.conftest import need_compiler as need

LARGE = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
REPRODUCER = 'int a[1] __attribute__((section("x"))); void f(){int*p=a;}\n'


def command(compiler: str) -> CompileCommand:
    return CompileCommand.from_user([need(compiler), *LARGE])


def make_differential(oracle: str, main: CompileCommand | None, good_cc: list[str]):
    return OracleSpec.parse(oracle, good_cc=good_cc).for_reduction(main)


def good_command(main: CompileCommand, good_cc: list[str]) -> CompileCommand | None:
    return OracleSpec.parse("abs32", good_cc=good_cc).good_command(main)


def candidate(tmp_path: Path) -> Path:
    path = tmp_path / "r.c"
    path.write_text(REPRODUCER)
    return path


@pytest.mark.compilers
@pytest.mark.parametrize("spec", ["abs32", "r_x86_64_32s", "kexec-overflow"])
def test_clang19_vs_clang22_is_interesting(tmp_path: Path, spec: str) -> None:
    oracle = make_differential(spec, command("clang-19"), [need("clang-22")])
    verdict = oracle.check(candidate(tmp_path))
    assert verdict.interesting, verdict.reason
    assert verdict.reason.startswith("clang-19: ")
    assert "; clang-22 (good): " in verdict.reason
    assert verdict.relocations and verdict.relocations[0].symbol == "a"


@pytest.mark.compilers
def test_same_compiler_is_not_interesting(tmp_path: Path) -> None:
    oracle = make_differential("abs32", command("clang-19"), ["clang-19"])
    verdict = oracle.check(candidate(tmp_path))
    assert not verdict.interesting
    assert "clang-19 also: found R_X86_64_32S" in verdict.reason


@pytest.mark.compilers
def test_full_good_command_is_used_as_given(tmp_path: Path) -> None:
    # The same compiler at -O2 uses R_X86_64_64: a full command replaces the flags too.
    good = [need("clang-19"), *[f if f != "-O0" else "-O2" for f in LARGE]]
    oracle = make_differential("abs32", command("clang-19"), good)
    assert oracle.check(candidate(tmp_path)).interesting


@pytest.mark.compilers
def test_good_compiler_not_run_when_main_is_not_interesting(tmp_path: Path) -> None:
    # A "good compiler" that records being run.
    marker = tmp_path / "ran"
    fake = tmp_path / "fake-clang"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    oracle = make_differential("abs32", command("clang-22"), [str(fake)])
    verdict = oracle.check(candidate(tmp_path))
    assert not verdict.interesting and "good compiler not run" in verdict.reason
    assert not marker.exists()
    # ... and when main is interesting but the good one cannot compile: not interesting.
    oracle = make_differential("abs32", command("clang-19"), [str(fake)])
    verdict = oracle.check(candidate(tmp_path))
    assert marker.exists()
    assert not verdict.interesting and verdict.compile_failed
    assert "could not be checked" in verdict.reason


@pytest.mark.compilers
def test_the_original_is_checked_on_both_toolchains_at_once(tmp_path: Path) -> None:
    # The original's check submits both sides together (two workers, two directories) and
    # judges them as the differential's own check would, word for word.
    from reducer.executors.local import LocalPoolExecutor
    from reducer.oracles.differential import check_sides_together

    oracle = make_differential("r_x86_64_32s", command("clang-19"), [need("clang-22")])
    submitted: list[str] = []
    pool = LocalPoolExecutor(oracle, "r.c", 2)
    try:

        def submit(side, text: str):
            submitted.append(side.compile.program)
            return pool.submit_check(side, text)

        together = check_sides_together(oracle, REPRODUCER, submit)
    finally:
        pool.close()
    assert submitted == [need("clang-19"), need("clang-22")]
    assert together is not None and together.interesting
    assert together == oracle.check(candidate(tmp_path))
    # Not a differential: the caller checks as for any candidate.
    plain = OracleSpec.parse("abs32").for_reduction(command("clang-19"))
    assert check_sides_together(plain, REPRODUCER, submit) is None


def test_a_side_by_side_check_drops_the_good_side_when_the_bad_one_fails() -> None:
    from concurrent.futures import Future

    from reducer.oracles.differential import Differential, check_sides_together
    from reducer.verdict import Verdict

    class Fixed:
        def __init__(self, name: str, verdict: Verdict) -> None:
            self.name, self.verdict = name, verdict

    bad = Fixed("bad", Verdict(False, "no R_X86_64_32S"))
    good = Fixed("good", Verdict(False, "no R_X86_64_32S"))
    futures: dict[str, Future[Verdict]] = {}

    def submit(side, text: str) -> Future[Verdict]:
        futures[side.name] = Future()
        if side is bad:
            futures[side.name].set_result(side.verdict)
        return futures[side.name]  # the good side is still queued

    verdict = check_sides_together(Differential(bad, good, "clang-19", "clang-22"), "x", submit)
    assert verdict is not None and not verdict.interesting
    assert verdict.reason == "clang-19: no R_X86_64_32S (good compiler not run)"
    assert futures["good"].cancelled()


def test_script_oracles_are_refused(tmp_path: Path) -> None:
    script = tmp_path / "t.sh"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    with pytest.raises(UsageError, match="script"):
        make_differential(f"script:{script}", CompileCommand(("clang", "-c")), ["clang"])


def test_usage_errors() -> None:
    with pytest.raises(UsageError):
        make_differential("abs32", None, ["clang"])
    main = CompileCommand(("clang-19", "-O0", "-c"))
    with pytest.raises(CompilerNotFound):
        good_command(main, ["clang-does-not-exist-7"])
    assert good_command(main, []) is None  # no --good-cc: not differential
    if shutil.which("sh"):
        assert good_command(main, ["sh"]).argv == ("sh", "-O0", "-c")
