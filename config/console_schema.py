"""console/js/schema.js: what the console knows of the schema, generated from it (`mandates
export-console-schema`, `make schema`), so the console needs no introspection at run time (off in
production, MANDATES_INTROSPECTION). tests/config/test_console_schema.py fails when the committed
file differs from the schema, so the two cannot drift.

It holds the names of the queries and mutations (the console offers an operation only when the
server has it), and for the mutations whose forms follow their input type, that type's fields (in
the shape of an introspection answer) and the values of the enums those fields and the console use.
"""

from __future__ import annotations

import json

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLSchema, get_named_type

FORM_MUTATIONS = ("requestProviderIdentification",)  # forms built from the input type
ENUMS = ("ClosureReason", "ForeignDocumentKind")  # enums the console lists besides those of the forms' fields


def _type_ref(type_) -> dict:
    if isinstance(type_, GraphQLNonNull):
        return {"kind": "NON_NULL", "name": None, "ofType": _type_ref(type_.of_type)}
    if isinstance(type_, GraphQLList):
        return {"kind": "LIST", "name": None, "ofType": _type_ref(type_.of_type)}
    kind = (
        "ENUM"
        if isinstance(type_, GraphQLEnumType)
        else "INPUT_OBJECT"
        if isinstance(type_, GraphQLInputObjectType)
        else "SCALAR"
    )
    return {"kind": kind, "name": type_.name, "ofType": None}


def _enum(schema: GraphQLSchema, name: str) -> GraphQLEnumType:
    found = schema.get_type(name)
    if not isinstance(found, GraphQLEnumType):
        raise TypeError(f"{name} is not an enum of the schema")
    return found


def console_schema(schema: GraphQLSchema) -> str:
    mutations = schema.mutation_type.fields if schema.mutation_type else {}
    mutation_inputs, input_fields, enums = {}, {}, set(ENUMS)
    for name in FORM_MUTATIONS:
        input_type = get_named_type(mutations[name].args["input"].type)
        mutation_inputs[name] = input_type.name
        input_fields[input_type.name] = [
            {"name": field_name, "description": field.description, "type": _type_ref(field.type)}
            for field_name, field in input_type.fields.items()
        ]
        enums |= {
            get_named_type(field.type).name
            for field in input_type.fields.values()
            if isinstance(get_named_type(field.type), GraphQLEnumType)
        }
    known = {
        "queries": sorted(schema.query_type.fields) if schema.query_type else [],
        "mutations": sorted(mutations),
        "mutationInputs": mutation_inputs,
        "inputFields": input_fields,
        "enumValues": {name: list(_enum(schema, name).values) for name in sorted(enums)},
    }
    return (
        "// GENERATED from the GraphQL schema by `mandates export-console-schema` (config/console_schema.py):\n"
        "// do not edit. What the console knows of the server's operations and types, without introspection.\n"
        f"export default {json.dumps(known, indent=2, ensure_ascii=False)};\n"
    )
