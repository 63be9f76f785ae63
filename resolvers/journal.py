"""History events, feed events and notifications: every action on a mandate writes them (R-LIFE-10, R-NOT-1..5).

A notification is written with its delivery (resolvers/outbox.py) and the change with its feed event
(resolvers/feed.py), in the action's transaction: what is recorded is sent, and nothing is sent of an
action that was undone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from config.messages import Keyed, kept, read_kept, render, text
from models.catalogue import ApplicationGroup
from models.errors import Words
from models.history_chain import GENESIS, EventFacts, event_hash
from models.quarter import Quarter
from models.signing import SigningMethod
from models.tables import Enterprise, Mandate, MandateEvent, MandateGroup, Notification
from resolvers import feed
from resolvers.access import Actor
from resolvers.columns import value_of
from resolvers.languages import group_names, recipient_language
from resolvers.outbox import enqueue_notifications
from resolvers.rows import insert

EBOX, POST, EMAIL = "EBOX", "POST", "EMAIL"


def channel_for(enterprise: Enterprise, *, is_mandatary: bool) -> str:
    """Mandataries always get their e-Box; principals theirs if known in user management, else post (R-NOT-2,
    R-NOT-3)."""
    return EBOX if is_mandatary or enterprise.known_in_user_management else POST


def _plate(enterprise: Enterprise) -> str:
    return f"{enterprise.name}\n{enterprise.address}\n\n"


def _addressed(enterprise: Enterprise, channel: str, body: str) -> str:
    """A letter by post carries the recipient's address plate from the reference data (R-NOT-3)."""
    if channel != POST:
        return body
    return _plate(enterprise) + body


def unaddressed(enterprise: Enterprise, body: str) -> str:
    """A letter's text without the plate `_addressed` put above it (the print file places the plate itself)."""
    return body.removeprefix(_plate(enterprise))


async def record(
    mandate: Mandate,
    actor: Actor | None,
    action: str,
    at: dt.datetime,
    *,
    detail: Keyed | None = None,
    method: SigningMethod | None = None,
    subject: Keyed | None = None,
    also_notify: tuple[Enterprise, ...] = (),
    notify: bool = True,
    delegations: tuple[int, ...] = (),
    first: bool = False,
    groups: list[MandateGroup] | None = None,
) -> None:
    """Write the history event, the feed's events (the mandate's, and one per changed delegation of
    `delegations`) and notify both parties (and `also_notify`, e.g. a delegate).

    `detail` is shown to both parties and written into every notification: it never names a NISS (the
    event's actor and the signatures carry it, shown as resolvers.visibility allows). It is kept as its
    catalogue key and values (config/messages.kept), covered so by the history's hash, and written in each
    reader's language: the history's in the request's, a notification's in its recipient's.

    `mandate.principal` and `mandate.mandatary` must be fetched. `first`: the mandate was inserted in this
    transaction, so no event precedes this one and no other transaction can reach its row. `groups`: the
    mandate's groups as this transaction wrote them (not read again for the feed).
    """
    stored = kept(detail) if detail else None
    facts = EventFacts(
        0, at, actor.niss if actor else None, actor.enterprise_number if actor else None, action, method, stored
    )
    previous = GENESIS if first else await _last_hash(mandate)
    event = {
        "mandate_id": mandate.id,
        "at": facts.at,
        "actor_niss": facts.actor_niss,
        "actor_enterprise": facts.actor_enterprise,
        "action": action,
        "method": method,
        "detail": stored,
        "previous_hash": previous,
        "chain_hash": event_hash(mandate.reference, facts, previous),
    }
    await insert(MandateEvent, [event])
    await feed.mandate_changed(mandate, action, at, groups)
    for delegation_id in delegations:
        await feed.delegation_changed(delegation_id, action, at)
    if not notify:
        return
    recipients = [(mandate.principal, False), (mandate.mandatary, True)] + [(other, True) for other in also_notify]
    notices = []
    for enterprise, is_mandatary in recipients:
        title, body = _notice(mandate, action, subject, stored, recipient_language(enterprise))
        channel = channel_for(enterprise, is_mandatary=is_mandatary)
        notices.append(_notification(enterprise, channel, title, _addressed(enterprise, channel, body), at, mandate))
    await _send(notices)


async def _last_hash(mandate: Mandate) -> str:
    """The hash the next event chains to. Under the mandate's row lock (taken here too, after the
    principal's: resolvers/places.py) the previous event cannot change before this one is chained to it
    (hardening 10)."""
    await Mandate.select_for_update().filter(id=mandate.id).only("id")  # values_list() would drop FOR UPDATE
    last = await value_of(MandateEvent.filter(mandate_id=mandate.id).order_by("-id").first(), "chain_hash")
    return last or GENESIS


def _notice(mandate: Mandate, action: str, subject: Keyed | None, detail: str | None, language: str) -> tuple[str, str]:
    """A notification's subject and body in the recipient's language (resolvers/languages.py), with the
    history's detail as kept, written as the history shows it."""
    title = (
        render(language, subject)
        if subject
        else text(
            language, "notice.title", reference=mandate.reference, action=text(language, f"notice.action.{action}")
        )
    )
    parties = text(language, "notice.parties", principal=mandate.principal.name, mandatary=mandate.mandatary.name)
    return title, f"{title}.\n{parties}" + (f"\n{read_kept(language, detail)}" if detail else "")


def _notification(
    recipient: Enterprise, channel: str, subject: str, body: str, at: dt.datetime, mandate: Mandate | None
) -> dict[str, Any]:
    return {
        "recipient_id": recipient.id,
        "channel": channel,
        "subject": subject,
        "body": body,
        "created_at": at,
        "mandate_id": mandate.id if mandate else None,
    }


async def _send(notifications: list[dict[str, Any]]) -> None:
    """The notifications and their deliveries, in the caller's transaction: a statement each (R-NOT-1)."""
    ids = await insert(Notification, notifications)
    await enqueue_notifications(
        [(key, n["channel"], n["created_at"]) for key, n in zip(ids, notifications, strict=True)]
    )


async def notify_one(
    recipient: Enterprise, channel: str, subject: str, body: str, at: dt.datetime, mandate: Mandate | None = None
) -> None:
    """One notification and its delivery by `channel`, in the caller's transaction (R-NOT-1)."""
    await _send([_notification(recipient, channel, subject, body, at, mandate)])


def group_ends(group: ApplicationGroup, end: Quarter) -> Words:
    """A group and the quarter it ends with, named in each reader's language."""
    return Words("notice.detail.group_ends", {"group": group_names(group), "end": end})


def joined(first: Keyed, *more: Keyed | None) -> Keyed:
    """Sentences one after the other (a detail and its clauses that apply), in each reader's language."""
    message = first
    for part in more:
        if part is not None:
            message = Words("notice.detail.then", {"first": message, "then": part})
    return message


async def email(recipient: Enterprise, mandate: Mandate, subject: Keyed, body: Keyed, at: dt.datetime) -> None:
    """An officer's message to the provider about its paper authorisation goes by e-mail (R-NOT-4), in the
    provider's language."""
    language = recipient_language(recipient)
    await notify_one(recipient, EMAIL, render(language, subject), render(language, body), at, mandate)
