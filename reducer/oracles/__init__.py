"""Oracles: plug-ins that decide whether a candidate still shows the behaviour.

Importing this package registers the built-in ones; a new oracle is one module that calls
``register`` and is imported here.
"""

from reducer.oracles import kexec, relocations, script  # noqa: F401  (registration side effects)
from reducer.oracles.base import Oracle, OracleConfig, Verdict, build_oracle, oracle_names, register

__all__ = ["Oracle", "OracleConfig", "Verdict", "build_oracle", "oracle_names", "register"]
