"""What an emitted test expects, and the rules that follow from it, written once.

* ``fixed``: a fixed toolchain was given. Its output is the truth: checks come from the
  fixed toolchain; the tests fail on the affected toolchain and pass on the fixed one.
* ``assumed``: no fixed toolchain, large code model, static relocation model. The correct
  relocation is known anyway (R_X86_64_64: the large model promises 64-bit absolute
  addressing), so relocation checks are written for it, but no asm checks: asm from the
  affected compiler would encode the bug, and the fixed asm cannot be guessed.
* ``lock-in``: no fixed toolchain and nothing else that says what is right (a code model
  where 32-bit absolute relocations are correct, or an oracle that does not read
  relocations): the tests lock today's behaviour in and pass on the affected toolchain.

A medium-model or PIC reproducer without a fixed toolchain is refused: what is correct there
depends on the data's size and the GOT, which we do not guess.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from reducer.errors import UsageError

T = TypeVar("T")

AUTO = "auto"


class Mode(StrEnum):
    FIXED = "fixed"
    ASSUMED = "assumed"
    LOCK_IN = "lock-in"

    @property
    def affected_outcome(self) -> str:
        """What lit must say on the affected toolchain."""
        return "PASS" if self is Mode.LOCK_IN else "FAIL"

    @property
    def fixed_outcome(self) -> str:
        """What lit must say on the fixed toolchain."""
        return "PASS"

    @property
    def checks_output(self) -> bool:
        """Whether a toolchain's output (asm, IR, diagnostics) may be written as checks: not
        when it would be the affected toolchain's standing in for an unknown truth."""
        return self is not Mode.ASSUMED

    def expected(self, affected: T, fixed: T | None) -> T:
        """The side whose output is the truth: the fixed one in fixed mode, else the
        affected one (lock-in; and assumed, where only the relocations are checked)."""
        if self is Mode.FIXED and fixed is not None:
            return fixed
        return affected


EXPECT_CHOICES = (AUTO, *(mode.value for mode in Mode))


def choose_mode(
    expect: str,
    has_fixed: bool,
    reads_relocations: bool,
    oracle_name: str,
    code_model: str | None,
    relocation_model: str,
) -> Mode:
    """``--expect`` (auto, or a mode) with what is known: a fixed toolchain, whether the
    oracle reads relocations, and the code and relocation models of the compile."""
    if expect not in EXPECT_CHOICES:
        raise UsageError(f"--expect must be one of {', '.join(EXPECT_CHOICES)}")
    if has_fixed:
        if expect not in (AUTO, Mode.FIXED):
            raise UsageError(f"--expect {expect} makes no sense with a fixed toolchain")
        return Mode.FIXED
    if expect == Mode.FIXED:
        raise UsageError("--expect fixed needs --fixed-cc or --fixed-llvm")
    if not reads_relocations:
        # Only for relocations is the right output known without a fixed toolchain.
        if expect == Mode.ASSUMED:
            raise UsageError(f"--expect assumed is for relocation oracles, not {oracle_name}")
        return Mode.LOCK_IN
    if expect != AUTO:
        return Mode(expect)
    if code_model in (None, "small", "kernel"):
        return Mode.LOCK_IN
    if code_model == "large" and relocation_model == "static":
        return Mode.ASSUMED
    raise UsageError(
        f"without a fixed toolchain the correct relocation for the {code_model} code "
        f"model with {relocation_model} relocations is not known: give --fixed-cc "
        "or --fixed-llvm (or --expect lock-in to keep the current behaviour)"
    )
