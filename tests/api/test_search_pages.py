"""The search's pages walk indexes, its counts are bounded, its cursors are keysets (scale item 2, R-SRCH-5, R-SRCH-8).

Through the GraphQL endpoint on both databases; the query shapes are read back from the databases'
own planners (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN` with sequential scans off).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from openpyxl import load_workbook
from tortoise import connections

from models.quarter import Quarter
from models.sort_keys import sort_key
from models.status import MandateStatus
from models.tables import Enterprise, Mandate, MandateGroup
from resolvers import mandate_pages
from resolvers.access import Actor
from resolvers.search import Criteria, OrderField
from tests.api.helpers import (
    BOULANGERIE,
    COOP,
    LOGISTIQUE,
    PROVIDER,
    active,
    copies,
    created,
    error_codes,
    key,
    statements,
)
from tests.api.test_search import columns_dataset, order
from tests.conftest import Api, token

PAGE = """
query($orderBy: MandateOrder, $filter: MandateFilter, $first: Int, $after: String, $last: Int, $before: String) {
  mandates(orderBy: $orderBy, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { reference } }
  }
}"""
COUNT = """
query($filter: MandateFilter) { mandates(filter: $filter, first: 1) { totalCount countIsLowerBound } }"""
FIELDS = [field.name for field in OrderField]
OFFICER = Actor(niss="00000000097", name="Officer", enterprise_number=None, scopes=frozenset({"nsso:officer"}))


@asynccontextmanager
async def _client(settings, clock) -> AsyncIterator[Api]:
    from config.asgi import create_app

    app = create_app(settings, clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield Api(client)


@pytest.fixture
async def api(settings, clock, reference):
    """These tests walk many pages: the app without the search's abuse limit."""
    async with _client(replace(settings, limit_search_per_minute=0), clock) as client:
        yield client


