"""Operations issue, item 6: a documented schema.

Integrators read the schema in GraphiQL and in `schema.graphql`; every type, field, argument, input
field and enum value says what it means. The walk is over the built graphql-core schema, so it sees
what clients see (the Relay connection types and the merged root types included). GraphQL's own
scalars and the introspection types describe themselves.
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    is_introspection_type,
    is_specified_scalar_type,
)

from schema.app import schema


def undescribed(served: GraphQLSchema) -> list[str]:
    """Every element of `served` without a description, by its coordinate (`Type.field(argument:)`)."""
    missing = []
    for name, kind in sorted(served.type_map.items()):
        if is_introspection_type(kind) or is_specified_scalar_type(kind):
            continue
        if not (kind.description or "").strip():
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in kind.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg}:)"
                    for arg, argument in field.args.items()
                    if not (argument.description or "").strip()
                ]
        elif isinstance(kind, GraphQLInputObjectType):
            missing += [
                f"{name}.{field_name}"
                for field_name, field in kind.fields.items()
                if not (field.description or "").strip()
            ]
        elif isinstance(kind, GraphQLEnumType):
            missing += [
                f"{name}.{value_name}"
                for value_name, value in kind.values.items()
                if not (value.description or "").strip()
            ]
    return missing


def test_operations_6_every_type_field_argument_input_field_and_enum_value_is_described():
    missing = undescribed(schema._schema)
    assert missing == [], f"{len(missing)} schema elements lack a description:\n" + "\n".join(missing)


def test_operations_6_the_walk_finds_each_kind_of_undescribed_element():
    """The check above can fail: it names an undescribed type, field, argument, input field and enum value."""
    sdl = """
        "described" type Query { "described" ok(a: Int): Kind, plain: Int }
        enum Kind { "described" ONE TWO }
        "described" input Filter { "described" x: Int y: Int }
        type Extra { "described" z(f: Filter): Int }
        "described" scalar Quarter
        scalar Bare
    """
    served = build_schema(sdl)
    assert undescribed(served) == [
        "Bare",
        "Extra",
        "Extra.z(f:)",
        "Filter.y",
        "Kind",
        "Kind.TWO",
        "Query.ok(a:)",
        "Query.plain",
    ]
