"""The reduction cases under cases/: their case.toml is well formed, and every claim it
makes about which compilers show the behaviour holds on the ORIGINAL input.c (or input.ll).

The relocation check here is written directly against ``reducer.elf`` (not through the
oracles) so that a bug in an oracle cannot make a case look right. The same goes for the
cases of the other oracles (crash, diag, symbol, sections, section, asm): their claims are
checked on the compiler's own stderr, the symbol table and section headers read with
``reducer.elf``, or the assembly text.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from reducer.compiler import STYLE_DRIVER, STYLE_LLC, style_of
from reducer.elf import R_X86_64_32, R_X86_64_32S, Relocation, read_object
from reducer.intake.crash_report import read_crash_script
from tests.conftest import CASES, case_input, require_tool

REQUIRED_CASES = (
    "purgatory-O0-sha256",
    "text-ltext-mixed",
    "canonicalize-crash",
    "unterminated-string-warning",
    "strlen-idiom-libcall",
    "purgatory-two-code-sections",
    "purgatory-sha-regions-asm",
    "instcombine-fshl-range",
    "canonicalize-ir-llc",
    "bf16-x87-crash-report",
    "splat-binop-ir-llc",
    "format-truncation-false-warning",
    "loop-versioning-non-lcssa",
)

# key -> the type tomllib gives it
SCHEMA: dict[str, type] = {
    "description": str,
    "oracle": str,
    "oracle_args": list,
    "reduce_args": list,
    "flags": list,
    "reduce_with": str,
    "fixed_with": str,
    "interesting_with": list,
    "not_interesting_with": list,
    "max_reduced_bytes": int,
}
# Compilers that show the bug on lit-tests/<case>/reduced.* but cannot read the original
# (llc 16 and LLVM 19's IR); checked below on the reduced reproducer.
# unsupported_with: releases whose tools cannot read the emitted test (checked below).
# crash_report: the case's input is a clang crash report (the run script's name).
OPTIONAL_SCHEMA: dict[str, type] = {
    "reduced_also_affects": list,
    "unsupported_with": list,
    "crash_report": str,
}
ORACLE_TYPES: dict[str, frozenset[int]] = {
    "r_x86_64_32": frozenset({R_X86_64_32}),
    "r_x86_64_32s": frozenset({R_X86_64_32S}),
    "abs32": frozenset({R_X86_64_32, R_X86_64_32S}),
}
# The other oracles, by the name before ':'; True when the text after ':' is required.
BEHAVIOUR_ORACLES: dict[str, bool] = {
    "crash": False,
    "diag": True,
    "symbol": True,
    "sections": False,
    "section": True,
    "asm": True,
    "miscompile": False,
}
FILTER_OPTIONS = {"--symbol": "symbol", "--target-section": "target_section"}
COMPILE_TIMEOUT = 60


def normalized_size(text: str) -> int:
    return len(re.sub(r"\s+", " ", text).strip().encode("utf-8"))


def case_dirs() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/case.toml"))


def load_case(case_dir: Path) -> dict[str, object]:
    with (case_dir / "case.toml").open("rb") as f:
        return tomllib.load(f)


@dataclass(frozen=True)
class Wanted:
    types: frozenset[int]
    symbol: str | None = None
    target_section: str | None = None

    def matches(self, reloc: Relocation) -> bool:
        return (
            reloc.rtype in self.types
            and (self.symbol is None or reloc.symbol == self.symbol)
            and (self.target_section is None or reloc.symbol_section == self.target_section)
        )


def parse_oracle_args(args: list[str]) -> dict[str, str]:
    """``["--symbol", "x", "--target-section=.s"]`` -> ``{"symbol": "x", ...}``."""
    filters: dict[str, str] = {}
    rest = list(args)
    while rest:
        option = rest.pop(0)
        name, eq, value = option.partition("=")
        if name not in FILTER_OPTIONS:
            raise ValueError(f"unsupported oracle argument {option!r}")
        if not eq:
            if not rest:
                raise ValueError(f"{option} needs a value")
            value = rest.pop(0)
        if not value:
            raise ValueError(f"{name} has an empty value")
        filters[FILTER_OPTIONS[name]] = value
    return filters


def wanted_for(case: dict[str, object]) -> Wanted:
    oracle_args = case["oracle_args"]
    assert isinstance(oracle_args, list)
    return Wanted(ORACLE_TYPES[str(case["oracle"])], **parse_oracle_args(oracle_args))


CASE_IDS = [d.name for d in case_dirs()]


def test_required_cases_exist() -> None:
    missing = [name for name in REQUIRED_CASES if not (CASES / name / "case.toml").is_file()]
    assert not missing, f"cases missing: {missing}"


@pytest.mark.parametrize("case_dir", case_dirs(), ids=CASE_IDS)
def test_case_toml_is_well_formed(case_dir: Path) -> None:
    case = load_case(case_dir)
    keys = set(case) - set(OPTIONAL_SCHEMA)
    assert keys == set(SCHEMA), f"keys differ: {sorted(keys ^ set(SCHEMA))}"
    for key, expected in OPTIONAL_SCHEMA.items():
        assert isinstance(case.get(key, expected()), expected), f"{key} should be a list"
    for key, expected in SCHEMA.items():
        value = case[key]
        # bool is an int subclass; a TOML boolean is never a valid byte bound
        assert isinstance(value, expected) and not isinstance(value, bool), (
            f"{key} should be {expected.__name__}, got {type(value).__name__}"
        )
    for key in ("oracle_args", "reduce_args", "flags", "interesting_with", "not_interesting_with"):
        items = case[key]
        assert isinstance(items, list)
        assert all(isinstance(item, str) and item for item in items), f"{key}: non-empty strings"

    assert str(case["description"]).strip(), "description is empty"
    oracle = str(case["oracle"])
    if is_relocation_case(case):
        wanted_for(case)  # raises on malformed oracle_args
    else:
        name, colon, argument = oracle.partition(":")
        assert name in BEHAVIOUR_ORACLES, f"unknown oracle {oracle!r}"
        if BEHAVIOUR_ORACLES[name]:
            assert colon and argument, f"oracle {name} needs an argument: {oracle!r}"
        elif name == "sections":
            assert not colon, "sections takes no argument"
        if name in ("crash", "diag", "asm") and argument:
            re.compile(argument, re.MULTILINE)  # raises on a bad regex
        args = case["oracle_args"]
        assert not {"--symbol", "--target-section"} & set(args), (
            "the behaviour oracles take no --symbol/--target-section"
        )
        assert all(a == "-X" for a in args[::2]), "only -X KEY=VALUE settings"

    flags = case["flags"]
    assert isinstance(flags, list)
    if style_of(str(case["reduce_with"])) == STYLE_DRIVER:
        assert "-c" in flags, "flags must compile to an object (-c)"
    else:
        assert (case_dir / "input.ll").is_file(), "an llc/opt case's input is input.ll"
    assert "-o" not in flags, "flags must not name an output (-o is added by the tools)"

    interesting = case["interesting_with"]
    not_interesting = case["not_interesting_with"]
    assert isinstance(interesting, list) and isinstance(not_interesting, list)
    assert interesting, "interesting_with must name at least one compiler"
    assert not set(interesting) & set(not_interesting), "a compiler is claimed both ways"
    assert case["reduce_with"] in interesting, "reduce_with must be in interesting_with"
    fixed = case["fixed_with"]
    assert fixed == "" or fixed in not_interesting, "fixed_with must be in not_interesting_with"

    source = case_input(case_dir)
    assert source.is_file(), f"{source} missing"
    bound = case["max_reduced_bytes"]
    assert isinstance(bound, int)
    assert 0 < bound < normalized_size(source.read_text(encoding="utf-8")), (
        "max_reduced_bytes must be positive and smaller than the input"
    )


CRASH_REPORT_CASES = [d for d in case_dirs() if load_case(d).get("crash_report")]


@pytest.mark.parametrize("case_dir", CRASH_REPORT_CASES, ids=[d.name for d in CRASH_REPORT_CASES])
def test_crash_report_case_is_clangs_own_report(case_dir: Path) -> None:
    """A crash-report case holds clang's script and the preprocessed source it names, and
    case.toml's flags and compiler are the script's (what reduce --crash-report uses)."""
    case = load_case(case_dir)
    script = read_crash_script(case_dir / str(case["crash_report"]))
    assert script.source.parent == case_dir and script.source.is_file()
    assert not (case_dir / "input.c").exists(), "the report is the input"
    assert list(script.driver_args) == case["flags"]
    assert script.version.startswith(f"Debian clang version {str(case['reduce_with'])[6:]}.")
    assert "# 1 " in script.source.read_text(), "clang's preprocessed output has line markers"


def is_relocation_case(case: dict[str, object]) -> bool:
    return str(case.get("oracle")) in ORACLE_TYPES


def claims(relocations: bool = True) -> list[tuple[Path, str, bool]]:
    out: list[tuple[Path, str, bool]] = []
    for case_dir in case_dirs():
        case = load_case(case_dir)
        if is_relocation_case(case) != relocations:
            continue
        for key, expected in (("interesting_with", True), ("not_interesting_with", False)):
            compilers = case.get(key, [])
            if isinstance(compilers, list):  # malformed files fail the schema test instead
                out.extend((case_dir, str(compiler), expected) for compiler in compilers)
    return out


def claim_id(claim: tuple[Path, str, bool]) -> str:
    case_dir, compiler, expected = claim
    return f"{case_dir.name}-{compiler}-{'yes' if expected else 'no'}"


def debian_package(compiler: str) -> str:
    # clang-19 comes from the Debian package clang-19, gcc-12 from gcc-12, and so on.
    return compiler


@pytest.mark.compilers
@pytest.mark.parametrize("claim", claims(), ids=[claim_id(c) for c in claims()])
def test_relocation_claim_holds(claim: tuple[Path, str, bool], tmp_path: Path) -> None:
    case_dir, compiler, expected = claim
    case = load_case(case_dir)
    program = require_tool(compiler, debian_package(compiler))
    flags = case["flags"]
    assert isinstance(flags, list)
    obj = tmp_path / "input.o"
    argv = [program, *map(str, flags), "-o", str(obj), str(case_input(case_dir))]
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=COMPILE_TIMEOUT, check=False
    )
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{result.stderr}"

    wanted = wanted_for(case)
    code = read_object(obj.read_bytes()).code_relocations()
    assert code, "no relocations in code sections at all: the case is degenerate"
    hits = [r for r in code if wanted.matches(r)]
    if expected:
        assert hits, (
            f"{compiler}: expected a {case['oracle']} match {case['oracle_args']} in code; "
            f"found only {sorted({(r.type_name, r.symbol) for r in code})}"
        )
    else:
        assert not hits, f"{compiler}: unexpected {[r.describe() for r in hits]}"


@pytest.mark.compilers
def test_text_ltext_case_really_has_two_text_sections(tmp_path: Path) -> None:
    """The point of text-ltext-mixed is an object with both .text and .ltext."""
    case_dir = CASES / "text-ltext-mixed"
    assert case_dir.is_dir(), "case text-ltext-mixed is missing"
    case = load_case(case_dir)
    program = require_tool(str(case["reduce_with"]), debian_package(str(case["reduce_with"])))
    obj = tmp_path / "input.o"
    flags = case["flags"]
    assert isinstance(flags, list)
    subprocess.run(
        [program, *map(str, flags), "-o", str(obj), str(case_input(case_dir))],
        capture_output=True,
        timeout=COMPILE_TIMEOUT,
        check=True,
    )
    sections = read_object(obj.read_bytes()).executable_sections
    assert ".text" in sections and ".ltext" in sections, sections


# Printed by LLVM when it crashes or gives up (release builds: report_fatal_error).
CRASH_BANNERS = ("PLEASE submit a bug report", "fatal error: error in backend", "LLVM ERROR:")
DIAGNOSTIC_LINE = re.compile(r"^\S.*?:\d+:\d+: (?:fatal error|error|warning): ", re.MULTILINE)


def compile_case(
    program: str, flags: list[str], source: Path, output: Path, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    # -fno-crash-diagnostics: a crashing case must not leave reproducer files in /tmp
    # (a driver's flag; llc and opt write none).
    quiet = ["-fno-crash-diagnostics"] if style_of(program) == STYLE_DRIVER else []
    argv = [program, *flags, *extra, *quiet, "-o", str(output), str(source)]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=COMPILE_TIMEOUT, check=False
    )


def shows_behaviour(
    oracle: str, program: str, flags: list[str], source: Path, tmp: Path, invalid: bool = False
) -> bool:
    """Whether the compiler shows what the case's oracle looks for, checked by hand."""
    name, _, argument = oracle.partition(":")
    obj = tmp / "input.o"
    if name == "miscompile":
        return runs_differ_from_o0(program, flags, source, tmp)
    if name == "asm":
        # llc writes assembly unless told otherwise; a clang driver needs -S.
        to_asm = ("-S",) if style_of(program) != STYLE_LLC else ()
        result = compile_case(program, flags, source, tmp / "input.s", to_asm)
        assert result.returncode == 0, result.stderr
        text = (tmp / "input.s").read_text()
        return re.search(argument, text, re.MULTILINE) is not None
    result = compile_case(program, flags, source, obj)
    if name == "crash":
        crashed = result.returncode < 0 or any(b in result.stderr for b in CRASH_BANNERS)
        if not crashed:
            # A crash on invalid code (-X invalid=yes): the fixed compiler reports errors.
            assert invalid or result.returncode == 0, (
                f"neither a crash nor a clean compile:\n{result.stderr}"
            )
            return False
        return not argument or re.search(argument, result.stderr, re.MULTILINE) is not None
    if name == "diag":
        lines = [line for line in result.stderr.splitlines() if DIAGNOSTIC_LINE.match(line)]
        hit = any(re.search(argument, line) for line in lines)
        assert hit or result.returncode == 0, result.stderr
        return hit
    assert result.returncode == 0, result.stderr
    info = read_object(obj.read_bytes())
    if name == "symbol":
        symbol, _, mode = argument.partition("=")
        found = [s for s in info.symbols if s.name == symbol]
        want_defined = mode == "defined"
        return any(s.defined == want_defined for s in found)
    if name == "sections":
        return len(info.executable_sections) > 1
    if name == "section":
        present = not argument.startswith("!")
        return (argument.removeprefix("!") in info.sections) == present
    raise AssertionError(f"no direct check for oracle {oracle!r}")


