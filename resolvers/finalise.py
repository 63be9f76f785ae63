"""A mandate becoming effective: places re-checked under the lock, replaced groups closed (R-CHG-3, R-CHG-7, R-WIDE-6).

Shared by every path to ACTIVE: the second signature by authentication, the eID-signed PDF and the
officer's acceptance of a handwritten authorisation.
"""

from __future__ import annotations

from config.clock import BRUSSELS
from models.catalogue import ApplicationGroup
from models.employer import is_employer
from models.places import Replacement, plan_places
from models.quarter import Quarter
from models.status import Event, next_status
from models.tables import Mandate
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.places import apply_replacements, lock_principal, principal_holdings


async def recheck_places(uc: UseCase, mandate: Mandate) -> tuple[list[ApplicationGroup], list[Replacement]]:
    """The mandate's places checked again, under the principal's lock, against everyone else's.

    The change-of-provider windows stay judged on the creation day (R-CHG-7).
    """
    await lock_principal(mandate.principal_id)
    groups = [uc.catalogue[code] for code in await values_of(mandate.groups.all(), "group_code")]
    holdings = await principal_holdings(
        mandate.principal_id, uc.catalogue, uc.clock.today(), exclude_mandate=mandate.id
    )
    created_on = mandate.created_at.astimezone(BRUSSELS).date()
    return groups, plan_places(
        groups, mandate.mandatary_id, Quarter(mandate.start_quarter), holdings, window_day=created_on
    )


async def finalise(uc: UseCase, mandate: Mandate, event: Event) -> None:
    """Set the mandate ACTIVE (or IDENTIFICATION) after `event`; the caller writes the history.

    Places and maxima are checked again at activation (R-CHG-7, R-UNQ-12).
    """
    groups, replacements = await recheck_places(uc, mandate)
    principal = mandate.principal
    not_employer = not is_employer(principal.nsso_number, principal.deleted_on, uc.clock.today())
    awaits_identification = not_employer and any(group.employer_only for group in groups)
    mandate.status = next_status(mandate.status, event, awaits_identification=awaits_identification)
    mandate.replaces_other_mandatary = mandate.replaces_other_mandatary or bool(replacements)
    await mandate.save(update_fields=["status", "replaces_other_mandatary"])
    await apply_replacements(replacements, uc.actor, uc.clock.now(), by=mandate, catalogue=uc.catalogue)
