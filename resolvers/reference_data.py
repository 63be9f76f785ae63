"""Loading reference data: legal forms, function codes, the matrix, enterprises (API.md, Reference data file).

The whole file is checked before anything is written, and written in one transaction: a bad file
is refused whole, naming the line that broke (R-ENT-6, R-ENT-7). Loading is idempotent: an
enterprise with the same number is updated, never duplicated. The writes are batched upserts
(resolvers/bulk.py), not a statement per row: the file completes the CBE's open data
(resolvers/cbe_import.py) with what it lacks, for any number of enterprises.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, NoReturn

from tortoise.transactions import in_transaction

from config.messages import LANGUAGES
from models.errors import ErrorCode, RuleViolation
from models.identifiers import is_enterprise_number, is_niss, normalise_enterprise_number, normalise_niss
from models.sort_keys import sort_key
from models.tables import Enterprise, FunctionCode, LegalForm, Representative, SigningCompetence
from resolvers.bulk import Bulk
from resolvers.columns import values_of

PROVIDER_KINDS = {"SERVICE_PROVIDER", "SOCIAL_SECRETARIAT"}
PRINCIPAL_KINDS = {"EMPLOYER", "COMPANY_WITHOUT_STAFF"}


@dataclass(frozen=True)
class LoadReport:
    legal_forms: int
    function_codes: int
    enterprises: int


class _Checker:
    """Walks the parsed file; each refusal names the JSON path and the line of the file it stands on."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def fail(self, path: str, message: str, value: object = None) -> NoReturn:
        line = self._line_of(value)
        where = f"line {line}, " if line else ""
        raise RuleViolation(
            ErrorCode.INVALID_REFERENCE_DATA,
            "api.reference_data.invalid",
            ("file",),
            rules=("R-ENT-6",),
            where=where,
            path=path,
            detail=message,
        )

    def _line_of(self, value: object) -> int | None:
        if value is None:
            return None
        needle = json.dumps(value) if not isinstance(value, str) else f'"{value}"'
        for number, line in enumerate(self.lines, start=1):
            if needle in line:
                return number
        return None

    def text(self, item: dict[str, Any], key: str, path: str) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}.{key}", "a non-empty text is required", value)
        return value.strip()

    def person(self, item: dict[str, Any], path: str) -> tuple[str, str]:
        """A natural person: a valid NISS and a name (R-ENT-6)."""
        niss = item.get("niss")
        if not isinstance(niss, str) or not is_niss(niss):
            self.fail(f"{path}.niss", f"'{niss}' is not a valid NISS", niss)
        return normalise_niss(niss), self.text(item, "name", path)

    def language(self, item: dict[str, Any], path: str) -> str | None:
        """The enterprise's language, `en`, `fr`, `nl` or `de`, when the file gives one."""
        value = item.get("language")
        if value is None or value in LANGUAGES:
            return value
        self.fail(f"{path}.language", f"the language is one of {', '.join(LANGUAGES)}", value)

    def day(self, item: dict[str, Any], key: str, path: str, *, required: bool = True) -> dt.date | None:
        value = item.get(key)
        if value is None and not required:
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(f"{path}.{key}", "an ISO date (YYYY-MM-DD) is required", value)


