"""The import graph of the application's packages has no cycle and keeps the layers the README states
(code-health item 3).

The graph is read from the source with `ast` (tests/config/source.py), nothing is imported. Counted:
imports at module level and inside functions, since an import moved into a function to dodge a cycle
is still a dependency both ways; not counted: imports under `if TYPE_CHECKING:`, which never run.

The layers, lowest first (README, Architecture):
- `models/`: the rule modules import the standard library and one another only (no framework, no
  table); `models/tables.py` adds Tortoise. Nothing of `models/` imports an upper layer.
- `documents/`: adapters to file formats (PDF with pyHanko, the export's spreadsheet); no use case,
  schema, settings or web framework.
- `resolvers/`: the use cases; no GraphQL or web framework (strawberry, graphql, starlette, uvicorn),
  not even through another module of the project; nothing of `schema/`; from `config/` only
  `config.clock` (today in Brussels), `config.settings` (the development defaults it labels) and
  `config.messages` (the message catalogue, for the words of notifications), leaves that import nothing
  of the project.
- `schema/`: the Strawberry layer; from `config/` only the leaves it needs to answer: `config.clock`
  (dates in Brussels), `config.version` (`registry { version }`), `config.faults` (which exceptions
  are database faults, for the masking of errors), `config.settings` (the query limits the schema's
  guard applies) and `config.messages` (the messages in the request's language); never the composition
  (`asgi`, `endpoints`, `cli`, ...).
- `migrations/`: Tortoise and `models/` only.
- `config/`: the composition root; it may import every layer.
"""

from __future__ import annotations

import sys
import textwrap

from config.settings import ROOT
from tests.config.source import Import, cycles, imports, modules

FRAMEWORKS = ("strawberry", "graphql", "starlette", "uvicorn")
RESOLVERS_MAY_IMPORT_FROM_CONFIG = {"config.clock", "config.settings", "config.messages"}
SCHEMA_MAY_IMPORT_FROM_CONFIG = {
    "config.clock",
    "config.version",
    "config.faults",
    "config.settings",
    "config.messages",
}


def _top(name: str) -> str:
    return name.split(".")[0]


def _stdlib(name: str) -> bool:
    return _top(name) in sys.stdlib_module_names or name == "__future__"


def _project(name: str) -> bool:
    return _top(name) in {"models", "resolvers", "schema", "config", "documents", "migrations"}


def _layering_breaches(edges: list[Import]) -> list[str]:
    """Each import that breaks one of the rules of this module's docstring, with the rule."""
    breaches: list[str] = []
    for edge in edges:
        layer, target = _top(edge.source), edge.target
        if layer == "models" and edge.source != "models.tables":
            if not (_stdlib(target) or (_top(target) == "models" and target != "models.tables")):
                breaches.append(
                    f"{edge}: a rule module of models/ imports only the standard library and other rule modules"
                )
        elif edge.source == "models.tables":
            if not (_stdlib(target) or _top(target) in {"models", "tortoise"}):
                breaches.append(f"{edge}: models/tables.py imports only Tortoise and models/")
        elif layer == "documents":
            if _top(target) in {"resolvers", "schema", "config", *FRAMEWORKS}:
                breaches.append(f"{edge}: documents/ are adapters to file formats, below the use cases")
        elif layer == "resolvers":
            if _top(target) in {"schema", *FRAMEWORKS}:
                breaches.append(f"{edge}: resolvers/ import no GraphQL, web framework or schema/")
            elif _top(target) == "config" and target not in RESOLVERS_MAY_IMPORT_FROM_CONFIG:
                breaches.append(
                    f"{edge}: resolvers/ import from config/ only {sorted(RESOLVERS_MAY_IMPORT_FROM_CONFIG)}"
                )
        elif layer == "schema" and _top(target) == "config" and target not in SCHEMA_MAY_IMPORT_FROM_CONFIG:
            breaches.append(f"{edge}: schema/ imports from config/ only {sorted(SCHEMA_MAY_IMPORT_FROM_CONFIG)}")
        elif layer == "migrations" and not (_stdlib(target) or _top(target) in {"models", "tortoise"}):
            breaches.append(f"{edge}: migrations/ import only Tortoise and models/")
    return breaches


