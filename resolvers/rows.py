"""Rows written many at a time: one INSERT of all of them, their ids read back in the same statement (issue 11).

Tortoise writes one statement per `create()`/`save()`, `bulk_create` gives no ids back, and each model object
costs its validation: a mandate's creation writes its event, its feed event, a notification per party and each
one's delivery. `insert(model, rows)` takes plain rows (field name to value; a missing field takes its
default), sends one `INSERT ... VALUES (...), (...) RETURNING id` whose text is made once per table, dialect
and number of rows, and gives the rows' ids. Both PostgreSQL and SQLite (3.35+) number the rows of one INSERT
in the order of its VALUES, so the ids read back, in ascending order, are the rows' in theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from tortoise.fields.base import Field
from tortoise.models import Model

M = TypeVar("M", bound=Model)


@functools.lru_cache(maxsize=256)
def _statement(model: type[Model], dialect: str, count: int) -> tuple[str, tuple[tuple[str, Field[Any], Any], ...]]:
    """The INSERT of `count` rows of `model`, and per value of a row: its field's name, the field, its default."""
    meta = model._meta
    names = [name for name in meta.fields_db_projection if not (name == meta.pk_attr and meta.pk.generated)]
    columns = ",".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    numbered = dialect == "postgres"
    rows = []
    for row in range(count):
        places = (f"${row * len(names) + i + 1}" if numbered else "?" for i in range(len(names)))
        rows.append(f"({','.join(places)})")
    sql = f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {",".join(rows)} RETURNING "{meta.db_pk_column}"'
    return sql, tuple((name, meta.fields_map[name], meta.fields_map[name].default) for name in names)


def _value(row: dict[str, Any], name: str, field: Field[Any], default: Any) -> Any:
    """The value to write, as a model object would hold it (Tortoise converts what it is given, e.g. a time
    to UTC, which SQLite stores as text and compares as such)."""
    if name in row:
        return field.to_python_value(row[name])
    return default() if callable(default) else default


async def insert(model: type[Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Write `rows` of `model` in one statement; their ids, in their order."""
    if not rows:
        return []
    db: Any = model._meta.db
    sql, fields = _statement(model, db.capabilities.dialect, len(rows))
    values = [
        field.to_db_value(_value(row, name, field, default), model) for row in rows for name, field, default in fields
    ]
    answered = await db.execute_query_dict(sql, values)
    return sorted(found[model._meta.db_pk_column] for found in answered)


async def insert_objects(objects: Sequence[M]) -> None:
    """Write new model objects (of one model) in one statement and set their ids, for callers that go on
    with the objects (one or more)."""
    model = type(objects[0])
    names = [name for name in model._meta.fields_db_projection if name != model._meta.pk_attr]
    ids = await insert(model, [{name: getattr(item, name) for name in names} for item in objects])
    for item, key in zip(objects, ids, strict=True):
        item.pk = key
        item._saved_in_db = True
