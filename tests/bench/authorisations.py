"""How long issuing one authorisation PDF and validating one signed upload take, through the use cases.

`python -m tests.bench.authorisations [--runs 30]`: an in-memory SQLite registry with the demo
reference data, a test CA standing for the eID chain; each run creates a mandate, issues its sealed
PDF (render + document timestamp), has both parties sign it with pyHanko and uploads it (seal and
signatures validated, chain to the trust roots, signatories checked, mandate ACTIVE).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_migrated
from config.demo import DEMO_DIR
from config.keys import paperwork
from config.settings import Settings
from models.quarter import Quarter
from models.signing import SigningMethod
from resolvers.access import MANAGE, Actor
from resolvers.authorisations import issued_file, request_authorisation, upload_authorisation
from resolvers.context import UseCase
from resolvers.create import NewMandate, create_mandate
from resolvers.ids import encode_id
from resolvers.reference_data import load_reference
from tests.documents.pki import cert_pem, make_ca, make_signer, sign_as, write_pem

PRINCIPAL = ("0893219451", "68031425991")  # demo employer and its director, who also directs the bench's employers
MANDATARY = ("0420178759", "70101545553")  # demo provider and its signatory


def _principal(index: int) -> dict:
    """A synthetic employer (a public limited company) whose director is the demo director."""
    first_eight = 2_000_000 + index
    return {
        "enterpriseNumber": f"0{first_eight:07d}{97 - first_eight % 97:02d}",
        "name": f"Bench employer {index}",
        "legalForm": "014",
        "kinds": ["EMPLOYER"],
        "nssoNumber": f"B{index:07d}",
        "activeFrom": "2000-01-01",
        "representatives": [{"niss": PRINCIPAL[1], "name": "Director", "functionCode": "10003"}],
    }


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"mean {statistics.mean(samples) * 1000:6.1f} ms  p50 {statistics.median(samples) * 1000:6.1f}"
        f" ms  p95 {p95 * 1000:6.1f} ms"
    )


async def run(runs: int) -> None:
    folder = Path(tempfile.mkdtemp())
    ca, ca_key = make_ca("Bench eID Root CA")
    write_pem(folder / "roots.pem", cert_pem(ca))
    settings = replace(
        Settings(), database_url="sqlite://:memory:", data_dir=folder, eid_trust_roots=folder / "roots.pem"
    )
    await open_migrated(settings.database_url)
    await load_reference((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
    await load_reference(json.dumps({"enterprises": [_principal(i) for i in range(runs + 1)]}))
    papers, catalogue, clock = paperwork(settings), load_catalogue(settings.catalogue_path), Clock()
    signers = {
        niss: make_signer(ca, ca_key, niss, name)
        for niss, name in ((PRINCIPAL[1], "Director"), (MANDATARY[1], "Signatory"))
    }
    issue_times, upload_times = [], []
    for run_number in range(runs + 1):  # the first run warms up (key loading), and is not counted
        number = _principal(run_number)["enterpriseNumber"]
        principal = UseCase(Actor(PRINCIPAL[1], "Director", number, frozenset({MANAGE})), clock, catalogue)
        new = NewMandate(
            groups=["DMFA", "DIMONA", "FLEXI"],
            start_quarter=Quarter.containing(clock.today()) + 1,
            mandatary_number=MANDATARY[0],
        )
        mandate_id = encode_id("Mandate", (await create_mandate(principal, new)).id)
        started = time.perf_counter()
        issued = await request_authorisation(principal, papers, mandate_id, SigningMethod.EID)
        issued_at = time.perf_counter()
        pdf = await issued_file(issued.id, "issued")
        for field, (niss, _) in (("PrincipalSignature", PRINCIPAL[::-1]), ("MandatarySignature", MANDATARY[::-1])):
            cert, key = signers[niss]
            pdf = await sign_as(pdf, field, cert, key, ca)
        before_upload = time.perf_counter()
        mandate = await upload_authorisation(principal, papers, mandate_id, BytesIO(pdf))
        uploaded = time.perf_counter()
        assert mandate.status.value == "ACTIVE", mandate.status
        if run_number:
            issue_times.append(issued_at - started)
            upload_times.append(uploaded - before_upload)
    print(f"runs: {runs}, signed PDF size {len(pdf)} bytes")
    print(f"issue one authorisation (render + seal + store):              {_ms(issue_times)}")
    print(f"validate one upload (seal + 2 eID signatures, signatories, ACTIVE): {_ms(upload_times)}")


async def measured(runs: int) -> None:
    try:
        await run(runs)
    finally:
        await close_database()  # an open SQLite connection's thread would keep the process alive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    asyncio.run(measured(parser.parse_args().runs))


if __name__ == "__main__":
    main()
