"""From a reduced C reproducer to upstream-ready regression tests and a verification table.

The oracle says which test kinds fit it (reducer.emit.kinds: one module each); each is
built, written and run with lit on the affected and the fixed toolchain.

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
  pass on the affected toolchain. Every oracle that does not read relocations (crash,
  diagnostics, symbols, sections, assembly) is in this mode without a fixed toolchain:
  nothing else tells what the right output is.

A medium-model or PIC reproducer without a fixed toolchain is refused: what is correct there
depends on the data's size and the GOT, which we do not guess.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.emit import verify
from reducer.emit.driver import CodegenSettings, query_cc1
from reducer.emit.kinds import EmitJob, TestKind, test_kind
from reducer.emit.litsupport import lit_tools
from reducer.emit.toolchain import Toolchain, fixed_toolchain, toolchain_for_clang
from reducer.errors import (
    CompilerError,
    NotInterestingError,
    OutputError,
    UsageError,
)
from reducer.inputs import read_source
from reducer.oracles import OracleSpec
from reducer.output import write_files

MODES = ("auto", "fixed", "assumed", "lock-in")
VARIANTS = ("upstream", "downstream")


@dataclass
class EmitReport:
    paths: list[Path]  # one per test kind, in the oracle's order
    mode: str
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


def _choose_mode(
    expect: str, fixed: Toolchain | None, settings: CodegenSettings, spec: OracleSpec
) -> str:
    if expect not in MODES:
        raise UsageError(f"--expect must be one of {', '.join(MODES)}")
    if fixed is not None:
        if expect not in ("auto", "fixed"):
            raise UsageError(f"--expect {expect} makes no sense with a fixed toolchain")
        return "fixed"
    if expect == "fixed":
        raise UsageError("--expect fixed needs --fixed-cc or --fixed-llvm")
    if not spec.kind.relocations:
        # Only for relocations is the right output known without a fixed toolchain.
        if expect == "assumed":
            raise UsageError(f"--expect assumed is for relocation oracles, not {spec.name}")
        return "lock-in"
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


def with_bug_urls(text: str, suffix: str, urls: Sequence[str]) -> str:
    """``text`` with a ``Bug: URL`` comment line per URL after its header (the NOTE, RUN,
    XFAIL and REQUIRES lines), where a reviewer looks first."""
    if not urls:
        return text
    comment = "//" if suffix == ".c" else ";"
    lines = text.splitlines()
    header = (f"{comment} NOTE:", f"{comment} RUN:", f"{comment} XFAIL:", f"{comment} REQUIRES:")
    end = 0
    while end < len(lines) and lines[end].startswith(header):
        end += 1
    links = [f"{comment} Bug: {url}" for url in urls]
    return "\n".join([*lines[:end], "", *links, *lines[end:]]) + "\n"


def _verification_rows(
    tests: Sequence[tuple[Path, TestKind]], job: EmitJob, timeout: float
) -> list[verify.Row]:
    rows: list[verify.Row] = []
    roles: list[tuple[str, Toolchain | None, str]] = [
        ("affected", job.affected, "PASS" if job.mode == "lock-in" else "FAIL"),
        ("fixed", job.fixed, "PASS"),
    ]
    for role, toolchain, expected in roles:
        if toolchain is None:
            for test, kind in tests:
                rows.append(
                    verify.Row(
                        test.name, role, "none given", "-", expected, None, kind.fails_by_crash
                    )
                )
            continue
        kinds = ["llvm", "pypi"] if toolchain.has_llvm_filecheck() else ["pypi"]
        for kind in kinds:
            tools = lit_tools(toolchain, kind)
            outcomes = verify.run_lit([test for test, _ in tests], tools, timeout)
            _path, label = toolchain.filecheck(kind)
            for test, emitted in tests:
                rows.append(
                    verify.Row(
                        test.name,
                        role,
                        f"{toolchain.label} ({toolchain.version})",
                        label,
                        expected,
                        outcomes[test.name],
                        emitted.fails_by_crash,
                    )
                )
    rows.sort(key=lambda r: (r.test, r.role != "affected", r.filecheck))
    return rows


def _check_reproduces(
    spec: OracleSpec,
    compile: CompileCommand,
    fixed_compile: CompileCommand | None,
    source: Path,
    text: str,
    workdir: Path,
) -> None:
    """The reduced file shows the behaviour with the affected compiler and, when a fixed one
    is known, not with it: otherwise there is nothing a test could tell apart."""
    check_dir = workdir / "check"
    check_dir.mkdir()
    candidate = check_dir / source.name
    candidate.write_text(text)
    first = spec.build(compile).check(candidate)
    if not first.interesting:
        raise NotInterestingError(
            f"{source} is not interesting with {compile.program}: {first.reason}"
        )
    if fixed_compile is not None:
        seen = spec.build(fixed_compile).check(candidate)
        if seen.compile_failed or seen.timed_out:
            raise CompilerError(f"the fixed compiler cannot compile {source}: {seen.reason}")
        if seen.interesting:
            raise NotInterestingError(
                f"the fixed compiler shows the behaviour too ({seen.reason}); nothing to test"
            )


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
    expect: str = "auto",
    verify: bool = True,
    bug_urls: Sequence[str] = (),
    variant: str = "upstream",
) -> EmitReport:
    """Write one regression test per test kind of ``spec``'s oracle for ``source`` into
    ``out_dir`` and verify them with lit (unless ``verify`` is false).

    ``compile`` is the affected compile command; ``fixed_compile`` the fixed one (its program
    names the fixed toolchain, ``fixed_llvm`` overrides where its LLVM tools are). Each tool
    run gets ``spec.timeout`` (llvm-reduce 40x). ``xfail`` adds an XFAIL line (lit features);
    ``expect`` overrides the mode (see the module docstring); ``bug_urls`` are linked in
    each test's header; ``variant`` is "upstream" or "downstream" (see EmitJob)."""
    if variant not in VARIANTS:
        raise UsageError(f"variant must be one of {', '.join(VARIANTS)}")
    kinds = [test_kind(k) for k in spec.kind.test_kinds]
    if not kinds:
        raise UsageError(
            f"emit has no test kind for the {spec.name} oracle"
            + (
                ": a script cannot be re-run on LLVM IR or with clang -cc1"
                if not spec.kind.compiles
                else ""
            )
        )
    text = read_source(source)
    affected = toolchain_for_clang(compile.program)
    fixed = fixed_toolchain(fixed_compile.program if fixed_compile else None, fixed_llvm)
    if fixed is not None and fixed_compile is None:
        fixed_compile = compile.with_program(fixed.require_clang())
    stem = name or default_name(source)
    paths = [out_dir / f"{stem}{kind.suffix}" for kind in kinds]
    if source.resolve() in {p.resolve() for p in paths}:
        raise UsageError(f"{source} would be overwritten by the emitted test; use another --out")

    with tempfile.TemporaryDirectory(prefix="reducer-emit-") as tmp:
        workdir = Path(tmp)
        _check_reproduces(spec, compile, fixed_compile, source, text, workdir)
        settings = query_cc1(compile.argv, spec.timeout).settings()
        job = EmitJob(
            source=source,
            text=text,
            spec=spec,
            compile=compile,
            fixed_compile=fixed_compile,
            affected=affected,
            fixed=fixed,
            settings=settings,
            mode=_choose_mode(expect, fixed, settings, spec),
            workdir=workdir,
            xfail=xfail,
            notes=[],
            variant=variant,
        )
        texts = [with_bug_urls(kind.build(job), kind.suffix, bug_urls) for kind in kinds]
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write to {out_dir}: {exc.strerror}") from exc
        write_files(dict(zip(paths, texts, strict=True)), [source])
        timeout = max(60.0, spec.timeout * 4)
        rows = (
            _verification_rows(list(zip(paths, kinds, strict=True)), job, timeout) if verify else []
        )
        if job.mode == "assumed":
            job.notes.append(
                "no fixed toolchain: relocation checks assume R_X86_64_64 and the .ll has no "
                "asm checks (they would encode the affected compiler's output)"
            )
    return EmitReport(paths, job.mode, rows, job.notes, affected=affected, fixed=fixed)
