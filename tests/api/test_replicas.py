"""Operations item 2, replicas: the sweep runs once across servers and their workers.

Two real servers (`mandates serve`, one of them with two workers) on one database, with a one-second
sweep interval and a clock far ahead of the demo data: each due mandate is cancelled or closed once,
its parties notified once, its change logged once, and /metrics adds up the workers of a server.
On PostgreSQL the database of the run (DATABASE_URL); on SQLite a file shared by the processes.
"""

from __future__ import annotations

import collections
import os
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from config.catalogue import load_catalogue
from config.database import close_database, open_migrated
from config.settings import Settings
from config.sweeper import exclusive
from models.status import MandateStatus
from models.tables import Mandate, MandateEvent, Notification
from resolvers.statuses import status_is
from tests.conftest import SETTINGS, TEST_SECRET
from tests.serving import free_port, log_lines, mandates, serving

CATALOGUE = load_catalogue(Settings().catalogue_path)  # names the groups in the sweep's notifications

DEMO_DAY, FUTURE = "2024-05-10", "2026-02-16"


async def _shared_url(tmp_path) -> str:
    """The database every process uses: the run's PostgreSQL one, else a SQLite file (not :memory:)."""
    if SETTINGS.database_url.startswith("postgres"):
        return SETTINGS.database_url
    url = f"sqlite://{tmp_path / 'shared.sqlite3'}"
    await close_database()
    await open_migrated(url)
    return url


def _env(url: str, tmp_path, name: str, **settings: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "MANDATES_DATABASE_URL": url,
        "MANDATES_JWT_SECRET": TEST_SECRET,
        "MANDATES_DATA_DIR": str(tmp_path / "data"),
        "MANDATES_METRICS_DIR": str(tmp_path / f"metrics-{name}"),
        **settings,
    }


async def _due(today) -> dict[int, str]:
    """The mandates whose status as of `today` is CANCELLED or CLOSED while the database holds another."""
    due = {}
    for shown in (MandateStatus.CANCELLED, MandateStatus.CLOSED):
        for key in (
            await Mandate.filter(status_is(shown, today)).exclude(status=shown.value).values_list("id", flat=True)
        ):
            due[key] = shown.value
    return due


def _metric(text: str, name: str, **labels) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


async def test_replicas_two_servers_sweep_each_due_mandate_once(database, tmp_path):
    import datetime as dt

    url = await _shared_url(tmp_path)
    mandates("demo", env=_env(url, tmp_path, "demo", MANDATES_CLOCK=DEMO_DAY, MANDATES_SWEEP_INTERVAL_SECONDS="0"))
    due = await _due(dt.date.fromisoformat(FUTURE))
    assert len(due) >= 4 and "CANCELLED" in due.values()
    last_event = max(await MandateEvent.all().values_list("id", flat=True))
    last_notification = max(await Notification.all().values_list("id", flat=True))

    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    envs = [_env(url, tmp_path, name, MANDATES_CLOCK=FUTURE, MANDATES_SWEEP_INTERVAL_SECONDS="1") for name in "ab"]
    with serving(free_port(), envs[0], logs[0], "--workers", "2") as a, serving(free_port(), envs[1], logs[1]) as b:
        for _ in range(6):  # new connections: the kernel spreads them over A's two workers
            assert httpx.post(f"{a}/graphql", json={"query": "query Ping { __typename }"}).status_code == 200
        time.sleep(3)  # a few sweep intervals in each of the three processes
        scraped = httpx.get(f"{a}/metrics").text
        assert httpx.get(f"{b}/readyz").json() == {"status": "ready"}

    rows = await Mandate.filter(id__in=list(due)).values_list("id", "status")
    assert {key: status.value if hasattr(status, "value") else status for key, status in rows} == due
    events = collections.Counter(await MandateEvent.filter(id__gt=last_event).values_list("mandate_id", "action"))
    assert events == collections.Counter({(key, status): 1 for key, status in due.items()})
    sent = collections.Counter(
        await Notification.filter(id__gt=last_notification, mandate_id__in=list(due)).values_list(
            "mandate_id", "recipient_id", "subject"
        )
    )
    assert sent and set(sent.values()) == {1}
    assert {key for key, _, _ in sent} == set(due)

    lines = log_lines(*logs)
    assert all("request_id" in line for line in lines)
    changed = collections.Counter(line["mandate"] for line in lines if line["message"] == "sweep changed a mandate")
    assert changed == collections.Counter(dict.fromkeys(due, 1))
    runs = [line for line in lines if line["message"] == "sweep"]
    assert sum(line["cancelled"] + line["closed"] for line in runs) == len(due)
    assert len({line["request_id"] for line in runs}) == len(runs)

    assert _metric(scraped, "mandates_graphql_operations_total", operation="Ping", outcome="ok") == 6
    assert _metric(scraped, "mandates_sweep_runs_total") >= 2  # both workers of A swept or skipped
    if url.startswith("postgres"):  # asyncpg's pool, summed over A's live workers (SQLite has none)
        # A worker's pool is observed when it serves a request, and the kernel may hand all six
        # connections to one worker: at least one pool, whichever worker answered the scrape.
        assert _metric(scraped, "mandates_database_pool_connections", state="size") >= 1


async def test_replicas_the_sweep_lock_is_held_by_one_process_at_a_time(database, tmp_path):
    url = await _shared_url(tmp_path)
    async with exclusive(url) as first, exclusive(url) as second:
        assert (first, second) == (True, False)
    async with exclusive(url) as again:
        assert again  # released at the end of the run


async def test_replicas_overlapping_sweeps_report_what_each_changed_not_what_it_listed(api, clock):
    """Two sweeps without the lock (as before it) both list the due mandates; each reports only the
    rows it changed after re-checking them under their lock, so the reports add up to the work done."""
    import asyncio
    import datetime as dt

    from resolvers.sweep import sweep
    from tests.api.helpers import PROVIDER, SSA, created

    clock.frozen = dt.date(2024, 1, 1)
    for mandatary, group in ((SSA, "SIGEDIS"), (PROVIDER, "PMP")):
        await created(api, "employer-director", mandataryNumber=mandatary, groups=[group], startQuarter="1/2024")
    clock.frozen = dt.date(2024, 3, 2)  # day 61
    reports = await asyncio.gather(sweep(clock, CATALOGUE), sweep(clock, CATALOGUE))
    assert sum(report.cancelled for report in reports) == 2
    assert await MandateEvent.filter(action="CANCELLED").count() == 2