def parse(text: str) -> dict[str, Any]:
    """The checked content of a reference file, or INVALID_REFERENCE_DATA."""
    check = _Checker(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RuleViolation(
            ErrorCode.INVALID_REFERENCE_DATA,
            "api.reference_data.not_json",
            ("file",),
            rules=("R-ENT-6",),
            line=error.lineno,
            detail=error.msg,
        ) from None
    if not isinstance(data, dict):
        check.fail("$", "the file must hold one JSON object")
    legal_forms = {
        check.text(f, "code", f"legalForms[{i}]"): check.text(f, "name", f"legalForms[{i}]")
        for i, f in enumerate(data.get("legalForms", []))
    }
    functions = {
        check.text(f, "code", f"functionCodes[{i}]"): check.text(f, "name", f"functionCodes[{i}]")
        for i, f in enumerate(data.get("functionCodes", []))
    }
    matrix = []
    for i, row in enumerate(data.get("matrix", [])):
        form = check.text(row, "legalForm", f"matrix[{i}]")
        for code in row.get("functions", []):
            if code not in functions and not isinstance(code, str):
                check.fail(f"matrix[{i}].functions", "function codes are texts", code)
            matrix.append((form, code))
    enterprises, seen = [], set()
    for i, item in enumerate(data.get("enterprises", [])):
        path = f"enterprises[{i}]"
        number = item.get("enterpriseNumber")
        if not isinstance(number, str) or not is_enterprise_number(number):
            check.fail(f"{path}.enterpriseNumber", f"'{number}' is not a valid enterprise number", number)
        digits = normalise_enterprise_number(number)
        if digits in seen:
            check.fail(f"{path}.enterpriseNumber", "this enterprise is listed twice", number)
        seen.add(digits)
        kinds = set(item.get("kinds") or [])
        if not kinds <= PROVIDER_KINDS | PRINCIPAL_KINDS:
            check.fail(f"{path}.kinds", f"unknown kind among {sorted(kinds)}", item.get("kinds"))
        nsso, ssa = item.get("nssoNumber"), item.get("ssaNumber")
        if "EMPLOYER" in kinds and not nsso:
            check.fail(f"{path}.nssoNumber", "an NSSO employer has an NSSO number (R-ENT-1)", number)
        if "SOCIAL_SECRETARIAT" in kinds and not ssa:
            check.fail(f"{path}.ssaNumber", "an approved social secretariat has an SSA number", number)
        people = [
            (
                *check.person(person, f"{path}.representatives[{j}]"),
                check.text(person, "functionCode", f"{path}.representatives[{j}]"),
            )
            for j, person in enumerate(item.get("representatives") or [])
        ]
        competence = [
            check.person(person, f"{path}.signingCompetence[{j}]")
            for j, person in enumerate(item.get("signingCompetence") or [])
        ]
        enterprises.append(
            {
                "enterprise_number": digits,
                "name": (name := check.text(item, "name", path)),
                "name_key": sort_key(name),
                "legal_form_id": item.get("legalForm"),
                "nsso_number": nsso or None,
                "ssa_number": ssa or None,
                "is_service_provider": "SERVICE_PROVIDER" in kinds,
                "is_social_secretariat": "SOCIAL_SECRETARIAT" in kinds,
                "active_from": check.day(item, "activeFrom", path),
                "active_until": check.day(item, "activeUntil", path, required=False),
                "address": item.get("address") or "",
                "email": item.get("email") or None,
                "known_in_cbe": bool(item.get("knownInCbe", True)),
                "known_in_user_management": bool(item.get("knownInUserManagement", True)),
                "language": check.language(item, path),
                "branches": [
                    (check.text(b, "code", f"{path}.branches[{j}]"), check.text(b, "name", f"{path}.branches[{j}]"))
                    for j, b in enumerate(item.get("branches") or [])
                ],
                "representatives": people,
                "competence": competence,
                "_path": path,
            }
        )
    return {
        "legal_forms": legal_forms,
        "functions": functions,
        "matrix": matrix,
        "enterprises": enterprises,
        "check": check,
    }


ENTERPRISE_COLUMNS = (
    "enterprise_number",
    "name",
    "name_key",  # a bulk write skips Enterprise.save, which keeps it (R-SRCH-8)
    "legal_form_id",
    "nsso_number",
    "ssa_number",
    "is_service_provider",
    "is_social_secretariat",
    "active_from",
    "active_until",
    "address",
    "known_in_cbe",
    "known_in_user_management",
    "email",
    "language",
)
CHUNK = 1000  # enterprise ids per `IN (...)`: well under SQLite's and asyncpg's parameter limits


async def load_reference(text: str) -> LoadReport:
    """Checked whole first (the codes the file uses against those it gives and those stored), then written by
    batched upserts: legal forms, function codes, the matrix, enterprises by number (the CBE's names and
    addresses are replaced by the file's), their branches, and their representatives and signing competence
    (each enterprise's sets replaced by the file's)."""
    data = parse(text)
    check: _Checker = data["check"]
    async with in_transaction() as client:
        bulk = Bulk(client)
        known_forms = set(data["legal_forms"]) | set(await values_of(LegalForm.all(), "code"))
        known_functions = set(data["functions"]) | set(await values_of(FunctionCode.all(), "code"))
        for form, code in data["matrix"]:
            if form not in known_forms or code not in known_functions:
                check.fail("matrix", f"unknown legal form or function code {form}/{code}", code)
        for item in data["enterprises"]:
            if item["legal_form_id"] is not None and item["legal_form_id"] not in known_forms:
                form = item["legal_form_id"]
                check.fail(f"{item['_path']}.legalForm", f"unknown legal form {form}", form)
            for _, _, code in item["representatives"]:
                if code not in known_functions:
                    check.fail(f"{item['_path']}.representatives", f"unknown function code {code}", code)
        for table, names in (("legal_form", data["legal_forms"]), ("function_code", data["functions"])):
            await bulk.many(
                f"INSERT INTO {table} (code, name) VALUES ({bulk.marks(2)}) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                names.items(),
            )
        await bulk.many(
            f"INSERT INTO matrix_entry (legal_form_id, function_code_id) VALUES ({bulk.marks(2)}) "
            "ON CONFLICT (legal_form_id, function_code_id) DO NOTHING",
            sorted(set(data["matrix"])),
        )
        await bulk.many(
            f"INSERT INTO enterprise ({', '.join(ENTERPRISE_COLUMNS)}) VALUES ({bulk.marks(len(ENTERPRISE_COLUMNS))}) "
            "ON CONFLICT (enterprise_number) DO UPDATE SET "
            + ", ".join(f"{column} = excluded.{column}" for column in ENTERPRISE_COLUMNS[1:]),
            ([item[column] for column in ENTERPRISE_COLUMNS] for item in data["enterprises"]),
        )
        for start in range(0, len(data["enterprises"]), CHUNK):
            await _people_and_branches(bulk, data["enterprises"][start : start + CHUNK])
    return LoadReport(len(data["legal_forms"]), len(data["functions"]), len(data["enterprises"]))


async def _people_and_branches(bulk: Bulk, items: list[dict[str, Any]]) -> None:
    """One chunk of enterprises: branches upserted, representatives and signing competence replaced."""
    ids = dict(
        await Enterprise.filter(enterprise_number__in=[item["enterprise_number"] for item in items]).values_list(
            "enterprise_number", "id"
        )
    )
    chosen = list(ids.values())
    await bulk.many(
        f"INSERT INTO branch (enterprise_id, code, name) VALUES ({bulk.marks(3)}) "
        "ON CONFLICT (enterprise_id, code) DO UPDATE SET name = excluded.name",
        ((ids[item["enterprise_number"]], code, name) for item in items for code, name in item["branches"]),
    )
    await Representative.filter(enterprise_id__in=chosen).delete()
    await Representative.bulk_create(
        [
            Representative(enterprise_id=ids[item["enterprise_number"]], niss=niss, name=name, function_code_id=code)
            for item in items
            for niss, name, code in item["representatives"]
        ],
        batch_size=CHUNK,
    )
    await SigningCompetence.filter(enterprise_id__in=chosen).delete()
    await SigningCompetence.bulk_create(
        [
            SigningCompetence(enterprise_id=ids[item["enterprise_number"]], niss=niss, name=name)
            for item in items
            for niss, name in item["competence"]
        ],
        batch_size=CHUNK,
    )
