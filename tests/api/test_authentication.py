"""Authentication and roles through GraphQL (RULES.md §3, API.md Authentication).

Every bad token is refused the same way: HTTP 200, a top-level error UNAUTHENTICATED, no data,
never a 500. What needs no token: introspection (GraphiQL) and the public reference data.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings

import jwt
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from graphql.pyutils import Undefined

from config.demo import DEMO_DIR
from tests.api.helpers import LOGISTIQUE, PROVIDER, created, niss
from tests.conftest import PERSONAS, SETTINGS, TEST_SECRET, load_json

VIEWER = "{ viewer { niss name enterprise { enterpriseNumber name } canManage isOfficer } }"
CREATE_PMP = (
    'mutation { createMandate(input: {mandataryNumber: "%s", groups: ["PMP"], startQuarter: "3/2024"}) { mandate { '
    "reference } userErrors { code } } }"
) % PROVIDER


def _claims(**overrides) -> dict:
    """The claims of a valid manage token for employer-director; an override of None drops the claim."""
    now = dt.datetime.now(dt.UTC)
    director = PERSONAS["employer-director"]
    claims = {
        "sub": director["niss"],
        "name": director["name"],
        "ent": director["enterprise"].replace(".", ""),
        "scope": "mandates:manage",
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=10)).timestamp()),
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _signed(claims: dict | None = None, *, secret: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)  # HS512 with the suite's 42-byte secret
        return jwt.encode(claims if claims is not None else _claims(), secret, algorithm=algorithm)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned() -> str:
    """alg "none", made by hand: header, claims and an empty signature."""
    header = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64url(json.dumps(_claims()).encode())}."


def _ago(**delta) -> int:
    return int((dt.datetime.now(dt.UTC) - dt.timedelta(**delta)).timestamp())


def _ahead(**delta) -> int:
    return int((dt.datetime.now(dt.UTC) + dt.timedelta(**delta)).timestamp())


BAD_HEADERS = {
    "basic scheme": lambda: "Basic x",
    "bearer alone": lambda: "Bearer",
    "bearer and blanks": lambda: "Bearer    ",
    "garbage token": lambda: "Bearer not.a.token",
    "random text": lambda: "Bearer " + "x" * 500,
    "another secret": lambda: "Bearer " + _signed(secret="someone-elses-secret-that-is-long-enough-000"),
    "expired": lambda: "Bearer " + _signed(_claims(iat=_ago(hours=2), exp=_ago(hours=1))),
    "not yet valid": lambda: "Bearer " + _signed(_claims(nbf=_ahead(hours=1))),
    "wrong audience": lambda: "Bearer " + _signed(_claims(aud="another-api")),
    "wrong issuer": lambda: "Bearer " + _signed(_claims(iss="someone-else")),
    "missing exp": lambda: "Bearer " + _signed(_claims(exp=None)),
    "missing iat": lambda: "Bearer " + _signed(_claims(iat=None)),
    "missing sub": lambda: "Bearer " + _signed(_claims(sub=None)),
    "exp not a number": lambda: "Bearer " + _signed(_claims(exp="tomorrow")),
    "alg none": lambda: "Bearer " + _unsigned(),
    "alg HS512 with the right secret": lambda: "Bearer " + _signed(algorithm="HS512"),
    "sub not a NISS": lambda: "Bearer " + _signed(_claims(sub="68031425992")),  # check digits off by one
    "sub a number": lambda: "Bearer " + _signed(_claims(sub=68031425991)),
    "ent not a CBE number": lambda: "Bearer " + _signed(_claims(ent="0893219452")),
    "ent garbage": lambda: "Bearer " + _signed(_claims(ent="garbage")),
    "no scope of the registry": lambda: "Bearer " + _signed(_claims(scope="openid admin:all")),
    "empty scope": lambda: "Bearer " + _signed(_claims(scope="")),
    "lifetime over 12 hours": lambda: "Bearer " + _signed(_claims(exp=_ahead(hours=12, seconds=5))),
    "lifetime over 12 hours, issued in the past": lambda: (
        "Bearer " + _signed(_claims(iat=_ago(days=2), exp=_ahead(minutes=5)))
    ),
    "larger than 8 KB": lambda: "Bearer " + _signed(_claims(name="x" * 8000)),
}


async def _unauthenticated(api, query: str, authorization: str | None) -> str:
    response = await api.raw(query, headers={"Authorization": authorization} if authorization is not None else {})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None, body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"], body
    # The person reads that they must sign in (again); the token's problem is for integrators.
    (error,) = body["errors"]
    return error["extensions"].get("reason") or error["message"]


async def test_r_usr_1_without_a_token_viewer_and_create_mandate_are_unauthenticated(api):
    message = await _unauthenticated(api, VIEWER, None)
    assert "Bearer" in message
    await _unauthenticated(api, CREATE_PMP, None)
    await _unauthenticated(api, "{ dashboard { pending { count } } }", None)
    await _unauthenticated(api, "{ mandates { totalCount } }", None)


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
async def test_r_usr_1_every_invalid_token_is_unauthenticated_never_a_500(api, case):
    authorization = BAD_HEADERS[case]()
    message = await _unauthenticated(api, VIEWER, authorization)
    assert TEST_SECRET not in message
    await _unauthenticated(api, CREATE_PMP, authorization)


async def test_r_usr_1_the_token_the_bad_cases_derive_from_is_accepted(api):
    """The cases above each change one thing in this token: it is the change that is refused."""
    response = await api.raw(VIEWER, headers={"Authorization": "Bearer " + _signed()})
    body = response.json()
    assert "errors" not in body, body
    assert body["data"]["viewer"]["niss"] == niss("employer-director")
    assert body["data"]["viewer"]["enterprise"]["enterpriseNumber"] == LOGISTIQUE
    lowercase = await api.raw(VIEWER, headers={"Authorization": "bearer " + _signed()})
    assert lowercase.json()["data"]["viewer"]["canManage"] is True


async def test_r_usr_1_the_viewer_of_a_persona_and_of_the_officer(api):
    director = await api(VIEWER, as_="employer-director")
    assert director == {
        "data": {
            "viewer": {
                "niss": "68031425991",
                "name": "Marc Delvaux",
                "enterprise": {
                    "enterpriseNumber": LOGISTIQUE,
                    "name": director["data"]["viewer"]["enterprise"]["name"],
                },
                "canManage": True,
                "isOfficer": False,
            }
        }
    }
    assert "Logistique" in director["data"]["viewer"]["enterprise"]["name"]
    officer = await api(VIEWER, as_="nsso-officer")
    assert officer["data"]["viewer"] == {
        "niss": PERSONAS["nsso-officer"]["niss"],
        "name": PERSONAS["nsso-officer"]["name"],
        "enterprise": None,
        "canManage": False,
        "isOfficer": True,
    }
    consult = await api(VIEWER, as_="employer-consult")
    assert (consult["data"]["viewer"]["canManage"], consult["data"]["viewer"]["isOfficer"]) == (False, False)
    assert consult["data"]["viewer"]["enterprise"]["enterpriseNumber"] == LOGISTIQUE


def _literal(type_) -> str | None:
    """A GraphQL literal for a required input of this type, or None when none can be written inline."""
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type)
    if isinstance(type_, GraphQLList):
        return "[]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        parts = []
        for name, field in type_.fields.items():
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined:
                value = _literal(field.type)
                if value is None:
                    return None
                parts.append(f"{name}: {value}")
        return "{" + ", ".join(parts) + "}"
    assert isinstance(type_, GraphQLScalarType), type_
    return {
        "ID": '"TWFuZGF0ZTox"',
        "String": '"x"',
        "Int": "1",
        "Float": "1.0",
        "Boolean": "true",
        "Quarter": '"3/2024"',
        "Date": '"2024-07-01"',
        "DateTime": '"2024-07-01T00:00:00+00:00"',
    }.get(type_.name)


def _every_mutation() -> dict[str, str]:
    """Each mutation of the served schema as a document with its required arguments filled in."""
    from schema.app import schema

    documents = {}
    for name, field in schema._schema.mutation_type.fields.items():
        arguments = []
        for argument_name, argument in field.args.items():
            if isinstance(argument.type, GraphQLNonNull):
                value = _literal(argument.type)
                if value is None:
                    break  # e.g. an Upload: not writable inline, checked by its own tests
                arguments.append(f"{argument_name}: {value}")
        else:
            returned = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            selection = " { __typename }" if isinstance(returned, GraphQLObjectType) else ""
            documents[name] = f"mutation {{ {name}({', '.join(arguments)}){selection} }}"
    return documents


async def test_r_usr_2_the_consult_role_reads_but_calls_no_mutation(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    reads = await api(
        (
            "{ viewer { canManage } dashboard { toBeFinalised { count } } mandates { totalCount edges { node { "
            "reference } } } }"
        ),
        as_="employer-consult",
    )
    assert "errors" not in reads, reads
    assert reads["data"]["viewer"]["canManage"] is False
    assert reads["data"]["dashboard"]["toBeFinalised"]["count"] == 1
    assert reads["data"]["mandates"]["edges"] == [{"node": {"reference": mandate["reference"]}}]

    documents = _every_mutation()
    assert {"createMandate", "signMandate", "markRejectionConsulted"} <= set(documents)
    for name, document in documents.items():
        result = await api(document, as_="employer-consult")
        if name == "markRejectionConsulted":  # consulting a rejection is consulting (R-DASH-5): no top-level refusal
            assert "errors" not in result and result["data"][name]["__typename"] == "MandatePayload", (name, result)
            continue
        assert result.get("data") is None, (name, result)
        assert [error["extensions"]["code"] for error in result["errors"]] == ["FORBIDDEN"], (name, result)
    # Nothing was changed by the refused calls.
    after = await api(
        "{ mandates { totalCount edges { node { status signatures { party } } } } }", as_="employer-director"
    )
    assert after["data"]["mandates"]["totalCount"] == 1
    assert after["data"]["mandates"]["edges"][0]["node"] == {"status": "TO_BE_FINALISED", "signatures": []}


async def test_r_usr_6_an_integration_token_cannot_create_a_mandate(api):
    result = await api(CREATE_PMP, as_="integration-system")
    assert result["data"] is None
    assert [error["extensions"]["code"] for error in result["errors"]] == ["FORBIDDEN"]
    viewer = await api(VIEWER, as_="integration-system")
    assert viewer["data"]["viewer"] == {
        "niss": PERSONAS["integration-system"]["niss"],
        "name": PERSONAS["integration-system"]["name"],
        "enterprise": None,
        "canManage": False,
        "isOfficer": False,
    }
    # A manage scope without an enterprise is no manager either (R-USR-2: a person acts for one enterprise).
    homeless = await api(CREATE_PMP, as_="employer-director", enterprise=None)
    assert [error["extensions"]["code"] for error in homeless["errors"]] == ["FORBIDDEN"]
    count = await api("{ mandates { totalCount } }", as_="nsso-officer")
    assert count["data"]["mandates"]["totalCount"] == 0


async def test_introspection_needs_no_token(api):
    response = await api.raw("{ __schema { queryType { name } mutationType { name } } }")
    assert response.status_code == 200
    assert response.json() == {
        "data": {"__schema": {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"}}}
    }


async def test_r_clu_reference_lists_need_no_token(api):
    catalogue = load_json(SETTINGS.catalogue_path)
    result = (await api.raw("{ applicationGroups { code maxMandataries } legalForms { code name } }")).json()
    assert "errors" not in result, result
    groups = catalogue["groups"] if isinstance(catalogue, dict) else catalogue
    assert [g["code"] for g in result["data"]["applicationGroups"]] == [g["code"] for g in groups]
    reference = load_json(DEMO_DIR / "reference.json")
    assert result["data"]["legalForms"] == sorted(reference["legalForms"], key=lambda form: form["code"])


async def test_r_ent_10_the_representatives_matrix_of_a_legal_form(api):
    reference = load_json(DEMO_DIR / "reference.json")
    names = {function["code"]: function["name"] for function in reference["functionCodes"]}
    (expected,) = [entry["functions"] for entry in reference["matrix"] if entry["legalForm"] == "014"]
    result = (
        await api.raw('{ representativesMatrix(legalForm: "014") { legalForm { code name } functions { code name } } }')
    ).json()
    assert "errors" not in result, result
    matrix = result["data"]["representativesMatrix"]
    assert matrix["legalForm"] == {"code": "014", "name": "Public limited company (SA/NV)"}
    assert sorted(f["code"] for f in matrix["functions"]) == sorted(expected)
    assert len(matrix["functions"]) == 4
    assert all(f["name"] == names[f["code"]] for f in matrix["functions"])
    other = (await api.raw('{ representativesMatrix(legalForm: "610") { functions { code } } }')).json()
    assert sorted(f["code"] for f in other["data"]["representativesMatrix"]["functions"]) == ["10001", "10008"]
    unknown = (await api.raw('{ representativesMatrix(legalForm: "999") { functions { code } } }')).json()
    assert unknown == {"data": {"representativesMatrix": None}}


async def test_hardening_a_token_valid_for_longer_than_the_maximum_is_refused_in_plain_words(api):
    """exp - iat above MANDATES_TOKEN_MAX_MINUTES (12 h by default) is refused, whatever is left of it."""
    now = _ahead(seconds=0)
    message = await _unauthenticated(api, VIEWER, "Bearer " + _signed(_claims(iat=now, exp=now + 12 * 3600 + 1)))
    assert message == "Invalid token: it is valid for longer than 720 minutes; ask for a shorter-lived token."
    accepted = await api.raw(
        VIEWER, headers={"Authorization": "Bearer " + _signed(_claims(iat=now, exp=now + 12 * 3600))}
    )
    assert accepted.json()["data"]["viewer"]["niss"] == niss("employer-director")


async def test_hardening_the_token_lifetime_maximum_is_a_setting(app, clock, settings):
    from dataclasses import replace

    import httpx

    from config.asgi import create_app
    from tests.conftest import Api

    strict = create_app(replace(settings, token_max_minutes=30), clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=strict), base_url="http://testserver") as client:
        strict_api = Api(client)
        now = _ahead(seconds=0)
        message = await _unauthenticated(strict_api, VIEWER, "Bearer " + _signed(_claims(iat=now, exp=now + 31 * 60)))
        assert "longer than 30 minutes" in message
        accepted = await strict_api.raw(
            VIEWER, headers={"Authorization": "Bearer " + _signed(_claims(iat=now, exp=now + 30 * 60))}
        )
        assert "errors" not in accepted.json()


async def test_hardening_a_token_over_8_kb_is_refused_before_it_is_decoded(api):
    big = _signed(_claims(name="x" * 8000))
    assert len(big) > 8192
    message = await _unauthenticated(api, VIEWER, "Bearer " + big)
    assert message == "Invalid token: it is longer than 8192 bytes."
    # Just under the limit, the same token is fine.
    small = _signed(_claims(name="x" * 5000))
    assert len(small) <= 8192
    assert "errors" not in (await api.raw(VIEWER, headers={"Authorization": "Bearer " + small})).json()
