"""The Dask executor against a real scheduler and two workers on 127.0.0.1 (started here,
random ports, killed with their process groups at the end): the output is byte-identical
to the local executor's, a worker killed by SIGKILL mid-run changes nothing, and a lost
scheduler is a one-line error with the documented exit code and the best result kept."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reducer.errors import ExitCode
from tests.conftest import CASES, REPO, need_compiler

pytestmark = [pytest.mark.compilers, pytest.mark.slow]

DASK = Path(sys.executable).parent / "dask"
CASE = CASES / "purgatory-O0-sha256" / "input.c"
FLAGS = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
LIFETIME = "600s"  # no process outlives a hung test by more than this


def _start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Killed with SIGKILL, a scheduler or worker leaves its dask-scratch-space behind: in
    # the test's own directory (TMPDIR), not in /tmp.
    env = {**os.environ, "TMPDIR": str(log.parent)}
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def scheduler_address(file: Path, scheduler: subprocess.Popen[bytes], log: Path) -> str:
    """The address a starting `dask scheduler` writes to its --scheduler-file."""
    deadline = time.monotonic() + 60
    while not file.exists():
        if time.monotonic() > deadline or scheduler.poll() is not None:
            raise RuntimeError("dask scheduler did not start: " + log.read_text())
        time.sleep(0.2)
    return str(json.loads(file.read_text())["address"])


def worker_argv(address: str, *extra: str) -> list[str]:
    """One single-threaded worker on 127.0.0.1 that ends by itself after LIFETIME."""
    return [
        str(DASK),
        "worker",
        address,
        "--nthreads",
        "1",
        "--no-nanny",
        "--no-dashboard",
        "--host",
        "127.0.0.1",
        "--lifetime",
        LIFETIME,
        *extra,
    ]


class Cluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / "scheduler.json"
        self.scheduler = _start(
            [
                str(DASK),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(self.file),
            ],
            root / "scheduler.log",
        )
        self.address = scheduler_address(self.file, self.scheduler, root / "scheduler.log")
        self.workers = [self.add_worker(i) for i in range(2)]
        self.wait_for_workers(2)

    def add_worker(self, index: int) -> subprocess.Popen[bytes]:
        return _start(worker_argv(self.address), self.root / f"worker{index}.log")

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(count, timeout=60)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            _kill(process)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if not DASK.exists():
        pytest.fail(f"{DASK} missing: the package's 'distributed' dependency is not installed")
    running = Cluster(tmp_path)
    try:
        yield running
    finally:
        running.close()


def _reduce(tmp_path: Path, name: str, executor: str) -> subprocess.Popen[bytes]:
    source = tmp_path / f"{name}.c"
    source.write_text(CASE.read_text())
    argv = [
        str(Path(sys.executable).parent / "reduce"),
        "--oracle",
        "r_x86_64_32s",
        "--keep-names",
        "--good-cc",
        need_compiler("clang-22"),
        "--executor",
        executor,
        "-q",
        "-o",
        str(tmp_path / f"{name}.out.c"),
        str(source),
        "--",
        need_compiler("clang-19"),
        *FLAGS,
    ]
    return subprocess.Popen(argv, stderr=subprocess.PIPE, cwd=REPO, start_new_session=True)


def _finish(process: subprocess.Popen[bytes], timeout: float = 400) -> tuple[int, str]:
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err.decode()


def _wait_for_a_first_improvement(process: subprocess.Popen[bytes], output: Path) -> None:
    """Mid-run: the original is checked and the first pass has written a smaller file.
    (A fixed sleep raced the run: on a fast day the whole reduction took under 8 s.)"""
    deadline = time.monotonic() + 120
    while not output.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def test_dask_output_is_byte_identical_to_local_even_when_a_worker_is_killed(
    tmp_path: Path, cluster: Cluster
) -> None:
    local = _reduce(tmp_path, "local", "local")
    assert _finish(local)[0] == 0
    remote = _reduce(tmp_path, "dask", f"dask:{cluster.address}")
    _wait_for_a_first_improvement(remote, tmp_path / "dask.out.c")
    assert remote.poll() is None, "the reduction ended before a worker could be killed"
    _kill(cluster.workers[0])  # its calls are re-run on the other worker
    code, err = _finish(remote)
    assert code == 0, err
    assert (tmp_path / "dask.out.c").read_bytes() == (tmp_path / "local.out.c").read_bytes()


def test_a_lost_scheduler_is_a_one_line_error_and_the_best_result_is_kept(
    tmp_path: Path, cluster: Cluster
) -> None:
    remote = _reduce(tmp_path, "lost", f"dask:{cluster.address}")
    _wait_for_a_first_improvement(remote, tmp_path / "lost.out.c")
    assert remote.poll() is None, "the reduction ended before the scheduler could be killed"
    _kill(cluster.scheduler)
    code, err = _finish(remote)
    assert code == ExitCode.EXECUTOR, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("reduce: error: "), err
    assert "best result so far" in err and "re-checked here: INTERESTING" in err
    assert (tmp_path / "lost.out.c").stat().st_size < len(CASE.read_bytes())


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    source = tmp_path / "u.c"
    source.write_text(CASE.read_text())
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "reduce"),
            "--oracle",
            "r_x86_64_32s",
            "--executor",
            "dask:tcp://127.0.0.1:9",
            "-q",
            str(source),
            "--",
            need_compiler("clang-19"),
            *FLAGS,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == ExitCode.EXECUTOR, result.stderr
    assert result.stderr.count("\n") == 1 and "cannot reach the Dask scheduler" in result.stderr
    assert not (tmp_path / "u.reduced.c").exists()


def test_matrix_through_the_cluster_gives_the_local_table(tmp_path: Path, cluster: Cluster) -> None:
    # matrix uses the same executors: one task per compiler, the table unchanged.
    source = CASES / "strlen-idiom-libcall" / "input.c"
    argv = [
        str(Path(sys.executable).parent / "reduce"),
        "matrix",
        str(source),
        "--oracle",
        "symbol:strlen",
        "--cc",
        need_compiler("clang-19"),
        "--cc",
        need_compiler("clang-22"),
    ]
    flags = ["--", "--target=x86_64-linux-gnu", "-O2", "-fno-pic", "-c"]
    local = subprocess.run([*argv, *flags], capture_output=True, text=True, timeout=300)
    remote = subprocess.run(
        [*argv, "--executor", f"dask:{cluster.address}", *flags],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    assert "AFFECTED      strlen is undefined" in remote.stdout


def test_asking_a_lost_scheduler_for_the_capacity_is_the_executor_error(cluster: Cluster) -> None:
    # The engine reads the capacity when a pass starts, possibly before any task of the
    # lost cluster has failed (clean-clone CI once saw a raw CommClosedError traceback).
    from reducer.errors import ExecutorError
    from reducer.executors.dask import DaskExecutor
    from reducer.oracles.base import Verdict

    class Unused:
        name = "unused"

        def check(self, candidate: Path) -> Verdict:
            raise AssertionError("no task runs here")

        def describe(self) -> str:
            return "unused"

    executor = DaskExecutor(Unused(), "t.c", cluster.address)  # type: ignore[arg-type]
    try:
        assert executor.capacity == 2  # the fixture's two workers
        _kill(cluster.scheduler)
        with pytest.raises(ExecutorError, match="lost the Dask scheduler"):
            for _ in range(60):  # the client notices within its heartbeat
                executor.capacity  # noqa: B018
                time.sleep(0.5)
    finally:
        executor.close()
