"""Which test a crash gets, measured on the reduced file (issue 23, item 3).

Where the compiler dies decides what upstream would write:

* the fixed clang rejects the file with errors (``-fsyntax-only``): a crash on invalid
  code, necessarily in the front end -> ``clang-crash-verify``, a clang/test/Sema-style
  ``-verify`` test holding the fixed clang's errors;
* the affected clang crashes under ``-fsyntax-only`` (front end) or ``-emit-llvm`` (IR
  generation) on valid code, or it crashes in the backend on IR that ``llc`` compiles
  without crashing -> ``clang-crash-codegen``, a clang/test/CodeGen-style ``%clang_cc1``
  test with the fixed clang's output as checks;
* otherwise the backend crash survives in clang's IR -> ``llc-crash``.

One note line says which route was taken and why. IR input is the tool's own test:
``llc-crash`` for llc, ``opt-crash`` (a Transforms test) for opt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import NO_CRASH_FILES, STYLE_OPT, private_env
from reducer.emit.driver import driver_flags
from reducer.emit.job import EmitJob, TestKind
from reducer.errors import UsageError
from reducer.oracles.crash import NAME as CRASH
from reducer.oracles.crash import crash_report
from reducer.process import ProcessResult, run_program

LLC_CRASH = "llc-crash"
CLANG_VERIFY = "clang-crash-verify"
CLANG_CODEGEN = "clang-crash-codegen"
OPT_CRASH = "opt-crash"
ROUTED = frozenset({LLC_CRASH, CLANG_VERIFY, CLANG_CODEGEN, OPT_CRASH})


@dataclass(frozen=True)
class Route:
    kind: str  # one of ROUTED
    why: str  # what was measured

    def note(self) -> str:
        return f"crash route: {self.kind}: {self.why}"


def _run(argv: Sequence[str], job: EmitJob, where: Path) -> ProcessResult:
    return run_program(list(argv), timeout=job.timeout, cwd=where, env=private_env(where))


def _clang(program: str, job: EmitJob, where: Path, *action: str) -> ProcessResult:
    """``program`` with the user's flags and ``action`` on the reduced file (in ``where``)."""
    argv = [program, *driver_flags(job.compile.argv), *NO_CRASH_FILES, *action, job.source.name]
    return _run(argv, job, where)


def _crashes(result: ProcessResult) -> bool:
    return crash_report(result.returncode, result.stderr.decode("utf-8", "replace")) is not None


def _has_errors(result: ProcessResult) -> bool:
    return result.returncode != 0 and not _crashes(result)


def _first_error(result: ProcessResult) -> str:
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    return next((line.strip() for line in lines if "error" in line), "it fails")[:160]


def choose(job: EmitJob) -> Route:
    """The route for the crash ``job`` is about (see the module's docstring)."""
    if job.ir_input and job.compile.style == STYLE_OPT:
        return Route(OPT_CRASH, "the input is LLVM IR for opt")
    if job.ir_input:
        return Route(LLC_CRASH, "the input is LLVM IR for llc")
    where = job.workdir / "route"
    where.mkdir()
    (where / job.source.name).write_text(job.text)
    affected = job.compile.program
    fixed = job.fixed_compile.program if job.fixed_compile is not None else None
    syntax = _clang(affected, job, where, "-fsyntax-only")
    if fixed is not None and _has_errors(_clang(fixed, job, where, "-fsyntax-only")):
        return Route(
            CLANG_VERIFY,
            "the fixed clang rejects the file with errors (-fsyntax-only): a crash on "
            "invalid code, in the front end",
        )
    if _crashes(syntax):
        return Route(CLANG_CODEGEN, "clang crashes in the front end (-fsyntax-only), valid code")
    if _crashes(_clang(affected, job, where, "-S", "-emit-llvm", "-o", "out.ll")):
        return Route(CLANG_CODEGEN, "clang crashes in IR generation (-emit-llvm)")
    # A backend crash: does it survive in clang's IR, given to llc?
    llc = job.affected.find("llc")
    if llc is None:
        return Route(CLANG_CODEGEN, "a backend crash, and no llc to try clang's IR with")
    argv = [llc, *job.settings.llc_flags(), "-filetype=obj", "-o", "out.o", "out.ll"]
    run = _run(argv, job, where)
    if _crashes(run):
        return Route(LLC_CRASH, "a backend crash that llc shows on clang's IR")
    return Route(
        CLANG_CODEGEN,
        "a backend crash that clang's IR does not show with llc "
        f"({'it compiles' if run.returncode == 0 else _first_error(run)})",
    )


def route_kinds(job: EmitJob, kinds: Sequence[TestKind]) -> list[TestKind]:
    """``kinds`` with the crash kinds narrowed to the one the route picks (a note says
    which and why); kinds of other oracles pass through."""
    if job.spec.name != CRASH or not any(kind.name in ROUTED for kind in kinds):
        return list(kinds)
    route = choose(job)
    if route.kind not in (LLC_CRASH, OPT_CRASH) and job.fixed is None:
        raise UsageError(
            f"{route.why}: its clang test holds the fixed clang's output; give the fixed "
            "clang (--good-cc, --fixed-cc or --fixed-llvm)"
        )
    job.notes.append(route.note())
    return [kind for kind in kinds if kind.name not in ROUTED or kind.name == route.kind]
