"""The differential rule, written once: the bad toolchain shows the behaviour, and the good
one builds the candidate and does not show it.

``Differential(bad, good)`` wraps two oracles of the same kind aimed at two commands: two
clang drivers (reduce --good-cc), two llc (llvm-reduce's interestingness test in emission)
or two ``clang -cc1`` (the clang test's flags). It keeps a reduction from drifting into
code every compiler handles the same way (e.g. a plain -mcmodel=small global that any
clang addresses with R_X86_64_32).

The bad oracle runs first; the good one only when the bad one says interesting. A
candidate the good toolchain cannot build (or that times out there) is NOT interesting:
reducing towards code only the bad compiler accepts produces reports nobody can compare.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from reducer.oracles.base import Oracle, mentioned_words
from reducer.verdict import Verdict


@dataclass(frozen=True)
class Differential:
    bad: Oracle
    good: Oracle
    bad_label: str = "bad"
    good_label: str = "good"

    @property
    def name(self) -> str:
        return f"differential:{self.bad.name} ({self.bad_label} vs {self.good_label})"

    def describe(self) -> str:
        return (
            f"{self.bad.describe()}, with {self.bad_label}, where {self.good_label} builds "
            "the file and does not show it"
        )

    def mentioned_words(self) -> frozenset[str]:
        return mentioned_words(self.bad)

    def check(self, candidate: Path) -> Verdict:
        bad = self.bad.check(candidate)
        if not bad.interesting:
            return judge(bad, None, self.bad_label, self.good_label)
        return judge(bad, self.good.check(candidate), self.bad_label, self.good_label)


def check_sides_together(
    oracle: Oracle, text: str, submit: Callable[[Oracle, str], Future[Verdict]]
) -> Verdict | None:
    """A differential's verdict on `text` with both toolchains' calls submitted at once
    (``submit``: an executor's ``submit_check``, each call in its own worker's directory),
    for a text both sides are expected to see, the original: its check is the one call
    nothing else can run beside, and on a 9 MB file each side's compile takes seconds. The
    same verdict as ``oracle.check``. None when `oracle` is not a differential."""
    if not isinstance(oracle, Differential):
        return None
    bad_call, good_call = submit(oracle.bad, text), submit(oracle.good, text)
    bad = bad_call.result()
    if not bad.interesting:
        good_call.cancel()
        return judge(bad, None, oracle.bad_label, oracle.good_label)
    return judge(bad, good_call.result(), oracle.bad_label, oracle.good_label)


def differential(bad: Oracle, good: Oracle, bad_label: str, good_label: str) -> Oracle:
    """The differential of two oracles of one kind aimed at two toolchains (built through
    OracleSpec.aimed, which aims them)."""
    return Differential(bad, good, bad_label, good_label)


def judge(bad: Verdict, good: Verdict | None, bad_label: str, good_label: str) -> Verdict:
    """The differential rule on two verdicts already in hand (``good`` None: the good side
    was not asked, which only an uninteresting ``bad`` may skip)."""
    if not bad.interesting:
        return Verdict(
            False,
            f"{bad_label}: {bad.reason} (good compiler not run)",
            compile_failed=bad.compile_failed,
            timed_out=bad.timed_out,
            sides=((bad_label, bad),),
        )
    assert good is not None, "an interesting bad side needs the good side's verdict"
    sides = ((bad_label, bad), (good_label, good))
    if good.compile_failed or good.timed_out:
        return Verdict(
            False,
            f"{bad_label}: {bad.reason}; but {good_label} could not be checked: {good.reason}",
            relocations=bad.relocations,
            compile_failed=good.compile_failed,
            timed_out=good.timed_out,
            sides=sides,
        )
    if good.interesting:
        return Verdict(
            False,
            f"{bad_label}: {bad.reason}; {good_label} also: {good.reason}",
            relocations=bad.relocations,
            sides=sides,
        )
    return Verdict(
        True,
        f"{bad_label}: {bad.reason}; {good_label} (good): {good.reason}",
        relocations=bad.relocations,
        sides=sides,
    )
