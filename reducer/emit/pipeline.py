"""From a reduced C reproducer to upstream-ready regression tests and a verification table.

The oracle says which test kinds fit it (reducer.emit.kinds: one module each); each is
built, written and run with lit on the affected and the fixed toolchain.

What the tests expect (fixed, assumed or lock-in) is reducer.emit.mode's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reducer.compiler import STYLE_LLC, STYLE_OPT, CompileCommand
from reducer.emit import miscompile_route, verify
from reducer.emit.crash_route import route_kinds
from reducer.emit.driver import llc_settings, query_cc1
from reducer.emit.kinds import EmitJob, TestKind, test_kind
from reducer.emit.mode import AUTO, Mode, choose_mode
from reducer.emit.reproducer import Reproducer
from reducer.emit.standalone import make_standalone
from reducer.emit.toolchain import Toolchain, fixed_toolchain, toolchain_for_clang
from reducer.emit.verify import verification_rows
from reducer.errors import (
    OutputError,
    UsageError,
)
from reducer.oracles import OracleSpec
from reducer.oracles.crash import NAME as CRASH
from reducer.output import write_files

VARIANTS = ("upstream", "downstream")


@dataclass
class EmitReport:
    paths: list[Path]  # one per test kind, in the oracle's order
    mode: Mode
    rows: list[verify.Row]
    notes: list[str] = field(default_factory=list)
    # The toolchains the tests were verified with (None: not given), for callers that
    # build more on the emitted tests (reduce emit --llvm-project --into).
    affected: Toolchain | None = None
    fixed: Toolchain | None = None

    def path(self, suffix: str) -> Path:
        """The emitted test with this suffix (".ll", ".c")."""
        return next(p for p in self.paths if p.suffix == suffix)

    @property
    def ok(self) -> bool:
        """No verification row contradicts its expectation (unknown rows are not failures)."""
        return all(row.ok is not False for row in self.rows)

    def table(self) -> str:
        return verify.render_table(self.rows)


def default_name(source: Path) -> str:
    return source.name.split(".")[0] or "reduced"


# For an oracle without a test kind of its own (a script), when a fixed toolchain is known.
SNAPSHOT_KIND = "llc-asm-snapshot"


def fitting_kinds(
    spec: OracleSpec, ir_input: bool = False, has_fixed: bool = False
) -> list[TestKind]:
    """The test kinds that fit the oracle, in its order; for IR input only those that
    start from IR (the .ll kinds): a clang test needs C. An oracle with no kind of its own
    gets the asm snapshot test when a fixed toolchain is known."""
    names = spec.kind.test_kinds or ((SNAPSHOT_KIND,) if has_fixed else ())
    kinds = [test_kind(k) for k in names]
    return [kind for kind in kinds if kind.suffix == ".ll"] if ir_input else kinds


def test_kinds_for(
    spec: OracleSpec, ir_input: bool = False, has_fixed: bool = False, tool: str = STYLE_LLC
) -> list[TestKind]:
    """fitting_kinds, or a usage error saying why there are none (IR for opt: only a crash
    has a test kind, opt-crash)."""
    if ir_input and tool == STYLE_OPT and spec.name != CRASH:
        raise UsageError("emission from LLVM IR for opt has a test kind for the crash oracle only")
    kinds = fitting_kinds(spec, ir_input, has_fixed)
    if ir_input and not kinds:
        raise UsageError(f"emit has no test kind for the {spec.name} oracle on LLVM IR")
    if not kinds:
        raise UsageError(
            f"emit has no test kind for the {spec.name} oracle"
            + (
                ": a script cannot be re-run on LLVM IR or with clang -cc1; with a fixed "
                "toolchain (--fixed-cc) an asm snapshot test is emitted"
                if not spec.kind.compiles
                else ""
            )
        )
    return kinds


def emit_tests(
    source: Path,
    spec: OracleSpec,
    compile: CompileCommand,
    out_dir: Path,
    *,
    fixed_compile: CompileCommand | None = None,
    fixed_llvm: str | None = None,
    name: str | None = None,
    xfail: Sequence[str] = (),
    unsupported: Sequence[str] = (),
    expect: str = AUTO,
    verify: bool = True,
    bug_urls: Sequence[str] = (),
    variant: str = "upstream",
) -> EmitReport:
    """``emit`` for a reduced file on disk (reduce emit, batch, the lit-tests cases): the
    reproducer is read from ``source`` and checked once. The options are EmitOptions'."""
    # a usage error before the file is read
    test_kinds_for(spec, has_fixed=fixed_compile is not None or fixed_llvm is not None)
    options = EmitOptions(
        fixed_llvm, name, tuple(xfail), expect, verify, tuple(bug_urls), variant, tuple(unsupported)
    )
    return emit(Reproducer.from_file(source, spec, compile, fixed_compile), out_dir, options)


