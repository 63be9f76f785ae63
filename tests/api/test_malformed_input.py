"""Malformed requests get typed errors, never a 500 nor a leaked internal message (API.md conventions, R-CAL-1,
R-ENT-7).

Scalars that fail to parse are top-level errors (the request is malformed); identifiers a mutation
cannot use are `userErrors`; anything unexpected reaches the client as "Unexpected error.".
"""

from __future__ import annotations

import base64

import pytest

from resolvers.ids import encode_id
from tests.api.helpers import LOGISTIQUE, PROVIDER, SIGN, codes, create, created
from tests.conftest import SETTINGS, token

CREATE_WITH = (
    'mutation($q: Quarter!) { createMandate(input: {mandataryNumber: "%s", groups: ["PMP"], startQuarter: $q}) { '
    "mandate { reference } userErrors { code } } }"
) % PROVIDER
ON_POSTGRES = SETTINGS.database_url.startswith("postgres")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def top_level_codes(result: dict) -> list[str]:
    return [error["extensions"]["code"] for error in result.get("errors", [])]


BAD_QUARTERS = ["5/2022", "1-2022", "0/2022", "", "1/22", "Q1 2022", "1/2022/3", "１/2022", "1/２０２２"]


@pytest.mark.parametrize("quarter", BAD_QUARTERS)
async def test_r_cal_1_a_malformed_quarter_variable_is_refused_with_the_format(api, quarter):
    result = await api(CREATE_WITH, {"q": quarter}, as_="employer-director")
    assert result["data"] is None
    assert top_level_codes(result) == ["INVALID_QUARTER"]
    assert "N/YYYY" in result["errors"][0]["message"]


@pytest.mark.parametrize("quarter", BAD_QUARTERS)
async def test_r_cal_1_a_malformed_quarter_literal_is_refused_with_the_format(api, quarter):
    document = (
        'mutation { createMandate(input: {mandataryNumber: "%s", groups: ["PMP"], startQuarter: "%s"}) { userErrors { '
        "code } } }"
    )
    result = await api(document % (PROVIDER, quarter), as_="employer-director")
    assert result["data"] is None
    assert top_level_codes(result) == ["INVALID_QUARTER"]
    assert "N/YYYY" in result["errors"][0]["message"]


async def test_r_cal_1_quarters_of_other_types_and_in_filters_are_refused(api):
    as_number = await api(CREATE_WITH, {"q": 20221}, as_="employer-director")
    assert top_level_codes(as_number) == ["INVALID_QUARTER"]
    inline_number = await api(
        (
            'mutation { createMandate(input: {mandataryNumber: "%s", groups: ["PMP"], startQuarter: 5}) { userErrors { '
            "code } } }"
        )
        % PROVIDER,
        as_="employer-director",
    )
    assert top_level_codes(inline_number) == ["INVALID_QUARTER"]
    period = await api('{ mandates(filter: {period: "9/2022"}) { totalCount } }', as_="employer-director")
    assert top_level_codes(period) == ["INVALID_QUARTER"]
    # The well-formed value of the same request is accepted: the quarter is what was refused.
    fine = await api(CREATE_WITH, {"q": "3/2024"}, as_="employer-director")
    assert fine["data"]["createMandate"]["userErrors"] == []


BAD_MANDATE_IDS = {
    "garbage": "garbage",
    "empty": "",
    "a former transparent ID": b64("Mandate:1"),
    "no key": b64("Mandate:"),
    "negative key": b64("Mandate:-1"),
    "huge key": b64("Mandate:" + "9" * 40),
    "superscript digit": b64("Mandate:²"),
    "not base64": "Mandate:1",
    "not UTF-8": base64.b64encode(b"\xff\xfe:1").decode(),
}


@pytest.mark.parametrize("case", sorted(BAD_MANDATE_IDS))
async def test_a_malformed_mandate_id_is_a_user_error_invalid_id(api, case):
    result = await api(SIGN, {"id": BAD_MANDATE_IDS[case]}, as_="employer-director")
    assert "errors" not in result, result
    payload = result["data"]["signMandate"]
    assert payload["mandate"] is None
    assert codes(payload) == ["INVALID_ID"]
    assert payload["userErrors"][0]["field"] == ["mandateId"]