def runs_differ_from_o0(program: str, flags: list[str], source: Path, tmp: Path) -> bool:
    """Linked with the case's flags (without -c) and at -O0, run: do the outputs differ?"""
    link = [f for f in flags if f != "-c"]
    outputs = []
    for name, words in (
        ("opt", link),
        ("o0", [*[f for f in link if not f.startswith("-O")], "-O0"]),
    ):
        exe = tmp / f"{name}.exe"
        built = compile_case(program, words, source, exe)
        assert built.returncode == 0, built.stderr
        run = subprocess.run([str(exe)], capture_output=True, timeout=30, check=False)
        outputs.append((run.returncode, run.stdout))
    return outputs[0] != outputs[1]


BEHAVIOUR_CLAIMS = claims(relocations=False)


@pytest.mark.compilers
@pytest.mark.parametrize("claim", BEHAVIOUR_CLAIMS, ids=[claim_id(c) for c in BEHAVIOUR_CLAIMS])
def test_behaviour_claim_holds(claim: tuple[Path, str, bool], tmp_path: Path) -> None:
    case_dir, compiler, expected = claim
    case = load_case(case_dir)
    program = require_tool(compiler, debian_package(compiler))
    flags = case["flags"]
    assert isinstance(flags, list)
    oracle = str(case["oracle"])
    invalid = "invalid=yes" in list(map(str, case["oracle_args"]))  # type: ignore[call-overload]
    source = case_input(case_dir)
    seen = shows_behaviour(oracle, program, list(map(str, flags)), source, tmp_path, invalid)
    assert seen == expected, f"{compiler}: {oracle} expected {expected}, saw {seen}"


