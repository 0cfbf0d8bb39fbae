"""The `reduce` command end to end, on real compilers and on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reducer.cli import main
from reducer.ctokens import normalized_size
from reducer.errors import ExitCode
from tests.conftest import CASES, LARGE_O0, REPRODUCER, case_input, reduce_input_words
from tests.test_oracle_cases import NEW_ORACLE_CASES

PURGATORY = CASES / "purgatory-O0-sha256"


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reducer", *argv],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.mark.compilers
@pytest.mark.slow
def test_purgatory_O0_case_reduces_with_clang19(tmp_path: Path, clang19: str) -> None:
    meta = tomllib.loads((PURGATORY / "case.toml").read_text())
    source = tmp_path / "input.c"
    original = (PURGATORY / "input.c").read_text()
    source.write_text(original)
    result = run_cli(
        "--oracle",
        meta["oracle"],
        *meta["oracle_args"],
        "--json",
        str(source),
        "--",
        clang19,
        *meta["flags"],
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    reduced = (tmp_path / "input.reduced.c").read_text()
    assert summary["output"] == str(tmp_path / "input.reduced.c")
    assert normalized_size(reduced) == summary["final_normalized_bytes"]
    assert normalized_size(reduced) <= min(160, meta["max_reduced_bytes"])
    assert "R_X86_64_32S" in summary["verdict"]
    # Names are shortened by default: the global was renamed, the original verdict named it.
    assert "purgatory_sha_regions" not in reduced
    assert "R_X86_64_32S purgatory_sha_regions" in result.stderr
    assert "parse prefilter: candidates libclang cannot parse" in result.stderr
    assert source.read_text() == original  # the input is never modified
    assert summary["oracle_calls"] > 0 and summary["original_tokens"] > summary["final_tokens"]
    assert "reduced" in result.stderr and "bytes" in result.stderr
    # The reduced file still shows the relocation when checked independently.
    check = run_cli(
        "--oracle",
        "r_x86_64_32s",
        "-j1",
        "-q",
        "-o",
        str(tmp_path / "again.c"),
        str(tmp_path / "input.reduced.c"),
        "--",
        clang19,
        *meta["flags"],
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.compilers
def test_the_parse_prefilter_changes_the_time_not_the_result(
    tmp_path: Path, clang19: str, need_libclang: None
) -> None:
    source = tmp_path / "in.c"
    source.write_text(
        "struct s { int x, y; };\n"
        "static int helper(struct s *p) { return p->x + p->y * 3; }\n"
        + REPRODUCER
        + "int g(int n) { int t = 0; for (int i = 0; i < n; i++) t += i; return t; }\n"
    )
    outputs = []
    for extra in ([], ["--no-parse-prefilter"]):
        output = tmp_path / f"out{len(outputs)}.c"
        result = run_cli(
            "--oracle", "r_x86_64_32s", "-j2", "--json", *extra, "-o", str(output),
            str(source), "--", clang19, *LARGE_O0,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert ("parse prefilter: candidates" in result.stderr) == (not extra)
        summary = json.loads(result.stdout)
        per_pass = summary["per_pass"].values()
        assert summary["prefiltered_calls"] == sum(p["prefiltered"] for p in per_pass)
        # Some candidates of this reduction do not parse (checked: many); off, none counts.
        assert (summary["prefiltered_calls"] > 0) == (not extra), summary
        outputs.append(output.read_text())
    assert outputs[0] == outputs[1]


@pytest.mark.compilers
@pytest.mark.parametrize("reads", ["object", "warning"])
def test_a_script_oracle_is_asked_whether_it_needs_valid_code(
    tmp_path: Path, clang19: str, need_libclang: None, reads: str
) -> None:
    # A C-Vise style script that compiles and reads the object rejects the original with
    # a syntax error appended, so unparsable candidates need not run it; one that greps
    # for a warning still sees the warning there, so every candidate runs it.
    source = tmp_path / "in.c"
    source.write_text(
        "struct s { int x, y; };\n"
        "static int helper(struct s *p) { int unused; return p->x + p->y * 3; }\n" + REPRODUCER
    )
    flags = " ".join(LARGE_O0)
    test = {
        "object": f"{clang19} {flags} in.c -o in.o && llvm-readelf-19 -r in.o | grep -q R_X86_64_32S",
        "warning": f"{clang19} -fsyntax-only -Wall in.c 2>&1 | grep -q 'unused variable'",
    }[reads]
    script = tmp_path / "test.sh"
    script.write_text(f"#!/bin/sh\n{test}\n")
    script.chmod(0o755)
    outputs = []
    for extra in ([], ["--no-parse-prefilter"]):
        output = tmp_path / f"out{len(outputs)}.c"
        result = run_cli(
            "--oracle", f"script:{script}", "-j2", "--json", *extra, "-o", str(output),
            str(source),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        rejects = "the oracle rejects the original with a syntax error appended"
        tried = "candidates that do not compile are tried too"
        assert (rejects in result.stderr, tried in result.stderr) == (
            reads == "object",
            reads == "warning",
        ), result.stderr
        summary = json.loads(result.stdout)
        prefiltered = reads == "object" and not extra
        assert (summary["prefiltered_calls"] > 0) == prefiltered, summary
        outputs.append(output.read_text())
    assert outputs[0] == outputs[1]


@pytest.mark.compilers
def test_same_command_with_clang22_is_not_interesting(tmp_path: Path, clang22: str) -> None:
    meta = tomllib.loads((PURGATORY / "case.toml").read_text())
    result = run_cli(
        "--oracle",
        meta["oracle"],
        str(PURGATORY / "input.c"),
        "-o",
        str(tmp_path / "out.c"),
        "--",
        clang22,
        *meta["flags"],
    )
    assert result.returncode == ExitCode.NOT_INTERESTING
    assert "not interesting" in result.stderr
    assert "no R_X86_64_32S" in result.stderr and "R_X86_64_64" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.c").exists()


@pytest.mark.compilers
def test_one_and_two_jobs_give_the_same_file_on_a_real_compiler(
    tmp_path: Path, clang19: str
) -> None:
    source = tmp_path / "q.c"
    source.write_text(
        "struct r { unsigned long start, len; };\n"
        'struct r regions[16] __attribute__((section(".kexec-purgatory")));\n'
        "void update(void *s, const void *p, unsigned long n);\n"
        "int verify(void *s) {\n"
        "  struct r *p, *end = regions + 16;\n"
        "  for (p = regions; p < end; p++) update(s, (void *)p->start, p->len);\n"
        "  return 0;\n}\n"
    )
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.c"
        assert (
            main(
                [
                    "-q",
                    "-j",
                    jobs,
                    "--oracle",
                    "r_x86_64_32s",
                    "-o",
                    str(out),
                    str(source),
                    "--",
                    clang19,
                    *LARGE_O0,
                ]
            )
            == 0
        )
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]


@pytest.mark.compilers
def test_script_oracle_reduces_like_cvise_scripts(tmp_path: Path, clang19: str) -> None:
    source = tmp_path / "t.c"
    source.write_text("int unused1;\n" + REPRODUCER + "int unused2(void) { return 3; }\n")
    script = tmp_path / "interesting.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"{clang19} {' '.join(LARGE_O0)} -w t.c -o t.o || exit 1\n"
        "llvm-readelf-19 -r t.o | grep -q R_X86_64_32S\n"
    )
    script.chmod(0o755)
    code = main(["-q", "--oracle", f"script:{script}", str(source)])
    assert code == 0
    reduced = (tmp_path / "t.reduced.c").read_text()
    assert "unused" not in reduced and "section" in reduced


@pytest.mark.compilers
def test_a_scripts_words_lead_the_narrowing_to_the_function_it_is_about(
    tmp_path: Path, clang19: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The function that stores the table's address is the last of 41: the halves' worst
    # case (9 focus calls at -j 1). The script greps for the table's name, which points
    # at that function, then at its statement: one call each.
    functions = "".join(f"int f{i}(int x) {{ return x * {i} + 1; }}\n" for i in range(40))
    calls = "".join(f"  s += f{i}(s);\n" for i in range(40))
    use = "  { int *p = needle_table; s += *p; }\n"
    source = tmp_path / "t.c"
    source.write_text(
        '__attribute__((section(".kexec-purgatory"))) int needle_table[4];\nint s;\n'
        + functions
        + "void last(void) {\n"
        + calls.replace("  s += f30(s);\n", use)
        + "}\n"
    )
    script = tmp_path / "check.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"{clang19} {' '.join(LARGE_O0)} -w -c t.c -o t.o >/dev/null 2>&1 || exit 1\n"
        "llvm-readelf-19 -r t.o | grep -q 'R_X86_64_32S.*needle_table'\n"
    )
    script.chmod(0o755)
    code = main(["-q", "-j", "1", "--json", "--oracle", f"script:{script}", str(source)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["per_pass"]["focus"]["calls"] <= 3
    assert summary["per_pass"]["focus"]["accepted"] == 2
    reduced = (tmp_path / "t.reduced.c").read_text()
    assert "needle_table" in reduced and "f30" not in reduced


@pytest.mark.compilers
def test_a_diagnostics_line_leads_the_narrowing_to_its_function(
    tmp_path: Path, clang19: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The warning is in the last of 41 functions (11 focus calls at -j 1 without its
    # line): the function that holds the line is kept first.
    functions = "".join(
        f"int f{i}(int x) {{ int y = x * {i}; return y + {i}; }}\n" for i in range(40)
    )
    source = tmp_path / "t.c"
    source.write_text(
        "int s;\n"
        + functions
        + "int last(int q) {\n  int u;\n  if (q) s = 1;\n  return u + s;\n}\n"
    )
    argv = ["-q", "-j", "1", "--json", "--oracle", "diag:uninitialized", str(source)]
    assert main([*argv, "--", clang19, "-c", "-Wall"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["per_pass"]["focus"]["calls"] <= 4
    reduced = (tmp_path / "t.reduced.c").read_text()
    assert "int u;" in reduced and "f39" not in reduced


def test_functions_at_lines() -> None:
    from reducer.commands.reduce import functions_at

    text = "int g;\nint a(void) {\n  return 1;\n}\nint b(void)\n{\n  return g;\n}\n"
    assert functions_at(text, (3,)) == {"a"}
    assert functions_at(text, (7, 2)) == {"a", "b"}
    assert functions_at(text, (1,)) == functions_at(text, ()) == frozenset()


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        ("missing", ExitCode.INPUT, "not found"),
        ("directory", ExitCode.INPUT, "is a directory"),
        ("empty", ExitCode.INPUT, "empty"),
        ("binary", ExitCode.INPUT, "binary"),
        ("latin1", ExitCode.INPUT, "not valid UTF-8"),
    ],
)
def test_bad_input_gets_one_line_and_an_exit_code(
    tmp_path: Path, setup: str, code: int, message: str
) -> None:
    path = tmp_path / "in.c"
    if setup == "directory":
        path.mkdir()
    elif setup == "empty":
        path.write_text("")
    elif setup == "binary":
        path.write_bytes(b"\x7fELF\0\0\1")
    elif setup == "latin1":
        path.write_bytes("int caf\xe9;".encode("latin-1"))
    before = path.read_bytes() if path.is_file() else None
    result = run_cli("--oracle", "abs32", str(path), "--", "clang-19", "-c")
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("reduce: error:")
    if before is not None:
        assert path.read_bytes() == before


def test_unknown_compiler_and_oracle(tmp_path: Path) -> None:
    path = tmp_path / "in.c"
    path.write_text(REPRODUCER)
    result = run_cli("--oracle", "abs32", str(path), "--", "clang-does-not-exist", "-c")
    assert result.returncode == ExitCode.COMPILER and "compiler not found" in result.stderr
    result = run_cli("--oracle", "nonsense", str(path), "--", sys.executable)
    assert result.returncode == ExitCode.USAGE and "unknown oracle" in result.stderr
    result = run_cli("--oracle", "abs32", str(path))
    assert result.returncode == ExitCode.USAGE and "compile command" in result.stderr


def test_unbalanced_quote_in_good_cc_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "in.c"
    path.write_text(REPRODUCER)
    result = run_cli("--oracle", "abs32", "--good-cc", "clang-22 '-O0", str(path), "--", "clang-19")
    assert result.returncode == ExitCode.USAGE
    assert "--good-cc" in result.stderr and "Traceback" not in result.stderr


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    path = tmp_path / "in.c"
    path.write_text(REPRODUCER)
    result = run_cli("--oracle", "abs32", "-o", str(path), str(path), "--", "clang-19", "-c")
    assert result.returncode == ExitCode.OUTPUT and "over the input" in result.stderr
    assert path.read_text() == REPRODUCER


def test_unwritable_output_directory(tmp_path: Path) -> None:
    # /proc refuses new files even to root, so this works in CI as root too.
    path = tmp_path / "in.c"
    path.write_text(REPRODUCER)
    result = run_cli("--oracle", "abs32", "-o", "/proc/reducer-out.c", str(path), "--", "clang-19")
    assert result.returncode == ExitCode.OUTPUT
    assert "not writable" in result.stderr and result.stderr.count("\n") == 1


def test_unwritable_emit_directory_fails_before_reducing(tmp_path: Path) -> None:
    path = tmp_path / "in.c"
    path.write_text(REPRODUCER)
    result = run_cli(
        "--oracle", "abs32", "--emit", "/proc/reducer-tests", str(path), "--", "clang-19", "-c"
    )
    assert result.returncode == ExitCode.OUTPUT
    assert "cannot write to directory /proc/reducer-tests" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "in.reduced.c").exists()


def test_compile_failure_on_the_original_is_reported_with_stderr(
    tmp_path: Path, clang19: str
) -> None:
    path = tmp_path / "in.c"
    path.write_text("int f( {\n")
    result = run_cli("--oracle", "abs32", str(path), "--", clang19, *LARGE_O0)
    assert result.returncode == ExitCode.COMPILER
    assert re.search(
        r"compiler failed on the original file: compile failed \(exit 1\).*error", result.stderr
    )


def _case_dirs() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/case.toml"))


@pytest.mark.compilers
@pytest.mark.slow
@pytest.mark.parametrize("case", _case_dirs(), ids=lambda p: p.name)
def test_every_case_reduces_within_its_bound(tmp_path: Path, case: Path) -> None:
    from tests.conftest import require_tool

    meta = tomllib.loads((case / "case.toml").read_text())
    compiler = require_tool(meta["reduce_with"], meta["reduce_with"])
    source = case_input(case)
    output = tmp_path / ("out" + source.suffix)
    result = run_cli(
        "--oracle",
        meta["oracle"],
        *meta["oracle_args"],
        "--json",
        "-q",
        "-o",
        str(output),
        *reduce_input_words(case, compiler, meta["flags"]),
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert normalized_size(output.read_text()) <= meta["max_reduced_bytes"], output.read_text()
    if summary["original_normalized_bytes"] > 1000:  # a few-line report is bounded above
        assert summary["final_normalized_bytes"] < summary["original_normalized_bytes"] / 5
    # Reducing the result again changes nothing (idempotence).
    again = tmp_path / ("again" + source.suffix)
    result = run_cli(
        "--oracle",
        meta["oracle"],
        *meta["oracle_args"],
        "-q",
        "-o",
        str(again),
        str(output),
        "--",
        compiler,
        *meta["flags"],
    )
    assert result.returncode == 0, result.stderr
    assert again.read_text() == output.read_text()


@pytest.mark.compilers
@pytest.mark.slow
def test_reduce_with_19_differential_against_22_and_emit_verified_tests(
    tmp_path: Path, clang19: str, clang22: str
) -> None:
    """The project's end-to-end case, exactly as the README's first command runs it."""
    source = tmp_path / "purgatory.c"
    source.write_text((PURGATORY / "input.c").read_text())
    meta = tomllib.loads((PURGATORY / "case.toml").read_text())
    result = run_cli(
        "--oracle",
        "r_x86_64_32s",
        "--keep-names",
        "--good-cc",
        clang22,
        "--emit",
        str(tmp_path / "tests"),
        str(source),
        "--",
        clang19,
        *meta["flags"],
    )
    assert result.returncode == 0, result.stderr + result.stdout
    reduced = (tmp_path / "purgatory.reduced.c").read_text()
    assert normalized_size(reduced) <= 160
    # The reproducer is valid C for the fixed compiler too (no incompatible pointers).
    check = subprocess.run(
        [
            clang22,
            *meta["flags"],
            "-Werror=incompatible-pointer-types",
            "-o",
            str(tmp_path / "r.o"),
            str(tmp_path / "purgatory.reduced.c"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    ll = (tmp_path / "tests" / "purgatory.ll").read_text()
    c_test = (tmp_path / "tests" / "purgatory.c").read_text()
    # The upstream shape: a sweep of six configurations, the bug's checked in its asm.
    assert len(ll.splitlines()) <= 90 and len(c_test.splitlines()) <= 30
    assert "--check-prefixes=CHECK,LARGE-STATIC" in ll
    assert "; LARGE-STATIC-NEXT:    movabsq $purgatory_sha_regions, %rax" in ll
    assert "%clang_cc1" in c_test and "REQUIRES: x86-registered-target" in c_test
    rows = [line for line in result.stdout.splitlines() if line.startswith("| purgatory")]
    assert len(rows) == 8 and all(row.rstrip().endswith("| yes         |") for row in rows)
    assert sum("FAIL (FileCheck: expected string not found)" in row for row in rows) == 4


@pytest.mark.compilers
@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    # The new oracles' cases are reduced (and compared) by tests/test_oracle_cases.py.
    [
        d
        for d in _case_dirs()
        if (d.parent.parent / "lit-tests" / d.name).is_dir() and d.name not in NEW_ORACLE_CASES
    ],
    ids=lambda p: p.name,
)
def test_lit_tests_reduced_files_are_what_reduce_makes_today(tmp_path: Path, case: Path) -> None:
    """lit-tests/<case>/reduced.c is documented as reduce's own output (differential
    against the fixed compiler); when a pass changes, refresh it and re-emit."""
    from tests.conftest import REPO, require_tool

    meta = tomllib.loads((case / "case.toml").read_text())
    compiler = require_tool(meta["reduce_with"], meta["reduce_with"])
    good = ["--good-cc", meta["fixed_with"]] if meta["fixed_with"] else []
    source = case_input(case)
    output = tmp_path / ("reduced" + source.suffix)
    result = run_cli(
        "-q",
        "--oracle",
        meta["oracle"],
        *meta["oracle_args"],
        *meta["reduce_args"],
        *good,
        "-o",
        str(output),
        *reduce_input_words(case, compiler, meta["flags"]),
    )
    assert result.returncode == 0, result.stderr
    committed = REPO / "lit-tests" / case.name / output.name
    assert output.read_text() == committed.read_text(), (
        f"refresh {committed} and run `python -m reducer.commands.cases {case.name}`"
    )


@pytest.mark.compilers
@pytest.mark.slow
def test_libclang_parameter_pass_takes_part_in_a_reduction(tmp_path: Path, clang19: str) -> None:
    """A prototype and a definition with three parameters, two calls: the parameters can
    only go together with the arguments, which is what the libclang `params` pass does."""
    source = tmp_path / "in.c"
    source.write_text(
        "struct config { long base; long size; int flags; int count; };\n"
        'struct config setup __attribute__((section(".kexec-purgatory")));\n'
        "static int check(struct config *cfg, long limit, int verbose);\n"
        "static int check(struct config *cfg, long limit, int verbose)\n"
        "{\n"
        "\tstruct config **slot = &cfg;\n"
        "\t*slot = &setup;\n"
        "\tif (verbose)\n"
        "\t\treturn cfg->count > limit;\n"
        "\treturn cfg->flags;\n"
        "}\n"
        "int entry(long limit)\n"
        "{\n"
        "\tstruct config local = { 1, 2, 3, 4 };\n"
        "\treturn check(&local, limit, 1) + check(&local, limit * 2, 0);\n"
        "}\n"
    )
    result = run_cli(
        "-q", "--json", "--oracle", "r_x86_64_32s", "--keep-names", str(source), "--",
        clang19, *LARGE_O0,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["per_pass"]["params"]["accepted"] >= 1, summary["per_pass"]
    reduced = (tmp_path / "in.reduced.c").read_text()
    assert "&setup" in reduced and "check(" not in reduced


@pytest.mark.compilers
@pytest.mark.slow
def test_unpreprocessed_kernel_style_input_loses_its_headers_and_macros(
    tmp_path: Path, clang19: str
) -> None:
    """Not preprocessed: system headers, `__section(s)` and `ARRAY_SIZE(a)` macros, as in
    the kernel's purgatory. The macros must be expanded away, not kept as #define lines."""
    source = tmp_path / "purgatory.c"
    source.write_text((Path(__file__).parent / "data" / "kernel_style.c").read_text())
    result = run_cli(
        "-q", "--json", "--oracle", "r_x86_64_32s", str(source), "--", clang19, *LARGE_O0
    )
    assert result.returncode == 0, result.stderr
    reduced = (tmp_path / "purgatory.reduced.c").read_text()
    assert "#" not in reduced and "__attribute__((section(" in reduced, reduced
    assert normalized_size(reduced) <= 70, reduced


