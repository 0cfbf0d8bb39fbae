"""Where oracle calls run. The engine only submits candidate texts and collects verdicts,
so a distributed executor can replace the local pool without touching passes or oracles.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import tempfile
import threading
from concurrent.futures import Future, InvalidStateError, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reducer.errors import UsageError
from reducer.oracles.base import Oracle, Verdict
from reducer.process import Cancelled, CancelScope, cancellable


class Executor(Protocol):
    """Runs oracle calls. ``submit`` returns a future that stays cancellable until the
    call's verdict is in: ``future.cancel()`` on a running call stops it (the local pool
    kills its compiler) and the future never gets a result."""

    @property
    def capacity(self) -> int:
        """How many candidates it can usefully test at once."""
        ...

    def submit(self, text: str) -> Future[Verdict]: ...

    def submit_check(self, oracle: Oracle, text: str) -> Future[Verdict]:
        """Another oracle than the executor's own on a text (matrix: one per compiler)."""
        ...

    def close(self) -> None: ...


class LocalPoolExecutor:
    """Threads that each own a private scratch directory, reused across calls.

    The heavy work (the compiler) runs in subprocesses, so threads are enough to keep
    every core busy, and the oracle needs no pickling.
    """

    def __init__(self, oracle: Oracle, file_name: str, jobs: int) -> None:
        self._oracle = oracle
        self._file_name = file_name
        self._jobs = max(1, jobs)
        self._root = Path(tempfile.mkdtemp(prefix="reducer-"))
        self._dirs: queue.Queue[Path] = queue.Queue()
        for index in range(self._jobs):
            directory = self._root / f"w{index}"
            directory.mkdir()
            self._dirs.put(directory)
        self._pool = ThreadPoolExecutor(max_workers=self._jobs, thread_name_prefix="oracle")
        self._outstanding: set[Future[Verdict]] = set()
        self._lock = threading.Lock()

    @property
    def capacity(self) -> int:
        return self._jobs

    def _run(self, text: str, oracle: Oracle | None = None) -> Verdict:
        directory = self._dirs.get()
        try:
            # Scripts may leave files behind; start each call from a clean directory.
            for leftover in directory.iterdir():
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
            candidate = directory / self._file_name
            candidate.write_text(text, encoding="utf-8")
            return (oracle or self._oracle).check(candidate)
        finally:
            self._dirs.put(directory)

    def _call(self, text: str, oracle: Oracle | None) -> Future[Verdict]:
        # The caller's future is not the pool's: it is never marked running, so cancel()
        # works on a running call too (a pool future refuses it once it runs), and the
        # cancellation reaches the compiler through the scope.
        result: Future[Verdict] = Future()
        scope = CancelScope()

        def finished(future: Future[Verdict]) -> None:
            if future.cancelled():
                scope.cancel()
            with self._lock:
                self._outstanding.discard(future)

        def work() -> None:
            if scope.cancelled:
                return
            try:
                with cancellable(scope):
                    verdict = self._run(text, oracle)
            except Cancelled:
                return
            except BaseException as exc:  # handed to whoever waits on the call
                with contextlib.suppress(InvalidStateError):  # cancelled meanwhile
                    result.set_exception(exc)
                return
            with contextlib.suppress(InvalidStateError):
                result.set_result(verdict)

        with self._lock:
            self._outstanding.add(result)
        result.add_done_callback(finished)
        self._pool.submit(work)
        return result

    def submit(self, text: str) -> Future[Verdict]:
        return self._call(text, None)

    def submit_check(self, oracle: Oracle, text: str) -> Future[Verdict]:
        """Another oracle on a text (matrix: the same file, one oracle per compiler)."""
        return self._call(text, oracle)

    def close(self) -> None:
        # Calls still queued or running are cancelled (their compilers killed), so that
        # nothing waits on them and no compile outlives the run.
        with self._lock:
            outstanding = list(self._outstanding)
        for future in outstanding:
            future.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._root, ignore_errors=True)


class WithOracle:
    """`inner`'s workers, every call made with `oracle` instead of the one `inner` was
    made with: what was learnt about the oracle after the executor started (the parse
    prefilter, decided by a call on the original) needs no second pool or cluster."""

    def __init__(self, inner: Executor, oracle: Oracle) -> None:
        self.inner = inner
        self.oracle = oracle

    @property
    def capacity(self) -> int:
        return self.inner.capacity

    def submit(self, text: str) -> Future[Verdict]:
        return self.inner.submit_check(self.oracle, text)

    def submit_check(self, oracle: Oracle, text: str) -> Future[Verdict]:
        return self.inner.submit_check(oracle, text)

    def close(self) -> None:
        self.inner.close()


@dataclass(frozen=True)
class TlsFiles:
    """--dask-tls-ca/--dask-tls-cert/--dask-tls-key: how this client proves itself to a
    tls:// Dask scheduler (and checks the scheduler's certificate)."""

    ca: Path
    cert: Path
    key: Path

    @classmethod
    def from_args(
        cls, ca: Path | None, cert: Path | None, key: Path | None, executor: str
    ) -> TlsFiles | None:
        given = [f for f in (ca, cert, key) if f is not None]
        if not given:
            return None  # a tls:// scheduler then uses Dask's own configuration
        if not executor.startswith("dask:tls://"):
            raise UsageError("--dask-tls-* are for --executor dask:tls://HOST:PORT")
        if ca is None or cert is None or key is None:
            raise UsageError("give all of --dask-tls-ca, --dask-tls-cert and --dask-tls-key")
        for path in (ca, cert, key):
            if not path.is_file():
                raise UsageError(f"--dask-tls-*: {path} is not a file")
        return cls(ca, cert, key)


def make_executor(
    spec: str,
    oracle: Oracle,
    file_name: str,
    jobs: int,
    programs: list[str],
    tls: TlsFiles | None = None,
) -> Executor:
    """``--executor``: "local" (threads, -j of them) or a Dask cluster (dask:...)."""
    if spec == "local":
        return LocalPoolExecutor(oracle, file_name, jobs)
    if spec.startswith("dask:"):
        from reducer.dask_executor import DaskExecutor, parse_address

        address, workers = parse_address(spec)
        return DaskExecutor(oracle, file_name, address, workers, programs, tls)
    raise UsageError(
        f"unknown --executor {spec!r}: use local, dask:local[:N] or dask:tcp://HOST:PORT"
    )
