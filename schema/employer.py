"""NSSO officer operations on the employer's own events, annulment, identification and the bulk
branch transfer (API.md "NSSO officer operations"; RULES.md §17, §18, §19, §20, §27).

Every field needs the scope nsso:officer: a party gets FORBIDDEN (R-ANN-1, R-USR-6).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.permission import BasePermission
from strawberry.types import Info

from config.messages import render
from models import employer as rules
from resolvers import bulk_branches, employer
from schema import types
from schema.enums import described
from schema.payloads import attempt, mandate_payload, user_error
from schema.permissions import CanManageOrIsOfficer, IsOfficer

DeletionRequester = rules.DeletionRequester
described(
    rules.DeletionRequester,
    name="DeletionRequester",
    description="Who asked for the deletion of the employer identification number (R-EMP-1).",
    values={
        rules.DeletionRequester.EMPLOYER: "The employer itself.",
        rules.DeletionRequester.SERVICE_PROVIDER: "The employer's service provider or social secretariat.",
        rules.DeletionRequester.CURATOR: "The curator of a bankrupt employer (R-EMP-5).",
    },
)
CuratorAnswer = rules.CuratorAnswer
described(
    rules.CuratorAnswer,
    name="CuratorAnswer",
    description=(
        "The curator's answer to the NSSO's letter sent about 14 days after the bankruptcy is published (R-EMP-5, "
        "R-EMP-6)."
    ),
    values={
        rules.CuratorAnswer.CONTINUE: (
            "Staff are kept: the mandates stay valid until a party ends them under the general rules (R-EMP-6)."
        ),
        rules.CuratorAnswer.DELETE: (
            "The curator asks for the employer's deletion: every group ends on the last day of the current quarter "
            "(R-EMP-5)."
        ),
        rules.CuratorAnswer.NO_ANSWER: "The curator did not answer: treated as DELETE (R-EMP-5).",
    },
)
OFFICERS: list[type[BasePermission]] = [IsOfficer]


@strawberry.input(description="The deletion of an employer identification number (R-EMP-1).")
class DeleteEmployerInput:
    principal_number: str = strawberry.field(description="CBE or NSSO number.")
    deletion_date: dt.date = strawberry.field(
        description="The exit date of the last worker subject to social security."
    )
    requested_by: DeletionRequester = strawberry.field(
        description="Who asked for the deletion; recorded in the mandates' history."
    )


@strawberry.input(description="A published bankruptcy and its curator, who takes the company's place (R-EMP-4).")
class RecordBankruptcyInput:
    principal_number: str = strawberry.field(description="The bankrupt company's CBE or NSSO number.")
    published_on: dt.date = strawberry.field(description="The day the bankruptcy was published; not in the future.")
    curator_niss: str = strawberry.field(
        description=(
            "The curator's NISS (11 digits, dots and dashes ignored); registered as holder of the competence to sign "
            "for the company."
        )
    )
    curator_name: str = strawberry.field(description="The curator's name (at most 200 characters).")


@strawberry.input(description="The curator's answer to the NSSO's letter (R-EMP-5, R-EMP-6).")
class RecordCuratorAnswerInput:
    principal_number: str = strawberry.field(
        description="The bankrupt company's CBE or NSSO number; its latest bankruptcy must await an answer."
    )
    answer: CuratorAnswer = strawberry.field(description="What the curator answered, or NO_ANSWER.")


@strawberry.input(description="Annul a mandate, as if it had never existed (R-ANN-1, R-ANN-2).")
class AnnulMandateInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the mandate to annul.")
    reason: str = strawberry.field(description="Why the NSSO annuls it, kept in the history (required).")


@strawberry.input(description="The definitive NSSO number that ends the identification (R-WIDE-6, R-WIDE-2).")
class AssignNssoNumberInput:
    principal_number: str = strawberry.field(description="CBE number.")
    nsso_number: str = strawberry.field(
        description=(
            "The definitive NSSO employer number (at most 20 characters, not a CBE number, not another enterprise's)."
        )
    )


@strawberry.input(
    description=(
        "The SSA's spreadsheet (.xlsx): header row, then SSA number or CBE number | employer CBE or NSSO number | new "
        "branch code, an empty cell for the head office (R-SSA-3, R-ENT-3)."
    )
)
class ImportBranchChangesInput:
    file: UploadFile = strawberry.field(description="The .xlsx workbook (multipart upload); its first sheet is read.")


@strawberry.type(description="The principal after the event, and the mandates the event changed.")
class EmployerPayload:
    enterprise: types.Enterprise | None = strawberry.field(
        description="The principal after the event; null when refused."
    )
    mandates: list[types.Mandate] = strawberry.field(
        description=(
            "The mandates the event changed (ended groups, activated mandates); empty when refused or when nothing "
            "changed."
        )
    )
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type(description="A line of the bulk branch file that cannot be applied (R-SSA-3).")
class RefusedLine:
    line: int = strawberry.field(description="The spreadsheet row (the header is row 1).")
    reason: str = strawberry.field(description="Why, naming the column (A: SSA, B: employer, C: branch).")


@strawberry.type(
    description="All or nothing: either every line applied, or none and every refused line with its reason."
)
class ImportBranchChangesPayload:
    applied: int = strawberry.field(description="Lines applied: every line, or 0 when any is refused.")
    mandates_moved: int = strawberry.field(description="Effective mandates moved to their new branch.")
    refused_lines: list[RefusedLine] = strawberry.field(
        description="Every refused line with its reason; empty when the file was applied."
    )
    user_errors: list[types.UserError] = strawberry.field(
        description="BRANCH_FILE_REFUSED when a line is refused, or the rule the file broke; nothing was applied then."
    )


def _employer_payload(outcome: employer.EmployerOutcome | None, errors) -> EmployerPayload:
    if outcome is None:
        return EmployerPayload(enterprise=None, mandates=[], user_errors=errors)
    return EmployerPayload(
        enterprise=types.Enterprise.of(outcome.enterprise),
        mandates=[types.Mandate.of(row) for row in outcome.mandates],
        user_errors=errors,
    )


@strawberry.type
class EmployerMutations:
    @strawberry.mutation(
        permission_classes=OFFICERS,
        description="Employer deletion: its employer-only groups end with the deletion quarter (R-EMP-1, R-EMP-2).",
    )
    async def delete_employer(
        self,
        info: Info,
        input: Annotated[
            DeleteEmployerInput, strawberry.argument(description="The employer, the deletion date and who asked.")
        ],
    ) -> EmployerPayload:
        return _employer_payload(
            *await attempt(
                lambda: employer.delete_employer(
                    info.context.use_case(), input.principal_number, input.deletion_date, input.requested_by
                )
            )
        )

    @strawberry.mutation(
        permission_classes=OFFICERS,
        description="Record a bankruptcy; the curator may then sign for the company (R-EMP-4).",
    )
    async def record_bankruptcy(
        self,
        info: Info,
        input: Annotated[
            RecordBankruptcyInput, strawberry.argument(description="The company, the publication and its curator.")
        ],
    ) -> EmployerPayload:
        return _employer_payload(
            *await attempt(
                lambda: employer.record_bankruptcy(
                    info.context.use_case(),
                    input.principal_number,
                    input.published_on,
                    input.curator_niss,
                    input.curator_name,
                )
            )
        )

    @strawberry.mutation(
        permission_classes=OFFICERS,
        description=(
            "DELETE or NO_ANSWER ends every group at the end of this quarter; CONTINUE changes nothing (R-EMP-5, "
            "R-EMP-6)."
        ),
    )
    async def record_curator_answer(
        self,
        info: Info,
        input: Annotated[
            RecordCuratorAnswerInput, strawberry.argument(description="The company and the curator's answer.")
        ],
    ) -> EmployerPayload:
        return _employer_payload(
            *await attempt(
                lambda: employer.record_curator_answer(info.context.use_case(), input.principal_number, input.answer)
            )
        )

    @strawberry.mutation(
        permission_classes=OFFICERS,
        description="NSSO officer only: the mandate becomes CANCELLED, kept in the history (R-ANN-1, R-ANN-2).",
    )
    async def annul_mandate(
        self,
        info: Info,
        input: Annotated[AnnulMandateInput, strawberry.argument(description="The mandate and the reason.")],
    ) -> types.MandatePayload:
        return mandate_payload(
            *await attempt(lambda: employer.annul_mandate(info.context.use_case(), input.mandate_id, input.reason))
        )

    @strawberry.mutation(
        permission_classes=OFFICERS,
        description="The definitive NSSO number: IDENTIFICATION mandates become ACTIVE (R-WIDE-6, R-WIDE-2).",
    )
    async def assign_nsso_number(
        self,
        info: Info,
        input: Annotated[AssignNssoNumberInput, strawberry.argument(description="The company and its NSSO number.")],
    ) -> EmployerPayload:
        return _employer_payload(
            *await attempt(
                lambda: employer.assign_nsso_number(info.context.use_case(), input.principal_number, input.nsso_number)
            )
        )

    @strawberry.mutation(
        permission_classes=[CanManageOrIsOfficer],
        description=(
            "An SSA's bulk branch transfer from its spreadsheet, all or nothing (R-SSA-3). Sent by an NSSO officer for "
            "any SSA, or by an SSA's manager for its own files only: the guidelines have the SSA's file transmitted to "
            "the NSSO, which transfers automatically, and this registry is the NSSO's system. An SSA's file names only "
            "itself, its own effective mandates and its own branches; any other line is refused (naming nothing about "
            "another SSA's employers). Anyone else: FORBIDDEN."
        ),
    )
    async def import_branch_changes(
        self,
        info: Info,
        input: Annotated[ImportBranchChangesInput, strawberry.argument(description="The SSA's spreadsheet.")],
    ) -> ImportBranchChangesPayload:
        data = await input.file.read()
        report, errors = await attempt(lambda: bulk_branches.import_branch_changes(info.context.use_case(), data))
        if report is None:
            return ImportBranchChangesPayload(applied=0, mandates_moved=0, refused_lines=[], user_errors=errors)
        refusal = report.refusal()
        return ImportBranchChangesPayload(
            applied=report.applied,
            mandates_moved=report.mandates_moved,
            refused_lines=[
                RefusedLine(line=item.line, reason=render(info.context.language, item.reason))
                for item in report.refused
            ],
            user_errors=[user_error(refusal)] if refusal else [],
        )
