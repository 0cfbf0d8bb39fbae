"""Making reduced IR look like an upstream test, one verified step at a time.

Each step is a pure text transform (unit-tested on its own). ``clean_ir`` applies them in
order and keeps a step only if the IR-level oracle still holds afterwards (the affected llc
shows the behaviour, the fixed one, when known, does not); a step that breaks it is dropped
and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

_NAME = r"[-a-zA-Z$._][-a-zA-Z$._0-9]*"
_LOCAL_TOKEN = re.compile(r"%(" + _NAME + r"|\d+)(?![-a-zA-Z$._0-9])")
_TYPE_DEF = re.compile(r"^%(" + _NAME + r"|\d+) = type\b", re.M)

# dso_local stays: without it llc addresses even a static build's globals through the
# GOT, so the neighbouring configurations of a test would not show what C code gets.
KEYWORD_GROUPS: dict[str, tuple[str, ...]] = {
    "unnamed_addr": ("local_unnamed_addr", "unnamed_addr"),
    "parameter attributes": (
        "noundef",
        "nocapture",
        "readonly",
        "writeonly",
        "nonnull",
        "noalias",
        "signext",
        "zeroext",
    ),
}


@dataclass(frozen=True)
class IrState:
    """IR text plus the llc flags it needs (the triple moves from the file to -mtriple)."""

    text: str
    mtriple: str | None = None

    def llc_flags(self, base: tuple[str, ...]) -> tuple[str, ...]:
        return ((f"-mtriple={self.mtriple}",) if self.mtriple else ()) + base


def _outside_quotes(line: str, transform: Callable[[str], str]) -> str:
    """Apply ``transform`` to the parts of ``line`` that are not inside double quotes."""
    parts = line.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = transform(parts[i])
    return '"'.join(parts)


def tidy(text: str) -> str:
    """Trailing blanks, '; preds' comments, runs of blank lines, a final newline."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"\s*; (?:preds = .*|No predecessors!)$", "", raw).rstrip()
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def drop_module_header(text: str) -> str:
    kept = [
        line
        for line in text.splitlines()
        if not line.startswith("; ModuleID") and not line.startswith("source_filename")
    ]
    return tidy("\n".join(kept))


def drop_metadata(text: str) -> str:
    """Named and numbered metadata, attachments (!dbg, !tbaa, ...) and debug records."""
    attachment = re.compile(r"(?:,\s*|\s+)!" + _NAME + r"\s+!\d+")
    kept: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("!"):
            continue
        if stripped.startswith("#dbg_"):
            continue
        if re.match(r"(?:tail\s+)?call void @llvm\.dbg\.", stripped):
            continue
        if stripped.startswith("declare") and "@llvm.dbg." in stripped:
            continue
        kept.append(_outside_quotes(line, lambda part: attachment.sub("", part)))
    return tidy("\n".join(kept))


def drop_attributes(text: str) -> str:
    """Attribute groups, their #N references and the '; Function Attrs:' comments."""
    reference = re.compile(r"\s+#\d+\b")
    kept: list[str] = []
    for line in text.splitlines():
        if line.startswith("attributes #") or line.startswith("; Function Attrs:"):
            continue
        kept.append(_outside_quotes(line, lambda part: reference.sub("", part)))
    return tidy("\n".join(kept))


def attribute_groups(text: str) -> dict[str, list[str]]:
    """'#0' -> its attribute tokens, in order."""
    groups: dict[str, list[str]] = {}
    for match in re.finditer(r"^attributes (#\d+) = \{ (.*) \}$", text, re.M):
        groups[match.group(1)] = re.findall(
            r'"[^"]*"(?:="[^"]*")?|[^\s"]+(?:\([^)]*\))?', match.group(2)
        )
    return groups


def drop_group_attribute(text: str, group: str, token: str) -> str:
    """Remove one attribute from one attribute group (the group may become empty)."""

    def edit(match: re.Match[str]) -> str:
        tokens = attribute_groups(match.group(0))[group]
        remaining = [t for t in tokens if t != token]
        return (
            f"attributes {group} = {{ {' '.join(remaining)} }}"
            if remaining
            else f"attributes {group} = {{ }}"
        )

    return re.sub(r"^attributes " + re.escape(group) + r" = \{ .* \}$", edit, text, flags=re.M)


