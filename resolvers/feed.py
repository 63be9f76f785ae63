"""The change feed (models/change_feed.py): written with each change, in its transaction, read through
`events(after:)` as far as resolvers/visibility.py allows, pushed to the webhooks that may see it.

A mandate's event carries the mandate after the change with all its groups (a change to a group is a
change to its mandate); a delegation's event the delegation after the change. Both name enterprises
by CBE number and carry statuses and quarters as stored: what models/competence.py reasons with.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from models.change_feed import cloud_event, event_type
from models.quarter import Quarter, quarter_or_none
from models.tables import Delegation, Enterprise, FeedEvent, Mandate, MandateGroup
from resolvers.access import Actor
from resolvers.ids import encode_id
from resolvers.outbox import enqueue_event
from resolvers.rows import insert_objects
from resolvers.visibility import visible_events, webhooks_seeing

SOURCE = "urn:be:socialsecurity:mandates"  # the CloudEvents `source` of every event of the registry


def _quarter(index: int | None) -> str | None:
    found = quarter_or_none(index)
    return str(found) if found else None


async def mandate_changed(
    mandate: Mandate, action: str, at: dt.datetime, groups: list[MandateGroup] | None = None
) -> FeedEvent:
    """The mandate as it stands after `action` (`mandate.principal` and `.mandatary` fetched); `groups`, its
    groups as the caller just wrote them, spare reading them again."""
    if groups is None:
        groups = await MandateGroup.filter(mandate_id=mandate.id)
    groups = sorted(groups, key=lambda row: row.group_code)
    data: dict[str, Any] = {
        "action": action,
        "reference": mandate.reference,
        "status": mandate.status.value,
        "principal": mandate.principal.enterprise_number,
        "mandatary": mandate.mandatary.enterprise_number,
        "startQuarter": str(Quarter(mandate.start_quarter)),
        "endQuarter": _quarter(mandate.end_quarter),
        "groups": [
            {
                "code": row.group_code,
                "startQuarter": str(Quarter(row.start_quarter)),
                "endQuarter": _quarter(row.end_quarter),
            }
            for row in groups
        ],
    }
    return await _write(
        event_type("mandate", action),
        f"mandates/{mandate.reference}",
        at,
        data,
        mandate.principal_id,
        mandate.mandatary_id,
    )


async def delegation_changed(delegation_id: int, action: str, at: dt.datetime) -> FeedEvent:
    """The delegation as it stands after `action`, read again (bulk updates leave rows in memory stale)."""
    row = await Delegation.get(id=delegation_id).prefetch_related("mandate")
    numbers = dict(
        await Enterprise.filter(
            id__in=[row.mandate.principal_id, row.mandate.mandatary_id, row.delegate_id]
        ).values_list("id", "enterprise_number")
    )
    data: dict[str, Any] = {
        "action": action,
        "mandate": row.mandate.reference,
        "status": row.status.value,
        "principal": numbers[row.mandate.principal_id],
        "mandatary": numbers[row.mandate.mandatary_id],
        "delegate": numbers[row.delegate_id],
        "groups": sorted(row.group_codes),
        "fromQuarter": str(Quarter(row.from_quarter)),
        "toQuarter": str(Quarter(row.to_quarter)),
    }
    return await _write(
        event_type("delegation", action.removeprefix("DELEGATION_")),
        f"delegations/{encode_id('Delegation', row.id)}",
        at,
        data,
        row.mandate.principal_id,
        row.mandate.mandatary_id,
        row.delegate_id,
    )


async def _write(
    type_: str,
    subject: str,
    at: dt.datetime,
    data: dict[str, Any],
    principal_id: int,
    mandatary_id: int,
    delegate_id: int | None = None,
) -> FeedEvent:
    event = FeedEvent(
        event_id=str(uuid.uuid4()),
        type=type_,
        subject=subject,
        time=at,
        data=data,
        principal_id=principal_id,
        mandatary_id=mandatary_id,
        delegate_id=delegate_id,
    )
    await insert_objects([event])
    await enqueue_event(event, await webhooks_seeing(event))
    return event


def as_cloud_event(event: FeedEvent) -> dict[str, Any]:
    """The stored event in CloudEvents' JSON format: what `events` shows and the webhooks receive."""
    return cloud_event(event.event_id, SOURCE, event.type, event.time, event.subject, event.data)


async def events_after(viewer: Actor, after: int, first: int) -> list[FeedEvent]:
    """The next `first` events after position `after` that the viewer may see, oldest first."""
    return await (await visible_events(viewer)).filter(id__gt=after).order_by("id").limit(first)
