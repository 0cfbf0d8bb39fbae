"""``--oracle auto``: measure what differs between the affected and the fixed compiler on
the original, and name the narrowest built-in oracle that separates them.

What ClangBuiltLinux's reduce scripts leave as ``<your test here>``. The facts measured
(each compile once per side, in a private directory): a crash and its signature, the
diagnostics, the relocation types per symbol in code, undefined and defined symbols, the
executable sections, where the file has ``main`` the program's output (the miscompile
oracle, its undefined-behaviour screens included), and last each function's
instructions (two releases' codegen differs for many reasons besides the bug). From them come candidate oracles, narrowest first; each candidate is
then asked, as a differential oracle (``--good-cc``), about the original, and the first
one that holds is the choice. It is printed as the explicit ``--oracle`` words it stands
for, so the user can re-run (or edit) it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reducer.commands.options import oracle_spec_from_words
from reducer.compiler import OUTPUT_ASM, OUTPUT_OBJECT, CompileCommand
from reducer.elf import R_X86_64_32, R_X86_64_32S, NotAnObject, ObjectInfo, read_object
from reducer.emit.asm_diff import separating_patterns
from reducer.errors import NotInterestingError, ReducerError, UsageError
from reducer.oracles import OracleSpec, check_text
from reducer.oracles.diag import Diagnostic, parse_diagnostics

AUTO = "auto"
_MAIN = re.compile(r"\bint\s+main\s*\(")


@dataclass(frozen=True)
class Side:
    """What one compiler does with the original."""

    returncode: int | None
    stderr: str
    object: ObjectInfo | None  # None when no object was written (or it is not ELF)
    asm: str  # "" when no assembly was written


@dataclass(frozen=True)
class AutoChoice:
    words: tuple[str, ...]  # the explicit oracle options: --oracle NAME [--symbol S] [-X ..]
    why: str  # one line: what was measured that makes it the choice
    spec: OracleSpec


def measure(command: CompileCommand, text: str, file_name: str) -> Side:
    """Compile the original with ``command`` to an object and to assembly."""
    with tempfile.TemporaryDirectory(prefix="reducer-auto-") as tmp:
        source = Path(tmp) / file_name
        source.write_text(text)
        obj = Path(tmp) / "out.o"
        result = command.compile(source, obj, kind=command.any_output())
        info = None
        if obj.is_file() and command.can_write(OUTPUT_OBJECT):
            try:
                info = read_object(obj.read_bytes())
            except NotAnObject:
                info = None
        asm = ""
        if command.can_write(OUTPUT_ASM):
            asm_path = Path(tmp) / "out.s"
            command.compile(source, asm_path, kind=OUTPUT_ASM)
            asm = asm_path.read_text(errors="replace") if asm_path.is_file() else ""
        stderr = result.stderr.decode("utf-8", errors="replace")
        return Side(result.returncode, stderr, info, asm)


def candidates(affected: Side, fixed: Side, text: str) -> Iterator[tuple[list[str], str]]:
    """(oracle words, why) from the measured facts, narrowest first."""
    if affected.returncode is None or affected.returncode != 0:
        yield (
            ["--oracle", "crash", "-X", "pin=signature"],
            "the affected compiler fails or crashes on it and the fixed one does not",
        )
    fixed_diagnostics = parse_diagnostics(fixed.stderr)
    fixed_messages = {d.message for d in fixed_diagnostics}
    fixed_flags = {d.flag for d in fixed_diagnostics}
    affected_diagnostics = parse_diagnostics(affected.stderr)
    for diagnostic in affected_diagnostics:
        if diagnostic.severity in ("warning", "error") and diagnostic.message not in fixed_messages:
            pattern = diagnostic_pattern(diagnostic.message, diagnostic.flag, fixed_flags)
            why = f"only the affected compiler says {diagnostic.severity}: {diagnostic.message}"
            # Nothing else printed by either: keep it so (a test expecting no other word).
            quiet = not _said(fixed_diagnostics) and all(
                re.search(pattern, d.text) for d in _said(affected_diagnostics)
            )
            if quiet:
                why += "; neither prints anything else, so -X quiet=yes keeps it so"
            yield ["--oracle", "diag:" + pattern, *(["-X", "quiet=yes"] if quiet else [])], why
            break
    if affected.object is not None and fixed.object is not None:
        yield from _object_candidates(affected.object, fixed.object)
    if _MAIN.search(text):
        yield ["--oracle", "miscompile"], "the program's output differs"
    # Last: two releases' assembly nearly always differs somewhere, for reasons that are
    # not the bug; the user is told so.
    if affected.asm and fixed.asm:
        for function, pattern in separating_patterns(affected.asm, fixed.asm)[:1]:
            yield (
                ["--oracle", "asm:" + pattern],
                f"in {function}, only the affected compiler writes this instruction; nothing "
                "narrower differs, and releases differ in codegen for many reasons: check "
                "that this line is the bug",
            )


def diagnostic_pattern(message: str, flag: str, fixed_flags: set[str]) -> str:
    """A regex for one diagnostic: its warning option where the fixed compiler never
    names it (``\\[-Wfoo\\]``: stable while the code shrinks), else its message with
    every number generalised (array sizes and counts change as the code shrinks)."""
    if flag and flag not in fixed_flags:
        return _literal(f"[{flag}]")
    return re.sub(r"\d+", lambda _: r"\d+", _literal(message))


def _said(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The error and warning lines (what -X quiet=yes counts: not notes, not remarks)."""
    return [d for d in diagnostics if d.severity in ("warning", "error", "fatal error")]