def drop_keywords(text: str, words: tuple[str, ...]) -> str:
    pattern = re.compile(r"[ \t]+(?:" + "|".join(map(re.escape, words)) + r")(?![-\w.$])")
    lines = [
        _outside_quotes(line, lambda part: pattern.sub("", part)) for line in text.splitlines()
    ]
    return tidy("\n".join(lines))


def target_triple(text: str) -> str | None:
    match = re.search(r'^target triple = "([^"]*)"', text, re.M)
    return match.group(1) if match else None


def drop_target_lines(text: str, *, triple: bool = True) -> str:
    kept = [
        line
        for line in text.splitlines()
        if not line.startswith("target datalayout")
        and not (triple and line.startswith("target triple"))
    ]
    return tidy("\n".join(kept))


def _functions(text: str) -> list[tuple[int, int]]:
    """(first, last) line indexes of each function definition."""
    lines = text.splitlines()
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate(lines):
        if (
            start is None
            and line.startswith("define ")
            and line.rstrip().endswith("{")
            and "(" in line
        ):
            start = i
        elif start is not None and line.startswith("}"):
            spans.append((start, i))
            start = None
    return spans


def _local_mapping(lines: list[str], first: int, last: int, type_names: set[str]) -> dict[str, str]:
    header = lines[first]
    params = header[header.index("(") + 1 : header.rindex(")")]
    mapping: dict[str, str] = {}
    for token in _LOCAL_TOKEN.findall(params):
        if token not in type_names and token not in mapping:
            mapping[token] = f"p{len(mapping)}"
    values = blocks = 0
    for line in lines[first + 1 : last]:
        label = re.match(r"^(" + _NAME + r"|\d+):", line)
        value = re.match(r"^\s+%(" + _NAME + r"|\d+) = ", line)
        if label and label.group(1) not in mapping:
            mapping[label.group(1)] = f"bb{blocks}"
            blocks += 1
        elif value and value.group(1) not in mapping:
            mapping[value.group(1)] = f"v{values}"
            values += 1
    return mapping


def rename_locals(text: str) -> str:
    """Give every local value and block a short name: arguments %p0.., values %v0..,
    blocks bb0... Functions whose local names clash with type names are left alone."""
    type_names = set(_TYPE_DEF.findall(text))
    lines = text.splitlines()
    for first, last in _functions(text):
        mapping = _local_mapping(lines, first, last, type_names)
        if not mapping or type_names & set(mapping):
            continue

        def rename(part: str, mapping: dict[str, str] = mapping) -> str:
            return _LOCAL_TOKEN.sub(lambda m: "%" + mapping.get(m.group(1), m.group(1)), part)

        header = lines[first]
        open_at, close_at = header.index("("), header.rindex(")")
        # only the parameter list: the function's own name is global
        lines[first] = (
            header[: open_at + 1]
            + _outside_quotes(header[open_at + 1 : close_at], rename)
            + header[close_at:]
        )
        for i in range(first + 1, last):
            line = lines[i]
            label = re.match(r"^(" + _NAME + r"|\d+):", line)
            if label:
                line = mapping[label.group(1)] + line[label.end(1) :]
            lines[i] = _outside_quotes(line, rename)
    return tidy("\n".join(lines))


_GLOBAL_TOKEN = re.compile(r"@(" + _NAME + r")(?![-a-zA-Z$._0-9])")
_RET_ATTRS = {"noundef", "signext", "zeroext", "nonnull", "noalias", "inreg"}
_CONSTANT = re.compile(r"^(-?\d+|undef|poison|null|zeroinitializer|true|false)$")
SHORT_NAME = 2  # names this short are what the C reduction's rename pass left
SECTION_FOR_SHORT = ".explicit_section"


_LINKAGES = {
    "external",
    "common",
    "weak",
    "weak_odr",
    "linkonce",
    "linkonce_odr",
    "extern_weak",
    "available_externally",
    "appending",
}


def _after_linkage(rest: str) -> str:
    """``rest`` (what follows ``@x =`` or ``define``) with dso_local after its linkage."""
    first = rest.split(" ", 1)[0]
    if first in _LINKAGES:
        return first + " dso_local " + rest[len(first) + 1 :]
    return "dso_local " + rest


