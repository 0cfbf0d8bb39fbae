"""`reduce explain FILE [--oracle NAME] [--symbol S] -- CMD`: what the oracle sees.

Compiles a copy of FILE (in a temporary directory; FILE itself is never touched) with CMD,
lists the relocations in code sections grouped by type, target symbol and enclosing
function, marks the ones the oracle counts, shows the source line of each (from a side
compile with -g, mapped through the DWARF line table by reducer.sourcemap), and ends with
the oracle's verdict.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from reducer.commands.matrix import DEFAULT_ORACLE, check_input_file
from reducer.commands.options import add_oracle_arguments, parse_oracle_options
from reducer.compiler import CompileCommand, compiler_version
from reducer.elf import NotAnObject, Relocation, read_object
from reducer.errors import CompilerError, UsageError
from reducer.kexec_model import Outcome, simulate
from reducer.oracles import Oracle, OracleConfig, Verdict, build_oracle
from reducer.oracles.kexec import KexecOverflowOracle
from reducer.oracles.relocations import RelocationFilter, RelocationOracle
from reducer.sourcemap import NoDebugInfo, SourceLocation, SourceMap, build_source_map

NAME = "explain"
HELP = "show the relocations the oracle sees in FILE, with source lines, and its verdict"

DEBUG_FLAGS = ("-g", "-gz=none")

RelocKey = tuple[str, int, str, int, str | None]  # section, type, symbol, addend, function


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the C file to explain (not modified)")
    add_oracle_arguments(parser, DEFAULT_ORACLE)


def _key(r: Relocation) -> RelocKey:
    return (r.section, r.rtype, r.symbol, r.addend, r.function)


def _ident(r: Relocation) -> tuple[str, int, int, str]:
    return (r.section, r.offset, r.rtype, r.symbol)


class _Lines:
    """Source text for locations the line table names; the candidate maps to the input."""

    def __init__(self, candidate: Path, original: Path, display: str) -> None:
        self.candidate = candidate.resolve()
        self.display = display
        self.cache: dict[str, list[str] | None] = {
            str(self.candidate): original.read_text("utf-8", "replace").splitlines()
        }

    def name(self, loc: SourceLocation) -> str:
        try:
            same = Path(loc.file).resolve() == self.candidate
        except OSError:
            same = False
        return self.display if same else loc.file

    def text(self, loc: SourceLocation) -> str:
        try:
            key = str(Path(loc.file).resolve())
        except OSError:
            return ""
        if key not in self.cache:
            try:
                self.cache[key] = Path(key).read_text("utf-8", "replace").splitlines()
            except OSError:
                self.cache[key] = None
        lines = self.cache[key]
        if lines is None or not 1 <= loc.line <= len(lines):
            return ""
        return lines[loc.line - 1].strip()


def _debug_offsets(
    plain: list[Relocation], debug: list[Relocation]
) -> dict[tuple[str, int, int, str], int]:
    """Offset of each plain relocation in the -g object: the i-th relocation with the same
    (section, type, symbol, addend, function) there. -g does not change code generation, so
    this is normally the identity; matching keeps it right if it ever does."""
    in_debug: dict[RelocKey, list[int]] = defaultdict(list)
    for r in debug:
        in_debug[_key(r)].append(r.offset)
    seen: dict[RelocKey, int] = defaultdict(int)
    result: dict[tuple[str, int, int, str], int] = {}
    for r in plain:
        k = _key(r)
        i = seen[k]
        seen[k] += 1
        if i < len(in_debug[k]):
            result[_ident(r)] = in_debug[k][i]
    return result


def _compile(
    command: CompileCommand, source: Path, output: Path, extra: tuple[str, ...] = ()
) -> tuple[bytes | None, str]:
    try:
        result = command.compile(source, output, extra)
    except OSError as exc:
        return None, f"cannot run {command.program}: {exc.strerror or exc}"
    if result.timed_out:
        return None, f"compile timed out after {command.timeout:g}s"
    if result.returncode != 0:
        return None, f"compile failed (exit {result.returncode}): " + result.stderr_tail(6)
    try:
        return output.read_bytes(), ""
    except OSError:
        return None, "the compiler produced no object file"


def _describe_oracle(oracle: Oracle) -> str:
    if isinstance(oracle, RelocationOracle):
        return f"{oracle.name} (counts {oracle.wanted.describe()})"
    if isinstance(oracle, KexecOverflowOracle):
        return (
            f"{oracle.name} (counts relocations the x86_64 kexec_file loader refuses as overflowing "
            f"at load address {oracle.load_address:#x})"
        )
    return oracle.name


def _verdict_label(v: Verdict) -> str:
    if v.timed_out:
        return "TIMED OUT"
    if v.compile_failed:
        return "COMPILE FAILED"
    return "INTERESTING" if v.interesting else "not interesting"


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    source = check_input_file(args.file)
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    command = CompileCommand.from_user(compile_argv, args.timeout, source.parent)
    config = OracleConfig(
        compile=command,
        symbol=args.symbol,
        target_section=args.target_section,
        extra=parse_oracle_options(args.oracle_options),
    )
    oracle = build_oracle(args.oracle, config)

    with tempfile.TemporaryDirectory(prefix="reduce-explain-") as tmp:
        workdir = Path(tmp)
        candidate = workdir / source.name
        shutil.copyfile(source, candidate)
        plain_data, error = _compile(command, candidate, workdir / "explain-plain.o")
        if plain_data is None:
            raise CompilerError(f"{Path(command.program).name} cannot compile {args.file}: {error}")
        try:
            info = read_object(plain_data)
        except NotAnObject as exc:
            raise CompilerError(f"{command.program} did not produce an ELF object: {exc}") from None
        debug_data, debug_error = _compile(command, candidate, workdir / "explain-g.o", DEBUG_FLAGS)
        source_map = SourceMap()
        debug_relocs: list[Relocation] = []
        if debug_data is not None:
            try:
                source_map = build_source_map(debug_data)
                debug_relocs = read_object(debug_data).code_relocations()
            except (NoDebugInfo, NotAnObject) as exc:
                debug_error = str(exc)
        verdict = oracle.check(candidate)
        lines = _Lines(candidate, source, args.file)

        print(f"explain: {args.file}")
        print(f"  compile: {' '.join(command.argv)}   [{compiler_version(command.program)}]")
        print(f"  oracle:  {_describe_oracle(oracle)}")
        _print_relocations(
            info.code_relocations(),
            info.executable_sections,
            oracle,
            verdict,
            source_map,
            debug_relocs,
            lines,
            plain_data,
        )
        if debug_data is None or debug_error:
            print(f"  (no source lines: the -g side compile: {debug_error})")
    print(f"verdict: {_verdict_label(verdict)}: {verdict.reason}")
    return 0


def _print_relocations(
    code: list[Relocation],
    exec_sections: tuple[str, ...],
    oracle: Oracle,
    verdict: Verdict,
    source_map: SourceMap,
    debug_relocs: list[Relocation],
    lines: _Lines,
    plain_data: bytes,
) -> None:
    if isinstance(oracle, RelocationOracle):
        wanted: RelocationFilter | None = oracle.wanted
    else:
        wanted = None
    counted_ids = {_ident(r) for r in verdict.relocations}

    def counted(r: Relocation) -> bool:
        return wanted.matches(r) if wanted is not None else _ident(r) in counted_ids

    kexec_notes: dict[tuple[str, int, int, str], str] = {}
    if isinstance(oracle, KexecOverflowOracle):
        try:
            model = simulate(plain_data, oracle.load_address, oracle.undefined_address)
        except NotAnObject:
            model = None
        if model is not None:
            for a in model.applied:
                note = f"value {a.value:#x}"
                if a.outcome is not Outcome.OK:
                    note += f" {a.outcome.value.upper()}"
                if a.unresolved:
                    note += " (undefined symbol)"
                kexec_notes[_ident(a.relocation)] = note

    sizes = ", ".join(exec_sections) if exec_sections else "none"
    print(f"code sections: {sizes}")
    groups: dict[tuple[str, str, str], list[Relocation]] = {}
    for r in code:
        groups.setdefault((r.type_name, r.symbol, r.function or "?"), []).append(r)
    n_counted = sum(1 for r in code if counted(r))
    print(
        f"relocations in code sections: {len(code)} in {len(groups)} "
        f"group{'' if len(groups) == 1 else 's'}, "
        f"{n_counted} counted by the oracle (marked *)"
    )
    if not code:
        return
    debug_offset = _debug_offsets(code, debug_relocs) if debug_relocs else {}
    order = sorted(groups.items(), key=lambda kv: (not any(counted(r) for r in kv[1]), kv[0]))
    width_type = max(len(k[0]) for k in groups)
    width_sym = max(len(k[1]) for k in groups)
    for (type_name, symbol, function), relocs in order:
        mark = "*" if any(counted(r) for r in relocs) else " "
        print(
            f"{mark} {type_name.ljust(width_type)}  {symbol.ljust(width_sym)}  in {function}  x{len(relocs)}"
        )
        for r in relocs:
            where = f"{r.section}+{r.offset:#x}"
            if r.addend:
                where += f" (addend {r.addend:+#x})"
            loc = None
            offset = debug_offset.get(_ident(r))
            if offset is not None:
                loc = source_map.lookup(r.section, offset)
            text = ""
            if loc is not None:
                text = f"  {lines.name(loc)}:{loc.line}: {lines.text(loc)}"
            note = kexec_notes.get(_ident(r))
            extra = f"  [{note}]" if note else ""
            print(f"    {'*' if counted(r) else ' '} {where}{extra}{text}".rstrip())
