"""`kexec-overflow` — would Linux's x86_64 kexec_file loader refuse this object as purgatory?

Compiles the candidate with the user's command, then runs reducer.kexec_model over the
object: lays its allocated sections out at a load address and applies its RELA relocations
the way arch_kexec_apply_relocations_add does. Interesting iff some relocation against a
symbol the object defines overflows ("Overflow in relocation type N value 0x...").

-X options (all optional):

  load_address            where the purgatory is loaded; default 0x13fffb000 (the founding
                          report). Rounded up to the object's alignment like the kernel does.
  undefined_address       where undefined symbols are assumed to be; default: the load
                          address (as if defined inside the purgatory, where a real
                          purgatory defines them). Relocations against undefined symbols are
                          reported but never make a candidate interesting.
  multiple_exec_sections  "report" (default): mention more than one executable section in
                          the reason; "interesting": that alone makes the candidate
                          interesting (for reducing the kernel's other complaint).

--symbol / --target-section, when given, restrict which overflows count (the
target symbol's name / the section it is defined in), so a reduction keeps the same bug.
"""

from __future__ import annotations

from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.elf import NotAnObject, Relocation
from reducer.errors import UsageError
from reducer.kexec_model import (
    DEFAULT_LOAD_ADDRESS,
    AppliedRelocation,
    KexecResult,
    Outcome,
    count_by_type,
    simulate,
)
from reducer.objects import compile_output
from reducer.oracles.spec import READS_OBJECT, OracleKind, OracleSpec, register
from reducer.verdict import Verdict

NAME = "kexec-overflow"
MULTIPLE_EXEC_MODES = ("report", "interesting")


