"""History events and notifications: every action on a mandate writes both (R-LIFE-10, R-NOT-1..5)."""

from __future__ import annotations

from models.signing import SigningMethod
from models.tables import Enterprise, Mandate, MandateEvent, Notification
from resolvers.access import Actor

EBOX, POST, EMAIL = "EBOX", "POST", "EMAIL"


def channel_for(enterprise: Enterprise, *, is_mandatary: bool) -> str:
    """Mandataries always get their e-Box; principals theirs if known in user management, else post (R-NOT-2, R-NOT-3)."""
    return EBOX if is_mandatary or enterprise.known_in_user_management else POST


def _addressed(enterprise: Enterprise, channel: str, body: str) -> str:
    """A letter by post carries the recipient's address plate from the reference data (R-NOT-3)."""
    if channel != POST:
        return body
    return f"{enterprise.name}\n{enterprise.address}\n\n{body}"


async def record(
    mandate: Mandate,
    actor: Actor | None,
    action: str,
    at,
    *,
    detail: str | None = None,
    method: SigningMethod | None = None,
    subject: str | None = None,
    also_notify: tuple[Enterprise, ...] = (),
    notify: bool = True,
) -> None:
    """Write the history event and notify both parties (and `also_notify`, e.g. a delegate).

    `detail` is shown to both parties and copied into every notification: it never names a NISS
    (the event's actor and the signatures carry it, shown as resolvers.visibility allows).

    `mandate.principal` and `mandate.mandatary` must be fetched.
    """
    await MandateEvent.create(
        mandate=mandate,
        at=at,
        actor_niss=actor.niss if actor else None,
        actor_enterprise=actor.enterprise_number if actor else None,
        action=action,
        method=method,
        detail=detail,
    )
    if not notify:
        return
    title = subject or f"Mandate {mandate.reference}: {action.replace('_', ' ').lower()}"
    body = f"{title}.\nPrincipal: {mandate.principal.name}. Mandatary: {mandate.mandatary.name}." + (f"\n{detail}" if detail else "")
    recipients = [(mandate.principal, False), (mandate.mandatary, True)] + [(other, True) for other in also_notify]
    await Notification.bulk_create(
        [
            Notification(
                recipient=enterprise,
                channel=channel,
                subject=title,
                body=_addressed(enterprise, channel, body),
                created_at=at,
                mandate=mandate,
            )
            for enterprise, is_mandatary in recipients
            for channel in (channel_for(enterprise, is_mandatary=is_mandatary),)
        ]
    )


async def email(recipient: Enterprise, mandate: Mandate, subject: str, body: str, at) -> None:
    """An officer's message to the provider about its paper authorisation goes by e-mail (R-NOT-4)."""
    await Notification.create(recipient=recipient, channel=EMAIL, subject=subject, body=body, created_at=at, mandate=mandate)
