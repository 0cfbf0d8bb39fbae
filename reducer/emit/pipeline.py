"""From a reduced C reproducer to two upstream-ready regression tests and a verification table.

What the tests expect depends on what is known about the correct behaviour:

* ``fixed``: a fixed toolchain was given. Its output is the truth: the asm checks are
  generated from the fixed llc, the relocation checks require the relocations the fixed
  compiler emits against the symbols and forbid the wrong types. The tests fail on the
  affected toolchain and pass on the fixed one.
* ``assumed``: no fixed toolchain, large code model, static relocation model. The correct
  relocation is known anyway (R_X86_64_64: the large model promises 64-bit absolute
  addressing), so the relocation checks are written for it, but no asm checks are emitted:
  asm generated from the affected compiler would encode the bug and make the test fail on
  every fixed compiler too, and the fixed asm cannot be guessed. Regenerate with
  --fixed-cc/--fixed-llvm to add them.
* ``lock-in``: no fixed toolchain and a code model where 32-bit absolute relocations are
  correct (small, kernel; e.g. a control case). The tests lock the current behaviour in and
  pass on the affected toolchain.

A medium-model or PIC reproducer without a fixed toolchain is refused: what is correct there
depends on the data's size and the GOT, which we do not guess.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.elf import NotAnObject, Relocation, read_object, reloc_type_name
from reducer.emit import asm_checks, c_test, ir_cleanup, ll_test, verify
from reducer.emit.driver import CodegenSettings, query_cc1
from reducer.emit.ir_gen import generate_ir
from reducer.emit.ir_oracle import IrOracleSpec, judge_text, undefined_behaviour_counts
from reducer.emit.ir_reduce import reduce_ir
from reducer.emit.litsupport import lit_tools, resource_include
from reducer.emit.reloc_checks import RelocExpectation, good_relocations
from reducer.emit.toolchain import Toolchain, fixed_toolchain, toolchain_for_clang
from reducer.errors import (
    CompilerError,
    NotInterestingError,
    OutputError,
    UsageError,
)
from reducer.inputs import read_source
from reducer.oracles import OracleConfig, Verdict, build_oracle
from reducer.oracles.relocations import compile_candidate
from reducer.process import run_program

R_X86_64_64 = 1
MODES = ("auto", "fixed", "assumed", "lock-in")


@dataclass
class EmitReport:
    ll_path: Path
    c_path: Path
    mode: str
    rows: list[verify.Row]
    notes: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [self.ll_path, self.c_path]

    @property
    def ok(self) -> bool:
        """No verification row contradicts its expectation (unknown rows are not failures)."""
        return all(row.ok is not False for row in self.rows)

    def table(self) -> str:
        return verify.render_table(self.rows)


def default_name(source: Path) -> str:
    return source.name.split(".")[0] or "reduced"


def _symbol_list(symbols: Sequence[str]) -> str:
    if len(symbols) == 1:
        return symbols[0]
    return ", ".join(symbols[:-1]) + " and " + symbols[-1]


def _types_text(types: Sequence[int]) -> str:
    return " or ".join(reloc_type_name(t) for t in types)


def describe(settings: CodegenSettings, expectation: RelocExpectation, mode: str) -> list[str]:
    model = f"{settings.code_model} code model" if settings.code_model else "default code model"
    context = f"({model}, {settings.relocation_model} relocation model, -O{settings.opt_level})"
    symbols = _symbol_list(expectation.symbols)
    good = _types_text(sorted({t for t, _ in expectation.good}))
    if mode == "lock-in":
        return [f"Code addresses {symbols} with {good}, which is correct here", f"{context}."]
    bad = _types_text(sorted(expectation.bad_types))
    if not good:
        return [f"Code must not address {symbols} with {bad}", f"{context}."]
    return [f"Code must address {symbols} with {good},", f"not {bad} {context}."]


def _object_relocations(command: CompileCommand, source: Path) -> list[Relocation]:
    data, failure = compile_candidate(command, source)
    if failure is not None or data is None:
        raise CompilerError(f"{command.program}: {failure.reason if failure else 'no object'}")
    try:
        return list(read_object(data).relocations)
    except NotAnObject as exc:
        raise CompilerError(f"{command.program} produced no readable object: {exc}") from exc


def _bad_types(
    oracle_name: str, config: OracleConfig, hits: Sequence[Relocation]
) -> frozenset[int]:
    types = {r.rtype for r in hits}
    wanted = getattr(build_oracle(oracle_name, config), "wanted", None)
    types |= set(getattr(wanted, "types", ()))
    return frozenset(types)


def _choose_mode(expect: str, fixed: Toolchain | None, settings: CodegenSettings) -> str:
    if expect not in MODES:
        raise UsageError(f"--expect must be one of {', '.join(MODES)}")
    if fixed is not None:
        if expect not in ("auto", "fixed"):
            raise UsageError(f"--expect {expect} makes no sense with a fixed toolchain")
        return "fixed"
    if expect == "fixed":
        raise UsageError("--expect fixed needs --fixed-cc or --fixed-llvm")
    if expect != "auto":
        return expect
    if settings.code_model in (None, "small", "kernel"):
        return "lock-in"
    if settings.code_model == "large" and settings.relocation_model == "static":
        return "assumed"
    raise UsageError(
        f"without a fixed toolchain the correct relocation for the {settings.code_model} code "
        f"model with {settings.relocation_model} relocations is not known: give --fixed-cc "
        "or --fixed-llvm (or --expect lock-in to keep the current behaviour)"
    )


@dataclass
class _Context:
    source: Path
    compile_argv: list[str]
    oracle: str
    symbol: str | None
    target_section: str | None
    timeout: float
    affected: Toolchain
    fixed: Toolchain | None
    workdir: Path
    notes: list[str]

    def config(self, command: CompileCommand) -> OracleConfig:
        return OracleConfig(command, self.symbol, self.target_section, script_timeout=self.timeout)


def _build_ll(
    ctx: _Context, settings: CodegenSettings, mode: str, c_text: str, xfail: Sequence[str]
) -> str:
    ir_dir = ctx.workdir / "ir"
    ir_dir.mkdir()
    clang_ir = generate_ir(ctx.compile_argv, ctx.source, ir_dir, ctx.timeout)
    base_flags = tuple(settings.llc_flags())
    spec = IrOracleSpec(
        oracle=ctx.oracle,
        symbol=ctx.symbol,
        target_section=ctx.target_section,
        affected_llc=ctx.affected.require("llc"),
        fixed_llc=ctx.fixed.require("llc") if ctx.fixed else None,
        flags=base_flags,
        timeout=ctx.timeout,
        allowed_ub=undefined_behaviour_counts(clang_ir),
    )
    reduced = reduce_ir(
        clang_ir, spec, ctx.affected.require("llvm-reduce"), ir_dir, ctx.timeout * 40
    )

    def interesting(state: ir_cleanup.IrState, flags: tuple[str, ...] = base_flags) -> bool:
        return judge_text(replace(spec, flags=state.llc_flags(flags)), state.text).interesting

    log = ir_cleanup.CleanupLog()
    state = ir_cleanup.clean_ir(ir_cleanup.IrState(reduced), interesting, log)
    flags = base_flags
    for flag in [f for f in base_flags if f.startswith("-large-data-threshold=")]:
        trial = tuple(f for f in flags if f != flag)
        if interesting(state, trial):
            flags = trial
            log.applied.append(f"dropped llc flag {flag}")
    ctx.notes.append("IR clean-ups kept: " + (", ".join(log.applied) or "none"))
    if log.dropped:
        ctx.notes.append(
            "IR clean-ups dropped (they lost the behaviour): " + ", ".join(log.dropped)
        )
    llc_flags = state.llc_flags(flags)
    final = judge_text(replace(spec, flags=llc_flags), state.text)
    if not final.interesting or final.affected is None:
        raise CompilerError(f"the cleaned IR is no longer interesting: {final.reason}")
    hits = final.affected.relocations
    symbols = tuple(sorted({r.symbol for r in hits}))

    final_ll = ir_dir / "final.ll"
    final_ll.write_text(state.text)
    asm_checks_by_function: dict[str, list[str]] | None = None
    expected_llc = (
        ctx.fixed.require("llc") if mode == "fixed" and ctx.fixed else ctx.affected.require("llc")
    )
    if mode != "assumed":
        asm = _llc_asm(expected_llc, llc_flags, final_ll, ctx.timeout)
        bodies = asm_checks.function_bodies(asm)
        runs = [asm_checks.RunOutput((ll_test.ASM_PREFIX,), bodies)]
        asm_checks_by_function = {
            name: asm_checks.check_lines(name, runs) for name in asm_checks.function_names(asm)
        }
    obj_config = ctx.config(
        CompileCommand((ctx.affected.require("llc"), *llc_flags, "-filetype=obj"), ctx.timeout)
    )
    expectation = _expectation(
        mode,
        symbols,
        _bad_types(ctx.oracle, obj_config, hits),
        hits,
        CompileCommand((expected_llc, *llc_flags, "-filetype=obj"), ctx.timeout),
        final_ll,
    )
    _note_missing_good(ctx, expectation, ".ll")
    test = ll_test.LlTest(
        ir=state.text,
        llc_flags=llc_flags,
        asm_checks=asm_checks_by_function,
        reloc=expectation,
        description=describe(settings, expectation, mode),
        c_source=c_text,
        xfail=xfail,
    )
    return ll_test.render_ll_test(test)


def _llc_asm(llc: str, flags: Sequence[str], ir: Path, timeout: float) -> str:
    result = run_program([llc, *flags, "-o", "-", str(ir)], timeout=timeout)
    if result.timed_out or result.returncode != 0:
        raise CompilerError(f"{llc} failed to produce assembly: {result.stderr_tail(3)}")
    return result.stdout.decode("utf-8", "replace")


def _expectation(
    mode: str,
    symbols: tuple[str, ...],
    bad_types: frozenset[int],
    hits: Sequence[Relocation],
    expected_command: CompileCommand,
    source: Path,
) -> RelocExpectation:
    if mode == "assumed":
        good = tuple((R_X86_64_64, s) for s in symbols)
    elif mode == "lock-in":
        good = good_relocations(hits, symbols)
    else:
        good = good_relocations(_object_relocations(expected_command, source), symbols)
    return RelocExpectation(symbols, bad_types, good, lock_in=mode == "lock-in")


def _note_missing_good(ctx: _Context, expectation: RelocExpectation, which: str) -> None:
    if not expectation.good:
        ctx.notes.append(
            f"{which}: the expected toolchain has no code relocation against "
            f"{_symbol_list(expectation.symbols)}; only the wrong ones are checked (CHECK-NOT)"
        )


def _build_c(
    ctx: _Context, settings: CodegenSettings, mode: str, text: str, xfail: Sequence[str]
) -> str:
    c_dir = ctx.workdir / "c"
    c_dir.mkdir()
    source = c_dir / ctx.source.name
    source.write_text(text)
    cc1 = query_cc1(ctx.compile_argv, ctx.timeout)
    candidates = cc1.test_candidates(ctx.source.name)
    affected_clang = shutil.which(ctx.affected.require_clang()) or ctx.affected.require_clang()
    affected_prefix = c_test.cc1_prefix(affected_clang, resource_include(affected_clang))
    fixed_prefix: tuple[str, ...] | None = None
    if ctx.fixed is not None:
        fixed_clang = shutil.which(ctx.fixed.require_clang()) or ctx.fixed.require_clang()
        fixed_prefix = c_test.cc1_prefix(fixed_clang, resource_include(fixed_clang))

    def verdict(prefix: tuple[str, ...], units: Sequence[c_test.Unit]) -> Verdict:
        return c_test.cc1_verdict(
            prefix, units, source, ctx.oracle, ctx.symbol, ctx.target_section, ctx.timeout
        )

    def reproduces(units: list[c_test.Unit]) -> bool:
        if not verdict(affected_prefix, units).interesting:
            return False
        if fixed_prefix is None:
            return True
        fixed = verdict(fixed_prefix, units)
        return not (fixed.interesting or fixed.compile_failed or fixed.timed_out)

    if not reproduces(candidates):
        first = verdict(affected_prefix, candidates)
        raise CompilerError(
            f"clang -cc1 with the driver's flags does not reproduce: {first.reason}"
        )
    units = c_test.minimize_units(candidates, reproduces)
    ctx.notes.append("cc1 flags kept: " + " ".join(c_test.flatten(units)))
    hits = verdict(affected_prefix, units).relocations
    symbols = tuple(sorted({r.symbol for r in hits}))
    command = CompileCommand(
        (*(fixed_prefix or affected_prefix), *c_test.flatten(units), "-emit-obj"), ctx.timeout
    )
    expectation = _expectation(
        mode,
        symbols,
        _bad_types(ctx.oracle, ctx.config(command), hits),
        hits,
        command,
        source,
    )
    _note_missing_good(ctx, expectation, ".c")
    return c_test.render_c_test(
        units, expectation, describe(settings, expectation, mode), text, xfail
    )


def _verification_rows(
    tests: Sequence[Path], ctx: _Context, mode: str, timeout: float
) -> list[verify.Row]:
    rows: list[verify.Row] = []
    roles: list[tuple[str, Toolchain | None, str]] = [
        ("affected", ctx.affected, "PASS" if mode == "lock-in" else "FAIL"),
        ("fixed", ctx.fixed, "PASS"),
    ]
    for role, toolchain, expected in roles:
        if toolchain is None:
            for test in tests:
                rows.append(verify.Row(test.name, role, "none given", "-", expected, None))
            continue
        kinds = ["llvm", "pypi"] if toolchain.has_llvm_filecheck() else ["pypi"]
        for kind in kinds:
            tools = lit_tools(toolchain, kind)
            outcomes = verify.run_lit(tests, tools, timeout)
            _path, label = toolchain.filecheck(kind)
            for test in tests:
                rows.append(
                    verify.Row(
                        test.name,
                        role,
                        f"{toolchain.label} ({toolchain.version})",
                        label,
                        expected,
                        outcomes[test.name],
                    )
                )
    rows.sort(key=lambda r: (r.test, r.role != "affected", r.filecheck))
    return rows


def emit_tests(
    source: Path,
    compile_argv: list[str],
    oracle_name: str,
    symbol: str | None,
    target_section: str | None,
    out_dir: Path,
    fixed_cc: str | None,
    fixed_llvm: str | None,
    timeout: float,
    *,
    name: str | None = None,
    xfail: Sequence[str] = (),
    expect: str = "auto",
    verify: bool = True,
) -> EmitReport:
    """Write ``<name>.ll`` and ``<name>.c`` regression tests for ``source`` into ``out_dir``
    and verify them with lit (unless ``verify`` is false). ``timeout`` bounds each tool run
    (llvm-reduce gets 40x). ``xfail`` adds an XFAIL line (lit features) to both tests;
    ``expect`` overrides the mode (see the module docstring)."""
    if oracle_name.startswith("script"):
        raise UsageError(
            "emit needs an oracle that compiles the file itself (e.g. r_x86_64_32s, abs32, "
            "kexec-overflow): a script cannot be re-run on LLVM IR"
        )
    text = read_source(source)
    compile = CompileCommand.from_user(list(compile_argv), timeout, source.parent)
    affected = toolchain_for_clang(compile.program)
    fixed = fixed_toolchain(fixed_cc, fixed_llvm)
    stem = name or default_name(source)
    ll_path, c_path = out_dir / f"{stem}.ll", out_dir / f"{stem}.c"
    if source.resolve() in (ll_path.resolve(), c_path.resolve()):
        raise UsageError(f"{source} would be overwritten by the emitted test; use another --out")

    with tempfile.TemporaryDirectory(prefix="reducer-emit-") as tmp:
        workdir = Path(tmp)
        ctx = _Context(
            source,
            list(compile_argv),
            oracle_name,
            symbol,
            target_section,
            timeout,
            affected,
            fixed,
            workdir,
            [],
        )
        check_dir = workdir / "check"
        check_dir.mkdir()
        candidate = check_dir / source.name
        candidate.write_text(text)
        first = build_oracle(oracle_name, ctx.config(compile)).check(candidate)
        if not first.interesting:
            raise NotInterestingError(
                f"{source} is not interesting with {compile.program}: {first.reason}"
            )
        if fixed is not None:
            fixed_command = compile.with_program(fixed.require_clang())
            seen = build_oracle(oracle_name, ctx.config(fixed_command)).check(candidate)
            if seen.compile_failed or seen.timed_out:
                raise CompilerError(f"the fixed compiler cannot compile {source}: {seen.reason}")
            if seen.interesting:
                raise NotInterestingError(
                    f"the fixed compiler shows the behaviour too ({seen.reason}); nothing to test"
                )
        settings = query_cc1(compile.argv, timeout).settings()
        mode = _choose_mode(expect, fixed, settings)
        ll_text = _build_ll(ctx, settings, mode, text, xfail)
        c_text = _build_c(ctx, settings, mode, text, xfail)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            ll_path.write_text(ll_text)
            c_path.write_text(c_text)
        except OSError as exc:
            raise OutputError(f"cannot write to {out_dir}: {exc.strerror}") from exc
        rows = (
            _verification_rows([ll_path, c_path], ctx, mode, max(60.0, timeout * 4))
            if verify
            else []
        )
        if mode == "assumed":
            ctx.notes.append(
                "no fixed toolchain: relocation checks assume R_X86_64_64 and the .ll has no "
                "asm checks (they would encode the affected compiler's output)"
            )
    return EmitReport(ll_path, c_path, mode, rows, ctx.notes)
