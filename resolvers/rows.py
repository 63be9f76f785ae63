"""Rows written many at a time: one INSERT of all of them, their ids read back in the same statement (issue 11).

Tortoise writes one statement per `create()`/`save()` and `bulk_create` gives no ids back, while a mandate's
creation writes its event, its feed event, a notification per party and each one's delivery: a round trip
each, and the ORM's CPU to make each statement. `insert(objects)` sends one `INSERT ... VALUES (...), (...)
RETURNING id` whose text is made once per table, dialect and number of rows, and sets each object's id.
Both PostgreSQL and SQLite (3.35+) number the rows of one INSERT in the order of its VALUES, so the ids
read back, in ascending order, are the objects' in theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


@functools.lru_cache(maxsize=256)
def _statement(model: type[Model], dialect: str, count: int) -> tuple[str, tuple[str, ...]]:
    """The INSERT of `count` rows of `model`, and the fields whose values it takes, row after row."""
    meta = model._meta
    names = tuple(name for name in meta.fields_db_projection if not (name == meta.pk_attr and meta.pk.generated))
    columns = ",".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    numbered = dialect == "postgres"
    rows = []
    for row in range(count):
        places = (f"${row * len(names) + i + 1}" if numbered else "?" for i in range(len(names)))
        rows.append(f"({','.join(places)})")
    sql = f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {",".join(rows)} RETURNING "{meta.db_pk_column}"'
    return sql, names


async def insert(objects: Sequence[M]) -> None:
    """Write `objects` (new, of one model) in one statement and set their ids."""
    if not objects:
        return
    model = type(objects[0])
    db: Any = model._meta.db
    sql, names = _statement(model, db.capabilities.dialect, len(objects))
    fields = model._meta.fields_map
    values = [fields[name].to_db_value(getattr(item, name), item) for item in objects for name in names]
    rows = await db.execute_query_dict(sql, values)
    pk = model._meta.db_pk_column
    for item, key in zip(objects, sorted(row[pk] for row in rows), strict=True):
        item.pk = key
        item._saved_in_db = True
