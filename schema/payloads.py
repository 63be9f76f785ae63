"""Running a use case for a mutation: a broken rule becomes a `userError`, never an exception."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from models.errors import RuleViolation
from schema.types import Mandate, MandatePayload, UserError

T = TypeVar("T")


def user_error(violation: RuleViolation) -> UserError:
    """The refusal as a `userError`; its message is written when read, in the request's language."""
    return UserError(
        field=list(violation.field) if violation.field else None,
        code=violation.code,
        rules=list(violation.rules),
        violation=violation,
    )


def mandate_payload(row, errors: list[UserError]) -> MandatePayload:
    """The outcome of a mutation on a mandate: the mandate after it, or the rule it broke."""
    return MandatePayload(mandate=Mandate.of(row) if row else None, user_errors=errors)


async def attempt(action: Callable[[], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """The use case's result and no errors, or nothing and the rule it broke (its transaction rolled back)."""
    try:
        return await action(), []
    except RuleViolation as violation:
        return None, [user_error(violation)]
