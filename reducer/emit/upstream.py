"""Placing an emitted test in an llvm-project checkout (``reduce emit --llvm-project DIR``):
the upstream path of each test kind, the splicing of a reduced ``.ll`` test into an existing
one (``--into``), and unified diffs (the writes are reducer.output's).

Splicing is pure text work on the IR the emitter writes (one top-level entity per line,
except function bodies, which run from ``define ... {`` to a line ``}``). The reduced test's
functions, globals, declarations, named types and attribute groups go after the last
function of the existing test; its check lines are dropped, since the caller regenerates
every check of the merged file from the RUN lines of the existing test. Names are kept
unique: a clashing name gets a ``_N`` suffix, except a global, declaration or type whose line
is identical to the existing one (and refers to nothing renamed), which is shared instead,
and an intrinsic declaration, which cannot be renamed and is shared whenever it exists.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reducer.errors import UsageError

X86_TESTS = Path("llvm/test/CodeGen/X86")
CLANG_TESTS = Path("clang/test/CodeGen")
# Where each emitted test's suffix belongs upstream.
UPSTREAM_DIRS = {".ll": X86_TESTS, ".c": CLANG_TESTS}

_NAME = r'(?:"(?:[^"\\]|\\.)*"|[-a-zA-Z$._0-9]+)'
_GLOBAL_DEF = re.compile(r"@(" + _NAME + r")\s*=")
_FUNCTION = re.compile(r"(?:define|declare)\b[^@]*@(" + _NAME + r")\s*\(")
_TYPE_DEF = re.compile(r"%(" + _NAME + r")\s*=\s*type\b")
_ATTR_DEF = re.compile(r"attributes\s+#(\d+)\s*=")
# Lines of the test header and of the emitter's comments: not part of the IR to move.
_SKIPPED_TOP_LEVEL = re.compile(r"(?:target\s+(?:triple|datalayout)|source_filename)\b")


class MergeError(UsageError):
    """The reduced test has IR that --into does not know how to merge (metadata, comdats,
    module asm); one line for the user, exit code USAGE."""


@dataclass(frozen=True)
class Entity:
    """One top-level IR entity: ``kind`` is function, declare, global, type or attributes;
    ``name`` carries its sigil (``@a``, ``%struct.S``, ``#0``)."""

    kind: str
    name: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _entity_of(line: str) -> tuple[str, str] | None:
    """(kind, name) of a top-level line that starts an entity."""
    if line.startswith("define"):
        match = _FUNCTION.match(line)
        return ("function", "@" + match.group(1)) if match else None
    if line.startswith("declare"):
        match = _FUNCTION.match(line)
        return ("declare", "@" + match.group(1)) if match else None
    for kind, pattern, sigil in (
        ("global", _GLOBAL_DEF, "@"),
        ("type", _TYPE_DEF, "%"),
        ("attributes", _ATTR_DEF, "#"),
    ):
        match = pattern.match(line)
        if match:
            return kind, sigil + match.group(1)
    return None


def parse_entities(ir: str, *, strict: bool = True) -> list[Entity]:
    """The top-level entities of ``ir``, in order; comment lines inside function bodies (the
    old check lines) are dropped. ``strict``: refuse what cannot be merged."""
    entities: list[Entity] = []
    lines = ir.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        i += 1
        if not stripped or stripped.startswith(";") or _SKIPPED_TOP_LEVEL.match(stripped):
            continue
        found = _entity_of(line)
        if found is None:
            if strict:
                what = "metadata" if stripped.startswith("!") else f"this line: {stripped[:60]}"
                raise MergeError(f"--into cannot merge the reduced test's {what}")
            continue
        kind, name = found
        if strict and kind == "global" and re.search(r"\bcomdat\b", line):
            raise MergeError(f"--into cannot merge comdats ({name})")
        body = [line]
        if kind == "function" and not line.rstrip().endswith("}"):
            while i < len(lines):
                body_line = lines[i]
                i += 1
                if body_line.lstrip().startswith(";"):
                    continue
                body.append(body_line)
                if body_line.rstrip() == "}":
                    break
            else:
                raise MergeError(f"function {name} has no closing brace")
        entities.append(Entity(kind, name, tuple(body)))
    return entities


def _bare(name: str) -> str:
    return name[1:].strip('"')


def _with_suffix(name: str, n: int) -> str:
    sigil, rest = name[0], name[1:]
    if rest.startswith('"'):
        return f'{sigil}"{rest[1:-1]}_{n}"'
    return f"{sigil}{rest}_{n}"


def _reference(name: str) -> re.Pattern[str]:
    """``name`` (with its sigil) as a whole token: ``@a`` but not ``@ab`` or ``@a.b``."""
    tail = r"(?!\d)" if name.startswith("#") else r"(?![-a-zA-Z$._0-9])"
    return re.compile(r"(?<![-a-zA-Z$._0-9])" + re.escape(name) + tail)


def _referenced(entity: Entity, names: Iterable[str]) -> set[str]:
    return {n for n in names if n != entity.name and _reference(n).search(entity.text)}


def rename(text: str, renames: Mapping[str, str]) -> str:
    """``text`` with each old name (with its sigil) replaced as a whole token."""
    if not renames:
        return text
    # One pass, longest names first, so that renaming @a to @a_1 and @a_1 to @a_1_1 in
    # the same call cannot chain.
    names = sorted(renames, key=len, reverse=True)
    alternatives = []
    for name in names:
        tail = r"(?!\d)" if name.startswith("#") else r"(?![-a-zA-Z$._0-9])"
        alternatives.append(re.escape(name) + tail)
    pattern = re.compile(r"(?<![-a-zA-Z$._0-9])(?:" + "|".join(alternatives) + ")")
    return pattern.sub(lambda m: renames[m.group(0)], text)


@dataclass
class Merge:
    text: str  # the existing test with the reduced IR added (old checks kept, new none)
    added: list[str]  # names of the entities added, after renaming
    functions: list[str]  # the added functions' names as written in asm (no sigil/quotes)
    renames: dict[str, str] = field(default_factory=dict)  # old name -> new name
    shared: list[str] = field(default_factory=list)  # identical entities not added again
    insert_line: int = 0  # 0-based index of the first added line in ``text``

    def describe(self) -> list[str]:
        notes = []
        if self.renames:
            notes.append(
                "renamed to avoid clashes: "
                + ", ".join(f"{old} -> {new}" for old, new in self.renames.items())
            )
        if self.shared:
            notes.append("already in the file, not added again: " + ", ".join(self.shared))
        return notes


def _last_function_end(lines: Sequence[str]) -> int | None:
    """Index of the line after the last function body's closing ``}``."""
    end = None
    in_function = False
    for i, line in enumerate(lines):
        if not in_function and line.startswith("define"):
            in_function = not line.rstrip().endswith("}")
            if not in_function:
                end = i + 1
        elif in_function and line.rstrip() == "}":
            in_function = False
            end = i + 1
    return end


def splice(existing: str, reduced: str, comment: Sequence[str] = ()) -> Merge:
    """``existing`` (a .ll test) with ``reduced``'s IR added after its last function.

    ``comment`` lines (without ``; ``) go above the added IR. Clashing names are renamed (see
    the module docstring); the added attribute groups are renumbered after the existing
    ones unless an identical group exists."""
    old = parse_entities(existing, strict=False)
    new = parse_entities(reduced)
    if not any(e.kind == "function" for e in new):
        raise MergeError("the reduced test has no function to add")
    taken = {e.name for e in old} | {e.name for e in new}
    old_by_name = {e.name: e for e in old}

    renames: dict[str, str] = {}
    shared: set[str] = set()
    for entity in new:
        if entity.kind == "attributes":
            continue
        other = old_by_name.get(entity.name)
        if other is None:
            continue
        if entity.kind == "declare" and _bare(entity.name).startswith("llvm."):
            shared.add(entity.name)  # an intrinsic: one name, one signature
        elif entity.kind in ("global", "declare", "type") and entity.lines == other.lines:
            shared.add(entity.name)
        else:
            renames[entity.name] = ""
    # An identical line that refers to something renamed means something else here.
    changed = True
    while changed:
        changed = False
        for entity in new:
            if entity.name in shared and _referenced(entity, renames):
                shared.discard(entity.name)
                renames[entity.name] = ""
                changed = True
    for name in [n for n in renames]:
        n = 1
        while _with_suffix(name, n) in taken:
            n += 1
        renames[name] = _with_suffix(name, n)
        taken.add(renames[name])

    # Attribute groups: reuse an identical existing group, else the next free number.
    old_groups = {e.text.split("=", 1)[1].strip(): e.name for e in old if e.kind == "attributes"}
    next_group = 1 + max((int(e.name[1:]) for e in old if e.kind == "attributes"), default=-1)
    group_renames: dict[str, str] = {}
    for entity in new:
        if entity.kind != "attributes":
            continue
        body = entity.text.split("=", 1)[1].strip()
        if body in old_groups:
            group_renames[entity.name] = old_groups[body]
            shared.add(entity.name)
        else:
            group_renames[entity.name] = f"#{next_group}"
            next_group += 1
    all_renames = {**renames, **group_renames}

    def renamed(entity: Entity) -> list[str]:
        if entity.kind == "attributes":
            # The group's own number is a definition, not a reference: set it directly.
            rest = entity.text.split("=", 1)[1]
            return [f"attributes {group_renames[entity.name]} ={rest}"]
        return rename(entity.text, all_renames).split("\n")

    # The emitter's comment names symbols without a sigil; follow renames there too, but
    # only for names too long to be an ordinary word of the comment ("a" is not @a).
    word_renames = {_bare(o): _bare(n) for o, n in renames.items() if len(_bare(o)) >= 4}

    def renamed_comment(line: str) -> str:
        for old_word, new_word in word_renames.items():
            line = re.sub(r"(?<![\w.$])" + re.escape(old_word) + r"(?![\w.$])", new_word, line)
        return line

    kept = [e for e in new if e.name not in shared]
    header = [e for e in kept if e.kind in ("type", "global", "declare")]
    functions = [e for e in kept if e.kind == "function"]
    groups = [e for e in kept if e.kind == "attributes"]
    block: list[str] = [""]
    block.extend(f"; {renamed_comment(line)}".rstrip() if line else ";" for line in comment)
    for entity in header:
        block.extend(renamed(entity))
    if header:
        block.append("")
    for i, entity in enumerate(functions):
        if i:
            block.append("")
        block.extend(renamed(entity))
    if groups:
        block.append("")
        for entity in groups:
            block.extend(renamed(entity))

    lines = existing.split("\n")
    trailing_newline = existing.endswith("\n")
    if trailing_newline:
        lines.pop()
    at = _last_function_end(lines)
    if at is None:
        at = len(lines)
    if at < len(lines) and lines[at].strip():
        block.append("")  # keep what followed the last function apart from the new IR
    merged = lines[:at] + block + lines[at:]
    text = "\n".join(merged) + "\n"
    added_functions = [_bare(all_renames.get(e.name, e.name)) for e in functions]
    return Merge(
        text=text,
        added=[all_renames.get(e.name, e.name) for e in kept],
        functions=added_functions,
        renames={k: v for k, v in all_renames.items() if k not in shared and k != v},
        shared=sorted(shared),
        insert_line=at,
    )


def description(test: str, drop_words: Iterable[str] = ()) -> list[str]:
    """The comment between a test's header (NOTE, RUN, XFAIL, REQUIRES lines) and its IR,
    without ``; ``, up to the C source the emitter may show: what the emitter wrote about
    the bug, to go above the IR added with --into. Lines naming one of ``drop_words`` (check
    prefixes of RUN lines the target file does not have) would be wrong there and are left
    out."""
    header = re.compile(r";\s*(?:NOTE|RUN|XFAIL|REQUIRES):")
    words = [re.compile(r"(?<![-\w])" + re.escape(w) + r"(?![-\w])") for w in drop_words]
    out: list[str] = []
    for line in test.split("\n"):
        stripped = line.strip()
        if header.match(stripped):
            continue
        if stripped and not stripped.startswith(";"):
            break  # the IR starts
        if not stripped:
            continue
        text = stripped[1:].removeprefix(" ")
        if text.startswith("Generated from this C source"):
            break
        if any(w.search(text) for w in words):
            continue
        out.append(text)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return out


def unified_diff(old: str | None, new: str, relpath: str) -> str:
    """A git-style diff (``a/``, ``b/`` prefixes; ``/dev/null`` for a new file)."""
    old_lines = old.splitlines(keepends=True) if old is not None else []
    new_lines = new.splitlines(keepends=True)
    fromfile = f"a/{relpath}" if old is not None else "/dev/null"
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, fromfile, f"b/{relpath}"):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


