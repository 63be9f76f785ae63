"""Validation via authentication: « accepter et signer » (R-SIGN-2..6, R-SIGN-12, R-SIGN-13, R-LIFE-3, R-LIFE-5)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.errors import Words
from models.signing import Party, SigningMethod, signing_event
from models.status import Event, next_status
from models.tables import Mandate, Signature
from resolvers.activity import check_mandate_activity
from resolvers.context import UseCase
from resolvers.finalise import finalise
from resolvers.journal import joined, record
from resolvers.lookup import acting_party, find_mandate, require_party_signatory
from resolvers.statuses import current_status


async def sign_mandate(uc: UseCase, mandate_id: str) -> Mandate:
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        party = acting_party(uc.actor, mandate)
        check_mandate_activity(mandate, uc.clock.today())  # R-ENT-8
        await add_signature(uc, mandate, party, SigningMethod.AUTHENTICATION, uc.actor.niss, uc.actor.name)
    return mandate


async def add_signature(
    uc: UseCase, mandate: Mandate, party: Party, method: SigningMethod, niss: str, name: str | None
) -> None:
    """Record one party's signature by an authorised signatory, and move the status on.

    Also used for each eID signature found in an uploaded authorisation.
    """
    current = current_status(mandate, uc.clock.today())
    signed = [(Party(p), SigningMethod(m)) for p, m in await mandate.signatures.all().values_list("party", "method")]
    event = signing_event(current, Party(mandate.encoder), party, method, signed)
    await require_party_signatory(mandate, party, niss)
    now = uc.clock.now()
    await Signature.create(
        mandate=mandate, party=party, method=method, signer_niss=niss, signer_name=name, signed_at=now
    )
    if event is Event.BOTH_SIGNED:
        await finalise(uc, mandate, event)
    else:
        mandate.status = next_status(current, event)
        await mandate.save(update_fields=["status"])
    clause = Words("pdf.clause") if party is Party.PRINCIPAL else None  # confirmed by the signature (R-CRE-6)
    await record(
        mandate,
        uc.actor,
        "SIGNED",
        now,
        method=method,
        detail=joined(
            Words(
                "notice.detail.signed",
                {
                    "party": party,
                    "signer": name or Words("notice.detail.a_signatory"),
                    "method": method,
                    "status": mandate.status,
                },
            ),
            clause,
        ),
    )
