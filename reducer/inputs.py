"""Reading the user's input file (writing results is reducer.output's)."""

from __future__ import annotations

from pathlib import Path

from reducer.errors import InputError


def read_source(path: Path) -> str:
    """The input as text, or a one-line InputError saying what is wrong with it."""
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    if path.is_dir():
        raise InputError(f"input is a directory, not a file: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if not data.strip():
        raise InputError(f"input file is empty: {path}")
    if b"\0" in data:
        raise InputError(f"input looks binary (contains NUL bytes): {path}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input is not valid UTF-8 (byte {exc.start}): {path}; convert it first"
        ) from exc


def default_output(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}.reduced{input_path.suffix or '.c'}")
