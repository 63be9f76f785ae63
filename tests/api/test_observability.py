"""Operations item 3, observability: /metrics (operations by name and outcome, latency, the pool),
/readyz (503 unless the database answers), the request ID of every response."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tortoise import connections

from config.database import close_database, open_database
from config.settings import ROOT
from tests.conftest import SETTINGS, token

LAST_MIGRATION = max(path.stem for path in (ROOT / "migrations").glob("0*.py"))


async def samples(api) -> dict[tuple[str, tuple], float]:
    response = await api.client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def delta(before: dict, after: dict, name: str, **labels) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0) - before.get(key, 0)


async def test_operations_metrics_count_graphql_operations_by_name_and_outcome(api):
    before = await samples(api)
    for _ in range(3):
        assert "errors" not in await api("query Dashboard { dashboard { pending { count } } }", as_="employer-director")
    for _ in range(2):
        assert (await api("query Me { viewer { name } }"))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await api.raw("query Broken { viewer {")
    await api("{ viewer { name } }", as_="employer-director")
    after = await samples(api)
    assert delta(before, after, "mandates_graphql_operations_total", operation="Dashboard", outcome="ok") == 3
    assert delta(before, after, "mandates_graphql_operations_total", operation="Me", outcome="refused") == 2
    assert delta(before, after, "mandates_graphql_operations_total", operation="(invalid)", outcome="refused") == 1
    assert delta(before, after, "mandates_graphql_operations_total", operation="(anonymous)", outcome="ok") == 1
    assert delta(before, after, "mandates_graphql_operation_duration_seconds_count", operation="Dashboard") == 3
    assert delta(before, after, "mandates_http_requests_total", route="/graphql", method="POST", status="200") == 7
    assert delta(before, after, "mandates_http_request_duration_seconds_count", route="/graphql") == 7


async def test_operations_metrics_a_mutations_user_errors_count_as_refused(api):
    before = await samples(api)
    query = "mutation Create($input: CreateMandateInput!) { createMandate(input: $input) { userErrors { code } } }"
    result = await api(
        query,
        {"input": {"mandataryNumber": "0893.219.451", "groups": ["NOPE"], "startQuarter": "3/2024"}},
        as_="employer-director",
    )
    assert result["data"]["createMandate"]["userErrors"]
    after = await samples(api)
    assert delta(before, after, "mandates_graphql_operations_total", operation="Create", outcome="refused") == 1


async def test_operations_metrics_operation_names_are_bounded(api):
    """A client cannot grow the metrics without bound: a name that is not a GraphQL name is not kept."""
    before = await samples(api)
    response = await api.client.post(
        "/graphql", json={"query": "query Me { viewer { name } }", "operationName": "Me; drop"}
    )
    assert response.status_code in (200, 400)
    after = await samples(api)
    assert not [key for key in after if ("operation", "Me; drop") in key[1]]
    assert sum(after.get(k, 0) - before.get(k, 0) for k in after if k[0] == "mandates_graphql_operations_total") == 1


async def test_operations_request_id_is_echoed_or_generated(api):
    given = await api.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    generated = await api.client.get("/healthz", headers={"X-Request-ID": "no spaces allowed"})
    assert generated.headers["x-request-id"] != "no spaces allowed" and len(generated.headers["x-request-id"]) == 32


async def test_operations_readyz_answers_when_the_database_does(api):
    response = await api.client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "ready")


async def test_operations_readyz_is_503_while_a_migration_is_pending(api):
    """A database whose last migration is not recorded (as if an older release ran on it): not ready, named."""
    connection = connections.get("default")
    await connection.execute_query(
        f"UPDATE tortoise_migrations SET name = 'hidden' WHERE app = 'models' AND name = '{LAST_MIGRATION}'"
    )
    try:
        response = await api.client.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "pendingMigrations": [LAST_MIGRATION]}
    finally:
        await connection.execute_query(
            f"UPDATE tortoise_migrations SET name = '{LAST_MIGRATION}' WHERE app = 'models' AND name = 'hidden'"
        )
    assert (await api.client.get("/readyz")).status_code == 200


class Proxy:
    """A TCP relay to PostgreSQL that the test can cut: the database "goes down" for the app."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.server, self.writers = target, None, set()
        self.port = 0  # the system picks a free one at the first start; a restart takes it again

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        await self.server.wait_closed()

    async def _relay(self, reader, writer) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, upstream_writer}

        async def pipe(source, sink):
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


