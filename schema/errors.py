"""What a client sees of errors: typed codes, never a stack trace or a database message.

Top-level errors carry `extensions.code`: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT (malformed
request, bad scalar value) or a rule's `ErrorCode`; a database fault is DATABASE_BUSY or
SERVICE_UNAVAILABLE (config/faults.py; HTTP 503, set by config/asgi.py); anything unexpected is
masked as INTERNAL_SERVER_ERROR and logged. RATE_LIMITED (with retryAfter, in seconds) for a viewer over an
abuse limit (resolvers/limits.py). Business-rule refusals in mutations are `userErrors` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import MaskErrors
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from config.faults import database_fault
from config.messages import DEFAULT_LANGUAGE, catalogue, render, text
from models.errors import RuleViolation
from resolvers.access import Forbidden
from resolvers.limits import RATE_LIMITED, RateLimited

log = logging.getLogger("mandates.errors")


class Unauthenticated(Exception):
    """No valid bearer token (R-USR-1); `reason` says what is wrong with the token sent, for integrators."""

    def __init__(self, reason: str | None = None):
        super().__init__(reason or "no bearer token")
        self.reason = reason


def unauthenticated(language: str, reason: str | None) -> tuple[str, dict[str, object]]:
    """The message and the extensions of an UNAUTHENTICATED error: the person reads that they must sign
    in (again); an integrator reads the token's problem in `extensions.reason`."""
    if reason:
        return text(language, "api.token_invalid"), {"code": "UNAUTHENTICATED", "reason": reason}
    return text(language, "api.unauthenticated"), {"code": "UNAUTHENTICATED"}


class ErrorPolicy(MaskErrors):
    def on_operation(self) -> Iterator[None]:
        # A parse failure (syntax error, too many tokens) is raised by ParserCache's `on_parse` and
        # escapes the operation, so the result-masking below never sees it: type it on its way out.
        # A request the transport must refuse (a mutation over GET, no query, an unknown operation
        # name) goes on to the view, which answers it with a 400 (config/asgi.py).
        try:
            yield from super().on_operation()
        except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError):
            raise
        except GraphQLError as error:
            raise self._typed(error) from None
        except Exception as error:  # noqa: BLE001 (anything else is masked as INTERNAL_SERVER_ERROR)
            raise self._typed(GraphQLError(str(error), original_error=error)) from None

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._typed(error) for error in errors]

    def _language(self) -> str:
        context = self.execution_context.context
        return getattr(context, "language", DEFAULT_LANGUAGE)

    def _typed(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        while isinstance(original, GraphQLError) and original.original_error is not None:
            original = original.original_error
        extensions = dict(error.extensions or {})
        message = error.message
        if "code" in extensions:
            # set by a permission class (schema/permissions.py), whose message is a key of the catalogue
            if message in catalogue(DEFAULT_LANGUAGE):
                message = text(self._language(), message)
        elif isinstance(original, Unauthenticated):
            message, found = unauthenticated(self._language(), original.reason)
            extensions.update(found)
        elif isinstance(original, Forbidden):
            extensions["code"] = "FORBIDDEN"
            message = render(self._language(), original)
        elif isinstance(original, RateLimited):
            extensions["code"], extensions["retryAfter"] = RATE_LIMITED, original.retry_after
            message = text(self._language(), "api.rate_limited", seconds=original.retry_after)
        elif isinstance(original, RuleViolation):
            extensions["code"] = original.code.value
            message = render(self._language(), original)
            if original.field:
                extensions["field"] = list(original.field)
            if original.rules:
                extensions["rules"] = list(original.rules)
        elif original is None or isinstance(original, GraphQLError):
            extensions["code"] = "BAD_USER_INPUT"
        elif fault := database_fault(original):
            log.warning("database fault %s: %s", fault.code, type(original).__name__)
            extensions["code"] = fault.code
            message = fault.message
        else:
            log.error("unexpected error", exc_info=original)
            extensions["code"] = "INTERNAL_SERVER_ERROR"
            message = self.error_message
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
