"""One column read without the rows: `values_list(field, flat=True)`, typed as it behaves.

Tortoise annotates `values_list` as if `flat` were always False (a list of tuples; one tuple after
`.first()`), while with `flat=True` it returns the bare values. The use cases read a column through
these two functions so that the checker sees values, not tuples, where they are used.
"""

from __future__ import annotations

from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet, QuerySetSingle


async def values_of(query: QuerySet[Any], field: str) -> list[Any]:
    """The value of `field` in each row of `query`, in its order."""
    return await query.values_list(field, flat=True)


async def value_of(query: QuerySetSingle[Model | None], field: str) -> Any:
    """The value of `field` in the one row `query` selects (e.g. `.first()`), None without a row."""
    return await query.values_list(field, flat=True)
