"""Issue 12, the change feed: CloudEvents written with each change, `events(after:)` as far as the viewer
may see, webhooks registered with a secret shown once and pushed signed (the receiver's check of the
README, Webhooks), and who may act for whom rebuilt from the feed alone."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections import Counter

from config.catalogue import load_catalogue
from models.competence import FINALISED_ONCE, Grant, competent, has_effect
from models.quarter import Quarter
from models.status import MandateStatus
from models.tables import Delivery, FeedEvent
from resolvers.places import to_holdings
from tests.api.delegation_steps import COMPETENT, FULL_DMFA, delegate, end_delegation, replaced_history
from tests.api.delivery_steps import until_settled, worker
from tests.api.helpers import BOULANGERIE, COOP, LOGISTIQUE, PROVIDER, PROVIDER2, SSA, active, created, error_codes
from tests.conftest import SETTINGS
from tests.sinks import Received, http_sink

EVENTS = """query($after: String, $first: Int) { events(after: $after, first: $first) {
  edges { cursor node { id source type time subject data cloudEvent } } hasNextPage endCursor
} }"""
REGISTER = """mutation($url: String!) { registerWebhook(input: {url: $url}) {
  webhook { id url createdAt removedAt } secret userErrors { code field message } } }"""
REMOVE = """mutation($id: ID!) { removeWebhook(input: {webhookId: $id}) {
  webhook { id removedAt } userErrors { code field message } } }"""
CLOUD_EVENT_ATTRIBUTES = {"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"}


async def feed(api, as_: str, first: int = 7) -> list[dict]:
    """Every event the viewer may see, read page by page from the start."""
    events, after = [], None
    while True:
        page = await api(EVENTS, {"after": after, "first": first}, as_=as_)
        assert "errors" not in page, page
        connection = page["data"]["events"]
        events += [edge["node"] for edge in connection["edges"]]
        after = connection["endCursor"]
        if not connection["hasNextPage"]:
            return events


def verified(received: Received, secret: str) -> dict:
    """The receiver's check, as the README says: HMAC-SHA256 keyed with the secret over
    `{webhook-id}.{webhook-timestamp}.{body}`, base64, after `v1,` in webhook-signature."""
    signed = f"{received.headers['webhook-id']}.{received.headers['webhook-timestamp']}.".encode() + received.body
    expected = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()
    scheme, signature = received.headers["webhook-signature"].split(",", 1)
    if scheme != "v1" or not hmac.compare_digest(signature, expected):
        raise ValueError("signature does not verify")
    return json.loads(received.body)


async def test_feed_every_change_is_a_cloud_event_written_with_it(api, clock):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    events = await feed(api, "nsso-officer")
    assert [event["type"] for event in events] == [
        "be.socialsecurity.mandates.mandate.created",
        "be.socialsecurity.mandates.mandate.signed",
        "be.socialsecurity.mandates.mandate.signed",
    ]
    assert {event["subject"] for event in events} == {f"mandates/{mandate['reference']}"}
    last = events[-1]
    assert set(last["cloudEvent"]) == CLOUD_EVENT_ATTRIBUTES
    assert last["cloudEvent"]["specversion"] == "1.0" and last["cloudEvent"]["datacontenttype"] == "application/json"
    assert last["cloudEvent"]["id"] == last["id"] and last["cloudEvent"]["data"] == last["data"]
    assert last["data"]["status"] == "ACTIVE" and last["data"]["principal"] == LOGISTIQUE.replace(".", "")
    assert last["data"]["groups"] == [{"code": "PMP", "startQuarter": "3/2024", "endQuarter": None}]
    assert len({event["id"] for event in events}) == len(events)
    # A refused change writes no event (its transaction, the event's too, is rolled back).
    count = await FeedEvent.all().count()
    again = await api(
        "mutation($i: CreateMandateInput!) { createMandate(input: $i) { userErrors { code } } }",
        {"i": {"mandataryNumber": PROVIDER, "groups": ["PMP"], "startQuarter": "3/2024"}},
        as_="employer-director",
    )
    assert again["data"]["createMandate"]["userErrors"] == [{"code": "DUPLICATE_MANDATE"}]
    assert await FeedEvent.all().count() == count


async def test_feed_events_after_shows_only_what_the_viewer_may_see(api, clock):
    own = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    other = await created(api, "employer-manager", mandataryNumber=SSA, groups=["PMP"], startQuarter="3/2024")
    subjects = {f"mandates/{own['reference']}", f"mandates/{other['reference']}"}
    assert {e["subject"] for e in await feed(api, "nsso-officer", first=1)} == subjects
    assert {e["subject"] for e in await feed(api, "integration-system")} == subjects
    assert {e["subject"] for e in await feed(api, "employer-director")} == {f"mandates/{own['reference']}"}
    assert {e["subject"] for e in await feed(api, "provider-signatory")} == {f"mandates/{own['reference']}"}
    assert await feed(api, "coop-managing-director") == []
    # Reading on from the last position gives only what came after it.
    end = (await api(EVENTS, {"first": 100}, as_="employer-director"))["data"]["events"]["endCursor"]
    await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    later = (await api(EVENTS, {"after": end}, as_="employer-director"))["data"]["events"]
    assert [edge["node"]["type"] for edge in later["edges"]] == ["be.socialsecurity.mandates.mandate.created"]
    quiet = (await api(EVENTS, {"after": later["endCursor"]}, as_="employer-director"))["data"]["events"]
    assert (quiet["edges"], quiet["endCursor"]) == ([], later["endCursor"])
    assert error_codes(await api(EVENTS, {"after": "forged"}, as_="employer-director")) == ["INVALID_ID"]
    assert error_codes(await api(EVENTS, {"first": 0}, as_="employer-director")) == ["INVALID_INPUT"]
    assert error_codes(await api(EVENTS)) == ["UNAUTHENTICATED"]


async def test_webhooks_pushes_are_signed_and_verify(api, settings, clock):
    with http_sink() as sink:
        everything = (await api(REGISTER, {"url": sink.url + "/all"}, as_="integration-system"))["data"]
        own = (await api(REGISTER, {"url": sink.url + "/own"}, as_="employer-manager"))["data"]["registerWebhook"]
        registered = everything["registerWebhook"]
        assert registered["userErrors"] == [] and len(registered["secret"]) == 64
        assert registered["webhook"]["url"] == sink.url + "/all"
        node = await api(
            "query($id: ID!) { node(id: $id) { ... on Webhook { url } } }",
            {"id": registered["webhook"]["id"]},
            as_="integration-system",
        )
        assert node["data"]["node"] == {"url": sink.url + "/all"}  # the secret is shown once, never again
        await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
        await created(api, "employer-manager", mandataryNumber=SSA, groups=["PMP"], startQuarter="3/2024")
        await until_settled(worker(settings, clock))
    events = {event.event_id: event for event in await FeedEvent.all()}
    to_all = [r for r in sink.received if r.path.endswith("/all")]
    to_own = [r for r in sink.received if r.path.endswith("/own")]
    assert Counter(r.headers["webhook-id"] for r in to_all) == Counter(dict.fromkeys(events, 1))
    for received in to_all:
        pushed = verified(received, registered["secret"])
        assert received.headers["content-type"] == "application/cloudevents+json"
        assert pushed["id"] == received.headers["webhook-id"] and set(pushed) == CLOUD_EVENT_ATTRIBUTES
        assert pushed["data"] == events[pushed["id"]].data
    boulangerie = BOULANGERIE.replace(".", "")
    assert to_own and all(verified(r, own["secret"])["data"]["principal"] == boulangerie for r in to_own)
    tampered = Received(to_all[0].path, to_all[0].headers, to_all[0].body.replace(b"PMP", b"DMFA"), 200)
    try:
        verified(tampered, registered["secret"])
    except ValueError:
        pass
    else:
        raise AssertionError("a changed body verified")
    try:
        verified(to_all[0], own["secret"])
    except ValueError:
        pass
    else:
        raise AssertionError("another webhook's secret verified")


async def test_webhooks_are_retried_like_notifications_and_stop_when_removed(api, settings, clock):
    with http_sink(failures=2) as sink:
        hook = (await api(REGISTER, {"url": sink.url}, as_="integration-system"))["data"]["registerWebhook"]
        await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
        await until_settled(worker(settings, clock))
        (event,) = await FeedEvent.all()
        assert [r.status for r in sink.received] == [500, 500, 200]
        assert {r.headers["webhook-id"] for r in sink.received} == {event.event_id}
        assert len({r.headers["idempotency-key"] for r in sink.received}) == 1
        (push,) = await Delivery.filter(channel="WEBHOOK")
        assert (push.state.value, push.attempts) == ("SENT", 3)

        someone_else = await api(REMOVE, {"id": hook["webhook"]["id"]}, as_="employer-director")
        assert [e["code"] for e in someone_else["data"]["removeWebhook"]["userErrors"]] == ["NOT_FOUND"]
        removed = (await api(REMOVE, {"id": hook["webhook"]["id"]}, as_="integration-system"))["data"]
        assert removed["removeWebhook"]["webhook"]["removedAt"] is not None
        await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
        await until_settled(worker(settings, clock))
        assert len(sink.received) == 3  # nothing pushed after the removal
        again = (await api(REMOVE, {"id": hook["webhook"]["id"]}, as_="integration-system"))["data"]
        assert [e["code"] for e in again["removeWebhook"]["userErrors"]] == ["NOT_FOUND"]


async def test_webhooks_who_may_register_and_what_address(api):
    bad = (await api(REGISTER, {"url": "ftp://example.org/x"}, as_="integration-system"))["data"]["registerWebhook"]
    assert (bad["webhook"], bad["secret"], [(e["code"], e["field"]) for e in bad["userErrors"]]) == (
        None,
        None,
        [("INVALID_INPUT", ["url"])],
    )
    assert error_codes(await api(REGISTER, {"url": "https://example.org/x"}, as_="employer-consult")) == ["FORBIDDEN"]
    assert error_codes(await api(REGISTER, {"url": "https://example.org/x"})) == ["UNAUTHENTICATED"]
    assert await FeedEvent.all().count() == 0


def _rebuilt_competence(events: list[dict], principal: str, group: str, on: dt.date, today: dt.date) -> set:
    """A consumer's answer from the feed alone: the latest state of each subject, reasoned on with the
    registry's published rules (models/competence.py)."""
    catalogue = load_catalogue(SETTINGS.catalogue_path)
    latest = {event["subject"]: event["data"] for event in events}  # the feed is in order: the last one wins
    numbers: dict[str, int] = {}

    def key(number: str) -> int:
        return numbers.setdefault(number, len(numbers) + 1)

    mandates = {data["reference"]: data for subject, data in latest.items() if subject.startswith("mandates/")}
    references = {reference: key("m" + reference) for reference in mandates}
    rows = [
        {
            "mandate_id": references[reference],
            "group_code": group_row["code"],
            "start_quarter": Quarter.parse(group_row["startQuarter"]).index,
            "end_quarter": Quarter.parse(group_row["endQuarter"]).index if group_row["endQuarter"] else None,
            "mandate__mandatary_id": key(data["mandatary"]),
            "mandate__status": data["status"],
        }
        for reference, data in mandates.items()
        if data["principal"] == principal and MandateStatus(data["status"]) in FINALISED_ONCE
        for group_row in data["groups"]
    ]
    entry = catalogue[group]
    masters = {g.code for g in catalogue if {entry.code} & set(g.requires)}
    holdings = to_holdings(
        [row for row in rows if row["group_code"] in {entry.code} | masters],
        catalogue,
        effective=has_effect,
        codes={entry.code},
    )
    grants = [
        Grant(
            key(subject),
            references[data["mandate"]],
            key(data["delegate"]),
            frozenset(data["groups"]),
            Quarter.parse(data["fromQuarter"]),
            Quarter.parse(data["toQuarter"]),
            MandateStatus(data["status"]),
        )
        for subject, data in latest.items()
        if subject.startswith("delegations/") and data["principal"] == principal and entry.code in data["groups"]
    ]
    names = {value: number for number, value in numbers.items()}
    return {(names[c.mandatary_id], c.role.value, c.via.value) for c in competent(entry, holdings, grants, on, today)}


