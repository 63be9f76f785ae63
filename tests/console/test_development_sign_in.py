"""The console's development sign-in (config/asgi.py): the demo personas, and a token the server mints
for one of them; never routed when MANDATES_PRODUCTION is on. And /console/settings.json, the
registry's today that the console counts quarters from (R-CAL-4)."""

from __future__ import annotations

from dataclasses import replace

import httpx

from config.asgi import create_app
from config.demo import personas

VIEWER = "{ viewer { niss name canManage isOfficer enterprise { enterpriseNumber } } }"


async def test_r_usr_1_the_development_sign_in_lists_the_personas_and_mints_a_token_for_one(api):
    listed = (await api.client.get("/console/dev-personas")).json()
    assert listed["developmentOnly"] is True
    assert [p["key"] for p in listed["personas"]] == [p["key"] for p in personas()]
    response = await api.client.post("/console/dev-token", json={"key": "employer-consult"})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    token = response.json()["token"]
    result = (await api.raw(VIEWER, headers={"Authorization": f"Bearer {token}"})).json()
    assert result["data"]["viewer"] == {
        "niss": "01120566397",
        "name": "Arnaud Fontaine",
        "canManage": False,
        "isOfficer": False,
        "enterprise": {"enterpriseNumber": "0893.219.451"},
    }


async def test_r_usr_1_an_unknown_persona_gets_no_token(api):
    for body in ({"key": "nobody"}, {}, []):
        response = await api.client.post("/console/dev-token", json=body)
        assert response.status_code == 400
        assert "token" not in response.json()
    response = await api.client.post(
        "/console/dev-token", content=b"not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


async def test_r_usr_1_the_development_sign_in_is_absent_in_production(reference, clock, settings):
    app = create_app(replace(settings, production=True), clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        assert (await client.get("/console/dev-personas")).status_code == 404
        minted = await client.post("/console/dev-token", json={"key": "nsso-officer"})
        assert minted.status_code in (404, 405) and "token" not in minted.text
        assert (await client.get("/console/settings.json")).json() == {
            "today": "2024-05-10",
            "developmentSignIn": False,
        }


async def test_r_cal_4_the_console_counts_quarters_from_the_registrys_today(api, clock):
    assert (await api.client.get("/console/settings.json")).json() == {"today": "2024-05-10", "developmentSignIn": True}
    assert (await api.client.get("/console/")).status_code == 200  # the console itself
