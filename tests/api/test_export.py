"""`GET /exports/mandates.xlsx`: the search exported to a spreadsheet, one row a mandate group (R-SRCH-5).

The export runs the search of `mandates` (tests/api/test_search.py): the same criteria, the same
viewer scoping, the same order. Today is 2024-05-10 (2/2024) unless a test moves the clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from resolvers import export as export_module
from tests.api.helpers import BOULANGERIE, LOGISTIQUE, PROVIDER, PROVIDER2, SSA, SSA_NUMBER, active, created, sign
from tests.api.test_search import columns_dataset, order, references, search
from tests.conftest import token

URL = "/exports/mandates.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADINGS = [
    "Reference",
    "Principal number",
    "Principal",
    "Mandatary number",
    "Mandatary",
    "Branch",
    "Group",
    "Group name",
    "Role",
    "Start",
    "End",
    "Status",
    "Created",
]


async def get(api, as_: str, **params):
    """The export's response for a persona."""
    return await api.client.get(URL, params=params, headers={"Authorization": f"Bearer {token(as_)}"})


async def exported(api, as_: str, **params) -> list[dict]:
    """The export's rows as dicts keyed by heading."""
    response = await get(api, as_, **params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == 'attachment; filename="mandates-2024-05-10.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    return [dict(zip(HEADINGS, row)) for row in rows[1:]]


async def test_r_srch_5_one_row_per_mandate_group_with_its_mandates_data(api):
    """A DmfA mandate has three groups (DmfA, Dimona, Flexi): three rows, Dimona and Flexi as masters."""
    dmfa = await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "3/2024")
    branch = await created(
        api, "employer-director", mandataryNumber=SSA_NUMBER, branchCode="LIE", groups=["PMP"], startQuarter="3/2024"
    )
    rows = await exported(api, "employer-director", orderBy="REFERENCE", direction="ASC")
    assert [r["Reference"] for r in rows] == [dmfa["reference"]] * 3 + [branch["reference"]]
    assert sorted(r["Group"] for r in rows[:3]) == ["DIMONA", "DMFA", "FLEXI"]
    by_group = {r["Group"]: r for r in rows if r["Reference"] == dmfa["reference"]}
    assert {g: r["Role"] for g, r in by_group.items()} == {"DMFA": "Sole", "DIMONA": "Master", "FLEXI": "Master"}
    first = by_group["DMFA"]
    assert first["Principal number"] == LOGISTIQUE and first["Principal"] == "Demo Logistique Meuse SA"
    assert first["Mandatary number"] == PROVIDER and first["Mandatary"] == "Demo Payroll Partners SA"
    assert (first["Start"], first["End"], first["Status"], first["Branch"]) == ("3/2024", None, "Active", None)
    assert first["Group name"] == "DmfA"
    assert isinstance(first["Created"], dt.datetime) and first["Created"].date() == dt.date(2024, 5, 10)
    ssa_row = next(r for r in rows if r["Reference"] == branch["reference"])
    assert (ssa_row["Branch"], ssa_row["Status"], ssa_row["Mandatary number"]) == ("LIE", "To be finalised", SSA)


async def test_r_srch_5_the_export_holds_every_group_of_250_matches_while_a_page_holds_100(api):
    """R-SRCH-5's test: 250 matches, a first page of 100 edges, and every group row in the export."""
    from models.tables import MandateGroup
    from tests.bench.generate import generate

    manifest = await generate(
        argparse.Namespace(seed=5, today=dt.date(2024, 5, 10), providers=4, ssas=1, fresh=0, mandates=250)
    )
    page = await search(api, "nsso-officer", first=100)
    assert page["totalCount"] == 250 and len(page["edges"]) == 100
    rows = await exported(api, "nsso-officer")
    assert len(rows) == manifest["mandate_groups"] == await MandateGroup.all().count()
    assert len({r["Reference"] for r in rows}) == 250


