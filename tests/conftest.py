"""Shared fixtures. Tests needing a Debian compiler skip loudly (with the package to
install) when it is missing; CI installs them, so nothing is skipped there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "cases"
LARGE_O0 = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
REPRODUCER = 'int a[1] __attribute__((section("x")));\nvoid f(){int*p=a;}\n'


def missing(message: str) -> NoReturn:
    """Skip loudly with the reason; in CI (which installs everything) fail instead."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must not skip this)")
    pytest.skip(message)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(f"{name} not found: install the Debian package {package}")
    return path


@pytest.fixture
def need_libclang() -> None:
    from reducer import libclang

    if not libclang.available():
        missing("libclang not loadable: install the Debian package libclang1-19")


def need_compiler(name: str) -> str:
    """A compiler named like its Debian package (clang-19 comes from clang-19), by name."""
    require_tool(name, name)
    return name


@pytest.fixture
def clang19() -> str:
    return require_tool("clang-19", "clang-19")


@pytest.fixture
def clang22() -> str:
    return require_tool("clang-22", "clang-22")
