"""Oracles: plug-ins that decide whether a candidate still shows the behaviour.

Importing this package registers the built-in ones; a new oracle is one module that calls
``register(OracleKind(...))`` and is listed in BUILTIN_MODULES.
"""

import importlib

from reducer.oracles.base import Oracle, Verdict, capability, check_text
from reducer.oracles.differential import Differential
from reducer.oracles.spec import (
    OracleKind,
    OracleSpec,
    oracle_kind,
    oracle_kinds,
    oracle_names,
    register,
)

BUILTIN_MODULES = (
    "relocations",
    "kexec",
    "script",
    "crash",
    "diag",
    "symbol",
    "sections",
    "asm",
    "miscompile",
)
for _module in BUILTIN_MODULES:
    importlib.import_module(f"reducer.oracles.{_module}")

__all__ = [
    "Differential",
    "Oracle",
    "OracleKind",
    "OracleSpec",
    "Verdict",
    "capability",
    "check_text",
    "oracle_kind",
    "oracle_kinds",
    "oracle_names",
    "register",
]
