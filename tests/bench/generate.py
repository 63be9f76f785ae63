"""Load N synthetic mandates and as many enterprises for the benchmark (`make bench`, tests/bench/run.sh).

    python -m tests.bench.generate --mandates 1000000 [--enterprises N] [--database-url URL] [--today 2026-11-16]

Streams: rows are made one by one and written in chunks of CHUNK (PostgreSQL COPY, SQLite executemany),
all inside one transaction, so memory stays flat whatever N (what it keeps grows with the principals, not
the mandates). The schema is the migrated one (config.database.open_migrated); the rows are written with
explicit column lists straight to the tables, so another migration's new columns keep their defaults or
the values their migration gives them.

The data: the demo reference file, then enterprises (40 service providers and 5 social secretariats with
branches, N/4 principals with valid CBE, NSSO and NISS numbers and one representative allowed to sign,
the rest fresh employers with no mandate, for createMandate), then N mandates in creation order, over
providers by a Zipf law (the busiest holds about a fifth), with catalogue groups (DmfA always with Dimona
and Flexi), statuses drawn by creation day so that they are consistent with `--today` (nothing for the
sweep to do), references M<year>-<n> and the reference series, and one hash-chained history event each.
Each mandate that holds a place takes it by the registry's own place rules (models.places.plan_places, as
createMandate does): once effective, a change of provider closes the replaced groups at the end of the
quarter before the new start (R-CHG-3, R-UNQ-10), applied to the written rows at the end; one still in
flight reserves its place and replaces nothing yet (R-EXP-4); a draw the rules refuse (a taken or reserved
place, a full DRS maximum, a duplicate, a retroactive change) is drawn again (R-UNQ-1..13).

It writes a manifest (--manifest) for tests/bench/load.py and tests/bench/wrk.py: the busiest mandatary
and its signatory, a small employer, the busiest principal, mandates to read with node(id:), the range of
fresh principals, the quarters. Synthetic data: fictitious enterprises and persons. The database must hold
no mandate yet (run.sh recreates it).
"""

from __future__ import annotations

import argparse
import array
import asyncio
import bisect
import dataclasses
import datetime as dt
import itertools
import json
import random
import resource
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import asyncpg
from tortoise import Tortoise

from config.catalogue import load_catalogue
from config.database import close_database, open_migrated
from config.settings import ROOT, Settings
from models.catalogue import Catalogue
from models.errors import RuleViolation
from models.history_chain import EventFacts, chain
from models.places import Holding, Replacement, plan_places
from models.quarter import Quarter
from models.reference import format_reference
from models.signing import Party
from models.sort_keys import sort_key
from models.status import EFFECTIVE, HOLDS_PLACE, MandateStatus, finalise_before
from resolvers.reference_data import load_reference

S = MandateStatus
UTC = dt.UTC
DEMO_REFERENCE = ROOT / "config" / "demo" / "reference.json"
DEFAULT_MANIFEST = ROOT / ".data" / "bench-manifest.json"
DEFAULT_TODAY = dt.date(2026, 11, 16)
CHUNK = 10_000  # rows per COPY or executemany: memory stays flat whatever N

