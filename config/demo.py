"""Demo data (labelled as such): the demo reference file, then mandates in many statuses, made
through the real use cases on back-dated clocks so that every one followed the rules.

`mandates demo` loads it once; `make run` calls it.
"""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

from config.catalogue import load_catalogue
from config.clock import Clock
from config.settings import ROOT, Settings
from models.quarter import Quarter
from models.signing import SigningMethod
from models.tables import Enterprise, Mandate
from resolvers.access import MANAGE, Actor
from resolvers.context import UseCase
from resolvers.create import NewMandate, create_mandate
from resolvers.ids import encode_id
from resolvers.lookup import signatory_register
from resolvers.reference_data import load_reference
from resolvers.sign import sign_mandate
from resolvers.sweep import sweep

DEMO_DIR = ROOT / "config" / "demo"

# (principal, mandatary, groups, days ago, start: quarters from the creation quarter, signatures, branch)
# signatures: "" none, "E" the encoder, "EC" both. The encoder is the first party named in `by`.
SCENARIOS = [
    ("0893.219.451", "0420.178.759", ["DMFA", "DIMONA", "FLEXI"], 420, 0, "EC", None, "principal"),
    ("0804.115.152", "0938.372.852", ["PMP", "SIGEDIS"], 10, 1, "", "BRU", "principal"),
    ("0538.038.016", "1029.453.872", ["DIMONA"], 5, 1, "E", None, "mandatary"),
    ("0753.512.133", "0420.178.759", ["DIMONA", "BELPARCEL"], 30, 1, "EC", None, "principal"),
    ("0893.219.451", "0938.372.852", ["DRS_UNEMPLOYMENT"], 200, 1, "", "ANT", "mandatary"),
    ("0747.349.069", "0420.178.759", ["PMP", "WITA_AMATEUR"], 600, 0, "EC", None, "principal"),
    ("0747.349.069", "0938.372.852", ["PMP"], 150, 1, "EC", "LIE", "mandatary"),
    ("0893.219.451", "1029.453.872", ["TEMPORARY_UNEMPLOYMENT"], 3, 1, "", None, "mandatary"),
    ("0893.219.451", "1029.453.872", ["PMP"], 8, 1, "E", None, "principal"),
    ("0685.628.860", "0938.372.852", ["DMFA", "DIMONA", "FLEXI", "DRS_BENEFITS"], 90, 0, "EC", None, "mandatary"),
]


async def _signatory(enterprise: Enterprise) -> tuple[str, str]:
    register = await signatory_register(enterprise)
    for person in await enterprise.representatives.all():
        if register.may_sign(person.niss):
            return person.niss, person.name
    holder = await enterprise.signing_competence.all().first()
    if holder is None:
        raise ValueError(f"the demo's enterprise {enterprise.enterprise_number} has no signatory")
    return holder.niss, holder.name


async def _actor(number: str) -> Actor:
    enterprise = await Enterprise.get(enterprise_number=number.replace(".", ""))
    niss, name = await _signatory(enterprise)
    return Actor(niss=niss, name=name, enterprise_number=enterprise.enterprise_number, scopes=frozenset({MANAGE}))


