"""End to end: each case of the crash/diag/symbol/sections/asm oracles reduces with --good-cc
(the fixed_with compiler) to at most its max_reduced_bytes, the result still shows the
behaviour with the bad compiler and not with the good one, and it is the committed
lit-tests/<case>/reduced.c."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.ctokens import normalized_size
from reducer.oracles import OracleSpec
from tests.conftest import CASES, REPO, case_input, require_tool

NEW_ORACLE_CASES = (
    "canonicalize-crash",
    "unterminated-string-warning",
    "strlen-idiom-libcall",
    "purgatory-two-code-sections",
    "purgatory-sha-regions-asm",
    "canonicalize-ir-llc",  # LLVM IR for llc, reduced by llvm-reduce
    "x86-fp80-pow2-asm",  # a miscompile the run-time oracle cannot see (-O0 is wrong too)
    "splat-binop-ir-llc",  # an IR miscompile for llc, seen through its assembly
    "format-truncation-false-warning",  # a false warning, -X quiet=yes, <stdio.h>
)


@pytest.mark.compilers
@pytest.mark.slow
@pytest.mark.parametrize("name", NEW_ORACLE_CASES)
def test_case_reduces_differentially_within_its_bound(tmp_path: Path, name: str) -> None:
    case = CASES / name
    meta = tomllib.loads((case / "case.toml").read_text())
    bad = require_tool(meta["reduce_with"], meta["reduce_with"])
    good = require_tool(meta["fixed_with"], meta["fixed_with"])
    source = case_input(case)
    output = tmp_path / ("out" + source.suffix)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reducer",
            "-q",
            "--json",
            "--oracle",
            meta["oracle"],
            *meta["oracle_args"],
            *meta["reduce_args"],
            "--good-cc",
            good,
            "-o",
            str(output),
            str(source),
            "--",
            bad,
            *meta["flags"],
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    reduced = output.read_text()
    assert normalized_size(reduced) <= meta["max_reduced_bytes"], reduced
    assert summary["final_normalized_bytes"] < summary["original_normalized_bytes"] / 5
    # Checked again here, outside the reduction, through the oracle layer.
    spec = OracleSpec.parse(meta["oracle"])
    candidate = tmp_path / "check" / source.name
    candidate.parent.mkdir()
    candidate.write_text(reduced)
    assert spec.build(CompileCommand.from_user([bad, *meta["flags"]])).check(candidate).interesting
    fixed = spec.build(CompileCommand.from_user([good, *meta["flags"]])).check(candidate)
    assert not fixed.interesting and not fixed.compile_failed, fixed.reason
    # The same reduction as test_cli's check that lit-tests/<case>/reduced.c is what reduce
    # makes today (that test leaves these cases to this one: one reduction, not two).
    committed = REPO / "lit-tests" / name / ("reduced" + source.suffix)
    if committed.is_file():
        assert reduced == committed.read_text(), (
            f"refresh {committed} and run `python -m reducer.commands.cases {name}`"
        )