async def test_r_srch_3_the_export_honours_the_combined_criteria_of_the_search(api):
    old = await active(api, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "1/2024")
    new = await active(api, LOGISTIQUE, SSA, ["PMP"], "3/2024")
    pending = await created(
        api, "employer-director", mandataryNumber=PROVIDER2, groups=["WITA_AMATEUR"], startQuarter="3/2024"
    )
    await sign(api, "employer-director", pending["id"])
    combined = {"groups": ["PMP"], "statuses": ["ACTIVE"], "mandataryNumber": SSA_NUMBER, "period": "4/2024"}
    rows = await exported(
        api, "employer-director", groups="PMP", statuses="ACTIVE", mandataryNumber=SSA_NUMBER, period="4/2024"
    )
    assert [(r["Reference"], r["Group"]) for r in rows] == [(new["reference"], "PMP")]
    assert await references(api, "employer-director", filter=combined) == [new["reference"]]
    # A criterion that matches a mandate exports all its groups (the row is a group, the match a mandate).
    rows = await exported(api, "employer-director", groups="SIGEDIS")
    assert sorted((r["Reference"], r["Group"]) for r in rows) == [
        (old["reference"], "PMP"),
        (old["reference"], "SIGEDIS"),
    ]
    # Repeated or comma-separated values are ORed inside a criterion.
    repeated = await exported(api, "employer-director", statuses=["ACTIVE", "PENDING"])
    commas = await exported(api, "employer-director", statuses="ACTIVE,PENDING")
    assert repeated == commas
    assert {r["Reference"] for r in commas} == {old["reference"], new["reference"], pending["reference"]}
    assert {r["Status"] for r in await exported(api, "employer-director", statuses="PENDING")} == {"Pending"}
    assert await exported(api, "employer-director", principalNumber=BOULANGERIE) == []


async def test_r_srch_1_the_export_shows_only_the_viewers_mandates_and_an_officer_all(api):
    own = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    other = await created(api, "employer-manager", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    assert {r["Reference"] for r in await exported(api, "employer-director")} == {own["reference"]}
    assert {r["Reference"] for r in await exported(api, "employer-manager")} == {other["reference"]}
    assert {r["Reference"] for r in await exported(api, "provider-signatory")} == {own["reference"]}
    assert {r["Reference"] for r in await exported(api, "employer-consult")} == {
        own["reference"]
    }  # consulting is enough
    assert {r["Reference"] for r in await exported(api, "nsso-officer")} == {own["reference"], other["reference"]}
    # A criterion naming someone else's mandatary never widens the view.
    assert await exported(api, "employer-director", mandataryNumber=SSA) == []


@pytest.mark.parametrize(
    "field", ["CREATED_AT", "REFERENCE", "PRINCIPAL_NAME", "MANDATARY_NAME", "STATUS", "START_QUARTER", "END_QUARTER"]
)
async def test_r_srch_8_the_export_follows_the_searchs_order_across_chunks(api, clock, monkeypatch, field):
    """Read two mandates at a time, the export resumes each chunk after the last row: same order as the search, nothing
    lost or repeated."""
    monkeypatch.setattr(export_module, "CHUNK", 2)
    await columns_dataset(api, clock)
    for direction in ("ASC", "DESC"):
        expected = await references(api, "nsso-officer", orderBy=order(field, direction))
        rows = await exported(api, "nsso-officer", orderBy=field, direction=direction)
        assert list(dict.fromkeys(r["Reference"] for r in rows)) == expected
        assert len(rows) == len(expected)  # one group each


async def test_r_srch_7_the_export_is_newest_first_by_default(api, clock):
    made = []
    for day, (mandatary, group) in zip((8, 9, 10), ((PROVIDER, "PMP"), (SSA, "SIGEDIS"), (PROVIDER2, "WITA_AMATEUR"))):
        clock.frozen = dt.date(2024, 5, day)
        made.append(
            (await created(api, "employer-director", mandataryNumber=mandatary, groups=[group], startQuarter="3/2024"))[
                "reference"
            ]
        )
    clock.frozen = dt.date(2024, 5, 10)
    assert [r["Reference"] for r in await exported(api, "employer-director")] == made[::-1]


async def test_r_srch_5_the_export_speaks_french_when_asked(api):
    await created(
        api, "employer-director", mandataryNumber=PROVIDER, groups=["INTERNATIONAL_SERVICES"], startQuarter="3/2024"
    )
    response = await get(api, "employer-director", lang="fr")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Mandats"
    assert rows[0][:3] == ("Référence", "Numéro du mandant", "Mandant")
    assert rows[1][7] == "Services internationaux"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["no token", "bad token", "not bearer"],
)
async def test_r_usr_1_an_export_without_a_valid_token_is_a_401_in_graphqls_error_shape(api, headers):
    response = await api.client.get(URL, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert "xlsx" not in response.headers["content-type"]


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"mandataryNumber": "0403.170.702"}, "INVALID_ENTERPRISE_NUMBER", ["filter", "mandataryNumber"]),
        ({"period": "5/2024"}, "INVALID_QUARTER", ["period"]),
        ({"groups": "NOT_A_GROUP"}, "UNKNOWN_GROUP", ["filter", "groups"]),
        ({"statuses": "OPEN"}, "INVALID_INPUT", ["statuses"]),
        ({"orderBy": "NAME"}, "INVALID_INPUT", ["orderBy"]),
        ({"direction": "UP"}, "INVALID_INPUT", ["direction"]),
    ],
)
async def test_r_srch_2_malformed_criteria_are_a_400_with_the_rules_code(api, params, code, field):
    response = await get(api, "employer-director", **params)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": code, "field": field}