@pytest.mark.skipif(
    not SETTINGS.database_url.startswith("postgres"), reason="the database server is cut at its TCP port: PostgreSQL"
)
async def test_operations_readyz_is_503_while_the_database_is_down(settings, clock):
    from config.asgi import create_app

    parts = urlsplit(SETTINGS.database_url)
    proxy = Proxy((parts.hostname, parts.port or 5432))
    await proxy.start()
    await open_database(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl())
    try:
        app = create_app(settings, clock, manage_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            assert (await client.get("/readyz")).status_code == 200
            await proxy.stop()
            down = await client.get("/readyz")
            assert (down.status_code, down.json()["status"]) == (503, "unavailable")
            await proxy.start()
            assert (await client.get("/readyz")).status_code == 200  # the pool reconnects
    finally:
        await close_database()
        await proxy.stop()


async def test_hardening_logs_an_unexpected_error_keeps_its_traceback_without_the_variables(api):
    """A real failure (the enterprise table gone): one ERROR line with the traceback and the request
    ID, then the access line; neither holds the variables (a NISS, a name)."""
    import io
    import json
    import logging

    from tortoise import connections

    from config.logging import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    connection = connections.get("default")
    await connection.execute_script("ALTER TABLE enterprise RENAME TO enterprise_gone")
    try:
        query = (
            "mutation Bankruptcy($input: RecordBankruptcyInput!) { recordBankruptcy(input: $input) { userErrors { code "
            "} } }"
        )
        variables = {
            "input": {
                "principalNumber": "0893.219.451",
                "publishedOn": "2024-05-02",
                "curatorNiss": "75061512374",
                "curatorName": "Curator Maes",
            }
        }
        response = await api.raw(
            query, variables, headers={"Authorization": f"Bearer {token('nsso-officer')}", "X-Request-ID": "boom-1"}
        )
    finally:
        await connection.execute_script("ALTER TABLE enterprise_gone RENAME TO enterprise")
        logging.getLogger().removeHandler(handler)
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    errors = [line for line in lines if line["level"] == "ERROR" and line["message"] == "unexpected error"]
    assert len(errors) == 1 and errors[0]["request_id"] == "boom-1" and "enterprise" in errors[0]["traceback"]
    access = [line for line in lines if line["logger"] == "mandates.access"]
    assert [(line["request_id"], line["outcome"], line["codes"]) for line in access] == [
        ("boom-1", "error", ["INTERNAL_SERVER_ERROR"])
    ]
    text = stream.getvalue()
    assert not [leak for leak in ("75061512374", "Curator Maes", "curatorNiss", "[niss]") if leak in text]


async def test_operations_metrics_count_uploads_by_verdict(api):
    """A handwritten scan accepted for the NSSO's check counts once; a file that is not a PDF is refused
    (AUTHORISATION_NOT_PDF) and counts as a refused operation, not as an upload."""
    from tests.api.authorisation_steps import issued_pdf, upload
    from tests.api.helpers import PROVIDER, created

    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    before = await samples(api)
    assert (await upload(api, "employer-director", mandate["id"], b"not a pdf"))["userErrors"][0][
        "code"
    ] == "AUTHORISATION_NOT_PDF"
    assert (await upload(api, "employer-director", mandate["id"], scan))["userErrors"] == []
    after = await samples(api)
    assert delta(before, after, "mandates_authorisation_uploads_total", verdict="HANDWRITTEN_TO_REVIEW") == 1
    assert sum(after[k] - before.get(k, 0) for k in after if k[0] == "mandates_authorisation_uploads_total") == 1
