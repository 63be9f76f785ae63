"""DataLoaders: one query per kind of row per request, whatever the number of mandates shown (no N+1)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from functools import cached_property
from typing import TypeVar

from strawberry.dataloader import DataLoader

from models.tables import (
    AUTHORISATION_FACTS,
    Authorisation,
    Branch,
    Delegation,
    Delivery,
    Enterprise,
    FunctionCode,
    LegalForm,
    Mandate,
    MandateEvent,
    MandateGroup,
    MatrixEntry,
    Representative,
    Signature,
)
from resolvers.templates import read_objects


async def _by_key(model, keys):
    # A text key's stand-in may not fit its column (a legal form's code): only integer keys' statements are
    # built once (resolvers.templates).
    built = model._meta.pk.field_type is int
    rows = {
        row.pk: row for row in await (read_objects(_in(model, "pk"), keys=keys) if built else model.filter(pk__in=keys))
    }
    return [rows.get(key) for key in keys]


def _grouped(model, column: str, order: tuple[str, ...] = ("id",), only: tuple[str, ...] = ()):
    build = _in(model, column, order, only)

    async def load(keys):
        grouped = defaultdict(list)
        for row in await read_objects(build, keys=keys):
            grouped[getattr(row, column)].append(row)
        return [grouped[key] for key in keys]

    return load


@functools.cache
def _in(model, column: str, order: tuple[str, ...] = (), only: tuple[str, ...] = ()):
    """The rows of `model` whose `column` is one of `keys`, in `order`: one build per kind of rows, so that its
    statement is written once per number of keys (resolvers.templates), not at every request."""

    def build(keys):
        query = model.filter(**{f"{column}__in": keys})
        query = query.order_by(*order) if order else query
        return query.only(*only) if only else query

    return build


async def _allowed_functions(legal_forms):
    grouped = defaultdict(set)
    for form, code in await MatrixEntry.filter(legal_form_id__in=legal_forms).values_list(
        "legal_form_id", "function_code_id"
    ):
        grouped[form].add(code)
    return [grouped[form] for form in legal_forms]


async def _deliveries(notification_ids):
    """A notification's delivery (one row each)."""
    rows = {row.notification_id: row for row in await Delivery.filter(notification_id__in=notification_ids)}
    return [rows.get(key) for key in notification_ids]


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


def loaded(loader: DataLoader[K, V], key: K, make: Callable[[V], T]) -> T | Awaitable[T]:
    """`make` of `key`'s row: at once when the loader holds it already (schema.prefetch loaded a whole
    page), else once loaded. A resolver returning the value at once costs graphql-core no task."""
    future = loader.cache_map.get(key)
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return make(future.result())
    return _later(loader.load(key), make)


async def _later(value: Awaitable[V], make: Callable[[V], T]) -> T:
    return make(await value)


class Loaders:
    """The loaders of one request, each made when first used: a request uses a few of them, and making
    one costs more than answering `{ __typename }`."""

    @cached_property
    def enterprise(self) -> DataLoader:
        return DataLoader(lambda keys: _by_key(Enterprise, keys))

    @cached_property
    def branch(self) -> DataLoader:
        return DataLoader(lambda keys: _by_key(Branch, keys))

    @cached_property
    def delivery(self) -> DataLoader:
        return DataLoader(_deliveries)

    @cached_property
    def mandate(self) -> DataLoader:
        return DataLoader(lambda keys: _by_key(Mandate, keys))

    @cached_property
    def legal_form(self) -> DataLoader:
        return DataLoader(lambda keys: _by_key(LegalForm, keys))

    @cached_property
    def groups(self) -> DataLoader:
        return DataLoader(_grouped(MandateGroup, "mandate_id"))

    @cached_property
    def signatures(self) -> DataLoader:
        return DataLoader(_grouped(Signature, "mandate_id", ("signed_at", "id")))

    @cached_property
    def events(self) -> DataLoader:
        return DataLoader(_grouped(MandateEvent, "mandate_id", ("at", "id")))

    @cached_property
    def authorisations(self) -> DataLoader:
        return DataLoader(_grouped(Authorisation, "mandate_id", ("issued_at", "id"), AUTHORISATION_FACTS))

    @cached_property
    def delegation(self) -> DataLoader:
        return DataLoader(lambda keys: _by_key(Delegation, keys))

    @cached_property
    def delegations(self) -> DataLoader:
        return DataLoader(_grouped(Delegation, "mandate_id"))

    @cached_property
    def branches(self) -> DataLoader:
        return DataLoader(_grouped(Branch, "enterprise_id", ("code",)))

    @cached_property
    def representatives(self) -> DataLoader:
        return DataLoader(_grouped(Representative, "enterprise_id", ("name",)))

    @cached_property
    def allowed_functions(self) -> DataLoader:
        return DataLoader(_allowed_functions)

    @cached_property
    def function_code(self) -> DataLoader:
        return DataLoader(lambda keys: _by_key(FunctionCode, keys))
