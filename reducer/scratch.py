"""Candidate files in private directories: the one place a text becomes a file a compiler
or an oracle reads.

One encoding policy for every candidate: UTF-8 with surrogateescape, so the bytes of a
text read with the same policy come back unchanged (bytes in = bytes out), and nothing
is ever replaced by U+FFFD on the way to the compiler.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ENCODING = "utf-8"
ERRORS = "surrogateescape"

T = TypeVar("T")


def decode(data: bytes) -> str:
    """Bytes read back from a candidate or a tool, under the candidates' policy."""
    return data.decode(ENCODING, ERRORS)


def read_candidate(path: Path) -> str:
    return decode(path.read_bytes())


def write_candidate(directory: Path, file_name: str, text: str) -> Path:
    """``text`` as ``directory/file_name``; the directory is emptied first, because a
    reused one (a local worker's) may hold what the last call's script left behind."""
    for leftover in directory.iterdir():
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    candidate = directory / file_name
    candidate.write_bytes(text.encode(ENCODING, ERRORS))
    return candidate


def with_candidate(
    text: str,
    file_name: str,
    use: Callable[[Path], T],
    directory: Path | None = None,
    prefix: str = "reducer-",
) -> T:
    """``use(path)`` on ``text`` written under ``file_name`` in ``directory`` (emptied
    first) or, when none is given, in a fresh temporary directory removed afterwards."""
    if directory is not None:
        return use(write_candidate(directory, file_name, text))
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        return use(write_candidate(Path(scratch), file_name, text))
