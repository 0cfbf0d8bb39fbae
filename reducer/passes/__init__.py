"""Reduction passes: pure plug-ins (text in, candidates out). A new pass is one module
with a class implementing ``reducer.passes.base.Pass`` and one row in ``table.PASS_TABLE``."""

from reducer.passes.base import Candidate, Pass

__all__ = ["Candidate", "Pass"]