_OPT_RUN = re.compile(r"^; RUN: (?:not (?:--crash )?)?opt\b.*?-passes=([\w,-]+)", re.M)


def upstream_path(root: Path, suffix: str, stem: str, text: str = "") -> Path:
    """Where a test belongs: an opt test (``; RUN: opt ... -passes=P``) in
    llvm/test/Transforms/<P's directory>, other .ll tests in CodeGen/X86, C tests in
    clang/test/CodeGen."""
    opt_run = _OPT_RUN.search(text) if suffix == ".ll" else None
    if opt_run is not None:
        from reducer.emit.opt_pass import transforms_dir

        return root / "llvm/test/Transforms" / transforms_dir(opt_run.group(1)) / f"{stem}.ll"
    return root / UPSTREAM_DIRS[suffix] / f"{stem}{suffix}"


def check_tree(root: Path) -> None:
    """DIR must look like llvm-project (at least llvm/test/CodeGen/X86)."""
    if not (root / X86_TESTS).is_dir():
        raise UsageError(
            f"--llvm-project {root}: no {X86_TESTS} in it (not an llvm-project checkout?)"
        )


def into_path(root: Path, relative: str) -> Path:
    """The --into file: an existing .ll test inside ``root``."""
    path = root / relative
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise UsageError(f"--into {relative}: give a path relative to --llvm-project, inside it")
    if path.suffix != ".ll":
        raise UsageError(f"--into {relative}: only .ll (llc) tests can be extended")
    if not path.is_file():
        raise UsageError(f"--into {relative}: no such file in {root}")
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise UsageError(f"--into {relative}: resolves outside {root}") from None
    return path
