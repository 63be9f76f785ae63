"""Load N synthetic mandates for the benchmark (`make bench`, tests/bench/run.sh).

    python -m tests.bench.generate --mandates 100000 [--database-url URL] [--today 2026-11-16]

Loads the demo reference file, then synthetic enterprises (~N/4 principals with valid CBE, NSSO
and NISS numbers and one representative allowed to sign; 40 service providers; 5 social
secretariats with branches), then N mandates spread over providers by a Zipf law (so that one
mandatary is clearly the busiest), with catalogue groups (DmfA always with Dimona and Flexi),
realistic statuses consistent with `--today` (nothing for the sweep to do), references
M<year>-<n> and the reference series, and one history event each. Rows go in with bulk inserts.

It also reserves fresh principals with no mandate, for the createMandate measurement, and writes
a manifest (--manifest) that tests/bench/load.py reads: the busiest mandatary and its signatory,
the fresh principals, the quarters to use. Synthetic data: fictitious enterprises and persons.
The database must hold no mandate yet (run.sh recreates it).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import itertools
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from config.catalogue import load_catalogue
from config.database import close_database, open_migrated
from config.settings import ROOT, Settings
from models.history_chain import EventFacts, chain
from models.quarter import Quarter
from models.reference import format_reference
from models.signing import Party
from models.sort_keys import sort_key
from models.status import MandateStatus, finalise_before
from models.tables import (
    Branch,
    Enterprise,
    Mandate,
    MandateEvent,
    MandateGroup,
    MatrixEntry,
    ReferenceSeries,
    Representative,
    SigningCompetence,
)
from resolvers.reference_data import load_reference

S = MandateStatus
UTC = dt.UTC
DEMO_REFERENCE = ROOT / "config" / "demo" / "reference.json"
DEFAULT_MANIFEST = ROOT / ".data" / "bench-manifest.json"
DEFAULT_TODAY = dt.date(2026, 11, 16)
BATCH = 2000
WARNED = "lapse_warned_at" in Mandate._meta.fields_map  # the sweep's 7-day warning, when the registry has it

# Status shares of a registry in steady state (sum 1.0).
STATUS_SHARES = [
    (S.ACTIVE, 0.62),
    (S.CLOSED, 0.20),
    (S.CANCELLED, 0.07),
    (S.TO_BE_FINALISED, 0.04),
    (S.PENDING, 0.03),
    (S.REJECTED, 0.02),
    (S.TO_BE_VALIDATED, 0.02),
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
    """Unique, valid NISS numbers with names."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng, self.taken = rng, set(taken)

    def next(self) -> tuple[str, str]:
        while True:
            born = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(18000))
            niss = niss_number(born, self.rng.randrange(1, 998))
            if niss not in self.taken:
                self.taken.add(niss)
                return niss, f"{self.rng.choice(GIVEN)} {self.rng.choice(SURNAMES)}"


def weighted(rng: random.Random, items: list, weights: list[float]):
    """A sampler of `items` by cumulative weights (random.choices is slow one at a time)."""
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    return lambda: items[bisect.bisect(cumulative, rng.random() * total)]


def moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time on a working day's office hours, in UTC."""
    return dt.datetime.combine(day, dt.time(7 + rng.randrange(10), rng.randrange(60), rng.randrange(60)), UTC)


async def bulk(model, rows: list, label: str) -> None:
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH * 10):
        async with in_transaction():
            await model.bulk_create(rows[start : start + BATCH * 10], batch_size=BATCH)
    print(f"  {label:<22} {len(rows):>8} rows  {time.perf_counter() - started:6.1f} s", flush=True)