def parse_address(value: object, what: str) -> int:
    """An address from config: an int, or a string in C syntax (0x13fffb000, 5368688640)."""
    if isinstance(value, bool):
        raise UsageError(f"{what} must be an address, not {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip().replace("_", ""), 0)
        except ValueError:
            raise UsageError(f"{what} must be an address like 0x13fffb000, not {value!r}") from None
    else:
        raise UsageError(f"{what} must be an address like 0x13fffb000, not {value!r}")
    if not 0 <= number < 1 << 64:
        raise UsageError(f"{what} {value!r} is not a 64-bit address")
    return number


class KexecOverflowOracle:
    def __init__(
        self,
        compile: CompileCommand,
        *,
        load_address: int = DEFAULT_LOAD_ADDRESS,
        undefined_address: int | None = None,
        multiple_exec_sections: str = "report",
        symbol: str | None = None,
        target_section: str | None = None,
    ) -> None:
        if multiple_exec_sections not in MULTIPLE_EXEC_MODES:
            raise UsageError(
                f"multiple_exec_sections must be one of {', '.join(MULTIPLE_EXEC_MODES)}, "
                f"not {multiple_exec_sections!r}"
            )
        self.name = NAME
        self.compile = compile
        self.load_address = load_address
        self.undefined_address = undefined_address
        self.multiple_exec_sections = multiple_exec_sections
        self.symbol = symbol
        self.target_section = target_section
        # Any type can overflow; an emitted test forbids the types that did.
        self.bad_types: frozenset[int] = frozenset()

    def describe(self) -> str:
        return (
            f"{self.name} (counts relocations the x86_64 kexec_file loader refuses as "
            f"overflowing at load address {self.load_address:#x})"
        )

    def check(self, candidate: Path) -> Verdict:
        compiled = compile_output(self.compile, candidate)
        failure = compiled.failure(self.compile)
        if failure is not None:
            return failure
        assert compiled.output is not None
        return self.judge(compiled.output)

    def judge(self, data: bytes) -> Verdict:
        """The verdict for an already compiled object (bytes of an ELF relocatable file)."""
        try:
            result = simulate(data, self.load_address, self.undefined_address)
        except NotAnObject as exc:
            return Verdict(False, f"output is not an ELF object: {exc}", compile_failed=True)
        return verdict_for(result, self.symbol, self.target_section, self.multiple_exec_sections)

    def annotate_relocations(self, data: bytes) -> dict[Relocation, str]:
        """What the kernel would store for each relocation (for explain)."""
        try:
            model = simulate(data, self.load_address, self.undefined_address)
        except NotAnObject:
            return {}
        notes: dict[Relocation, str] = {}
        for a in model.applied:
            note = f"value {a.value:#x}"
            if a.outcome is not Outcome.OK:
                note += f" {a.outcome.value.upper()}"
            if a.unresolved:
                note += " (undefined symbol)"
            notes[a.relocation] = note
        return notes

    def counts(self, overflow: AppliedRelocation) -> bool:
        return _counts(overflow, self.symbol, self.target_section)


def _counts(a: AppliedRelocation, symbol: str | None, target_section: str | None) -> bool:
    if symbol is not None and a.relocation.symbol != symbol:
        return False
    return target_section is None or a.relocation.symbol_section == target_section


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def verdict_for(
    result: KexecResult,
    symbol: str | None = None,
    target_section: str | None = None,
    multiple_exec_sections: str = "report",
) -> Verdict:
    """Turn a simulation into a one-line verdict (pure; tested without compiling)."""
    counted = [a for a in result.overflows if _counts(a, symbol, target_section)]
    ignored = [a for a in result.overflows if not _counts(a, symbol, target_section)]
    notes: list[str] = []
    if len(counted) > 1:
        notes.append(f"{_plural(len(counted) - 1, 'more overflow')}")
    if ignored:
        wanted = " ".join(
            part
            for part in (
                f"against {symbol}" if symbol else "",
                f"in section {target_section}" if target_section else "",
            )
            if part
        )
        first = ignored[0]
        notes.append(
            f"{_plural(len(ignored), 'overflow')} not {wanted} not counted "
            f"(first: {first.kernel_message()} ({first.where()}))"
        )
    if result.unresolved_symbols:
        names = ", ".join(result.unresolved_symbols[:4])
        if len(result.unresolved_symbols) > 4:
            names += f", ... ({len(result.unresolved_symbols)} in all)"
        text = f"undefined symbols assumed at {result.undefined_address:#x} (not counted): {names}"
        if result.unresolved_overflows:
            a = result.unresolved_overflows[0]
            text += f"; {a.relocation.type_name} against {a.target} would overflow there"
        notes.append(text)
    if result.multiple_executable_sections:
        notes.append("more than one executable section: " + ", ".join(result.executable_sections))
    refusal = result.first_refusal()
    if result.unknown:
        unknown = count_by_type(result.unknown)
        if counted and refusal is not None and refusal is not counted[0]:
            notes.append(
                f"the kernel would stop earlier at: {refusal.kernel_message()} ({unknown})"
            )
        else:
            notes.append(
                f"the kernel would also refuse: {result.unknown[0].kernel_message()} ({unknown})"
            )
    if result.truncated:
        a = result.truncated[0]
        notes.append(
            f"{_plural(len(result.truncated), 'PC-relative relocation')} silently truncated "
            f"(the kernel does not check; first: {a.relocation.type_name} {a.where()})"
        )
    if result.skipped_rel_sections:
        notes.append(
            "SHT_REL sections the x86_64 loader refuses: " + ", ".join(result.skipped_rel_sections)
        )
    if result.layout.load_address != result.layout.requested_address:
        notes.append(
            f"load address rounded up to {result.layout.load_address:#x} "
            f"(alignment {result.layout.buf_align:#x})"
        )
    tail = "".join(f"; {n}" for n in notes)

    if counted:
        first = counted[0]
        return Verdict(
            True,
            f"{first.kernel_message()} ({first.where()}) at load address "
            f"{result.layout.load_address:#x}{tail}",
            relocations=tuple(a.relocation for a in counted),
        )
    if multiple_exec_sections == "interesting" and result.multiple_executable_sections:
        return Verdict(
            True,
            f"kexec would warn: more than one executable section "
            f"({', '.join(result.executable_sections)}); no overflow at load address "
            f"{result.layout.load_address:#x}"
            + "".join(f"; {n}" for n in notes if not n.startswith("more than one")),
        )
    return Verdict(
        False,
        f"no overflow at load address {result.layout.load_address:#x} "
        f"({_plural(len(result.applied), 'relocation')} applied){tail}",
    )


def make_kexec_oracle(spec: OracleSpec, compile: CompileCommand | None) -> KexecOverflowOracle:
    assert compile is not None
    load = parse_address(spec.option("load_address", hex(DEFAULT_LOAD_ADDRESS)), "load_address")
    undefined_raw = spec.option("undefined_address")
    undefined = None if undefined_raw is None else parse_address(undefined_raw, "undefined_address")
    return KexecOverflowOracle(
        compile,
        load_address=load,
        undefined_address=undefined,
        multiple_exec_sections=spec.option("multiple_exec_sections", "report") or "report",
        symbol=spec.symbol,
        target_section=spec.target_section,
    )


register(
    OracleKind(
        NAME,
        make_kexec_oracle,
        "Linux's x86_64 kexec_file loader would refuse the object (relocation overflow)",
        options=("load_address", "undefined_address", "multiple_exec_sections"),
        test_kinds=("llc-reloc", "clang-reloc"),
        needs_valid_code=True,
        reads=READS_OBJECT,
        relocations=True,
    )
)
