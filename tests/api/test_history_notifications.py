"""History and notifications (RULES.md §6 R-LIFE-10, §7 R-CRE-6, §13 R-CHG-3, §23): every action is recorded,
and both parties are told, on their channel.

Today is 2024-05-10 unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from tests.api.helpers import (
    ASBL,
    LOGISTIQUE,
    PROVIDER,
    SSA,
    active,
    created,
    niss,
    notifications,
    read,
    sign,
)

HISTORY = '{ mandate(reference: "%s") { history { at actorNiss actorEnterprise action method detail } } }'


async def test_r_life_10_creation_and_both_signatures_are_recorded_in_order(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "employer-director", mandate["id"])
    await sign(api, "provider-signatory", mandate["id"])
    result = await api(HISTORY % mandate["reference"], as_="nsso-officer")
    history = result["data"]["mandate"]["history"]
    assert [(e["action"], e["actorNiss"], e["actorEnterprise"], e["method"]) for e in history] == [
        ("CREATED", niss("employer-director"), LOGISTIQUE, None),
        ("SIGNED", niss("employer-director"), LOGISTIQUE, "AUTHENTICATION"),
        ("SIGNED", niss("provider-signatory"), PROVIDER, "AUTHENTICATION"),
    ]
    times = [e["at"] for e in history]
    assert times == sorted(times)
    assert "PMP" in history[0]["detail"] and "3/2024" in history[0]["detail"]
    assert "Status: Pending" in history[1]["detail"]
    assert "Status: Active" in history[2]["detail"]


async def test_r_life_10_the_history_is_shown_to_both_parties_and_officers(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    seen = [
        (await api(HISTORY % mandate["reference"], as_=who))["data"]["mandate"]
        for who in ("employer-director", "provider-signatory", "nsso-officer")
    ]
    assert all(s is not None and [e["action"] for e in s["history"]] == ["CREATED"] for s in seen)
    stranger = await api(HISTORY % mandate["reference"], as_="employer-manager")
    assert stranger["data"]["mandate"] is None


async def test_r_not_1_creation_notifies_each_party_once_with_the_reference(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    for persona, number in (("employer-director", LOGISTIQUE), ("provider-signatory", PROVIDER)):
        received = await notifications(api, persona)
        assert len(received) == 1, persona
        assert received[0]["recipient"]["enterpriseNumber"] == number
        assert received[0]["mandate"] == {"reference": mandate["reference"]}
        assert mandate["reference"] in received[0]["subject"]
        assert mandate["reference"] in received[0]["body"]
    # Nobody else is told.
    assert await notifications(api, "employer-manager") == []
    assert len(await notifications(api, "nsso-officer")) == 2


async def test_r_not_1_each_signature_notifies_both_parties(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["SIGEDIS"], "3/2024")
    for persona in ("employer-director", "ssa-signatory"):
        received = await notifications(api, persona)
        assert len(received) == 3, persona  # created, signed, signed
        assert {n["mandate"]["reference"] for n in received} == {mandate["reference"]}


async def test_r_not_2_mandataries_are_notified_in_their_ebox(api):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    for persona in ("provider-signatory", "ssa-signatory"):
        assert [n["channel"] for n in await notifications(api, persona)] == ["EBOX"]


async def test_r_not_3_a_principal_unknown_in_user_management_is_notified_by_post(api):
    """ASBL Demo Les Petits Pas has no user in social-security user management; the known principal gets its e-Box."""
    mandate = await created(api, "ssa-signatory", principalNumber=ASBL, groups=["SIGEDIS"], startQuarter="3/2024")
    await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["SIGEDIS"], startQuarter="3/2024")
    channels, letters = {}, {}
    for n in await notifications(api, "nsso-officer"):
        channels.setdefault((n["recipient"]["enterpriseNumber"], n["mandate"]["reference"]), []).append(n["channel"])
        letters[(n["recipient"]["enterpriseNumber"], n["mandate"]["reference"])] = n["body"]
    assert channels[(ASBL, mandate["reference"])] == ["POST"]
    # The letter is addressed to the principal's address plate from the reference data.
    address = (await api('{ enterprise(number: "%s") { address } }' % ASBL, as_="ssa-signatory"))["data"]["enterprise"][
        "address"
    ]
    assert address and address in letters[(ASBL, mandate["reference"])]
    assert address not in letters[(SSA, mandate["reference"])]
    assert channels[(SSA, mandate["reference"])] == ["EBOX"]
    logistique = [key for key in channels if key[0] == LOGISTIQUE]
    assert [channels[key] for key in logistique] == [["EBOX"]]


async def test_r_not_5_notifications_are_listed_newest_first(api, clock):
    clock.frozen = dt.date(2024, 5, 8)
    older = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    clock.frozen = dt.date(2024, 5, 9)
    newer = await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    clock.frozen = dt.date(2024, 5, 10)
    await sign(api, "employer-director", older["id"])
    received = await notifications(api, "employer-director")
    assert [(n["mandate"]["reference"], n["createdAt"][:10]) for n in received] == [
        (older["reference"], "2024-05-10"),
        (newer["reference"], "2024-05-09"),
        (older["reference"], "2024-05-08"),
    ]
    assert [n["mandate"]["reference"] for n in await notifications(api, "employer-director", first=1)] == [
        older["reference"]
    ]


async def test_r_cre_6_the_principals_signature_records_the_earlier_contract_confirmation(api):
    mandate = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "ssa-signatory", mandate["id"])
    await sign(api, "employer-director", mandate["id"])
    history = (await read(api, "employer-director", mandate["reference"]))["history"]
    mandatary_event, principal_event = [e for e in history if e["action"] == "SIGNED"]
    assert principal_event["actorNiss"] == niss("employer-director")
    assert "earlier mandate contract" in principal_event["detail"]
    assert "lawfully ended" in principal_event["detail"]
    assert "earlier mandate contract" not in mandatary_event["detail"]


async def test_r_chg_3_the_replaced_mandates_parties_are_notified(api):
    old = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    new = await active(api, LOGISTIQUE, SSA, ["PMP"], "3/2024")
    provider_news = await notifications(api, "provider-signatory")
    assert provider_news[0]["mandate"] == {"reference": old["reference"]}
    assert "replaced" in provider_news[0]["subject"].lower()
    assert new["reference"] in provider_news[0]["body"]
    assert "PMP ends with 2/2024" in provider_news[0]["body"]
    principal_news = await notifications(api, "employer-director")
    replaced = [
        n
        for n in principal_news
        if n["mandate"]["reference"] == old["reference"] and "replaced" in n["subject"].lower()
    ]
    assert len(replaced) == 1
    # The new mandatary is told about its own mandate, not about the one it replaced.
    assert {n["mandate"]["reference"] for n in await notifications(api, "ssa-signatory")} == {new["reference"]}