def _frameworks_reached(edges: list[Import], layer: str) -> list[str]:
    """The modules of `layer` that load a GraphQL or web framework through other modules of the project."""
    graph: dict[str, list[Import]] = {}
    for edge in edges:
        graph.setdefault(edge.source, []).append(edge)
    found = []
    for start in sorted(m for m in graph if _top(m) == layer):
        path: dict[str, Import | None] = {start: None}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for edge in graph.get(node, []):
                if _top(edge.target) in FRAMEWORKS:
                    chain, step = [edge], path[node]
                    while step is not None:
                        chain.insert(0, step)
                        step = path[step.source]
                    found.append(f"{start} loads {edge.target}: " + "; ".join(str(e) for e in chain))
                    queue = []
                    break
                if _project(edge.target) and edge.target not in path:
                    path[edge.target] = edge
                    queue.append(edge.target)
    return found


def test_code_health_3_no_import_cycle():
    found = cycles(imports(ROOT))
    assert found == [], (
        "import cycles (break each at its root: move what both sides need where it belongs):\n"
        + "\n".join("cycle:\n" + "\n".join(f"  {edge}" for edge in group) for group in found)
    )


def test_code_health_3_layers_keep_their_imports():
    edges = imports(ROOT)
    breaches = (
        _layering_breaches(edges) + _frameworks_reached(edges, "resolvers") + _frameworks_reached(edges, "models")
    )
    assert breaches == [], "layering breaches (see this test's docstring):\n" + "\n".join(breaches)


def test_the_graph_counts_function_level_imports_and_not_type_checking_ones(tmp_path):
    """The reader itself: a cycle closed by an import inside a function is found, one closed only under
    TYPE_CHECKING is not, and relative and `from package import module` forms resolve to the module."""
    files = {
        "resolvers/__init__.py": "",
        "resolvers/a.py": "from resolvers import b\n",
        "resolvers/b.py": "def late():\n    from . import a\n",
        "resolvers/c.py": (
            "from typing import TYPE_CHECKING\nfrom resolvers.a import x\nif TYPE_CHECKING:\n    import resolvers.c\n"
        ),
        "resolvers/d.py": (
            "import typing\nif typing.TYPE_CHECKING:\n    from resolvers import c\nelse:\n    from resolvers import a\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    edges = imports(tmp_path, ("resolvers",))
    assert set(modules(tmp_path, ("resolvers",))) == {
        "resolvers",
        "resolvers.a",
        "resolvers.b",
        "resolvers.c",
        "resolvers.d",
    }
    assert [(e.source, e.target, e.in_function) for e in cycles(edges)[0]] == [
        ("resolvers.a", "resolvers.b", False),
        ("resolvers.b", "resolvers.a", True),
    ]
    assert len(cycles(edges)) == 1  # c imports itself only under TYPE_CHECKING; d's else branch counts
    assert ("resolvers.d", "resolvers.a") in {(e.source, e.target) for e in edges}
    assert ("resolvers.d", "resolvers.c") not in {(e.source, e.target) for e in edges}


def test_the_layering_rules_catch_a_breach():
    """A resolver that reaches Strawberry through config/, and a rule module that imports Tortoise, are named."""
    edges = [
        Import("resolvers.upload", "config.metrics", 3, False),
        Import("config.metrics", "strawberry.extensions", 5, False),
        Import("models.rule", "tortoise.models", 4, False),
    ]
    breaches = _layering_breaches(edges) + _frameworks_reached(edges, "resolvers")
    assert len(breaches) == 3, breaches
    assert "resolvers.upload loads strawberry.extensions" in breaches[-1]
