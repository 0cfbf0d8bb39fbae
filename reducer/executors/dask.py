"""Oracle calls on a Dask distributed cluster (PyPI ``distributed``), for reductions whose
compiles are slow and for batch triage.

``--executor dask:local[:N]`` starts a local cluster of N single-threaded worker processes
for one run, listening on 127.0.0.1 only (a Dask scheduler runs whatever it is sent);
``--executor dask:tcp://HOST:PORT`` or ``dask:tls://HOST:PORT`` uses a running scheduler
(TLS with the certificates of --dask-tls-ca/--dask-tls-cert/--dask-tls-key, or else Dask's
own security settings from its configuration).

Each task carries the oracle (a frozen value that pickles) and the candidate text; the
worker writes the text to a private directory under the original file name and runs the
oracle there. Workers need the same compilers on PATH: their versions are compared with
the client's once, at start. The engine sees ordinary concurrent futures, so results do
not depend on the executor: the engine picks winners in pass order, never by finish time.
"""

from __future__ import annotations

import contextlib
import logging
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reducer.compiler import compiler_version
from reducer.errors import ExecutorError, UsageError
from reducer.oracles.base import Oracle, check_text
from reducer.verdict import Verdict

CONNECT_TIMEOUT = 20.0  # seconds to reach a scheduler before giving up


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


def check_on_worker(oracle: Oracle, file_name: str, text: str) -> Verdict:
    """What a worker runs for one candidate (module level, so it pickles by reference)."""
    return check_text(oracle, text, file_name)


def worker_versions(programs: list[str]) -> dict[str, str]:
    return {program: compiler_version(program) for program in programs}


def parse_address(spec: str) -> tuple[str, int | None]:
    """'dask:local' -> ('local', None); 'dask:local:4' -> ('local', 4);
    'dask:tcp://h:8786' -> ('tcp://h:8786', None)."""
    rest = spec.removeprefix("dask:")
    if rest == "local":
        return "local", None
    if rest.startswith("local:"):
        count = rest.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise UsageError(f"--executor {spec}: the worker count must be a positive number")
        return "local", int(count)
    if rest.startswith(("tcp://", "tls://")):
        return rest, None
    raise UsageError(
        f"--executor {spec}: expected dask:local[:N], dask:tcp://HOST:PORT or dask:tls://HOST:PORT"
    )


class DaskExecutor:
    def __init__(
        self,
        oracle: Oracle,
        file_name: str,
        address: str,
        workers: int | None = None,
        programs: list[str] | None = None,
        tls: TlsFiles | None = None,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
            from distributed.security import Security
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise ExecutorError(f"the dask executor needs PyPI 'distributed': {exc}") from None
        # Dask logs connection trouble with tracebacks on stderr; our errors say it in one
        # line (ExecutorError), so its own logging stays quiet.
        for name in ["distributed", *logging.root.manager.loggerDict]:
            if name.startswith("distributed"):
                logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        self._oracle = oracle
        self._file_name = file_name
        self._cluster: Any = None
        try:
            if address == "local":
                self._cluster = LocalCluster(
                    n_workers=workers or 2,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
                self._client = Client(self._cluster, timeout=CONNECT_TIMEOUT)
            elif tls is not None:
                security = Security(
                    tls_ca_file=str(tls.ca),
                    tls_client_cert=str(tls.cert),
                    tls_client_key=str(tls.key),
                    require_encryption=True,
                )
                self._client = Client(address, timeout=CONNECT_TIMEOUT, security=security)
            else:
                self._client = Client(address, timeout=CONNECT_TIMEOUT)
        except TypeError as exc:
            # distributed's way of saying a tls:// address came without certificates
            self.close()
            raise ExecutorError(
                f"cannot reach the Dask scheduler at {address}: no TLS certificates "
                "(give --dask-tls-ca/--dask-tls-cert/--dask-tls-key or set them in Dask's "
                f"configuration): {' '.join(str(exc).split())}"
            ) from None
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            text = " ".join(str(exc).split())
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {text}") from None
        self._check_versions(programs or [])

    def _check_versions(self, programs: list[str]) -> None:
        if not programs:
            return
        local = worker_versions(programs)
        for worker, versions in self._client.run(worker_versions, programs).items():
            for program, version in versions.items():
                if version != local[program]:
                    self.close()
                    raise ExecutorError(
                        f"Dask worker {worker} has another {program}: {version!r}, "
                        f"not {local[program]!r} as here"
                    )

    @property
    def capacity(self) -> int:
        try:
            return max(1, sum(self._client.nthreads().values()))
        except (OSError, TimeoutError) as exc:  # CommClosedError: the scheduler is gone
            # The engine asks this when a pass starts, possibly before any task of the lost
            # cluster has failed: the same one-line error as a failed task, not a traceback.
            text = " ".join(str(exc).split())
            raise ExecutorError(f"lost the Dask scheduler: {type(exc).__name__}: {text}") from None

    def submit(self, text: str) -> Future[Verdict]:
        return self.submit_check(self._oracle, text)

    def submit_check(self, oracle: Oracle, text: str) -> Future[Verdict]:
        """Another oracle on a text (matrix: the same file, one oracle per compiler)."""
        result: Future[Verdict] = Future()
        remote = self._client.submit(check_on_worker, oracle, self._file_name, text, pure=False)

        def done(finished: Any) -> None:
            try:
                verdict = finished.result()
            except BaseException as exc:  # the worker's oracle raised, or the cluster is gone
                text = " ".join(str(exc).split())  # error messages here are one line
                failure = ExecutorError(f"a Dask task failed: {type(exc).__name__}: {text}")
                with contextlib.suppress(InvalidStateError):  # cancelled meanwhile
                    result.set_exception(failure)
                return
            with contextlib.suppress(InvalidStateError):
                result.set_result(verdict)

        remote.add_done_callback(done)

        def cancel_remote(f: Future[Verdict]) -> None:
            if f.cancelled():
                with contextlib.suppress(Exception):
                    remote.cancel()

        result.add_done_callback(cancel_remote)
        return result

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
