"""Four ~10 MB eID-signed uploads at once must not stall other clients (hardening item 4).

    python -m tests.bench.uploads [--port 8140] [--size 10000000] [--uploads 4] [--workers N]

Starts `mandates serve` (uvicorn, one process) on a fresh SQLite file with the demo reference data and
a test CA as eID trust roots, creates as many mandates as uploads, and has each issued PDF grown to
`--size` bytes (an unreferenced stream of random bytes after the registry's seal) and signed by the
principal's director. Then it uploads them all at once while a client sends `{ __typename }` every
20 ms, and prints the server's resident memory (VmRSS) before and after, its peak (VmHWM, reset just
before), how long the uploads took, and the worst and 99th-percentile `{ __typename }` latency.
`--workers` sets MANDATES_UPLOAD_WORKERS (ignored by a server that has no such setting).
Linux only (/proc). Synthetic data: the demo's fictitious enterprises and persons.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from config.demo import DEMO_DIR
from config.settings import ROOT
from tests.api.authorisation_steps import UPLOADERS, Signers, issued_pdf, padded, upload
from tests.api.helpers import PROVIDER, created, niss
from tests.bench.export_stream import memory_kb, reset_peak, served
from tests.conftest import TEST_SECRET, Api
from tests.documents.pki import cert_pem, make_ca, write_pem

GROUPS = ["PMP", "SIGEDIS", "BELPARCEL", "WORKS_DECLARATIONS", "WIB_SINGLE_WINDOW", "FEDERAL_LEARNING_ACCOUNT"]
TODAY = "2024-05-10"


def children_rss_kb(pid: int) -> int:
    """The resident memory of a process's children (a process pool's workers), in kB."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += memory_kb(int(child)).get("VmRSS", 0) + children_rss_kb(int(child))
    return total


async def signed_uploads(api: Api, signers: Signers, count: int, size: int, objects: int) -> list[tuple[str, bytes]]:
    """`count` mandates of the demo employer and, for each, its issued PDF grown to `size` and signed by the
    director."""
    files = []
    for group in GROUPS[:count]:
        mandate = await created(
            api, "employer-director", mandataryNumber=PROVIDER, groups=[group], startQuarter="3/2024"
        )
        pdf = padded(await issued_pdf(api, "employer-director", mandate["id"]), size, objects)
        files.append((mandate["id"], await signers.sign(pdf, "PrincipalSignature", niss("employer-director"))))
    return files


async def probe(api: Api, stop: asyncio.Event) -> list[float]:
    """`{ __typename }` every 20 ms until `stop`; the latency of each, in seconds."""
    latencies = []
    while not stop.is_set():
        started = time.perf_counter()
        response = await api.raw("{ __typename }")
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
        await asyncio.sleep(0.02)
    return latencies


async def measure(base: str, pid: int, signers: Signers, count: int, size: int, objects: int) -> None:
    async with (
        httpx.AsyncClient(base_url=base, timeout=300) as client,
        httpx.AsyncClient(base_url=base, timeout=300) as prober,
    ):
        api = Api(client)
        files = await signed_uploads(api, signers, count, size, objects)
        print(
            f"== {count} uploads of {min(len(f) for _, f in files) / 1e6:.1f}"
            f"-{max(len(f) for _, f in files) / 1e6:.1f} MB ({objects} objects each), signed by the principal",
            flush=True,
        )
        await asyncio.sleep(1)
        idle = await probe_once(Api(prober))
        reset_peak(pid)
        before = memory_kb(pid)["VmRSS"]
        stop = asyncio.Event()
        prober_task = asyncio.create_task(probe(Api(prober), stop))
        started = time.perf_counter()
        payloads = await asyncio.gather(
            *(upload(api, who, mandate_id, data) for who, (mandate_id, data) in zip(UPLOADERS, files))
        )
        seconds = time.perf_counter() - started
        stop.set()
        latencies = sorted(await prober_task)
        after, peak, children = memory_kb(pid)["VmRSS"], memory_kb(pid)["VmHWM"], children_rss_kb(pid)
    statuses = [p["mandate"]["status"] if p["mandate"] else p["userErrors"] for p in payloads]
    print(f"upload results: {statuses}")
    print(f"all uploads answered in {seconds:.2f} s")
    print(
        f"RSS before {before / 1024:.0f} MiB, after {after / 1024:.0f} MiB, peak during the uploads {peak / 1024:.0f}"
        f" MiB; child processes after: {children / 1024:.0f} MiB"
    )
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"{{ __typename }}: idle {idle * 1000:.0f} ms; during the uploads {len(latencies)}"
        f" requests, worst {latencies[-1] * 1000:.0f} ms, p99 {p99 * 1000:.0f}"
        f" ms, median {latencies[len(latencies) // 2] * 1000:.0f} ms"
    )


async def probe_once(api: Api) -> float:
    started = time.perf_counter()
    await api.raw("{ __typename }")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.uploads", description=__doc__.split("\n\n")[0])
    cli.add_argument("--port", type=int, default=8140)
    cli.add_argument("--size", type=int, default=10_000_000)
    cli.add_argument(
        "--objects", type=int, default=40_000, help="how many objects the padding holds (the cost of reading the file)"
    )
    cli.add_argument(
        "--uploads", type=int, default=4, choices=range(1, len(UPLOADERS) + 1), help="each by a viewer of its own"
    )
    cli.add_argument("--workers", type=int)
    args = cli.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    ca, ca_key = make_ca("Bench eID Root CA")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MANDATES_PRODUCTION")}
    env.update(
        MANDATES_DATABASE_URL=f"sqlite://{folder / 'bench.sqlite3'}",
        MANDATES_CLOCK=TODAY,
        MANDATES_JWT_SECRET=TEST_SECRET,
        MANDATES_DATA_DIR=str(folder),
        MANDATES_EID_TRUST_ROOTS=str(write_pem(folder / "roots.pem", cert_pem(ca))),
    )
    if args.workers:
        env["MANDATES_UPLOAD_WORKERS"] = str(args.workers)
    subprocess.run(
        [sys.executable, "-m", "config.cli", "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [sys.executable, "-m", "config.cli", "load-reference", str(DEMO_DIR / "reference.json")],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with served(env, args.port, folder / "server.log") as (base, pid):
        print(f"== server pid {pid} on {base}, workers setting {args.workers or 'default'}", flush=True)
        asyncio.run(measure(base, pid, Signers(ca, ca_key), args.uploads, args.size, args.objects))
    return 0


if __name__ == "__main__":
    sys.exit(main())
