"""console/js/schema.js: what the console knows of the schema, generated from it (`mandates
export-console-schema`, `make schema`), so the console needs no introspection at run time (off in
production, MANDATES_INTROSPECTION). tests/config/test_console_schema.py fails when the committed
file differs from the schema, so the two cannot drift.

It holds the names of the queries and mutations (the console offers an operation only when the
server has it) and the values of the enums the console lists (each shown in words from the catalogue:
the closure reasons, the conditions of the Identification request).
"""

from __future__ import annotations

import json

from graphql import GraphQLEnumType, GraphQLSchema

ENUMS = ("ClosureReason", "ForeignDocumentKind", "ProviderDeclaration")  # enums the console lists


def _enum(schema: GraphQLSchema, name: str) -> GraphQLEnumType:
    found = schema.get_type(name)
    if not isinstance(found, GraphQLEnumType):
        raise TypeError(f"{name} is not an enum of the schema")
    return found


def console_schema(schema: GraphQLSchema) -> str:
    mutations = schema.mutation_type.fields if schema.mutation_type else {}
    known = {
        "queries": sorted(schema.query_type.fields) if schema.query_type else [],
        "mutations": sorted(mutations),
        "enumValues": {name: list(_enum(schema, name).values) for name in sorted(ENUMS)},
    }
    return (
        "// GENERATED from the GraphQL schema by `mandates export-console-schema` (config/console_schema.py):\n"
        "// do not edit. What the console knows of the server's operations and types, without introspection.\n"
        f"export default {json.dumps(known, indent=2, ensure_ascii=False)};\n"
    )
