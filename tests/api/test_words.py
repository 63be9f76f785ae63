"""Issue 13, "four languages, everywhere" and "no rule ID or enum code in any message a person reads":
the history's details (kept as message keys and values, written in the reader's language), the
notifications (in the recipient's language, else MANDATES_DEFAULT_LANGUAGE, else English), the
officer's e-mails, the registration notices, the top-level FORBIDDEN, UNAUTHENTICATED and RATE_LIMITED
messages and the application groups' names in Dutch and German."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from io import BytesIO

import pytest
from openpyxl import load_workbook
from tortoise import connections

from config.messages import LANGUAGES
from models.history_chain import EventFacts, event_hash
from models.identifiers import normalise_enterprise_number
from models.tables import Enterprise, Mandate, MandateEvent
from resolvers.history_chain import verify_history
from resolvers.languages import default_language, use_default_language
from tests.api.authorisation_steps import review
from tests.api.helpers import BOULANGERIE, LOGISTIQUE, PROVIDER, active, created, notifications
from tests.api.test_authorisations_paper import _submitted, emails
from tests.api.test_identification import ask_provider, decide
from tests.api.test_languages import _pdf_text
from tests.conftest import token

RULE_ID = re.compile(r"\bR-[A-Z]+-\d+\b")
ENUM_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
# The groups' codes as a person must never read them: WORKS_DECLARATIONS is one, PMP is also its name.
GROUPS = ["PMP", "WORKS_DECLARATIONS"]
HISTORY = "query($r: String!) { mandate(reference: $r) { history { action detail } } }"
CLOSE = """mutation($id: ID!) { closeMandate(input: {mandateId: $id, endQuarter: "4/2024"}) {
  userErrors { code message } } }"""
SIGNED = {
    "en": "Principal: signed by",
    "fr": "Mandant : signé par",
    "nl": "Mandaatgever: ondertekend door",
    "de": "Mandatgeber: unterschrieben von",
}
WORKS = {
    "en": "Works declarations",
    "fr": "Déclarations de travaux",
    "nl": "Aangifte van werken",
    "de": "Meldung von Arbeiten",
}


def _readable(texts: list[str]) -> Iterator[str]:
    """The texts that name a rule ID or a code."""
    return (text for text in texts if RULE_ID.search(text) or ENUM_CODE.search(text))


async def _as(api, persona: str | None, query: str, variables: dict, language: str) -> dict:
    headers = {"Accept-Language": language}
    if persona:
        headers["Authorization"] = f"Bearer {token(persona)}"
    response = await api.raw(query, variables, headers=headers)
    return response.json()


async def _history(api, reference: str, language: str) -> list[dict]:
    result = await _as(api, "employer-director", HISTORY, {"r": reference}, language)
    assert "errors" not in result, result
    return result["data"]["mandate"]["history"]


async def _closed_mandate(api) -> dict:
    mandate = await active(api, LOGISTIQUE, PROVIDER, GROUPS, "1/2024")
    result = await api(CLOSE, {"id": mandate["id"]}, as_="employer-director")
    assert result["data"]["closeMandate"]["userErrors"] == [], result
    return mandate


@pytest.mark.parametrize("language", LANGUAGES)
async def test_r_life_10_the_history_is_written_in_the_readers_language_without_a_rule_id_or_a_code(api, language):
    mandate = await _closed_mandate(api)
    history = await _history(api, mandate["reference"], language)
    details = [event["detail"] for event in history if event["detail"]]
    assert {"CREATED", "SIGNED", "CLOSURE"} <= {event["action"] for event in history}
    assert any(detail.startswith(SIGNED[language]) for detail in details), details
    assert any(WORKS[language] in detail for detail in details), details
    assert not list(_readable(details))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_r_not_1_notifications_are_in_the_recipients_stored_language_without_a_rule_id_or_a_code(api, language):
    """The principal's signature confirms the clause of R-CRE-6: its words, not its ID, in the notice."""
    for number in (LOGISTIQUE, PROVIDER):
        await Enterprise.filter(enterprise_number=normalise_enterprise_number(number)).update(language=language)
    mandate = await _closed_mandate(api)
    for persona in ("employer-director", "provider-signatory"):
        mine = [n for n in await notifications(api, persona) if n["mandate"]["reference"] == mandate["reference"]]
        assert len(mine) >= 4
        texts = [n["subject"] for n in mine] + [n["body"] for n in mine]
        assert not list(_readable(texts))
        assert any(SIGNED[language] in body for body in texts)
        assert any(WORKS[language] in body for body in texts)


@pytest.fixture
def german_by_default() -> Iterator[None]:
    before = default_language()
    use_default_language("de")
    yield
    use_default_language(before)


async def test_r_not_1_a_recipient_without_a_stored_language_reads_the_registrys_default(api, german_by_default):
    await Enterprise.filter(enterprise_number=normalise_enterprise_number(PROVIDER)).update(language="nl")
    await Enterprise.filter(enterprise_number=normalise_enterprise_number(LOGISTIQUE)).update(language=None)
    mandate = await active(api, LOGISTIQUE, PROVIDER, GROUPS, "1/2024")
    reference = mandate["reference"]
    to_principal = [n for n in await notifications(api, "employer-director") if reference in n["subject"]]
    to_provider = [n for n in await notifications(api, "provider-signatory") if reference in n["subject"]]
    assert f"Mandat {reference}: erfasst" in [n["subject"] for n in to_principal]
    assert f"Mandaat {reference}: ingevoerd" in [n["subject"] for n in to_provider]


def test_the_default_language_is_one_of_the_four():
    with pytest.raises(ValueError, match="not one of"):
        use_default_language("es")


