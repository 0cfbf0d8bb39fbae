"""Emitted test kinds: one module each, registered on import (the interface: reducer.emit.job)."""

import importlib

from reducer.emit.job import (
    EmitJob,
    TestKind,
    register_test_kind,
    test_kind,
    test_kind_names,
)

BUILTIN_MODULES = (
    "llc_reloc",
    "llc_crash",
    "llc_asm",
    "llc_asm_snapshot",
    "llc_sections",
    "clang_reloc",
    "clang_verify",
    "clang_symbol",
    "opt_miscompile",
    "opt_crash",
    "llc_miscompile",
    "clang_crash_verify",
    "clang_crash_codegen",
)
for _module in BUILTIN_MODULES:
    importlib.import_module(f"reducer.emit.kinds.{_module}")

__all__ = ["EmitJob", "TestKind", "register_test_kind", "test_kind", "test_kind_names"]
