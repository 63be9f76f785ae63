"""The project's Python modules and their imports, read from the source with `ast` (nothing is imported).

Shared by tests/config/test_imports.py (cycles and layering) and tests/config/test_readme.py (every
module is named in the README's architecture section).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

# The packages of the application (tests/ and console/ are not part of it).
PACKAGES = ("models", "resolvers", "schema", "config", "documents", "migrations")


@dataclass(frozen=True)
class Import:
    """One import statement of a module: what it names, where, and whether it runs when the module loads."""

    source: str  # the importing module, dotted (`resolvers.create`)
    target: str  # the imported module, dotted (`resolvers.identification`, `tortoise.transactions`)
    line: int
    in_function: bool  # inside a function (runs on call) rather than at module level

    def __str__(self) -> str:
        where = "inside a function" if self.in_function else "at module level"
        return f"{self.source} -> {self.target} ({self.source.replace('.', '/')}.py:{self.line}, {where})"


def modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every Python module of the packages, by dotted name (a package's `__init__` by the package's name).
    Vendored files (GraphiQL's node_modules) are not the project's."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "node_modules" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[Import]:
    """Every import of every module of the packages, resolved to the module it loads.

    Counted: module-level imports and imports inside functions (a function-level import placed to
    dodge a cycle is still a dependency, and still a cycle in design terms). Not counted: imports under
    `if TYPE_CHECKING:`, which never run and only name types for the type checker.
    `from a import b` counts as importing `a.b` when that is a module of the project, `a` otherwise.
    """
    known = modules(root, packages)
    found: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        _Collector(name, package, known, found).visit(tree)
    return found


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, package: str, known: dict[str, Path], found: list[Import]) -> None:
        self.module, self.package, self.known, self.found = module, package, known, found
        self.depth = 0  # functions entered

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            anchor = self.package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in self.known else base, node.lineno)

    def _add(self, target: str, line: int) -> None:
        self.found.append(Import(self.module, target, line, self.depth > 0))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def cycles(edges: list[Import]) -> list[list[Import]]:
    """The import cycles: for each group of modules that reach one another (a strongly connected
    component, Tarjan's algorithm), the imports that tie it together, in a stable order."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(
        (
            sorted((e for e in edges if e.source in c and e.target in c), key=lambda e: (e.source, e.line))
            for c in components
        ),
        key=lambda group: group[0].source,
    )
