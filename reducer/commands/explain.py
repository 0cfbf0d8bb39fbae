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
import sys
import tempfile
from pathlib import Path

from reducer.commands.matrix import DEFAULT_ORACLE, check_input_file
from reducer.commands.options import add_oracle_arguments, oracle_spec
from reducer.compiler import CompileCommand, compiler_version
from reducer.elf import NotAnObject, Relocation, read_object
from reducer.errors import CompilerError
from reducer.inputs import in_user_terms
from reducer.intake.options import add_intake_arguments, resolve_intake
from reducer.objects import compile_output
from reducer.oracles import Oracle, Verdict
from reducer.reloclines import RelocationSources, relocation_sources
from reducer.sourcemap import SourceLocation

NAME = "explain"
HELP = "show the relocations the oracle sees in FILE, with source lines, and its verdict"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the C file to explain (not modified)")
    add_oracle_arguments(parser, DEFAULT_ORACLE)
    add_intake_arguments(parser)


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


def _compile(
    command: CompileCommand, source: Path, extra: tuple[str, ...] = ()
) -> tuple[bytes | None, str]:
    try:
        compiled = compile_output(command, source, extra=extra)
    except OSError as exc:
        return None, f"cannot run {command.program}: {exc.strerror or exc}"
    failure = compiled.failure(command)
    return (None, failure.reason) if failure else (compiled.output, "")


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    source = check_input_file(args.file)
    spec = oracle_spec(args)
    intake = resolve_intake(args, compile_argv, source, auto_detect=spec.kind.compiles)
    for line in intake.messages() if intake else []:
        print(f"note: {line}", file=sys.stderr)  # stdout stays the explanation
    argv, directory = (list(intake.argv), intake.directory) if intake else ([], None)
    command = CompileCommand.from_user(argv, spec.timeout, source.parent, directory)
    oracle = spec.build(command)

    with tempfile.TemporaryDirectory(prefix="reduce-explain-") as tmp:
        workdir = Path(tmp)
        candidate = workdir / source.name
        shutil.copyfile(source, candidate)
        if not spec.kind.relocations:
            # Crashes, diagnostics, symbols, sections: the verdict says what was seen.
            verdict = oracle.check(candidate)
            print(f"explain: {args.file}")
            print(f"  compile: {' '.join(command.argv)}   [{compiler_version(command.program)}]")
            print(f"  oracle:  {oracle.describe()}")
            print(f"verdict: {verdict.label}: {in_user_terms(verdict.reason, args.file)}")
            return 0
        plain_data, error = _compile(command, candidate)
        if plain_data is None:
            raise CompilerError(f"{Path(command.program).name} cannot compile {args.file}: {error}")
        try:
            info = read_object(plain_data)
        except NotAnObject as exc:
            raise CompilerError(f"{command.program} did not produce an ELF object: {exc}") from None
        sources = relocation_sources(command, candidate, info.code_relocations())
        verdict = oracle.check(candidate)
        lines = _Lines(candidate, source, args.file)

        print(f"explain: {args.file}")
        print(f"  compile: {' '.join(command.argv)}   [{compiler_version(command.program)}]")
        print(f"  oracle:  {oracle.describe()}")
        _print_relocations(
            info.code_relocations(),
            info.executable_sections,
            oracle,
            verdict,
            sources,
            lines,
            plain_data,
        )
        if sources.error:
            print(f"  (no source lines: the -g side compile: {sources.error})")
    print(f"verdict: {verdict.label}: {in_user_terms(verdict.reason, args.file)}")
    return 0


def _print_relocations(
    code: list[Relocation],
    exec_sections: tuple[str, ...],
    oracle: Oracle,
    verdict: Verdict,
    sources: RelocationSources,
    lines: _Lines,
    plain_data: bytes,
) -> None:
    counted_ids = {_ident(r) for r in verdict.relocations}

    def counted(r: Relocation) -> bool:
        return _ident(r) in counted_ids

    # An oracle that computes something per relocation (kexec-overflow: the value the
    # kernel would store) may say so next to each one.
    annotate = getattr(oracle, "annotate_relocations", None)
    notes = {_ident(a): n for a, n in (annotate(plain_data) if annotate else {}).items()}

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
            loc = sources.of(r)
            text = ""
            if loc is not None:
                text = f"  {lines.name(loc)}:{loc.line}: {lines.text(loc)}"
            note = notes.get(_ident(r))
            extra = f"  [{note}]" if note else ""
            print(f"    {'*' if counted(r) else ' '} {where}{extra}{text}".rstrip())
