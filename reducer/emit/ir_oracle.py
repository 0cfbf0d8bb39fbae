"""The IR-level version of an oracle: compile LLVM IR with ``llc -filetype=obj`` instead of C
with clang, then ask the same registered oracle about the object.

Any oracle that compiles through reducer.objects works unchanged: the spec builds it aimed
at an llc-style CompileCommand, which asks llc for an object or assembly as clang is asked.
With a fixed llc the rule is reducer.oracles.Differential's, as for C.

Used in-process to verify IR clean-ups and (through reducer.engine.llvm_reduce) as llvm-reduce's
interestingness test; also a command of its own:

    python -m reducer.emit.ir_oracle --oracle-spec JSON --affected LLC [--fixed LLC]
        --flags "-O0 -code-model=large ..." FILE.ll

Exit 0 = interesting: the affected llc shows the behaviour and (when given) the fixed llc
compiles the IR without showing it. IR that only "reproduces" through undefined behaviour
llvm-reduce introduces (undef/poison operands, loads and stores through null) is rejected
so the reduced test stays something a reviewer accepts. (Calls through null, too.)
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import STYLE_LLC, CompileCommand
from reducer.errors import ReducerError
from reducer.oracles import Oracle, OracleSpec, Verdict, check_text
from reducer.oracles.ir_undefined import NO_UB, UB_PATTERNS, more_undefined_behaviour
from reducer.scratch import read_candidate


@dataclass(frozen=True)
class IrOracleSpec:
    """Everything needed to judge one IR file: the user's oracle, aimed at llc."""

    oracle: OracleSpec
    affected_llc: str
    fixed_llc: str | None
    flags: tuple[str, ...]  # llc flags without -filetype/-o
    # per kind of _UB_PATTERNS: how many such sites the starting IR had
    allowed_ub: tuple[int, ...] = NO_UB

    @property
    def timeout(self) -> float:
        return self.oracle.timeout

    def command(self, llc: str) -> CompileCommand:
        return CompileCommand((llc, *self.flags), self.timeout, STYLE_LLC)

    def build(self) -> Oracle:
        fixed = self.command(self.fixed_llc) if self.fixed_llc else None
        return self.oracle.aimed(
            self.command(self.affected_llc), fixed, ("affected llc", "fixed llc")
        )

    def cli_args(self) -> list[str]:
        args = ["--oracle-spec", self.oracle.to_json(), "--affected", self.affected_llc]
        if self.fixed_llc:
            args += ["--fixed", self.fixed_llc]
        if any(self.allowed_ub):
            args += ["--allowed-ub", ",".join(map(str, self.allowed_ub))]
        return [*args, "--flags", shlex.join(self.flags)]


def _ub_counts(value: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in value.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not comma-separated counts: {value!r}") from exc
    if len(counts) != len(UB_PATTERNS) or min(counts) < 0:
        raise argparse.ArgumentTypeError(f"need {len(UB_PATTERNS)} counts >= 0: {value!r}")
    return counts


def judge_text(spec: IrOracleSpec, text: str) -> Verdict:
    """Write ``text`` to a private directory and judge it (objects land next to it)."""
    example = more_undefined_behaviour(text, spec.allowed_ub)
    if example is not None:
        return Verdict(False, f"rejects IR with more undefined behaviour: {example!r}")
    return check_text(spec.build(), text, "candidate.ll")


def judge_file(spec: IrOracleSpec, path: Path) -> Verdict:
    return judge_text(spec, read_candidate(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reducer.emit.ir_oracle")
    parser.add_argument("--oracle-spec", required=True, help="OracleSpec.to_json()")
    parser.add_argument("--affected", required=True, help="the llc that shows the behaviour")
    parser.add_argument("--fixed", help="an llc that must compile the IR without showing it")
    parser.add_argument("--flags", default="", help="llc flags, one shell-quoted string")
    parser.add_argument(
        "--allowed-ub",
        type=_ub_counts,
        default=NO_UB,
        help="undef-or-poison,null-access,null-call sites the input had (e.g. 1,0,0)",
    )
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    for llc in filter(None, (args.affected, args.fixed)):
        if shutil.which(llc) is None:
            print(f"ir_oracle: {llc} not found", file=sys.stderr)
            return 2
    try:
        spec = IrOracleSpec(
            OracleSpec.from_json(args.oracle_spec),
            args.affected,
            args.fixed,
            tuple(shlex.split(args.flags)),
            args.allowed_ub,
        )
        verdict = judge_file(spec, args.file)
    except (ReducerError, ValueError, TypeError, KeyError) as exc:
        print(f"ir_oracle: {exc}", file=sys.stderr)
        return 2
    if args.verbose:
        print(("interesting: " if verdict.interesting else "not interesting: ") + verdict.reason)
    return 0 if verdict.interesting else 1


if __name__ == "__main__":
    sys.exit(main())
