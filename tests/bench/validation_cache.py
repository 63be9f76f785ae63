"""CPU time of one small GraphQL request through the whole ASGI app, and how often graphql-core's
validation actually ran (the scale issue: ValidationCache never hit while the depth, token and
alias rules were rebuilt per request).

    python -m tests.bench.validation_cache [--requests 3000]

The app is called in-process with raw ASGI messages (no network, no client library, no database)
with `{ __typename }`, without a token and with one; the figure is the process CPU time per request
after a warm-up. As under `mandates serve`, every request writes its access line (JSON, to /dev/null
here) and its metrics to files (prometheus_client's multiprocess mode): without them the figure left
out a third of what a request costs the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging.config
import os
import tempfile
import time
from dataclasses import replace

import strawberry.schema.schema as strawberry_schema

from config.logging import logging_config
from config.settings import Settings

SECRET = "validation-cache-bench-secret-000000000000000"


async def request(app, body: bytes, headers: list[tuple[bytes, bytes]], answer: list[bytes] | None = None) -> int:
    """The response's status; its body's parts appended to `answer` when given."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = 0

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif answer is not None and message["type"] == "http.response.body":
            answer.append(message.get("body", b""))

    await app(scope, receive, send)
    return status


def served_like(metrics_dir: str) -> None:
    """The access log and the metrics as `mandates serve` sets them up (config/cli.py), the log to /dev/null.
    prometheus_client reads PROMETHEUS_MULTIPROC_DIR when first imported: config.asgi is imported after."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    config = logging_config()
    config["handlers"]["stderr"]["stream"] = open(os.devnull, "w")  # noqa: SIM115 (for the process's life)
    logging.config.dictConfig(config)


def typename_app():
    """The app as served but on an empty database, a token for it, and the `{ __typename }` body."""
    from config.asgi import create_app
    from config.tokens import mint

    settings = replace(Settings(), jwt_secret=SECRET, database_url="sqlite://:memory:")
    app = create_app(settings, manage_database=False)
    token = mint(settings, "85073003328", "mandates:manage", enterprise="0403170701")
    return app, token, json.dumps({"query": "{ __typename }"}).encode()


async def cpu_ms(app, body: bytes, headers: list[tuple[bytes, bytes]], requests: int) -> float:
    """The process's CPU per request, in ms, after 50 requests of warm-up."""
    for _ in range(50):
        await request(app, body, headers)
    started = time.process_time()
    for _ in range(requests):
        await request(app, body, headers)
    return (time.process_time() - started) / requests * 1000


async def main(requests: int) -> None:
    app, token, body = typename_app()
    validations = 0
    validate = strawberry_schema.validate

    def counted(*args, **kwargs):
        nonlocal validations
        validations += 1
        return validate(*args, **kwargs)

    strawberry_schema.validate = counted
    for name, authorization in (
        ("without a token", []),
        ("with a token", [(b"authorization", f"Bearer {token}".encode())]),
    ):
        headers = [(b"content-type", b"application/json"), *authorization]
        await cpu_ms(app, body, headers, 1)  # warmed up before validations are counted
        validations = 0
        ms = await cpu_ms(app, body, headers, requests)
        print(
            f"{{ __typename }} {name:<16} {ms:6.3f} ms CPU per request; graphql-core validation "
            f"ran {validations} times in {requests} requests"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    with tempfile.TemporaryDirectory() as metrics:
        served_like(metrics)
        asyncio.run(main(parser.parse_args().requests))
