"""What opaque global IDs cost (hardening item 2): encoding and decoding one ID, and a page of 100.

    python -m tests.bench.global_ids [--rounds 200000]

Prints microseconds per ID for resolvers.ids (AES under MANDATES_ID_SECRET) next to the base64 of
"Type:key" it replaced, so that the price of opacity per node shown is a measured figure.
"""

from __future__ import annotations

import argparse
import base64
import time

from resolvers.ids import encode_id, parse_id


def _per_call(work, rounds: int) -> float:
    start = time.perf_counter()
    for key in range(1, rounds + 1):
        work(key)
    return (time.perf_counter() - start) / rounds * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200_000)
    rounds = parser.parse_args().rounds
    made = [encode_id("Mandate", key) for key in range(1, 101)]
    figures = {
        "encode (AES)": _per_call(lambda key: encode_id("Mandate", key), rounds),
        "decode (AES)": _per_call(lambda key: parse_id(made[key % 100], ("Mandate",)), rounds),
        "encode (former base64)": _per_call(lambda key: base64.b64encode(f"Mandate:{key}".encode()).decode(), rounds),
        "decode (former base64)": _per_call(
            lambda key: base64.b64decode(base64.b64encode(b"Mandate:%d" % key), validate=True).decode().partition(":"),
            rounds,
        ),
    }
    for name, micros in figures.items():
        print(f"{name:24} {micros:6.2f} µs per ID, {micros * 100 / 1000:6.3f} ms per page of 100")


if __name__ == "__main__":
    main()
