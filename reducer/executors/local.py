"""The local executor: a pool of threads, each with a private scratch directory."""

from __future__ import annotations

import contextlib
import queue
import shutil
import tempfile
import threading
from concurrent.futures import Future, InvalidStateError, ThreadPoolExecutor
from pathlib import Path

from reducer.oracles.base import Oracle, check_text
from reducer.process import Cancelled, CancelScope, cancellable
from reducer.verdict import Verdict


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
            return check_text(oracle or self._oracle, text, self._file_name, directory)
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