# Status shares of a registry in steady state (sum 1.0), each with the ages (days since creation) it can have
# on `--today` without anything for the sweep to do: a mandate's status is drawn knowing its creation day.
STATUS_SHARES = [
    (S.ACTIVE, 0.62, 0, None),
    (S.CLOSED, 0.20, 200, None),
    (S.CANCELLED, 0.07, 61, None),
    (S.TO_BE_FINALISED, 0.04, 0, 60),
    (S.PENDING, 0.03, 0, 60),
    (S.REJECTED, 0.02, 20, 365),
    (S.TO_BE_VALIDATED, 0.02, 2, 90),
]
# Group bundles a mandate asks for, with their weights; companions are added from the catalogue.
BUNDLES = [
    (("DMFA",), 30),
    (("DIMONA",), 10),
    (("DMFA", "DRS_UNEMPLOYMENT"), 5),
    (("DMFA", "DRS_BENEFITS", "DRS_WORK_ACCIDENTS"), 3),
    (("DMFA", "TEMPORARY_UNEMPLOYMENT"), 4),
    (("DMFA", "WORK_ACCIDENTS_PUBLIATO"), 3),
    (("FLEXI",), 3),
    (("PMP",), 8),
    (("SIGEDIS",), 4),
    (("PMP", "SIGEDIS"), 4),
    (("TEMPORARY_UNEMPLOYMENT",), 4),
    (("DRS_UNEMPLOYMENT", "DRS_BENEFITS"), 4),
    (("DRS_WORK_ACCIDENTS",), 2),
    (("INTERNATIONAL_SERVICES",), 2),
    (("WORK_ACCIDENTS_PUBLIATO",), 2),
    (("FEDERAL_LEARNING_ACCOUNT",), 3),
    (("WITA_AMATEUR",), 2),
    (("BELPARCEL",), 1),
    (("WIB_SINGLE_WINDOW",), 1),
    (("WORKS_DECLARATIONS",), 1),
]
# Principals' legal forms (code, weight); their representative takes a function the matrix allows.
PRINCIPAL_FORMS = [("610", 55), ("014", 15), ("706", 5), ("017", 12), ("011", 4), ("012", 3), ("026", 2), ("030", 4)]
TRADES = [
    "Boulangerie",
    "Garage",
    "Transport",
    "Bouw",
    "Drukkerij",
    "Horeca",
    "Consult",
    "Logistics",
    "Bakkerij",
    "Menuiserie",
    "Plomberie",
    "Elektro",
    "Kapsalon",
    "Pharmacie",
    "Restaurant",
    "Schoonmaak",
    "Tuinaanleg",
    "Informatique",
    "Immo",
    "Brasserie",
]
SURNAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leclercq",
    "Renard",
    "Hermans",
    "Michiels",
    "Lejeune",
    "Denis",
]
GIVEN = [
    "Marc",
    "Anne",
    "Luc",
    "Sofie",
    "Pieter",
    "Marie",
    "Jan",
    "Julie",
    "Thomas",
    "Els",
    "Nicolas",
    "Laura",
    "Koen",
    "Sarah",
]
SUFFIX = {
    "610": "SRL",
    "014": "SA",
    "706": "SC",
    "017": "ASBL",
    "011": "VOF",
    "012": "CommV",
    "026": "Fondation",
    "030": "Ltd",
}
BRANCH_CODES = ["BRU", "ANT", "GEN", "LIE", "NAM", "CHA", "HAS", "BRG"]


def cbe_number(base: int) -> str:
    """Ten digits: eight, then 97 - (the eight mod 97) (R-ENT-7)."""
    return f"{base:08d}{97 - base % 97:02d}"


def niss_number(born: dt.date, serial: int) -> str:
    """YYMMDDSSSCC for someone born before 2000: CC = 97 - (the first nine mod 97)."""
    head = f"{born:%y%m%d}{serial:03d}"
    return f"{head}{97 - int(head) % 97:02d}"


class People:
    """Valid NISS numbers with names, unique: a serial per birth day (999 a day, 18 000 days)."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng, self.taken, self.serials = rng, taken, itertools.count()

    def next(self) -> tuple[str, str]:
        while True:
            serial = next(self.serials)
            niss = niss_number(dt.date(1950, 1, 1) + dt.timedelta(days=serial % 18000), 1 + serial // 18000)
            if niss not in self.taken:
                return niss, f"{self.rng.choice(GIVEN)} {self.rng.choice(SURNAMES)}"


def weighted(rng: random.Random, items: list, weights: list[float]):
    """A sampler of `items` by cumulative weights (random.choices is slow one at a time)."""
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    return lambda: items[bisect.bisect(cumulative, rng.random() * total)]


def sql_value(value):
    """SQLite's storage of a value, as Tortoise's SQLite client writes it."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Sink:
    """Rows by table, written CHUNK at a time, in one transaction."""

    def __init__(self) -> None:
        self.buffers: dict[str, tuple[tuple[str, ...], list[tuple]]] = {}
        self.counts: Counter = Counter()

    async def add(self, table: str, columns: tuple[str, ...], row: tuple) -> None:
        buffered = self.buffers.setdefault(table, (columns, []))[1]
        buffered.append(row)
        if len(buffered) >= CHUNK:
            await self.flush()  # every table, in the order they came: parents before the rows that refer to them

    async def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            columns, rows = self.buffers[name]
            if rows:
                await self.write(name, columns, rows)
                self.counts[name] += len(rows)
                rows.clear()

    async def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        raise NotImplementedError

    async def finish(self, explicit_ids: list[str]) -> None:
        raise NotImplementedError

    async def execute(self, sql: str) -> None:
        raise NotImplementedError


