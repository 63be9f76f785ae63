"""The search exported to a spreadsheet, one row a mandate group (R-SRCH-5).

`GET /exports/mandates.xlsx?<the search's criteria>` runs the same search as `mandates` (criteria,
viewer scoping, order: resolvers.search) and writes every match, however many, in constant memory:
the matches are read in chunks resumed after the last row read (keyset paging on the search's own
order, so that no row is skipped or repeated when mandates are created meanwhile); openpyxl's
write-only workbook keeps its rows in a temporary file, and the finished workbook goes to a spooled
temporary file that the HTTP layer streams out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import Any

from openpyxl import Workbook
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from config.clock import BRUSSELS
from models.catalogue import Catalogue
from models.errors import ErrorCode, RuleViolation
from models.identifiers import format_enterprise_number
from models.places import GroupRole, roles_in
from models.quarter import Quarter, quarter_or_none
from models.status import MandateStatus
from models.tables import Branch, Mandate, MandateGroup
from resolvers.context import UseCase
from resolvers.search import MandateSearch, OrderField, matching, ordering

CHUNK = 1000  # mandates read per query
SPOOL_BYTES = 1 << 20  # the finished workbook stays in memory up to 1 MiB, then goes to disk
LANGUAGES = ("en", "fr")
HEADERS = {
    "en": (
        "Reference",
        "Principal number",
        "Principal",
        "Mandatary number",
        "Mandatary",
        "Branch",
        "Group",
        "Group name",
        "Role",
        "Start",
        "End",
        "Status",
        "Created",
    ),
    "fr": (
        "Référence",
        "Numéro du mandant",
        "Mandant",
        "Numéro du mandataire",
        "Mandataire",
        "Siège",
        "Groupe",
        "Nom du groupe",
        "Rôle",
        "Début",
        "Fin",
        "Statut",
        "Créé le",
    ),
}
# What each row needs of its mandate, besides the sort columns.
MANDATE_COLUMNS = (
    "id",
    "reference",
    "principal__enterprise_number",
    "principal__name",
    "mandatary__enterprise_number",
    "mandatary__name",
    "branch_id",
    "shown_status",
    "created_at",
)


@dataclass(frozen=True)
class Export:
    """A search to export: the criteria of `mandates`, its order, the language of the headings."""

    criteria: MandateSearch
    order: OrderField = OrderField.CREATED_AT
    descending: bool = True
    language: str = "en"


def export_from_query(params: Mapping[str, Sequence[str]]) -> Export:
    """The export the query string asks for, named as in `mandates(filter:, orderBy:)`:
    mandataryNumber, principalNumber, groups, period (N/YYYY), statuses, orderBy, direction, lang.
    Multi-valued criteria come repeated or comma-separated (`statuses=ACTIVE,CLOSED`)."""

    def one(name: str) -> str | None:
        values = [v.strip() for v in params.get(name, ()) if v.strip()]
        return values[-1] if values else None

    def many(name: str) -> list[str]:
        return [part.strip() for value in params.get(name, ()) for part in value.split(",") if part.strip()]

    statuses = []
    for value in many("statuses"):
        if value not in MandateStatus.__members__:
            raise RuleViolation(ErrorCode.INVALID_INPUT, "api.export.status_unknown", ("statuses",), value=value)
        statuses.append(MandateStatus[value])
    order_name, direction, language = one("orderBy") or "CREATED_AT", one("direction") or "DESC", one("lang") or "en"
    if order_name not in OrderField.__members__:
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.export.column_unknown", ("orderBy",), column=order_name)
    if direction not in ("ASC", "DESC"):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.export.direction", ("direction",))
    period = one("period")
    criteria = MandateSearch(
        mandatary_number=one("mandataryNumber"),
        principal_number=one("principalNumber"),
        groups=many("groups"),
        period=Quarter.parse(period, ("period",)) if period else None,
        statuses=statuses,
    )
    return Export(criteria, OrderField[order_name], direction == "DESC", language if language in LANGUAGES else "en")


async def export_workbook(uc: UseCase, export: Export) -> SpooledTemporaryFile[bytes]:
    """The workbook of every mandate group matching the search, rewound, ready to stream (R-SRCH-5).

    Refusals of the criteria (malformed number, unknown group) are raised before anything is written."""
    query = await matching(uc, export.criteria)
    columns = ordering(export.order, export.descending)
    current = Quarter.containing(uc.clock.today())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mandates" if export.language == "en" else "Mandats")
    sheet.append(HEADERS[export.language])
    async for mandates in _chunks(query, columns):
        groups = (
            await MandateGroup.filter(mandate_id__in=[m["id"] for m in mandates])
            .order_by("mandate_id", "id")
            .values("mandate_id", "group_code", "start_quarter", "end_quarter")
        )
        branch_ids = {m["branch_id"] for m in mandates if m["branch_id"]}
        branches = dict(await Branch.filter(id__in=branch_ids).values_list("id", "code")) if branch_ids else {}
        by_mandate: dict[int, list[dict[str, Any]]] = {}
        for group in groups:
            by_mandate.setdefault(group["mandate_id"], []).append(group)
        for mandate in mandates:
            own = by_mandate.get(mandate["id"], [])
            spans = {g["group_code"]: (Quarter(g["start_quarter"]), quarter_or_none(g["end_quarter"])) for g in own}
            roles = roles_in(uc.catalogue, spans, current)
            for group in own:
                sheet.append(_row(mandate, group, roles[group["group_code"]], branches, uc.catalogue, export.language))
    out = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned: the endpoint streams it, then closes it)
    await asyncio.to_thread(workbook.save, out)  # zipping is CPU work: off the event loop
    out.seek(0)
    return out


async def _chunks(query: QuerySet[Mandate], columns: list[str]) -> AsyncIterator[list[dict[str, Any]]]:
    """The query's rows in `columns` order, CHUNK at a time, each chunk resumed after the last row read."""
    names = [column.lstrip("-") for column in columns]
    fields = list(dict.fromkeys([*MANDATE_COLUMNS, *names]))
    after = None
    while True:
        page = query.filter(after) if after is not None else query
        rows = await page.order_by(*columns).limit(CHUNK).values(*fields)
        if not rows:
            return
        yield rows
        if len(rows) < CHUNK:
            return
        after = _after(columns, rows[-1])


