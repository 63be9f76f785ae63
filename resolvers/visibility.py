"""Who may see what: every node type's rows and every person's NISS, decided here once (R-SRCH-1, R-NOT-5).

`node(id:)`, the queries, the use cases and the export ask these functions; none writes its own rule.

- Mandates: the viewer's enterprise's, as principal or mandatary; all for NSSO officers (R-SRCH-1).
  Their authorisations and delegations follow the mandate.
- Notifications: the recipient's; all for officers (R-NOT-5).
- Identification requests: the filing company's (provider requests), the principal's and the
  provider's (employer requests); all for officers.
- Who may act for a principal (competentMandataries): officers, integrations, the principal, its
  mandataries and delegates, present or past (R-COMP-7).
- The change feed's events: the mandate's principal and mandatary, and a delegation's delegate (it is
  notified of it, R-DEL-7); all for officers and integrations (they may ask who acts for anyone,
  R-COMP-7). A webhook receives what its registrant saw when registering it; a webhook is seen and
  removed by whoever registered it, and by officers.
- A notification's delivery state: officers (R-NOT-5), who answer for the NSSO's outlets.
- Enterprises and branches: anyone authenticated (the CBE's public data), but see the NISS below.
- A person's NISS: only the users of the enterprise the person stands for (a representative,
  competence holder or curator of it, or who signed or acted for it), NSSO officers, and systems
  given the scope `personal-data:read`. Anyone else gets null; names and functions stay shown, as
  the CBE publishes them. An officer's NISS (an act with no enterprise) is shown to officers only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet, ValuesQuery

from models.tables import (
    Authorisation,
    Branch,
    Delegation,
    EmployerIdentificationRequest,
    Enterprise,
    FeedEvent,
    Mandate,
    Notification,
    ProviderIdentificationRequest,
    Webhook,
)
from resolvers.access import PERSONAL_DATA, Actor, Forbidden
from resolvers.templates import read, read_objects

NOBODY = -1  # the enterprise id of a viewer acting for no enterprise in the registry: matches no row
NO_NUMBER = "-"  # the enterprise number looked up for a viewer acting for no enterprise: matches no row


def may_see_niss(viewer: Actor | None, owner: str | None) -> bool:
    """Whether `viewer` may read the NISS of a person standing for the enterprise `owner`
    (ten-digit CBE number; None for the NSSO, whose officers act for no enterprise)."""
    if viewer is None:
        return False
    if viewer.is_officer or PERSONAL_DATA in viewer.scopes:
        return True
    return owner is not None and viewer.enterprise_number == owner


def reads_file(viewer: Actor | None, owner: str) -> bool:
    """Whether `viewer` reads the people and the history of the enterprise `owner` (ten-digit CBE number):
    NSSO officers and the enterprise's own users; not its mandataries, and not the integrations (issue 14)."""
    return viewer is not None and (viewer.is_officer or viewer.enterprise_number == owner)


def shown_niss(viewer: Actor | None, niss: str | None, owner: str | None) -> str | None:
    """The NISS as `viewer` may see it: itself, or None."""
    return niss if may_see_niss(viewer, owner) else None


async def own_enterprise_id(viewer: Actor) -> int:
    """The id of the enterprise the viewer acts for; NOBODY when none (looked up once per question)."""
    rows = await read(_enterprise_id, number=viewer.enterprise_number or NO_NUMBER)
    return int(rows[0]["id"]) if rows else NOBODY


def _enterprise_id(number: str) -> ValuesQuery[Any]:
    """The id of the enterprise numbered `number` (a unique column: one row at most), its statement built once
    (resolvers.templates): every search and node look-up asks it."""
    return Enterprise.filter(enterprise_number=number).values("id")


async def party_sides(viewer: Actor) -> tuple[Q, Q]:
    """The mandates where the viewer's enterprise is the principal, and where it is the mandatary.

    The enterprise's id is looked up first so that the two (party, status) indexes can serve.
    """
    return sides_of(await own_enterprise_id(viewer))


def sides_of(own: int | Subquery) -> tuple[Q, Q]:
    """The mandates where the enterprise `own` (an id, or a statement giving it) is the principal, and where
    it is the mandatary."""
    return Q(principal_id=own), Q(mandatary_id=own)


def sides_by_number(number: str) -> tuple[Q, Q]:
    """`party_sides` of the enterprise numbered `number` (ten digits, or NO_NUMBER), looked up inside the
    statement that uses them: one statement instead of two, the look-up done once and the (party, status)
    indexes still serving. An unknown enterprise gives NULL, which matches no mandate (as NOBODY)."""
    return sides_of(Subquery(Enterprise.filter(enterprise_number=number).values("id")))


async def visible_mandates(viewer: Actor) -> QuerySet[Mandate]:
    """The mandates of the viewer's enterprise, as principal or mandatary; all for officers (R-SRCH-1).

    The enterprise's id is read by its number within the statement that reads the mandates (a scalar
    subquery both databases evaluate once): `node(id:)` and the other look-ups by key run one statement."""
    if viewer.is_officer:
        return Mandate.all()
    return mandates_of(viewer.enterprise_number or NO_NUMBER)


def mandates_of(number: str) -> QuerySet[Mandate]:
    """The mandates of the enterprise numbered `number` (ten digits, or NO_NUMBER), as principal or mandatary:
    `visible_mandates` of its users, a function of the number alone (resolvers.templates builds it once)."""
    own = Subquery(Enterprise.filter(enterprise_number=number).values("id"))
    return Mandate.filter(Q(principal_id=own) | Q(mandatary_id=own))


