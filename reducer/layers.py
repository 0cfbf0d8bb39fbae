"""The architecture as data: the package's layers, bottom first. A module may import
modules of its own layer or of the layers below it, never above, and no import cycle may
exist (tests/test_layers.py reads every import with ``ast`` and checks both).

A module belongs to the layer of the longest prefix below that names it (a prefix names
itself and the modules under it; the root package ``reducer`` names only itself, so a new
module must be placed here before the layer test passes).
"""

from __future__ import annotations

ROOT = "reducer"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Processes, files and text: what every layer above stands on.
    (
        "foundation",
        (
            "reducer.errors",
            "reducer.output",
            "reducer.process",
            "reducer.version",
            "reducer.scratch",
            "reducer.native_stderr",
            "reducer.ctokens",
            "reducer.edits",
            "reducer.elf",
            "reducer.sourcemap",
            "reducer.libclang",
            "reducer.verdict",
            "reducer.kexec_model",
            "reducer.layers",
        ),
    ),
    # The user's inputs: the compile command, the build tree it came from, the file.
    ("intake", ("reducer.compiler", "reducer.intake", "reducer.inputs", "reducer.flagreduce")),
    # Compiling a candidate for an oracle, and what its object says about source lines.
    ("objects", ("reducer.objects", "reducer.reloclines")),
    ("oracles", ("reducer.oracles",)),
    # Pure: text in, candidates out.
    ("passes", ("reducer.passes",)),
    # The decision procedure, its speculation, and the interface of where calls run.
    ("engine", ("reducer.engine", "reducer.executors.base", "reducer.minimal_command")),
    ("executors", ("reducer.executors",)),
    ("emission", ("reducer.emit",)),
    ("commands", ("reducer.commands", "reducer.progress", "reducer.nightly")),
    ("cli", ("reducer.cli", "reducer.__main__", ROOT)),
)


def layer_of(module: str) -> int:
    """The index in LAYERS of ``module``'s layer (longest matching prefix)."""
    best: tuple[int, int] | None = None  # (prefix length, layer index)
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            under = prefix != ROOT and module.startswith(prefix + ".")
            if (module == prefix or under) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    if best is None:
        raise KeyError(f"{module} is in no layer of reducer.layers.LAYERS")
    return best[1]
