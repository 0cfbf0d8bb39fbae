"""Never lose work, never confuse the user: crashes, hangs, flaky oracles, concurrent runs,
determinism, and fuzzed command lines."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reducer.cli import main
from reducer.errors import ExitCode
from tests.conftest import LARGE_O0, REPRODUCER

DOCUMENTED = {int(code) for code in ExitCode}


def fake_compiler(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fakecc"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


def run_cli(*argv: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reducer", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_compiler_crash_on_the_original(tmp_path: Path) -> None:
    compiler = fake_compiler(
        tmp_path,
        'echo "clang: error: unable to execute command: Segmentation fault" >&2; kill -SEGV $$',
    )
    source = tmp_path / "in.c"
    source.write_text(REPRODUCER)
    result = run_cli("--oracle", "abs32", str(source), "--", str(compiler), "-c")
    assert result.returncode == ExitCode.COMPILER
    assert (
        "compiler failed on the original" in result.stderr and "Segmentation fault" in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) <= 2 and "Traceback" not in result.stderr
    assert source.read_text() == REPRODUCER


def test_compiler_hang_is_killed_with_its_children(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    compiler = fake_compiler(tmp_path, f"sleep 300 & echo $! > {marker}; wait")
    source = tmp_path / "in.c"
    source.write_text(REPRODUCER)
    result = run_cli(
        "--timeout", "1", "--oracle", "abs32", str(source), "--", str(compiler), "-c", timeout=60
    )
    assert result.returncode == ExitCode.COMPILER
    assert "timed out on the original" in result.stderr
    child = int(marker.read_text())
    state = Path(f"/proc/{child}/stat")
    assert not state.exists(), f"the compiler's child {child} is still there: {state.read_text()}"


def test_flaky_oracle_is_reported_and_the_last_result_kept(tmp_path: Path) -> None:
    # Interesting for the first 6 calls, never after: the final re-check must notice.
    counter = tmp_path / "calls"
    script = tmp_path / "flaky.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"n=$(cat {counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {counter}\n"
        '[ "$n" -le 6 ] && grep -q needle in.c\n'
    )
    script.chmod(0o755)
    source = tmp_path / "in.c"
    source.write_text("".join(f"int v{i};\n" for i in range(30)) + "int needle;\n")
    output = tmp_path / "out.c"
    result = run_cli("-j1", "--oracle", f"script:{script}", "-o", str(output), str(source))
    assert result.returncode == ExitCode.FLAKY, result.stderr
    assert "flaky oracle" in result.stderr and str(output) in result.stderr
    assert "needle" in output.read_text()


@pytest.mark.compilers
def test_two_runs_on_the_same_output_at_once(tmp_path: Path, clang19: str) -> None:
    source = tmp_path / "in.c"
    source.write_text("int unused;\n" + REPRODUCER + "int g(void) { return 1; }\n")
    argv = [
        sys.executable,
        "-m",
        "reducer",
        "-q",
        "-j1",
        "--oracle",
        "r_x86_64_32s",
        str(source),
        "--",
        clang19,
        *LARGE_O0,
    ]
    runs = [subprocess.Popen(argv, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    # Both want in.reduced.c: the second to get there refuses (it used to race the
    # first's writes, the later rename winning, and both said they succeeded).
    codes = sorted(run.returncode for run in runs)
    assert codes == [ExitCode.OK, ExitCode.OUTPUT], errors
    refused = errors[[run.returncode for run in runs].index(ExitCode.OUTPUT)]
    assert "another run is writing" in refused and len(refused.strip().splitlines()) == 1
    reduced = (tmp_path / "in.reduced.c").read_text()
    assert "section" in reduced and "unused" not in reduced
    assert not list(tmp_path.glob(".in.reduced.c.*.tmp"))  # no temp files left behind
    assert not (tmp_path / ".in.reduced.c.lock").exists()


@pytest.mark.compilers
def test_ten_runs_give_byte_identical_output(tmp_path: Path, clang19: str) -> None:
    source = tmp_path / "q.c"
    source.write_text(
        "struct r { unsigned long start, len; };\n"
        'struct r regions[4] __attribute__((section(".kexec-purgatory")));\n'
        "int verify(void) { struct r *p = regions; return p != 0; }\n"
    )
    outputs = set()
    for run in range(10):
        out = tmp_path / f"out{run}.c"
        assert (
            main(
                [
                    "-q",
                    "-j2",
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
        outputs.add(out.read_bytes())
    assert len(outputs) == 1


ORACLES = ["abs32", "r_x86_64_32", "r_x86_64_32s", "kexec-overflow", "bogus", "script:/nonexistent"]
FLAGS = ["-O0", "-O2", "-mcmodel=large", "-fno-pic", "-c", "--bogus-flag", "-x", "c", "-w", "-g"]
WORDS = [
    "int",
    "a",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ";",
    "=",
    "&",
    "*",
    '__attribute__((section("x")))',
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=200),
        st.lists(st.sampled_from(WORDS), max_size=30).map(lambda words: " ".join(words).encode()),
    ),
    oracle=st.sampled_from(ORACLES),
    flags=st.lists(st.sampled_from(FLAGS), max_size=5),
    extra=st.lists(
        st.sampled_from(["-j1", "-q", "--json", "--symbol", "a", "-j", "0", "--nope"]), max_size=3
    ),
)
def test_fuzzed_inputs_and_flags_never_traceback(
    tmp_path: Path, content: bytes, oracle: str, flags: list[str], extra: list[str]
) -> None:
    source = tmp_path / "fuzz.c"
    source.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            [
                *extra,
                "--timeout",
                "10",
                "--oracle",
                oracle,
                "-o",
                str(tmp_path / "o.c"),
                str(source),
                "--",
                "clang-19",
                "--target=x86_64-linux-gnu",
                *flags,
            ]
        )
    assert code in DOCUMENTED, err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert source.read_bytes() == content