async def visible_authorisations(viewer: Actor) -> QuerySet[Authorisation]:
    return Authorisation.filter(mandate_id__in=Subquery((await visible_mandates(viewer)).values("id")))


async def visible_delegations(viewer: Actor) -> QuerySet[Delegation]:
    """A delegation is seen with its main mandate: by its parties and officers (R-DEL-2). Its delegate, no
    party of the main mandate, reads its terms in `delegationsReceived` (resolvers/delegations.py)."""
    return Delegation.filter(mandate_id__in=Subquery((await visible_mandates(viewer)).values("id")))


async def visible_notifications(viewer: Actor) -> QuerySet[Notification]:
    """The notifications addressed to the viewer's enterprise; all for officers (R-NOT-5)."""
    if viewer.is_officer:
        return Notification.all()
    return Notification.filter(recipient_id=await own_enterprise_id(viewer))


def notified_mandate_visible(viewer: Actor, notification: Notification, mandate: Mandate) -> bool:
    """A notification's mandate is shown when the viewer would see it anyway: an officer, or a
    recipient that is a party of it (a delegate is notified of the main mandate, R-DEL-7, but is no party of it)."""
    return viewer.is_officer or notification.recipient_id in (mandate.principal_id, mandate.mandatary_id)


def may_see_delivery_failure(viewer: Actor) -> bool:
    """Whether the viewer reads why a delivery failed and the officers' decisions on it: officers only. A
    notification's recipient sees where its delivery stands (its state, tries and dates), not the receiving
    system's technical answer nor the NSSO's internal notes."""
    return viewer.is_officer


def sees_every_event(viewer: Actor) -> bool:
    return viewer.is_officer or viewer.is_integration


async def visible_events(viewer: Actor) -> QuerySet[FeedEvent]:
    """The feed's events of the viewer's enterprise's mandates and delegations; all for officers and integrations."""
    if sees_every_event(viewer):
        return FeedEvent.all()
    own = await own_enterprise_id(viewer)
    return FeedEvent.filter(Q(principal_id=own) | Q(mandatary_id=own) | Q(delegate_id=own))


async def webhooks_seeing(event: FeedEvent) -> list[Webhook]:
    """The registered webhooks whose registrant may see `event` (as visible_events decides)."""
    parties = [event.principal_id, event.mandatary_id] + ([event.delegate_id] if event.delegate_id else [])
    return await read_objects(_webhooks_seeing, _SEES_ALL, parties=parties)


_SEES_ALL = frozenset({True})  # written into the statement's text, built once (resolvers.templates)


def _webhooks_seeing(parties: list[int]) -> QuerySet[Webhook]:
    return Webhook.filter(removed_at=None).filter(Q(sees_all=True) | Q(owner_enterprise_id__in=parties))


async def visible_webhooks(viewer: Actor) -> QuerySet[Webhook]:
    """The webhooks the viewer registered; all for officers."""
    if viewer.is_officer:
        return Webhook.all()
    return Webhook.filter(owner_niss=viewer.niss)


async def visible_provider_requests(viewer: Actor) -> QuerySet[ProviderIdentificationRequest]:
    if viewer.is_officer:
        return ProviderIdentificationRequest.all()
    return ProviderIdentificationRequest.filter(enterprise_id=await own_enterprise_id(viewer))


async def visible_employer_requests(viewer: Actor) -> QuerySet[EmployerIdentificationRequest]:
    if viewer.is_officer:
        return EmployerIdentificationRequest.all()
    own = await own_enterprise_id(viewer)
    return EmployerIdentificationRequest.filter(Q(principal_id=own) | Q(provider_id=own))


async def require_concerned_by(viewer: Actor, principal: Enterprise) -> Callable[[int], bool]:
    """Who may ask who is competent for a principal (R-COMP-7): officers, the integrations, the
    principal, and the enterprises that are (or were) its mandataries or delegates; FORBIDDEN otherwise.

    Returns which of the principal's mandates the viewer sees, by their mandatary's id: the rule of
    `visible_mandates` (R-SRCH-1) for mandates whose parties are known, so that the answer can say which
    mandates to show without reading them; the viewer's enterprise is looked up at most once, and not at
    all for officers and the principal itself.
    """
    if viewer.is_officer or viewer.enterprise_number == principal.enterprise_number:
        return lambda mandatary_id: True
    own = await own_enterprise_id(viewer)
    if not viewer.is_integration:
        mandatary = Mandate.filter(principal_id=principal.id, mandatary_id=own)
        delegate = Delegation.filter(mandate__principal_id=principal.id, delegate_id=own)
        if not (await mandatary.exists() or await delegate.exists()):
            raise Forbidden("api.forbidden.representatives")
    return lambda mandatary_id: mandatary_id == own


async def visible_enterprises(viewer: Actor) -> QuerySet[Enterprise]:
    """Every enterprise: the CBE's data is public; the NISS of its people is not (may_see_niss)."""
    return Enterprise.all()


async def visible_branches(viewer: Actor) -> QuerySet[Branch]:
    """Every SSA's branches: a principal chooses one when it mandates the SSA (R-SSA-2)."""
    return Branch.all()


# The rows a viewer may reach through `node(id:)`, by node type.
VISIBLE: dict[str, Callable[[Actor], Awaitable[QuerySet[Any]]]] = {
    "Mandate": visible_mandates,
    "Enterprise": visible_enterprises,
    "Branch": visible_branches,
    "Authorisation": visible_authorisations,
    "Delegation": visible_delegations,
    "Notification": visible_notifications,
    "Webhook": visible_webhooks,
    "ProviderIdentificationRequest": visible_provider_requests,
    "EmployerIdentificationRequest": visible_employer_requests,
}
