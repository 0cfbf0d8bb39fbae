"""The kexec-overflow oracle plug-in: registration, configuration, compile + verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.errors import UsageError
from reducer.oracles import OracleSpec, oracle_names
from reducer.oracles.kexec import KexecOverflowOracle, parse_address
from tests.conftest import need_compiler as need

LARGE = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
REPRODUCER = 'int a[1] __attribute__((section("x"))); void f(){int*p=a;}\n'


def build_oracle(
    text: str, compile: CompileCommand | None, symbol: str | None = None, **options: str
):
    words = [f"{key}={value}" for key, value in options.items()]
    return OracleSpec.parse(text, symbol=symbol, options=words).build(compile)


def command(compiler: str) -> CompileCommand:
    return CompileCommand.from_user([need(compiler), *LARGE])


def candidate(tmp_path: Path, text: str = REPRODUCER) -> Path:
    path = tmp_path / "r.c"
    path.write_text(text)
    return path


def test_registered() -> None:
    assert "kexec-overflow" in oracle_names()


def test_parse_address() -> None:
    assert parse_address("0x13fffb000", "x") == 0x13FFFB000
    assert parse_address(4096, "x") == 4096
    assert parse_address("5368688640", "x") == 0x13FFFB000
    for bad in ("far", -1, 1 << 64, True, 1.5):
        with pytest.raises(UsageError):
            parse_address(bad, "load_address")


def test_bad_configuration_is_a_usage_error() -> None:
    cmd = CompileCommand(("clang", "-c"))
    with pytest.raises(UsageError):
        build_oracle("kexec-overflow", None)
    with pytest.raises(UsageError):
        build_oracle("kexec-overflow:arg", cmd)
    with pytest.raises(UsageError):
        build_oracle("kexec-overflow", cmd, multiple_exec_sections="yes")
    with pytest.raises(UsageError):
        build_oracle("kexec-overflow", cmd, load_address="high")
    oracle = build_oracle(
        "kexec-overflow",
        cmd,
        load_address="0x80000000",
        undefined_address="0",
    )
    assert isinstance(oracle, KexecOverflowOracle)
    assert oracle.load_address == 0x80000000 and oracle.undefined_address == 0


@pytest.mark.compilers
def test_oracle_on_reproducer(tmp_path: Path) -> None:
    bad = build_oracle("kexec-overflow", command("clang-19"))
    verdict = bad.check(candidate(tmp_path))
    assert verdict.interesting
    assert verdict.reason.startswith("Overflow in relocation type 11 value 0x13fffb0")
    assert [(r.rtype, r.symbol, r.function) for r in verdict.relocations] == [(11, "a", "f")]

    good = build_oracle("kexec-overflow", command("clang-22"))
    assert not good.check(candidate(tmp_path)).interesting

    low = build_oracle(
        "kexec-overflow",
        command("clang-19"),
        load_address="0x1000000",
    )
    assert not low.check(candidate(tmp_path)).interesting


@pytest.mark.compilers
def test_symbol_filter_restricts_what_counts(tmp_path: Path) -> None:
    oracle = build_oracle("kexec-overflow", command("clang-19"), symbol="other")
    verdict = oracle.check(candidate(tmp_path))
    assert not verdict.interesting
    assert "not counted" in verdict.reason and "(a in f)" in verdict.reason


@pytest.mark.compilers
def test_compile_failure_is_not_interesting(tmp_path: Path) -> None:
    oracle = build_oracle("kexec-overflow", command("clang-19"))
    verdict = oracle.check(candidate(tmp_path, "int f( {\n"))
    assert not verdict.interesting and verdict.compile_failed
