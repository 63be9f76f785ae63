"""Validation via authentication, `signMandate` (RULES.md §3, §6, §8, §11, §13): who signs, in which order,
what it does to the status, and what is refused with which code.

Today is 2024-05-10 (month 2 of 2/2024) unless a test moves the clock.
"""

from __future__ import annotations

import base64
import datetime as dt

from tests.api.helpers import (
    BOULANGERIE,
    CREATE,
    DASHBOARD,
    LOGISTIQUE,
    PROVIDER,
    SIGN,
    active,
    codes,
    created,
    error_codes,
    niss,
    read,
    sign,
)


async def test_r_life_3_the_encoders_signatory_signing_makes_the_mandate_pending(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    payload = await sign(api, "employer-director", mandate["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "PENDING"
    assert payload["mandate"]["signatures"] == [
        {"party": "PRINCIPAL", "method": "AUTHENTICATION", "signerNiss": niss("employer-director")}
    ]
    # Still awaiting the counterparty: the 60-day deadline is still shown (R-EXP-1).
    assert payload["mandate"]["finaliseBefore"] == "2024-07-09"


async def test_r_life_3_a_mandatary_encoder_signs_first_too(api):
    mandate = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["SIGEDIS"], startQuarter="3/2024")
    payload = await sign(api, "ssa-signatory", mandate["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "PENDING"
    assert [s["party"] for s in payload["mandate"]["signatures"]] == ["MANDATARY"]


async def test_r_sign_2_both_parties_by_authentication_activate_the_mandate_without_authorisation(api):
    """R-LIFE-5: the second authentication finalises at once; no authorisation document is involved."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "employer-director", mandate["id"])
    payload = await sign(api, "provider-signatory", mandate["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"
    assert payload["mandate"]["finaliseBefore"] is None  # finalised: no deadline any more
    result = await api(
        '{ mandate(reference: "%s") { status authorisations { id } } }' % mandate["reference"], as_="provider-signatory"
    )
    assert result["data"]["mandate"] == {"status": "ACTIVE", "authorisations": []}


async def test_r_life_5_the_mandate_encoded_by_the_mandatary_is_active_once_the_principal_confirms(api):
    mandate = await created(
        api, "provider-signatory", principalNumber=BOULANGERIE, groups=["WITA_AMATEUR"], startQuarter="3/2024"
    )
    assert (await sign(api, "provider-signatory", mandate["id"]))["mandate"]["status"] == "PENDING"
    payload = await sign(api, "employer-manager", mandate["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"


async def test_r_sign_6_the_counterparty_cannot_sign_first(api):
    mandate = await created(
        api, "provider-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="3/2024"
    )
    payload = await sign(api, "employer-director", mandate["id"])
    assert codes(payload) == ["INVALID_TRANSITION"]
    assert payload["mandate"] is None
    after = await read(api, "employer-director", mandate["reference"])
    assert after["status"] == "TO_BE_FINALISED"
    assert after["signatures"] == []


async def test_r_sign_13_a_party_signs_only_once(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "employer-director", mandate["id"])
    again = await sign(api, "employer-director", mandate["id"])
    assert codes(again) == ["INVALID_TRANSITION"]
    # Another signatory of the same party cannot add a second principal signature either.
    other = await sign(api, "employer-competence", mandate["id"])
    assert codes(other) == ["INVALID_TRANSITION"]
    after = await read(api, "employer-director", mandate["reference"])
    assert (after["status"], len(after["signatures"])) == ("PENDING", 1)


async def test_r_sign_13_an_active_mandate_accepts_no_more_signatures(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    payload = await sign(api, "provider-signatory", mandate["id"])
    assert codes(payload) == ["INVALID_TRANSITION"]


async def test_r_sign_3_a_manage_user_who_is_not_a_signatory_cannot_sign(api):
    """R-USR-4: the payroll clerk may create the mandate, not validate it."""
    mandate = await created(api, "employer-employee", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert mandate["principal"]["enterpriseNumber"] == BOULANGERIE
    payload = await sign(api, "employer-employee", mandate["id"])
    assert codes(payload) == ["NOT_ALLOWED_TO_SIGN"]
    assert "(Principal)" in payload["userErrors"][0]["message"]
    after = await read(api, "employer-manager", mandate["reference"])
    assert (after["status"], after["signatures"]) == ("TO_BE_FINALISED", [])
    # A signatory of the same enterprise can.
    assert (await sign(api, "employer-manager", mandate["id"]))["mandate"]["status"] == "PENDING"


async def test_r_usr_4_a_non_signatory_cannot_confirm_for_the_counterparty_either(api):
    mandate = await created(
        api, "provider-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024"
    )
    await sign(api, "provider-signatory", mandate["id"])
    payload = await sign(api, "employer-employee", mandate["id"])
    assert codes(payload) == ["NOT_ALLOWED_TO_SIGN"]
    assert (await read(api, "employer-manager", mandate["reference"]))["status"] == "PENDING"


async def test_r_ent_9_a_representative_whose_function_the_matrix_does_not_allow_cannot_sign(api):
    """R-SIGN-3: the statutory auditor (function 10009) is a CBE representative of an SA (014), whose matrix omits
    10009."""
    matrix = await api('{ representativesMatrix(legalForm: "014") { functions { code } } }', as_="employer-auditor")
    assert "10009" not in [f["code"] for f in matrix["data"]["representativesMatrix"]["functions"]]
    mandate = await created(api, "employer-auditor", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    payload = await sign(api, "employer-auditor", mandate["id"])
    assert codes(payload) == ["NOT_ALLOWED_TO_SIGN"]
    # The director of the same SA (function 10003, in the matrix) may.
    assert (await sign(api, "employer-director", mandate["id"]))["userErrors"] == []


async def test_r_usr_3_a_competence_holder_may_validate_via_authentication(api):
    """R-SIGN-3: the holder of « Mahis : signature d'un mandat » signs, though not a CBE representative."""
    mandate = await created(api, "employer-competence", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    payload = await sign(api, "employer-competence", mandate["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "PENDING"
    assert payload["mandate"]["signatures"][0]["signerNiss"] == niss("employer-competence")


async def test_r_usr_3_a_mandatary_side_competence_holder_may_confirm(api):
    """Julien Thiry holds the competence for Demo Payroll Partners (reference data only, no persona)."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "employer-director", mandate["id"])
    result = await api(SIGN, {"id": mandate["id"]}, as_="provider-signatory", niss="92112858106", name="Julien Thiry")
    payload = result["data"]["signMandate"]
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"
    assert payload["mandate"]["signatures"][1] == {
        "party": "MANDATARY",
        "method": "AUTHENTICATION",
        "signerNiss": "92112858106",
    }


async def test_r_usr_3_signing_authority_is_never_taken_from_the_token(api):
    """A token naming a person unknown to the enterprise's reference data, even with the manage scope, cannot sign."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "employer-director", mandate["id"])
    # 75090264659 is a signatory of Demo Logistique, not of Demo Payroll Partners.
    result = await api(
        SIGN, {"id": mandate["id"]}, as_="provider-signatory", niss="75090264659", name="Isabelle Lemaire"
    )
    assert codes(result["data"]["signMandate"]) == ["NOT_ALLOWED_TO_SIGN"]


async def test_r_sign_12_signatures_record_party_method_and_signer(api):
    mandate = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "ssa-signatory", mandate["id"])
    await sign(api, "employer-competence", mandate["id"])
    result = await api(
        '{ mandate(reference: "%s") { signatures { party method signerNiss signerName signedAt } } }'
        % mandate["reference"],
        as_="employer-director",
    )
    signatures = result["data"]["mandate"]["signatures"]
    assert [(s["party"], s["method"], s["signerNiss"], s["signerName"]) for s in signatures] == [
        ("MANDATARY", "AUTHENTICATION", None, "Bernard Hautain"),  # the other party's signer: named, NISS not shown
        ("PRINCIPAL", "AUTHENTICATION", niss("employer-competence"), "Sophie Renard"),
    ]
    assert all(s["signedAt"].startswith("2024-05-10") for s in signatures)


async def test_r_life_9_a_lapsed_mandate_cannot_be_signed_and_reads_as_cancelled(api, clock):
    """R-EXP-3: after 60 days the mandate is cancelled (even before the sweep) and cannot be resumed."""
    clock.frozen = dt.date(2024, 1, 1)
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2024")
    await sign(api, "employer-director", mandate["id"])
    clock.frozen = dt.date(2024, 3, 2)  # day 61
    payload = await sign(api, "provider-signatory", mandate["id"])
    assert codes(payload) == ["INVALID_TRANSITION"]
    after = await read(api, "employer-director", mandate["reference"])
    assert after["status"] == "CANCELLED"
    assert len(after["signatures"]) == 1


async def test_r_life_9_an_unsigned_lapsed_mandate_cannot_be_signed_by_the_encoder(api, clock):
    clock.frozen = dt.date(2024, 1, 1)
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2024")
    clock.frozen = dt.date(2024, 6, 1)
    assert codes(await sign(api, "employer-director", mandate["id"])) == ["INVALID_TRANSITION"]
    assert (await read(api, "provider-signatory", mandate["reference"]))["status"] == "CANCELLED"


async def test_r_exp_1_the_second_signature_on_day_60_is_accepted(api, clock):
    clock.frozen = dt.date(2024, 1, 1)
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2024")
    assert mandate["finaliseBefore"] == "2024-03-01"
    await sign(api, "employer-director", mandate["id"])
    clock.frozen = dt.date(2024, 3, 1)  # 2024 is a leap year: day 60
    payload = await sign(api, "provider-signatory", mandate["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"


async def test_r_chg_7_places_rechecked_at_activation_windows_judged_at_creation(api, clock):
    """B's PMP with S=T, created in month 1 of T, countersigned in month 2: still accepted (window judged on the
    creation day) and A's PMP ends at T-1 on activation (R-CHG-3, R-CHG-4)."""
    clock.frozen = dt.date(2024, 1, 10)
    old = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    clock.frozen = dt.date(2024, 4, 20)  # month 1 of 2/2024
    new = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="2/2024")
    await sign(api, "ssa-signatory", new["id"])
    assert (await read(api, "employer-director", old["reference"]))["groups"][0][
        "endQuarter"
    ] is None  # no effect before activation
    clock.frozen = dt.date(2024, 5, 10)  # month 2: a new creation with S=T would be refused now
    payload = await sign(api, "employer-director", new["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"
    replaced = await read(api, "employer-director", old["reference"])
    assert replaced["groups"][0]["endQuarter"] == "1/2024"
    assert replaced["endQuarter"] == "1/2024"


async def test_r_usr_2_a_consult_only_user_cannot_sign_or_create_but_can_search(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    signing = await api(SIGN, {"id": mandate["id"]}, as_="employer-consult")
    assert error_codes(signing) == ["FORBIDDEN"]
    assert signing["data"] is None
    creating = await api(
        CREATE,
        {"input": {"mandataryNumber": PROVIDER, "groups": ["SIGEDIS"], "startQuarter": "3/2024"}},
        as_="employer-consult",
    )
    assert error_codes(creating) == ["FORBIDDEN"]
    assert (await read(api, "employer-director", mandate["reference"]))["signatures"] == []
    searched = await api("{ mandates { totalCount edges { node { reference } } } }", as_="employer-consult")
    assert "errors" not in searched
    assert searched["data"]["mandates"]["totalCount"] == 1
    assert searched["data"]["mandates"]["edges"][0]["node"]["reference"] == mandate["reference"]
    dashboard = await api(DASHBOARD, as_="employer-consult")
    assert "errors" not in dashboard
    assert dashboard["data"]["dashboard"]["toBeFinalised"]["count"] == 1


async def test_r_usr_2_signing_a_mandate_of_another_enterprise_is_not_found(api):
    """A person acts for one enterprise; a stranger's mandate is not disclosed (R-SRCH-1)."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    payload = await sign(api, "employer-manager", mandate["id"])
    assert codes(payload) == ["NOT_FOUND"]
    assert payload["userErrors"][0]["field"] == ["mandateId"]
    assert (await read(api, "employer-director", mandate["reference"]))["signatures"] == []


async def test_r_sign_2_a_malformed_mandate_id_is_a_user_error_never_a_500(api):
    """API.md conventions: a bad global ID in signMandate is INVALID_ID on field mandateId."""
    for bad in ("not-an-id", base64.b64encode(b"Enterprise:1").decode(), base64.b64encode(b"Mandate:abc").decode(), ""):
        result = await api(SIGN, {"id": bad}, as_="employer-director")
        assert "errors" not in result, result
        assert codes(result["data"]["signMandate"]) == ["INVALID_ID"], bad
        assert result["data"]["signMandate"]["userErrors"][0]["field"] == ["mandateId"]
