"""`node(id:)` for every node type and every viewer kind: the rows resolvers.visibility allows, null for
the others (never an error that would tell a hidden row from a missing one). Code-health item 2; R-SRCH-1, R-NOT-5.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from resolvers.visibility import VISIBLE
from tests.api.helpers import PROVIDER, statements
from tests.api.node_steps import VIEWERS, ask, build_world
from tests.conftest import token

EVERYONE = set(VIEWERS)
PRINCIPAL = {"principal manager", "principal consult-only user"}
OFFICER = {"NSSO officer"}

# Who sees the world's row of each node type.
SEEN_BY = {
    "Mandate": PRINCIPAL | {"other party (SSA)"} | OFFICER,  # not the delegate: no party of the main mandate
    "Authorisation": PRINCIPAL | {"other party of the PDF's mandate (PROVIDER2)"} | OFFICER,
    "Delegation": PRINCIPAL | {"other party (SSA)"} | OFFICER,
    "Notification": PRINCIPAL | OFFICER,  # the recipient's
    "ProviderIdentificationRequest": PRINCIPAL | OFFICER,  # the filing company's
    "EmployerIdentificationRequest": {"company filing its own identification"} | OFFICER,
    "Enterprise": EVERYONE,  # the CBE's public data (its people's NISS aside: test_personal_data)
    "Branch": EVERYONE,
    "Webhook": {"principal manager"} | OFFICER,  # whoever registered it
}

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


def test_every_node_type_has_its_visibility_rule_and_its_test():
    assert set(SEEN_BY) == set(VISIBLE)


@pytest.mark.parametrize("kind", sorted(SEEN_BY))
async def test_code_health_node_visibility_per_type_and_viewer_kind(api, clock, kind):
    world = await build_world(api, clock)
    global_id = world.ids[kind]
    seen = {viewer for viewer in VIEWERS if (await ask(api, viewer, NODE, {"id": global_id}))["node"] is not None}
    assert seen == SEEN_BY[kind]
    # What is seen is that very row, under its own type.
    officer = await ask(api, "NSSO officer", NODE, {"id": global_id})
    assert officer["node"] == {"__typename": kind, "id": global_id}


async def test_code_health_the_use_cases_refuse_what_node_hides(api, clock):
    """The same rule guards the mutations: ending another's delegation or signing another's mandate is NOT_FOUND."""
    world = await build_world(api, clock)
    end = "mutation($id: ID!) { endDelegation(input: {delegationId: $id}) { userErrors { code } } }"
    assert (await ask(api, "delegate (PROVIDER)", end, {"id": world.ids["Delegation"]}))["endDelegation"][
        "userErrors"
    ] == [{"code": "NOT_FOUND"}]
    sign = "mutation($id: ID!) { signMandate(input: {mandateId: $id}) { userErrors { code } } }"
    assert (await ask(api, "unrelated manager", sign, {"id": world.ids["Mandate"]}))["signMandate"]["userErrors"] == [
        {"code": "NOT_FOUND"}
    ]


async def test_code_health_notifications_list_the_recipients_own_and_open_only_the_mandates_it_is_party_to(api, clock):
    """R-NOT-5, R-DEL-7: the list and node(id:) apply one rule; the delegate is told of the delegation on
    the main mandate, but the notification does not open that mandate, to which it is no party."""
    world = await build_world(api, clock)
    query = (
        "{ notifications { totalCount edges { node { id subject recipient { enterpriseNumber } mandate { reference } } "
        "} } }"
    )
    for viewer in ("principal manager", "delegate (PROVIDER)", "NSSO officer"):
        listed = (await ask(api, viewer, query))["notifications"]
        assert listed["totalCount"] > 0
        for edge in listed["edges"]:
            assert (await ask(api, viewer, NODE, {"id": edge["node"]["id"]}))["node"] is not None, viewer
    for viewer in ("unrelated manager", "unrelated consult-only user", "integration"):
        assert (await ask(api, viewer, query))["notifications"] == {"totalCount": 0, "edges": []}
    delegate_box = [e["node"] for e in (await ask(api, "delegate (PROVIDER)", query))["notifications"]["edges"]]
    assert {n["recipient"]["enterpriseNumber"] for n in delegate_box} == {PROVIDER}
    (told,) = [n for n in delegate_box if world.main_reference in n["subject"]]
    assert "delegation created" in told["subject"] and told["mandate"] is None
    officer_box = [
        e["node"]
        for e in (await ask(api, "NSSO officer", query))["notifications"]["edges"]
        if e["node"]["id"] == told["id"]
    ]
    assert officer_box[0]["mandate"] == {"reference": world.main_reference}


async def test_code_health_node_the_search_and_the_export_show_each_viewer_the_same_mandates(api, clock):
    """One rule (resolvers.visibility.visible_mandates) behind node(id:), `mandates` and the export."""
    await build_world(api, clock)
    search = "{ mandates(first: 100) { edges { node { id reference } } } }"
    for viewer, (persona, claims) in VIEWERS.items():
        listed = {
            e["node"]["reference"]: e["node"]["id"] for e in (await ask(api, viewer, search))["mandates"]["edges"]
        }
        response = await api.client.get(
            "/exports/mandates.xlsx", headers={"Authorization": f"Bearer {token(persona, **claims)}"}
        )
        assert response.status_code == 200, (viewer, response.text)
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        assert {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]} == set(listed), viewer
        for global_id in listed.values():
            assert (await ask(api, viewer, NODE, {"id": global_id}))["node"] is not None, viewer


async def test_r_srch_1_node_finds_a_visible_mandate_in_one_statement(api, clock):
    """The viewer's enterprise is read by its number within the statement that reads the mandate (scale)."""
    world = await build_world(api, clock)
    for viewer, seen in (("principal manager", True), ("unrelated manager", False)):
        with statements() as run:
            node = (await ask(api, viewer, NODE, {"id": world.ids["Mandate"]}))["node"]
        assert (node is not None) is seen
        assert len(run) == 1, run
        assert '"enterprise_number"=' in run[0], run
