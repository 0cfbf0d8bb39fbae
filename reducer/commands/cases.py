"""The lit-tests/ suite: emitted tests for every case in cases/, and how to regenerate them.

Layout: ``cases/<case>/input.c`` (or ``input.ll``, LLVM IR for llc/opt; or a clang crash
report, the run script case.toml's ``crash_report`` names and the preprocessed source beside
it, reduced through ``reduce --crash-report``) is the original;
``lit-tests/<case>/reduced.c`` (``reduced.ll``) is the reduced reproducer the tests were
generated from (an input, excluded from the suite), ``lit-tests/<case>/<case>.ll`` and ``.c``
are the emitted tests. The emission parameters come from ``cases/<case>/case.toml`` (oracle,
oracle_args, flags, reduce_with, fixed_with, interesting_with, not_interesting_with,
and optionally reduced_also_affects, unsupported_with).

XFAIL lines name the LLVM majors known to have the bug, as lit features ``llvm-<major>``:
the majors of the case's ``interesting_with`` compilers plus those of every entry of
KNOWN_BUGS that matches the case (code model, relocation model, optimisation level, oracle,
source shape), minus the majors of ``not_interesting_with``. A case without a fixed
compiler is a control case: its tests lock today's behaviour in and have no XFAIL.

    python -m reducer.commands.cases [--check] [CASE...]   # regenerate (or compare) lit-tests/
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reducer.commands.options import oracle_spec_from_words
from reducer.compiler import CompileCommand, major_of
from reducer.emit.driver import CodegenSettings, llc_settings, query_cc1
from reducer.emit.pipeline import EmitReport, emit_tests, fitting_kinds
from reducer.errors import InputError, ReducerError
from reducer.intake.crash_report import read_crash_script
from reducer.oracles import OracleSpec

REPO = Path(__file__).resolve().parents[2]
CASES_DIR = REPO / "cases"
LIT_DIR = REPO / "lit-tests"
INPUT_NAMES = ("input.c", "input.ll")  # C for clang; LLVM IR for llc/opt
REDUCED_NAMES = ("reduced.c", "reduced.ll")
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class KnownBug:
    """A behaviour measured across LLVM releases (see notes/relocation-facts.md)."""

    name: str
    affected_majors: tuple[int, ...]
    code_model: str
    relocation_model: str
    opt_levels: tuple[str, ...]
    oracles: frozenset[str]
    source_pattern: str  # regex the reproducer must contain

    def applies(self, settings: CodegenSettings, oracle: str, source: str) -> bool:
        return (
            settings.code_model == self.code_model
            and settings.relocation_model == self.relocation_model
            and settings.opt_level in self.opt_levels
            and oracle in self.oracles
            and re.search(self.source_pattern, source) is not None
        )


KNOWN_BUGS: tuple[KnownBug, ...] = (
    # -O0 (FastISel) addresses explicit-section globals with a 32-bit sign-extended
    # immediate in the large code model: clang 18.1.8, 19.1.7, 20.1.8, 21.1.8 emit
    # R_X86_64_32S; 16, 17 and 22 emit R_X86_64_64.
    KnownBug(
        name="fastisel-explicit-section-large",
        affected_majors=(18, 19, 20, 21),
        code_model="large",
        relocation_model="static",
        opt_levels=("0",),
        oracles=frozenset({"r_x86_64_32s", "abs32", "kexec-overflow"}),
        source_pattern=r"\bsection\s*\(",
    ),
)


@dataclass(frozen=True)
class Case:
    name: str
    oracle: str
    oracle_args: tuple[str, ...]
    flags: tuple[str, ...]
    reduce_with: str
    fixed_with: str
    interesting_with: tuple[str, ...]
    not_interesting_with: tuple[str, ...]
    reduce_args: tuple[str, ...] = ()  # extra `reduce` flags (e.g. --keep-names)
    # Compilers that show the bug on the reduced reproducer though they cannot read the
    # original (llc 16 and LLVM 19's IR): XFAILed like interesting_with.
    reduced_also_affects: tuple[str, ...] = ()
    # Compilers whose tools cannot read the emitted test (opt 16 and LLVM 19's `range`
    # attribute): UNSUPPORTED there.
    unsupported_with: tuple[str, ...] = ()
    # A clang crash report as the input: the run script's name in the case directory.
    crash_report: str = ""
    directory: Path | None = None  # cases/<name>, holding input.c, input.ll or the report

    @property
    def input(self) -> Path:
        """input.ll when the case has one (LLVM IR), the preprocessed source of its crash
        report, else input.c."""
        directory = self.directory or CASES_DIR / self.name
        ir = directory / "input.ll"
        if ir.is_file():
            return ir
        if self.crash_report:
            return read_crash_script(directory / self.crash_report).source
        return directory / "input.c"

    @property
    def is_ir(self) -> bool:
        return self.input.suffix == ".ll"

    @property
    def compile_argv(self) -> list[str]:
        return [self.reduce_with, *self.flags]

    @property
    def spec(self) -> OracleSpec:
        """The oracle, parsed from case.toml's words by the CLI's own options."""
        return oracle_spec_from_words(["--oracle", self.oracle, *self.oracle_args])

    @property
    def test_kinds(self) -> tuple[str, ...]:
        """The test kinds emitted for it (IR input: only the kinds that take IR)."""
        return tuple(kind.name for kind in fitting_kinds(self.spec, self.is_ir))

    @property
    def emits(self) -> bool:
        """Its oracle names a test kind, so lit-tests/<case>/ holds emitted tests for it."""
        return bool(self.test_kinds)

    @property
    def lit_dir(self) -> Path:
        return LIT_DIR / self.name

    @property
    def reduced(self) -> Path:
        return self.lit_dir / ("reduced" + self.input.suffix)

    @property
    def unsupported(self) -> list[str]:
        majors = {m for m in map(major_of, self.unsupported_with) if m is not None}
        return [f"llvm-{m}" for m in sorted(majors)]

    def xfail(self, settings: CodegenSettings, source: str) -> list[str]:
        if not self.fixed_with:
            return []
        affected = (*self.interesting_with, *self.reduced_also_affects)
        majors = {m for m in map(major_of, affected) if m is not None}
        for bug in KNOWN_BUGS:
            if bug.applies(settings, self.oracle, source):
                majors.update(bug.affected_majors)
        majors -= {m for m in map(major_of, self.not_interesting_with) if m is not None}
        return [f"llvm-{m}" for m in sorted(majors)]


def load_case(directory: Path) -> Case:
    """``directory``'s case.toml; anything wrong with it (unreadable, not UTF-8, not TOML,
    a key missing or of the wrong type) is a one-line InputError naming the file."""
    path = directory / "case.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from None

    def text(key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            what = "is missing" if value is None else "must be a string"
            raise InputError(f"{path}: {key} {what}")
        return value

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise InputError(f"{path}: {key} must be a list of strings")
        return tuple(value)

    return Case(
        name=directory.name,
        oracle=text("oracle"),
        oracle_args=words("oracle_args"),
        flags=words("flags"),
        reduce_with=text("reduce_with"),
        fixed_with=text("fixed_with", ""),
        interesting_with=words("interesting_with"),
        not_interesting_with=words("not_interesting_with"),
        reduce_args=words("reduce_args"),
        reduced_also_affects=words("reduced_also_affects"),
        unsupported_with=words("unsupported_with"),
        crash_report=text("crash_report", ""),
        directory=directory,
    )


def all_cases() -> list[Case]:
    if not CASES_DIR.is_dir():
        return []
    return [load_case(d) for d in sorted(CASES_DIR.iterdir()) if (d / "case.toml").is_file()]


def generate(
    case: Case,
    out_dir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    verify: bool = False,
    reduced: Path | None = None,
) -> EmitReport:
    """Emit the case's tests from its reduced file (lit-tests/<case>/reduced.c unless
    ``reduced`` is given) into ``out_dir``; returns the EmitReport."""
    reduced = reduced or case.reduced
    if not reduced.is_file():
        raise InputError(f"{reduced} is missing: put the reduced reproducer there first")
    source = reduced.read_text()
    settings = (
        llc_settings(case.flags, source)
        if case.is_ir
        else query_cc1(case.compile_argv, timeout).settings()
    )
    spec = replace(case.spec, timeout=timeout)
    compile = CompileCommand.from_user(case.compile_argv, timeout, reduced.parent)
    return emit_tests(
        reduced,
        spec,
        compile,
        out_dir,
        fixed_compile=compile.with_program(case.fixed_with) if case.fixed_with else None,
        name=case.name,
        xfail=case.xfail(settings, source),
        unsupported=case.unsupported,
        verify=verify,
        variant="downstream",
    )


def differences(case: Case, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """Names of the committed tests that differ from a fresh emission (or are missing)."""
    with tempfile.TemporaryDirectory(prefix="reducer-regen-") as tmp:
        report = generate(case, Path(tmp), timeout)
        changed = []
        for path in report.paths:
            committed = case.lit_dir / path.name
            if not committed.is_file() or committed.read_text() != path.read_text():
                changed.append(str(committed.relative_to(REPO)))
        return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reducer.commands.cases", description=__doc__)
    parser.add_argument("cases", nargs="*", help="case names (default: all with a reduced.c)")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--verify", action="store_true", help="also print verification tables")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = parser.parse_args(argv)
    cases = [c for c in all_cases() if c.emits and (not args.cases or c.name in args.cases)]
    if not args.cases:
        cases = [c for c in cases if c.reduced.is_file()]
    status = 0
    for case in cases:
        try:
            if args.check:
                changed = differences(case, args.timeout)
                print(
                    f"{case.name}: "
                    + ("differs: " + ", ".join(changed) if changed else "up to date")
                )
                status |= bool(changed)
            else:
                report = generate(case, case.lit_dir, args.timeout, verify=args.verify)
                print(
                    f"{case.name}: wrote "
                    + ", ".join(str(p.relative_to(REPO)) for p in report.paths)
                )
                if args.verify:
                    print(report.table())
                    status |= not report.ok
        except ReducerError as exc:
            print(f"{case.name}: error: {exc}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