class PostgresSink(Sink):
    async def open(self, url: str) -> None:
        self.connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        self.transaction = self.connection.transaction()
        await self.transaction.start()

    async def write(self, table, columns, rows) -> None:
        await self.connection.copy_records_to_table(table, records=rows, columns=columns)

    async def execute(self, sql: str) -> None:
        await self.connection.execute(sql)

    async def finish(self, explicit_ids) -> None:
        await self.flush()
        for table in explicit_ids:  # rows written with their id: the serial goes on after them
            await self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        await self.transaction.commit()
        # Statistics and the visibility map (index-only scans), as autovacuum would leave them.
        await self.connection.execute("VACUUM ANALYZE")
        await self.connection.close()


class SqliteSink(Sink):
    async def open(self, url: str) -> None:
        self.connection = sqlite3.connect(url.removeprefix("sqlite://"), isolation_level=None)
        self.connection.execute("PRAGMA synchronous = OFF")  # a bench load: the file is recreated if it fails
        self.connection.execute("BEGIN")

    async def write(self, table, columns, rows) -> None:
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            ([sql_value(v) for v in row] for row in rows),
        )

    async def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    async def finish(self, explicit_ids) -> None:
        await self.flush()
        self.connection.execute("COMMIT")
        self.connection.execute("ANALYZE")  # what PRAGMA optimize would leave
        self.connection.close()


class TortoiseSink(Sink):
    """Through the application's current connection, inside the caller's transaction (tests/api/test_export.py)."""

    async def open(self) -> None:
        self.connection = Tortoise.get_connection("default")
        self.postgres = self.connection.capabilities.dialect == "postgres"

    async def write(self, table, columns, rows) -> None:
        marks = ", ".join(f"${i}" if self.postgres else "?" for i in range(1, len(columns) + 1))
        await self.connection.execute_many(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", [list(row) for row in rows]
        )

    async def execute(self, sql: str) -> None:
        await self.connection.execute_script(sql)

    async def finish(self, explicit_ids) -> None:
        await self.flush()
        for table in explicit_ids if self.postgres else ():
            await self.connection.execute_query(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )


OPEN = -1  # an open end (or no master span) in the compact holdings
HOLDING_FIELDS = 8  # mandate, mandatary, group, start, end, effective, master start, master end: 32-bit ints


class Places:
    """The places each principal's mandates hold, judged by models.places as `Holding` values.

    Kept compact, HOLDING_FIELDS integers a holding in one array per principal (Holding objects for a
    million mandates would take half a gigabyte), and only what can still meet a later mandate: a group
    that ended before the quarter before the creation quarter cannot (later mandates start no earlier).
    So memory grows with the principals' places, not the mandates.
    `closures()`: the (mandate, group, end) closures of replaced groups, for `end_replaced`.
    """

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.codes = [group.code for group in catalogue]
        self.code_index = {code: i for i, code in enumerate(self.codes)}
        self.required_by = {g.code: [o.code for o in catalogue if g.code in o.requires] for g in catalogue}
        self.held: dict[int, array.array] = {}
        self.ended = array.array("i")  # mandate, group, end: one closure per three

    def take(
        self,
        principal: int,
        mandate_id: int,
        mandatary_id: int,
        spans: dict[str, tuple[Quarter, Quarter | None]],
        status: MandateStatus,
        day: dt.date,
    ) -> list[Replacement] | None:
        """The groups the new mandate replaces, having taken its places; None if the rules refuse it."""
        if status not in HOLDS_PLACE and status is not MandateStatus.CLOSED:
            return []  # rejected or cancelled: it holds no place (R-UNQ-12)
        floor = Quarter.containing(day) - 1
        holdings = [h for h in self.holdings(principal) if h.end is None or h.end >= floor]
        start = min(span[0] for span in spans.values())
        try:
            replacements = plan_places([self.catalogue[c] for c in spans], mandatary_id, start, holdings, day)
        except RuleViolation:
            return None
        effective = status in EFFECTIVE or status is MandateStatus.CLOSED  # a closed mandate once had effect
        if effective:  # replacements apply at activation; an in-flight mandate only reserves its place (R-EXP-4)
            for item in replacements:
                self.ended.extend((item.mandate_id, self.code_index[item.group], item.end.index))
            closed = {(item.mandate_id, item.group): item.end for item in replacements}
            holdings = [self._closed(h, closed) for h in holdings]
        for code, (group_start, group_end) in spans.items():
            master = next((spans[o] for o in spans if code in self.catalogue[o].requires), None)
            holdings.append(Holding(mandate_id, mandatary_id, code, group_start, group_end, effective, master))
        self.held[principal] = array.array("i", itertools.chain.from_iterable(map(self._encode, holdings)))
        return replacements

    def closures(self) -> Iterator[tuple[int, str, int]]:
        ended = self.ended
        return ((ended[i], self.codes[ended[i + 1]], ended[i + 2]) for i in range(0, len(ended), 3))

    def holdings(self, principal: int) -> list[Holding]:
        row = self.held.get(principal, array.array("i"))
        return [self._decode(row[i : i + HOLDING_FIELDS]) for i in range(0, len(row), HOLDING_FIELDS)]

    def holders(self, principal: int, code: str, quarter: Quarter) -> set[int]:
        """The mandataries whose effective group `code` of the principal covers `quarter`."""
        return {
            h.mandatary_id
            for h in self.holdings(principal)
            if h.group == code and h.effective and h.start <= quarter and (h.end is None or quarter <= h.end)
        }

    def _encode(self, h: Holding) -> tuple[int, ...]:
        master_start, master_end = h.master_span or (None, None)
        return (
            h.mandate_id,
            h.mandatary_id,
            self.code_index[h.group],
            h.start.index,
            OPEN if h.end is None else h.end.index,
            int(h.effective),
            OPEN if master_start is None else master_start.index,
            OPEN if master_end is None else master_end.index,
        )

    def _decode(self, f: array.array) -> Holding:
        def quarter(index: int) -> Quarter | None:
            return None if index == OPEN else Quarter(index)

        master = None if f[6] == OPEN else (Quarter(f[6]), quarter(f[7]))
        return Holding(f[0], f[1], self.codes[f[2]], Quarter(f[3]), quarter(f[4]), bool(f[5]), master)

    def _closed(self, holding: Holding, closed: dict[tuple[int, str], Quarter]) -> Holding:
        """The holding with its group, or the group that makes it master (DmfA), closed by a replacement."""
        end = closed.get((holding.mandate_id, holding.group))
        if end is not None and (holding.end is None or end < holding.end):
            holding = dataclasses.replace(holding, end=end)
        if holding.master_span is not None:
            for code in self.required_by[holding.group]:
                master_end = closed.get((holding.mandate_id, code))
                if master_end is not None:
                    holding = dataclasses.replace(holding, master_span=(holding.master_span[0], master_end))
        return holding


