"""A new oracle and a new emitted test kind are each one module: registered from here,
with no other change, they take part in reduce, explain and emit."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reducer.cli import main
from reducer.compiler import CompileCommand
from reducer.emit import emit_tests
from reducer.emit import job as kinds_base
from reducer.emit.kinds import EmitJob, TestKind, register_test_kind
from reducer.objects import compile_output
from reducer.oracles import OracleKind, OracleSpec, Verdict, register
from reducer.oracles import spec as oracle_registry
from reducer.oracles.spec import ARGUMENT_REQUIRED
from tests.conftest import need_compiler

SOURCE = """\
int unrelated_table[4] = {1, 2, 3, 4};
static int helper(int x) { return x * 3; }
int needle_function(int y) { return helper(y) + unrelated_table[y & 3]; }
int other(void) { return 7; }
"""


@dataclass(frozen=True)
class DefinesSymbol:
    """Interesting when the object's symbol table has a function named like the argument."""

    name: str
    wanted: str
    compile: CompileCommand

    def describe(self) -> str:
        return f"{self.name} (counts a defined function {self.wanted})"

    def check(self, candidate: Path) -> Verdict:
        compiled = compile_output(self.compile, candidate)
        failure = compiled.failure(self.compile)
        if failure is not None:
            return failure
        assert compiled.output is not None
        found = self.wanted.encode() in compiled.output
        return Verdict(found, f"{self.wanted} {'found' if found else 'not found'}")


def _make(spec: OracleSpec, compile: CompileCommand | None) -> DefinesSymbol:
    assert compile is not None
    return DefinesSymbol(spec.text, spec.argument, compile)


def _grep_test(job: EmitJob) -> str:
    return f"// RUN: %clang_cc1 -emit-obj -o - %s | grep {job.spec.argument}\n\n{job.text}"


@pytest.fixture(scope="module", autouse=True)
def plugins() -> Iterator[None]:
    register_test_kind(TestKind("grep-test", ".c", "a grep over the object", _grep_test))
    register(
        OracleKind(
            "test-has",
            _make,
            "the object mentions NAME (a plug-in registered by the test suite)",
            argument=ARGUMENT_REQUIRED,
            argument_help="NAME",
            test_kinds=("grep-test",),
        )
    )
    yield
    # Leave the registries as the other tests expect them.
    oracle_registry._REGISTRY.pop("test-has")
    kinds_base._KINDS.pop("grep-test")


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_a_registered_oracle_takes_part_in_reduce_and_explain(tmp_path: Path) -> None:
    clang = need_compiler("clang-19")
    source = tmp_path / "in.c"
    source.write_text(SOURCE)
    out = tmp_path / "out.c"
    command = ["--", clang, "-O0", "-c"]
    code, _, err = run_cli(
        "--oracle", "test-has:needle_function", "-q", "-o", str(out), str(source), *command
    )
    assert code == 0, err
    reduced = out.read_text()
    assert "needle_function" in reduced and "unrelated_table" not in reduced
    assert len(reduced) < len(SOURCE) / 3
    code, stdout, err = run_cli(
        "explain", str(source), "--oracle", "test-has:needle_function", *command
    )
    assert code == 0, err
    assert "counts a defined function needle_function" in stdout
    assert "verdict: INTERESTING: needle_function found" in stdout
    # It is in --help and its argument is checked like a built-in's.
    code, _, err = run_cli("--oracle", "test-has", str(source), *command)
    assert code == 2 and "needs an argument: --oracle test-has:NAME" in err


def test_a_registered_test_kind_is_emitted_for_its_oracle(tmp_path: Path) -> None:
    clang = need_compiler("clang-19")
    source = tmp_path / "small.c"
    source.write_text("int needle_function(void) { return 1; }\n")
    spec = OracleSpec.parse("test-has:needle_function")
    report = emit_tests(
        source,
        spec,
        CompileCommand.from_user([clang, "-O0", "-c"]),
        tmp_path / "tests",
        verify=False,
    )
    assert report.paths == [tmp_path / "tests" / "small.c"]
    assert report.paths[0].read_text().startswith("// RUN: %clang_cc1 -emit-obj -o - %s | grep")
