"""The bench data follows the registry's place rules (R-UNQ-1..13, R-CHG-3): tests/bench/generate.py.

A small crowded registry (few principals and providers, so that places are contested) is generated through
the application's connection, then read back and judged quarter by quarter with models.places: the role
each group holds (`role_spans`), one holder per single place, one master and one secondary Dimona or Flexi,
at most the DRS maximum, never the same group twice for one mandatary.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import defaultdict

from config.catalogue import load_catalogue
from config.settings import Settings
from models.places import GroupRole, role_spans
from models.quarter import Quarter, quarter_or_none
from models.status import HOLDS_PLACE, IN_FLIGHT, MandateStatus
from models.tables import Mandate, MandateGroup
from tests.bench.generate import generate

TODAY = dt.date(2026, 11, 16)
HAD_EFFECT = HOLDS_PLACE | {MandateStatus.CLOSED}  # a closed mandate held its places until its end


async def generated(mandates: int) -> dict:
    args = argparse.Namespace(seed=11, today=TODAY, providers=4, ssas=1, fresh=0, mandates=mandates)
    return await generate(args)


async def place_breaches(horizon: Quarter) -> list[str]:
    """Every quarter up to `horizon` in which a principal's groups hold more places than the rules allow.

    Effective (or closed) mandates hold their places; a mandate in flight reserves its own (R-EXP-4): the
    holder it will replace keeps the place until it is activated (R-CHG-3), so each is counted apart,
    except for the DRS maxima where both count (R-UNQ-12)."""
    catalogue = load_catalogue(Settings.catalogue_path)
    mandates = {
        m["id"]: m
        for m in await Mandate.all().values("id", "status", "mandatary_id", "principal_id")
        if MandateStatus(m["status"]) in HAD_EFFECT
    }
    spans: dict[int, dict[str, tuple[Quarter, Quarter | None]]] = defaultdict(dict)
    for g in await MandateGroup.filter(mandate_id__in=list(mandates)).values(
        "mandate_id", "group_code", "start_quarter", "end_quarter"
    ):
        spans[g["mandate_id"]][g["group_code"]] = (Quarter(g["start_quarter"]), quarter_or_none(g["end_quarter"]))
    # (principal, group, quarter) -> the (mandatary, role, in flight) of each holder
    holders: dict[tuple[int, str, Quarter], list[tuple[int, GroupRole, bool]]] = defaultdict(list)
    for mandate_id, groups in spans.items():
        mandate = mandates[mandate_id]
        in_flight = MandateStatus(mandate["status"]) in IN_FLIGHT
        for code, (start, end) in groups.items():
            master = next((groups[o] for o in groups if code in catalogue[o].requires), None)
            for role, first, last in role_spans(catalogue[code].roles, start, end, master):
                quarter = first
                while quarter <= (last if last is not None else horizon):
                    holders[mandate["principal_id"], code, quarter].append((mandate["mandatary_id"], role, in_flight))
                    quarter += 1
    breaches = []
    for (principal, code, quarter), held in holders.items():
        group = catalogue[code]
        if not group.replaced_on_change:
            if len({mandatary for mandatary, _, _ in held}) < len(held):
                breaches.append(f"R-UNQ-13 principal {principal} {code} {quarter}: {held}")
            if len({mandatary for mandatary, _, _ in held}) > group.max_mandataries:
                breaches.append(f"R-UNQ-11 principal {principal} {code} {quarter}: {held}")
            continue
        for flight in (False, True):
            apart = [(mandatary, role) for mandatary, role, f in held if f is flight]
            if len({mandatary for mandatary, _ in apart}) < len(apart):
                breaches.append(f"R-UNQ-13 principal {principal} {code} {quarter}: {held}")
            for role in GroupRole:
                if sum(r is role for _, r in apart) > 1:
                    breaches.append(f"R-UNQ-1/5 principal {principal} {code} {role.value} {quarter}: {held}")
    return breaches


async def test_r_unq_1_r_unq_5_r_unq_11_r_unq_13_the_bench_data_holds_no_place_twice(reference):
    manifest = await generated(3000)
    assert manifest["replaced_groups"] > 0  # changes of provider happened, so places were contested
    current = Quarter.containing(TODAY)
    assert await place_breaches(current + 8) == []


async def test_r_chg_3_a_replaced_mandate_ends_with_its_groups_and_is_closed_once_its_end_has_passed(reference):
    await generated(3000)
    current = Quarter.containing(TODAY)
    replaced = await Mandate.filter(replaces_other_mandatary=True).count()
    assert replaced > 0
    ends: dict[int, list[int | None]] = defaultdict(list)
    for g in await MandateGroup.all().values("mandate_id", "end_quarter"):
        ends[g["mandate_id"]].append(g["end_quarter"])
    for m in await Mandate.all().values("id", "status", "end_quarter"):
        group_ends = ends[m["id"]]
        assert m["end_quarter"] == (None if None in group_ends else max(group_ends)), m
        if m["status"] == MandateStatus.ACTIVE.value:
            assert m["end_quarter"] is None or m["end_quarter"] >= current.index, m