async def test_r_srch_5_the_sheet_has_a_frozen_heading_an_autofilter_and_statuses_and_roles_in_words(api):
    await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "3/2024")
    await created(api, "employer-director", mandataryNumber=PROVIDER2, groups=["PMP"], startQuarter="3/2024")
    for language, words in (
        ("en", {("Sole", "Active"), ("Master", "Active"), ("Sole", "To be finalised")}),
        ("fr", {("Unique", "Actif"), ("Master", "Actif"), ("Unique", "À finaliser")}),
    ):
        response = await get(api, "employer-director", lang=language)
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == "A1:M5"
        assert {(row[8], row[11]) for row in sheet.iter_rows(min_row=2, values_only=True)} == words


async def test_r_srch_5_the_heading_and_words_are_in_each_of_the_four_languages(api):
    await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "3/2024")
    for language, title, heading, status in (
        ("en", "Mandates", "Mandatary", "Active"),
        ("fr", "Mandats", "Mandataire", "Actif"),
        ("nl", "Mandaten", "Mandataris", "Actief"),
        ("de", "Mandate", "Mandatar", "Aktiv"),
    ):
        sheet = load_workbook(io.BytesIO((await get(api, "employer-director", lang=language)).content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert sheet.title == title and rows[0][4] == heading and {row[11] for row in rows[1:]} == {status}


async def test_the_export_sends_its_first_bytes_before_the_matches_are_read_and_makes_rows_off_the_event_loop(
    app, monkeypatch
):
    """Two mandates a batch: the first body bytes leave while at most the first batches are read (one read
    ahead), and every batch's rows are made in a thread other than the event loop's."""
    import asyncio
    import threading

    from tests.bench.generate import generate

    manifest = await generate(
        argparse.Namespace(seed=7, today=dt.date(2024, 5, 10), providers=3, ssas=1, fresh=0, mandates=40)
    )
    monkeypatch.setattr(export_module, "CHUNK", 2)
    read, threads, encode, batches = [], set(), export_module._encode, export_module.batches

    async def counted(*args):
        async for batch in batches(*args):
            read.append(len(batch))
            yield batch

    def recorded(*args):
        threads.add(threading.get_ident())
        return encode(*args)

    monkeypatch.setattr(export_module, "batches", counted)
    monkeypatch.setattr(export_module, "_encode", recorded)
    bodies, read_at_first_body, request_sent = [], None, False

    async def receive():
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        nonlocal read_at_first_body
        if message["type"] == "http.response.start":
            assert message["status"] == 200
        elif message["type"] == "http.response.body" and message.get("body"):
            read_at_first_body = len(read) if read_at_first_body is None else read_at_first_body
            bodies.append(message["body"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token('nsso-officer')}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    assert read_at_first_body is not None and read_at_first_body <= 2
    assert sum(read) == 40 and len(read) == 20
    assert threading.get_ident() not in threads and threads
    sheet = load_workbook(io.BytesIO(b"".join(bodies)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == manifest["mandate_groups"] + 1