def _literal(text: str) -> str:
    # re.escape, minus the escapes of blanks and dashes that only make it hard to read
    return re.escape(text).replace("\\ ", " ").replace("\\-", "-")


def _object_candidates(affected: ObjectInfo, fixed: ObjectInfo) -> Iterator[tuple[list[str], str]]:
    fixed_relocations = {(r.type_name, r.symbol) for r in fixed.code_relocations()}
    for relocation in affected.code_relocations():
        key = (relocation.type_name, relocation.symbol)
        if relocation.rtype in (R_X86_64_32, R_X86_64_32S) and key not in fixed_relocations:
            name = "r_x86_64_32s" if relocation.rtype == R_X86_64_32S else "r_x86_64_32"
            words = ["--oracle", name]
            if relocation.symbol:
                words += ["--symbol", relocation.symbol]
            yield words, f"only the affected compiler writes {relocation.describe()}"
            break
    fixed_symbols = {(s.name, s.defined) for s in fixed.symbols}
    for symbol in affected.symbols:
        if symbol.binding == "STB_LOCAL" or (symbol.name, symbol.defined) in fixed_symbols:
            continue
        suffix = "=defined" if symbol.defined else ""
        what = "defines" if symbol.defined else "references"
        yield (
            ["--oracle", f"symbol:{symbol.name}{suffix}"],
            f"only the affected compiler's object {what} {symbol.name}",
        )
        break
    if len(affected.executable_sections) > 1 and len(fixed.executable_sections) <= 1:
        yield (
            ["--oracle", "sections"],
            "the affected object has code sections " + " + ".join(affected.executable_sections),
        )


def choose(
    compile: CompileCommand,
    good_cc: tuple[str, ...],
    text: str,
    file_name: str,
    timeout: float,
) -> AutoChoice:
    """The first candidate that holds on the original as a differential oracle; a
    NotInterestingError when none does (nothing the built-in oracles see differs)."""
    if not good_cc:
        raise UsageError(
            "--oracle auto compares with a fixed compiler: give it with --good-cc (e.g. clang-22)"
        )
    base = OracleSpec.parse("crash", timeout=timeout, good_cc=good_cc)
    fixed_command = base.good_command(compile)
    assert fixed_command is not None
    affected, fixed = measure(compile, text, file_name), measure(fixed_command, text, file_name)
    tried = []
    for words, why in candidates(affected, fixed, text):
        try:
            spec = replace(oracle_spec_from_words(words), timeout=timeout, good_cc=good_cc)
            spec.check_tool(compile)
            verdict = check_text(spec.for_reduction(compile), text, file_name)
        except ReducerError:
            continue  # an oracle this tool cannot serve (asm from opt), or its options
        tried.append(words[1])
        if verdict.interesting:
            return AutoChoice(tuple(words), why, spec)
    raise NotInterestingError(
        "--oracle auto: nothing the built-in oracles measure separates the affected compiler "
        f"from the fixed one on this file (tried: {', '.join(tried) or 'none applied'})"
    )


def placeholder(args_timeout: float, good_cc: tuple[str, ...]) -> OracleSpec:
    """The spec a run with ``--oracle auto`` carries until the choice is made: a compiling
    oracle, so the compile command is looked for as for any other."""
    return OracleSpec.parse("crash", timeout=args_timeout, good_cc=good_cc)
