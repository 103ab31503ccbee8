"""The package layout (docs/architecture.md), checked on the source with ``ast``.

Every ``import`` of every module counts — at the top, under ``TYPE_CHECKING`` and inside
functions. A node of the graph is a package right under ``edmscore`` (``edmscore.control``, …),
a top-level module (``edmscore.clock``, ``edmscore._ids``) or ``edmscore`` itself (its
``__init__``). The checks: no cycles between packages; no package imports one of a higher layer;
nothing outside the test kit imports the test kit, except the demo.
"""

from __future__ import annotations

import ast
import itertools
import pathlib
from collections.abc import Iterator, Mapping, Set

import attrs

import edmscore

ROOT = pathlib.Path(edmscore.__file__).resolve().parent

#: The layers, bottom to top; a package may import from its own layer and the ones below.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "foundation",
        frozenset(
            {
                "errors",
                "_error_catalogue",
                "_guard",
                "_log",
                "_validate",
                "_ids",
                "_deprecated",
                "clock",
                "audit",
                "calendar",
                "directory",
                "signatures",
            }
        ),
    ),
    # pdf draws the marks of registry cards, so it sits beside the registry.
    ("registry", frozenset({"registry", "pdf"})),
    ("access", frozenset({"access"})),
    ("records", frozenset({"records"})),
    (
        "capabilities",
        frozenset({"control", "approval", "appeals", "exchange", "archive", "scanning"}),
    ),
    # Domain events read every capability's objects to name an event's recipients.
    ("events", frozenset({"events"})),
    # Adapters assembling every capability, the entry point, reports, the command line, the
    # demo, the test kit, the deprecated shims of old paths (``services``), and backup (which
    # reads and writes every capability's records through the adapters' bulk port).
    (
        "top",
        frozenset(
            {
                "storage",
                "reports",
                "app",
                "cli",
                "demo",
                "testing",
                "services",
                "backup",
                "edmscore",
            }
        ),
    ),
)
LAYER_OF: dict[str, int] = {
    name: index for index, (_, names) in enumerate(LAYERS) for name in names
}
#: Who may import the test kit besides itself.
MAY_IMPORT_TESTING = frozenset({"demo"})


@attrs.frozen
class Import:
    """One import statement: where it is and which module it names."""

    path: pathlib.Path
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT.parent)}:{self.line} imports {self.module}"