ENTERPRISE = (
    "id",
    "enterprise_number",
    "nsso_number",
    "ssa_number",
    "name",
    "name_key",
    "address",
    "legal_form_id",
    "is_service_provider",
    "is_social_secretariat",
    "active_from",
    "active_until",
    "known_in_cbe",
    "known_in_user_management",
)
REPRESENTATIVE = ("enterprise_id", "niss", "name", "function_code_id")
MANDATE = (
    "id",
    "series",
    "number",
    "reference",
    "principal_id",
    "mandatary_id",
    "branch_id",
    "status",
    "encoder",
    "start_quarter",
    "end_quarter",
    "created_at",
    "finalise_before",
    "revision",
    "rejection_reason",
    "rejected_at",
    "rejection_consulted_by_principal_at",
    "rejection_consulted_by_mandatary_at",
    "replaces_other_mandatary",
    "lapse_warned_at",
)
GROUP = ("mandate_id", "principal_id", "group_code", "start_quarter", "end_quarter")
EVENT = ("mandate_id", "at", "actor_niss", "actor_enterprise", "action", "detail", "previous_hash", "chain_hash")
SAMPLE = 1000  # mandates kept per provider (reservoir) for node(id:)
ATTEMPTS = 16  # draws of principal, provider and groups per mandate before giving up


async def end_replaced(sink: Sink, ended: Iterable[tuple[int, str, int]], current: Quarter) -> None:
    """Close the replaced groups in the written rows, as apply_replacements would have (R-CHG-3): the group's
    end, its mandate's end (the latest over its groups, none while one is open), and CLOSED once that end has
    passed, as the sweep leaves it (R-LIFE-*)."""
    await sink.flush()
    await sink.execute(
        "CREATE TEMPORARY TABLE bench_ended (mandate_id INTEGER, group_code VARCHAR(40), end_quarter INTEGER)"
    )
    for row in ended:
        await sink.add("bench_ended", ("mandate_id", "group_code", "end_quarter"), row)
    await sink.flush()
    sink.counts.pop("bench_ended", None)
    sink.buffers.pop("bench_ended", None)
    await sink.execute("CREATE INDEX bench_ended_mandate ON bench_ended (mandate_id, group_code)")
    await sink.execute(
        "UPDATE mandate_group SET end_quarter = (SELECT min(e.end_quarter) FROM bench_ended e"
        " WHERE e.mandate_id = mandate_group.mandate_id AND e.group_code = mandate_group.group_code)"
        " WHERE mandate_id IN (SELECT mandate_id FROM bench_ended) AND EXISTS (SELECT 1 FROM bench_ended e"
        " WHERE e.mandate_id = mandate_group.mandate_id AND e.group_code = mandate_group.group_code)"
    )
    await sink.execute(
        "UPDATE mandate SET end_quarter = (SELECT CASE WHEN count(*) = count(g.end_quarter) THEN max(g.end_quarter)"
        " END FROM mandate_group g WHERE g.mandate_id = mandate.id) WHERE id IN (SELECT mandate_id FROM bench_ended)"
    )
    await sink.execute(
        f"UPDATE mandate SET status = '{S.CLOSED.value}' WHERE id IN (SELECT mandate_id FROM bench_ended)"
        f" AND status = '{S.ACTIVE.value}' AND end_quarter < {current.index}"
    )
    await sink.execute("DROP TABLE bench_ended")


