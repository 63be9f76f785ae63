"""Competence through GraphQL (RULES.md §16): competentMandataries' answer, who may ask and what they
see of the mandate, its typed errors (R-COMP-7).

Who is competent when (R-COMP-1..7, R-CLU-9, R-UNQ-5, R-LIFE-5) is proved on the use case itself:
tests/usecases/test_competence.py. A (PROVIDER) holds DMFA from 1/2022, B (SSA) replaces it from 1/2024.
"""

from __future__ import annotations

from tests.api.delegation_steps import COMPETENT, FULL_DMFA, delegate, replaced_history
from tests.api.helpers import LOGISTIQUE, PROVIDER, SSA, error_codes, statements


async def test_r_comp_7_who_may_ask_and_what_they_see(api, clock):
    """Officers, integrations, the principal and its mandataries; the mandate only when the viewer may see it."""
    _, new = await replaced_history(api, clock, FULL_DMFA)
    for persona in (
        "nsso-officer",
        "integration-system",
        "employer-director",
        "employer-consult",
        "ssa-signatory",
        "provider-signatory",
    ):
        result = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_=persona)
        assert "errors" not in result, (persona, result)
        (answer,) = result["data"]["competentMandataries"]
        seen = answer["mandate"]["reference"] if answer["mandate"] else None
        assert seen == (
            new["reference"]
            if persona in ("nsso-officer", "employer-director", "employer-consult", "ssa-signatory")
            else None
        ), persona
    stranger = await api(
        COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_="employer-manager"
    )  # BOULANGERIE
    assert error_codes(stranger) == ["FORBIDDEN"]
    never = await api(
        COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_="provider2-signatory"
    )  # never its mandatary
    assert error_codes(never) == ["FORBIDDEN"]
    anonymous = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"})
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    unknown = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "NOPE", "on": "2023-08-01"}, as_="nsso-officer")
    assert error_codes(unknown) == ["UNKNOWN_GROUP"]
    nobody = await api(
        COMPETENT, {"principal": "0403.170.701", "group": "DMFA", "on": "2023-08-01"}, as_="nsso-officer"
    )
    assert error_codes(nobody) == ["ENTERPRISE_NOT_FOUND"]
    by_nsso_number = await api(
        COMPETENT, {"principal": "9539339-29", "group": "DMFA", "on": "2023-08-01"}, as_="nsso-officer"
    )
    assert [c["mandatary"]["enterpriseNumber"] for c in by_nsso_number["data"]["competentMandataries"]] == [SSA]


async def test_r_comp_7_the_mandates_and_delegations_are_read_only_when_asked_and_at_once(api, clock):
    """Without `mandate` and `delegation` in the query no mandate or delegation row is read; with them, one
    statement each for all the answers (A delegate of B's main mandate: two answers, R-COMP-6)."""
    _, new = await replaced_history(api, clock, FULL_DMFA)
    made = await delegate(api, "ssa-signatory", new["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    variables = {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}
    bare = COMPETENT.replace("mandate { reference } delegation { id }", "")
    with statements() as without:
        result = await api(bare, variables, as_="employer-director")
    assert [c["via"] for c in result["data"]["competentMandataries"]] == ["MANDATE", "DELEGATION"]
    with statements() as asked:
        result = await api(COMPETENT, variables, as_="employer-director")
    answers = result["data"]["competentMandataries"]
    assert [c["mandate"]["reference"] for c in answers] == [new["reference"]] * 2
    assert [c["delegation"] and c["delegation"]["id"] for c in answers] == [None, made["delegation"]["id"]]
    assert len(asked) == len(without) + 2, asked
    assert not any(' FROM "mandate" ' in sql or ' FROM "delegation" WHERE "id"' in sql for sql in without), without