@pytest.mark.compilers
def test_two_code_sections_case_has_text_and_ltext_only_with_clang19(tmp_path: Path) -> None:
    """purgatory-two-code-sections: .text (the asm entry) + .ltext (the C) with clang 19,
    and a single .text with clang 16."""
    case_dir = CASES / "purgatory-two-code-sections"
    case = load_case(case_dir)
    flags = case["flags"]
    assert isinstance(flags, list)
    found = {}
    for compiler in ("clang-19", "clang-16"):
        program = require_tool(compiler, debian_package(compiler))
        obj = tmp_path / f"{compiler}.o"
        result = compile_case(program, list(map(str, flags)), case_input(case_dir), obj)
        assert result.returncode == 0, result.stderr
        found[compiler] = read_object(obj.read_bytes()).executable_sections
    assert found == {"clang-19": (".text", ".ltext"), "clang-16": (".text",)}


@pytest.mark.compilers
def test_crash_case_is_a_backend_error_not_a_signal(tmp_path: Path) -> None:
    """canonicalize-crash: a release clang 19 gives up with report_fatal_error (exit 70),
    and the message names the node it cannot select."""
    case_dir = CASES / "canonicalize-crash"
    case = load_case(case_dir)
    flags = case["flags"]
    assert isinstance(flags, list)
    program = require_tool("clang-19", "clang-19")
    result = compile_case(program, list(map(str, flags)), case_input(case_dir), tmp_path / "x.o")
    assert result.returncode == 70, result.stderr
    assert re.search(
        r"fatal error: error in backend: Cannot select: .* fcanonicalize", result.stderr
    )


