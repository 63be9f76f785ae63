"""The search's statements built once per request's criteria and run with each page's cursor values
(resolvers/mandate_pages.py, issue 11): the same text and parameters as a statement built for the request, a
page's cursor values and never another's, today's conditions for today only, and a cursor's value refused
anywhere but in a parameter. The criteria are written into the text (searchsql), so each has its own."""

from __future__ import annotations

import datetime as dt

import pytest

from models.status import MandateStatus
from resolvers import mandate_pages
from resolvers.search import Criteria, OrderField

pytestmark = pytest.mark.usefixtures("database")

TODAY = dt.date(2024, 5, 10)
VIEWER = mandate_pages.Sides(mandate_pages.PARTIES, 4321)
OFFICER = mandate_pages.Sides((None,), 0)
# Two requests of each shape: the second's values differ from the first's in every place (two searches).
SHAPES = [
    (Criteria(), Criteria()),
    (
        Criteria(principal_id=7, groups=("PMP", "DIMONA"), period=8100, statuses=(MandateStatus.ACTIVE,)),
        Criteria(principal_id=9, groups=("DMFA", "PMP"), period=8101, statuses=(MandateStatus.ACTIVE,)),
    ),
    (
        Criteria(mandatary_id=3, statuses=(MandateStatus.CANCELLED, MandateStatus.CLOSED)),
        Criteria(mandatary_id=5, statuses=(MandateStatus.CANCELLED, MandateStatus.CLOSED)),
    ),
]
BOUNDS = {  # after and before a cursor, per request
    OrderField.CREATED_AT: (
        [("<", [dt.datetime(2024, 5, 1, tzinfo=dt.UTC), 40]), (">", [dt.datetime(2024, 1, 1, tzinfo=dt.UTC), 10])],
        [("<", [dt.datetime(2024, 4, 1, tzinfo=dt.UTC), 30]), (">", [dt.datetime(2023, 1, 1, tzinfo=dt.UTC), 5])],
    ),
    OrderField.STATUS: ([("<", ["PENDING", 12])], [("<", ["ACTIVE", 2])]),
    OrderField.PRINCIPAL_NAME: ([(">", ["ACME", 3, 8])], [(">", ["ZETA", 4, 9])]),
}


@pytest.mark.parametrize("sides", [VIEWER, OFFICER], ids=["viewer", "officer"])
@pytest.mark.parametrize("field", list(BOUNDS))
@pytest.mark.parametrize("shape", range(len(SHAPES)))
async def test_scale_a_cached_page_statement_is_the_one_built_for_the_request(sides, field, shape):
    order = mandate_pages.Order(field)
    columns = {"id": "mandate.id", "status": mandate_pages.SHOWN_STATUS}
    for parties in (False, True):
        for criteria, limit in zip(SHAPES[shape], (21, 6), strict=True):
            texts = set()
            for bounds in BOUNDS[field]:  # two pages of one search
                arguments = (sides, criteria, TODAY, order, columns, bounds, True, limit, parties)
                cached = mandate_pages.cached_rows_statement(*arguments)
                assert cached == mandate_pages.rows_statement(*arguments)
                texts.add(cached[0])
            assert len(texts) == 1  # one search, one text


async def test_scale_a_cached_statement_is_built_once_per_search_and_day_and_takes_each_pages_values():
    mandate_pages._rows_template.cache_clear()
    mandate_pages._count_template.cache_clear()
    first, second = SHAPES[1]
    order = mandate_pages.Order(OrderField.CREATED_AT)
    (after, _), (later, _) = BOUNDS[OrderField.CREATED_AT]
    one = mandate_pages.cached_rows_statement(VIEWER, second, TODAY, order, {}, [after], True, 21)
    two = mandate_pages.cached_rows_statement(VIEWER, second, TODAY, order, {}, [later], True, 21)
    assert mandate_pages._rows_template.cache_info().misses == 1
    assert mandate_pages._rows_template.cache_info().hits == 1
    assert one[0] == two[0]
    assert two == mandate_pages.rows_statement(VIEWER, second, TODAY, order, {}, [later], True, 21)
    assert 40 not in two[1]  # not the first page's cursor value
    # Another search, its own text, with none of the other's criteria.
    other = mandate_pages.cached_rows_statement(VIEWER, first, TODAY, order, {}, [later], True, 21)
    assert mandate_pages._rows_template.cache_info().misses == 2
    assert other[0] != two[0] and "'DIMONA'" in other[0] and "'DIMONA'" not in two[0]
    # Today's conditions are today's: another day builds its own, with that day's dates (and quarter).
    later_day = TODAY + dt.timedelta(days=100)
    three = mandate_pages.cached_rows_statement(VIEWER, second, later_day, order, {}, [later], True, 21)
    assert mandate_pages._rows_template.cache_info().misses == 3
    assert three == mandate_pages.rows_statement(VIEWER, second, later_day, order, {}, [later], True, 21)
    assert three[0] != two[0]  # today's dates are in the text
    # The count: one template per search, asked again for the same search.
    for criteria in (first, second, first):
        cached = mandate_pages.cached_count_statement(VIEWER, criteria, TODAY, 500)
        assert cached == mandate_pages.count_statement(VIEWER, criteria, TODAY, 500)
    assert mandate_pages._count_template.cache_info().misses == 2
    assert mandate_pages._count_template.cache_info().hits == 1


async def test_scale_a_cursor_value_written_into_a_statements_text_fails_its_build():
    """A stand-in can only be a parameter: a statement writing a page's cursor value into its text would carry
    the first page's value to every other one; it cannot be built."""
    stand_in = mandate_pages.Values().slot(987654)
    with pytest.raises(TypeError):
        _ = f"mandate.principal_id = {stand_in}"
    with pytest.raises(TypeError):
        mandate_pages.count_statement(mandate_pages.Sides(mandate_pages.PARTIES, stand_in), Criteria(), TODAY, 10)
