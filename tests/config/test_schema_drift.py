"""The served schema against the committed `schema.graphql` and against API.md's contract.

API.md: "The names and shapes below must exist in the schema that the server serves (and that
`schema.graphql`, exported from the Strawberry code, shows)."
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    parse,
    print_ast,
)

from config.settings import ROOT
from schema.app import schema

API_MD = next(
    (p for p in (ROOT.parent / "shared" / "spec" / "API.md", Path("/work/shared/spec/API.md")) if p.is_file()), None
)

# Operations of API.md that belong to later issues, with their input and payload types:
# added by issues 3 and 4. Each name here only excuses its absence; once it exists it is checked.
PENDING = {
    "Mutation.requestAuthorisation",
    "Mutation.uploadAuthorisation",
    "Mutation.reviewAuthorisation",
    "Mutation.changeBranch",
    "RequestAuthorisationInput",
    "UploadAuthorisationInput",
    "Upload",  # the scalar appears in the schema with the first operation that takes a file
    "ReviewAuthorisationInput",
    "ChangeBranchInput",
    "AuthorisationPayload",
}
# NISS fields API.md types non-null that are null for a viewer who may not see them (hardening item 2,
# README "Security / Personal data"): the same type, nullable; any other change is still reported.
NULL_WHEN_HIDDEN = {"Representative.niss", "Signature.signerNiss"}
# Input fields API.md types non-null that the registry made optional (issue 13's departures from the source
# documents): every request valid under API.md stays valid. branchCode null: back to the head office (R-ENT-3).
OPTIONAL_INPUTS = {"ChangeBranchInput.branchCode"}
KINDS = {
    "scalar_type_definition": GraphQLScalarType,
    "interface_type_definition": GraphQLInterfaceType,
    "object_type_definition": GraphQLObjectType,
    "enum_type_definition": GraphQLEnumType,
    "input_object_type_definition": GraphQLInputObjectType,
}


def test_the_committed_schema_graphql_is_the_exported_schema():
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    exported = schema.as_str() + "\n"
    assert committed == exported, (
        "schema.graphql is out of date with the Strawberry code: run `make schema` and commit it."
    )


def _contract():
    if API_MD is None:
        pytest.skip("API.md (the shared spec) is not next to this checkout")
    blocks = re.findall(r"```graphql\n(.*?)```", API_MD.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "API.md should hold one ```graphql block"
    return parse(blocks[0])


def _differences() -> list[str]:
    served = schema._schema
    problems = []
    for definition in _contract().definitions:
        name = definition.name.value
        served_type = served.get_type(name)
        if served_type is None:
            if name not in PENDING:
                problems.append(f"type {name} is missing")
            continue
        if not isinstance(served_type, KINDS[definition.kind]):
            problems.append(f"{name} is a {type(served_type).__name__}, API.md says {definition.kind}")
            continue
        for interface in getattr(definition, "interfaces", None) or ():
            if interface.name.value not in {i.name for i in served_type.interfaces}:
                problems.append(f"{name} does not implement {interface.name.value}")
        for value in getattr(definition, "values", None) or ():
            if value.name.value not in served_type.values:
                problems.append(f"enum value {name}.{value.name.value} is missing")
        for field in getattr(definition, "fields", None) or ():
            path = f"{name}.{field.name.value}"
            served_field = served_type.fields.get(field.name.value)
            if served_field is None:
                if path not in PENDING:
                    problems.append(f"field {path} is missing")
                continue
            hidden = path in NULL_WHEN_HIDDEN | OPTIONAL_INPUTS and f"{served_field.type}!" == print_ast(field.type)
            if str(served_field.type) != print_ast(field.type) and not hidden:
                problems.append(f"{path} is {served_field.type}, API.md says {print_ast(field.type)}")
            for argument in getattr(field, "arguments", None) or ():
                served_argument = served_field.args.get(argument.name.value)
                if served_argument is None:
                    problems.append(f"argument {path}({argument.name.value}) is missing")
                elif str(served_argument.type) != print_ast(argument.type):
                    problems.append(
                        f"{path}({argument.name.value}) is {served_argument.type}, API.md says "
                        f"{print_ast(argument.type)}"
                    )
    return problems


def test_every_name_of_api_md_exists_in_the_served_schema():
    assert _differences() == []


def test_the_contract_check_sees_the_contract():
    """The check above reads a real contract: it names the core operations and at least 50 definitions."""
    definitions = {d.name.value: d for d in _contract().definitions}
    assert len(definitions) >= 50
    mutations = {f.name.value for f in definitions["Mutation"].fields}
    assert {"createMandate", "signMandate", "markRejectionConsulted"} <= mutations
    assert {"Mutation.createMandate", "Mutation.signMandate", "Mutation.markRejectionConsulted"} <= {
        f"Mutation.{m}" for m in mutations
    } - PENDING


def test_r_life_1_mandate_status_has_exactly_the_eight_statuses():
    status = schema._schema.get_type("MandateStatus")
    assert set(status.values) == {
        "TO_BE_FINALISED",
        "PENDING",
        "TO_BE_VALIDATED",
        "ACTIVE",
        "IDENTIFICATION",
        "REJECTED",
        "CLOSED",
        "CANCELLED",
    }
    assert len(status.values) == 8


def test_r_sign_1_signing_method_has_exactly_three_methods():
    method = schema._schema.get_type("SigningMethod")
    assert set(method.values) == {"AUTHENTICATION", "EID", "HANDWRITTEN"}


async def test_get_schema_graphql_serves_the_exported_sdl(api, capsys):
    """Operations item 6: GET /schema.graphql is the text `mandates export-schema` writes."""
    from config.cli import main

    assert main(["export-schema", "-"]) == 0
    response = await api.client.get("/schema.graphql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == capsys.readouterr().out == (ROOT / "schema.graphql").read_text(encoding="utf-8")