def test_skip_pass_rejects_an_unknown_name(tmp_path: Path) -> None:
    source = tmp_path / "a.c"
    source.write_text(REPRODUCER)
    result = run_cli("--oracle", "r_x86_64_32s", "--skip-pass", "bogus", str(source), "--", "cc")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unknown pass 'bogus'" in result.stderr
    assert "params" in result.stderr  # the message lists the names
    assert not (tmp_path / "a.reduced.c").exists()


@pytest.mark.compilers
def test_skipped_passes_do_not_run(tmp_path: Path, clang19: str) -> None:
    source = tmp_path / "a.c"
    source.write_text(REPRODUCER)
    result = run_cli(
        "-q", "--json", "--oracle", "r_x86_64_32s", "--skip-pass", "tokens",
        "--skip-pass", "rename", str(source), "--", clang19, *LARGE_O0,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ran = json.loads(result.stdout)["per_pass"]
    assert "tokens" not in ran and "rename" not in ran and "lines" in ran


@pytest.mark.compilers
def test_relative_include_paths_and_quoted_includes_work_from_private_dirs(
    tmp_path: Path, clang19: str
) -> None:
    """Candidates compile in private directories: `-Iinclude` (relative to where the user
    runs reduce) and `#include "local.h"` (next to the original) must still resolve."""
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "defs.h").write_text(
        "#define __section(s) __attribute__((section(s)))\n"
    )
    (tmp_path / "local.h").write_text("extern int helper(int);\n")
    (tmp_path / "p.c").write_text(
        '#include <defs.h>\n#include "local.h"\n'
        'int regions[4] __section(".kexec-purgatory");\n'
        "int f(void) { int *p = regions; return helper(p[0]); }\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "reducer", "-q", "--oracle", "r_x86_64_32s", "p.c", "--",
         clang19, "-Iinclude", *LARGE_O0],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "regions" in (tmp_path / "p.c").read_text()  # untouched
    assert normalized_size((tmp_path / "p.reduced.c").read_text()) < 80


