import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.employer import CuratorAnswer, DeletionRequester
from models.identification import ForeignDocument, IdentificationStatus, ProviderRequestStatus
from models.signing import Party, SigningMethod
from models.status import MandateStatus


class Migration(migrations.Migration):
    """Today's schema (models/tables.py at v0.1.0), as Tortoise generated it; no partial-unique or check constraint
    exists yet.

    Not atomic: Tortoise 1.1.9's SQLite schema editor splits an atomic migration's SQL on every ";",
    also inside a table comment (the Notification docstring has one), and fails with a syntax error.
    On an empty database a failure leaves tables to drop by hand before running `mandates migrate` again.
    """

    initial = True
    atomic = False

    operations = [
        ops.CreateModel(
            name="FunctionCode",
            fields=[
                ("code", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=8)),
                ("name", fields.CharField(max_length=200)),
            ],
            options={"table": "function_code", "app": "models", "pk_attr": "code"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LegalForm",
            fields=[
                ("code", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=8)),
                ("name", fields.CharField(max_length=200)),
            ],
            options={"table": "legal_form", "app": "models", "pk_attr": "code"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Enterprise",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("enterprise_number", fields.CharField(unique=True, max_length=10)),
                ("nsso_number", fields.CharField(null=True, unique=True, max_length=20)),
                ("ssa_number", fields.CharField(null=True, unique=True, max_length=20)),
                ("name", fields.CharField(max_length=200)),
                ("address", fields.CharField(default="", max_length=300)),
                (
                    "legal_form",
                    fields.ForeignKeyField(
                        "models.LegalForm",
                        source_field="legal_form_id",
                        null=True,
                        db_constraint=True,
                        to_field="code",
                        related_name="enterprises",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("is_service_provider", fields.BooleanField(default=False)),
                ("is_social_secretariat", fields.BooleanField(default=False)),
                ("active_from", fields.DateField()),
                ("active_until", fields.DateField(null=True)),
                ("known_in_cbe", fields.BooleanField(default=True)),
                ("known_in_user_management", fields.BooleanField(default=True)),
                ("deleted_on", fields.DateField(null=True)),
            ],
            options={"table": "enterprise", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Action",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "mandatary",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="mandatary_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("group_code", fields.CharField(max_length=40)),
                ("kind", fields.CharField(max_length=20)),
                ("performed_on", fields.DateField()),
                ("quarter", fields.IntField(null=True)),
                ("risk_date", fields.DateField(null=True)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "action",
                "app": "models",
                "indexes": [Index(fields=["principal_id", "mandatary_id"])],
                "pk_attr": "id",
                "table_description": (
                    "A Dimona, DmfA, WIDE or DRS action a mandatary performed for a principal (R-CLO-11, R-CLO-12)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Bankruptcy",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="bankruptcies",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("published_on", fields.DateField()),
                ("curator_niss", fields.CharField(max_length=11)),
                ("curator_name", fields.CharField(max_length=200)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "answer",
                    fields.CharEnumField(
                        null=True,
                        description="CONTINUE: CONTINUE\nDELETE: DELETE\nNO_ANSWER: NO_ANSWER",
                        enum_type=CuratorAnswer,
                        max_length=20,
                    ),
                ),
                ("answered_on", fields.DateField(null=True)),
            ],
            options={
                "table": "bankruptcy",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "A published bankruptcy, its curator and the curator's answer to the NSSO's letter (R-EMP-4..6)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Branch",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "enterprise",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="enterprise_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="branches",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("code", fields.CharField(max_length=20)),
                ("name", fields.CharField(max_length=200)),
            ],
            options={"table": "branch", "app": "models", "unique_together": (("enterprise", "code"),), "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EmployerDeletion",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deletions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("deletion_date", fields.DateField()),
                (
                    "requested_by",
                    fields.CharEnumField(
                        description="EMPLOYER: EMPLOYER\nSERVICE_PROVIDER: SERVICE_PROVIDER\nCURATOR: CURATOR",
                        enum_type=DeletionRequester,
                        max_length=20,
                    ),
                ),
                ("recorded_by_niss", fields.CharField(max_length=11)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "employer_deletion",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "The deletion of an employer identification number, as an officer recorded it (R-EMP-1, R-EMP-2)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Mandate",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("series", fields.IntField()),
                ("number", fields.IntField()),
                ("reference", fields.CharField(unique=True, max_length=20)),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mandates_given",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "mandatary",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="mandatary_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mandates_held",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "branch",
                    fields.ForeignKeyField(
                        "models.Branch",
                        source_field="branch_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="mandates",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        db_index=True,
                        description=(
                            "TO_BE_FINALISED: TO_BE_FINALISED\nPENDING: PENDING\nTO_BE_VALIDATED: "
                            "TO_BE_VALIDATED\nACTIVE: ACTIVE\nIDENTIFICATION: IDENTIFICATION\nREJECTED: "
                            "REJECTED\nCLOSED: CLOSED\nCANCELLED: CANCELLED"
                        ),
                        enum_type=MandateStatus,
                        max_length=20,
                    ),
                ),
                (
                    "encoder",
                    fields.CharEnumField(
                        description="PRINCIPAL: PRINCIPAL\nMANDATARY: MANDATARY", enum_type=Party, max_length=10
                    ),
                ),
                ("start_quarter", fields.IntField()),
                ("end_quarter", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("finalise_before", fields.DateField()),
                ("revision", fields.IntField(default=1)),
                ("rejection_reason", fields.TextField(null=True, unique=False)),
                ("rejected_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "rejection_consulted_by_principal_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "rejection_consulted_by_mandatary_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("replaces_other_mandatary", fields.BooleanField(default=False)),
                ("inspection_due", fields.DateField(null=True)),
                ("lapse_warned_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "mandate",
                "app": "models",
                "unique_together": (("series", "number"),),
                "indexes": [
                    Index(fields=["principal_id", "status"]),
                    Index(fields=["mandatary_id", "status"]),
                    Index(fields=["created_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Authorisation",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="authorisations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "method",
                    fields.CharEnumField(
                        description="AUTHENTICATION: AUTHENTICATION\nEID: EID\nHANDWRITTEN: HANDWRITTEN",
                        enum_type=SigningMethod,
                        max_length=20,
                    ),
                ),
                ("template_version", fields.CharField(max_length=10)),
                ("mandate_revision", fields.IntField()),
                ("issued_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("issued_pdf", fields.BinaryField()),
                ("issued_sha256", fields.CharField(db_index=True, max_length=64)),
                ("requested_by_niss", fields.CharField(max_length=11)),
                ("uploaded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("uploaded_pdf", fields.BinaryField(null=True)),
                ("uploaded_by_niss", fields.CharField(null=True, max_length=11)),
                ("verdict", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "authorisation",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "An authorisation PDF issued for a mandate, and the copy uploaded back (R-PDF-1..8, R-PAP-*)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Delegation",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="delegations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "delegate",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="delegate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="delegations_received",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "group_codes",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("from_quarter", fields.IntField()),
                ("to_quarter", fields.IntField()),
                (
                    "status",
                    fields.CharEnumField(
                        description=(
                            "TO_BE_FINALISED: TO_BE_FINALISED\nPENDING: PENDING\nTO_BE_VALIDATED: "
                            "TO_BE_VALIDATED\nACTIVE: ACTIVE\nIDENTIFICATION: IDENTIFICATION\nREJECTED: "
                            "REJECTED\nCLOSED: CLOSED\nCANCELLED: CANCELLED"
                        ),
                        enum_type=MandateStatus,
                        max_length=20,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ended_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "delegation",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A main mandatary's delegation of groups for an earlier period (R-DEL-1..7).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EmployerIdentificationRequest",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="identification_requests",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "provider",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="provider_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="identification_requests",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        db_index=True,
                        description="SUBMITTED: SUBMITTED\nBLOCKED: BLOCKED\nDONE: DONE",
                        enum_type=IdentificationStatus,
                        max_length=10,
                    ),
                ),
                ("filed_by_niss", fields.CharField(max_length=11)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("blocked_reason", fields.TextField(null=True, unique=False)),
                ("blocked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("done_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "employer_identification_request",
                "app": "models",
                "indexes": [Index(fields=["principal_id", "status"])],
                "pk_attr": "id",
                "table_description": (
                    "An identification request (WIDE) for a principal, filed by a provider under its mandate or"
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ForeignEntityRegistration",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "enterprise",
                    fields.OneToOneField(
                        "models.Enterprise",
                        source_field="enterprise_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="foreign_registration",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("registered_by_niss", fields.CharField(max_length=11)),
                ("registered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "foreign_entity_registration",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "A foreign entity the NSSO registered, with the mandate it entered for it (R-FOR-2, R-FOR-3)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ForeignEntityDocument",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "registration",
                    fields.ForeignKeyField(
                        "models.ForeignEntityRegistration",
                        source_field="registration_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="documents",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description=(
                            "COMPANY_DATA: COMPANY_DATA\nREPRESENTATIVE_DESIGNATION: "
                            "REPRESENTATIVE_DESIGNATION\nIDENTITY_COPY: IDENTITY_COPY\nSIGNED_AUTHORISATION: "
                            "SIGNED_AUTHORISATION"
                        ),
                        enum_type=ForeignDocument,
                        max_length=30,
                    ),
                ),
                ("file_name", fields.CharField(max_length=200)),
                ("content", fields.BinaryField()),
            ],
            options={
                "table": "foreign_entity_document",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "A document the officer checked for a foreign entity's registration, kept as received (R-FOR-2)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MandateEvent",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("actor_niss", fields.CharField(null=True, max_length=11)),
                ("actor_enterprise", fields.CharField(null=True, max_length=10)),
                ("action", fields.CharField(max_length=40)),
                (
                    "method",
                    fields.CharEnumField(
                        null=True,
                        description="AUTHENTICATION: AUTHENTICATION\nEID: EID\nHANDWRITTEN: HANDWRITTEN",
                        enum_type=SigningMethod,
                        max_length=20,
                    ),
                ),
                ("detail", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "mandate_event",
                "app": "models",
                "indexes": [Index(fields=["mandate_id", "at"])],
                "pk_attr": "id",
                "table_description": "The history: every action on a mandate, who, when, how signed (R-LIFE-10).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MandateGroup",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="groups",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "principal",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="principal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("group_code", fields.CharField(max_length=40)),
                ("start_quarter", fields.IntField()),
                ("end_quarter", fields.IntField(null=True)),
                ("closure_reason", fields.CharField(null=True, max_length=40)),
                ("closure_text", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "mandate_group",
                "app": "models",
                "unique_together": (("mandate", "group_code"),),
                "indexes": [
                    Index(fields=["principal_id", "group_code"]),
                    Index(fields=["group_code", "start_quarter", "end_quarter", "mandate_id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MatrixEntry",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "legal_form",
                    fields.ForeignKeyField(
                        "models.LegalForm",
                        source_field="legal_form_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="matrix",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "function_code",
                    fields.ForeignKeyField(
                        "models.FunctionCode",
                        source_field="function_code_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="matrix",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "matrix_entry",
                "app": "models",
                "unique_together": (("legal_form", "function_code"),),
                "pk_attr": "id",
                "table_description": "Representatives matrix: a function allowed to sign for a legal form (R-ENT-9).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Notification",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "recipient",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="recipient_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("channel", fields.CharField(max_length=10)),
                ("subject", fields.CharField(max_length=300)),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "notification",
                "app": "models",
                "indexes": [Index(fields=["recipient_id", "created_at"])],
                "pk_attr": "id",
                "table_description": (
                    "A message to a party, kept; delivery to e-Box, post or e-mail is an outlet (R-NOT-1..5)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProviderIdentificationRequest",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "enterprise",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="enterprise_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="provider_requests",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("applicant_niss", fields.CharField(max_length=11)),
                ("applicant_name", fields.CharField(null=True, max_length=200)),
                (
                    "declarations",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        db_index=True,
                        description="SUBMITTED: SUBMITTED\nAPPROVED: APPROVED\nREFUSED: REFUSED",
                        enum_type=ProviderRequestStatus,
                        max_length=10,
                    ),
                ),
                ("reason", fields.TextField(null=True, unique=False)),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("decided_by_niss", fields.CharField(null=True, max_length=11)),
            ],
            options={
                "table": "provider_identification_request",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "A company's request to be registered as a non-approved service provider (R-SPID-1, R-SPID-2)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReferenceSeries",
            fields=[
                ("series", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("last_number", fields.IntField(default=0)),
            ],
            options={
                "table": "reference_series",
                "app": "models",
                "pk_attr": "series",
                "table_description": (
                    "The last number given in a reference series; its row is locked while a number is taken."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Representative",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "enterprise",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="enterprise_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="representatives",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("niss", fields.CharField(db_index=True, max_length=11)),
                ("name", fields.CharField(max_length=200)),
                (
                    "function_code",
                    fields.ForeignKeyField(
                        "models.FunctionCode",
                        source_field="function_code_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="representatives",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "representative",
                "app": "models",
                "unique_together": (("enterprise", "niss", "function_code"),),
                "pk_attr": "id",
                "table_description": "A person registered in the CBE with a function in the enterprise (R-ENT-9).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Signature",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mandate",
                    fields.ForeignKeyField(
                        "models.Mandate",
                        source_field="mandate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="signatures",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "party",
                    fields.CharEnumField(
                        description="PRINCIPAL: PRINCIPAL\nMANDATARY: MANDATARY", enum_type=Party, max_length=10
                    ),
                ),
                (
                    "method",
                    fields.CharEnumField(
                        description="AUTHENTICATION: AUTHENTICATION\nEID: EID\nHANDWRITTEN: HANDWRITTEN",
                        enum_type=SigningMethod,
                        max_length=20,
                    ),
                ),
                ("signer_niss", fields.CharField(max_length=11)),
                ("signer_name", fields.CharField(null=True, max_length=200)),
                ("signed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "signature",
                "app": "models",
                "unique_together": (("mandate", "party"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SigningCompetence",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "enterprise",
                    fields.ForeignKeyField(
                        "models.Enterprise",
                        source_field="enterprise_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="signing_competence",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("niss", fields.CharField(db_index=True, max_length=11)),
                ("name", fields.CharField(max_length=200)),
            ],
            options={
                "table": "signing_competence",
                "app": "models",
                "unique_together": (("enterprise", "niss"),),
                "pk_attr": "id",
                "table_description": (
                    "A person granted « Mahis : signature d'un mandat » in access management (R-USR-3 b)."
                ),
            },
            bases=["Model"],
        ),
    ]
