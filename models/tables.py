"""The registry's tables (Tortoise ORM). Rows only: the rules live in the pure modules beside this one.

Quarters are stored as `Quarter.index` integers so that periods compare and sort in SQL.
Foreign keys to mandates and enterprises RESTRICT deletion: history must survive.
The bare annotations (`principal_id: int`, `groups: ReverseRelation[...]`) declare, for the type
checker, the attributes Tortoise adds to each row: a foreign key's column and a reverse relation.
A nullable TextField is annotated `str | None` (the field class is a `str`): Tortoise types TextField
as never null, whatever `null=True` says.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.delivery import DeliveryDecision, DeliveryState
from models.employer import CuratorAnswer, DeletionRequester
from models.identification import ForeignDocument, IdentificationStatus, ProviderRequestStatus
from models.signing import Party, SigningMethod
from models.sort_keys import sort_key
from models.status import MandateStatus

RESTRICT = fields.RESTRICT


class LegalForm(Model):
    code = fields.CharField(max_length=8, primary_key=True)
    name = fields.CharField(max_length=200)
    # The CBE code table's descriptions (models/cbe_extract.py); null until a CBE extract gave them.
    name_fr = fields.CharField(max_length=300, null=True)
    name_nl = fields.CharField(max_length=300, null=True)
    name_de = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "legal_form"


class FunctionCode(Model):
    code = fields.CharField(max_length=8, primary_key=True)
    name = fields.CharField(max_length=200)

    class Meta:
        table = "function_code"


class MatrixEntry(Model):
    """Representatives matrix: a function allowed to sign for a legal form (R-ENT-9)."""

    id = fields.IntField(primary_key=True)
    legal_form: fields.ForeignKeyRelation[LegalForm] = fields.ForeignKeyField(
        "models.LegalForm", related_name="matrix", on_delete=fields.CASCADE
    )
    legal_form_id: int
    function_code: fields.ForeignKeyRelation[FunctionCode] = fields.ForeignKeyField(
        "models.FunctionCode", related_name="matrix", on_delete=fields.CASCADE
    )
    function_code_id: int

    class Meta:
        table = "matrix_entry"
        unique_together = (("legal_form", "function_code"),)


class Enterprise(Model):
    id = fields.IntField(primary_key=True)
    enterprise_number = fields.CharField(max_length=10, unique=True)  # ten digits, no dots
    nsso_number = fields.CharField(max_length=20, null=True, unique=True)
    ssa_number = fields.CharField(max_length=20, null=True, unique=True)
    name = fields.CharField(max_length=200)
    name_key = fields.CharField(max_length=200, default="")  # the name as it sorts (models.sort_keys, R-SRCH-8)
    address = fields.CharField(max_length=300, default="")
    email = fields.CharField(max_length=254, null=True)  # where e-mails to it go (R-NOT-4); reference data or CBE
    legal_form: fields.ForeignKeyNullableRelation[LegalForm] = fields.ForeignKeyField(
        "models.LegalForm", null=True, related_name="enterprises", on_delete=RESTRICT
    )
    legal_form_id: int | None
    is_service_provider = fields.BooleanField(default=False)
    is_social_secretariat = fields.BooleanField(default=False)
    active_from = fields.DateField()
    active_until = fields.DateField(null=True)
    known_in_cbe = fields.BooleanField(default=True)
    known_in_user_management = fields.BooleanField(default=True)
    # The language the enterprise reads (en, fr, nl, de): of its authorisation PDFs and its notifications;
    # null when the reference data does not say (the registry's default then).
    language = fields.CharField(max_length=2, null=True)
    deleted_on = fields.DateField(
        null=True
    )  # employer identification deleted: no longer an employer after that day (R-EMP-1)
    # From the CBE's open data (resolvers/cbe_import.py): the names (type 001) in French, Dutch and German,
    # the juridical situation (000 normal, 012 liquidation, ...), the last extract that listed the enterprise.
    name_fr = fields.CharField(max_length=320, null=True)
    name_nl = fields.CharField(max_length=320, null=True)
    name_de = fields.CharField(max_length=320, null=True)
    juridical_situation = fields.CharField(max_length=3, null=True)
    cbe_extract = fields.IntField(null=True)

    representatives: fields.ReverseRelation[Representative]
    signing_competence: fields.ReverseRelation[SigningCompetence]

    class Meta:
        table = "enterprise"
        indexes = (("name_key", "id"),)

    async def save(self, *args: Any, **kwargs: Any) -> None:
        """Every save keeps the sort key with the name (a bulk insert must set it itself)."""
        self.name_key = sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = [*update_fields, "name_key"]
        await super().save(*args, **kwargs)


class Establishment(Model):
    """An establishment unit of an enterprise, from the CBE's open data (resolvers/cbe_import.py).

    Linked by the enterprise's number, not a foreign key: the open data may list a unit before or without its
    enterprise, and units come and go with each extract.
    """

    establishment_number = fields.CharField(max_length=10, primary_key=True)  # ten digits, no dots
    enterprise_number = fields.CharField(max_length=10, db_index=True)
    start_date = fields.DateField(null=True)

    class Meta:
        table = "establishment"


class CbeExtract(Model):
    """A CBE open-data extract applied (resolvers/cbe_import.py): the next update must follow the last one."""

    number = fields.IntField(primary_key=True, generated=False)  # ExtractNumber of meta.csv
    kind = fields.CharField(max_length=6)  # full or update
    snapshot_date = fields.DateField()
    extracted_at = fields.CharField(max_length=40)
    applied_at = fields.DatetimeField()

    class Meta:
        table = "cbe_extract"


class Branch(Model):
    id = fields.IntField(primary_key=True)
    enterprise: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="branches", on_delete=RESTRICT
    )
    enterprise_id: int
    code = fields.CharField(max_length=20)
    name = fields.CharField(max_length=200)

    class Meta:
        table = "branch"
        unique_together = (("enterprise", "code"),)


class Representative(Model):
    """A person registered in the CBE with a function in the enterprise (R-ENT-9)."""

    id = fields.IntField(primary_key=True)
    enterprise: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="representatives", on_delete=fields.CASCADE
    )
    enterprise_id: int
    niss = fields.CharField(max_length=11, db_index=True)
    name = fields.CharField(max_length=200)
    function_code: fields.ForeignKeyRelation[FunctionCode] = fields.ForeignKeyField(
        "models.FunctionCode", related_name="representatives", on_delete=RESTRICT
    )
    function_code_id: int

    class Meta:
        table = "representative"
        unique_together = (("enterprise", "niss", "function_code"),)


class SigningCompetence(Model):
    """A person granted « Mahis : signature d'un mandat » in access management (R-USR-3 b)."""

    id = fields.IntField(primary_key=True)
    enterprise: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="signing_competence", on_delete=fields.CASCADE
    )
    enterprise_id: int
    niss = fields.CharField(max_length=11, db_index=True)
    name = fields.CharField(max_length=200)

    class Meta:
        table = "signing_competence"
        unique_together = (("enterprise", "niss"),)


