"""The search exported to a spreadsheet, one row a mandate group, streamed (R-SRCH-5; issue 11, item 7).

`GET /exports/mandates.xlsx?<the search's criteria>` runs the same search as `mandates` (criteria,
viewer scoping, order: resolvers.search) and writes every match, however many, in constant memory,
its first bytes leaving at once: the matches arrive as an ordered async iteration of batches
(resolvers.mandate_pages.batches: keyset paging on the search's own order, so that no row is skipped
or repeated when mandates are created meanwhile; any ordered source of the search's rows in batches
can feed `workbook_stream`), each batch gets its groups and
branches, and a worker thread turns it into rows and compressed spreadsheet bytes
(documents/spreadsheet.py) while the next batch is read: the event loop keeps serving other requests.
The heading, statuses and roles are words of the message catalogue in the export's language, not codes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from config.clock import BRUSSELS
from config.messages import DEFAULT_LANGUAGE, LANGUAGES, text, word
from documents.spreadsheet import Cell, StreamedSheet
from models.catalogue import Catalogue
from models.errors import ErrorCode, RuleViolation
from models.identifiers import format_enterprise_number
from models.places import GroupRole, roles_in
from models.quarter import Quarter, quarter_or_none
from models.status import MandateStatus
from models.tables import Branch, MandateGroup
from resolvers.context import UseCase
from resolvers.languages import group_names
from resolvers.mandate_pages import Order, batches
from resolvers.search import MandateSearch, OrderField, resolve

CHUNK = 1000  # mandates read per query
T = TypeVar("T")
COLUMNS = (  # the heading's words: export.column.<name> in the message catalogue (config/locale/*.po)
    "reference",
    "principal_number",
    "principal",
    "mandatary_number",
    "mandatary",
    "branch",
    "group",
    "group_name",
    "role",
    "start",
    "end",
    "status",
    "created",
)


# What each row needs of its mandate, besides the sort columns.
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
    chosen = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return Export(criteria, OrderField[order_name], direction == "DESC", chosen)


@dataclass(frozen=True)
class Matched:
    """One matching mandate with what its rows need: its groups in order, its branch's code."""

    mandate: dict[str, Any]
    groups: list[dict[str, Any]]
    branch: str


async def export_workbook(uc: UseCase, export: Export) -> AsyncGenerator[bytes, None]:
    """The bytes of the workbook of every mandate group matching the search, as they are made (R-SRCH-5).

    Refusals of the criteria (malformed number, unknown group), and a database that does not answer, are
    raised here, before any byte."""
    criteria = await resolve(uc, export.criteria)
    source = batches(uc.actor, criteria, uc.clock.today(), Order(export.order, export.descending), CHUNK)
    first = await anext(source, None)  # a database that does not answer fails here, before any byte: a 503
    return workbook_stream(uc, export, _after_first(first, source))


async def _after_first(first: T | None, rest: AsyncIterator[T]) -> AsyncIterator[T]:
    """`first` (already read) then the rest of the batches."""
    if first is None:
        return
    yield first
    async for batch in rest:
        yield batch


async def workbook_stream(
    uc: UseCase, export: Export, source: AsyncIterator[list[dict[str, Any]]]
) -> AsyncGenerator[bytes, None]:
    """The workbook of the mandates `source` gives (the search's rows in its order, as `batches` reads them):
    its first bytes at once, then each batch's rows, made in a worker thread while the next batch is read."""
    current = Quarter.containing(uc.clock.today())
    language = export.language
    sheet = StreamedSheet(text(language, "export.sheet"), [text(language, f"export.column.{c}") for c in COLUMNS])
    yield sheet.start()
    async for batch in _read_ahead(matched_batches(source)):
        data = await asyncio.to_thread(_encode, sheet, batch, uc.catalogue, current, export.language)
        if data:
            yield data
    yield await asyncio.to_thread(sheet.finish)


async def matched_batches(batches: AsyncIterator[list[dict[str, Any]]]) -> AsyncIterator[list[Matched]]:
    """Each batch of mandates with their groups and branches (two queries a batch)."""
    async for mandates in batches:
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
        yield [Matched(m, by_mandate.get(m["id"], []), branches.get(m["branch_id"], "")) for m in mandates]


async def _read_ahead(batches: AsyncIterator[T]) -> AsyncIterator[T]:
    """`batches`, the next one already being read while the caller works on the current one."""
    pending = asyncio.ensure_future(anext(batches, None))
    try:
        while (batch := await pending) is not None:
            pending = asyncio.ensure_future(anext(batches, None))
            yield batch
    finally:
        pending.cancel()  # the caller stopped early (the client went away): no more reading


def _encode(sheet: StreamedSheet, batch: list[Matched], catalogue: Catalogue, current: Quarter, language: str) -> bytes:
    """A batch's rows as compressed spreadsheet bytes: CPU work, run in a worker thread."""
    return sheet.rows(row for matched in batch for row in _rows(matched, catalogue, current, language))


def _rows(matched: Matched, catalogue: Catalogue, current: Quarter, language: str) -> list[tuple[Cell, ...]]:
    spans = {g["group_code"]: (Quarter(g["start_quarter"]), quarter_or_none(g["end_quarter"])) for g in matched.groups}
    roles = roles_in(catalogue, spans, current)
    return [_row(matched, group, roles[group["group_code"]], catalogue, language) for group in matched.groups]


def _row(
    matched: Matched, group: dict[str, Any], role: GroupRole, catalogue: Catalogue, language: str
) -> tuple[Cell, ...]:
    mandate = matched.mandate
    definition = catalogue[group["group_code"]]
    created: dt.datetime = mandate["created_at"]
    return (
        mandate["reference"],
        format_enterprise_number(mandate["principal_number"]),
        mandate["principal_name"],
        format_enterprise_number(mandate["mandatary_number"]),
        mandate["mandatary_name"],
        matched.branch or None,
        definition.code,
        group_names(definition).in_language(language),
        word(language, role),
        str(Quarter(group["start_quarter"])),
        str(end) if (end := quarter_or_none(group["end_quarter"])) else None,
        word(language, MandateStatus(mandate["status"])),
        created.astimezone(BRUSSELS).replace(tzinfo=None),  # Excel has no time zones: Brussels time
    )
