"""The domain's enums, exposed under the names of API.md."""

from __future__ import annotations

import enum

import strawberry

from models import closure, dashboard, errors, places, signing, status


class EnterpriseKind(enum.Enum):
    EMPLOYER = "EMPLOYER"
    COMPANY_WITHOUT_STAFF = "COMPANY_WITHOUT_STAFF"
    SERVICE_PROVIDER = "SERVICE_PROVIDER"
    SOCIAL_SECRETARIAT = "SOCIAL_SECRETARIAT"
    NSSO = "NSSO"


class MandateOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    REFERENCE = "REFERENCE"
    PRINCIPAL_NAME = "PRINCIPAL_NAME"
    MANDATARY_NAME = "MANDATARY_NAME"
    STATUS = "STATUS"
    START_QUARTER = "START_QUARTER"
    END_QUARTER = "END_QUARTER"


class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


MandateStatus = strawberry.enum(status.MandateStatus, name="MandateStatus")
SigningMethod = strawberry.enum(signing.SigningMethod, name="SigningMethod")
Party = strawberry.enum(signing.Party, name="Party")
GroupRole = strawberry.enum(places.GroupRole, name="GroupRole")
BlockColour = strawberry.enum(dashboard.BlockColour, name="BlockColour")
ClosureReason = strawberry.enum(closure.ClosureReason, name="ClosureReason")
ErrorCode = strawberry.enum(errors.ErrorCode, name="ErrorCode")
EnterpriseKind = strawberry.enum(EnterpriseKind)
MandateOrderField = strawberry.enum(MandateOrderField)
OrderDirection = strawberry.enum(OrderDirection)
