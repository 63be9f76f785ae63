"""Statements built once and run with each request's values (resolvers/templates.py), as competence reads
them (R-COMP-7, R-DEL-1): the same rows as the query built at each call, the request's values and never
another's, the test's transaction seen, and a statement that would carry a value of its own refused."""

from __future__ import annotations

import pytest

from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.tables import Enterprise
from resolvers import competence
from resolvers.lookup import find_enterprise
from resolvers.templates import read, read_objects, template
from tests.api.delegation_steps import FULL_DMFA
from tests.api.helpers import LOGISTIQUE, PROVIDER, SSA
from tests.usecases.steps import delegate, digits, replaced_history

pytestmark = pytest.mark.asyncio(loop_scope="package")

QUARTERS = [Quarter.parse("3/2023").index, Quarter.parse("2/2024").index]

built: list[int] = []


def _counted(principal: int):
    """A build that counts its calls: a template calls it once per shape."""
    built.append(principal)
    return Enterprise.filter(id=principal).values("id", "name")


_LEAKED = {"value": "0"}


def _leaking(number: str):
    """A build that takes a value from elsewhere than its arguments."""
    return Enterprise.filter(enterprise_number=number).filter(name=_LEAKED["value"]).values("id")


async def test_r_comp_7_a_templates_rows_are_the_querys_rows_with_the_requests_values(act):
    """Tenures (with the quarters filter) and delegations, JSON groups decoded, for two principals in turn:
    each gets its own rows, written in the test's transaction (the template runs on its connection)."""
    _, main = await replaced_history(act, FULL_DMFA)
    await delegate(act, main, PROVIDER, ["DMFA"], "1/2023", "4/2023")
    logistique = await Enterprise.get(enterprise_number=digits(LOGISTIQUE))
    ssa = await Enterprise.get(enterprise_number=digits(SSA))
    for principal in (logistique.id, ssa.id, logistique.id):
        values = {"principal": principal, "codes": ["DMFA"], "groups": sorted(FULL_DMFA), "quarters": QUARTERS}
        expected = await competence._tenure_rows_covering(**values)
        assert expected or principal == ssa.id  # LOGISTIQUE's DMFA covers 3/2023 (A's) and 2/2024 (B's)
        assert await read(competence._tenure_rows_covering, competence._FINALISED_ONCE, **values) == expected
        whole = {"principal": principal, "groups": sorted(FULL_DMFA)}
        assert await read(
            competence._tenure_rows, competence._FINALISED_ONCE, **whole
        ) == await competence._tenure_rows(**whole)
        quarter = Quarter.parse("3/2023").index
        rows = await read(competence._delegation_rows, principal=principal, quarter=quarter)
        assert rows == await competence._delegation_rows(principal, quarter)
    assert [row["group_codes"] for row in rows] == [["DMFA"]]  # the last principal's (LOGISTIQUE's) delegation
    ids = [logistique.id, ssa.id]
    assert {e.name for e in await read_objects(competence._enterprises, ids=ids)} == {logistique.name, ssa.name}


async def test_r_comp_7_a_statement_is_built_once_per_shape(act):
    built.clear()
    logistique, ssa = [await Enterprise.get(enterprise_number=digits(number)) for number in (LOGISTIQUE, SSA)]
    for enterprise in (logistique, ssa, logistique):
        assert await read(_counted, principal=enterprise.id) == [{"id": enterprise.id, "name": enterprise.name}]
    assert len(built) == 1, built
    dialect = Enterprise._meta.db.capabilities.dialect
    assert template(_counted, dialect, (("principal", int, None),)) is template(
        _counted, dialect, (("principal", int, None),)
    )


async def test_r_comp_7_a_statement_carrying_a_value_of_its_own_is_refused(act):
    with pytest.raises(RuntimeError, match="parameters of its own"):
        await read(_leaking, number="0123456789")


async def test_r_comp_7_the_principal_is_found_by_each_number_it_is_known_by(act):
    """find_enterprise reads through one template per number: a CBE number, an NSSO number, an unknown one."""
    logistique = await Enterprise.get(enterprise_number=digits(LOGISTIQUE))
    assert (await find_enterprise(LOGISTIQUE, ("n",), by=("nsso_number",))).id == logistique.id
    if logistique.nsso_number:
        assert (await find_enterprise(logistique.nsso_number, ("n",), by=("nsso_number",))).id == logistique.id
    with pytest.raises(RuleViolation) as refused:
        await find_enterprise("999999-99", ("n",), by=("nsso_number",))
    assert refused.value.code is ErrorCode.ENTERPRISE_NOT_FOUND
