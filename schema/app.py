"""The schema: types, operations, and the extensions that guard it (query cost, error masking, caches)."""

from __future__ import annotations

from functools import cache

import strawberry
from strawberry.extensions import DisableIntrospection, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition

from config.settings import Settings
from schema import types
from schema.closure import ClosureMutations
from schema.dead_letters import DeadLetterMutations, DeadLetterQueries
from schema.delegation import DelegationMutations, DelegationQueries
from schema.employer import EmployerMutations
from schema.employer_identification import EmployerIdentificationMutations, EmployerIdentificationQueries
from schema.errors import ErrorPolicy
from schema.feed import FeedMutations, FeedQueries
from schema.foreign_entities import ForeignEntityMutations
from schema.guards import QueryGuard, QueryLimits
from schema.mutations import MandateMutations
from schema.provider_registration import ProviderRegistrationMutations, ProviderRegistrationQueries
from schema.queries import MandateQueries
from schema.registry import RegistryQueries
from schema.scalars import SCALARS

# One class of fields per area of the guidelines, merged into the root types.
Query = merge_types(
    "Query",
    (
        MandateQueries,
        DelegationQueries,
        ProviderRegistrationQueries,
        EmployerIdentificationQueries,
        RegistryQueries,
        FeedQueries,
        DeadLetterQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        MandateMutations,
        ClosureMutations,
        EmployerMutations,
        DelegationMutations,
        ProviderRegistrationMutations,
        EmployerIdentificationMutations,
        ForeignEntityMutations,
        FeedMutations,
        DeadLetterMutations,
    ),
)
# merge_types takes no description: it is set on the merged types' definitions before the schema is built.
get_object_definition(
    Query, strict=True
).description = (
    "What a viewer may read: mandates, enterprises, reference data, requests; most fields need a bearer token."
)
get_object_definition(Mutation, strict=True).description = (
    "Every change: one `input:` argument each; a broken rule comes back in `userErrors` and nothing is written "
    "(API.md)."
)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Strawberry would log every error with its traceback and the query; here a refusal is the
        request's one access line (config.requests) and ErrorPolicy logs what is unexpected."""


def query_limits(settings: Settings) -> tuple[QueryLimits, QueryLimits]:
    """The limits of a request without a valid token, then with one (MANDATES_ANONYMOUS_MAX_* and MANDATES_MAX_*)."""
    anonymous = QueryLimits(
        depth=settings.anonymous_max_query_depth,
        aliases=settings.anonymous_max_aliases,
        fields=settings.anonymous_max_query_fields,
        spreads=settings.anonymous_max_fragment_spreads,
        tokens=settings.anonymous_max_query_tokens,
        bytes=settings.anonymous_max_query_bytes,
        milliseconds=settings.query_guard_milliseconds,
    )
    authenticated = QueryLimits(
        depth=settings.max_query_depth,
        aliases=settings.max_aliases,
        fields=settings.max_query_fields,
        spreads=settings.max_fragment_spreads,
        tokens=settings.max_query_tokens,
        bytes=settings.max_query_bytes,
        milliseconds=settings.query_guard_milliseconds,
    )
    return anonymous, authenticated


def build_schema(settings: Settings, observers: tuple = ()) -> strawberry.Schema:
    """`observers`: extensions that see each operation's outcome once ErrorPolicy has typed its errors
    (config.metrics). The schema of these settings, built once per process (`_schema`).

    The QueryGuard comes before ParserCache and ValidationCache: a document too large is refused
    before it is parsed, one too costly before it is validated. The validation rules are the same
    for every request (the guard is no validation rule), so ValidationCache hits for a repeated
    query; DisableIntrospection adds the same rule class each time and keeps it so."""
    anonymous, authenticated = query_limits(settings)
    return _schema(anonymous, authenticated, settings.introspection_on, observers)


@cache
def _schema(
    anonymous: QueryLimits, authenticated: QueryLimits, introspection_on: bool, observers: tuple
) -> strawberry.Schema:
    """Built once per process for given limits: a schema holds no per-app state (its extensions are made
    per operation), and converting the types costs ~15 ms that every `create_app` paid."""
    return Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map=SCALARS),
        types=[
            types.Mandate,
            types.Enterprise,
            types.Branch,
            types.Delegation,
            types.Notification,
            types.Authorisation,
        ],
        extensions=[
            *observers,
            ErrorPolicy,
            lambda: QueryGuard(anonymous, authenticated),
            ParserCache,
            *([] if introspection_on else [DisableIntrospection]),
            ValidationCache,
        ],
    )


schema = build_schema(Settings())


@cache
def sdl() -> str:
    """The schema's SDL: what `mandates export-schema` writes and GET /schema.graphql serves."""
    return schema.as_str() + "\n"
