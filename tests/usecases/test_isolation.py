"""The tier's own promise: every test starts from the migrated database with the demo reference data,
whatever the tests before it wrote (its transaction is rolled back), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from models.tables import Enterprise, Mandate, MandateEvent, Notification, ReferenceSeries
from tests.api.helpers import LOGISTIQUE, PROVIDER
from tests.usecases.steps import active, digits

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def snapshot() -> tuple[int, ...]:
    return (
        await Mandate.all().count(),
        await MandateEvent.all().count(),
        await Notification.all().count(),
        await ReferenceSeries.filter(last_number__gt=0).count(),
        await Enterprise.filter(deleted_on__isnull=False).count(),
    )


@pytest.mark.parametrize("run", [1, 2])
async def test_code_health_each_use_case_test_starts_from_the_reference_data(act, run):
    """Run twice: the second run sees none of the first's writes, nor its change to an enterprise."""
    assert await snapshot() == (0, 0, 0, 0, 0)
    assert await Enterprise.filter(enterprise_number=digits(LOGISTIQUE)).exists()
    await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    await Enterprise.filter(enterprise_number=digits(LOGISTIQUE)).update(deleted_on=act.clock.today())
    assert (await snapshot())[0] == 1
