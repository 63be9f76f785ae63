"""The rules a new mandate must meet besides its places (R-ENT-8, R-ENT-12, R-CRE-3, R-CRE-4, R-UNQ-4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.catalogue import ApplicationGroup
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.signing import Party

MAX_QUARTERS_AHEAD = 4  # "not later than one year in the future": S <= T+4 (R-CRE-4)


@dataclass(frozen=True)
class ActivityPeriod:
    active_from: dt.date
    active_until: dt.date | None

    def is_active(self, today: dt.date) -> bool:
        """Active = no end, or an end not before the reference date (R-ENT-8)."""
        return self.active_until is None or self.active_until >= today

    def covers(self, start: Quarter, end: Quarter | None) -> bool:
        """The mandate period lies within the activity period, compared per quarter (R-ENT-8)."""
        if start < Quarter.containing(self.active_from):
            return False
        if self.active_until is None:
            return True
        return end is not None and end <= Quarter.containing(self.active_until)


def check_parties(
    principal: ActivityPeriod,
    mandatary: ActivityPeriod,
    start: Quarter,
    end: Quarter | None,
    today: dt.date,
    field: tuple[str, ...] | None = None,
) -> None:
    """Both parties active on `today` and the mandate period within both activity periods (R-ENT-8).

    `field`: the input the refusal names; by default the party's number and the start quarter of a new mandate.
    """
    for party, period, party_field in (
        (Party.PRINCIPAL, principal, ("principalNumber",)),
        (Party.MANDATARY, mandatary, ("mandataryNumber",)),
    ):
        if not period.is_active(today):
            raise RuleViolation(
                ErrorCode.ENTERPRISE_INACTIVE, "api.creation.party_inactive", field or party_field, party=party
            )
        if not period.covers(start, end):
            raise RuleViolation(
                ErrorCode.PERIOD_OUTSIDE_ACTIVITY,
                "api.creation.outside_activity",
                field or ("startQuarter",),
                start=start,
                party=party,
            )


def check_end_within(principal: ActivityPeriod, mandatary: ActivityPeriod, end: Quarter) -> None:
    """A closure's end quarter within both activity periods (R-ENT-8).

    A closure only shortens the mandate, so it stays possible for an enterprise no longer active; it must
    only not end the groups after that enterprise's activity.
    """
    for party, period in ((Party.PRINCIPAL, principal), (Party.MANDATARY, mandatary)):
        if period.active_until is not None and end > (last := Quarter.containing(period.active_until)):
            raise RuleViolation(
                ErrorCode.PERIOD_OUTSIDE_ACTIVITY,
                "api.closure.after_activity",
                ("endQuarter",),
                party=party,
                last=last,
            )


def check_start(start: Quarter, today: dt.date) -> None:
    latest = Quarter.containing(today) + MAX_QUARTERS_AHEAD
    if start > latest:
        raise RuleViolation(
            ErrorCode.START_TOO_FAR_AHEAD, "api.creation.too_far_ahead", ("startQuarter",), latest=latest
        )


def check_companions(groups: list[ApplicationGroup]) -> None:
    """DmfA only with Dimona and Flexi At Work in the same mandate: refused, never added (R-UNQ-4)."""
    codes = {group.code for group in groups}
    for group in groups:
        missing = [code for code in group.requires if code not in codes]
        if missing:
            raise RuleViolation(
                ErrorCode.GROUP_REQUIRES_OTHERS,
                "api.creation.group_requires",
                ("groups",),
                group=group.name,
                missing=", ".join(missing),
            )


def check_mandatary(name: str, is_service_provider: bool, is_social_secretariat: bool, field: tuple[str, ...]) -> None:
    """Only a registered service provider or an approved social secretariat is designated (R-ENT-12, R-SPID-2)."""
    if not (is_service_provider or is_social_secretariat):
        raise RuleViolation(
            ErrorCode.NOT_A_SERVICE_PROVIDER, "api.creation.not_a_provider", field, rules=("R-ENT-12",), name=name
        )