async def reference_data(url: str) -> dict:
    """The migrated schema and the demo reference data, through the application; what the rows build on."""
    await open_migrated(url)
    try:
        return await known_data()
    finally:
        await close_database()


async def known_data() -> dict:
    """The demo reference data loaded; the matrix, the NISS numbers, CBE numbers and highest ids already used."""
    connection = Tortoise.get_connection("default")
    if (await connection.execute_query_dict("SELECT count(*) AS n FROM mandate"))[0]["n"]:
        raise SystemExit("generate: the database already holds mandates; recreate it first (run.sh does).")
    await load_reference(DEMO_REFERENCE.read_text(encoding="utf-8"))
    matrix: dict[str, list[str]] = {}
    for row in await connection.execute_query_dict("SELECT legal_form_id, function_code_id FROM matrix_entry"):
        matrix.setdefault(row["legal_form_id"], []).append(row["function_code_id"])
    taken = set()
    for table in ("representative", "signing_competence"):
        taken |= {r["niss"] for r in await connection.execute_query_dict(f"SELECT niss FROM {table}")}
    top = {}
    for table in ("enterprise", "branch"):
        top[table] = (await connection.execute_query_dict(f"SELECT max(id) AS m FROM {table}"))[0]["m"] or 0
    numbers = {
        r["enterprise_number"] for r in await connection.execute_query_dict("SELECT enterprise_number FROM enterprise")
    }
    return {"matrix": {k: sorted(v) for k, v in matrix.items()}, "taken": taken, "top": top, "numbers": numbers}