class ReferenceSeries(Model):
    """The last number given in a reference series; its row is locked while a number is taken."""

    series = fields.IntField(primary_key=True)
    last_number = fields.IntField(default=0)

    class Meta:
        table = "reference_series"


class Mandate(Model):
    id = fields.IntField(primary_key=True)
    series = fields.IntField()
    number = fields.IntField()
    reference = fields.CharField(max_length=20, unique=True)
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="mandates_given", on_delete=RESTRICT
    )
    principal_id: int
    mandatary: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="mandates_held", on_delete=RESTRICT
    )
    mandatary_id: int
    branch: fields.ForeignKeyNullableRelation[Branch] = fields.ForeignKeyField(
        "models.Branch", null=True, related_name="mandates", on_delete=RESTRICT
    )
    branch_id: int | None
    status = fields.CharEnumField(MandateStatus, max_length=20, db_index=True)
    encoder = fields.CharEnumField(Party, max_length=10)
    start_quarter = fields.IntField()
    end_quarter = fields.IntField(null=True)  # the latest end over its groups; null while one is open (API.md)
    created_at = fields.DatetimeField()
    finalise_before = fields.DateField()
    revision = fields.IntField(default=1)  # bumped on every change an issued authorisation must reflect (R-PDF-5)
    rejection_reason: str | None = fields.TextField(null=True)
    rejected_at = fields.DatetimeField(null=True)
    rejection_consulted_by_principal_at = fields.DatetimeField(null=True)
    rejection_consulted_by_mandatary_at = fields.DatetimeField(null=True)
    replaces_other_mandatary = fields.BooleanField(default=False)  # a change of provider (R-PAP-5)
    inspection_due = fields.DateField(null=True)  # referred to Inspection: decision due (R-PAP-6, R-PAP-7)
    # A late closure given with a reason awaits the officer's assessment since then (R-CLO-5, R-CLO-6).
    late_closure_since = fields.DatetimeField(null=True)
    lapse_warned_at = fields.DatetimeField(null=True)  # the 7-day warning before the 60-day limit was sent

    groups: fields.ReverseRelation[MandateGroup]
    signatures: fields.ReverseRelation[Signature]

    class Meta:
        table = "mandate"
        unique_together = (("series", "number"),)
        # Per side (principal, mandatary): the search pages walk these in creation and reference order, and
        # by the other party (its name is on enterprise.name_key); officers walk created_at and (series, number).
        # (party, status, ...) holds what the statuses as of today read, so that a count reads the index alone.
        indexes = (
            ("principal_id", "status", "id", "end_quarter", "finalise_before"),
            ("mandatary_id", "status", "id", "end_quarter", "finalise_before"),
            ("created_at",),
            ("principal_id", "created_at", "id"),
            ("mandatary_id", "created_at", "id"),
            ("principal_id", "series", "number", "id"),
            ("mandatary_id", "series", "number", "id"),
            ("principal_id", "mandatary_id", "id"),
            ("mandatary_id", "principal_id", "id"),
        )