async def load_demo(settings: Settings) -> str:
    if await Mandate.exists():
        return "demo: the database already holds mandates; nothing loaded"
    report = await load_reference((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
    catalogue = load_catalogue(settings.catalogue_path)
    today = Clock(settings.clock).today()
    for principal, mandatary, groups, days_ago, ahead, signatures, branch, by in SCENARIOS:
        day = today - dt.timedelta(days=days_ago)
        clock = Clock(day)
        encoder = await _actor(principal if by == "principal" else mandatary)
        counterparty = await _actor(mandatary if by == "principal" else principal)
        new = NewMandate(
            groups=groups,
            start_quarter=Quarter.containing(day) + ahead,
            principal_number=principal if by == "mandatary" else None,
            mandatary_number=mandatary if by == "principal" else None,
            branch_code=branch,
        )
        mandate = await create_mandate(UseCase(encoder, clock, catalogue), new)
        mandate_id = encode_id("Mandate", mandate.id)
        if "E" in signatures:
            await sign_mandate(UseCase(encoder, clock, catalogue), mandate_id)
        if "C" in signatures:
            await sign_mandate(UseCase(counterparty, Clock(day + dt.timedelta(days=2)), catalogue), mandate_id)
    await _closed_mandate(catalogue, today)
    await _delegated_history(catalogue, today)
    await _paper_mandates(settings, catalogue, today)
    swept = await sweep(Clock(today), catalogue)
    return (
        f"demo: loaded {report.enterprises} enterprises and {len(SCENARIOS) + 5} mandates "
        f"({swept.cancelled} cancelled and {swept.closed} closed by the sweep). Personas: {DEMO_DIR / 'personas.json'}"
    )


async def _closed_mandate(catalogue, today: dt.date) -> None:
    """A mandate its provider closed at the end of a quarter long past: CLOSED once the sweep has run."""
    from resolvers.close import close_mandate

    clock = Clock(today - dt.timedelta(days=300))
    start = Quarter.containing(clock.today())
    encoder = await _actor("0538.038.016")
    mandate = await create_mandate(
        UseCase(encoder, clock, catalogue),
        NewMandate(groups=["FEDERAL_LEARNING_ACCOUNT"], start_quarter=start, mandatary_number="0420.178.759"),
    )
    mandate_id = encode_id("Mandate", mandate.id)
    await sign_mandate(UseCase(encoder, clock, catalogue), mandate_id)
    provider = UseCase(await _actor("0420.178.759"), clock, catalogue)
    await sign_mandate(provider, mandate_id)
    await close_mandate(provider, mandate_id, start + 1, None, None, None)


async def _delegated_history(catalogue, today: dt.date) -> None:
    """A change of DmfA provider and a delegation (R-CHG-3, R-DEL-1, R-COMP-1): the SSA replaced the provider for
    the cooperative, then delegated to it the DmfA of the provider's last three quarters, so that the provider, no
    longer the DmfA mandatary, stays competent for them through the delegation only."""
    from resolvers.delegations import create_delegation

    coop, provider, ssa = "0538.038.016", "0420.178.759", "0938.372.852"
    groups = ["DMFA", "DIMONA", "FLEXI"]
    for mandatary, days_ago in ((provider, 700), (ssa, 270)):
        clock = Clock(today - dt.timedelta(days=days_ago))
        start = Quarter.containing(clock.today()) + (0 if mandatary == provider else 1)
        encoder = UseCase(await _actor(coop), clock, catalogue)
        new = NewMandate(groups=groups, start_quarter=start, mandatary_number=mandatary)
        mandate_id = encode_id("Mandate", (await create_mandate(encoder, new)).id)
        await sign_mandate(encoder, mandate_id)
        await sign_mandate(UseCase(await _actor(mandatary), clock, catalogue), mandate_id)
    main = UseCase(await _actor(ssa), Clock(today - dt.timedelta(days=30)), catalogue)
    first = Quarter.containing(today - dt.timedelta(days=270)) - 2
    await create_delegation(main, mandate_id, provider, ["DMFA"], first, first + 2)


async def _paper_mandates(settings: Settings, catalogue, today: dt.date) -> None:
    """Two handwritten authorisations: one awaiting the NSSO's check, one refused by an officer."""
    from config.keys import paperwork
    from resolvers.authorisations import (
        Review,
        request_authorisation,
        review_authorisation,
        upload_authorisation,
    )

    papers = paperwork(settings)
    officer = next(p for p in personas() if p["scope"] == "nsso:officer")
    nsso = Actor(niss=officer["niss"], name=officer["name"], enterprise_number=None, scopes=frozenset({"nsso:officer"}))
    for principal, mandatary, groups, days_ago, refusal in (
        ("0538.038.016", "0938.372.852", ["SIGEDIS"], 12, None),
        ("0893.219.451", "0938.372.852", ["WITA_AMATEUR"], 20, "The NISS of the provider's representative is missing."),
    ):
        clock = Clock(today - dt.timedelta(days=days_ago))
        encoder = UseCase(await _actor(mandatary), clock, catalogue)
        new = NewMandate(groups=groups, start_quarter=Quarter.containing(clock.today()) + 1, principal_number=principal)
        mandate_id = encode_id("Mandate", (await create_mandate(encoder, new)).id)
        issued = await request_authorisation(encoder, papers, mandate_id, SigningMethod.HANDWRITTEN)
        # The printed, hand-signed and scanned copy stands for itself here: the demo has no scanner.
        await upload_authorisation(encoder, papers, mandate_id, BytesIO(issued.issued_pdf))
        if refusal:
            await review_authorisation(
                UseCase(nsso, Clock(clock.today() + dt.timedelta(days=3)), catalogue),
                papers,
                mandate_id,
                Review("REJECT", refusal),
            )


def personas() -> list[dict]:
    return json.loads((DEMO_DIR / "personas.json").read_text(encoding="utf-8"))["personas"]
