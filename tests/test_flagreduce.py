"""reducer.flagreduce on synthetic predicates: what it keeps, what it never drops, and the
properties every result has (a sub-sequence of the input but for -O lowering, interesting,
1-minimal, deterministic)."""

from __future__ import annotations

import shlex
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from reducer.flagreduce import flag_units, reduce_flags

KERNELISH = shlex.split(
    "clang-19 -nostdinc -I ./include -include cfg.h -D__KERNEL__ --target=x86_64-linux-gnu "
    "-std=gnu11 -Wall -Werror=return-type -mno-sse -mno-red-zone -mcmodel=kernel -O2 "
    "-fno-PIE -mcmodel=large -fno-pic -O0 -DKBUILD_MODNAME=x -c"
)


def needs(*words: str) -> Callable[[tuple[str, ...]], bool]:
    return lambda argv: all(w in argv for w in words)


def effective(argv: tuple[str, ...], prefix: str) -> str | None:
    """The last flag starting with ``prefix`` (clang takes the last -O and -mcmodel)."""
    found = [w for w in argv if w.startswith(prefix)]
    return found[-1] if found else None


def test_units_keep_values_with_their_flags() -> None:
    assert flag_units(["-I", "inc", "-DX", "-include", "a.h", "-Xclang", "-foo", "-c"]) == [
        ("-I", "inc"),
        ("-DX",),
        ("-include", "a.h"),
        ("-Xclang", "-foo"),
        ("-c",),
    ]


def test_keeps_what_the_predicate_needs_and_never_drops_target_or_c() -> None:
    result = reduce_flags(KERNELISH, needs("-mcmodel=large", "-fno-pic"))
    assert result == ("clang-19", "--target=x86_64-linux-gnu", "-mcmodel=large", "-fno-pic", "-c")


def test_the_last_of_repeated_flags_is_what_counts() -> None:
    # Like clang: the bug needs the large model in effect at -O0 (the default).
    def bug(argv: tuple[str, ...]) -> bool:
        return effective(argv, "-mcmodel=") == "-mcmodel=large" and effective(argv, "-O") in (
            None,
            "-O0",
        )

    result = reduce_flags(KERNELISH, bug)
    assert result == ("clang-19", "--target=x86_64-linux-gnu", "-mcmodel=large", "-c")


def test_an_optimisation_level_is_lowered_to_the_lowest_that_works() -> None:
    argv = ("clang", "-O3", "-DX", "-c")
    ranks = {"-O0": 0, "-O1": 1, "-O2": 2, "-O3": 3}

    def at_least_o1(words: tuple[str, ...]) -> bool:
        level = effective(words, "-O")
        return level is not None and ranks[level] >= 1

    assert reduce_flags(argv, at_least_o1) == ("clang", "-O1", "-c")


def test_an_uninteresting_predicate_leaves_the_command_alone() -> None:
    assert reduce_flags(KERNELISH, lambda argv: False) == tuple(KERNELISH)


def test_each_candidate_is_asked_about_once() -> None:
    asked: list[tuple[str, ...]] = []

    def record(argv: tuple[str, ...]) -> bool:
        asked.append(argv)
        return "-fno-pic" in argv

    reduce_flags(KERNELISH, record)
    assert len(asked) == len(set(asked))
    assert tuple(KERNELISH) not in asked  # the input is taken as interesting


FLAGS = st.sampled_from(
    ["-DA", "-DB", "-Wall", "-fno-pic", "-mcmodel=large", "-O2", "-O0", "-Os", "-c",
     "--target=x86_64-linux-gnu", "-g", "-std=gnu11", "-mno-sse"]
)


def _subsequence_modulo_o(result: tuple[str, ...], original: tuple[str, ...]) -> bool:
    """``result`` is ``original`` with words removed, -O words possibly lowered."""
    position = 0
    for word in result:
        while position < len(original):
            here = original[position]
            position += 1
            if here == word or (here.startswith("-O") and word.startswith("-O")):
                break
        else:
            return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    flags=st.lists(FLAGS, max_size=12),
    wanted=st.sets(FLAGS, max_size=3),
)
def test_properties(flags: list[str], wanted: set[str]) -> None:
    argv = ("clang", *flags)

    def interesting(words: tuple[str, ...]) -> bool:
        return all(w in words for w in wanted if w in argv)

    result = reduce_flags(argv, interesting)
    assert interesting(result)
    assert result[0] == "clang"
    assert _subsequence_modulo_o(result, argv)
    for protected in ("-c", "--target=x86_64-linux-gnu"):
        assert result.count(protected) == argv.count(protected)
    # 1-minimal: no single unit left can go (the predicate here is monotone).
    for index in range(1, len(result)):
        smaller = result[:index] + result[index + 1 :]
        if result[index] not in ("-c", "--target=x86_64-linux-gnu"):
            assert not interesting(smaller)
    assert reduce_flags(argv, interesting) == result  # deterministic