class MandateGroup(Model):
    id = fields.IntField(primary_key=True)
    mandate: fields.ForeignKeyRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", related_name="groups", on_delete=fields.CASCADE
    )
    mandate_id: int
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name=False, on_delete=RESTRICT
    )  # denormalised for place look-ups
    principal_id: int
    group_code = fields.CharField(max_length=40)
    start_quarter = fields.IntField()
    end_quarter = fields.IntField(null=True)
    closure_reason = fields.CharField(max_length=40, null=True)
    closure_text: str | None = fields.TextField(null=True)

    class Meta:
        table = "mandate_group"
        unique_together = (("mandate", "group_code"),)
        # The search's group criterion (a group and a period, per mandate) reads only this index (covering: no
        # row look-up per group); in mandate order, PostgreSQL merges a group's rows with a party's mandates.
        indexes = (("principal_id", "group_code"), ("group_code", "mandate_id", "start_quarter", "end_quarter"))


class Signature(Model):
    id = fields.IntField(primary_key=True)
    mandate: fields.ForeignKeyRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", related_name="signatures", on_delete=fields.CASCADE
    )
    mandate_id: int
    party = fields.CharEnumField(Party, max_length=10)
    method = fields.CharEnumField(SigningMethod, max_length=20)
    signer_niss = fields.CharField(max_length=11)
    signer_name = fields.CharField(max_length=200, null=True)
    signed_at = fields.DatetimeField()

    class Meta:
        table = "signature"
        unique_together = (("mandate", "party"),)  # a party signs once (R-SIGN-13)


class Authorisation(Model):
    """An authorisation PDF issued for a mandate, and the copy uploaded back (R-PDF-1..8, R-PAP-*).

    `issued_sha256` is the hash of the sealed PDF as issued: an upload is matched to it through the
    registry's document timestamp, which covers exactly those bytes.
    """

    id = fields.IntField(primary_key=True)
    mandate: fields.ForeignKeyRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", related_name="authorisations", on_delete=fields.CASCADE
    )
    mandate_id: int
    method = fields.CharEnumField(SigningMethod, max_length=20)
    template_version = fields.CharField(max_length=10)
    mandate_revision = fields.IntField()
    issued_at = fields.DatetimeField()
    issued_pdf = fields.BinaryField()
    issued_sha256 = fields.CharField(max_length=64, db_index=True)  # repeated by later uploads of the same issued PDF
    requested_by_niss = fields.CharField(max_length=11)
    uploaded_at = fields.DatetimeField(null=True)
    uploaded_pdf = fields.BinaryField(null=True)
    uploaded_by_niss = fields.CharField(max_length=11, null=True)
    verdict: str | None = fields.TextField(null=True)
    # An accepted eID upload: what the revocation check of its signers found (models.authorisation.Revocation).
    revocation = fields.CharField(max_length=12, null=True)

    class Meta:
        table = "authorisation"