def _after(columns: list[str], last: dict[str, Any]) -> Q:
    """Rows strictly after `last` in the lexicographic order of `columns` ("-" = descending).

    A null sort value only occurs for the end of an open-ended mandate, which sorts among equals
    (the `open_ended` column before it separates them): nothing is strictly after it on that column."""
    condition: Q | None = None
    equal = Q()
    for column in columns:
        name = column.lstrip("-")
        value = last[name]
        if value is not None:
            step = equal & Q(**{f"{name}__{'lt' if column.startswith('-') else 'gt'}": value})
            condition = step if condition is None else condition | step
        same: dict[str, Any] = {f"{name}__isnull": True} if value is None else {name: value}
        equal = equal & Q(**same)
    if condition is None:  # `ordering` ends on the ID, never null: a condition always follows
        raise ValueError(f"no row can follow {columns}: the order must end on a column that is never null")
    return condition


def _row(
    mandate: dict[str, Any],
    group: dict[str, Any],
    role: GroupRole,
    branches: dict[int, str],
    catalogue: Catalogue,
    language: str,
) -> tuple[object, ...]:
    definition = catalogue[group["group_code"]]
    created: dt.datetime = mandate["created_at"]
    return (
        mandate["reference"],
        format_enterprise_number(mandate["principal__enterprise_number"]),
        mandate["principal__name"],
        format_enterprise_number(mandate["mandatary__enterprise_number"]),
        mandate["mandatary__name"],
        branches.get(mandate["branch_id"], ""),
        definition.code,
        definition.name if language == "en" else definition.name_fr,
        role.value,
        str(Quarter(group["start_quarter"])),
        str(quarter_or_none(group["end_quarter"]) or ""),
        mandate["shown_status"],
        created.astimezone(BRUSSELS).replace(tzinfo=None),  # Excel has no time zones: Brussels time
    )
