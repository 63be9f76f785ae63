"""The enterprise file's parts that concern people and the NSSO's acts: its competence holders and its history
(issue 14; R-USR-3 b, R-EMP-1..6, R-WIDE-1..6, R-FOR-2, R-SPID-1..3).

Both are read by NSSO officers and by the enterprise's own users only (resolvers/visibility.reads_file);
anyone else gets null. The history is assembled from the tables that record each act (models/enterprise_history).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enterprise_history import FILED_BY_ITSELF, EnterpriseEvent, newest_first, timed
from models.enterprise_history import EnterpriseEventKind as K
from models.errors import Words
from models.identification import ForeignDocument, ProviderRequestStatus
from models.tables import (
    Bankruptcy,
    EmployerDeletion,
    EmployerIdentificationRequest,
    Enterprise,
    ForeignEntityDocument,
    ForeignEntityRegistration,
    NssoNumberAssignment,
    ProviderIdentificationRequest,
    SigningCompetence,
)
from resolvers.access import Actor
from resolvers.columns import values_of
from resolvers.visibility import reads_file


@dataclass(frozen=True)
class CompetenceHolder:
    """A person given the competence to sign mandates for the enterprise (R-USR-3 b); `curator` when
    registered as the curator of a recorded bankruptcy (R-EMP-4)."""

    niss: str
    name: str
    curator: bool


async def competence_holders(viewer: Actor | None, enterprise: Enterprise) -> list[CompetenceHolder] | None:
    """The enterprise's competence holders, by name; None unless the viewer reads its file."""
    if not reads_file(viewer, enterprise.enterprise_number):
        return None
    curators = set(await values_of(Bankruptcy.filter(principal_id=enterprise.id), "curator_niss"))
    rows = await SigningCompetence.filter(enterprise_id=enterprise.id).order_by("name", "id")
    return [CompetenceHolder(row.niss, row.name, row.niss in curators) for row in rows]


async def history(viewer: Actor | None, enterprise: Enterprise) -> list[EnterpriseEvent] | None:
    """The NSSO's acts on the enterprise and the requests about it, newest first; None unless the viewer
    reads its file."""
    if not reads_file(viewer, enterprise.enterprise_number):
        return None
    key = enterprise.id
    events: list[EnterpriseEvent] = []
    for deletion in await EmployerDeletion.filter(principal_id=key):
        events.append(
            timed(
                K.EMPLOYER_DELETED, deletion.recorded_at, date=deletion.deletion_date, requester=deletion.requested_by
            )
        )
    for bankruptcy in await Bankruptcy.filter(principal_id=key):
        events.append(
            timed(
                K.BANKRUPTCY_RECORDED,
                bankruptcy.recorded_at,
                date=bankruptcy.published_on,
                curator=bankruptcy.curator_name,
            )
        )
        if bankruptcy.answer is not None and bankruptcy.answered_on is not None:
            values = {"curator": bankruptcy.curator_name, "answer": bankruptcy.answer}
            events.append(EnterpriseEvent(K.CURATOR_ANSWERED, bankruptcy.answered_on, None, values))
    for assignment in await NssoNumberAssignment.filter(principal_id=key):
        events.append(timed(K.NSSO_NUMBER_ASSIGNED, assignment.assigned_at, number=assignment.nsso_number))
    registration = await ForeignEntityRegistration.get_or_none(enterprise_id=key)
    if registration is not None:
        checked = ForeignEntityDocument.filter(registration_id=registration.id).order_by("id")  # not their content
        kinds = [ForeignDocument(kind) for kind in await values_of(checked, "kind")]
        events.append(timed(K.FOREIGN_ENTITY_REGISTERED, registration.registered_at, documents=kinds))
    events += await _provider_requests(key)
    events += await _identification_requests(key)
    return newest_first(events)


async def _provider_requests(key: int) -> list[EnterpriseEvent]:
    """The enterprise's requests to be registered as a service provider and the officers' decisions (R-SPID-1..3)."""
    events = []
    for request in await ProviderIdentificationRequest.filter(enterprise_id=key):
        events.append(timed(K.PROVIDER_REQUEST_SUBMITTED, request.submitted_at))
        if request.decided_at is None:
            continue
        if request.status is ProviderRequestStatus.APPROVED:
            events.append(timed(K.PROVIDER_REQUEST_APPROVED, request.decided_at))
        else:
            events.append(timed(K.PROVIDER_REQUEST_REFUSED, request.decided_at, reason=request.reason or ""))
    return events


async def _identification_requests(key: int) -> list[EnterpriseEvent]:
    """Identification requests (WIDE) for the enterprise as principal: filed, blocked, concluded (R-WIDE-1..6)."""
    events = []
    rows = await EmployerIdentificationRequest.filter(principal_id=key).prefetch_related("provider")
    for request in rows:
        filer = request.provider.name if request.provider is not None else Words(FILED_BY_ITSELF)
        events.append(timed(K.IDENTIFICATION_REQUESTED, request.created_at, filer=filer))
        if request.blocked_at is not None:
            events.append(timed(K.IDENTIFICATION_BLOCKED, request.blocked_at, reason=request.blocked_reason or ""))
        if request.done_at is not None:
            events.append(timed(K.IDENTIFICATION_DONE, request.done_at))
    return events