def optional_claims(key: str) -> list[tuple[Path, str]]:
    """(case directory, compiler) for each compiler an optional case.toml list names."""
    return [
        (case_dir, str(compiler))
        for case_dir in case_dirs()
        for compiler in load_case(case_dir).get(key, [])
    ]


def claim_ids(claims: list[tuple[Path, str]]) -> list[str]:
    return [f"{case_dir.name}-{compiler}" for case_dir, compiler in claims]


REDUCED_CLAIMS = optional_claims("reduced_also_affects")
UNSUPPORTED_CLAIMS = optional_claims("unsupported_with")


@pytest.mark.compilers
@pytest.mark.parametrize("claim", REDUCED_CLAIMS, ids=claim_ids(REDUCED_CLAIMS))
def test_reduced_also_affects_holds_on_the_reduced_reproducer(
    claim: tuple[Path, str], tmp_path: Path
) -> None:
    case_dir, compiler = claim
    case = load_case(case_dir)
    program = require_tool(compiler, debian_package(compiler))
    flags = case["flags"]
    assert isinstance(flags, list)
    source = case_input(case_dir)
    if style_of(compiler) == STYLE_LLC and style_of(str(case["reduce_with"])) == STYLE_DRIVER:
        _llc_shows_the_crash_on_the_emitted_test(
            case_dir, case, compiler, program, source, tmp_path
        )
        return
    reduced = CASES.parent / "lit-tests" / case_dir.name / ("reduced" + source.suffix)
    assert reduced.is_file(), f"{reduced} missing"
    # ...and the claim is needed: the compiler cannot handle the original.
    original = compile_case(program, list(map(str, flags)), source, tmp_path / "o.o")
    assert original.returncode != 0, f"{compiler} reads the original: use interesting_with"
    oracle = str(case["oracle"])
    assert shows_behaviour(oracle, program, list(map(str, flags)), reduced, tmp_path)


