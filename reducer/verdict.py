"""What an oracle says about one candidate (its own module so the object layer and the
oracles can both use it without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass

from reducer.elf import Relocation


@dataclass(frozen=True)
class Verdict:
    interesting: bool
    reason: str  # one line: what was seen (the matching relocation, or what was found instead)
    relocations: tuple[Relocation, ...] = ()  # the relocations that made it interesting
    compile_failed: bool = False
    timed_out: bool = False
    # Answered without running the compiler (oracles/prefilter.py: libclang cannot parse
    # the candidate), so it cost milliseconds, not a compile.
    prefiltered: bool = False
    # A differential's verdict keeps what each side said, by label, affected side first
    # (reducer.oracles.differential), so emission can quote a side without asking again.
    sides: tuple[tuple[str, Verdict], ...] = ()
    # The candidate's lines it points at (a diagnostic's location): where the behaviour is,
    # for an oracle that names no function.
    lines: tuple[int, ...] = ()

    def affected(self) -> Verdict:
        """What the affected side said (the verdict itself when it has no sides)."""
        return self.sides[0][1] if self.sides else self

    def fixed(self) -> Verdict | None:
        """What the fixed (good) side said, when it was asked."""
        return self.sides[1][1] if len(self.sides) > 1 else None

    @property
    def label(self) -> str:
        if self.timed_out:
            return "TIMED OUT"
        if self.compile_failed:
            return "COMPILE FAILED"
        return "INTERESTING" if self.interesting else "not interesting"