async def generate(args, sink: Sink | None = None, known: dict | None = None) -> dict:
    """The rows through `sink`; without one, through the current connection and its transaction."""
    if sink is None or known is None:
        known, sink = await known_data(), TortoiseSink()
        await sink.open()
    rng = random.Random(args.seed)
    today: dt.date = args.today
    current = Quarter.containing(today)
    catalogue = load_catalogue(Settings.catalogue_path)
    matrix = known["matrix"]
    people = People(rng, known["taken"])
    timings = {}

    # Enterprises, with explicit ids. CBE bases from 0300.000.0xx up: no demo number there.
    clock = time.perf_counter()
    ids = itertools.count(known["top"]["enterprise"] + 1)
    bases = (b for b in itertools.count(3_000_001) if cbe_number(b) not in known["numbers"])
    nsso_serials = itertools.count(3_000_001)
    oldest = today - dt.timedelta(days=5 * 366 + 200)  # before every mandate's start quarter

    def founded() -> dt.date:
        return dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange((oldest - dt.date(1975, 1, 1)).days))

    async def enterprise(name, form, *, provider=False, ssa=None, employer=True, ceased=None, base=None):
        """Writes the enterprise and its representative: (id, number, representative's niss and name)."""
        identifier, number = next(ids), cbe_number(base if base is not None else next(bases))
        nsso = next(nsso_serials)
        address = f"{rng.choice(['Rue', 'Straat', 'Avenue', 'Laan'])} {rng.choice(SURNAMES)} {rng.randrange(1, 250)}"
        await sink.add(
            "enterprise",
            ENTERPRISE,
            (
                identifier,
                number,
                f"{nsso:07d}-{(nsso * 7) % 97:02d}" if employer else None,
                ssa,
                name,
                sort_key(name),  # a bulk insert skips Enterprise.save, which keeps it
                f"{address}, {rng.randrange(1000, 9999)} Belgique",
                form,
                provider,
                ssa is not None,
                founded(),
                ceased,
                True,
                True,
            ),
        )
        niss, person = people.next()
        code = matrix[form][0] if provider or ssa else rng.choice(matrix[form])
        await sink.add("representative", REPRESENTATIVE, (identifier, niss, person, code))
        return identifier, number, niss, person

    providers = []  # (id, number, signatory niss, signatory name)
    for i in range(1, args.providers + 1):
        form = "014" if i % 3 == 0 else "610"
        providers.append(
            await enterprise(f"Bench Payroll Services {i} {SUFFIX[form]}", form, provider=True, employer=i % 2 == 0)
        )
        niss, person = people.next()
        await sink.add("signing_competence", ("enterprise_id", "niss", "name"), (providers[-1][0], niss, person))
    branches: dict[int, list[int]] = {}
    branch_ids = itertools.count(known["top"]["branch"] + 1)
    for i in range(1, args.ssas + 1):
        ssa = await enterprise(f"Secrétariat Social Bench {i} ASBL", "017", ssa=f"SSA-{400 + i}")
        providers.append(ssa)
        for code in BRANCH_CODES[: 2 + i % 4]:
            branches.setdefault(ssa[0], []).append(next(branch_ids))
            row = (branches[ssa[0]][-1], ssa[0], code, f"Bench branch {code}")
            await sink.add("branch", ("id", "enterprise_id", "code", "name"), row)
    form_of = weighted(rng, [f for f, _ in PRINCIPAL_FORMS], [w for _, w in PRINCIPAL_FORMS])
    principal_count = max(10, args.mandates // 4)
    # What the mandates need of each principal, in compact arrays: id, number, representative, ceased day, employer.
    p_id, p_number, p_niss, p_ceased, p_employer = array.array("l"), [], [], array.array("l"), bytearray()
    for i in range(1, principal_count + 1):
        form = form_of()
        employer = rng.random() < 0.94
        ceased = today - dt.timedelta(days=rng.randrange(400, 1200)) if rng.random() < 0.02 else None
        name = f"{rng.choice(TRADES)} {rng.choice(SURNAMES)} {i} {SUFFIX[form]}"
        identifier, number, niss, _ = await enterprise(name, form, employer=employer, ceased=ceased)
        p_id.append(identifier)
        p_number.append(number)
        p_niss.append(niss)
        p_ceased.append(ceased.toordinal() if ceased else 0)
        p_employer.append(employer)
    # Fresh employers, no mandate: consecutive CBE bases, so that wrk's Lua script can make their numbers; above
    # every base used so far, the demo's included.
    fresh_first = max([int(n[:8]) for n in known["numbers"]] + [int(p_number[-1][:8])]) + 1
    fresh = max(args.fresh, (getattr(args, "enterprises", None) or 0) - principal_count - len(providers))
    for i in range(fresh):
        await enterprise(f"Bench Fresh Employer {i + 1} SRL", "610", base=fresh_first + i)
    await sink.flush()
    timings["enterprises"] = time.perf_counter() - clock

    # Mandates, in creation order (the reference series follows it): creation times stratified over the span.
    clock = time.perf_counter()
    ranked = providers[:]
    rng.shuffle(ranked)
    provider_of = weighted(rng, ranked, [1 / rank for rank in range(1, len(ranked) + 1)])
    bundle_of = weighted(rng, [b for b, _ in BUNDLES], [w for _, w in BUNDLES])
    non_employer_bundles = [b for b, _ in BUNDLES if not any(catalogue.get(c).employer_only for c in b)]
    first_day = oldest + dt.timedelta(days=100)
    span = (today - first_day).days + 1

    def status_sampler(age: int):
        statuses, weights = [], []
        for status, share, low, high in STATUS_SHARES:
            top = span if high is None else high
            if low <= age < top:
                statuses.append(status)
                weights.append(share / (top - low))
        return weighted(rng, statuses, weights)

    status_at = [status_sampler(age) for age in range(span)]
    companions: dict[tuple, list[str]] = {}

    def with_companions(codes: tuple) -> list[str]:
        if codes not in companions:
            result = list(dict.fromkeys(codes))
            for code in codes:
                result += [c for c in catalogue.get(code).requires if c not in result]
            companions[codes] = [group.code for group in catalogue if group.code in result]  # catalogue order
        return companions[codes]

    loose_of: dict[tuple, list[str]] = {}
    places = Places(catalogue)
    series_last: Counter = Counter()
    held: Counter = Counter()
    principal_held = array.array("l", bytes(8 * principal_count))
    samples: dict[int, list[int]] = {}
    start_seconds = dt.datetime.combine(first_day, dt.time(7), UTC).timestamp()
    for index in range(args.mandates):
        mandate_id = index + 1
        days, hours = divmod((index + rng.random()) / args.mandates * span, 1)  # office hours: 7 to 17 UTC
        created = dt.datetime.fromtimestamp(start_seconds + days * 86400 + hours * 36000, UTC)
        day = created.date()
        drawn = status_at[(today - day).days]()
        for attempt in range(ATTEMPTS):  # until the place rules accept the draw
            status = drawn
            for _ in range(8):  # a ceased principal's mandates ended before it ceased
                # Zipf-like over principals first; then any principal, as a refused change goes elsewhere.
                principal = int(principal_count * rng.random() ** (1.6 if attempt < ATTEMPTS // 2 else 1))
                ceased_ordinal = p_ceased[principal]
                if not ceased_ordinal or day.toordinal() <= ceased_ordinal - 120:
                    break
            else:
                principal = next(i for i in range(principal_count) if not p_ceased[i])
                ceased_ordinal = 0
            ceased = dt.date.fromordinal(ceased_ordinal) if ceased_ordinal else None
            if ceased and status not in (S.CLOSED, S.CANCELLED):
                status = S.CLOSED
            provider_id, provider_number, provider_niss, _ = provider_of()
            start = Quarter.containing(day) + (1 if rng.random() < 0.35 else 0)
            codes = with_companions(bundle_of() if p_employer[principal] else rng.choice(non_employer_bundles))
            end = None
            if status is S.CLOSED:
                last = Quarter.containing(ceased) if ceased else current - 1
                end = start + rng.randrange(0, max(1, last - start + 1)) if last >= start else start
                if end >= current:
                    end = current - 1
                start = min(start, end)
            elif status is S.ACTIVE and rng.random() < 0.08:
                end = current + rng.randrange(0, 5)  # a known end, not passed yet
            # Now and then one group of an active multi-group mandate ended earlier (one with no companion rule).
            early = None
            if status is S.ACTIVE and end is None and len(codes) > 1 and rng.random() < 0.05:
                key = tuple(codes)
                if key not in loose_of:
                    loose_of[key] = [
                        c
                        for c in codes
                        if not catalogue.get(c).requires and not any(c in catalogue.get(o).requires for o in codes)
                    ]
                early = rng.choice(loose_of[key]) if loose_of[key] else None
            spans = {
                code: (start, max(start, current - 1 - rng.randrange(0, 3)) if code == early else end) for code in codes
            }
            replacements = places.take(principal, mandate_id, provider_id, spans, status, day)
            if replacements is not None:
                break
        else:
            raise SystemExit(f"generate: no principal takes mandate {mandate_id} by the place rules")
        encoder = Party.MANDATARY if rng.random() < 0.7 else Party.PRINCIPAL
        series_last[created.year] += 1
        number = series_last[created.year]
        reference = format_reference(created.year, number)
        branch_id = rng.choice(branches[provider_id]) if provider_id in branches and rng.random() < 0.5 else None
        rejected_at = created + dt.timedelta(days=rng.randrange(3, 20)) if status is S.REJECTED else None
        before = finalise_before(day)
        warned = None
        if status in (S.TO_BE_FINALISED, S.PENDING) and before <= today + dt.timedelta(days=7):
            warned = created + dt.timedelta(days=53)  # the 7-day warning went out: nothing left to sweep
        await sink.add(
            "mandate",
            MANDATE,
            (
                mandate_id,
                created.year,
                number,
                reference,
                p_id[principal],
                provider_id,
                branch_id,
                status.value,
                encoder.value,
                start.index,
                end.index if end is not None else None,
                created,
                before,
                1,
                "The scanned form is not signed by a legal representative." if rejected_at else None,
                rejected_at,
                rejected_at + dt.timedelta(days=2) if rejected_at and rng.random() < 0.7 else None,
                rejected_at + dt.timedelta(days=1) if rejected_at and rng.random() < 0.7 else None,
                bool(replacements),
                warned,
            ),
        )
        for code, (group_start, group_end) in spans.items():
            row = (
                mandate_id,
                p_id[principal],
                code,
                group_start.index,
                group_end.index if group_end is not None else None,
            )
            await sink.add("mandate_group", GROUP, row)
        by_principal = encoder is Party.PRINCIPAL
        facts = EventFacts(
            0,
            created,
            p_niss[principal] if by_principal else provider_niss,
            p_number[principal] if by_principal else provider_number,
            "CREATED",
            None,
            f"Encoded for {', '.join(codes)} from {start}; to be finalised by {before}. (synthetic)",
        )
        ((previous_hash, chain_hash),) = chain(reference, [facts])
        event = (mandate_id, created, facts.actor_niss, facts.actor_enterprise, "CREATED", facts.detail)
        await sink.add("mandate_event", EVENT, (*event, previous_hash, chain_hash))
        held[provider_id] += 1
        principal_held[principal] += 1
        kept = samples.setdefault(provider_id, [])
        if len(kept) < SAMPLE:
            kept.append(mandate_id)
        elif (slot := rng.randrange(held[provider_id])) < SAMPLE:
            kept[slot] = mandate_id
        if mandate_id % 100_000 == 0:
            print(f"  {mandate_id:>9} mandates  {time.perf_counter() - clock:6.1f} s", flush=True)
    for year, last in sorted(series_last.items()):
        await sink.add("reference_series", ("series", "last_number"), (year, last))
    timings["mandates"] = time.perf_counter() - clock
    clock = time.perf_counter()
    await end_replaced(sink, places.closures(), current)
    await sink.finish(["enterprise", "branch", "mandate"])
    timings["commit_analyze"] = time.perf_counter() - clock

    ((busiest_id, busiest_count),) = held.most_common(1)
    busiest = next(p for p in providers if p[0] == busiest_id)
    # The competence scenario asks who holds the crowded principal's DmfA today: one with a DmfA holder.
    with_dmfa = [i for i in range(principal_count) if places.holders(i, "DMFA", current)] or range(principal_count)
    crowded = max(with_dmfa, key=principal_held.__getitem__)
    # A small employer: the last principal still active with two to five mandates.
    small = next(
        (
            i
            for i in reversed(range(principal_count))
            if 2 <= principal_held[i] <= 5 and not p_ceased[i] and p_employer[i]
        ),
        crowded,  # a registry too small to have one
    )
    return {
        "today": today.isoformat(),
        "current_quarter": str(current),
        "next_quarter": str(current + 1),
        "mandates": args.mandates,
        "rows": dict(sink.counts),
        "mandate_groups": sink.counts["mandate_group"],
        "principals": principal_count,
        "busiest": {
            "enterprise_number": busiest[1],
            "signatory_niss": busiest[2],
            "signatory_name": busiest[3],
            "mandates": busiest_count,
            "sample_mandate_ids": sorted(samples[busiest_id]),
        },
        "runner_up_mandates": held.most_common(2)[1][1],
        "small_employer": {
            "enterprise_number": p_number[small],
            "signatory_niss": p_niss[small],
            "mandates": principal_held[small],
        },
        "crowded_principal": {
            "enterprise_number": p_number[crowded],
            "signatory_niss": p_niss[crowded],
            "mandates": principal_held[crowded],
            "dmfa_holders_today": len(places.holders(crowded, "DMFA", current)),
        },
        "replaced_groups": len(places.ended) // 3,
        "fresh_principals": {"first_base": fresh_first, "count": fresh},
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.generate", description=__doc__.split("\n\n")[0])
    cli.add_argument("--mandates", type=int, default=1_000_000)
    cli.add_argument(
        "--enterprises", type=int, help="all enterprises, fresh ones included (default: as many as mandates)"
    )
    cli.add_argument("--database-url", help="default: MANDATES_DATABASE_URL, else the default SQLite file")
    cli.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=DEFAULT_TODAY,
        help="the day the data is consistent with (the server's MANDATES_CLOCK)",
    )
    cli.add_argument("--providers", type=int, default=40)
    cli.add_argument("--ssas", type=int, default=5)
    cli.add_argument("--fresh", type=int, default=50_000, help="at least this many principals with no mandate")
    cli.add_argument("--seed", type=int, default=2026)
    cli.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    args = cli.parse_args(argv)
    if args.enterprises is None:
        args.enterprises = args.mandates
    url = args.database_url or Settings.from_env().database_url

    async def run() -> dict:
        known = await reference_data(url)
        sink = SqliteSink() if url.startswith("sqlite://") else PostgresSink()
        await sink.open(url)
        return await generate(args, sink, known)

    started = time.perf_counter()
    manifest = asyncio.run(run())
    manifest["database_url"] = url
    manifest["load_seconds"] = round(time.perf_counter() - started, 1)
    manifest["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    args.manifest.parent.mkdir(parents=True, exist_ok=True)
    args.manifest.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    busiest = manifest["busiest"]
    print(
        f"generate: {manifest['rows']} in {manifest['load_seconds']} s {manifest['timings_s']}, "
        f"peak memory {manifest['peak_memory_mb']} MB\n"
        f"  busiest mandatary {busiest['enterprise_number']}: {busiest['mandates']} mandates "
        f"(next: {manifest['runner_up_mandates']}); small employer {manifest['small_employer']['enterprise_number']} "
        f"({manifest['small_employer']['mandates']}); manifest {args.manifest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
