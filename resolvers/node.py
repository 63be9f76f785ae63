"""`node(id:)`: any persisted object by its global ID, if the actor may see it (API.md; resolvers.visibility)."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model
from tortoise.queryset import ValuesQuery

from models.tables import Enterprise, Mandate
from resolvers.context import UseCase
from resolvers.ids import parse_id
from resolvers.mandate_pages import mandate_columns, party_names
from resolvers.templates import read_rows
from resolvers.visibility import NO_NUMBER, VISIBLE, mandates_of


async def find_row(uc: UseCase, global_id: str) -> tuple[str, Model] | None:
    """The type name and row of a global ID; None when malformed, forged, unknown or not visible to the actor."""
    parsed = parse_id(global_id, VISIBLE)
    if parsed is None:
        return None
    kind, key = parsed
    if kind == "Mandate":
        row = await _mandate(uc, key)
    else:
        row = await (await VISIBLE[kind](uc.actor)).get_or_none(id=key)
    return (kind, row) if row else None


async def _mandate(uc: UseCase, key: int) -> Mandate | None:
    """A visible mandate with its two parties, in one statement built once (resolvers.templates): what a
    mandate's page shows with it, which Tortoise would build and send as two statements (issue 11). The
    parties are set as Tortoise's `select_related` sets them, whose building costs more than the join saves."""
    if uc.actor.is_officer:
        rows = await read_rows(_any_mandate, key=key)
    else:
        rows = await read_rows(_own_mandate, key=key, number=uc.actor.enterprise_number or NO_NUMBER)
    if not rows:
        return None
    columns, parties = _columns()
    mandate = Mandate._init_from_db(**{column: rows[0][column] for column in columns})
    for party, aliases in parties.items():
        related = Enterprise._init_from_db(**{column: rows[0][alias] for column, alias in aliases.items()})
        object.__setattr__(mandate, f"_{party}", related)
    return mandate


def _any_mandate(key: int) -> ValuesQuery[Any]:
    return Mandate.filter(id=key).values(**_selected())


def _own_mandate(key: int, number: str) -> ValuesQuery[Any]:
    return mandates_of(number).filter(id=key).values(**_selected())


def _columns() -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    """The mandate's columns, and each party's columns by the alias the statement gives them: the names a
    search page's rows use (resolvers.mandate_pages)."""
    return tuple(mandate_columns()), {party: dict(names) for party, names in party_names()}


def _selected() -> dict[str, str]:
    """Each column's alias in the statement and the field it reads (`values(alias=field)`)."""
    fields = {column: field for field, column in Mandate._meta.fields_db_projection.items()}
    related = {column: field for field, column in Enterprise._meta.fields_db_projection.items()}
    mandate, parties = _columns()
    selected = {column: fields[column] for column in mandate}
    for party, aliases in parties.items():
        selected.update({alias: f"{party}__{related[column]}" for column, alias in aliases.items()})
    return selected
