"""The bulk branch transfer from an SSA's spreadsheet (R-SSA-3, with R-SSA-2 and R-SSA-4).

An SSA moving many employer files at once (a branch closing, say) sends the NSSO an `.xlsx`
workbook. Its first sheet has one header row (any titles), then one line per employer file:

    column A  the SSA: its SSA number (e.g. "SSA-300") or its CBE number
    column B  the employer: its CBE number or its NSSO number
    column C  the code of the SSA's branch that manages the employer's file from now on; empty: the
              head office (the file goes back to it, guidelines §4.6, R-ENT-3)

Empty lines are skipped. A CBE number typed as a number (its leading 0 lost) is read back with ten
digits. Every line is checked first: the SSA and the employer are known, the SSA holds an
effective mandate (ACTIVE or IDENTIFICATION) for that employer, the branch is one of that SSA's,
that mandate is not already managed by that branch (or the head office), and no employer is listed twice for one SSA.
Who sends it. The guidelines: « un fichier Excel reprenant les employeurs concernés peut être
transmis à l'ONSS afin que ce transfert soit effectué automatiquement ». The registry is the NSSO's
system: an officer uploads the file an SSA sent in; an SSA's manager may also upload its own file
itself, which is transmitting it to the NSSO, and the transfer is as automatic. An SSA's file may name
only that SSA (column A), mandates it holds (column B) and its own branches (column C); a line naming
another SSA is refused before anything about it is looked up, and an employer it holds no effective
mandate for is refused in the same words whether that employer is known or not (nothing leaks).

All or nothing: if any line is refused, nothing changes and the report names every refused line
with its reason; otherwise every line's mandates move, in one transaction, each with its history
and both parties notified. No minimum number of lines is enforced.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from tortoise.transactions import in_transaction

from models.errors import ErrorCode, RuleViolation, Words
from models.identifiers import is_enterprise_number, normalise_enterprise_number
from models.status import EFFECTIVE
from models.tables import Branch, Enterprise, Mandate
from resolvers.access import Actor, Forbidden
from resolvers.branch import branch_or_head_office, move_to_branch
from resolvers.context import UseCase
from resolvers.lookup import find_enterprise, own_enterprise
from resolvers.statuses import any_status

T = TypeVar("T")

MAX_LINES = 10_000  # far above any branch's files; bounds the work one upload can ask for
FILE_FIELD = ("file",)


@dataclass(frozen=True)
class RefusedLine:
    line: int  # the spreadsheet's row number (the header is row 1)
    reason: RuleViolation  # written in the reader's language by the schema


@dataclass(frozen=True)
class BranchImportReport:
    applied: int  # lines applied: 0 when any line was refused
    mandates_moved: int
    refused: list[RefusedLine]

    def refusal(self) -> RuleViolation | None:
        """The whole file refused, as the user error that goes with the report."""
        if not self.refused:
            return None
        return RuleViolation(ErrorCode.BRANCH_FILE_REFUSED, "api.bulk.refused", FILE_FIELD, count=len(self.refused))


@dataclass(frozen=True)
class _Line:
    number: int
    ssa: str
    employer: str
    branch: str


@dataclass(frozen=True)
class _Move:
    mandates: list[Mandate]
    branch: Branch | None  # None: the head office


async def import_branch_changes(uc: UseCase, data: bytes) -> BranchImportReport:
    sender = await _sender(uc.actor)
    lines = _read_lines(data)
    today = uc.clock.today()
    async with in_transaction():
        moves: list[_Move] = []
        refused: list[RefusedLine] = []
        seen: dict[tuple[int, int], int] = {}
        for line in lines:
            try:
                moves.append(await _check(line, today, seen, sender))
            except RuleViolation as violation:
                refused.append(RefusedLine(line.number, violation))
        if refused:
            return BranchImportReport(applied=0, mandates_moved=0, refused=refused)
        now = uc.clock.now()
        via = Words("notice.detail.branch_by_nsso")  # R-SSA-3
        for move in moves:
            for mandate in move.mandates:
                await move_to_branch(mandate, move.branch, uc.actor, now, via=via)
    return BranchImportReport(applied=len(moves), mandates_moved=sum(len(move.mandates) for move in moves), refused=[])


async def _sender(actor: Actor) -> Enterprise | None:
    """The SSA whose own file this is; None for an officer, who sends any SSA's file (R-SSA-3)."""
    if actor.is_officer:
        return None
    actor.require_manager()
    own = await own_enterprise(actor)
    if not own.is_social_secretariat:
        raise Forbidden("api.forbidden.bulk_sender")
    return own


