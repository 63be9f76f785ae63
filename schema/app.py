"""The schema: types, operations, and the extensions that guard it (depth, size, error masking, caches)."""

from __future__ import annotations

from functools import cache

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, ParserCache, QueryDepthLimiter, ValidationCache

from strawberry.tools import merge_types

from schema import types
from schema.closure import ClosureMutations
from schema.delegation import DelegationMutations, DelegationQueries
from schema.employer import EmployerMutations
from schema.errors import ErrorPolicy
from schema.identification import IdentificationMutations, IdentificationQueries
from schema.mutations import MandateMutations
from schema.queries import MandateQueries
from schema.registry import RegistryQueries
from schema.scalars import SCALARS

# One class of fields per area of the guidelines, merged into the root types.
Query = merge_types("Query", (MandateQueries, DelegationQueries, IdentificationQueries, RegistryQueries))
Mutation = merge_types("Mutation", (MandateMutations, ClosureMutations, EmployerMutations, DelegationMutations, IdentificationMutations))
# merge_types takes no description: it is set on the merged types' definitions before the schema is built.
Query.__strawberry_definition__.description = "What a viewer may read: mandates, enterprises, reference data, requests; most fields need a bearer token."
Mutation.__strawberry_definition__.description = (
    "Every change: one `input:` argument each; a broken rule comes back in `userErrors` and nothing is written (API.md)."
)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Strawberry would log every error with its traceback and the query; here a refusal is the
        request's one access line (config.requests) and ErrorPolicy logs what is unexpected."""


@cache
def build_schema(max_depth: int = 12, max_tokens: int = 2000, max_aliases: int = 30, observers: tuple = ()) -> strawberry.Schema:
    """`observers`: extensions that see each operation's outcome once ErrorPolicy has typed its errors
    (config.metrics).

    Built once per process for given limits: a schema holds no per-app state (its extensions are made
    per operation), and converting the types costs ~15 ms that every `create_app` paid."""
    return Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(scalar_map=SCALARS),
        types=[types.Mandate, types.Enterprise, types.Branch, types.Delegation, types.Notification, types.Authorisation],
        extensions=[
            *observers,
            ErrorPolicy,
            lambda: QueryDepthLimiter(max_depth=max_depth),
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
            ParserCache,
            ValidationCache,
        ],
    )


schema = build_schema()


@cache
def sdl() -> str:
    """The schema's SDL: what `mandates export-schema` writes and GET /schema.graphql serves."""
    return schema.as_str() + "\n"
