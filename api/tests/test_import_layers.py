"""No import cycle between the app's packages: a package may depend on another, or on a bottom-level module such as
``request_context``, but never on anything that depends back on it (one-way layers, read straight from the source)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import innovate_api

SOURCE = Path(innovate_api.__file__).parent
Graph = dict[str, set[str]]


def _imported(tree: ast.AST) -> Iterator[str]:
    """Every ``innovate_api...`` name a module imports, at its top or inside a function."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.level == 0, "the app imports absolutely"
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _unit(source: Path, path: Path) -> str:
    """What a layer is: a package (``http``), or a module directly under innovate_api (``problems``)."""
    return path.relative_to(source).with_suffix("").parts[0]


def import_graph(source: Path) -> Graph:
    units = {_unit(source, path) for path in source.rglob("*.py")} - {"__init__"}
    graph: Graph = {unit: set() for unit in units}
    for path in source.rglob("*.py"):
        unit = _unit(source, path)
        for name in _imported(ast.parse(path.read_text(), str(path))):
            parts = name.split(".")
            if parts[0] == "innovate_api" and len(parts) > 1 and parts[1] in units and parts[1] != unit:
                graph.setdefault(unit, set()).add(parts[1])
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def packages(source: Path) -> set[str]:
    return {path.parent.name for path in source.glob("*/__init__.py")}


def test_no_package_is_part_of_an_import_cycle() -> None:
    with_packages = [cycle for cycle in cycles(import_graph(SOURCE)) if set(cycle) & packages(SOURCE)]
    assert with_packages == [], f"import cycles through packages: {with_packages}"


def test_the_check_finds_a_cycle_through_a_module(tmp_path: Path) -> None:
    # The shape this test exists for: http -> observability -> http, here through a top-level module.
    for name, text in {
        "http/__init__.py": "",
        "http/envelope.py": "from innovate_api.observability import metrics\n",
        "observability/__init__.py": "",
        "observability/metrics.py": "def f():\n    from innovate_api import problems\n",
        "problems.py": "from innovate_api.http.envelope import X\n",
        "request_context.py": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path)
    assert cycles(graph) == [["http", "observability", "problems"]]
    assert packages(tmp_path) == {"http", "observability"}