def _read_lines(data: bytes) -> list[_Line]:
    """The lines of the workbook's first sheet after its header row (openpyxl's read-only mode)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.bulk.not_xlsx", FILE_FIELD) from None
    try:
        lines: list[_Line] = []
        for number, row in enumerate(workbook.worksheets[0].iter_rows(min_row=2, max_col=3, values_only=True), start=2):
            cells = [_text(value) for value in (*row, None, None, None)[:3]]
            if not any(cells):
                continue
            if len(lines) == MAX_LINES:
                raise RuleViolation(ErrorCode.INVALID_INPUT, "api.bulk.too_many_lines", FILE_FIELD, lines=MAX_LINES)
            lines.append(_Line(number, *cells))
    finally:
        workbook.close()
    if not lines:
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.bulk.empty", FILE_FIELD)
    return lines


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:010d}"  # a CBE number stored as a number lost its leading 0
    return "" if value is None else str(value).strip()


async def _check(line: _Line, today: dt.date, seen: dict[tuple[int, int], int], sender: Enterprise | None) -> _Move:
    """The mandates a line moves and their new branch, or the first reason it is refused."""
    ssa = await _ssa(line, sender)
    try:
        employer = await find_enterprise(line.employer, FILE_FIELD, by=("nsso_number",))
    except RuleViolation as violation:
        if sender is not None and violation.code is ErrorCode.ENTERPRISE_NOT_FOUND:
            raise _not_yours(line) from None
        raise _in_column(Words("api.bulk.column_employer"), violation) from None
    effective = await (
        Mandate.filter(any_status(list(EFFECTIVE), today), principal_id=employer.id, mandatary_id=ssa.id)
        .select_for_update()
        .order_by("id")
        .prefetch_related("principal", "mandatary")
    )
    if not effective:
        if sender is not None:
            raise _not_yours(line)
        raise RuleViolation(ErrorCode.NOT_FOUND, "api.bulk.no_mandate", ssa=ssa.name, employer=employer.name)
    branch = await _column(Words("api.bulk.column_branch"), branch_or_head_office(ssa, line.branch))
    earlier = seen.setdefault((ssa.id, employer.id), line.number)
    if earlier != line.number:
        raise RuleViolation(
            ErrorCode.INVALID_INPUT, "api.bulk.listed_twice", employer=employer.name, ssa=ssa.name, line=earlier
        )
    moving = [mandate for mandate in effective if mandate.branch_id != (branch.id if branch else None)]
    if not moving:
        if branch is None:
            raise RuleViolation(ErrorCode.INVALID_BRANCH, "api.bulk.same_head_office", employer=employer.name)
        raise RuleViolation(
            ErrorCode.INVALID_BRANCH, "api.bulk.same_branch", employer=employer.name, branch=branch.code
        )
    return _Move(moving, branch)


async def _ssa(line: _Line, sender: Enterprise | None) -> Enterprise:
    """Column A: any social secretariat for an officer; for an SSA, itself and nothing else, decided
    without looking the other number up (R-SSA-3)."""
    if sender is None:
        ssa = await _column(Words("api.bulk.column_ssa"), find_enterprise(line.ssa, FILE_FIELD, by=("ssa_number",)))
        if not ssa.is_social_secretariat:
            raise RuleViolation(ErrorCode.INVALID_BRANCH, "api.bulk.not_ssa", ssa=ssa.name)
        return ssa
    named = normalise_enterprise_number(line.ssa) if is_enterprise_number(line.ssa) else line.ssa
    if named not in (sender.enterprise_number, sender.ssa_number):
        raise RuleViolation(
            ErrorCode.INVALID_INPUT, "api.bulk.other_ssa", ssa=line.ssa, own=sender.name, number=sender.ssa_number
        )
    return sender


def _not_yours(line: _Line) -> RuleViolation:
    """The same refusal for an unknown employer and one the SSA holds no effective mandate for."""
    return RuleViolation(ErrorCode.NOT_FOUND, "api.bulk.not_yours", employer=line.employer)


async def _column(label: Words, lookup: Awaitable[T]) -> T:
    """A look-up whose refusal names the column it read."""
    try:
        return await lookup
    except RuleViolation as violation:
        raise _in_column(label, violation) from None


def _in_column(label: Words, violation: RuleViolation) -> RuleViolation:
    return RuleViolation(violation.code, "api.bulk.column", column=label, detail=violation)