# Every column of an authorisation but its files: what is read when the PDFs are not needed (an
# uploaded copy may weigh 10 MB, and every version is kept).
AUTHORISATION_FACTS = (
    "id",
    "mandate_id",
    "method",
    "template_version",
    "mandate_revision",
    "issued_at",
    "issued_sha256",
    "requested_by_niss",
    "uploaded_at",
    "uploaded_by_niss",
    "verdict",
    "revocation",
)


class MandateEvent(Model):
    # The docstring is the table's comment, frozen in migration 0002: its length stays.
    """The history: every action on a mandate, who, when, how signed (R-LIFE-10), hash-chained per mandate (hardening 10)."""  # noqa: E501

    id = fields.IntField(primary_key=True)
    mandate: fields.ForeignKeyRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", related_name="events", on_delete=fields.CASCADE
    )
    mandate_id: int
    at = fields.DatetimeField()
    actor_niss = fields.CharField(max_length=11, null=True)
    actor_enterprise = fields.CharField(max_length=10, null=True)
    action = fields.CharField(max_length=40)
    method = fields.CharEnumField(SigningMethod, max_length=20, null=True)
    detail: str | None = fields.TextField(null=True)
    previous_hash = fields.CharField(
        max_length=64
    )  # the chain_hash of the mandate's previous event, or GENESIS (models/history_chain.py)
    chain_hash = fields.CharField(max_length=64)  # SHA-256 of this event's canonical form with previous_hash

    class Meta:
        table = "mandate_event"
        indexes = (("mandate_id", "at"),)
        unique_together = (("mandate", "previous_hash"),)  # one successor per event: the chain cannot fork


class Notification(Model):
    """A message to a party, kept; delivery to e-Box, post or e-mail is an outlet (R-NOT-1..5)."""

    id = fields.IntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="notifications", on_delete=RESTRICT
    )
    recipient_id: int
    channel = fields.CharField(max_length=10)
    subject = fields.CharField(max_length=300)
    body = fields.TextField()
    created_at = fields.DatetimeField()
    mandate: fields.ForeignKeyNullableRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", null=True, related_name="notifications", on_delete=RESTRICT
    )
    mandate_id: int | None

    class Meta:
        table = "notification"
        indexes = (("recipient_id", "created_at"),)


class Delegation(Model):
    """A main mandatary's delegation of groups for an earlier period (R-DEL-1..7)."""

    id = fields.IntField(primary_key=True)
    mandate: fields.ForeignKeyRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", related_name="delegations", on_delete=RESTRICT
    )
    mandate_id: int
    delegate: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="delegations_received", on_delete=RESTRICT
    )
    delegate_id: int
    group_codes: fields.JSONField[list[str]] = fields.JSONField()
    from_quarter = fields.IntField()
    to_quarter = fields.IntField()
    status = fields.CharEnumField(MandateStatus, max_length=20)
    created_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delegation"
        # A principal's delegations are read through its mandates (competence, R-COMP-6), a delegate's to
        # check that it may ask (R-COMP-7): without these, every question scanned the whole table.
        indexes = (("mandate_id", "id"), ("delegate_id", "mandate_id"))


class Action(Model):
    """A Dimona, DmfA, WIDE or DRS action a mandatary performed for a principal (R-CLO-11, R-CLO-12)."""

    id = fields.IntField(primary_key=True)
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name=False, on_delete=RESTRICT
    )
    principal_id: int
    mandatary: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name=False, on_delete=RESTRICT
    )
    mandatary_id: int
    group_code = fields.CharField(max_length=40)
    kind = fields.CharField(max_length=20)
    performed_on = fields.DateField()
    quarter = fields.IntField(null=True)  # DmfA, provisions: the quarter concerned
    risk_date = fields.DateField(null=True)  # DRS
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "action"
        indexes = (("principal_id", "mandatary_id"),)