def _module_name(path: pathlib.Path, root: pathlib.Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _nodes(root: pathlib.Path) -> set[str]:
    """The graph's nodes: packages and modules right under the root, and the root itself."""
    found = {root.name}
    for child in root.iterdir():
        if child.is_dir() and (child / "__init__.py").is_file():
            found.add(child.name)
        elif child.suffix == ".py" and child.name != "__init__.py":
            found.add(child.stem)
    return found


def _node(module: str, root_name: str, nodes: Set[str]) -> str | None:
    """The node a module belongs to, or None outside the package."""
    parts = module.split(".")
    if parts[0] != root_name:
        return None
    if len(parts) > 1 and parts[1] in nodes:
        return parts[1]
    return root_name


def _imports(path: pathlib.Path, root: pathlib.Path) -> Iterator[Import]:
    """Every module an import statement of ``path`` names (``from a import b`` names a.b too)."""
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for stmt in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                yield Import(path, stmt.lineno, alias.name)
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.level:
                base = package.split(".")
                base = base[: len(base) - stmt.level + 1]
                target = ".".join([*base, *([stmt.module] if stmt.module else [])])
            else:
                target = stmt.module or ""
            if target == root.name:  # `from edmscore import _deprecated`: maybe a module
                for alias in stmt.names:
                    yield Import(path, stmt.lineno, f"{target}.{alias.name}")
            else:
                yield Import(path, stmt.lineno, target)


def package_graph(root: pathlib.Path) -> dict[str, dict[str, list[Import]]]:
    """node → imported node → the imports that make the edge (edges within a node left out)."""
    nodes = _nodes(root)
    graph: dict[str, dict[str, list[Import]]] = {node: {} for node in nodes}
    for path in sorted(root.rglob("*.py")):
        source = _node(_module_name(path, root), root.name, nodes)
        assert source is not None
        for found in _imports(path, root):
            target = _node(found.module, root.name, nodes)
            if target is None or target == source:
                continue
            graph[source].setdefault(target, []).append(found)
    return graph


def find_cycles(edges: Mapping[str, Set[str]]) -> list[list[str]]:
    """One cycle (a, b, …, a) through each strongly connected component of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    cycles = []
    for component in components:
        start = min(component)
        # The shortest way from start back to start inside the component (breadth first).
        paths = {succ: [start, succ] for succ in sorted(edges[start]) if succ in component}
        queue = list(paths)
        while start not in paths:
            node = queue.pop(0)
            for succ in sorted(edges.get(node, ())):
                if succ in component and succ not in paths:
                    paths[succ] = [*paths[node], succ]
                    queue.append(succ)
        cycles.append(paths[start])
    return cycles


def _edges(graph: Mapping[str, Mapping[str, list[Import]]]) -> dict[str, set[str]]:
    return {node: set(targets) for node, targets in graph.items()}


def _why(graph: Mapping[str, Mapping[str, list[Import]]], a: str, b: str) -> str:
    imports = graph[a][b]
    more = f" (and {len(imports) - 1} more)" if len(imports) > 1 else ""
    return f"    {a} -> {b}: {imports[0]}{more}"


def test_every_package_has_a_layer() -> None:
    missing = sorted(_nodes(ROOT) - set(LAYER_OF))
    assert not missing, (
        f"packages with no layer in tests/test_architecture.py LAYERS: {missing}; "
        "put each in the layer it belongs to (see docs/architecture.md)"
    )


def test_no_import_cycles_between_packages() -> None:
    graph = package_graph(ROOT)
    cycles = find_cycles(_edges(graph))
    report = []
    for cycle in cycles:
        report.append("cycle: " + " -> ".join(cycle))
        report += [_why(graph, a, b) for a, b in itertools.pairwise(cycle)]
    assert not cycles, "packages import each other in a cycle:\n" + "\n".join(report)


def test_no_package_imports_a_higher_layer() -> None:
    graph = package_graph(ROOT)
    wrong = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            if LAYER_OF.get(target, -1) > LAYER_OF.get(source, len(LAYERS)):
                below, above = LAYERS[LAYER_OF[source]][0], LAYERS[LAYER_OF[target]][0]
                wrong.append(f"{source} ({below}) imports {target} ({above}):")
                wrong += [f"    {found}" for found in graph[source][target]]
    assert not wrong, "imports from a higher layer:\n" + "\n".join(wrong)


def test_only_the_test_kit_and_the_demo_import_the_test_kit() -> None:
    graph = package_graph(ROOT)
    wrong = [
        str(found)
        for source, targets in sorted(graph.items())
        if source not in MAY_IMPORT_TESTING
        for found in targets.get("testing", [])
    ]
    assert not wrong, "production code imports the test kit:\n" + "\n".join(wrong)


def test_the_deprecated_services_package_is_only_shims() -> None:
    for path in sorted((ROOT / "services").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        assert defined == {"__getattr__"}, f"{path}: a shim defines only __getattr__: {defined}"


# --- the checker itself ---------------------------------------------------------------------


def test_find_cycles_reports_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}) == [
        ["a", "b", "c", "a"]
    ]
    assert find_cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_counts_type_checking_function_local_and_relative_imports(
    tmp_path: pathlib.Path,
) -> None:
    root = tmp_path / "pkg"
    for package in ("low", "high", "side"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "low" / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from pkg.high import X\n"
        "def f():\n"
        "    import pkg.side.b\n"
        "from ..side import c\n"
        "from pkg import tool\n"
    )
    (root / "tool.py").write_text("")
    graph = package_graph(root)
    assert set(graph["low"]) == {"high", "side", "tool"}
    assert [found.line for found in graph["low"]["high"]] == [3]