async def test_a_well_formed_id_of_no_mandate_is_not_found_on_every_database(api):
    """A key of no row is NOT_FOUND; a key beyond the integer keys (PostgreSQL `integer`) is no ID at all."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    for key, code in (
        (99999, "NOT_FOUND"),
        (2147483647, "NOT_FOUND"),
        (2147483648, "INVALID_ID"),
        (2**32 - 1, "INVALID_ID"),
    ):
        result = await api(SIGN, {"id": encode_id("Mandate", key)}, as_="employer-director")
        assert "errors" not in result, result
        assert codes(result["data"]["signMandate"]) == [code], key
    # An enterprise's ID is no mandate's.
    enterprise = await api(SIGN, {"id": encode_id("Enterprise", 1)}, as_="employer-director")
    assert codes(enterprise["data"]["signMandate"]) == ["INVALID_ID"]
    # Another enterprise's mandate is NOT_FOUND as well (its existence is not disclosed).
    foreign = await api(SIGN, {"id": mandate["id"]}, as_="employer-manager")
    assert codes(foreign["data"]["signMandate"]) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    "global_id", ["garbage", "", b64("Nope:1"), b64("Mandate:"), b64("Mandate:-1"), b64("Mandate:12345")]
)
async def test_node_with_a_malformed_or_unknown_id_is_null(api, global_id):
    result = await api("query($id: ID!) { node(id: $id) { id } }", {"id": global_id}, as_="employer-director")
    assert result == {"data": {"node": None}}


async def test_node_with_a_unicode_digit_key_is_null(api):
    result = await api("query($id: ID!) { node(id: $id) { id } }", {"id": b64("Mandate:²")}, as_="employer-director")
    assert result == {"data": {"node": None}}


async def test_node_with_a_key_beyond_the_integer_range_is_null(api):
    result = await api(
        "query($id: ID!) { node(id: $id) { id } }", {"id": b64("Mandate:99999999999")}, as_="employer-director"
    )
    assert result == {"data": {"node": None}}


async def test_r_ent_7_enterprise_lookup_by_malformed_or_unknown_numbers(api):
    unknown = await api('{ enterprise(number: "garbage") { name } }', as_="employer-director")
    assert unknown == {"data": {"enterprise": None}}  # not a CBE number: an unknown NSSO/SSA number
    too_long = await api('{ enterprise(number: "%s") { name } }' % ("9" * 5000), as_="employer-director")
    assert too_long == {"data": {"enterprise": None}}
    bad_check = await api('{ enterprise(number: "0403.170.702") { name } }', as_="employer-director")
    assert bad_check["data"] == {"enterprise": None}
    assert top_level_codes(bad_check) == ["INVALID_ENTERPRISE_NUMBER"]
    assert bad_check["errors"][0]["extensions"]["field"] == ["number"]
    found = await api(
        '{ enterprise(number: "%s") { enterpriseNumber } }' % LOGISTIQUE.replace(".", ""), as_="employer-director"
    )
    assert found == {"data": {"enterprise": {"enterpriseNumber": LOGISTIQUE}}}


async def test_r_ent_7_search_filters_with_malformed_numbers(api):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    # "123" is not CBE-shaped, so it may be an (opaque) SSA number: unknown, it matches nothing.
    short = await api('{ mandates(filter: {mandataryNumber: "123"}) { totalCount } }', as_="employer-director")
    assert short == {"data": {"mandates": {"totalCount": 0}}}
    long = await api(
        '{ mandates(filter: {principalNumber: "%s"}) { totalCount } }' % ("X" * 300), as_="employer-director"
    )
    assert long == {"data": {"mandates": {"totalCount": 0}}}
    bad = await api('{ mandates(filter: {mandataryNumber: "0403.170.702"}) { totalCount } }', as_="employer-director")
    assert bad["data"] is None
    assert top_level_codes(bad) == ["INVALID_ENTERPRISE_NUMBER"]
    assert bad["errors"][0]["extensions"]["field"] == ["filter", "mandataryNumber"]
    good = await api('{ mandates(filter: {mandataryNumber: "%s"}) { totalCount } }' % PROVIDER, as_="employer-director")
    assert good == {"data": {"mandates": {"totalCount": 1}}}


async def test_r_ent_7_create_with_over_long_numbers_is_a_user_error(api):
    payload = await create(api, "provider-signatory", principalNumber="9" * 300, groups=["PMP"], startQuarter="3/2024")
    assert codes(payload) == ["ENTERPRISE_NOT_FOUND"]
    payload = await create(api, "employer-director", mandataryNumber="X" * 300, groups=["PMP"], startQuarter="3/2024")
    assert codes(payload) == ["ENTERPRISE_NOT_FOUND"]


async def test_paging_arguments_out_of_range_are_typed(api):
    for arguments, field in (("first: -5", "first"), ("first: 100000", "first"), ('after: "garbage"', "after")):
        result = await api("{ mandates(%s) { totalCount } }" % arguments, as_="employer-director")
        assert result["data"] is None, arguments
        assert top_level_codes(result) == ["INVALID_INPUT"], (arguments, result)
        assert result["errors"][0]["extensions"]["field"] == [field]


async def test_over_long_strings_in_other_lookups_are_not_internal_errors(api):
    reference = await api('{ mandate(reference: "%s") { id } }' % ("M" * 300), as_="employer-director")
    assert reference == {"data": {"mandate": None}}
    matrix = (await api.raw('{ representativesMatrix(legalForm: "%s") { functions { code } } }' % ("1" * 300))).json()
    assert matrix == {"data": {"representativesMatrix": None}}
    branch = await create(
        api,
        "employer-director",
        mandataryNumber="0938.372.852",
        branchCode="B" * 300,
        groups=["PMP"],
        startQuarter="3/2024",
    )
    assert codes(branch) == ["INVALID_BRANCH"]


async def test_a_syntax_error_is_bad_user_input(api):
    for document in ("{ viewer { niss ", "mutation {", "{ viewer { niss } } }", "query($x: ) { viewer { niss } }"):
        response = await api.raw(document, headers={"Authorization": f"Bearer {token('employer-director')}"})
        assert response.status_code == 200, document
        body = response.json()
        assert body["data"] is None
        assert top_level_codes(body) == ["BAD_USER_INPUT"], body
        assert body["errors"][0]["message"].startswith("Syntax Error"), body


async def test_unknown_fields_are_bad_user_input(api):
    result = await api("{ viewer { password } }", as_="employer-director")
    assert top_level_codes(result) == ["BAD_USER_INPUT"]


def _nested(depth: int) -> str:
    """`mandates > edges > node` then `delegations > mandate` pairs: a query `depth` levels deep."""
    inner = "id"
    for _ in range((depth - 3) // 2):
        inner = f"delegations {{ mandate {{ {inner} }} }}"
    return f"{{ mandates {{ edges {{ node {{ {inner} }} }} }} }}"


async def test_a_query_deeper_than_the_limit_is_refused(api):
    allowed = await api(_nested(9), as_="employer-director")
    assert "errors" not in allowed, allowed
    response = await api.raw(
        _nested(SETTINGS.max_query_depth + 5), headers={"Authorization": f"Bearer {token('employer-director')}"}
    )
    assert response.status_code == 400
    too_deep = response.json()
    assert too_deep["data"] is None
    assert top_level_codes(too_deep) == ["QUERY_TOO_COMPLEX"]
    assert f"maximum operation depth of {SETTINGS.max_query_depth}" in too_deep["errors"][0]["message"]


async def test_a_query_with_too_many_tokens_is_refused(api):
    document = "{ " + " ".join("legalForms { code }" for _ in range(SETTINGS.max_query_tokens // 4 + 10)) + " }"
    response = await api.raw(document, headers={"Authorization": f"Bearer {token('employer-director')}"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert top_level_codes(body) == ["BAD_USER_INPUT"]
    assert f"more than {SETTINGS.max_query_tokens} tokens" in body["errors"][0]["message"]


async def test_a_query_with_too_many_aliases_is_refused(api):
    signed_in = {"Authorization": f"Bearer {token('employer-director')}"}
    few = (
        await api.raw(
            "{ " + " ".join(f"a{i}: legalForms {{ code }}" for i in range(SETTINGS.max_aliases)) + " }",
            headers=signed_in,
        )
    ).json()
    assert "errors" not in few and len(few["data"]) == SETTINGS.max_aliases
    response = await api.raw(
        "{ " + " ".join(f"a{i}: legalForms {{ code }}" for i in range(SETTINGS.max_aliases + 20)) + " }",
        headers=signed_in,
    )
    assert response.status_code == 400
    many = response.json()
    assert many["data"] is None
    assert top_level_codes(many) == ["QUERY_TOO_COMPLEX"]
    assert "aliases" in many["errors"][0]["message"]


async def test_an_unexpected_error_is_masked_and_never_shows_internal_text(api, monkeypatch):
    import resolvers.create
    import resolvers.dashboard

    async def boom(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM enterprise WHERE password = 'hunter2'")

    monkeypatch.setattr(resolvers.dashboard, "dashboard", boom)
    monkeypatch.setattr(resolvers.create, "create_mandate", boom)
    for document in (
        "{ dashboard { pending { count } } }",
        (
            'mutation { createMandate(input: {mandataryNumber: "%s", groups: ["PMP"], startQuarter: "3/2024"}) { '
            "userErrors { code } } }"
        )
        % PROVIDER,
    ):
        response = await api.raw(document, headers={"Authorization": f"Bearer {token('employer-director')}"})
        assert response.status_code == 200
        assert "SELECT" not in response.text and "hunter2" not in response.text
        body = response.json()
        assert body["data"] is None
        assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
            ("Unexpected error.", "INTERNAL_SERVER_ERROR")
        ]


async def test_an_unexpected_error_while_parsing_is_masked(api, monkeypatch):
    """An exception escaping the operation itself (here: the parser) is masked too (schema/errors.py)."""
    from strawberry.extensions import parser_cache

    def broken_parse(*args, **kwargs):
        raise RuntimeError("connection to 10.0.0.5 refused: SELECT 1")

    monkeypatch.setattr(parser_cache, "_get_parse_cache", lambda maxsize: broken_parse)
    response = await api.raw("{ legalForms { code } }")
    assert response.status_code == 200
    assert "10.0.0.5" not in response.text and "SELECT" not in response.text
    body = response.json()
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        ("Unexpected error.", "INTERNAL_SERVER_ERROR")
    ]


async def test_node_resolves_a_visible_authorisation_and_hides_it_from_others(api):
    """R-SRCH-1: `node(id:)` shows an authorisation only to the parties of its mandate."""
    from tests.api.authorisation_steps import request

    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    authorisation = (await request(api, "employer-director", mandate["id"]))["authorisation"]
    query = "query($id: ID!) { node(id: $id) { id ... on Authorisation { method } } }"
    seen = await api(query, {"id": authorisation["id"]}, as_="provider-signatory")
    assert seen == {"data": {"node": {"id": authorisation["id"], "method": "EID"}}}
    hidden = await api(query, {"id": authorisation["id"]}, as_="employer-manager")
    assert hidden == {"data": {"node": None}}


UPLOAD_AS_TEXT = [
    (
        "mutation($input: UploadAuthorisationInput!) { uploadAuthorisation(input: $input) { userErrors { code } } }",
        "employer-director",
        {"mandateId": "TWFuZGF0ZTox"},
    ),
    (
        "mutation($input: ImportBranchChangesInput!) { importBranchChanges(input: $input) { userErrors { code } } }",
        "nsso-officer",
        {},
    ),
]


@pytest.mark.parametrize(("mutation", "persona", "fields"), UPLOAD_AS_TEXT)
async def test_code_health_a_file_sent_as_a_text_value_is_invalid_input(api, mutation, persona, fields):
    """An Upload is a part of a GraphQL multipart request; a text in the JSON variables names no file
    (it reached the use case as a str, an unexpected error, before Upload was typed as Starlette's UploadFile)."""
    result = await api(mutation, {"input": {**fields, "file": "JVBERi0xLjcK"}}, as_=persona)
    assert result["data"] is None
    assert top_level_codes(result) == ["INVALID_INPUT"]
    assert "multipart" in result["errors"][0]["message"]
