"""Personal data across enterprises (hardening item 2): every field carrying a NISS, asked by every
viewer kind through every query that reaches it. A NISS is shown to the users of the enterprise the
person stands for, to NSSO officers and to the scope personal-data:read; to anyone else it is null,
never an error. Names and functions stay shown.
"""

from __future__ import annotations

import re

import pytest

from resolvers.access import Actor
from resolvers.visibility import may_see_niss
from tests.api.helpers import LOGISTIQUE, PROVIDER, SSA, created, niss, sign
from tests.api.node_steps import VIEWERS, ask, build_world, owners

NISS_FIELDS = ("niss", "signerNiss", "actorNiss", "applicantNiss")
PEOPLE = "representatives { niss name functionCode functionName canSign }"
MANDATE = f"""
  reference
  signatures {{ party signerNiss signerName }}
  history {{ action actorNiss actorEnterprise }}
  principal {{ {PEOPLE} }}
  mandatary {{ {PEOPLE} }}
  delegations {{ delegate {{ {PEOPLE} }} }}
"""
# Every query that reaches a NISS, each under an alias; $logistique is the principal's global ID.
QUERY = f"""
query($log: String!, $ssa: String!, $provider: String!, $logistique: ID!, $mandate: ID!, $reference: String!,
  $delegation: ID!, $request: ID!) {{
  logByNumber: enterprise(number: $log) {{ {PEOPLE} }}
  ssaByNumber: enterprise(number: $ssa) {{ {PEOPLE} }}
  providerByNumber: enterprise(number: $provider) {{ {PEOPLE} }}
  logByNode: node(id: $logistique) {{ ... on Enterprise {{ {PEOPLE} }} }}
  mandateByNode: node(id: $mandate) {{ ... on Mandate {{ {MANDATE} }} }}
  mandateByReference: mandate(reference: $reference) {{ {MANDATE} }}
  search: mandates(filter: {{principalNumber: $log, mandataryNumber: $ssa}}) {{ edges {{ node {{ {MANDATE} }} }} }}
  delegationByNode: node(id: $delegation) {{ ... on Delegation {{ delegate {{ {PEOPLE} }} mandate {{ {MANDATE} }} }} }}
  requestByNode: node(id: $request) {{ ... on ProviderIdentificationRequest {{ applicantNiss applicantName enterprise
    {{ {PEOPLE} }} }} }}
}}"""
PUBLIC = {"logByNumber", "ssaByNumber", "providerByNumber", "logByNode"}
OF_THE_MANDATE = {"mandateByNode", "mandateByReference", "search", "delegationByNode"}

ALL = "all"
# Viewer kind -> (whose people's NISS it sees, which aliases it may reach at all).
MATRIX = {
    "principal manager": ({LOGISTIQUE}, PUBLIC | OF_THE_MANDATE | {"requestByNode"}),
    "principal consult-only user": ({LOGISTIQUE}, PUBLIC | OF_THE_MANDATE | {"requestByNode"}),
    "other party (SSA)": ({SSA}, PUBLIC | OF_THE_MANDATE),
    "delegate (PROVIDER)": ({PROVIDER}, PUBLIC),
    "unrelated manager": (set(), PUBLIC),
    "unrelated consult-only user": (set(), PUBLIC),
    "NSSO officer": (ALL, PUBLIC | OF_THE_MANDATE | {"requestByNode"}),
    "integration": (set(), PUBLIC),
    "integration with personal-data:read": (ALL, PUBLIC),
}


