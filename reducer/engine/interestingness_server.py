"""A resident oracle for an external reducer (llvm-reduce).

llvm-reduce runs its interestingness test as a fresh process for every candidate. Running
``python -m reducer.emit.ir_oracle`` there costs ~0.25 s of interpreter start-up and imports
per call, more than the two llc runs it wraps. Instead candidates are judged in this
process: it listens on a Unix socket in a private directory, and the test llvm-reduce runs
is a stdlib-only client (``python -SE``, a few milliseconds) that sends the candidate's
path and exits with the answer. What judges a candidate is the caller's (``judge``: the
IR oracle of emission, the user's oracle when `reduce` is given IR).

Protocol, one connection per candidate: the client sends the candidate's absolute path and a
newline; the server answers ``0`` (interesting), ``1`` (not interesting) or ``2`` (error) and
a newline. A client that cannot reach the server exits 2, which llvm-reduce treats as "not
interesting", so a dead server can never make a candidate look interesting.
"""

from __future__ import annotations

import contextlib
import shlex
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from reducer.errors import ReducerError
from reducer.verdict import Verdict

Judge = Callable[[Path], Verdict]

_CLIENT = """\
# llvm-reduce interestingness test written by reducer: asks the resident oracle
# listening on {socket_path!r} about the candidate in argv[1]; exit 0 = interesting.
import os
import socket
import sys

try:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect({socket_path!r})
        connection.sendall(os.path.abspath(sys.argv[1]).encode() + b"\\n")
        reply = b""
        while not reply.endswith(b"\\n"):
            chunk = connection.recv(16)
            if not chunk:
                break
            reply += chunk
    sys.exit(int(reply) if reply.strip() in (b"0", b"1") else 2)
except (OSError, IndexError, ValueError):
    sys.exit(2)
"""


class ResidentOracle:
    """Serve ``judge(path)`` on a Unix socket while the ``with`` block runs."""

    def __init__(self, judge: Judge) -> None:
        self.judge = judge
        self.calls = 0
        self._stop = threading.Event()
        # Unix socket paths are limited to ~107 bytes: a private directory under the
        # system temp dir keeps it short wherever the caller's work directory is.
        self._directory = Path(tempfile.mkdtemp(prefix="reducer-oracle-"))
        self.socket_path = self._directory / "oracle.sock"
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ResidentOracle:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.socket_path))
        listener.listen(8)
        listener.settimeout(0.1)  # so the loop notices _stop promptly
        self._listener = listener
        self._thread = threading.Thread(target=self._serve, name="resident-oracle", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._listener is not None:
            self._listener.close()
        for leftover in self._directory.iterdir():
            leftover.unlink()
        self._directory.rmdir()

    def write_test(self, directory: Path) -> Path:
        """The script llvm-reduce runs: sh only to exec the stdlib-only client."""
        client = directory / "ask_oracle.py"
        client.write_text(_CLIENT.format(socket_path=str(self.socket_path)))
        script = directory / "interesting.sh"
        script.write_text(
            "#!/bin/sh\n"
            "# llvm-reduce interestingness test written by reducer (exit 0 = interesting)\n"
            f'exec {shlex.join([sys.executable, "-SE", str(client)])} "$1"\n'
        )
        script.chmod(0o755)
        return script

    def _serve(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(None)
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        request = b""
        while not request.endswith(b"\n"):
            chunk = connection.recv(4096)
            if not chunk:
                return
            request += chunk
        self.calls += 1
        try:
            verdict = self.judge(Path(request.decode().strip()))
            answer = b"0\n" if verdict.interesting else b"1\n"
        except (ReducerError, OSError, UnicodeDecodeError):
            answer = b"2\n"
        # If the client died (llvm-reduce killed it) there is nobody to tell.
        with contextlib.suppress(OSError):
            connection.sendall(answer)
