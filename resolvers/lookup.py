"""Finding enterprises, mandates and signatories in the reference data (R-ENT-4, R-ENT-5, R-USR-3)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tortoise.queryset import QuerySet

from models.errors import ErrorCode, RuleViolation
from models.identifiers import normalise_enterprise_number
from models.signing import Party, SignatoryRegister, require_signatory
from models.tables import Enterprise, Mandate, MatrixEntry
from resolvers.access import Actor, Forbidden
from resolvers.columns import value_of, values_of
from resolvers.ids import decode_id, fits
from resolvers.templates import read_objects
from resolvers.visibility import visible_mandates

_CBE_SHAPE = re.compile(r"^[01][\d.\s]*$")


def looks_like_cbe_number(raw: str) -> bool:
    digits = re.sub(r"[\s.]", "", raw)
    return len(digits) == 10 and digits.isdigit() and bool(_CBE_SHAPE.match(raw.strip()))


async def find_enterprise(raw: str, field: tuple[str, ...], *, by: tuple[str, ...], lock: bool = False) -> Enterprise:
    """An enterprise by its CBE number, or by another number it is known by (`by`: nsso_number, ssa_number).

    Ten digits starting with 0 or 1 are a CBE number and must pass its check (R-ENT-7). `lock`: the row is
    read under its lock (resolvers/places.py `lock_principal`), in the same statement.
    """
    ways = _LOCKED if lock else _BY
    raw = (raw or "").strip()
    if not raw:
        raise RuleViolation(ErrorCode.INVALID_ENTERPRISE_NUMBER, "api.lookup.number_required", field)
    if looks_like_cbe_number(raw):
        enterprise = await _one(ways["enterprise_number"], normalise_enterprise_number(raw, field))
    else:
        enterprise = None
        for column in by:
            if enterprise is None and fits(Enterprise, column, raw):
                enterprise = await _one(ways[column], raw)
        if enterprise is None and not by:
            normalise_enterprise_number(raw, field)
    if enterprise is None:
        raise RuleViolation(ErrorCode.ENTERPRISE_NOT_FOUND, "api.lookup.unknown", field, number=raw)
    return enterprise


def _by_enterprise_number(number: str) -> QuerySet[Enterprise]:
    return Enterprise.filter(enterprise_number=number)


def _by_nsso_number(number: str) -> QuerySet[Enterprise]:
    return Enterprise.filter(nsso_number=number)


def _by_ssa_number(number: str) -> QuerySet[Enterprise]:
    return Enterprise.filter(ssa_number=number)


def _locked(build: Callable[[str], QuerySet[Enterprise]]) -> Callable[[str], QuerySet[Enterprise]]:
    def locked(number: str) -> QuerySet[Enterprise]:
        return build(number).select_for_update()  # SQLite has no row locks: Tortoise writes no FOR UPDATE there

    locked.__name__ = f"{build.__name__}_locked"
    return locked


# Each number an enterprise is known by is unique: its statement is built once (resolvers.templates), as most
# requests name an enterprise; made once here, so that each keeps its template.
_BY = {"enterprise_number": _by_enterprise_number, "nsso_number": _by_nsso_number, "ssa_number": _by_ssa_number}
_LOCKED = {column: _locked(build) for column, build in _BY.items()}


async def _one(build: Callable[[str], QuerySet[Enterprise]], number: str) -> Enterprise | None:
    found = await read_objects(build, number=number)
    return found[0] if found else None


async def own_enterprise(actor: Actor, *, lock: bool = False) -> Enterprise:
    """The enterprise the actor acts for; `lock`: read under its row lock (as `find_enterprise`)."""
    number = actor.enterprise_number
    own = await _one((_LOCKED if lock else _BY)["enterprise_number"], number) if number else None
    if own is None:
        raise RuleViolation(ErrorCode.ENTERPRISE_NOT_FOUND, "api.lookup.own_unknown")
    return own


async def signatory_register(enterprise: Enterprise) -> SignatoryRegister:
    representatives = await enterprise.representatives.all().values_list("niss", "function_code_id")
    allowed = await values_of(MatrixEntry.filter(legal_form_id=enterprise.legal_form_id), "function_code_id")
    holders = await values_of(enterprise.signing_competence.all(), "niss")
    return SignatoryRegister(tuple(representatives), frozenset(allowed), frozenset(holders))


async def require_party_signatory(
    mandate: Mandate, party: Party, niss: str, field: tuple[str, ...] | None = None
) -> None:
    """NOT_ALLOWED_TO_SIGN unless `niss` may sign for that party of the mandate (R-USR-3, R-USR-4, R-SIGN-11).

    `mandate.principal` and `mandate.mandatary` must be fetched.
    """
    enterprise = mandate.principal if party is Party.PRINCIPAL else mandate.mandatary
    require_signatory(await signatory_register(enterprise), niss, party, field)


async def find_mandate(
    actor: Actor, mandate_id: str, field: tuple[str, ...] = ("mandateId",), *, for_update: bool = False
) -> Mandate:
    """A mandate the actor may see, by global ID; NOT_FOUND otherwise (its existence is not disclosed)."""
    key = decode_id(mandate_id, "Mandate", field)
    if not await (await visible_mandates(actor)).filter(id=key).exists():
        raise RuleViolation(ErrorCode.NOT_FOUND, "api.lookup.no_mandate", field)
    query = Mandate.filter(id=key)
    if for_update:
        # One lock order everywhere, the principal before its mandates, so that a mandate's change
        # and a change to its principal's places (deletion, bankruptcy) cannot deadlock.
        principal_id = await value_of(Mandate.filter(id=key).first(), "principal_id")
        await Enterprise.select_for_update().get(id=principal_id)
        query = query.select_for_update()
    return await query.prefetch_related("principal", "mandatary").get()


def acting_party(actor: Actor, mandate: Mandate) -> Party:
    """The party an actor manages a mandate for; FORBIDDEN when it is neither (R-USR-2)."""
    actor.require_manager()
    return consulting_party(actor, mandate)


def consulting_party(actor: Actor, mandate: Mandate) -> Party:
    """The party an actor consults a mandate for (either role); FORBIDDEN when it is neither (R-USR-2)."""
    actor.require_consulter()
    party = actor.party_in(mandate.principal.enterprise_number, mandate.mandatary.enterprise_number)
    if party is None:
        raise Forbidden("api.forbidden.party")
    return party