async def test_feed_a_consumer_rebuilds_who_may_act_for_whom_from_the_feed_alone(api, clock):
    """Mandates replaced, delegated, a delegation ended, a group closed, others in flight: for every principal,
    group and day asked, competentMandataries and the answer rebuilt from the feed agree."""
    _, main = await replaced_history(api, clock, FULL_DMFA)  # PROVIDER until 4/2023, SSA from 1/2024
    kept = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))["delegation"]
    ended = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DIMONA"], "1/2023", "4/2023"))["delegation"]
    assert (await end_delegation(api, "ssa-signatory", ended["id"]))["userErrors"] == []
    assert kept["status"] == "ACTIVE"
    coop = await active(api, COOP, PROVIDER2, ["PMP"], "2/2024")
    await created(api, "employer-manager", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    close = await api(
        "mutation($i: CloseMandateInput!) { closeMandate(input: $i) { userErrors { code message } } }",
        {"i": {"mandateId": coop["id"], "endQuarter": "2/2024"}},
        as_="coop-managing-director",
    )
    assert close["data"]["closeMandate"]["userErrors"] == [], close

    events = await feed(api, "integration-system", first=25)
    assert {e["type"] for e in events} >= {
        "be.socialsecurity.mandates.delegation.created",
        "be.socialsecurity.mandates.delegation.ended",
        "be.socialsecurity.mandates.mandate.replaced",
        "be.socialsecurity.mandates.mandate.closure",
    }
    compared = 0
    for principal in (LOGISTIQUE, COOP, BOULANGERIE):
        for group in ("DMFA", "DIMONA", "FLEXI", "PMP"):
            for on in (dt.date(2022, 6, 1), dt.date(2023, 8, 1), dt.date(2024, 2, 1), dt.date(2024, 5, 10)):
                answer = await api(
                    COMPETENT, {"principal": principal, "group": group, "on": on.isoformat()}, as_="integration-system"
                )
                assert "errors" not in answer, answer
                told = {
                    (c["mandatary"]["enterpriseNumber"], c["role"], c["via"])
                    for c in answer["data"]["competentMandataries"]
                }
                rebuilt = _rebuilt_competence(events, principal.replace(".", ""), group, on, clock.today())
                formatted = {(f"{n[:4]}.{n[4:7]}.{n[7:]}", role, via) for n, role, via in rebuilt}
                assert formatted == told, (principal, group, on)
                compared += bool(told)
    assert compared >= 8  # the comparison is not only of empty answers
