"""NSSO officer operations on the employer's own events, annulment, identification and the bulk
branch transfer (API.md "NSSO officer operations"; RULES.md §17, §18, §19, §20, §27).

Every field needs the scope nsso:officer: a party gets FORBIDDEN (R-ANN-1, R-USR-6).
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import employer as rules
from resolvers import bulk_branches, employer
from schema import types
from schema.payloads import attempt, user_error
from schema.permissions import IsOfficer

DeletionRequester = strawberry.enum(rules.DeletionRequester, name="DeletionRequester")
CuratorAnswer = strawberry.enum(rules.CuratorAnswer, name="CuratorAnswer")
OFFICERS = [IsOfficer]


@strawberry.input(description="The deletion of an employer identification number (R-EMP-1).")
class DeleteEmployerInput:
    principal_number: str = strawberry.field(description="CBE or NSSO number.")
    deletion_date: dt.date = strawberry.field(description="The exit date of the last worker subject to social security.")
    requested_by: DeletionRequester


@strawberry.input(description="A published bankruptcy and its curator, who takes the company's place (R-EMP-4).")
class RecordBankruptcyInput:
    principal_number: str
    published_on: dt.date
    curator_niss: str
    curator_name: str


@strawberry.input(description="The curator's answer to the NSSO's letter (R-EMP-5, R-EMP-6).")
class RecordCuratorAnswerInput:
    principal_number: str
    answer: CuratorAnswer


@strawberry.input(description="Annul a mandate, as if it had never existed (R-ANN-1, R-ANN-2).")
class AnnulMandateInput:
    mandate_id: strawberry.ID
    reason: str


@strawberry.input(description="The definitive NSSO number that ends the identification (R-WIDE-6, R-WIDE-2).")
class AssignNssoNumberInput:
    principal_number: str = strawberry.field(description="CBE number.")
    nsso_number: str


@strawberry.input(description="The SSA's spreadsheet (.xlsx): header row, then SSA number or CBE number | employer CBE or NSSO number | new branch code (R-SSA-3).")
class ImportBranchChangesInput:
    file: Upload


@strawberry.type(description="The principal after the event, and the mandates the event changed.")
class EmployerPayload:
    enterprise: types.Enterprise | None
    mandates: list[types.Mandate]
    user_errors: list[types.UserError]


@strawberry.type
class RefusedLine:
    line: int = strawberry.field(description="The spreadsheet row (the header is row 1).")
    reason: str


@strawberry.type(description="All or nothing: either every line applied, or none and every refused line with its reason.")
class ImportBranchChangesPayload:
    applied: int
    mandates_moved: int
    refused_lines: list[RefusedLine]
    user_errors: list[types.UserError]


def _employer_payload(outcome: employer.EmployerOutcome | None, errors) -> EmployerPayload:
    if outcome is None:
        return EmployerPayload(enterprise=None, mandates=[], user_errors=errors)
    return EmployerPayload(
        enterprise=types.Enterprise.of(outcome.enterprise), mandates=[types.Mandate.of(row) for row in outcome.mandates], user_errors=errors
    )


@strawberry.type
class EmployerMutations:
    @strawberry.mutation(permission_classes=OFFICERS, description="Employer deletion: its employer-only groups end with the deletion quarter (R-EMP-1, R-EMP-2).")
    async def delete_employer(self, info: Info, input: DeleteEmployerInput) -> EmployerPayload:
        return _employer_payload(
            *await attempt(
                lambda: employer.delete_employer(info.context.use_case(), input.principal_number, input.deletion_date, input.requested_by)
            )
        )

    @strawberry.mutation(permission_classes=OFFICERS, description="Record a bankruptcy; the curator may then sign for the company (R-EMP-4).")
    async def record_bankruptcy(self, info: Info, input: RecordBankruptcyInput) -> EmployerPayload:
        return _employer_payload(
            *await attempt(
                lambda: employer.record_bankruptcy(
                    info.context.use_case(), input.principal_number, input.published_on, input.curator_niss, input.curator_name
                )
            )
        )

    @strawberry.mutation(permission_classes=OFFICERS, description="DELETE or NO_ANSWER ends every group at the end of this quarter; CONTINUE changes nothing (R-EMP-5, R-EMP-6).")
    async def record_curator_answer(self, info: Info, input: RecordCuratorAnswerInput) -> EmployerPayload:
        return _employer_payload(
            *await attempt(lambda: employer.record_curator_answer(info.context.use_case(), input.principal_number, input.answer))
        )

    @strawberry.mutation(permission_classes=OFFICERS, description="NSSO officer only: the mandate becomes CANCELLED, kept in the history (R-ANN-1, R-ANN-2).")
    async def annul_mandate(self, info: Info, input: AnnulMandateInput) -> types.MandatePayload:
        row, errors = await attempt(lambda: employer.annul_mandate(info.context.use_case(), input.mandate_id, input.reason))
        return types.MandatePayload(mandate=types.Mandate.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(permission_classes=OFFICERS, description="The definitive NSSO number: IDENTIFICATION mandates become ACTIVE (R-WIDE-6, R-WIDE-2).")
    async def assign_nsso_number(self, info: Info, input: AssignNssoNumberInput) -> EmployerPayload:
        return _employer_payload(
            *await attempt(lambda: employer.assign_nsso_number(info.context.use_case(), input.principal_number, input.nsso_number))
        )

    @strawberry.mutation(permission_classes=OFFICERS, description="An SSA's bulk branch transfer from its spreadsheet, all or nothing (R-SSA-3).")
    async def import_branch_changes(self, info: Info, input: ImportBranchChangesInput) -> ImportBranchChangesPayload:
        data = await input.file.read()
        report, errors = await attempt(lambda: bulk_branches.import_branch_changes(info.context.use_case(), data))
        if report is None:
            return ImportBranchChangesPayload(applied=0, mandates_moved=0, refused_lines=[], user_errors=errors)
        refusal = report.refusal()
        return ImportBranchChangesPayload(
            applied=report.applied,
            mandates_moved=report.mandates_moved,
            refused_lines=[RefusedLine(line=item.line, reason=item.reason) for item in report.refused],
            user_errors=[user_error(refusal)] if refusal else [],
        )
