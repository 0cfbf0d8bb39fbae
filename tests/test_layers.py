"""The layers of reducer.layers hold: every import in the package (at module level, in a
function, or under TYPE_CHECKING) points to the importer's own layer or one below, and
the import graph has no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reducer.layers import LAYERS, layer_of

PACKAGE = Path(__file__).resolve().parents[1] / "reducer"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``module`` imports (``from a.b import c`` is a.b.c when c is
    a module, else a.b)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                name = f"{target}.{alias.name}"
                found.add(name if name in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in known and name != module}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_the_import_reader_sees_imports() -> None:
    graph = _graph()
    # Known facts of the code, so a reader that finds nothing cannot pass the tests below.
    assert "reducer.oracles.spec" in graph["reducer.oracles.relocations"]
    assert "reducer.engine" in graph["reducer.commands.reduce"]
    assert len(graph) > 80


def test_every_module_has_a_layer() -> None:
    missing = []
    for module in _graph():
        try:
            layer_of(module)
        except KeyError:
            missing.append(module)
    assert not missing, f"add these to reducer/layers.py: {missing}"


def test_no_import_points_up() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in _graph().items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert not upward, "\n".join(upward)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("reducer.executors.base", "engine"),
        ("reducer.executors.local", "executors"),
        ("reducer.passes.slice", "passes"),
        ("reducer", "cli"),
    ],
)
def test_layer_of_takes_the_longest_prefix(module: str, layer: str) -> None:
    assert LAYERS[layer_of(module)][0] == layer


def test_a_module_outside_the_list_has_no_layer() -> None:
    with pytest.raises(KeyError):
        layer_of("reducer.somewhere_new")
