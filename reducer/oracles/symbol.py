"""`symbol:NAME` / `symbol:NAME=defined` — the object references or defines a symbol.

``symbol:__udivti3`` (same as ``symbol:__udivti3=undefined``) is interesting when the object
has an undefined reference to the name: a compiler-rt libcall the target's runtime lacks,
``memcpy`` or ``strlen`` emitted into -ffreestanding or boot code. ``symbol:NAME=defined``
when the object defines it (e.g. a function that should have been inlined away or
discarded); ``=any`` for either. Names are exact ELF symbol names (no C mangling on ELF).
"""

from __future__ import annotations

from reducer.compiler import CompileCommand
from reducer.elf import ObjectInfo
from reducer.errors import UsageError
from reducer.objects import ObjectOracle
from reducer.oracles.spec import ARGUMENT_REQUIRED, READS_OBJECT, OracleKind, OracleSpec, register
from reducer.verdict import Verdict

NAME = "symbol"
MODES = ("undefined", "defined", "any")
LIST_LIMIT = 8


def _names(names: list[str]) -> str:
    if not names:
        return "none"
    shown = ", ".join(names[:LIST_LIMIT])
    return shown + (f", ... ({len(names)} in all)" if len(names) > LIST_LIMIT else "")


class SymbolOracle(ObjectOracle):
    def __init__(self, compile: CompileCommand, symbol: str, mode: str = "undefined") -> None:
        if mode not in MODES:
            raise UsageError(f"symbol:{symbol}={mode}: the mode must be one of {', '.join(MODES)}")
        self.name = f"{NAME}:{symbol}" + ("" if mode == "undefined" else f"={mode}")
        self.compile = compile
        self.symbol = symbol
        self.mode = mode

    def describe(self) -> str:
        what = {
            "undefined": f"an undefined reference to {self.symbol}",
            "defined": f"a definition of {self.symbol}",
            "any": f"a symbol {self.symbol}, defined or not",
        }[self.mode]
        return f"{self.name} (counts {what} in the object's symbol table)"

    def judge(self, info: ObjectInfo) -> Verdict:
        """The verdict for an object already read (pure)."""
        found = [s for s in info.symbols if s.name == self.symbol]
        for sym in found:
            if self.mode == "any" or (self.mode == "defined") == sym.defined:
                where = f"defined in {sym.section}" if sym.defined else "undefined"
                return Verdict(
                    True, f"{sym.name} is {where} ({sym.kind}, {sym.binding.removeprefix('STB_')})"
                )
        undefined = sorted({s.name for s in info.symbols if not s.defined})
        if found:
            state = "defined" if found[0].defined else "only referenced (undefined)"
            seen = f"{self.symbol} is {state}"
        else:
            seen = f"no symbol {self.symbol}"
        return Verdict(False, f"{seen}; undefined symbols: {_names(undefined)}")


def make_symbol_oracle(spec: OracleSpec, compile: CompileCommand | None) -> SymbolOracle:
    assert compile is not None
    symbol, _, mode = spec.argument.partition("=")
    symbol = symbol.strip()
    if not symbol or any(c.isspace() for c in symbol):
        raise UsageError(f"--oracle {spec.text}: give one symbol name, e.g. symbol:__udivti3")
    return SymbolOracle(compile, symbol, mode.strip() or "undefined")


register(
    OracleKind(
        NAME,
        make_symbol_oracle,
        "the object references (undefined) or, with =defined, defines the symbol NAME",
        argument=ARGUMENT_REQUIRED,
        argument_help="NAME[=defined]",
        test_kinds=("clang-symbol",),
        needs_valid_code=True,
        reads=READS_OBJECT,
    )
)