def add_dso_local(text: str) -> str:
    """Mark every global and function dso_local, as clang does for -fno-pic code.
    llvm-reduce strips the marker; without it llc reaches even a static build's globals
    through the GOT, so the neighbouring configurations would not show what C code gets.
    Internal and private symbols are dso_local already."""
    out = []
    for line in text.splitlines():
        words = line.split(" ")
        if "dso_local" in words or "internal" in words or "private" in words:
            out.append(line)
            continue
        if line.startswith("@") and " = " in line:
            name, rest = line.split(" = ", 1)
            line = f"{name} = {_after_linkage(rest)}"
        elif line.startswith(("define ", "declare ")):
            keyword, rest = line.split(" ", 1)
            line = f"{keyword} {_after_linkage(rest)}"
        out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def void_returns(text: str) -> str:
    """A function nobody calls whose every ``ret`` returns a constant (C's ``int f()``
    falling off its end, which the reduction makes common) returns void instead:
    upstream tests do not return a made-up ``i32 0``."""
    lines = text.splitlines()
    for first, last in _functions(text):
        header = lines[first]
        match = re.match(
            r"^define\s+((?:[a-z_]+\s+)*?)(i\d+|ptr|float|double)\s+@(" + _NAME + r")\(", header
        )
        if match is None:
            continue
        name, rtype = match.group(3), match.group(2)
        uses = sum(1 for m in _GLOBAL_TOKEN.finditer(text) if m.group(1) == name)
        rets = [i for i in range(first + 1, last) if lines[i].strip().startswith("ret ")]
        if uses != 1 or not rets:
            continue
        operands = [lines[i].strip()[len("ret ") :].split(None, 1) for i in rets]
        if not all(len(o) == 2 and o[0] == rtype and _CONSTANT.match(o[1]) for o in operands):
            continue
        words = [w for w in match.group(1).split() if w not in _RET_ATTRS]
        lines[first] = (
            "define "
            + "".join(w + " " for w in words)
            + "void @"
            + name
            + "("
            + header[match.end() :]
        )
        for i in rets:
            lines[i] = lines[i][: lines[i].index("ret ")] + "ret void"
    return tidy("\n".join(lines))


def readable_names(text: str) -> str:
    """Replace the one- and two-letter global names the C reduction's rename pass left
    (``@a``, section ``"."``) with names that say what they are: defined functions
    ``@test``, ``@test1``...; declared ones ``@callee``...; variables ``@var``...; a short
    section name becomes ``.explicit_section``. Longer names (the symbols a bug report
    names, kept with --keep-names) stay."""
    defined = re.findall(r"^define\b[^@]*@(" + _NAME + r")\(", text, re.M)
    declared = re.findall(r"^declare\b[^@]*@(" + _NAME + r")\(", text, re.M)
    variables = re.findall(r"^@(" + _NAME + r") = ", text, re.M)
    taken = set(_GLOBAL_TOKEN.findall(text))
    mapping: dict[str, str] = {}
    for names, stem in ((defined, "test"), (declared, "callee"), (variables, "var")):
        count = 0
        for name in names:
            if len(name) > SHORT_NAME or name in mapping or name.startswith("llvm."):
                continue
            while True:
                candidate = stem if count == 0 else f"{stem}{count}"
                count += 1
                if candidate not in taken:
                    break
            mapping[name] = candidate
            taken.add(candidate)

    def rename(part: str) -> str:
        return _GLOBAL_TOKEN.sub(lambda m: "@" + mapping.get(m.group(1), m.group(1)), part)

    out = []
    for line in text.splitlines():
        line = _outside_quotes(line, rename) if mapping else line
        line = re.sub(
            r'section "([^"]*)"',
            lambda m: (
                f'section "{SECTION_FOR_SHORT}"' if len(m.group(1)) <= SHORT_NAME else m.group(0)
            ),
            line,
        )
        out.append(line)
    return tidy("\n".join(out))


# What may follow a definition's function attributes on its line (LangRef order).
_AFTER_FN_ATTRS = {"section", "partition", "comdat", "align", "gc", "prefix", "prologue"}
_AFTER_FN_ATTRS |= {"personality", "{"}
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')
_UWTABLE = re.compile(r"uwtable(?:\((?:sync|async)\))?")


