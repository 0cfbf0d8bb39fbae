"""What a lit configuration needs to run emitted tests against one toolchain: the
substitutions for ``%clang_cc1``, ``llc``, ``llvm-readobj``, ``FileCheck``, ``not``, ``count``
and the features (``llvm-19``, ``x86-registered-target``).

Shared by the temporary suites of reducer.emit.verify and by lit-tests/lit.cfg.py.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from reducer.emit.toolchain import Toolchain
from reducer.process import run_program

TOOL_NAMES = ("llc", "opt", "llvm-readobj", "FileCheck", "not", "count")


def word(tool: str) -> str:
    """A regex matching ``tool`` as a command word, not inside a path or a longer name."""
    return r"(?<![\w/.-])" + re.escape(tool) + r"(?![\w/.-])"


@dataclass(frozen=True)
class LitTools:
    major: int
    version: str
    clang_cc1: str | None  # "<clang> -cc1 -internal-isystem <res>/include -nostdsysteminc"
    tools: dict[str, str]  # tool name -> path
    filecheck_kind: str  # "llvm" or "pypi"
    x86: bool

    def substitutions(self) -> list[tuple[str, str]]:
        subs: list[tuple[str, str]] = []
        if self.clang_cc1:
            subs.append((r"%clang_cc1\b", self.clang_cc1))
        subs.extend((word(name), path) for name, path in self.tools.items())
        return subs

    def features(self) -> list[str]:
        features = [f"llvm-{self.major}", f"filecheck-{self.filecheck_kind}"]
        if self.x86:
            features.append("x86-registered-target")
        return features


def resource_include(clang: str, timeout: float = 20.0) -> str | None:
    try:
        result = run_program([clang, "-print-resource-dir"], timeout=timeout)
    except OSError:
        return None
    if result.returncode != 0:
        return None
    resource = result.stdout.decode().strip()
    return str(Path(resource) / "include") if resource else None


def clang_cc1_command(clang: str) -> str:
    include = resource_include(clang)
    parts = [clang, "-cc1"]
    if include:
        parts += ["-internal-isystem", include]
    parts.append("-nostdsysteminc")
    return " ".join(parts)


def has_x86(llc: str) -> bool:
    try:
        result = run_program([llc, "--version"], timeout=20)
    except OSError:
        return False
    return b"x86-64" in result.stdout


def lit_tools(toolchain: Toolchain, filecheck_kind: str = "llvm") -> LitTools:
    tools: dict[str, str] = {}
    for name in ("llc", "llvm-readobj"):
        tools[name] = toolchain.require(name)
    filecheck, _label = toolchain.filecheck(filecheck_kind)
    tools["FileCheck"] = filecheck
    for name in ("opt", "not", "count"):
        found = toolchain.find(name)
        if found:
            tools[name] = found
    kind = "llvm" if filecheck == toolchain.find("FileCheck") else "pypi"
    clang = toolchain.clang or toolchain.find("clang")
    if clang is not None:
        clang = shutil.which(clang) or clang
    return LitTools(
        major=toolchain.major,
        version=toolchain.version,
        clang_cc1=clang_cc1_command(clang) if clang else None,
        tools=tools,
        filecheck_kind=kind,
        x86=has_x86(tools["llc"]),
    )