async def generate(args) -> dict:
    rng = random.Random(args.seed)
    today: dt.date = args.today
    current = Quarter.containing(today)
    catalogue = load_catalogue(Settings.catalogue_path)
    if await Mandate.exists():
        raise SystemExit("generate: the database already holds mandates; recreate it first (tests/bench/run.sh does).")
    timings = {}

    clock = time.perf_counter()
    await load_reference(DEMO_REFERENCE.read_text(encoding="utf-8"))
    matrix: dict[str, list[str]] = {}
    for form, code in await MatrixEntry.all().values_list("legal_form_id", "function_code_id"):
        matrix.setdefault(form, []).append(code)
    for codes in matrix.values():
        codes.sort()
    taken_niss = set(await Representative.all().values_list("niss", flat=True)) | set(
        await SigningCompetence.all().values_list("niss", flat=True)
    )
    people = People(rng, taken_niss)
    timings["reference"] = time.perf_counter() - clock

    # Enterprises: providers, SSAs, principals, fresh principals. CBE bases from 0300.000.0xx up: no demo number there.
    clock = time.perf_counter()
    bases = itertools.count(3_000_000 + 1)
    nsso_numbers = (f"{n:07d}-{(n * 7) % 97:02d}" for n in itertools.count(3_000_001))
    enterprises, representatives, competences, branch_plan = [], [], [], {}

    def enterprise(
        name: str, form: str, *, provider=False, ssa=None, employer=True, since: dt.date, ceased: dt.date | None = None
    ):
        number = cbe_number(next(bases))
        enterprises.append(
            Enterprise(
                enterprise_number=number,
                nsso_number=next(nsso_numbers) if employer else None,
                ssa_number=ssa,
                name=name,
                name_key=sort_key(name),  # a bulk insert skips Enterprise.save, which keeps it
                address=f"{rng.choice(['Rue', 'Straat', 'Avenue', 'Laan'])} {rng.choice(SURNAMES)}"
                f" {rng.randrange(1, 250)}, {rng.randrange(1000, 9999)} Belgique",
                legal_form_id=form,
                is_service_provider=provider,
                is_social_secretariat=ssa is not None,
                active_from=since,
                active_until=ceased,
            )
        )
        niss, person = people.next()
        representatives.append((number, niss, person, matrix[form][0] if provider or ssa else rng.choice(matrix[form])))
        return number, niss, person

    oldest = today - dt.timedelta(days=5 * 366 + 200)  # before every mandate's start quarter

    def founded() -> dt.date:
        return dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange((oldest - dt.date(1975, 1, 1)).days))

    providers = []  # (number, signatory niss, signatory name)
    for i in range(1, args.providers + 1):
        form = "014" if i % 3 == 0 else "610"
        providers.append(
            enterprise(
                f"Bench Payroll Services {i} {SUFFIX[form]}", form, provider=True, employer=i % 2 == 0, since=founded()
            )
        )
        niss, person = people.next()
        competences.append((providers[-1][0], niss, person))
    for i in range(1, args.ssas + 1):
        number = enterprise(
            f"Secrétariat Social Bench {i} ASBL", "017", ssa=f"SSA-{400 + i}", employer=True, since=founded()
        )
        providers.append(number)
        branch_plan[number[0]] = BRANCH_CODES[: 2 + i % 4]
    form_of = weighted(rng, [f for f, _ in PRINCIPAL_FORMS], [w for _, w in PRINCIPAL_FORMS])
    principal_count = max(10, args.mandates // 4)
    principals = []  # (number, niss, ceased day or None, employer)
    for i in range(1, principal_count + 1):
        form = form_of()
        employer = rng.random() < 0.94
        ceased = today - dt.timedelta(days=rng.randrange(400, 1200)) if rng.random() < 0.02 else None
        name = f"{rng.choice(TRADES)} {rng.choice(SURNAMES)} {i} {SUFFIX[form]}"
        number, niss, _ = enterprise(name, form, employer=employer, since=founded(), ceased=ceased)
        principals.append((number, niss, ceased, employer))
    fresh = []
    for i in range(1, args.fresh + 1):
        fresh.append(enterprise(f"Bench Fresh Employer {i} SRL", "610", since=founded())[0])
    await bulk(Enterprise, enterprises, "enterprise")
    ids = dict(await Enterprise.all().values_list("enterprise_number", "id"))
    await bulk(
        Representative,
        [
            Representative(enterprise_id=ids[n], niss=niss, name=name, function_code_id=code)
            for n, niss, name, code in representatives
        ],
        "representative",
    )
    await bulk(
        SigningCompetence,
        [SigningCompetence(enterprise_id=ids[n], niss=niss, name=name) for n, niss, name in competences],
        "signing_competence",
    )
    await bulk(
        Branch,
        [
            Branch(enterprise_id=ids[n], code=c, name=f"Bench branch {c}")
            for n, codes in branch_plan.items()
            for c in codes
        ],
        "branch",
    )
    branches: dict[int, list[int]] = {}
    for enterprise_id, branch_id in await Branch.filter(enterprise_id__in=[ids[n] for n in branch_plan]).values_list(
        "enterprise_id", "id"
    ):
        branches.setdefault(enterprise_id, []).append(branch_id)
    timings["enterprises"] = time.perf_counter() - clock

    # Mandates. Providers by Zipf (rank r weighs 1/r); principals with a mild skew (some hold many mandates).
    clock = time.perf_counter()
    ranked = providers[:]
    rng.shuffle(ranked)
    provider_of = weighted(rng, ranked, [1 / rank for rank in range(1, len(ranked) + 1)])
    status_of = weighted(rng, [s for s, _ in STATUS_SHARES], [w for _, w in STATUS_SHARES])
    bundle_of = weighted(rng, [b for b, _ in BUNDLES], [w for _, w in BUNDLES])
    non_employer_bundles = [b for b, _ in BUNDLES if not any(catalogue.get(c).employer_only for c in b)]
    span = (today - oldest).days - 200

    def with_companions(codes) -> list[str]:
        result = list(dict.fromkeys(codes))
        for code in codes:
            result += [c for c in catalogue.get(code).requires if c not in result]
        return [group.code for group in catalogue if group.code in result]  # catalogue order

    def created_day(status: MandateStatus, ceased: dt.date | None) -> dt.date:
        return max(_created_day(status, ceased), oldest + dt.timedelta(days=100))

    def _created_day(status: MandateStatus, ceased: dt.date | None) -> dt.date:
        latest = ceased - dt.timedelta(days=120) if ceased else today
        if status in (S.TO_BE_FINALISED, S.PENDING):
            return today - dt.timedelta(days=rng.randrange(0, 60))  # not lapsed: the sweep has nothing to do
        if status is S.TO_BE_VALIDATED:
            return today - dt.timedelta(days=rng.randrange(2, 90))
        if status is S.REJECTED:
            return today - dt.timedelta(days=rng.randrange(20, 365))
        if status is S.CANCELLED:
            return latest - dt.timedelta(days=rng.randrange(61, span))
        if status is S.CLOSED:
            return latest - dt.timedelta(days=rng.randrange(200, span))
        return latest - dt.timedelta(days=int(span * rng.random() ** 1.5))  # ACTIVE: more of them recent

    drafts = []
    for _ in range(args.mandates):
        principal, principal_niss, ceased, employer = principals[int(principal_count * rng.random() ** 1.6)]
        provider, provider_niss, _ = provider_of()
        status = status_of()
        if ceased and status not in (S.CLOSED, S.CANCELLED):
            status = S.CLOSED
        day = created_day(status, ceased)
        start = Quarter.containing(day) + (1 if rng.random() < 0.35 else 0)
        codes = with_companions(bundle_of() if employer else rng.choice(non_employer_bundles))
        end = None
        if status is S.CLOSED:
            last = Quarter.containing(ceased) if ceased else current - 1
            end = start + rng.randrange(0, max(1, last - start + 1)) if last >= start else start
            if end >= current:
                end = current - 1
        elif status is S.ACTIVE and rng.random() < 0.08:
            end = current + rng.randrange(0, 5)  # a known end, not passed yet
        encoder = Party.MANDATARY if rng.random() < 0.7 else Party.PRINCIPAL
        drafts.append(
            (moment(rng, day), principal, principal_niss, provider, provider_niss, status, start, end, codes, encoder)
        )
    drafts.sort(key=lambda d: d[0])

    series_last: Counter = Counter()
    mandates, plans = [], []
    for created, principal, principal_niss, provider, provider_niss, status, start, end, codes, encoder in drafts:
        series_last[created.year] += 1
        number = series_last[created.year]
        branch_id = None
        if ids[provider] in branches and rng.random() < 0.5:
            branch_id = rng.choice(branches[ids[provider]])
        rejected_at = created + dt.timedelta(days=rng.randrange(3, 20)) if status is S.REJECTED else None
        extra = {}
        if (
            WARNED
            and status in (S.TO_BE_FINALISED, S.PENDING)
            and finalise_before(created.date()) <= today + dt.timedelta(days=7)
        ):
            extra["lapse_warned_at"] = created + dt.timedelta(
                days=53
            )  # the 7-day warning went out: nothing left to sweep
        mandates.append(
            Mandate(
                series=created.year,
                number=number,
                reference=format_reference(created.year, number),
                principal_id=ids[principal],
                mandatary_id=ids[provider],
                branch_id=branch_id,
                status=status,
                encoder=encoder,
                start_quarter=start.index,
                end_quarter=end.index if end is not None else None,
                created_at=created,
                finalise_before=finalise_before(created.date()),
                revision=1,
                rejection_reason="The scanned form is not signed by a legal representative." if rejected_at else None,
                rejected_at=rejected_at,
                rejection_consulted_by_principal_at=rejected_at + dt.timedelta(days=2)
                if rejected_at and rng.random() < 0.7
                else None,
                rejection_consulted_by_mandatary_at=rejected_at + dt.timedelta(days=1)
                if rejected_at and rng.random() < 0.7
                else None,
                **extra,
            )
        )
        by_principal = encoder is Party.PRINCIPAL
        plans.append(
            (
                codes,
                start,
                end,
                status,
                created,
                principal_niss if by_principal else provider_niss,
                principal if by_principal else provider,
            )
        )
    await bulk(Mandate, mandates, "mandate")
    mandate_ids = dict(await Mandate.all().values_list("reference", "id"))

    groups, events = [], []
    for mandate, (codes, start, end, status, created, actor_niss, actor_enterprise) in zip(mandates, plans):
        mandate_id, principal_id = mandate_ids[mandate.reference], mandate.principal_id
        # Now and then one group of an active multi-group mandate ended earlier (one with no companion rule).
        early = None
        if status is S.ACTIVE and end is None and len(codes) > 1 and rng.random() < 0.05:
            loose = [
                c
                for c in codes
                if not catalogue.get(c).requires and not any(c in catalogue.get(o).requires for o in codes)
            ]
            early = rng.choice(loose) if loose else None
        for code in codes:
            group_end = end
            if code == early:
                group_end = max(start, current - 1 - rng.randrange(0, 3))
            groups.append(
                MandateGroup(
                    mandate_id=mandate_id,
                    principal_id=principal_id,
                    group_code=code,
                    start_quarter=start.index,
                    end_quarter=group_end.index if group_end is not None else None,
                )
            )
        facts = EventFacts(
            0,
            created,
            actor_niss,
            actor_enterprise,
            "CREATED",
            None,
            f"Encoded for {', '.join(codes)} from {start}; to be finalised by {mandate.finalise_before}. (synthetic)",
        )
        ((previous_hash, chain_hash),) = chain(mandate.reference, [facts])
        events.append(
            MandateEvent(
                mandate_id=mandate_id,
                at=facts.at,
                actor_niss=facts.actor_niss,
                actor_enterprise=facts.actor_enterprise,
                action=facts.action,
                detail=facts.detail,
                previous_hash=previous_hash,
                chain_hash=chain_hash,
            )
        )
    await bulk(MandateGroup, groups, "mandate_group")
    await bulk(MandateEvent, events, "mandate_event")
    await ReferenceSeries.bulk_create(
        [ReferenceSeries(series=year, last_number=last) for year, last in sorted(series_last.items())]
    )
    timings["mandates"] = time.perf_counter() - clock

    clock = time.perf_counter()
    connection = Tortoise.get_connection("default")
    # Statistics (and PostgreSQL's visibility map, for index-only scans), as autovacuum or PRAGMA optimize would leave
    # them.
    await connection.execute_script("VACUUM ANALYZE" if connection.capabilities.dialect == "postgres" else "ANALYZE")
    timings["analyze"] = time.perf_counter() - clock

    held = Counter(m.mandatary_id for m in mandates)
    number_of = {v: k for k, v in ids.items()}
    ((busiest_id, busiest_count),) = held.most_common(1)
    busiest = next(p for p in providers if p[0] == number_of[busiest_id])
    by_status = Counter(m.status.value for m in mandates)
    return {
        "today": today.isoformat(),
        "current_quarter": str(current),
        "next_quarter": str(current + 1),
        "mandates": len(mandates),
        "mandate_groups": len(groups),
        "enterprises": len(enterprises),
        "principals": principal_count,
        "statuses": dict(by_status.most_common()),
        "busiest": {
            "enterprise_number": busiest[0],
            "name": next(e.name for e in enterprises if e.enterprise_number == busiest[0]),
            "signatory_niss": busiest[1],
            "signatory_name": busiest[2],
            "mandates": busiest_count,
            "statuses": dict(Counter(m.status.value for m in mandates if m.mandatary_id == busiest_id).most_common()),
        },
        "runner_up_mandates": held.most_common(2)[1][1],
        "fresh_principals": fresh,
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.generate", description=__doc__.split("\n\n")[0])
    cli.add_argument("--mandates", type=int, default=100_000)
    cli.add_argument("--database-url", help="default: MANDATES_DATABASE_URL, else the default SQLite file")
    cli.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=DEFAULT_TODAY,
        help="the day the data is consistent with (the server's MANDATES_CLOCK)",
    )
    cli.add_argument("--providers", type=int, default=40)
    cli.add_argument("--ssas", type=int, default=5)
    cli.add_argument("--fresh", type=int, default=5000, help="principals with no mandate, for createMandate")
    cli.add_argument("--seed", type=int, default=2026)
    cli.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    args = cli.parse_args(argv)
    url = args.database_url or Settings.from_env().database_url

    async def run() -> dict:
        await open_migrated(url)
        try:
            return await generate(args)
        finally:
            await close_database()

    started = time.perf_counter()
    manifest = asyncio.run(run())
    manifest["database_url"] = url
    manifest["load_seconds"] = round(time.perf_counter() - started, 1)
    args.manifest.parent.mkdir(parents=True, exist_ok=True)
    args.manifest.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    busiest = manifest["busiest"]
    print(
        f"generate: {manifest['mandates']} mandates ({manifest['mandate_groups']} groups), {manifest['enterprises']} "
        f"enterprises "
        f"({manifest['principals']} principals, {len(manifest['fresh_principals'])} fresh) in "
        f"{manifest['load_seconds']} s "
        f"{manifest['timings_s']}\n  statuses {manifest['statuses']}\n"
        f"  busiest mandatary {busiest['enterprise_number']} {busiest['name']}: {busiest['mandates']} mandates "
        f"(next: {manifest['runner_up_mandates']}) {busiest['statuses']}\n  manifest {args.manifest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
