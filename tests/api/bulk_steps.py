"""The bulk branch transfer's data, shared by the API tests and the console's (R-SSA-3): 60 fictitious
employers (valid CBE, NSSO and NISS numbers), each with an ACTIVE PMP mandate of the demo SSA (SSA-300)
managed by its branch BRU, made through the use cases themselves; and the .xlsx the transfer reads.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl

from models.identifiers import format_enterprise_number
from models.quarter import Quarter
from resolvers.access import MANAGE, Actor
from resolvers.context import UseCase
from resolvers.create import NewMandate, create_mandate
from resolvers.ids import encode_id
from resolvers.reference_data import load_reference
from resolvers.sign import sign_mandate
from tests.api.helpers import SSA, niss
from tests.bench.generate import cbe_number, niss_number

EMPLOYERS = 60
SSA_DIGITS = SSA.replace(".", "")


def employer(i: int) -> dict:
    return {
        "cbe": format_enterprise_number(cbe_number(7_100_000 + i)),
        "nsso": f"71{i:05d}-01",
        "niss": niss_number(dt.date(1980, 1, 1), 2 * i + 1),
    }


async def employers_of_the_ssa(catalogue, clock, extra: tuple[dict, ...] = ()) -> list[dict]:
    """The 60 employers and their mandates (and `extra` enterprises of the reference file's shape)."""
    people = [employer(i) for i in range(EMPLOYERS)]
    await load_reference(
        json.dumps(
            {
                "enterprises": [
                    {
                        "enterpriseNumber": p["cbe"],
                        "name": f"Bulk Employer {i} SA",
                        "legalForm": "014",
                        "kinds": ["EMPLOYER"],
                        "nssoNumber": p["nsso"],
                        "activeFrom": "2010-01-01",
                        "representatives": [{"niss": p["niss"], "name": f"Director {i}", "functionCode": "10003"}],
                    }
                    for i, p in enumerate(people)
                ]
                + list(extra)
            }
        )
    )
    ssa = Actor(niss("ssa-signatory"), "SSA signatory", SSA_DIGITS, frozenset({MANAGE}))
    for p in people:
        principal = Actor(p["niss"], "Director", p["cbe"].replace(".", ""), frozenset({MANAGE}))
        await active_pmp(catalogue, clock, ssa, principal, p["cbe"], branch_code="BRU")
    return people


async def active_pmp(
    catalogue, clock, mandatary: Actor, principal: Actor, principal_number: str, *, branch_code: str | None = None
) -> None:
    """An ACTIVE PMP mandate from 2/2024: encoded and signed by the mandatary, then signed by the principal."""
    mandate = await create_mandate(
        UseCase(mandatary, clock, catalogue),
        NewMandate(
            groups=["PMP"],
            start_quarter=Quarter.parse("2/2024"),
            principal_number=principal_number,
            branch_code=branch_code,
        ),
    )
    mandate_id = encode_id("Mandate", mandate.id)
    await sign_mandate(UseCase(mandatary, clock, catalogue), mandate_id)
    assert (await sign_mandate(UseCase(principal, clock, catalogue), mandate_id)).status.value == "ACTIVE"


def workbook(rows: list[tuple]) -> bytes:
    """A real .xlsx: a header row, then the lines."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("SSA", "Employer", "New branch"))
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