@pytest.mark.compilers
def test_preprocess_lets_header_macros_be_reduced_and_its_errors_are_one_line(
    tmp_path: Path, clang19: str
) -> None:
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "defs.h").write_text(
        "#define __section(s) __attribute__((section(s)))\n"
    )
    source = tmp_path / "p.c"
    source.write_text(
        '#include <defs.h>\nint regions[4] __section(".kexec-purgatory");\n'
        "int f(void) { int *p = regions; return p[0]; }\n"
    )
    include = f"-I{tmp_path / 'include'}"
    result = run_cli(
        "-q", "--preprocess", "--oracle", "r_x86_64_32s", str(source), "--",
        clang19, include, *LARGE_O0,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reduced = (tmp_path / "p.reduced.c").read_text()
    assert "#include" not in reduced and "__attribute__((section(" in reduced, reduced
    # Without the include path preprocessing fails: exit 5, one line, nothing written.
    (tmp_path / "p.reduced.c").unlink()
    result = run_cli(
        "--preprocess", "--oracle", "r_x86_64_32s", str(source), "--", clang19, *LARGE_O0
    )
    assert result.returncode == 5
    assert result.stderr.count("\n") == 1 and "preprocessing failed" in result.stderr
    assert not (tmp_path / "p.reduced.c").exists()
