"""The interface of an emitted test kind, and the job every kind is given.

Like lit's one ``TestFormat`` class per kind of test, each kind of emitted regression test
is one module under reducer.emit.kinds that registers a ``TestKind``. An oracle declares
which kinds fit it (``OracleKind.test_kinds``); the emit step builds each, writes it as
``<name><suffix>`` and verifies it with lit on the affected and the fixed toolchain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.emit.driver import Cc1Command, CodegenSettings
from reducer.emit.header import Header
from reducer.emit.mode import Mode
from reducer.emit.toolchain import Toolchain
from reducer.errors import UsageError
from reducer.oracles import OracleSpec


@dataclass
class EmitJob:
    """What one emission knows; built once by the pipeline and handed to every kind."""

    source: Path  # the reduced C file (the user's; never written)
    text: str  # its contents
    spec: OracleSpec  # the oracle, with every option the user gave it
    compile: CompileCommand  # the affected compile command
    fixed_compile: CompileCommand | None  # the fixed compile command (--good-cc/--fixed-cc)
    affected: Toolchain
    fixed: Toolchain | None
    settings: CodegenSettings  # code model, relocation model, -O level (from clang -###)
    # The affected driver's cc1 command (clang -###, asked once); None for IR input.
    driver: Cc1Command | None
    mode: Mode  # what the tests expect (reducer.emit.mode)
    workdir: Path  # private scratch space; each kind makes its own subdirectory
    xfail: Sequence[str]  # lit features for an XFAIL line
    notes: list[str]  # what the kinds want the user to read
    # "upstream": the test as it would land in llvm-project (a code-model-elf.ll-style
    # sweep of neighbouring configurations, checked on trunk only); "downstream": for this
    # project's lit-tests/, run nightly against every release, so it checks the bug's own
    # configuration only (neighbours' codegen changes between releases; that is not a bug).
    variant: str = "upstream"
    bug_urls: Sequence[str] = ()  # linked in each test's header
    # The reproducer is LLVM IR for ``compile``'s tool (llc), not C: the IR kinds start
    # from it instead of from clang's IR, and only they apply.
    ir_input: bool = False
    unsupported: Sequence[str] = ()  # lit features for an UNSUPPORTED line

    def require_driver(self) -> Cc1Command:
        if self.driver is None:
            raise UsageError("a clang test needs C input; this reproducer is LLVM IR")
        return self.driver

    @property
    def timeout(self) -> float:
        return self.spec.timeout

    def header(
        self,
        suffix: str,
        runs: Sequence[str],
        note: str | None = None,
        requires: Sequence[str] = (),
    ) -> Header:
        """A test's header with this job's XFAIL features and bug links."""
        return Header(suffix, runs, note, requires, self.xfail, self.bug_urls, self.unsupported)


@dataclass(frozen=True)
class TestKind:
    __test__ = False  # not a pytest test class, despite the name

    name: str  # what OracleKind.test_kinds lists, e.g. "llc-reloc"
    suffix: str  # ".ll" or ".c": the emitted file is <name><suffix>
    summary: str
    build: Callable[[EmitJob], str]  # the test's text; raises ReducerError when it cannot
    # On the affected toolchain the test fails by the compiler crashing (llc-crash), not
    # by a FileCheck or -verify mismatch.
    fails_by_crash: bool = False


_KINDS: dict[str, TestKind] = {}


def register_test_kind(kind: TestKind) -> TestKind:
    _KINDS[kind.name] = kind
    return kind


def test_kind(name: str) -> TestKind:
    kind = _KINDS.get(name)
    if kind is None:
        raise UsageError(f"unknown test kind {name!r}; known: {', '.join(sorted(_KINDS))}")
    return kind


def test_kind_names() -> list[str]:
    return sorted(_KINDS)
