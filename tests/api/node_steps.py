"""One row of every node type, made through the API, and the viewers that ask for them
(the node visibility, personal data and global ID tests).

LOGISTIQUE (principal) mandated PROVIDER from 1/2022, then SSA from 1/2024 (`main`); SSA delegated
DMFA for 2023 to PROVIDER; LOGISTIQUE encoded a PMP mandate for PROVIDER2 and asked for its PDF; a
representative of LOGISTIQUE asked to register it as a provider; NO_STAFF filed its own employer
identification request; LOGISTIQUE's director registered a webhook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from config.demo import DEMO_DIR
from models.identification import Declaration
from models.identifiers import format_enterprise_number
from resolvers.access import PERSONAL_DATA
from tests.api.authorisation_steps import request
from tests.api.delegation_steps import FULL_DMFA, delegate, replaced_history
from tests.api.helpers import LOGISTIQUE, NO_STAFF, PROVIDER, PROVIDER2, SSA, created

EVERY_CONDITION = [declaration.value for declaration in Declaration]

# Viewer kinds: a persona, with claims overriding its token's.
VIEWERS: dict[str, tuple[str, dict]] = {
    "principal manager": ("employer-director", {}),
    "principal consult-only user": ("employer-consult", {}),
    "other party (SSA)": ("ssa-signatory", {}),
    "delegate (PROVIDER)": ("provider-signatory", {}),
    "other party of the PDF's mandate (PROVIDER2)": ("provider2-signatory", {}),
    "unrelated manager": ("employer-manager", {}),
    "unrelated consult-only user": ("employer-manager", {"scope": "mandates:consult"}),
    "company filing its own identification": ("company-without-staff", {}),
    "NSSO officer": ("nsso-officer", {}),
    "integration": ("integration-system", {}),
    "integration with personal-data:read": ("integration-system", {"scope": f"integration:actions {PERSONAL_DATA}"}),
}


@dataclass(frozen=True)
class World:
    ids: dict[str, str]  # node type -> the global ID of its row
    main_reference: str


async def ask(api, viewer: str, query: str, variables: dict | None = None) -> dict:
    """The data a viewer kind gets; never a top-level error (a hidden thing is null, not an error)."""
    persona, claims = VIEWERS[viewer]
    result = await api(query, variables, as_=persona, **claims)
    assert "errors" not in result, (viewer, result)
    return result["data"]


async def one(api, as_: str, query: str, variables: dict | None = None) -> dict:
    result = await api(query, variables, as_=as_)
    assert "errors" not in result, result
    return result["data"]


async def build_world(api, clock) -> World:
    _, main = await replaced_history(api, clock, FULL_DMFA)
    delegation = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert delegation["userErrors"] == [], delegation
    pdf_mandate = await created(
        api, "employer-director", mandataryNumber=PROVIDER2, groups=["PMP"], startQuarter="3/2024"
    )
    issued = await request(api, "employer-director", pdf_mandate["id"])
    assert issued["userErrors"] == [], issued
    asked = await one(
        api,
        "employer-auditor",
        (
            "mutation($d: [ProviderDeclaration!]!) { requestProviderIdentification(input: {declarations: $d}) { "
            "request { id } userErrors { code } } }"
        ),
        {"d": EVERY_CONDITION},
    )
    filed = await one(
        api,
        "company-without-staff",
        (
            "mutation($n: String!) { submitEmployerIdentification(input: {principalNumber: $n}) { request { id } "
            "userErrors { code } } }"
        ),
        {"n": NO_STAFF},
    )
    logistique = await one(
        api, "employer-director", "query($n: String!) { enterprise(number: $n) { id } }", {"n": LOGISTIQUE}
    )
    ssa = await one(
        api, "employer-director", "query($n: String!) { enterprise(number: $n) { branches { id } } }", {"n": SSA}
    )
    box = await one(
        api, "employer-director", "{ notifications(first: 1) { edges { node { id recipient { enterpriseNumber } } } } }"
    )
    (edge,) = box["notifications"]["edges"]
    assert edge["node"]["recipient"]["enterpriseNumber"] == LOGISTIQUE
    hook = await one(
        api,
        "employer-director",
        'mutation { registerWebhook(input: {url: "https://integrations.example/feed"}) { webhook { id } } }',
    )
    return World(
        ids={
            "Mandate": main["id"],
            "Enterprise": logistique["enterprise"]["id"],
            "Branch": ssa["enterprise"]["branches"][0]["id"],
            "Authorisation": issued["authorisation"]["id"],
            "Delegation": delegation["delegation"]["id"],
            "Notification": edge["node"]["id"],
            "ProviderIdentificationRequest": asked["requestProviderIdentification"]["request"]["id"],
            "EmployerIdentificationRequest": filed["submitEmployerIdentification"]["request"]["id"],
            "Webhook": hook["registerWebhook"]["webhook"]["id"],
        },
        main_reference=main["reference"],
    )


def owners() -> dict[str, str]:
    """Each person's NISS -> the enterprise (formatted number) they stand for, from the demo reference data."""
    data = json.loads((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
    return {
        person["niss"]: format_enterprise_number(enterprise["enterpriseNumber"].replace(".", ""))
        for enterprise in data["enterprises"]
        for person in enterprise.get("representatives", []) + enterprise.get("signingCompetence", [])
    }
