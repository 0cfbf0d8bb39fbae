"""Clean a compile command pasted from a build (``make V=1``, a compilation database, a
Kbuild ``.o.cmd``) so the reducer can run it on candidates.

The reducer adds its own ``-o <object>`` and candidate file and compiles in private
temporary directories, so a build's command needs three things done to it:

- its own output and input go: ``-o FILE``/``-oFILE`` and the word naming the source;
- flags that make the compiler write files somewhere else go (dependency files, saved
  temporaries, time traces, optimisation records, split DWARF, serialized diagnostics,
  crash reports): relative ones would fail in the private directory (``-Wp,-MMD,dir/.f.o.d``
  names a directory that is not there) and absolute ones would write into the build tree;
- ``-c`` is there exactly once (a command without it would try to link).

Paths are not touched here: ``CompileCommand.from_user(..., directory=)`` makes them
absolute against the directory the command ran in. ``clean_command`` is pure: words in,
words out, plus what it removed so the CLI can say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Flags whose value is the next word. Only needed to tell a flag's value from an input
# file; the list covers what compile commands carry (clang's driver has more).
SEPARATE_VALUE = frozenset(
    {
        "-o",
        "-D",
        "-U",
        "-I",
        "-include",
        "-imacros",
        "-isystem",
        "-iquote",
        "-idirafter",
        "-iprefix",
        "-iwithprefix",
        "-iwithprefixbefore",
        "-isysroot",
        "-ivfsoverlay",
        "-iframework",
        "-include-pch",
        "-x",
        "-MF",
        "-MT",
        "-MQ",
        "-MJ",
        "-target",
        "-Xclang",
        "-mllvm",
        "-Xassembler",
        "-Xpreprocessor",
        "-Xlinker",
        "-Xanalyzer",
        "-arch",
        "--param",
        "--serialize-diagnostics",
        "-serialize-diagnostics",
        "-resource-dir",
        "-main-file-name",
        "-dependency-file",
        "-working-directory",
        "-F",
        "-B",
        "-T",
        "-gcc-toolchain",
        "--sysroot",
        "-imultilib",
        "-Xopenmp-target",
        "-z",
        "-u",
    }
)

# Flags, alone or with their separate value, that only make the compiler write a file.
_WRITES_ALONE = frozenset(
    {
        "-MD",
        "-MMD",
        "-M",
        "-MM",
        "-MP",
        "-MG",
        "-save-temps",
        "--save-temps",
        "-ftime-trace",
        "-fsave-optimization-record",
        "-gsplit-dwarf",
    }
)
_WRITES_WITH_VALUE = frozenset(
    {"-MF", "-MT", "-MQ", "-MJ", "--serialize-diagnostics", "-serialize-diagnostics"}
)
# Joined forms (`-MFdeps.d`, `-save-temps=obj`, `-fdump-...`).
_WRITES_PREFIXES = (
    "-MF",
    "-MT",
    "-MQ",
    "-MJ",
    "-save-temps=",
    "--save-temps=",
    "-ftime-trace=",
    "-ftime-trace-granularity=",
    "-fdump-",
    "-fsave-optimization-record=",
    "-foptimization-record-file=",
    "-foptimization-record-passes=",
    "-gsplit-dwarf=",
    "-fcrash-diagnostics-dir=",
    "-fcrash-diagnostics=",
    "--serialize-diagnostics=",
)
# The preprocessor options a -Wp, list may carry that write a dependency file, and
# whether each takes the next list item as its value.
_WP_WRITES = {
    "-MD": True,
    "-MMD": True,
    "-MF": True,
    "-MT": True,
    "-MQ": True,
    "-MP": False,
    "-MG": False,
    "-M": False,
    "-MM": False,
}

# What a positional word must end with to be taken for a copy of the source the user
# gave (a pasted command naming `purgatory.c` while FILE is a copy elsewhere).
_SOURCE_SUFFIXES = (".c", ".i", ".h", ".cc", ".cpp", ".cxx", ".C", ".m")


@dataclass(frozen=True)
class CleanCommand:
    """A compile command ready for ``CompileCommand.from_user``, and what was taken out."""

    argv: tuple[str, ...]
    removed: tuple[str, ...]  # as they appeared, e.g. "-o f.o", "-Wp,-MMD,dir/.f.o.d"
    added: tuple[str, ...] = ()  # what was added ("-c" when the command lacked it)

    def describe(self) -> str:
        """One line for the CLI, empty when nothing changed."""
        parts = []
        if self.removed:
            parts.append("removed from the command: " + ", ".join(self.removed))
        if self.added:
            parts.append("added: " + " ".join(self.added))
        return "; ".join(parts)


def clean_command(argv: list[str] | tuple[str, ...], source: Path, directory: Path) -> CleanCommand:
    """``argv`` (program first) cleaned for reduction; ``source`` is the file being
    reduced, ``directory`` the directory the command ran in (relative words resolve there)."""
    if not argv:
        return CleanCommand((), ())
    flags = clean_flags(list(argv[1:]), source, directory)
    return CleanCommand((argv[0], *flags.argv), flags.removed, flags.added)


def clean_flags(
    flags: list[str], source: Path, directory: Path, ensure_c: bool = True
) -> CleanCommand:
    """As ``clean_command`` for the words after the program; ``ensure_c`` false for a
    tool that is not a compiler driver (llc, opt: -c means nothing to them)."""
    kept: list[str] = []
    removed: list[str] = []
    seen_c = False
    words = iter(flags)
    for word in words:
        if word == "-c":
            if seen_c:
                removed.append("-c (repeated)")
            else:
                kept.append(word)
                seen_c = True
        elif word == "-o" or word in _WRITES_WITH_VALUE:
            value = next(words, "")
            removed.append(f"{word} {value}".rstrip())
        elif word.startswith("-o") and not word.startswith("--"):
            # `-ofile.o`: clang has no other option spelled -o<letters> in a compile.
            removed.append(word)
        elif word in _WRITES_ALONE or word.startswith(_WRITES_PREFIXES):
            removed.append(word)
        elif word.startswith("-Wp,"):
            kept_wp, dropped_wp = _clean_wp(word)
            if dropped_wp:
                removed.append("-Wp," + ",".join(dropped_wp))
            if kept_wp:
                kept.append("-Wp," + ",".join(kept_wp))
        elif word in SEPARATE_VALUE:
            kept += [word, next(words, "")]
        elif not word.startswith("-") and _names_source(word, source, directory):
            removed.append(word)
        else:
            kept.append(word)
    added: tuple[str, ...] = ()
    if not seen_c and ensure_c:
        kept.append("-c")
        added = ("-c",)
    return CleanCommand(tuple(kept), tuple(removed), added)


def _clean_wp(word: str) -> tuple[list[str], list[str]]:
    """(kept, dropped) items of a ``-Wp,a,b,c`` list: the dependency-file options go,
    with their values; anything else is passed on to the preprocessor as before."""
    items = word[len("-Wp,") :].split(",")
    kept: list[str] = []
    dropped: list[str] = []
    index = 0
    while index < len(items):
        item = items[index]
        takes_value = _WP_WRITES.get(item)
        if takes_value is not None:
            dropped += items[index : index + (2 if takes_value else 1)]
            index += 2 if takes_value else 1
            continue
        if item.startswith(("-MF", "-MT", "-MQ")):
            dropped.append(item)
        else:
            kept.append(item)
        index += 1
    return kept, dropped


def _names_source(word: str, source: Path, directory: Path) -> bool:
    """Whether a positional word is the file being reduced: the same file seen from the
    command's directory, or (for a command pasted next to a copy) a source of its name."""
    path = Path(word) if os.path.isabs(word) else directory / word
    try:
        if path.resolve() == source.resolve():
            return True
    except OSError:
        pass
    return path.name == source.name and word.endswith(_SOURCE_SUFFIXES)