class EmployerDeletion(Model):
    """The deletion of an employer identification number, as an officer recorded it (R-EMP-1, R-EMP-2)."""

    id = fields.IntField(primary_key=True)
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="deletions", on_delete=RESTRICT
    )
    principal_id: int
    deletion_date = fields.DateField()  # the exit date of the last worker subject to social security
    requested_by = fields.CharEnumField(DeletionRequester, max_length=20)
    recorded_by_niss = fields.CharField(max_length=11)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "employer_deletion"


class Bankruptcy(Model):
    """A published bankruptcy, its curator and the curator's answer to the NSSO's letter (R-EMP-4..6)."""

    id = fields.IntField(primary_key=True)
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="bankruptcies", on_delete=RESTRICT
    )
    principal_id: int
    published_on = fields.DateField()
    curator_niss = fields.CharField(max_length=11)
    curator_name = fields.CharField(max_length=200)
    recorded_at = fields.DatetimeField()
    answer = fields.CharEnumField(CuratorAnswer, max_length=20, null=True)
    answered_on = fields.DateField(null=True)

    class Meta:
        table = "bankruptcy"


class ProviderIdentificationRequest(Model):
    """A company's request to be registered as a non-approved service provider (R-SPID-1, R-SPID-2)."""

    id = fields.IntField(primary_key=True)
    enterprise: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="provider_requests", on_delete=RESTRICT
    )
    enterprise_id: int
    applicant_niss = fields.CharField(max_length=11)  # a CBE representative of the company
    applicant_name = fields.CharField(max_length=200, null=True)
    declarations: fields.JSONField[list[str]] = (
        fields.JSONField()
    )  # the conditions declared (models.identification.Declaration values)
    status = fields.CharEnumField(ProviderRequestStatus, max_length=10, db_index=True)
    reason: str | None = fields.TextField(null=True)  # the officer's reason of refusal
    submitted_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    decided_by_niss = fields.CharField(max_length=11, null=True)

    class Meta:
        table = "provider_identification_request"


class EmployerIdentificationRequest(Model):
    """An identification request (WIDE) for a principal, filed by a provider under its mandate or
    by the principal itself, blocked while its paper authorisation is refused (R-WIDE-1..3)."""

    id = fields.IntField(primary_key=True)
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="identification_requests", on_delete=RESTRICT
    )
    principal_id: int
    provider: fields.ForeignKeyNullableRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", null=True, related_name=False, on_delete=RESTRICT
    )  # none: the employer's own
    provider_id: int | None
    mandate: fields.ForeignKeyNullableRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", null=True, related_name="identification_requests", on_delete=RESTRICT
    )
    mandate_id: int | None
    status = fields.CharEnumField(IdentificationStatus, max_length=10, db_index=True)
    filed_by_niss = fields.CharField(max_length=11)
    created_at = fields.DatetimeField()
    blocked_reason: str | None = fields.TextField(null=True)
    blocked_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)

    class Meta:
        table = "employer_identification_request"
        indexes = (("principal_id", "status"),)


class NssoNumberAssignment(Model):
    """An NSSO employer number an officer assigned, kept for the enterprise's history (R-WIDE-6, R-EMP-3)."""

    id = fields.IntField(primary_key=True)
    principal: fields.ForeignKeyRelation[Enterprise] = fields.ForeignKeyField(
        "models.Enterprise", related_name="nsso_number_assignments", on_delete=RESTRICT
    )
    principal_id: int
    nsso_number = fields.CharField(max_length=20)
    assigned_by_niss = fields.CharField(max_length=11)
    assigned_at = fields.DatetimeField()

    class Meta:
        table = "nsso_number_assignment"


class ForeignEntityRegistration(Model):
    """A foreign entity the NSSO registered, with the mandate it entered for it (R-FOR-2, R-FOR-3)."""

    id = fields.IntField(primary_key=True)
    enterprise: fields.OneToOneRelation[Enterprise] = fields.OneToOneField(
        "models.Enterprise", related_name="foreign_registration", on_delete=RESTRICT
    )
    enterprise_id: int
    mandate: fields.ForeignKeyRelation[Mandate] = fields.ForeignKeyField(
        "models.Mandate", related_name=False, on_delete=RESTRICT
    )
    mandate_id: int
    registered_by_niss = fields.CharField(max_length=11)
    registered_at = fields.DatetimeField()

    class Meta:
        table = "foreign_entity_registration"


