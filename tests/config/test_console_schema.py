"""console/js/schema.js is what the schema says (config/console_schema.py), and the console asks the
server no introspection (off in production): it cannot drift from the schema it is versioned with."""

from __future__ import annotations

import json
import re

from config.console_schema import console_schema
from config.settings import ROOT
from schema.app import schema

CONSOLE = ROOT / "console"


def test_the_committed_console_schema_is_generated_from_the_schema():
    committed = (CONSOLE / "js" / "schema.js").read_text(encoding="utf-8")
    assert committed == console_schema(schema._schema), (
        "console/js/schema.js is out of date: run `make schema` (mandates export-console-schema) and commit it."
    )


def test_the_console_schema_names_what_the_console_uses():
    text = console_schema(schema._schema)
    known = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert {"closeMandate", "createDelegation", "requestProviderIdentification"} <= set(known["mutations"])
    assert known["enumValues"]["ClosureReason"] == list(schema._schema.get_type("ClosureReason").values)
    declarations = schema._schema.get_type("ProviderDeclaration").values
    assert known["enumValues"]["ProviderDeclaration"] == list(declarations)


def test_the_console_runs_no_introspection():
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (CONSOLE / "js").rglob("*.js"))
    assert not re.search(r"__schema|__type\b", sources)
