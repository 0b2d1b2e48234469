"""The package's layout (README, Layout; ../ARCHITECTURE.md): no two modules import each
other, even through others, and no room imports a room above it in the pipeline.

Every import counts, the lazy ones inside functions too, and `importlib.import_module`
of a literal name: a circle that only closes at run time is still a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dedup", "tui")

# The rooms from the bottom of the pipeline up; a module may import its own room and rooms
# below it. Rooms on one level (copy, story, facts) may use each other, never in a circle.
LEVELS = [
    ["dedup.model", "dedup.arrays"],
    ["dedup.text", "dedup.io"],
    ["dedup.minhash", "dedup.index", "dedup.parallel", "dedup.cluster", "dedup.caching", "dedup.semantic"],
    ["dedup.copy", "dedup.story", "dedup.facts"],
    ["dedup.pipeline"],
    ["dedup.engines"],
    ["dedup.gate"],
    ["dedup"],  # the package itself: `dedup.scan`, `dedup.compare`, `__version__`
    ["dedup.cli", "tui"],
    ["dedup.__main__"],
]


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports, anywhere in its code."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            # `from dedup.copy import finder` imports the module dedup.copy.finder. The package's
            # version is a constant of its __init__, whose imports are all lazy: reading it imports
            # nothing above the reader.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names if (base, alias.name) != ("dedup", "__version__")]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            targets = [node.args[0].value]
        found.update(target for target in targets if target in known)
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in order:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], order[target])
        if low[node] == order[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def level_of(name: str) -> int:
    """The level of the most specific room that holds `name`."""
    best, best_length = None, -1
    for level, rooms in enumerate(LEVELS):
        for room in rooms:
            if (name == room or name.startswith(room + ".")) and len(room) > best_length:
                best, best_length = level, len(room)
    assert best is not None, f"{name} is in no room of LEVELS: add it to the layout"
    return best


def test_the_graph_sees_lazy_and_dynamic_imports(tmp_path):
    # The checker itself can fail: a circle made only of function-level and importlib imports is found.
    graph = {"dedup.a": {"dedup.b"}, "dedup.b": {"dedup.c"}, "dedup.c": {"dedup.a"}, "dedup.d": {"dedup.a"}}
    assert circles(graph) == [["dedup.a", "dedup.b", "dedup.c"]]
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from dedup.copy import finder\n    import importlib\n"
                      "    importlib.import_module('dedup.gate.check')\n", encoding="utf-8")
    known = {"dedup.copy": source, "dedup.copy.finder": source, "dedup.gate.check": source}
    assert imports("dedup.x", source, known) == {"dedup.copy.finder", "dedup.gate.check"}


def test_no_module_imports_another_that_imports_it_back():
    assert circles(import_graph()) == []


def test_no_room_imports_a_room_above_it():
    upward = [f"{name} -> {target}" for name, targets in import_graph().items() for target in targets
              if level_of(target) > level_of(name)]
    assert upward == []


def test_the_rooms_of_the_readme_exist():
    known = modules()
    for rooms in LEVELS:
        for room in rooms:
            assert room in known, f"{room} is in the layout but not in the package"