@pytest.mark.compilers
@pytest.mark.parametrize("claim", UNSUPPORTED_CLAIMS, ids=claim_ids(UNSUPPORTED_CLAIMS))
def test_unsupported_with_cannot_read_the_emitted_test(claim: tuple[Path, str]) -> None:
    """The UNSUPPORTED line is no way around a failure: that release's llvm-as rejects
    the committed test's IR."""
    case_dir, compiler = claim
    major = compiler.rsplit("-", 1)[1]
    llvm_as = require_tool(f"llvm-as-{major}", f"llvm-{major}")
    tests = sorted((CASES.parent / "lit-tests" / case_dir.name).glob(f"{case_dir.name}.ll"))
    assert tests, f"no emitted .ll test for {case_dir.name}"
    for test in tests:
        result = subprocess.run(
            [llvm_as, "-o", "/dev/null", str(test)],
            capture_output=True,
            text=True,
            timeout=COMPILE_TIMEOUT,
            check=False,
        )
        assert result.returncode != 0 and "error:" in result.stderr, result.stderr


def _llc_shows_the_crash_on_the_emitted_test(
    case_dir: Path, case: dict[str, object], llc: str, program: str, source: Path, tmp: Path
) -> None:
    """A C case whose test is an llc test: that release's clang cannot compile the original
    (so interesting_with cannot name it), but its llc crashes the pinned way on the emitted
    test's IR."""
    major = llc.rsplit("-", 1)[1]
    clang = require_tool(f"clang-{major}", f"clang-{major}")
    flags = list(map(str, case["flags"]))  # type: ignore[call-overload]
    original = compile_case(clang, flags, source, tmp / "o.o")
    assert original.returncode != 0, f"clang-{major} reads the original: use interesting_with"
    assert not any(b in original.stderr for b in CRASH_BANNERS), "it crashes: interesting_with"
    test = CASES.parent / "lit-tests" / case_dir.name / f"{case_dir.name}.ll"
    run_line = next(x for x in test.read_text().splitlines() if x.startswith("; RUN: llc "))
    llc_flags = (
        run_line.split("<", 1)[0].split()[3:] + run_line.split("%s", 1)[1].split("|")[0].split()
    )
    result = subprocess.run(
        [program, *llc_flags, "-o", str(tmp / "t.s"), str(test)],
        capture_output=True,
        text=True,
        timeout=COMPILE_TIMEOUT,
        check=False,
    )
    _, _, pattern = str(case["oracle"]).partition(":")
    assert result.returncode != 0 and "LLVM ERROR:" in result.stderr, result.stderr
    assert not pattern or re.search(pattern, result.stderr, re.MULTILINE), result.stderr


