"""The narrow interface every oracle implements, the one way to call it on a text, and
the capabilities emission may ask of an oracle.

An oracle looks at one candidate file (already written to disk under the original file
name, in a directory private to the call) and says whether it still shows the behaviour.
Oracles must be safe to call from several threads at once on different directories, and
must pickle (a cluster executor ships them to workers). How oracles are registered and
built from the command line is reducer.oracles.spec.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, TypeVar, runtime_checkable

from reducer.elf import ObjectInfo
from reducer.errors import UsageError
from reducer.scratch import with_candidate
from reducer.verdict import Verdict

__all__ = ["Oracle", "Verdict", "capability", "check_text", "mentioned_words"]


class Oracle(Protocol):
    name: str

    def check(self, candidate: Path) -> Verdict: ...

    def describe(self) -> str:
        """What it counts, for explain and for 'not interesting' errors."""
        ...


def check_text(oracle: Oracle, text: str, file_name: str, directory: Path | None = None) -> Verdict:
    """The oracle call, written once: ``text`` written under ``file_name`` into a directory
    private to the call (``directory``, emptied first, or a fresh temporary one), then the
    oracle asked about that file."""
    return with_candidate(text, file_name, oracle.check, directory, prefix="reducer-check-")


@runtime_checkable
class MentionsNames(Protocol):
    """Its own definition names identifiers (a script's text): where the behaviour likely
    is when the oracle's verdicts name no function."""

    def mentioned_words(self) -> frozenset[str]: ...


def mentioned_words(oracle: Oracle) -> frozenset[str]:
    """The identifiers ``oracle``'s definition mentions (none when it says nothing)."""
    return oracle.mentioned_words() if isinstance(oracle, MentionsNames) else frozenset()


# Capabilities: what emission may ask of an oracle beyond check(). A kind that needs one
# asks through capability(), so an oracle without it is a one-line error, not an
# AttributeError, and no emission code reads a concrete oracle class's attributes.
@runtime_checkable
class ForbidsRelocationTypes(Protocol):
    """It counts code relocations of these types: an emitted test must forbid them."""

    bad_types: frozenset[int]


@runtime_checkable
class WatchesSymbol(Protocol):
    """It watches one ELF symbol by name (symbol:NAME)."""

    symbol: str


@runtime_checkable
class CountsSections(Protocol):
    """Which of an object's sections it looks at."""

    def relevant(self, info: ObjectInfo) -> tuple[str, ...]: ...


C = TypeVar("C")


def capability(oracle: Oracle, wanted: type[C]) -> C:
    if not isinstance(oracle, wanted):
        raise UsageError(f"the {oracle.name} oracle cannot say {wanted.__doc__}")
    return oracle
