"""Fixtures of the behaviour tests besides the shared ones of tests/conftest.py."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from tests.api.authorisation_steps import Signers
from tests.conftest import Api


@pytest.fixture
async def closed_tolerance(app, clock, settings):
    """A second app on the same database with the transitional paper tolerance closed (R-SIGN-9)."""
    from config.asgi import create_app

    strict = create_app(replace(settings, paper_tolerance=False), clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=strict), base_url="http://testserver") as client:
        yield Api(client)


@pytest.fixture
def signers(eid_ca) -> Signers:
    """eID signers of the test CA the app trusts (tests/conftest.py's `eid_ca`)."""
    return Signers(eid_ca[0], eid_ca[1])
