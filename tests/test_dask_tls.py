"""A Dask cluster over TLS: self-signed certificates made here, a TLS scheduler and worker on
127.0.0.1 (random port, killed with their process groups), a reduction through them with
--dask-tls-ca/--dask-tls-cert/--dask-tls-key that matches the local executor's output, and
clients without the cluster's certificates refused with the executor's one-line error."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reducer.errors import ExitCode
from tests.conftest import LARGE_O0, REPO, need_compiler, require_tool
from tests.test_dask import DASK, _kill, _start, scheduler_address, worker_argv

pytestmark = [pytest.mark.compilers, pytest.mark.slow]

SOURCE = (
    "struct r { unsigned long start, len; };\n"
    'struct r regions[16] __attribute__((section(".kexec-purgatory")));\n'
    "void update(void *s, const void *p, unsigned long n);\n"
    "int verify(void *s) {\n"
    "  struct r *ptr, *end = regions + 16;\n"
    "  for (ptr = regions; ptr < end; ptr++) update(s, (void *)ptr->start, ptr->len);\n"
    "  return 0;\n"
    "}\n"
)


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificates(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """A CA and one certificate it signed for 127.0.0.1: (ca, cert, key)."""
    directory.mkdir()
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        f"/CN={name}-ca",
        cwd=directory,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "node.key",
        "-out",
        "node.csr",
        "-subj",
        "/CN=127.0.0.1",
        cwd=directory,
    )
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl(
        "x509",
        "-req",
        "-in",
        "node.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "node.pem",
        "-days",
        "1",
        "-extfile",
        "san.ext",
        cwd=directory,
    )
    return directory / "ca.pem", directory / "node.pem", directory / "node.key"


class TlsCluster:
    def __init__(self, root: Path) -> None:
        self.ca, self.cert, self.key = make_certificates(root / "pki", "cluster")
        tls = [
            "--tls-ca-file",
            str(self.ca),
            "--tls-cert",
            str(self.cert),
            "--tls-key",
            str(self.key),
        ]
        file = root / "scheduler.json"
        self.scheduler = _start(
            [
                str(DASK),
                "scheduler",
                "--protocol",
                "tls",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(file),
                *tls,
            ],
            root / "scheduler.log",
        )
        self.address = scheduler_address(file, self.scheduler, root / "scheduler.log")
        assert self.address.startswith("tls://127.0.0.1:")
        self.worker = _start(
            worker_argv(self.address, "--protocol", "tls", *tls),
            root / "worker.log",
        )
        from distributed import Client
        from distributed.security import Security

        security = Security(
            tls_ca_file=str(self.ca),
            tls_client_cert=str(self.cert),
            tls_client_key=str(self.key),
            require_encryption=True,
        )
        with Client(self.address, timeout=30, security=security) as client:
            client.wait_for_workers(1, timeout=60)

    def close(self) -> None:
        for process in (self.worker, self.scheduler):
            _kill(process)


@pytest.fixture
def tls_cluster(tmp_path: Path) -> Iterator[TlsCluster]:
    require_tool("openssl", "openssl")
    if not DASK.exists():
        pytest.fail(f"{DASK} missing: the package's 'distributed' dependency is not installed")
    cluster = TlsCluster(tmp_path)
    try:
        yield cluster
    finally:
        cluster.close()


def _reduce(tmp_path: Path, name: str, *executor: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / f"{name}.c"
    source.write_text(SOURCE)
    argv = [
        str(Path(sys.executable).parent / "reduce"),
        "--oracle",
        "r_x86_64_32s",
        *executor,
        "-q",
        "-o",
        str(tmp_path / f"{name}.out.c"),
        str(source),
        "--",
        need_compiler("clang-19"),
        *LARGE_O0,
    ]
    return subprocess.run(argv, capture_output=True, text=True, cwd=REPO, timeout=400, check=False)


def test_reduction_over_tls_matches_local_and_strangers_are_refused(
    tmp_path: Path, tls_cluster: TlsCluster
) -> None:
    c = tls_cluster
    local = _reduce(tmp_path, "local", "--executor", "local")
    assert local.returncode == 0, local.stderr
    remote = _reduce(
        tmp_path,
        "tls",
        "--executor",
        f"dask:{c.address}",
        "--dask-tls-ca",
        str(c.ca),
        "--dask-tls-cert",
        str(c.cert),
        "--dask-tls-key",
        str(c.key),
    )
    assert remote.returncode == 0, remote.stderr
    assert (tmp_path / "tls.out.c").read_bytes() == (tmp_path / "local.out.c").read_bytes()

    # A client with a certificate from another CA: the scheduler will not talk to it.
    ca, cert, key = make_certificates(tmp_path / "stranger", "stranger")
    stranger = _reduce(
        tmp_path,
        "stranger",
        "--executor",
        f"dask:{c.address}",
        "--dask-tls-ca",
        str(ca),
        "--dask-tls-cert",
        str(cert),
        "--dask-tls-key",
        str(key),
    )
    assert stranger.returncode == ExitCode.EXECUTOR, stranger.stderr
    assert stranger.stderr.count("\n") == 1 and "cannot reach the Dask scheduler" in stranger.stderr
    assert not (tmp_path / "stranger.out.c").exists()
    # No certificate at all (Dask's default configuration has none): refused too.
    bare = _reduce(tmp_path, "bare", "--executor", f"dask:{c.address}")
    assert bare.returncode == ExitCode.EXECUTOR, bare.stderr
    assert bare.stderr.count("\n") == 1, bare.stderr


def test_tls_files_are_for_tls_and_come_together(tmp_path: Path) -> None:
    some = tmp_path / "x.pem"
    some.write_text("x")
    for extra in (
        ["--executor", "dask:tcp://127.0.0.1:9", "--dask-tls-ca", str(some)],
        ["--executor", "dask:tls://127.0.0.1:9", "--dask-tls-ca", str(some)],
    ):
        result = _reduce(tmp_path, "usage", *extra)
        assert result.returncode == ExitCode.USAGE, result.stderr
        assert result.stderr.count("\n") == 1 and "--dask-tls" in result.stderr
