"""Foreign entities registered by the NSSO (API.md "NSSO officer operations"; RULES.md §22):
registerForeignEntity.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.types import Info

from models import identification as rules
from models.quarter import Quarter
from resolvers import foreign_entities
from schema import types
from schema.enums import described, sentences
from schema.payloads import attempt
from schema.permissions import IsOfficer

ForeignDocumentKind = rules.ForeignDocument
described(
    rules.ForeignDocument,
    name="ForeignDocumentKind",
    description="The documents a foreign entity's registration requires (R-FOR-2).",
    values=sentences(rules.DOCUMENT_TEXT),
)


@strawberry.input(description="The foreign entity's legal representative; a bis number is a NISS (R-ENT-6, R-FOR-3).")
class ForeignRepresentativeInput:
    niss: str = strawberry.field(description="The representative's NISS or bis number, 11 digits.")
    name: str = strawberry.field(description="The representative's name.")
    function_code: str = strawberry.field(description="The CBE function code the representative holds.")


@strawberry.input(description="One document of a foreign entity's registration (R-FOR-2).")
class ForeignDocumentInput:
    kind: ForeignDocumentKind = strawberry.field(description="Which required document this is.")
    file: UploadFile = strawberry.field(
        description="The document (multipart upload), at most MANDATES_MAX_UPLOAD_BYTES."
    )


@strawberry.input(
    description="The officer's registration of a foreign entity unknown in the CBE with its mandate (R-FOR-2, R-FOR-3)."
)
class RegisterForeignEntityInput:
    enterprise_number: str = strawberry.field(description="The number the entity is registered under.")
    name: str = strawberry.field(description="The entity's name.")
    address: str = strawberry.field(description="Its current address, as the company documents show it.")
    legal_form: str = strawberry.field(description="The code of its legal form in the reference data.")
    active_from: dt.date = strawberry.field(description="The first day of its activity.")
    representative: ForeignRepresentativeInput = strawberry.field(
        description="Its legal representative, who signed the authorisation."
    )
    mandatary_number: str = strawberry.field(description="CBE or SSA number of the Belgian provider.")
    mandatary_signer_niss: str = strawberry.field(
        description="The provider's responsible person who signed the authorisation."
    )
    groups: list[str] = strawberry.field(description="Codes of the mandate's application groups (R-FOR-1).")
    start_quarter: Quarter = strawberry.field(description="The mandate's start quarter.")
    documents: list[ForeignDocumentInput] = strawberry.field(
        description="The required documents, one of each kind (R-FOR-2)."
    )


@strawberry.type(description="The outcome of registerForeignEntity.")
class RegisterForeignEntityPayload:
    enterprise: types.Enterprise | None = strawberry.field(description="The registered entity; null when refused.")
    mandate: types.Mandate | None = strawberry.field(description="Its mandate, ACTIVE at once; null when refused.")
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type
class ForeignEntityMutations:
    @strawberry.mutation(
        permission_classes=[IsOfficer],
        description=(
            "NSSO officer: register a foreign entity unknown in the CBE and enter its mandate, ACTIVE at once "
            "(R-FOR-2, R-FOR-3)."
        ),
    )
    async def register_foreign_entity(
        self,
        info: Info,
        input: Annotated[
            RegisterForeignEntityInput,
            strawberry.argument(description="The entity, its representative, its mandate and the documents."),
        ],
    ) -> RegisterForeignEntityPayload:
        context = info.context
        files = [
            foreign_entities.ForeignFile(
                document.kind, getattr(document.file, "filename", None) or "", await document.file.read()
            )
            for document in input.documents
        ]
        person = input.representative
        form = foreign_entities.ForeignEntity(
            enterprise_number=input.enterprise_number,
            name=input.name,
            address=input.address,
            legal_form=input.legal_form,
            active_from=input.active_from,
            representative=foreign_entities.ForeignRepresentative(person.niss, person.name, person.function_code),
            mandatary_number=input.mandatary_number,
            mandatary_signer_niss=input.mandatary_signer_niss,
            groups=list(input.groups),
            start_quarter=input.start_quarter,
            documents=files,
        )
        outcome, errors = await attempt(
            lambda: foreign_entities.register_foreign_entity(
                context.use_case(), form, context.paperwork.max_upload_bytes
            )
        )
        if outcome is None:
            return RegisterForeignEntityPayload(enterprise=None, mandate=None, user_errors=errors)
        return RegisterForeignEntityPayload(
            enterprise=types.Enterprise.of(outcome.enterprise),
            mandate=types.Mandate.of(outcome.mandate),
            user_errors=errors,
        )
