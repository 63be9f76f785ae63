"""Verifying uploaded PDFs off the event loop, at most N at a time per process (MANDATES_UPLOAD_WORKERS).

pyHanko's reading of a PDF and its diff analysis between revisions are CPU work in pure Python: run
on the event loop, four 10 MB uploads stalled every other client of the process (hardening item 4).
Each verification runs `documents.verification.inspect` (pyHanko's async validation) on an event
loop of its own, in a bounded thread pool; the upload waits without holding the event loop.

Threads rather than processes, as measured by `python -m tests.bench.uploads` (four uploads of 10 MB
and 40 000 objects each, on a 2-core machine shared with other work; figures vary with that load;
the process pool was a variant measured and dropped). On main the verification ran on the event loop: `{ __typename }`
worst 2.2-2.5 s,
p99 0.9-1.2 s, server RSS 99 -> 289 MiB. Off it, with two workers:
- a thread pool: worst 0.2-0.6 s, p99 0.2-0.5 s; server RSS peak 205-223 MiB, nothing else;
- a process pool (forkserver, warm workers): worst 0.19-0.35 s, p99 0.07-0.1 s; server RSS peak
  295-302 MiB (each file read whole and pickled to a worker) plus 252 MiB held by the two workers.
Both end the stalls of seconds; the process pool shaves the GIL's share of the latency (the event
loop's thread waits up to the switch interval, 5 ms, each time it takes the GIL back from a worker)
for two and a half times the memory. Threads read the file where it lies (the upload's temporary
file, by chunks) and use less memory than main did; memory is what four 10 MB uploads exhausted, so
threads it is.

One worker by default: the parsing is pure Python and holds the GIL, so a second thread verifies no
faster (four uploads took 6.9-7.5 s with one, 6.8-8.5 s with two) while it costs memory (RSS peak
168-174 MiB against 219-223) and latency (p99 0.31-0.33 s against 0.46-0.52 s).

The revocation check (CRLs, OCSP: documents/verification.py) fetches over the network on that same
worker's event loop, so a slow responder holds a worker, never the server's event loop.

Uploads beyond N wait in the pool's queue, still on disk; how many a viewer may start is bounded by
the abuse limits (resolvers/limits.py).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

from documents.verification import Inspection, RevocationPolicy, inspect


class VerificationPool:
    def __init__(self, workers: int, revocation: RevocationPolicy = RevocationPolicy()):  # noqa: B008 (frozen)
        if workers < 1:
            raise ValueError("MANDATES_UPLOAD_WORKERS must be at least 1.")
        self.workers, self.revocation = workers, revocation
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pdf-verification")

    async def inspect(
        self, source: BinaryIO, registry_cert_pem: bytes, eid_trust_roots_pem: bytes | None
    ) -> Inspection:
        """`inspect` of the file, run on a worker thread with an event loop of its own."""

        def verify() -> Inspection:
            return asyncio.run(inspect(source, registry_cert_pem, eid_trust_roots_pem, self.revocation))

        return await asyncio.get_running_loop().run_in_executor(self._executor, verify)