# private_score(x) in lit-tests/splat-binop-ir-llc: lane 0 is x, the others 0; each lane
# is (lane & <3, 1, 0, 0>) | 5, and the result is their i16 sum.
SPLAT_DRIVER = r"""
#include <stdio.h>
short private_score(unsigned short);
int main(void) {
  for (unsigned x = 0; x < 8; x++) printf("%d\n", private_score(x));
  return 0;
}
"""


@pytest.mark.compilers
def test_splat_binop_case_is_a_wrong_result_at_run_time(tmp_path: Path) -> None:
    """splat-binop-ir-llc: the asm difference is a miscompile. The emitted test's IR built
    by each llc and run from a C driver gives the sum on llc 22 and something else on
    llc 16 and 19 (they return the argument register untouched)."""
    test = CASES.parent / "lit-tests" / "splat-binop-ir-llc" / "splat-binop-ir-llc.ll"
    clang = require_tool("clang-22", "clang-22")
    driver = tmp_path / "driver.c"
    driver.write_text(SPLAT_DRIVER)
    want = [str(((x & 3) | 5) + 5 + 5 + 5) for x in range(8)]
    got = {}
    for major in (16, 19, 22):
        llc = require_tool(f"llc-{major}", f"llvm-{major}")
        asm, exe = tmp_path / f"t{major}.s", tmp_path / f"t{major}"
        for argv in (
            [llc, "-mtriple=x86_64-pc-linux-gnu", "-o", str(asm), str(test)],
            [clang, "-fno-crash-diagnostics", "-o", str(exe), str(driver), str(asm)],
        ):
            built = subprocess.run(
                argv, capture_output=True, text=True, timeout=COMPILE_TIMEOUT, check=False
            )
            assert built.returncode == 0, built.stderr
        run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=30, check=True)
        got[major] = run.stdout.split()
    assert got[22] == want
    assert got[19] != want and got[16] != want, got