async def test_r_life_10_an_event_written_before_kept_messages_keeps_its_sentence_and_its_chain(api, clock):
    """An older event stored its English sentence, covered by its hash: it is shown as written and
    `mandates verify-history` still holds; a new event keeps a message key and values."""
    mandate = await active(api, LOGISTIQUE, PROVIDER, GROUPS, "1/2024")
    row = await Mandate.get(reference=mandate["reference"])
    last = await MandateEvent.filter(mandate_id=row.id).order_by("-id").first()
    assert last is not None and last.detail is not None
    assert json.loads(last.detail)["key"] == "notice.detail.signed"
    sentence = "Signed for the mandatary by one of its signatories (AUTHENTICATION); status ACTIVE."
    facts = EventFacts(0, clock.now(), None, None, "SIGNED", None, sentence)
    await MandateEvent.create(
        mandate=row,
        at=facts.at,
        action="SIGNED",
        detail=sentence,
        previous_hash=last.chain_hash,
        chain_hash=event_hash(row.reference, facts, last.chain_hash),
    )
    assert await verify_history() == []
    assert (await _history(api, mandate["reference"], "fr"))[-1]["detail"] == sentence
    # A kept detail edited afterwards breaks the chain like any other edit.
    marks = "$1, $2" if connections.get("default").capabilities.dialect == "postgres" else "?, ?"
    edit = "UPDATE mandate_event SET detail = {} WHERE id = {}".format(*marks.split(", "))
    await connections.get("default").execute_query(edit, [last.detail.replace("signed", "closure"), last.id])
    assert [b.event_id for b in await verify_history()] == [last.id]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_r_not_4_the_officers_refusal_is_mailed_in_the_providers_language(api, language):
    await Enterprise.filter(enterprise_number=normalise_enterprise_number(PROVIDER)).update(language=language)
    mandate = await _submitted(api)
    await review(api, mandate["id"], "REJECT", reason="illisible")
    (mail,) = emails(await notifications(api, "provider-signatory"), mandate["reference"])
    subject = {"en": "authorisation refused", "fr": "procuration refusée", "nl": "volmacht geweigerd"}
    assert subject.get(language, "Vollmacht abgelehnt") in mail["subject"]
    assert "illisible" in mail["body"] and not list(_readable([mail["subject"], mail["body"]]))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_r_usr_1_top_level_refusals_are_in_the_language_asked_with_their_code(api, language):
    officers_only = "{ reviewQueue(first: 1) { totalCount } }"
    forbidden = await _as(api, "employer-director", officers_only, {}, language)
    unauthenticated = await _as(api, None, officers_only, {}, language)
    invalid = await api.raw(officers_only, {}, headers={"Authorization": "Bearer x.y.z", "Accept-Language": language})
    errors = [forbidden["errors"][0], unauthenticated["errors"][0], invalid.json()["errors"][0]]
    assert [error["extensions"]["code"] for error in errors] == ["FORBIDDEN", "UNAUTHENTICATED", "UNAUTHENTICATED"]
    assert errors[2]["extensions"]["reason"].startswith("Invalid token")  # for integrators
    officers = {"en": "NSSO officers", "fr": "agents de l’ONSS", "nl": "RSZ-medewerkers", "de": "Bediensteten des LSS"}
    assert officers[language] in errors[0]["message"]
    assert not list(_readable([error["message"] for error in errors]))
    assert len({error["message"] for error in errors}) == 3


async def test_the_application_groups_are_named_in_the_four_languages(api):
    result = await api("{ applicationGroups { code name nameFr nameNl nameDe } }", as_="employer-director")
    (works,) = [g for g in result["data"]["applicationGroups"] if g["code"] == "WORKS_DECLARATIONS"]
    assert [works["name"], works["nameFr"], works["nameNl"], works["nameDe"]] == [WORKS[lang] for lang in LANGUAGES]


async def test_r_srch_5_the_export_names_the_groups_in_its_language(api):
    """The export's words in the four languages are the lead's (main); its group names come from the
    catalogue's names in each language (resolvers/languages.group_names)."""
    await active(api, LOGISTIQUE, PROVIDER, GROUPS, "1/2024")
    response = await api.client.get(
        "/exports/mandates.xlsx",
        params={"lang": "fr"},
        headers={"Authorization": f"Bearer {token('employer-director')}"},
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(BytesIO(response.content), read_only=True).worksheets[0]
    cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
    assert WORKS["fr"] in cells and WORKS["en"] not in cells and "WORKS_DECLARATIONS" in cells  # the code column


async def test_r_pdf_3_the_authorisation_names_the_groups_in_its_language(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=GROUPS, startQuarter="3/2024")
    for language in ("NL", "DE"):
        text = " ".join((await _pdf_text(api, mandate["id"], language)).split())
        assert WORKS[language.lower()] in text and "WORKS_DECLARATIONS" not in text


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("fr", "Enregistrement comme prestataire de services refusé"),
        ("nl", "Registratie als dienstverlener geweigerd"),
        ("de", "Registrierung als Dienstleister abgelehnt"),
    ],
)
async def test_r_spid_2_the_registration_notice_is_in_the_companys_language(api, language, subject):
    await Enterprise.filter(enterprise_number=normalise_enterprise_number(BOULANGERIE)).update(language=language)
    asked = await ask_provider(api, "employer-manager")
    assert (await decide(api, asked["request"]["id"], "REFUSE", "pas de preuve"))["userErrors"] == []
    (told,) = [n for n in await notifications(api, "employer-manager") if n["mandate"] is None]
    assert told["subject"] == subject and "pas de preuve" in told["body"]
    assert not list(_readable([told["subject"], told["body"]]))