class ForeignEntityDocument(Model):
    """A document the officer checked for a foreign entity's registration, kept as received (R-FOR-2)."""

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[ForeignEntityRegistration] = fields.ForeignKeyField(
        "models.ForeignEntityRegistration", related_name="documents", on_delete=RESTRICT
    )
    registration_id: int
    kind = fields.CharEnumField(ForeignDocument, max_length=30)
    file_name = fields.CharField(max_length=200)
    content = fields.BinaryField()

    class Meta:
        table = "foreign_entity_document"


class FeedEvent(Model):
    """The change feed: one CloudEvents event per change to a mandate or a delegation."""

    id = fields.BigIntField(primary_key=True)  # the feed's order: events(after:) pages on it
    event_id = fields.CharField(max_length=36, unique=True)  # the CloudEvents id (a UUID)
    type = fields.CharField(max_length=100)
    subject = fields.CharField(max_length=100)  # mandates/<reference> or delegations/<global ID>
    time = fields.DatetimeField()
    data: fields.JSONField[dict[str, Any]] = fields.JSONField()
    # Who may read it (resolvers/visibility.py): the parties, the delegate; officers and integrations all.
    principal_id = fields.IntField()
    mandatary_id = fields.IntField()
    delegate_id = fields.IntField(null=True)

    class Meta:
        table = "feed_event"
        indexes = (("principal_id", "id"), ("mandatary_id", "id"), ("delegate_id", "id"))


class Webhook(Model):
    """An address registered to receive the change feed, signed with its secret."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=500)
    secret = fields.CharField(max_length=64)  # the HMAC key, shown once when registered
    owner_niss = fields.CharField(max_length=11)  # who registered it
    owner_enterprise_id = fields.IntField(null=True)  # the enterprise it acts for; null for the NSSO
    sees_all = fields.BooleanField(default=False)  # registered by an officer or an integration
    created_at = fields.DatetimeField()
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook"


class Delivery(Model):
    """The outbox: one message to send, a notification or a feed event to a webhook."""

    id = fields.BigIntField(primary_key=True)
    channel = fields.CharField(max_length=10)  # EBOX, POST, EMAIL or WEBHOOK
    idempotency_key = fields.CharField(max_length=36, unique=True)  # sent along; the receiver dedupes on it
    notification: fields.ForeignKeyNullableRelation[Notification] = fields.ForeignKeyField(
        "models.Notification", null=True, related_name="deliveries", on_delete=RESTRICT
    )
    notification_id: int | None
    event: fields.ForeignKeyNullableRelation[FeedEvent] = fields.ForeignKeyField(
        "models.FeedEvent", null=True, related_name="deliveries", on_delete=RESTRICT
    )
    event_id: int | None
    webhook: fields.ForeignKeyNullableRelation[Webhook] = fields.ForeignKeyField(
        "models.Webhook", null=True, related_name="deliveries", on_delete=RESTRICT
    )
    webhook_id: int | None
    state = fields.CharEnumField(DeliveryState, max_length=10)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)  # due from then; a claim moves it a lease ahead
    last_attempt_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=300, null=True)
    sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "delivery"
        indexes = (("state", "next_attempt_at"),)


class DeadLetterDecision(Model):
    """An officer's decision on a dead letter, its audit.

    RETRY or HANDLED, by whom, when, why; it keeps how the failed round had ended (its tries, its last
    error), which a new round overwrites on the delivery."""

    id = fields.BigIntField(primary_key=True)
    delivery: fields.ForeignKeyRelation[Delivery] = fields.ForeignKeyField(
        "models.Delivery", related_name="decisions", on_delete=RESTRICT
    )
    delivery_id: int
    decision = fields.CharEnumField(DeliveryDecision, max_length=10)
    officer_niss = fields.CharField(max_length=11)
    decided_at = fields.DatetimeField()
    reason: str | None = fields.TextField(null=True)  # required for HANDLED
    attempts = fields.IntField()  # the tries of the round that failed
    last_error = fields.CharField(max_length=300, null=True)  # how that round's last try failed

    class Meta:
        table = "dead_letter_decision"
