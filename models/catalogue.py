"""The application-group catalogue (R-CLU-1..9): reference data, read into plain values.

The catalogue itself lives in `config/reference/application_groups.json`; the rules only ever see
`ApplicationGroup` values, so a group added to the data needs no code change (R-CLU-1).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from models.errors import ErrorCode, RuleViolation


class RoleScheme(enum.Enum):
    SOLE = "SOLE"  # one place per mandatary (maxMandataries places in all)
    MASTER_SECONDARY = (
        "MASTER_SECONDARY"  # Dimona, Flexi: the DmfA mandatary's master + one secondary (R-UNQ-5, R-UNQ-8)
    )


@dataclass(frozen=True)
class ApplicationGroup:
    code: str
    name: str
    name_fr: str
    name_nl: str
    name_de: str
    category: str
    category_name: str
    max_mandataries: int | None  # 1 = single mandatary; None = no limit (R-CLU-4)
    roles: RoleScheme
    requires: tuple[str, ...]  # DMFA requires DIMONA and FLEXI (R-UNQ-4)
    employer_only: bool  # activated once the principal is an NSSO employer (R-CLU-6)
    delegable: bool  # R-CLU-7, R-DEL-4
    technical_extension_quarters: int  # R-CLU-9
    nsso_initiator: bool  # R-CLU-8
    publiato_period: bool  # R-COMP-4
    replaced_on_change: bool  # False for DRS: a full maximum refuses, never replaces (R-UNQ-11)
    applications: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ApplicationGroup:
        return cls(
            code=data["code"],
            name=data["name"],
            name_fr=data.get("nameFr", data["name"]),
            name_nl=data.get("nameNl", data["name"]),
            name_de=data.get("nameDe", data["name"]),
            category=data["category"],
            category_name=data["categoryName"],
            max_mandataries=data["maxMandataries"],
            roles=RoleScheme(data["roles"]),
            requires=tuple(data.get("requires", ())),
            employer_only=data["employerOnly"],
            delegable=data["delegable"],
            technical_extension_quarters=data.get("technicalExtensionQuarters", 0),
            nsso_initiator=data.get("nssoInitiator", False),
            publiato_period=data.get("publiatoPeriod", False),
            replaced_on_change=data.get("replacedOnChange", True),
            applications=tuple(data.get("applications", ())),
        )


class Catalogue:
    """The groups by code, in catalogue order."""

    def __init__(self, groups: list[ApplicationGroup]):
        self._groups = {group.code: group for group in groups}

    def __iter__(self) -> Iterator[ApplicationGroup]:
        return iter(self._groups.values())

    def __contains__(self, code: str) -> bool:
        return code in self._groups

    def get(self, code: str) -> ApplicationGroup | None:
        return self._groups.get(code)

    def __getitem__(self, code: str) -> ApplicationGroup:
        """A group the registry already holds (a stored code): an unknown one is a KeyError, a bug."""
        return self._groups[code]

    def resolve(self, codes: list[str], field: tuple[str, ...] = ("groups",)) -> list[ApplicationGroup]:
        """The groups a request names: at least one, each known, none twice (R-CRE-3, R-CLU-1)."""
        if not codes:
            raise RuleViolation(ErrorCode.GROUPS_REQUIRED, "api.groups.required", field)
        if len(set(codes)) != len(codes):
            raise RuleViolation(ErrorCode.INVALID_INPUT, "api.groups.twice", field)
        unknown = [code for code in codes if code not in self._groups]
        if unknown:
            raise RuleViolation(ErrorCode.UNKNOWN_GROUP, "api.groups.unknown", field, groups=", ".join(unknown))
        return [self._groups[code] for code in codes]
