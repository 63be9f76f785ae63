"""The statements of the mandate search: pages by keyset, bounded counts, the export's batches (R-SRCH-1..8).

Every statement reads the viewer's visible set as a UNION of its two sides (the mandates where its
enterprise is the principal, and where it is the mandatary, R-SRCH-1); officers read the table as one
side. Each side is ordered and limited on its own, so that it walks an index of the side in the page's
order (principal_id/mandatary_id with created_at, (series, number), the other party), and only the two
small sides are merged. An OR of the two sides would lead the planners to sort the viewer's whole set.

Pages are keyset pages: a cursor seals the sort values of its row (resolvers.ids.seal_cursor), and the
next page is the rows strictly after them, written as a row-value comparison `(k1, k2, id) > (...)` that
both databases turn into an index range. Every order ends on the mandate's id, so rows are never equal:
rows created between two pages shift nothing, none is repeated or skipped.

The group criterion is an EXISTS on the (mandate, group) unique index; the statuses as of today are
resolvers.statuses' conditions, rendered by Tortoise into this module's statements. The criteria's values
are written into the text and only a cursor's sort values are parameters (_Statement says why).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Parameterizer, ValueWrapper
from tortoise.expressions import Q

from models.errors import ErrorCode, RuleViolation
from models.status import MandateStatus
from models.tables import Enterprise, Mandate
from resolvers.access import Actor
from resolvers.ids import open_cursor, seal_cursor
from resolvers.search import Criteria, OrderField
from resolvers.statuses import any_status, ended_condition, lapsed_condition
from resolvers.visibility import own_enterprise_id

CREATED_AT = Mandate._meta.fields_map["created_at"]
OPEN_END = 2**31 - 1  # an open-ended mandate's end sorts after every quarter (R-SRCH-8)
SHOWN_STATUS = "shown_status"
PARTIES = ("principal", "mandatary")

# The sort keys of each order, most significant first; the mandate's id ends each, so no two rows tie.
# Names sort by their stored key (models.sort_keys); equal names by party, then creation (id).
KEYS: dict[OrderField, tuple[str, ...]] = {
    OrderField.CREATED_AT: ("mandate.created_at", "mandate.id"),
    OrderField.REFERENCE: ("mandate.series", "mandate.number", "mandate.id"),
    OrderField.PRINCIPAL_NAME: ("principal.name_key", "mandate.principal_id", "mandate.id"),
    OrderField.MANDATARY_NAME: ("mandatary.name_key", "mandate.mandatary_id", "mandate.id"),
    OrderField.STATUS: (SHOWN_STATUS, "mandate.id"),
    OrderField.START_QUARTER: ("mandate.start_quarter", "mandate.id"),
    OrderField.END_QUARTER: (f"COALESCE(mandate.end_quarter, {OPEN_END})", "mandate.id"),
}
JOINS = {
    "principal.": "JOIN enterprise AS principal ON principal.id = mandate.principal_id",
    "mandatary.": "JOIN enterprise AS mandatary ON mandatary.id = mandate.mandatary_id",
}
# What the export writes of each mandate, besides its sort keys.
EXPORT_COLUMNS = {
    "reference": "mandate.reference",
    "principal_number": "principal.enterprise_number",
    "principal_name": "principal.name",
    "mandatary_number": "mandatary.enterprise_number",
    "mandatary_name": "mandatary.name",
    "branch_id": "mandate.branch_id",
    "status": SHOWN_STATUS,
    "created_at": "mandate.created_at",
}


@dataclass(frozen=True)
class Order:
    field: OrderField = OrderField.CREATED_AT
    descending: bool = True


@dataclass(frozen=True)
class Sides:
    """Whose mandates a viewer sees (R-SRCH-1): its enterprise's as principal and as mandatary, each
    side read on its own; officers one unrestricted side. Looked up once per search, for its page and count."""

    parties: tuple[str | None, ...]
    own: int  # the viewer's enterprise (NOBODY when none); 0 for officers, unused


@dataclass(frozen=True)
class Page:
    mandates: list[Mandate]  # the page's mandates, in order, read by the page's statement
    parties: dict[int, Enterprise]  # their principals and mandataries by id, when asked: read by the same statement
    cursors: list[str]  # each one's cursor
    has_next: bool
    has_previous: bool


@dataclass(frozen=True)
class Count:
    count: int  # exact up to the bound, the bound beyond
    is_lower_bound: bool  # more mandates match than `count`


class _Statement:
    """One statement's text and parameters, built in text order so that PostgreSQL's $n follow it.

    Only a cursor's sort values (and SQLite's limits, see `limit`) are parameters. The criteria, today's date
    and quarter are written into the text (ints, dates, the statuses' and the catalogue's codes, quoted by
    pypika): PostgreSQL then plans each statement for its own values once per connection and keeps that plan.
    With parameters it either planned every execution (1.2 ms for the busiest mandatary's filtered count,
    1.8 ms for its page, at 1M mandates) or, once a generic plan looked cheaper, kept a plan made for no value
    in particular (that count: a hash of the mandatary's 119 766 ACTIVE mandates, 190 ms against 3 ms)."""

    def __init__(self, criteria: Criteria, today: dt.date):
        self.parameters = Parameterizer()
        context: SqlContext = Mandate._meta.db.query_class.SQL_CONTEXT.copy(with_namespace=True)
        self.context, self.literals = context.copy(parameterizer=self.parameters), context
        self.criteria, self.today = criteria, today
        self.postgres = Mandate._meta.db.capabilities.dialect == "postgres"

    def value(self, value: Any) -> str:
        return str(self.parameters.create_param(value).get_sql(self.context))

    def limit(self, n: int) -> str:
        """A LIMIT: written into the text on PostgreSQL, whose generic plan would assume a tenth of the rows; a
        parameter on SQLite, which given a small constant sorts a status's whole index range (all 119 766 ACTIVE
        mandates of the busiest mandatary: 440 ms) rather than walk the side's index in the page's order."""
        return str(int(n)) if self.postgres else self.value(n)

    def literal(self, value: int | str) -> str:
        """`value` written into the text: an int, or one of our own codes, quoted."""
        return ValueWrapper.get_formatted_value(int(value) if isinstance(value, int) else str(value), self.literals)

    def condition(self, q: Q) -> str:
        """A filter on mandates written by Tortoise (the statuses' rules stay in resolvers.statuses), its
        values in the text."""
        query = Mandate.filter(q)
        query._choose_db_if_not_chosen()
        query._make_query()
        where = query.query._wheres
        if where is None:  # a Q always filters: Tortoise writes it as the query's WHERE
            raise ValueError(f"{q!r} filters nothing")
        return f"({where.get_sql(self.literals)})"

    def shown_status(self) -> str:
        """The status as of today, as shown: lapsed reads CANCELLED, ended reads CLOSED (resolvers.statuses)."""
        lapsed = self.condition(lapsed_condition(self.today))
        cancelled = self.literal(MandateStatus.CANCELLED.value)
        ended = self.condition(ended_condition(self.today))
        closed = self.literal(MandateStatus.CLOSED.value)
        return f"CASE WHEN {lapsed} THEN {cancelled} WHEN {ended} THEN {closed} ELSE mandate.status END"

    def expression(self, column: str) -> str:
        return self.shown_status() if column == SHOWN_STATUS else column

    def side(
        self,
        party: str | None,
        own: int,
        columns: dict[str, str],
        keys: Sequence[str],
        descending: bool,
        bounds: Sequence[tuple[str, Sequence[Any]]],
        limit: int,
    ) -> str:
        """One side's rows: `columns` (alias: expression) of the matching mandates past `bounds`, in order."""
        selected = ", ".join(f"{self.expression(expression)} AS {alias}" for alias, expression in columns.items())
        text = " ".join((*columns.values(), *keys))
        joins = " ".join(join for prefix, join in JOINS.items() if prefix in text)
        where = [_own(party, own)] if party else []
        where += self.filters()
        for operator, values in bounds:
            left = ", ".join(self.expression(key) for key in keys)
            right = ", ".join(self.value(v) for v in values)
            where.append(f"({left}) {operator} ({right})")
        direction = " DESC" if descending else ""
        order = ", ".join(self.expression(key) + direction for key in keys)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return f"SELECT {selected} FROM mandate {joins}{clause} ORDER BY {order} LIMIT {self.limit(limit)}"

    def filters(self) -> list[str]:
        c = self.criteria
        where = []
        if c.principal_id is not None:
            where.append(f"mandate.principal_id = {self.literal(c.principal_id)}")
        if c.mandatary_id is not None:
            where.append(f"mandate.mandatary_id = {self.literal(c.mandatary_id)}")
        if c.groups or c.period is not None:
            group = ["mandate_group.mandate_id = mandate.id"]
            if c.groups:
                group.append(f"mandate_group.group_code IN ({', '.join(self.literal(g) for g in c.groups)})")
            if c.period is not None:
                period = self.literal(c.period)
                group.append(
                    f"mandate_group.start_quarter <= {period}"
                    f" AND (mandate_group.end_quarter IS NULL OR mandate_group.end_quarter >= {period})"
                )
            where.append(f"EXISTS (SELECT 1 FROM mandate_group WHERE {' AND '.join(group)})")
        if c.statuses:
            where.append(self.condition(any_status(list(c.statuses), self.today)))
        return where


def _own(party: str, enterprise_id: int) -> str:
    """The side's condition, its enterprise id written into the text (an int from our own look-up): a
    parameter would let PostgreSQL reuse a generic plan made for an average party after five executions,
    which reads the busiest party's whole index range (its count: 7.3 ms against 4.0 at 1M)."""
    return f"mandate.{party}_id = {int(enterprise_id)}"


async def sides(viewer: Actor) -> Sides:
    """The viewer's sides: principal and mandatary of its enterprise; one unrestricted side for officers."""
    if viewer.is_officer:
        return Sides((None,), 0)
    return Sides(PARTIES, await own_enterprise_id(viewer))


@dataclass(frozen=True)
class _Slot:
    """Stands for one of a request's values in a statement built once: the value at `index` of its `Values`.
    It can only become a parameter: written into a text (or given to Tortoise) it fails the build."""

    index: int

    def __str__(self) -> str:
        raise TypeError("a request's value is a parameter of the statement, never part of its text")


class Values:
    """A request's values, in the order they were given stand-ins (`slot`)."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def slot(self, value: Any) -> Any:
        self.values.append(value)
        return _Slot(len(self.values) - 1)


@dataclass(frozen=True)
class Template:
    """A statement's text and parameters, built with stand-ins for a cursor's sort values (its only parameters
    besides SQLite's limits); the criteria, today and the limit are written into the text (`_Statement`), so
    they are part of the cache's key."""

    sql: str
    parameters: tuple[Any, ...]

    def bind(self, values: Values) -> tuple[str, list[Any]]:
        given = values.values
        return self.sql, [given[p.index] if type(p) is _Slot else p for p in self.parameters]


# Built once per dialect, viewer's sides (the enterprise id is in the text), criteria, today, and shape of the
# request: writing a statement (the statuses' conditions through Tortoise) cost a search more CPU than its rows.
# A viewer paging through one search reuses its statements; the cursors' values are bound at each page.
@functools.lru_cache(maxsize=2048)
def _rows_template(
    dialect: str,
    sides: Sides,
    criteria: Criteria,
    today: dt.date,
    order: Order,
    columns: tuple[tuple[str, str], ...],
    bounds: tuple[tuple[str, tuple[Any, ...]], ...],
    descending: bool,
    limit: int,
    parties: bool,
) -> Template:
    sql, parameters = rows_statement(sides, criteria, today, order, dict(columns), bounds, descending, limit, parties)
    return Template(sql, tuple(parameters))


@functools.lru_cache(maxsize=2048)
def _count_template(dialect: str, sides: Sides, criteria: Criteria, today: dt.date, bound: int) -> Template:
    sql, parameters = count_statement(sides, criteria, today, bound)
    return Template(sql, tuple(parameters))


def _dialect() -> str:
    return str(Mandate._meta.db.capabilities.dialect)


def cached_rows_statement(
    sides: Sides,
    criteria: Criteria,
    today: dt.date,
    order: Order,
    columns: dict[str, str],
    bounds: Sequence[tuple[str, Sequence[Any]]],
    descending: bool,
    limit: int,
    parties: bool = False,
) -> tuple[str, list[Any]]:
    """`rows_statement`'s text and parameters, the text built once per request's criteria (`_rows_template`)."""
    values = Values()
    slotted = tuple((operator, tuple(values.slot(v) for v in given)) for operator, given in bounds)
    template = _rows_template(
        _dialect(), sides, criteria, today, order, tuple(columns.items()), slotted, descending, limit, parties
    )
    return template.bind(values)


def cached_count_statement(sides: Sides, criteria: Criteria, today: dt.date, bound: int) -> tuple[str, list[Any]]:
    """`count_statement`'s text and parameters (none but SQLite's limits), built once per request's criteria."""
    return _count_template(_dialect(), sides, criteria, today, bound).bind(Values())


async def _rows(
    sides: Sides,
    criteria: Criteria,
    today: dt.date,
    order: Order,
    columns: dict[str, str],
    bounds: Sequence[tuple[str, Sequence[Any]]],
    descending: bool,
    limit: int,
    parties: bool = False,
) -> list[dict[str, Any]]:
    sql, parameters = cached_rows_statement(sides, criteria, today, order, columns, bounds, descending, limit, parties)
    _, rows = await Mandate._meta.db.execute_query(sql, parameters)
    return [dict(row) for row in rows]


def rows_statement(
    sides: Sides,
    criteria: Criteria,
    today: dt.date,
    order: Order,
    columns: dict[str, str],
    bounds: Sequence[tuple[str, Sequence[Any]]],
    descending: bool,
    limit: int,
    parties: bool = False,
) -> tuple[str, list[Any]]:
    """The first `limit` visible, matching rows past `bounds` in the order's keys (k0, k1, ...): one
    ordered, limited read per side, merged. With `parties`, each row also holds its principal's and its
    mandatary's columns (`principal__name`, ...), joined to the merged rows only: the sides' index walks
    stay as they are, and a page needs no second round trip for its parties."""
    keys = KEYS[order.field]
    aliases = [f"k{i}" for i in range(len(keys))]
    if parties:  # the merged rows' parties, to join them on
        columns = {**columns, **{f"{p}_id": f"mandate.{p}_id" for p in PARTIES}}
    selected = {**columns, **dict(zip(aliases, keys, strict=True))}
    statement = _Statement(criteria, today)
    parts = [
        f"SELECT * FROM ({statement.side(party, sides.own, selected, keys, descending, bounds, limit)}) AS side{i}"
        for i, party in enumerate(sides.parties)
    ]
    direction = " DESC" if descending else ""
    merged = " UNION ".join(parts)
    sql = f"{merged} ORDER BY {', '.join(alias + direction for alias in aliases)} LIMIT {statement.limit(limit)}"
    if parties:
        joined = ", ".join(f"{alias} AS {name}" for name, alias in _party_columns().items())
        joins = " ".join(f"JOIN enterprise AS {p} ON {p}.id = page.{p}_id" for p in PARTIES)
        sorted_ = ", ".join(f"page.{alias}{direction}" for alias in aliases)
        sql = f"SELECT page.*, {joined} FROM ({sql}) AS page {joins} ORDER BY {sorted_}"
    return sql, statement.parameters.values


def _bound(operator: str, cursor: str, order: Order, field: str) -> tuple[str, list[Any]]:
    return operator, _values(cursor, order, field)


async def page(
    sides: Sides,
    criteria: Criteria,
    today: dt.date,
    order: Order,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    cap: int,
    parties: bool = False,
) -> Page:
    """One page, Relay style: `first` after `after`, or `last` before `before` (both bounds may be given).

    A page reads one row more than it shows, to tell whether more follow in its direction; the other
    direction's flag is whether the page started from a cursor. With `parties`, the same statement reads the
    mandates' principals and mandataries."""
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= cap:
            raise RuleViolation(ErrorCode.INVALID_INPUT, "api.pagination.range", (name,), name=name, cap=cap)
    # "after" in the order is "greater" ascending and "smaller" descending.
    forward_op, backward_op = ("<", ">") if order.descending else (">", "<")
    bounds = []
    if after:
        bounds.append(_bound(forward_op, after, order, "after"))
    if before:
        bounds.append(_bound(backward_op, before, order, "before"))
    backward = last is not None and first is None
    size = last if backward else (first if first is not None else cap)
    assert size is not None
    descending = order.descending != backward
    columns = mandate_columns()
    rows = await _rows(sides, criteria, today, order, columns, bounds, descending, size + 1, parties) if size else []
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        rows.reverse()
    cursors = [_cursor(row, order) for row in rows]
    mandates = [Mandate._init_from_db(**row) for row in rows]  # as Tortoise reads a row (the keys beside are unused)
    found = _parties(rows) if parties else {}
    if backward:
        return Page(mandates, found, cursors, has_next=before is not None, has_previous=more)
    return Page(mandates, found, cursors, has_next=more, has_previous=after is not None)


async def count(sides: Sides, criteria: Criteria, today: dt.date, bound: int) -> Count:
    """How many visible mandates match, read up to `bound` + 1 per side: never more than that many rows."""
    sql, parameters = cached_count_statement(sides, criteria, today, bound)
    _, rows = await Mandate._meta.db.execute_query(sql, parameters)
    n = int(rows[0]["n"])
    return Count(min(n, bound), n > bound)


def count_statement(sides: Sides, criteria: Criteria, today: dt.date, bound: int) -> tuple[str, list[Any]]:
    """The count's statement: each side's matching ids, at most `bound` + 1 of them, merged and counted."""
    statement = _Statement(criteria, today)
    parts = []
    for i, party in enumerate(sides.parties):
        where = [_own(party, sides.own)] if party else []
        where += statement.filters()
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        limit = statement.limit(bound + 1)
        parts.append(f"SELECT id FROM (SELECT mandate.id AS id FROM mandate{clause} LIMIT {limit}) AS side{i}")
    return f"SELECT COUNT(*) AS n FROM ({' UNION '.join(parts)}) AS visible", statement.parameters.values


async def batches(
    viewer: Actor, criteria: Criteria, today: dt.date, order: Order, size: int
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every visible, matching mandate in the order, `size` at a time, each batch resumed by keyset after
    the last row read (so that mandates created meanwhile neither repeat nor shift rows). Each row holds
    `id` and EXPORT_COLUMNS."""
    keys, visible = KEYS[order.field], await sides(viewer)
    bounds: list[tuple[str, list[Any]]] = []
    while True:
        rows = await _rows(
            visible, criteria, today, order, {"id": "mandate.id", **EXPORT_COLUMNS}, bounds, order.descending, size
        )
        if not rows:
            return
        for row in rows:  # SQLite gives the instant as text
            row["created_at"] = CREATED_AT.to_python_value(row["created_at"])
        yield rows
        if len(rows) < size:
            return
        last = rows[-1]
        bounds = [("<" if order.descending else ">", [last[f"k{i}"] for i in range(len(keys))])]


@functools.cache
def mandate_columns() -> dict[str, str]:
    """Every column of a mandate, by its name: a page reads its mandates whole in its own statement (no second
    read by id). Asked once the ORM is set up (its foreign keys' columns are known from then on)."""
    return {column: f"mandate.{column}" for column in sorted(Mandate._meta.db_fields)}


@functools.cache
def party_names() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Per party: each column of its enterprise, with the name a page's row gives it (`principal__name`)."""
    columns = sorted(Enterprise._meta.db_fields)
    return tuple((p, tuple((column, f"{p}__{column}") for column in columns)) for p in PARTIES)


@functools.cache
def _party_columns() -> dict[str, str]:
    """Every column of each party's enterprise, by the name a page's row gives it."""
    return {name: f"{p}.{column}" for p, names in party_names() for column, name in names}


def _parties(rows: list[dict[str, Any]]) -> dict[int, Enterprise]:
    """The enterprises a page's rows hold, each made once, as Tortoise reads a row."""
    found: dict[int, Enterprise] = {}
    for row in rows:
        for p, names in party_names():
            if row[f"{p}_id"] not in found:
                found[row[f"{p}_id"]] = Enterprise._init_from_db(**{column: row[name] for column, name in names})
    return found


def _cursor(row: dict[str, Any], order: Order) -> str:
    """The sealed sort values of `row`, with its order's name (a cursor of another order is refused)."""
    values = [_plain(row[f"k{i}"]) for i in range(len(KEYS[order.field]))]
    return seal_cursor(_COMPACT.encode([order.field.value, values]).encode())


_COMPACT = json.JSONEncoder(separators=(",", ":"))  # made once: json.dumps makes an encoder per call given options


def _plain(value: Any) -> Any:
    """A sort value as JSON holds it: instants as ["t", ISO text] (asyncpg gives datetimes, SQLite text)."""
    return ["t", value.isoformat()] if isinstance(value, dt.datetime) else value


def _values(cursor: str, order: Order, field: str) -> list[Any]:
    content = open_cursor(cursor)
    try:
        name, values = json.loads(content) if content is not None else (None, None)
    except ValueError:
        name, values = None, None
    if name != order.field.value or not isinstance(values, list) or len(values) != len(KEYS[order.field]):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.pagination.cursor", (field,), cursor=cursor)
    return [dt.datetime.fromisoformat(v[1]) if isinstance(v, list) else v for v in values]