@dataclass(frozen=True)
class EmitOptions:
    """How to emit, beyond the reproducer itself."""

    fixed_llvm: str | None = None  # where the fixed LLVM tools are (a bin dir or a suffix)
    name: str | None = None  # the tests' file name stem (default: the source's)
    xfail: tuple[str, ...] = ()  # lit features for an XFAIL line
    expect: str = AUTO  # --expect: auto or a mode (reducer.emit.mode)
    verify: bool = True  # run the tests with lit on both toolchains
    bug_urls: tuple[str, ...] = ()  # linked in each test's header
    variant: str = "upstream"  # or "downstream" (see EmitJob)
    unsupported: tuple[str, ...] = ()  # lit features for an UNSUPPORTED line


def emit(reproducer: Reproducer, out_dir: Path, options: EmitOptions = EmitOptions()) -> EmitReport:
    """Write one regression test per test kind of the reproducer's oracle into ``out_dir``
    and verify them with lit (unless ``options.verify`` is false).

    The reproducer's fixed compile command names the fixed toolchain (``fixed_llvm``
    overrides where its LLVM tools are); a side it carries no verdict for is checked once.
    Each tool run gets ``spec.timeout`` (llvm-reduce 40x)."""
    if options.variant not in VARIANTS:
        raise UsageError(f"variant must be one of {', '.join(VARIANTS)}")
    spec, compile, source = reproducer.spec, reproducer.compile, reproducer.source
    ir_input = reproducer.is_ir
    if ir_input and compile.style not in (STYLE_LLC, STYLE_OPT):
        raise UsageError("emission from LLVM IR needs its llc or opt command (-- llc-19 FLAGS)")
    affected = toolchain_for_clang(compile.program)
    fixed_compile = reproducer.fixed_compile
    fixed = fixed_toolchain(fixed_compile.program if fixed_compile else None, options.fixed_llvm)
    kinds = test_kinds_for(spec, ir_input, fixed is not None, compile.style)
    if fixed is not None and fixed_compile is None:
        program = fixed.require(compile.style) if ir_input else fixed.require_clang()
        reproducer = reproducer.with_fixed_compile(compile.with_program(program))
    stem = options.name or default_name(source)
    paths = [out_dir / f"{stem}{kind.suffix}" for kind in kinds]
    if source.resolve() in {p.resolve() for p in paths}:
        raise UsageError(f"{source} would be overwritten by the emitted test; use another --out")

    with tempfile.TemporaryDirectory(prefix="reducer-emit-") as tmp:
        workdir = Path(tmp)
        reproducer = reproducer.proven()
        # An upstream test includes no system header: write them out first (checked
        # under the same oracle there, so the result is proven too).
        standalone = None if ir_input else make_standalone(reproducer)
        notes = []
        if standalone is not None:
            reproducer = standalone.reproducer
            notes.append(standalone.note)
        driver = None if ir_input else query_cc1(compile.argv, spec.timeout)
        settings = driver.settings() if driver else llc_settings(compile.argv[1:], reproducer.text)
        job = EmitJob(
            source=source,
            text=reproducer.text,
            spec=spec,
            compile=compile,
            fixed_compile=reproducer.fixed_compile,
            affected=affected,
            fixed=fixed,
            settings=settings,
            driver=driver,
            mode=choose_mode(
                options.expect,
                fixed is not None,
                spec.kind.relocations,
                spec.name,
                settings.code_model,
                settings.relocation_model,
            ),
            workdir=workdir,
            xfail=options.xfail,
            unsupported=options.unsupported,
            notes=notes,
            variant=options.variant,
            bug_urls=options.bug_urls,
            ir_input=ir_input,
        )
        # A crash's or a miscompile's kinds are alternatives: where it happens picks one.
        kinds = miscompile_route.route_kinds(job, route_kinds(job, kinds))
        paths = [out_dir / f"{stem}{kind.suffix}" for kind in kinds]
        texts = [kind.build(job) for kind in kinds]
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write to {out_dir}: {exc.strerror}") from exc
        write_files(dict(zip(paths, texts, strict=True)), [source])
        timeout = max(60.0, spec.timeout * 4)
        tests = [(path, kind.fails_by_crash) for path, kind in zip(paths, kinds, strict=True)]
        rows = (
            verification_rows(tests, job.mode, affected, fixed, timeout) if options.verify else []
        )
        rows.sort(key=lambda r: (r.test, r.role != "affected", r.filecheck))
        if job.mode is Mode.ASSUMED:
            job.notes.append(
                "no fixed toolchain: relocation checks assume R_X86_64_64 and the .ll has no "
                "asm checks (they would encode the affected compiler's output)"
            )
    return EmitReport(paths, job.mode, rows, job.notes, affected=affected, fixed=fixed)
