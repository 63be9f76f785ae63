"""The search exported to a spreadsheet, one row a mandate group (R-SRCH-5).

`GET /exports/mandates.xlsx?<the search's criteria>` runs the same search as `mandates` (criteria,
viewer scoping, order: resolvers.search) and writes every match, however many, in constant memory:
the matches are read in batches resumed after the last row read (resolvers.mandate_pages.batches:
keyset paging on the search's own order, so that no row is skipped or repeated when mandates are
created meanwhile); openpyxl's
write-only workbook keeps its rows in a temporary file, and the finished workbook goes to a spooled
temporary file that the HTTP layer streams out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import Any

from openpyxl import Workbook

from config.clock import BRUSSELS
from models.catalogue import Catalogue
from models.errors import ErrorCode, RuleViolation
from models.identifiers import format_enterprise_number
from models.places import GroupRole, roles_in
from models.quarter import Quarter, quarter_or_none
from models.status import MandateStatus
from models.tables import Branch, MandateGroup
from resolvers.context import UseCase
from resolvers.mandate_pages import Order, batches
from resolvers.search import MandateSearch, OrderField, resolve

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
            raise RuleViolation(ErrorCode.INVALID_INPUT, f"'{value}' is not a mandate status.", ("statuses",))
        statuses.append(MandateStatus[value])
    order_name, direction, language = one("orderBy") or "CREATED_AT", one("direction") or "DESC", one("lang") or "en"
    if order_name not in OrderField.__members__:
        raise RuleViolation(ErrorCode.INVALID_INPUT, f"'{order_name}' is not a sortable column.", ("orderBy",))
    if direction not in ("ASC", "DESC"):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "The direction is ASC or DESC.", ("direction",))
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
    criteria = await resolve(uc, export.criteria)
    order = Order(export.order, export.descending)
    current = Quarter.containing(uc.clock.today())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mandates" if export.language == "en" else "Mandats")
    sheet.append(HEADERS[export.language])
    async for mandates in batches(uc.actor, criteria, uc.clock.today(), order, CHUNK):
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
        format_enterprise_number(mandate["principal_number"]),
        mandate["principal_name"],
        format_enterprise_number(mandate["mandatary_number"]),
        mandate["mandatary_name"],
        branches.get(mandate["branch_id"], ""),
        definition.code,
        definition.name if language == "en" else definition.name_fr,
        role.value,
        str(Quarter(group["start_quarter"])),
        str(quarter_or_none(group["end_quarter"]) or ""),
        mandate["status"],
        created.astimezone(BRUSSELS).replace(tzinfo=None),  # Excel has no time zones: Brussels time
    )
