"""The API's messages in the language of `Accept-Language` (English, French, Dutch, German; English by
default), from the message catalogue (config/locale/*.po): the code stays in `code`, the rule IDs in
`rules` (userErrors) or `extensions.rules` (top-level errors), never in the message."""

from __future__ import annotations

import re
import subprocess

import pytest

from models.identifiers import format_enterprise_number, normalise_enterprise_number
from models.tables import Enterprise
from tests.api.helpers import BOULANGERIE, CREATE, PROVIDER, created, notifications, sign
from tests.bench.generate import cbe_number
from tests.conftest import token

TOO_FAR_AHEAD = {  # R-CRE-4, today being 2024-05-10
    "en": "A mandate may not start later than one year ahead: 2/2025 at the latest.",
    "fr": "Un mandat ne peut commencer plus d’un an à l’avance : 2/2025 au plus tard.",
    "nl": "Een mandaat mag niet later dan een jaar vooraf beginnen: uiterlijk 2/2025.",
    "de": "Ein Mandat darf nicht später als ein Jahr im Voraus beginnen: spätestens 2/2025.",
}
RULE_ID = re.compile(r"\bR-[A-Z]+-\d+\b")


async def _as(api, persona: str, query: str, variables: dict, language: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token(persona)}"}
    if language is not None:
        headers["Accept-Language"] = language
    response = await api.raw(query, variables, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("header", "language"),
    [("fr-BE,fr;q=0.9,en;q=0.5", "fr"), ("nl-BE", "nl"), ("de", "de"), ("en-GB", "en"), (None, "en"), ("es", "en")],
)
async def test_a_user_error_is_written_in_the_language_of_accept_language(api, header, language):
    fields = {"mandataryNumber": PROVIDER, "groups": ["PMP"], "startQuarter": "4/2025"}
    result = await _as(api, "employer-director", CREATE, {"input": fields}, header)
    (error,) = result["data"]["createMandate"]["userErrors"]
    assert (error["code"], error["field"]) == ("START_TOO_FAR_AHEAD", ["startQuarter"])
    assert error["message"] == TOO_FAR_AHEAD[language]


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
async def test_the_rule_id_is_in_rules_and_a_status_is_a_word_never_a_code(api, language):
    """R-SIGN-5 refuses a handwritten authorisation once the encoder signed: the message names the
    status in the reader's words, the rule goes to `rules`."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await sign(api, "employer-director", mandate["id"])
    query = """mutation($id: ID!) { requestAuthorisation(input: {mandateId: $id, method: HANDWRITTEN}) {
      userErrors { code message rules } } }"""
    result = await _as(api, "employer-director", query, {"id": mandate["id"]}, language)
    (error,) = result["data"]["requestAuthorisation"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION" and error["rules"] == ["R-SIGN-5"]
    assert {"en": "Pending", "fr": "En attente", "nl": "In afwachting", "de": "Ausstehend"}[language] in error[
        "message"
    ]
    assert not RULE_ID.search(error["message"]) and "PENDING" not in error["message"]


async def test_a_top_level_refusal_is_written_in_the_language_asked_with_its_code(api):
    query = '{ mandates(filter: {mandataryNumber: "0403.170.702"}) { totalCount } }'
    result = await _as(api, "employer-director", query, {}, "nl")
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "INVALID_ENTERPRISE_NUMBER"
    assert error["message"] == "„0403.170.702” is geen geldig ondernemingsnummer (10 cijfers, modulo 97-controle)."


async def test_an_export_refusal_is_written_in_the_language_asked(api):
    response = await api.client.get(
        "/exports/mandates.xlsx",
        params={"period": "5/2024"},
        headers={"Authorization": f"Bearer {token('employer-director')}", "Accept-Language": "de-BE, de;q=0.8"},
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INVALID_QUARTER", "field": ["period"]}
    assert error["message"].startswith("„5/2024“ ist kein Quartal")


async def test_a_refused_principal_names_the_party_in_words(api):
    """An enum value (the party) is written in the reader's words too."""
    mandate = await created(api, "employer-employee", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert mandate["principal"]["enterpriseNumber"] == BOULANGERIE
    result = await _as(
        api,
        "employer-employee",
        "mutation($id: ID!) { signMandate(input: {mandateId: $id}) { userErrors { code message rules } } }",
        {"id": mandate["id"]},
        "fr",
    )
    (error,) = result["data"]["signMandate"]["userErrors"]
    assert error["code"] == "NOT_ALLOWED_TO_SIGN"
    assert error["message"].startswith("Cette personne ne peut pas signer pour cette partie (Mandant)")


REQUEST_IN = """
mutation($id: ID!, $language: Language) {
  requestAuthorisation(input: {mandateId: $id, method: EID, language: $language}) {
    authorisation { downloadUrl } userErrors { code message }
  }
}"""


async def _pdf_text(api, mandate_id: str, language: str | None) -> str:
    result = await api(REQUEST_IN, {"id": mandate_id, "language": language}, as_="employer-director")
    payload = result["data"]["requestAuthorisation"]
    assert payload["userErrors"] == []
    response = await api.client.get(payload["authorisation"]["downloadUrl"])
    assert response.status_code == 200
    return _text(response.content)


def _text(pdf: bytes) -> str:
    """What any PDF tool reads in the document (poppler's pdftotext)."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


async def test_r_pdf_3_the_authorisation_is_in_the_language_chosen_else_the_principals_else_english(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert "Volmacht — mandaat" in await _pdf_text(api, mandate["id"], "NL")
    assert "Vollmacht — Mandat" in await _pdf_text(api, mandate["id"], "DE")
    assert "Authorisation — mandate" in await _pdf_text(api, mandate["id"], None)  # no language in the data
    principal = normalise_enterprise_number(mandate["principal"]["enterpriseNumber"])
    assert await Enterprise.filter(enterprise_number=principal).update(language="fr") == 1
    assert "Procuration — mandat" in await _pdf_text(api, mandate["id"], None)  # the principal's language


async def test_a_notification_is_written_in_its_recipients_language(api):
    """The mandatary reads Dutch (its language in the reference data); the principal, with none, English."""
    assert await Enterprise.filter(enterprise_number=normalise_enterprise_number(PROVIDER)).update(language="nl") == 1
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    reference = mandate["reference"]
    (to_provider,) = [n for n in await notifications(api, "provider-signatory") if reference in n["subject"]]
    (to_principal,) = [n for n in await notifications(api, "employer-director") if reference in n["subject"]]
    assert to_provider["subject"] == f"Mandaat {reference}: ingevoerd"
    assert "Mandaatgever: " in to_provider["body"] and "Mandataris: " in to_provider["body"]
    assert to_principal["subject"] == f"Mandate {reference}: created"


FORBIDDEN_WORDS = {  # what a refused role reads (schema/permissions.py: catalogue keys, never an English sentence)
    "en": ("right to consult or to manage mandates", "NSSO officer, a system that reports actions"),
    "fr": ("droit de consulter ou de gérer les mandats", "agent de l’ONSS, un système qui rapporte les actions"),
    "nl": ("mandaten van een onderneming te raadplegen of te beheren", "ambtenaar van de RSZ nodig, een systeem"),
    "de": ("Mandate eines Unternehmens einzusehen oder zu verwalten", "Bediensteter des LSS nötig, ein System"),
}


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
async def test_r_usr_2_a_refused_role_reads_why_in_its_language_never_a_scope_name(api, language):
    consult, webhooks = FORBIDDEN_WORDS[language]
    marked = await _as(
        api,
        "nsso-officer",
        "mutation($id: ID!) { markRejectionConsulted(input: {mandateId: $id}) { userErrors { code } } }",
        {"id": "TWFuZGF0ZTox"},
        language,
    )
    hooked = await _as(
        api,
        "employer-consult",
        'mutation { registerWebhook(input: {url: "https://integrations.example/feed"}) { userErrors { code } } }',
        {},
        language,
    )
    unknown = format_enterprise_number(cbe_number(7_300_001))  # a manager of an enterprise the registry does not know
    unknown_enterprise = await api.raw(
        'mutation { registerWebhook(input: {url: "https://integrations.example/feed"}) { userErrors { code } } }',
        headers={
            "Authorization": f"Bearer {token('employer-director', enterprise=unknown)}",
            "Accept-Language": language,
        },
    )
    for result, words in ((marked, consult), (hooked, webhooks), (unknown_enterprise.json(), webhooks)):
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN" and words in error["message"], error
        assert "scope" not in error["message"] and "mandates:" not in error["message"]