async def page(api, as_: str, **variables) -> dict:
    result = await api(PAGE, variables, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandates"]


def refs(found: dict) -> list[str]:
    return [edge["node"]["reference"] for edge in found["edges"]]


async def walk_forwards(api, as_: str, size: int, after: str | None = None, **variables) -> list[str]:
    seen = []
    while True:
        found = await page(api, as_, first=size, after=after, **variables)
        seen += refs(found)
        assert found["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not found["pageInfo"]["hasNextPage"]:
            return seen
        after = found["pageInfo"]["endCursor"]


async def walk_backwards(api, as_: str, size: int, **variables) -> list[str]:
    seen, before = [], None
    while True:
        found = await page(api, as_, last=size, before=before, **variables)
        seen = refs(found) + seen
        assert found["pageInfo"]["hasNextPage"] is (before is not None)
        if not found["pageInfo"]["hasPreviousPage"]:
            return seen
        before = found["pageInfo"]["startCursor"]


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_r_srch_8_every_sort_column_pages_forwards_and_backwards(api, clock, direction):
    """Pages of 2 walked both ways give the whole list's order, for every column, officers and parties alike."""
    await columns_dataset(api, clock)
    for field in FIELDS:
        for viewer in ("nsso-officer", "provider-signatory", "employer-director"):
            whole = refs(await page(api, viewer, orderBy=order(field, direction)))
            assert whole, (field, viewer)
            assert await walk_forwards(api, viewer, 2, orderBy=order(field, direction)) == whole, (field, viewer)
            assert await walk_backwards(api, viewer, 2, orderBy=order(field, direction)) == whole, (field, viewer)


async def test_r_srch_5_pages_are_stable_when_mandates_are_created_between_them(api, clock):
    """A page resumes after its cursor's row, not at an offset: mandates created meanwhile (here copies of
    one in the middle of every order, so they land before and after the cursor) shift nothing."""
    names = await columns_dataset(api, clock)
    middle = await Mandate.get(reference=names["c"])
    for field in FIELDS:
        for direction in ("DESC", "ASC"):
            before = refs(await page(api, "nsso-officer", orderBy=order(field, direction)))
            one = await page(api, "nsso-officer", first=3, orderBy=order(field, direction))
            await copies(middle, 2, MandateStatus.PENDING)
            rest = await walk_forwards(
                api, "nsso-officer", 2, after=one["pageInfo"]["endCursor"], orderBy=order(field, direction)
            )
            shown = refs(one) + rest
            assert len(shown) == len(set(shown)), (field, direction, shown)  # none repeated
            assert [r for r in shown if r in before] == before, (field, direction)  # none skipped, same order


async def test_r_srch_5_a_cursor_is_opaque_and_belongs_to_its_order(api, clock):
    await columns_dataset(api, clock)
    found = await page(api, "nsso-officer", first=2, orderBy=order("REFERENCE"))
    cursor = found["pageInfo"]["endCursor"]
    assert "M20" not in cursor and len(cursor) > 30  # sealed: no reference or offset to read
    other = await api(PAGE, {"first": 2, "after": cursor, "orderBy": order("CREATED_AT")}, as_="nsso-officer")
    assert error_codes(other) == ["INVALID_INPUT"]
    altered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    assert error_codes(await api(PAGE, {"first": 2, "before": altered}, as_="nsso-officer")) == ["INVALID_INPUT"]
    assert error_codes(await api(PAGE, {"last": 101}, as_="nsso-officer")) == ["INVALID_INPUT"]


@pytest.fixture
async def bounded(settings, clock, reference):
    """The app with a count bound of 3."""
    async with _client(replace(settings, count_bound=3, limit_search_per_minute=0), clock) as client:
        yield client


async def test_r_srch_5_a_count_beyond_the_bound_reports_the_bound_as_a_lower_bound(bounded):
    first = await created(bounded, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    counted = (await bounded(COUNT, {}, as_="employer-director"))["data"]["mandates"]
    assert counted == {"totalCount": 1, "countIsLowerBound": False}
    await copies(await Mandate.get(id=key(first["id"])), 2, MandateStatus.PENDING)
    assert (await bounded(COUNT, {}, as_="employer-director"))["data"]["mandates"] == {
        "totalCount": 3,
        "countIsLowerBound": False,
    }
    await copies(await Mandate.get(id=key(first["id"])), 1, MandateStatus.PENDING)
    for viewer in ("employer-director", "provider-signatory", "nsso-officer"):
        assert (await bounded(COUNT, {}, as_=viewer))["data"]["mandates"] == {
            "totalCount": 3,
            "countIsLowerBound": True,
        }, viewer
    # With a criterion: exact again under the bound.
    filtered = await bounded(COUNT, {"filter": {"statuses": ["TO_BE_FINALISED"]}}, as_="employer-director")
    assert filtered["data"]["mandates"] == {"totalCount": 1, "countIsLowerBound": False}


async def test_r_srch_5_the_count_is_not_computed_unless_asked(api, monkeypatch):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    counted = []
    original = mandate_pages.count

    async def counting(*args):
        counted.append(args)
        return await original(*args)

    monkeypatch.setattr(mandate_pages, "count", counting)
    assert refs(await page(api, "employer-director"))
    assert counted == []
    both = await api(COUNT, {}, as_="employer-director")
    assert both["data"]["mandates"] == {"totalCount": 1, "countIsLowerBound": False}
    assert len(counted) == 1  # both fields, one count


NAMES = {LOGISTIQUE: "Zeta", BOULANGERIE: "éclair Conseil", COOP: "bravo services"}


async def _rename() -> None:
    for number, name in NAMES.items():
        enterprise = await Enterprise.get(enterprise_number=number.replace(".", ""))
        enterprise.name = name
        await enterprise.save(update_fields=["name"])  # the sort key follows the name


async def test_r_srch_8_names_sort_alphabetically_without_case_or_accents(api, clock):
    """ "bravo services" < "éclair Conseil" < "Zeta", on SQLite and PostgreSQL, in the search and the export."""
    await _rename()
    made = {}
    for number in NAMES:
        made[number] = (await active(api, number, PROVIDER, ["PMP"], "3/2024"))["reference"]
    expected = [made[COOP], made[BOULANGERIE], made[LOGISTIQUE]]
    for viewer in ("nsso-officer", "provider-signatory"):
        assert refs(await page(api, viewer, orderBy=order("PRINCIPAL_NAME"))) == expected
        assert refs(await page(api, viewer, orderBy=order("PRINCIPAL_NAME", "DESC"))) == expected[::-1]
    response = await api.client.get(
        "/exports/mandates.xlsx",
        params={"orderBy": "PRINCIPAL_NAME", "direction": "ASC"},
        headers={"Authorization": f"Bearer {token('provider-signatory')}"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [row[2] for row in rows] == ["bravo services", "éclair Conseil", "Zeta"]


# A page's related rows: read once per kind, before its fields resolve, and only when selected (schema.prefetch).

PARTIES_AND_GROUPS = """
fragment Principal on Mandate { principal { name } }
{ mandates(first: 20) { edges { node { reference ...Principal ... on Mandate {
  mandatary { name } groups { group { code } startQuarter } } } } } }"""


def _reads(run: list[str], table: str, key: str) -> int:
    return sum(1 for sql in run if re.search(rf'FROM "{table}" WHERE "{key}" IN', sql))


async def test_scale_a_page_reads_its_parties_with_its_rows_and_its_groups_in_one_statement(api, clock):
    await columns_dataset(api, clock)
    with statements() as run:
        result = await api(PARTIES_AND_GROUPS, as_="nsso-officer")
    assert "errors" not in result, result
    nodes = [edge["node"] for edge in result["data"]["mandates"]["edges"]]
    assert len(nodes) == 7
    for node in nodes:  # each mandate with its own parties and groups, as the tables hold them
        mandate = await Mandate.get(reference=node["reference"])
        principal, mandatary = (
            await Enterprise.get(id=mandate.principal_id),
            await Enterprise.get(id=mandate.mandatary_id),
        )
        groups = await MandateGroup.filter(mandate_id=mandate.id).order_by("id")
        assert node["principal"] == {"name": principal.name}
        assert node["mandatary"] == {"name": mandatary.name}
        assert [group["group"]["code"] for group in node["groups"]] == [group.group_code for group in groups]
        assert [group["startQuarter"] for group in node["groups"]] == [
            str(Quarter(group.start_quarter)) for group in groups
        ]
    assert _reads(run, "enterprise", "id") == 0, run  # the principals and mandataries came with the page's rows
    assert sum("JOIN enterprise AS principal ON principal.id = page.principal_id" in sql for sql in run) == 1, run
    assert _reads(run, "mandate_group", "mandate_id") == 1, run
    assert _reads(run, "mandate", "id") == 0, run  # the page's statement read the mandates whole


async def test_scale_a_page_reads_only_the_rows_it_selects(api, clock):
    await columns_dataset(api, clock)
    with statements() as run:
        result = await api("{ mandates(first: 20) { edges { cursor node { reference status } } } }", as_="nsso-officer")
    assert len(result["data"]["mandates"]["edges"]) == 7, result
    assert _reads(run, "enterprise", "id") == _reads(run, "mandate_group", "mandate_id") == 0, run


# The query shapes: each side's read walks an index in the page's order.


async def _plan(sql: str, parameters: list) -> str:
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        async with connection.acquire_connection() as raw, raw.transaction():
            await raw.execute("SET LOCAL enable_seqscan = off")
            rows = await raw.fetch(f"EXPLAIN {sql}", *parameters)
        return "\n".join(row[0] for row in rows)
    _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", parameters)
    return "\n".join(row["detail"] for row in rows)


async def _sides(api, clock) -> mandate_pages.Sides:
    await columns_dataset(api, clock)
    provider = await Enterprise.get(enterprise_number=PROVIDER.replace(".", ""))
    viewer = Actor(niss="85073003328", name="x", enterprise_number=provider.enterprise_number, scopes=frozenset())
    return await mandate_pages.sides(viewer)


INDEXED = {  # the orders whose sides walk an index
    OrderField.CREATED_AT: ("principal_id", "mandatary_id"),
    OrderField.REFERENCE: ("principal_id", "mandatary_id"),
}


@pytest.mark.parametrize("field", list(INDEXED))
async def test_scale_the_search_sides_walk_their_indexes(api, clock, field):
    viewer = await _sides(api, clock)
    today = clock.today()
    sql, parameters = mandate_pages.rows_statement(
        viewer, Criteria(), today, mandate_pages.Order(field), {}, [("<", _far(field))], True, 21, parties=True
    )
    plan = await _plan(sql, parameters)
    assert "Seq Scan on mandate" not in plan and "SCAN mandate" not in plan, plan
    if connections.get("default").capabilities.dialect == "postgres":
        sides = plan[plan.index("Append") :]  # below the merge: the two sides' reads
        # One index read of mandate per side.
        assert len(re.findall(r"Index (?:Only )?Scan (?:Backward )?using \S+ on mandate ", sides)) == 2, plan
        assert "Sort" not in sides, plan  # no side sorts its rows: each reads them in the index's order
    else:
        for side in ("principal_id", "mandatary_id"):
            assert re.search(rf"SEARCH mandate USING (COVERING )?INDEX \S+ \({side}=\?", plan), plan
        lines = plan.splitlines()
        sorts = [i for i, line in enumerate(lines) if line == "USE TEMP B-TREE FOR ORDER BY"]
        # Only the merge sorts (each side's at most 21 rows), and the page once joined to its parties (by
        # their primary key); no side sorts the rows it reads.
        assert "SEARCH principal USING INTEGER PRIMARY KEY" in plan, plan
        assert all(
            lines[i - 1].startswith(("SCAN side", "SEARCH mandatary USING INTEGER PRIMARY KEY")) for i in sorts
        ), plan


async def test_scale_the_group_criterion_is_an_exists_on_the_mandate_group_index(api, clock):
    viewer = await _sides(api, clock)
    criteria = Criteria(groups=("PMP",), period=Quarter.parse("3/2024", ("period",)).index)
    sql, parameters = mandate_pages.rows_statement(
        viewer, criteria, clock.today(), mandate_pages.Order(), {}, [], True, 21
    )
    assert "EXISTS (SELECT 1 FROM mandate_group" in sql
    plan = await _plan(sql, parameters)
    assert "Seq Scan on mandate_group" not in plan and "SCAN mandate_group" not in plan, plan
    if connections.get("default").capabilities.dialect == "postgres":
        assert re.search(r"Index (Only )?Scan (Backward )?using \S+ on mandate_group", plan), plan  # through an index
    else:  # a correlated probe of the (mandate, group) unique index per mandate read
        assert re.search(r"SEARCH mandate_group USING INDEX \S+ \(mandate_id=\? AND group_code=\?\)", plan), plan


async def test_scale_the_count_reads_at_most_the_bound_per_side(api, clock):
    viewer = await _sides(api, clock)
    sql, parameters = mandate_pages.count_statement(viewer, Criteria(), clock.today(), 1000)
    assert _limits(sql, parameters, 1001) == 2  # each side stops after the bound + 1
    plan = await _plan(sql, parameters)
    assert "Seq Scan on mandate" not in plan and "SCAN mandate" not in plan, plan
    officer = await mandate_pages.sides(OFFICER)
    officer_sql, officer_parameters = mandate_pages.count_statement(officer, Criteria(), clock.today(), 1000)
    assert _limits(officer_sql, officer_parameters, 1001) == 1


def _limits(sql: str, parameters: list, n: int) -> int:
    """How many times a statement stops at `n` rows: a LIMIT in its text on PostgreSQL, a parameter on SQLite
    (mandate_pages._Statement.limit); nothing else is a parameter without a cursor."""
    if connections.get("default").capabilities.dialect == "postgres":
        assert parameters == [], parameters
        return sql.count(f"LIMIT {n}")
    assert set(parameters) == {n}, parameters
    return len(parameters)


FILTERED = Criteria(
    groups=("PMP",), period=Quarter.parse("3/2024", ("period",)).index, statuses=(MandateStatus.ACTIVE,)
)


async def test_scale_a_filtered_count_reads_indexes_only(api, clock):
    """Statuses and a group with its period (migration 0014). PostgreSQL: each side reads its (party, status, id,
    ...) index alone and the groups' (group_code, mandate_id, start_quarter, end_quarter) index alone, no row.
    SQLite: each side reads its index alone and probes the (mandate, group) unique index per mandate."""
    viewer = await _sides(api, clock)
    sql, parameters = mandate_pages.count_statement(viewer, FILTERED, clock.today(), 500)
    plan = await _plan(sql, parameters)
    if connections.get("default").capabilities.dialect == "postgres":
        assert len(re.findall(r"Index Only Scan using \S+ on mandate ", plan)) == 2, plan
        assert re.search(r"Index Only Scan using \S+ on mandate_group ", plan), plan
        assert not re.search(r"(Seq|Bitmap Heap|[^y] Index) Scan", plan), plan  # every read is an index-only one
    else:
        for side in ("principal_id", "mandatary_id"):
            assert re.search(rf"SEARCH mandate USING COVERING INDEX \S+ \({side}=\? AND status=\?\)", plan), plan
        keys = r"(mandate_id=\? AND group_code|group_code=\? AND mandate_id)=\?"
        probes = rf"SEARCH mandate_group USING (COVERING )?INDEX \S+ \({keys}"
        assert len(re.findall(probes, plan)) == 2, plan
    assert await mandate_pages.count(viewer, FILTERED, clock.today(), 500) == mandate_pages.Count(1, False)


async def test_scale_2_the_criteria_are_written_into_the_text_and_only_a_cursor_is_a_parameter(api, clock):
    """PostgreSQL plans a statement without parameters for its values once and keeps the plan; a parameter
    gives a plan per execution, or a generic plan made for no value in particular (mandate_pages._Statement)."""
    viewer = await _sides(api, clock)
    today, order_ = clock.today(), mandate_pages.Order()
    sql, parameters = mandate_pages.rows_statement(viewer, FILTERED, today, order_, {}, [], True, 21, parties=True)
    assert _limits(sql, parameters, 21) == 3  # each side's and the merge's
    assert "'PMP'" in sql and "'ACTIVE'" in sql and f">= {FILTERED.period}" in sql
    after = [dt.datetime(2100, 1, 1, tzinfo=dt.UTC), 2**31 - 1]
    _, parameters = mandate_pages.rows_statement(viewer, FILTERED, today, order_, {}, [("<", after)], True, 21)
    assert [value for value in parameters if value != 21] == after + after  # the cursor's values, once per side
    quoted = Criteria(groups=("PMP') OR ('1'='1",))  # a value in the text is quoted: it matches nothing
    assert await mandate_pages.count(viewer, quoted, today, 500) == mandate_pages.Count(0, False)


def _far(field: OrderField) -> list:
    """Sort values after every row (descending: before the first page's start)."""
    if field is OrderField.CREATED_AT:
        return [dt.datetime(2100, 1, 1, tzinfo=dt.UTC), 2**31 - 1]
    return [9999, 2**31 - 1, 2**31 - 1]


async def test_r_srch_8_enterprises_loaded_from_reference_data_carry_their_sort_keys(reference):
    """config/demo/reference.json goes in through resolvers.reference_data: every name has its key."""
    loaded = await Enterprise.all().values("name", "name_key")
    assert loaded
    assert all(row["name_key"] == sort_key(row["name"]) for row in loaded)


@pytest.mark.usefixtures("database")
async def test_scale_2_each_side_names_its_enterprise_in_the_text_not_as_a_parameter():
    """PostgreSQL plans a parameter for an average party once a statement is reused; the busiest party's
    count then reads its whole index range. Written into the text, the id is planned for (mandate_pages._own)."""
    sides = mandate_pages.Sides(mandate_pages.PARTIES, 987654)
    today = dt.date(2024, 5, 10)
    statement, parameters = mandate_pages.count_statement(sides, Criteria(groups=("DIMONA",)), today, 10)

    assert "mandate.principal_id = 987654" in statement and "mandate.mandatary_id = 987654" in statement
    assert 987654 not in parameters