def masked(value, sees, owner_of: dict[str, str]):
    """The officer's answer as a viewer seeing the NISS of `sees` must get it."""
    if isinstance(value, list):
        return [masked(item, sees, owner_of) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in NISS_FIELDS and item is not None:
            out[key] = item if sees == ALL or owner_of[item] in sees else None
        else:
            out[key] = masked(item, sees, owner_of)
    return out


@pytest.mark.parametrize("viewer", sorted(MATRIX))
async def test_hardening_niss_access_matrix(api, clock, viewer):
    world = await build_world(api, clock)
    variables = {
        "log": LOGISTIQUE,
        "ssa": SSA,
        "provider": PROVIDER,
        "logistique": world.ids["Enterprise"],
        "mandate": world.ids["Mandate"],
        "reference": world.main_reference,
        "delegation": world.ids["Delegation"],
        "request": world.ids["ProviderIdentificationRequest"],
    }
    truth = await ask(api, "NSSO officer", QUERY, variables)
    owner_of = owners()
    # The officer's answer holds every NISS of the world, each named: the matrix below checks them all.
    assert [s["signerNiss"] for s in truth["mandateByNode"]["signatures"]] == [
        niss("employer-director"),
        niss("ssa-signatory"),
    ]
    assert truth["requestByNode"]["applicantNiss"] == niss("employer-auditor")
    assert all(r["niss"] for r in truth["logByNumber"]["representatives"] + truth["ssaByNumber"]["representatives"])

    sees, reaches = MATRIX[viewer]
    got = await ask(api, viewer, QUERY, variables)  # no error: a hidden NISS is null
    for alias, answer in truth.items():
        if alias in reaches:
            assert got[alias] == masked(answer, sees, owner_of), (viewer, alias)
        else:
            assert got[alias] in (None, {"edges": []}), (viewer, alias)
    # Names and functions are the CBE's public data: shown to all.
    assert [r["name"] for r in got["logByNumber"]["representatives"]] == [
        r["name"] for r in truth["logByNumber"]["representatives"]
    ]


def test_table_may_see_niss():
    """The one rule every NISS field applies (resolvers.visibility.may_see_niss)."""
    log, other = LOGISTIQUE.replace(".", ""), SSA.replace(".", "")

    def actor(enterprise, *scopes):
        return Actor("68031425991", "X", enterprise, frozenset(scopes))

    cases = [
        (actor(log, "mandates:manage"), log, True),
        (actor(log, "mandates:consult"), log, True),
        (actor(log, "mandates:manage"), other, False),
        (actor(log, "mandates:consult"), other, False),
        (actor(log, "mandates:manage"), None, False),  # an officer's NISS
        (actor(None, "nsso:officer"), other, True),
        (actor(None, "nsso:officer"), None, True),
        (actor(None, "integration:actions"), log, False),
        (actor(None, "integration:actions", "personal-data:read"), log, True),
        (actor(None, "integration:actions", "personal-data:read"), None, True),
        (None, log, False),
    ]
    assert [may_see_niss(viewer, owner) for viewer, owner, _ in cases] == [expected for _, _, expected in cases]


async def test_hardening_officers_niss_is_shown_to_officers_only(api):
    """An officer acts for no enterprise: its NISS in a mandate's history is for officers only."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    annul = (
        'mutation($id: ID!) { annulMandate(input: {mandateId: $id, reason: "Encoded by mistake"}) { userErrors { code '
        "} } }"
    )
    assert (await ask(api, "NSSO officer", annul, {"id": mandate["id"]}))["annulMandate"]["userErrors"] == []
    history = '{ mandate(reference: "%s") { history { action actorNiss actorEnterprise } } }' % mandate["reference"]
    by_officer = (await ask(api, "NSSO officer", history))["mandate"]["history"][-1]
    by_party = (await ask(api, "principal manager", history))["mandate"]["history"][-1]
    assert by_officer == {"action": "ANNULLED", "actorNiss": niss("nsso-officer"), "actorEnterprise": None}
    assert by_party == {"action": "ANNULLED", "actorNiss": None, "actorEnterprise": None}


async def test_hardening_no_niss_in_history_details_or_notification_bodies(api):
    """Details and bodies go to both parties: a signer named by no name is not named by NISS instead."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    result = await api(
        "mutation($id: ID!) { signMandate(input: {mandateId: $id}) { userErrors { code } } }",
        {"id": mandate["id"]},
        as_="employer-director",
        name=None,
    )
    assert result["data"]["signMandate"]["userErrors"] == []
    assert (await sign(api, "provider-signatory", mandate["id"]))["userErrors"] == []
    texts = await ask(
        api,
        "NSSO officer",
        "{ mandates { edges { node { history { detail } } } } notifications { edges { node { body } } } }",
    )
    written = [e["detail"] or "" for m in texts["mandates"]["edges"] for e in m["node"]["history"]]
    written += [n["node"]["body"] for n in texts["notifications"]["edges"]]
    assert written and not [text for text in written if re.search(r"\d{11}", text)]
    assert any("Principal: signed by one of its signatories" in text for text in written)


async def test_hardening_the_viewer_sees_its_own_niss_and_its_own_people(api):
    for viewer in ("principal manager", "principal consult-only user"):
        got = await ask(api, viewer, f"{{ viewer {{ niss enterprise {{ {PEOPLE} }} }} }}")
        assert got["viewer"]["niss"] == niss(VIEWERS[viewer][0])
        assert all(r["niss"] for r in got["viewer"]["enterprise"]["representatives"])
