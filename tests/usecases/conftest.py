"""The use-case tier: tests that call `resolvers/` directly, as a persona, on one database shared by the
package (migrated, with the demo reference data) where each test runs inside a transaction rolled back
at its end.

The use cases open their own transactions with `in_transaction()`; inside the test's transaction
Tortoise makes each a SAVEPOINT (its NestedTransactionContext), on SQLite and on PostgreSQL alike, so a
refused use case still undoes its partial writes and the next test still starts from the reference data.
The connection is bound to an event loop, so the tests of this package share one loop
(`pytestmark = pytest.mark.asyncio(loop_scope="package")` in each module).
"""

from __future__ import annotations

import pytest
import pytest_asyncio
from tortoise.transactions import in_transaction

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database
from models.catalogue import Catalogue
from resolvers.ids import use_secret
from tests.conftest import SETTINGS, fresh_database
from tests.usecases.steps import Acting


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def shared_database():
    use_secret(SETTINGS.id_secret)
    await fresh_database(with_reference=True)
    yield
    await close_database()


@pytest_asyncio.fixture(loop_scope="package")
async def db(shared_database):
    """The test's transaction: whatever the test wrote is rolled back when it ends."""
    async with in_transaction() as transaction:
        yield transaction
        await transaction.rollback()


@pytest.fixture(scope="package")
def catalogue() -> Catalogue:
    return load_catalogue(SETTINGS.catalogue_path)


@pytest.fixture
def act(db, clock: Clock, catalogue: Catalogue) -> Acting:
    """`act("ssa-signatory")`: the UseCase of that demo persona, on the test's clock."""
    return Acting(clock, catalogue)
