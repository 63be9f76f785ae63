"""Read statements built once through Tortoise and run with each request's values (issue 11).

Building a SELECT through Tortoise and pypika costs 0.3 to 0.5 ms of CPU, more than SQLite takes to run an
indexed read: a question asked at every request (who may act for a principal, R-COMP-7) spent most of its
time writing the same text. `read(build, **values)` builds `build`'s statement once per database dialect and
shape of the values (which keys, how long each list), with stand-ins in place of the values, and then only
puts the request's values in the stand-ins' places.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pypika_tortoise.terms import Parameterizer
from tortoise import Tortoise
from tortoise.models import Model
from tortoise.queryset import QuerySet, ValuesQuery

M = TypeVar("M", bound=Model)
Value = int | str | dt.date
Shape = tuple[tuple[str, type, int | None], ...]  # per value: its name, its type, its length if a list


@dataclass(frozen=True)
class Template:
    model: type[Model]  # whose connection runs it: the transaction's, inside one
    sql: str
    slots: tuple[tuple[str, int | None], ...]  # per parameter: the value's name and its place in its list
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]  # each column's conversion to Python, as Tortoise does

    def parameters(self, values: dict[str, Any]) -> list[Any]:
        return [values[name] if place is None else values[name][place] for name, place in self.slots]


_FAR_PAST = dt.date(1000, 1, 1)


def _stand_in(kind: type, n: int) -> Value:
    """The n-th stand-in of a value of this type: no request has it (ids and quarters are not negative, no
    day of the registry is in the year 1000)."""
    if kind is dt.date:
        return _FAR_PAST + dt.timedelta(days=n)
    return -(2**40) - n if kind is int else f"stand-in {n}"


def _shape(values: dict[str, Value | Sequence[Value]]) -> Shape:
    shape: list[tuple[str, type, int | None]] = []
    for name, value in sorted(values.items()):
        if isinstance(value, int | str | dt.date):
            shape.append((name, type(value), None))
        else:
            shape.append((name, type(value[0]) if value else str, len(value)))
    return tuple(shape)


class Constants(Parameterizer):
    """Writes `constants` (values of the code, such as statuses, never of the request) into the text, so
    that PostgreSQL plans with them (see resolvers.dashboard), and the rest as parameters."""

    def __init__(self, constants: frozenset[Value]) -> None:
        super().__init__()
        self.constants = constants

    def should_parameterize(self, value: Any) -> bool:
        return value not in self.constants and super().should_parameterize(value)


@functools.lru_cache(maxsize=1024)  # a list's length is part of the shape: a bound on the lengths kept
def template(
    build: Callable[..., QuerySet[Any] | ValuesQuery[Any]],
    dialect: str,
    shape: Shape,
    constants: frozenset[Value] = frozenset(),
) -> Template:
    """`build`'s statement for one dialect (the connected database's, whose query class writes the text: it
    only keys the cache) and shape of values; `constants`, values `build` takes from the code, are written
    into the text.

    A parameter that is no stand-in would be a value this template does not carry (one `build` took from
    elsewhere than its arguments): refused here rather than sent with another request's value."""
    arguments: dict[str, Any] = {}
    places: dict[Value, tuple[str, int | None]] = {}
    for name, kind, length in shape:
        if length is None:
            arguments[name] = _stand_in(kind, len(places))
            places[arguments[name]] = (name, None)
        else:
            arguments[name] = [_stand_in(kind, len(places) + i) for i in range(length)]
            places.update({value: (name, i) for i, value in enumerate(arguments[name])})
    query = build(**arguments)
    query._choose_db_if_not_chosen()
    query._make_query()
    writer = Constants(constants)
    sql, parameters = query.query.get_parameterized_sql(query.query.QUERY_CLS.SQL_CONTEXT.copy(parameterizer=writer))
    if strays := [parameter for parameter in parameters if parameter not in places]:
        raise RuntimeError(f"{build.__name__}'s statement has parameters of its own: {strays}")
    columns: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # objects are made by the model itself
    if isinstance(query, ValuesQuery):
        converters = [
            (alias, query.resolve_to_python_value(query.model, f)) for alias, f in query._fields_for_select.items()
        ]
        # as ValuesQuery does: plain functions are its identity (a column as the driver gives it)
        columns = tuple(
            (alias, to_python) for alias, to_python in converters if not isinstance(to_python, types.LambdaType)
        )
    return Template(query.model, sql, tuple(places[parameter] for parameter in parameters), columns)


async def read(
    build: Callable[..., ValuesQuery[Any]],
    constants: frozenset[Value] = frozenset(),
    **values: Value | Sequence[Value],
) -> list[dict[str, Any]]:
    """The rows of `build(**values)` as `await build(**values)` gives them (`values(...)` dicts), its
    statement built once (`template`). `build` takes only these values (ints, strings or lists of them)
    and `constants`."""
    built = template_of(build, constants, values)
    rows = await built.model._meta.db.execute_query_dict(built.sql, built.parameters(values))
    for row in rows:
        for column, to_python in built.columns:
            row[column] = to_python(row[column])
    return rows


async def read_objects(
    build: Callable[..., QuerySet[M]], constants: frozenset[Value] = frozenset(), **values: Value | Sequence[Value]
) -> list[M]:
    """The model objects of `build(**values)`, as awaiting it gives them (without `select_related` nor
    `prefetch_related`, which `build` must not use), its statement built once (`template`)."""
    model = cast(type[M], template_of(build, constants, values).model)
    return [model._init_from_db(**row) for row in await read_rows(build, constants, **values)]


async def read_rows(
    build: Callable[..., QuerySet[Any] | ValuesQuery[Any]],
    constants: frozenset[Value] = frozenset(),
    **values: Value | Sequence[Value],
) -> list[Any]:
    """The rows of `build(**values)` as the driver gives them, for `_init_from_db` (e.g. of several models
    whose columns a `values(...)` statement joined), its statement built once (`template`)."""
    built = template_of(build, constants, values)
    _, rows = await built.model._meta.db.execute_query(built.sql, built.parameters(values))
    return list(rows)


def template_of(
    build: Callable[..., QuerySet[Any] | ValuesQuery[Any]],
    constants: frozenset[Value],
    values: dict[str, Value | Sequence[Value]],
) -> Template:
    """`build`'s template for the connected database and the shape of these values."""
    return template(build, Tortoise.get_connection("default").capabilities.dialect, _shape(values), constants)
