"""GraphQL documents and small steps the behaviour tests share."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from models.status import MandateStatus
from models.tables import Mandate
from resolvers.ids import parse_id
from tests.conftest import PERSONAS

MANDATE_FIELDS = """
  id reference status encoder startQuarter endQuarter finaliseBefore createdAt
  principal { enterpriseNumber name } mandatary { enterpriseNumber name }
  branch { code }
  groups { group { code } role startQuarter endQuarter }
  signatures { party method signerNiss }
  history { action actorNiss method detail }
"""

CREATE = f"""
mutation($input: CreateMandateInput!) {{
  createMandate(input: $input) {{ mandate {{ {MANDATE_FIELDS} }} userErrors {{ code field message rules }} }}
}}"""

SIGN = f"""
mutation($id: ID!) {{
  signMandate(input: {{mandateId: $id}}) {{ mandate {{ {MANDATE_FIELDS} }} userErrors {{ code field message rules }} }}
}}"""

DASHBOARD = """
{ dashboard {
  toBeFinalised { status count colour mandateId }
  pending { status count colour mandateId }
  rejected { status count colour mandateId }
} }"""

# Demo enterprises (config/demo/reference.json).
LOGISTIQUE = "0893.219.451"  # SA, employer; persona employer-director
BOULANGERIE = "0804.115.152"  # SRL, employer; employer-manager, employer-employee
COOP = "0538.038.016"
ASBL = "0685.628.860"  # not known in user management: notified by post
GARAGE = "0747.349.069"
CEASED = "0502.895.213"  # active until 2025-06-30
NO_STAFF = "0753.512.133"  # company without staff
FOREIGN = "0471.809.087"  # unknown in the CBE
PROVIDER = "0420.178.759"  # service provider (and employer)
PROVIDER2 = "1029.453.872"  # service provider active from 2024-02-15
SSA = "0938.372.852"  # social secretariat SSA-300, branches BRU ANT LIE
SSA_NUMBER = "SSA-300"

PRINCIPAL_OF = {
    LOGISTIQUE: "employer-director",
    BOULANGERIE: "employer-manager",
    COOP: "coop-managing-director",
    NO_STAFF: "company-without-staff",
}
SIGNATORY_OF = {PROVIDER: "provider-signatory", PROVIDER2: "provider2-signatory", SSA: "ssa-signatory", **PRINCIPAL_OF}


async def create(api, as_: str, **fields) -> dict:
    """createMandate's payload (mandate and userErrors)."""
    result = await api(CREATE, {"input": fields}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["createMandate"]


async def created(api, as_: str, **fields) -> dict:
    payload = await create(api, as_, **fields)
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["mandate"]


async def sign(api, as_: str, mandate_id: str) -> dict:
    result = await api(SIGN, {"id": mandate_id}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["signMandate"]


async def active(api, principal: str, mandatary: str, groups: list[str], start: str, *, by: str = "principal") -> dict:
    """A mandate encoded by one party and confirmed by the other, both by authentication."""
    if by == "principal":
        mandate = await created(
            api, SIGNATORY_OF[principal], mandataryNumber=mandatary, groups=groups, startQuarter=start
        )
        first, second = SIGNATORY_OF[principal], SIGNATORY_OF[mandatary]
    else:
        mandate = await created(
            api, SIGNATORY_OF[mandatary], principalNumber=principal, groups=groups, startQuarter=start
        )
        first, second = SIGNATORY_OF[mandatary], SIGNATORY_OF[principal]
    assert (await sign(api, first, mandate["id"]))["userErrors"] == []
    payload = await sign(api, second, mandate["id"])
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["mandate"]


def codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


def niss(persona: str) -> str:
    return PERSONAS[persona]["niss"]


MANDATE = f"""
query($reference: String!) {{ mandate(reference: $reference) {{ {MANDATE_FIELDS} }} }}"""

NOTIFICATIONS = """
query($first: Int, $after: String) { notifications(first: $first, after: $after) {
  totalCount
  edges { node { recipient { enterpriseNumber } channel subject body createdAt mandate { reference } } }
} }"""


async def read(api, as_: str, reference: str) -> dict | None:
    """The mandate as `as_` sees it (None when not visible)."""
    result = await api(MANDATE, {"reference": reference}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandate"]


async def notifications(api, as_: str, first: int | None = None) -> list[dict]:
    """The notifications of `as_`'s enterprise (all of them for an officer), newest first."""
    result = await api(NOTIFICATIONS, {"first": first}, as_=as_)
    assert "errors" not in result, result
    return [edge["node"] for edge in result["data"]["notifications"]["edges"]]


def error_codes(result: dict) -> list[str]:
    """The `extensions.code` of a response's top-level errors."""
    return [error.get("extensions", {}).get("code") for error in result.get("errors") or []]


def key(global_id: str, kind: str = "Mandate") -> int:
    """The row key a global ID names (tests reach rows the API does not write)."""
    parsed = parse_id(global_id, (kind,))
    assert parsed is not None, global_id
    return parsed[1]


async def copies(mandate: Mandate, how_many: int, status: MandateStatus) -> None:
    """`how_many` more mandates like `mandate`, in `status` (written directly: only their number matters)."""
    fields = {name: getattr(mandate, name) for name in mandate._meta.db_fields if name != "id"}
    last = await Mandate.filter(series=mandate.series).order_by("-number").first()
    assert last is not None
    rows = []
    for n in range(last.number + 1, last.number + 1 + how_many):
        rows.append(Mandate(**{**fields, "number": n, "reference": f"T{mandate.series}-{n}", "status": status}))
    await Mandate.bulk_create(rows)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements Tortoise runs inside the block, as its client logs them (logger tortoise.db_client)."""
    run: list[str] = []

    class Record(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            run.append(str(record.args[0]) if record.args else record.getMessage())

    logger, handler = logging.getLogger("tortoise.db_client"), Record(logging.DEBUG)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield run
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