def _fn_attributes(line: str) -> tuple[int, int] | None:
    """Where a ``define`` line's function attributes are: from after the parameter list
    (and unnamed_addr/addrspace, which precede them) to before section/comdat/.../``{``."""
    name = re.search(r'@(?:"[^"]*"|[-a-zA-Z$._0-9]+)\(', line)
    if name is None:
        return None
    depth, quoted, i = 0, False, name.end() - 1
    while i < len(line):
        char = line[i]
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    else:
        return None
    start = i + 1
    for token in _TOKEN.finditer(line, start):
        word = token.group(0)
        if word.split("(", 1)[0] in _AFTER_FN_ATTRS or word.startswith(("!", "{")):
            return start, token.start()
    return None


def mark_nounwind(text: str) -> str:
    """Every definition ``nounwind`` and without ``uwtable``, as upstream codegen tests
    are: llc then emits no CFI, so the autogenerated checks carry no ``.cfi_*`` lines."""
    groups = attribute_groups(text)
    used_groups: set[str] = set()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not (line.startswith("define ") and line.rstrip().endswith("{")):
            continue
        span = _fn_attributes(line)
        if span is None:
            continue
        start, end = span
        region = line[start:end]
        tokens = _TOKEN.findall(region)
        refs = [t for t in tokens if re.fullmatch(r"#\d+", t)]
        used_groups.update(refs)
        kept = " ".join(t for t in tokens if not _UWTABLE.fullmatch(t))
        has = "nounwind" in tokens or any("nounwind" in groups.get(r, []) for r in refs)
        if not has:
            kept = f"{kept} nounwind".strip()
        lines[i] = line[:start].rstrip() + (f" {kept} " if kept else " ") + line[end:]
    out = "\n".join(lines) + "\n"
    for group in sorted(used_groups):
        for token in groups.get(group, []):
            if _UWTABLE.fullmatch(token):
                out = drop_group_attribute(out, group, token)
    return tidy(out)


@dataclass(frozen=True)
class Step:
    name: str
    apply: Callable[[IrState], IrState | None]


@dataclass
class CleanupLog:
    applied: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _text_step(name: str, transform: Callable[[str], str]) -> Step:
    return Step(name, lambda state: replace(state, text=transform(state.text)))


def _move_triple(state: IrState) -> IrState | None:
    triple = target_triple(state.text)
    if triple is None:
        return None
    return IrState(drop_target_lines(state.text), triple)


def standard_steps() -> list[Step]:
    steps = [
        _text_step("module header (ModuleID, source_filename)", drop_module_header),
        _text_step("metadata (module flags, ident, debug info)", drop_metadata),
        _text_step("function attributes", drop_attributes),
    ]
    for label, words in KEYWORD_GROUPS.items():
        steps.append(_text_step(label, lambda text, words=words: drop_keywords(text, words)))
    steps += [
        # after the attribute clean-ups, which would take nounwind out again
        _text_step("nounwind definitions (no CFI)", mark_nounwind),
        Step("triple and datalayout -> -mtriple", _move_triple),
        _text_step("datalayout", lambda text: drop_target_lines(text, triple=False)),
        _text_step("short value names", rename_locals),
        _text_step("void return of an unused constant", void_returns),
        _text_step("readable global names", readable_names),
    ]
    return steps


def clean_ir(
    state: IrState, still_interesting: Callable[[IrState], bool], log: CleanupLog | None = None
) -> IrState:
    """Apply each standard step that keeps the IR interesting. When removing all function
    attributes breaks it, attributes are removed one at a time instead."""
    log = log if log is not None else CleanupLog()
    state = replace(state, text=tidy(state.text))
    for step in standard_steps():
        candidate = step.apply(state)
        if candidate is None or candidate == state:
            continue
        if still_interesting(candidate):
            state = candidate
            log.applied.append(step.name)
            continue
        log.dropped.append(step.name)
        if step.name == "function attributes":
            state = _drop_attributes_one_by_one(state, still_interesting, log)
    return state


def _drop_attributes_one_by_one(
    state: IrState, still_interesting: Callable[[IrState], bool], log: CleanupLog
) -> IrState:
    for group, tokens in attribute_groups(state.text).items():
        for token in tokens:
            candidate = replace(state, text=drop_group_attribute(state.text, group, token))
            if candidate != state and still_interesting(candidate):
                state = candidate
                log.applied.append(f"attribute {token} ({group})")
    return state
